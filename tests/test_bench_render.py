"""scripts/benchmarks/render.py: results JSON -> Markdown, without measuring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.render import main, render


def results() -> dict[str, Any]:
    """A hand-made run of sections 1 and 4: one target met, one missed."""
    return {
        "format": 1,
        "environment": {
            "date": "2026-12-01T09:30:00+00:00",
            "seconds": 42.4,
            "quick": True,
            "cpu_count": 2,
            "cpu": "Test CPU",
            "system": "Linux",
            "release": "6.1.0",
            "python": "3.11.7",
            "sdk_version": "8.61.0",
        },
        "sections": {
            "1": {
                "calls": 2000,
                "rounds": 5,
                "seconds_per_call": {},
                "stats": {
                    "facade": {"median": 244.8e-6, "min": 173.9e-6, "max": 274.4e-6},
                    "generated": {"median": 236.2e-6, "min": 217.3e-6, "max": 271.0e-6},
                    "bare": {"median": 196.6e-6, "min": 168.8e-6, "max": 239.4e-6},
                },
                "facade_vs_generated": 1.036,
                "targets": [
                    {
                        "name": "facade vs generated client, per call",
                        "value": 1.036,
                        "measured": "1.036x",
                        "wanted": "≤ 1.15x",
                        "met": True,
                    }
                ],
            },
            "4": {
                "rows": 2000,
                "add_users": [
                    {"concurrency": 4, "rows_per_second": 943.2},
                    {"concurrency": 8, "rows_per_second": 799.0},
                    {"concurrency": 16, "rows_per_second": 617.4},
                ],
                "best": 4,
                "bare": {"async": 1312.0, "threads": 1030.0},
                "ours_vs_bare": 0.72,
                "targets": [
                    {
                        "name": "bulk, client-bound, vs bare httpx loop",
                        "value": 0.72,
                        "measured": "0.72x",
                        "wanted": "≥ 0.8x",
                        "met": False,
                    }
                ],
            },
        },
    }


def test_numbers_targets_and_findings() -> None:
    md = render(results())
    assert md.startswith("# Benchmarks\n\nWritten by `scripts/bench` --quick on\n")
    assert "2026-12-01 09:30 UTC, in 42 s." in md
    assert "| facade vs generated client, per call | 1.036x | ≤ 1.15x | met |" in md
    assert "| bulk, client-bound, vs bare httpx loop | 0.72x | ≥ 0.8x | **missed** |" in md
    assert "| `OrgClient.add_user` (facade: id and role checks, typed result) |" in md
    assert "244.8 (173.9 to 274.4)" in md
    assert "4: 943 rows/s, 8: 799 rows/s, 16: 617 rows/s. The best, 4," in md
    assert "Ours / best bare loop: **0.72x** (target ≥ 0.8x)." in md
    assert "it served the bare loop at 1312 rows/s" in md
    # Sections in the order they ran; no section that did not run.
    assert md.index("## 1. Client cost") < md.index("## 4. Bulk when") < md.index("## What")
    assert "## 2." not in md
    assert md.endswith("add scheduling on a CPU-bound client.\n")


def test_the_command_line_gives_the_same_bytes(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = tmp_path / "benchmarks.json"
    source.write_text(json.dumps(results(), ensure_ascii=False), encoding="utf-8")
    main([str(source), "--out", str(tmp_path / "benchmarks.md")])
    main([str(source)])
    written = (tmp_path / "benchmarks.md").read_bytes()
    assert capsysbinary.readouterr().out == written
    assert written == render(results()).encode("utf-8")


def test_unknown_section_or_format_is_refused() -> None:
    unknown = results()
    unknown["sections"]["99"] = {"targets": []}
    with pytest.raises(KeyError, match="99"):
        render(unknown)
    old = results()
    old["format"] = 0
    with pytest.raises(ValueError, match="format"):
        render(old)
