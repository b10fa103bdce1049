"""Mutation score of the core modules, with mutmut (pinned in the dev extra).

Run through `scripts/mutation` (which sets up .venv and runs this at low
priority):

    scripts/mutation                 every module below
    scripts/mutation roles ids       some of them
    scripts/mutation --jobs 1 pacing one test process at a time

For each module, mutmut changes the code in small ways (one mutant at a
time: `<` for `<=`, a constant, a dropped argument) and runs the tests that
reach the changed function, from a fast selection (MODULES: the test files
that exercise the module, slow tests left out). A mutant no test notices
is missed. The score is caught / (mutants - equivalent): an equivalent
mutant is one that cannot change behaviour, listed with the reason in
docs/test-strength.md, which this script reads.

mutmut 3 names a mutated module after its path under `src/` (or the
working directory) and imports it from a copy in `mutants/`; our package
lives in `facade/`. So each module gets a scratch folder,
`.mutation/<module>/`, with `src` linking to `facade` and the config
(`[tool.mutmut]`, written below into a copy of pyproject.toml), and mutmut
runs there. Each run starts afresh: mutmut's cache would keep verdicts
given before the tests changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
STRENGTH = ROOT / "docs" / "test-strength.md"

# module -> (file under facade/arize_orgs, the tests that exercise it)
MODULES: dict[str, tuple[str, list[str]]] = {
    "roles": ("roles.py", ["tests/test_roles.py", "tests/test_bad_input.py"]),
    "ids": ("ids.py", ["tests/test_ids.py", "tests/test_bad_input.py"]),
    "errors": (
        "errors.py",
        ["tests/test_errors.py", "tests/test_client.py", "tests/test_faults.py"],
    ),
    "_http": (
        "_http.py",
        [
            "tests/test_http.py",
            "tests/test_client.py",
            "tests/test_faults.py",
            "tests/test_copies_and_transport.py",
            "tests/test_security.py",
        ],
    ),
    "_wire": ("_wire.py", ["tests/test_wire.py", "tests/test_client.py"]),
    "pacing": ("bulk/pacing.py", ["tests/test_pacing.py"]),
    "rate": ("bulk/rate.py", ["tests/test_pacing.py"]),
    "report": ("bulk/report.py", ["tests/test_report.py", "tests/test_bulk_trust.py"]),
    # The hardening modules, each with its unit tests (no sockets) and the
    # fast tests that use it through the client.
    "_redact": (
        "_redact.py",
        ["tests/test_redact.py", "tests/test_errors.py", "tests/test_http.py"],
    ),
    "_body": ("_body.py", ["tests/test_body.py", "tests/test_client.py"]),
    "_paging": ("_paging.py", ["tests/test_paging.py", "tests/test_copies_and_transport.py"]),
    "_text": ("_text.py", ["tests/test_text.py", "tests/test_errors.py"]),
    "_deadline": ("_deadline.py", ["tests/test_deadline.py", "tests/test_http.py"]),
}

# Every test run: no slow tests, no cache between runs, the same examples
# from hypothesis every time (a verdict must not depend on luck).
PYTEST_ARGS = ["-m", "not slow", "-p", "no:cacheprovider", "--hypothesis-seed=0"]

CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    37: "caught by type check",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
    None: "not checked",
}


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def equivalents() -> dict[str, str]:
    """Mutant name -> why it cannot change behaviour, from docs/test-strength.md:
    lines such as "- `arize_orgs.ids.x_check_id__mutmut_12`: why"."""
    if not STRENGTH.exists():
        return {}
    found = re.findall(
        r"^\s*[-*] `(arize_orgs\.[^`]+__mutmut_\d+)`:?\s*(.*)$", STRENGTH.read_text(), re.M
    )
    return dict(found)


@dataclass
class Score:
    module: str
    statuses: dict[str, str] = field(default_factory=dict)  # mutant -> status
    equivalent: set[str] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def caught(self) -> int:
        return sum(s in CAUGHT for s in self.statuses.values())

    @property
    def missed(self) -> list[str]:
        return sorted(
            (m for m, s in self.statuses.items() if s not in CAUGHT and m not in self.equivalent),
            key=natural,
        )

    @property
    def score(self) -> float:
        counted = self.total - len(self.equivalent)
        return 100.0 * self.caught / counted if counted else 100.0


def natural(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number or 0)


def prepare(module: str) -> Path:
    path, tests = MODULES[module]
    where = WORK / module
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    for name, target in (
        ("src", "facade"),
        ("tests", "tests"),
        ("scripts", "scripts"),
        ("openapi.yaml", "openapi.yaml"),
    ):
        (where / name).symlink_to(ROOT / target)
    config = "\n".join(
        [
            "",
            "[tool.mutmut]",
            "# Written by scripts/mutation; see its docstring.",
            'source_paths = ["src/arize_orgs"]',
            f'only_mutate = ["src/arize_orgs/{path}"]',
            f"pytest_add_cli_args_test_selection = {toml_list(tests)}",
            f"pytest_add_cli_args = {toml_list(PYTEST_ARGS)}",
            # the tests read openapi.yaml at the root and import scripts/seed_spec.py
            'also_copy = ["openapi.yaml", "scripts"]',
            "use_git_change_detection = false",
            "",
        ]
    )
    (where / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + config)
    return where


def run(module: str, jobs: int, known: dict[str, str]) -> Score:
    path, _ = MODULES[module]
    where = prepare(module)
    log = where / "mutmut.log"
    print(f"== {module} (facade/arize_orgs/{path}); mutmut's output: {log.relative_to(ROOT)}")
    started = time.monotonic()
    with open(log, "w") as out:
        done = subprocess.run(
            ["mutmut", "run", "--max-children", str(jobs)],
            cwd=where,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    score = Score(module, seconds=time.monotonic() - started)
    meta = where / "mutants" / "src" / "arize_orgs" / (path + ".meta")
    if done.returncode != 0 or not meta.exists():
        tail = log.read_text().splitlines()[-15:]
        sys.exit(f"mutmut failed on {module} (exit {done.returncode}):\n" + "\n".join(tail))
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    score.statuses = {m: STATUS.get(c, "suspicious") for m, c in codes.items()}
    listed = {m for m in known if m in score.statuses}
    for m in sorted(listed, key=natural):
        if score.statuses[m] in CAUGHT:
            print(f"   note: {m} is listed as equivalent but was caught; take it off the list")
    # A listed mutant that some test caught counts as caught, not as equivalent.
    score.equivalent = {m for m in listed if score.statuses[m] not in CAUGHT}
    for m in score.missed:
        diff = subprocess.run(
            ["mutmut", "show", m], cwd=where, capture_output=True, text=True
        ).stdout
        changed = [
            line
            for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        print(f"   {score.statuses[m]}: {m}")
        for line in changed:
            print(f"      {line.strip()[:150]}")
    counted = score.total - len(score.equivalent)
    print(
        f"   {score.caught} of {counted} mutants caught ({score.total} made, "
        f"{len(score.equivalent)} equivalent left out), {len(score.missed)} missed: "
        f"{score.score:.1f}% in {score.seconds:.0f} s"
    )
    return score


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--jobs", type=int, default=2, help="test processes at once (default 2)")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, not {args.jobs}")
    unknown = [m for m in args.modules if m not in MODULES and f"_{m}" not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; choose from {', '.join(MODULES)}")
    names = [m if m in MODULES else f"_{m}" for m in args.modules] or list(MODULES)
    names = list(dict.fromkeys(names))  # a module named twice runs once
    known = equivalents()
    try:
        scores = [run(m, args.jobs, known) for m in names]
    except KeyboardInterrupt:
        sys.exit("\ninterrupted: the next run of a module starts it afresh")
    print()
    print("| module | mutants | caught | equivalent | missed | score |")
    print("|---|---:|---:|---:|---:|---:|")
    for s in scores:
        path = MODULES[s.module][0]
        print(
            f"| `{path}` | {s.total} | {s.caught} | {len(s.equivalent)} | {len(s.missed)} "
            f"| {s.score:.1f}% |"
        )


if __name__ == "__main__":
    main()
