#!/usr/bin/env python3
"""Peak memory of a client against servers that send too much.

Each case runs one `add_user` in a fresh interpreter against a loopback
server (tests/hostile_server.py, run in this process so that its memory is
not counted) and prints the child's peak RSS (VmHWM, Linux): an
honest answer for the baseline, a chunked body that never ends, a gzip bomb
(1 MB on the wire, 1 GiB inflated), and a problem document whose `detail`
is 100 MB. The client must stay under 100 MB in every case (SECURITY.md;
tests/test_hostile.py runs this with --json).

    nice .venv/bin/python scripts/hostile_rss.py [--async] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_server import HostileServer, answer, endless, gzip_bomb, reply  # noqa: E402

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
USER = "VXNlcjoxMjM0NQ=="
LIMIT_MIB = 100

MEMBERSHIP = json.dumps(
    {
        "id": "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox",
        "user_id": USER,
        "organization_id": ORG,
        "role": {"type": "PREDEFINED", "name": "MEMBER"},
    }
).encode()

# The child: one call, then its outcome and peak RSS as one JSON line.
CHILD = """
import asyncio, json, sys
from arize_orgs import AsyncOrgClient, OrgClient, errors
def peak_kib():
    # VmHWM: this process's own high-water mark. (getrusage's ru_maxrss
    # would also count the parent's memory at the fork.)
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
url, kind, ORG, USER = sys.argv[1:5]
imported = peak_kib()
options = dict(base_url=url, timeout=60, max_retries=0)
async def call_async():
    async with AsyncOrgClient("sk-rss-0123456789abcdef", **options) as c:
        return await c.add_user(ORG, USER, "member")
try:
    if kind == "async":
        asyncio.run(call_async())
    else:
        with OrgClient("sk-rss-0123456789abcdef", **options) as c:
            c.add_user(ORG, USER, "member")
    outcome = "ok"
except errors.ArizeOrgsError as exc:
    outcome = type(exc).__name__
peak = peak_kib()
print(json.dumps({"outcome": outcome, "after_import_kib": imported, "peak_kib": peak}))
"""


def cases() -> dict[str, Any]:
    big_detail = b'{"title": "Bad Request", "status": 400, "detail": "' + b"x" * 100_000_000 + b'"}'
    return {
        "honest answer (baseline)": reply(answer(200, MEMBERSHIP)),
        "endless chunked body": endless(),
        "gzip bomb (1 MB on the wire, 1 GiB inflated)": reply(
            answer(200, gzip_bomb(1 << 30), headers={"Content-Encoding": "gzip"})
        ),
        "100 MB problem detail": reply(answer(400, big_detail)),
    }


def measure(kind: str) -> list[dict[str, Any]]:
    rows = []
    for name, handler in cases().items():
        with HostileServer(handler) as server:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, server.base_url, kind, ORG, USER],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        if done.returncode != 0:
            raise SystemExit(f"{name}: the child failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        result["case"] = name
        result["peak_mib"] = round(result["peak_kib"] / 1024, 1)
        rows.append(result)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--async", dest="kind", action="store_const", const="async", default="sync")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args()
    rows = measure(args.kind)
    if args.json:
        print(json.dumps({"client": args.kind, "limit_mib": LIMIT_MIB, "cases": rows}))
    else:
        print(f"{args.kind} client, peak RSS of the whole interpreter (limit {LIMIT_MIB} MiB):")
        for row in rows:
            print(f"  {row['case']:<46} {row['peak_mib']:>6.1f} MiB  -> {row['outcome']}")
    if any(row["peak_mib"] >= LIMIT_MIB for row in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
