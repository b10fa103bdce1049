#!/usr/bin/env python3
"""Load: many workers, injected failures, every row ok in the end, memory flat.

A sandbox in its own process answers 5% of requests with 503, every 97th with
429, and rate-limits like Arize (429 beyond a per-window limit);
`OrgClient.add_users` runs `--concurrency` workers over `--rows` rows. The run
passes when every row ends `ok`, every user was written, hardly any twice, and
the client's memory does not grow with the rows done.

Injected failures come before a write, so none of them may cause a second
write. A second write can still happen honestly: when an answer is lost after
the server wrote (a read timeout on a starved machine), the client sends the
write again, which is safe because adding a member is idempotent. So a few
repeats are allowed (REPEATS_ALLOWED per thousand rows); a bug that repeats
rows repeats far more.

    scripts/load [--rows 20000] [--concurrency 64]     (tests/test_load.py: 3000 rows)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPEATS_ALLOWED = 1  # second writes per thousand rows; see the docstring


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_load(
    rows: int, concurrency: int, fail_rate: float = 0.05, rate_limit: str = "200/1"
) -> dict[str, Any]:
    import logging

    import stamina

    from arize_orgs import OrgClient

    logging.getLogger("stamina").setLevel(logging.ERROR)  # one line per retry is noise here

    cli = [
        sys.executable,
        "-m",
        "arize_orgs",
        "sandbox",
        "--json",
        "--seed",
        "none",
        "--users",
        str(rows),
        "--fail-rate",
        str(fail_rate),
        "--rate-limit",
        rate_limit,
        # 429s the run meets for certain, however fast or slow the machine.
        "--fail-every",
        "97:429",
    ]
    server = subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        sb = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "load.csv"
            path.write_text("user,role\n" + "".join(f"{u},member\n" for u in sb["extra_users"]))
            samples: list[tuple[int, float]] = []
            done = 0
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(0.2):
                    samples.append((done, rss_mib()))

            def count(_: object) -> None:
                nonlocal done
                done += 1

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start = time.perf_counter()
            # Real retry waits (jittered backoff), however the caller set stamina up.
            with (
                stamina.set_testing(False),
                OrgClient(sb["admin_key"], base_url=sb["base_url"], max_retries=6) as c,
            ):
                result = c.add_users(
                    sb["org_id"], path, concurrency=concurrency, keep_results=False, on_result=count
                )
            seconds = time.perf_counter() - start
            stop.set()
            sampler.join()
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=30)
    seen = json.loads(rest.strip().splitlines()[-1]) if rest.strip() else {}
    early = [m for d, m in samples if d >= rows * 0.1]
    growth = (max(early) - early[0]) if early else 0.0
    return {
        "rows": rows,
        "concurrency": concurrency,
        "outcomes": dict(result.summary.counts),
        "rate_limited": result.summary.rate_limited,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds, 1),
        "rss_mib_at_10pct": round(early[0], 1) if early else None,
        "rss_mib_peak": round(max(m for _, m in samples), 1) if samples else None,
        "rss_growth_mib_after_10pct": round(growth, 1),
        "server_statuses": seen.get("statuses"),
        "server_writes": seen.get("writes"),
        "server_users_written": seen.get("users_written"),
    }


def failed_checks(report: dict[str, Any]) -> list[str]:
    """The checks a load report fails, each named (empty when it passes)."""
    rows = report["rows"]
    writes, written = report["server_writes"], report["server_users_written"]
    repeats = (writes or 0) - (written or 0)
    checks = {
        f"every row ok (outcomes {report['outcomes']})": report["outcomes"] == {"ok": rows},
        f"every user written ({written} of {rows})": written == rows,
        f"at most {REPEATS_ALLOWED} repeated write per 1,000 rows ({repeats})": 0
        <= repeats
        <= max(1, rows * REPEATS_ALLOWED // 1000),
        f"memory flat after 10% ({report['rss_growth_mib_after_10pct']} MiB grown)": report[
            "rss_growth_mib_after_10pct"
        ]
        < 20,
    }
    return [name for name, ok in checks.items() if not ok]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    report = run_load(args.rows, args.concurrency)
    print(json.dumps(report, indent=2))
    failed = failed_checks(report)
    for name in failed:
        print(f"FAILED: {name}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
