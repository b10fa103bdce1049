"""The drift check: regenerating changes nothing, and an edited description in
the spec makes `scripts/regenerate --check` fail, naming the stale file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

REGENERATE = [sys.executable, str(ROOT / "scripts" / "regenerate")]


def check(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*REGENERATE, "--check", "--spec", str(spec), "--out", str(out)],
        capture_output=True,
        text=True,
    )


def test_the_committed_client_is_what_the_spec_generates() -> None:
    done = check(ROOT / "openapi.yaml", ROOT / "generated" / "arize_orgs_api")
    assert done.returncode == 0, done.stderr


def test_an_edited_description_fails_the_check_and_names_the_file(tmp_path: Path) -> None:
    copy = tmp_path / "arize_orgs_api"
    shutil.copytree(ROOT / "generated" / "arize_orgs_api", copy)
    text = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    old = "description: The global id of the membership record."
    assert old in text
    spec = tmp_path / "edited.yaml"
    spec.write_text(text.replace(old, "description: The membership's id (edited)."), "utf-8")
    done = check(spec, copy)
    assert done.returncode == 1
    assert "changed: models/organization_membership.py" in done.stderr
    assert "run scripts/regenerate" in done.stderr
