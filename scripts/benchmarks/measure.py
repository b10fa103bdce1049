"""The measurements behind docs/benchmarks.md. Run through `scripts/bench`,
which prepares the three environments this needs:

    .venv            the project (dev extra): our client, the sandbox, bare httpx
    .venv-bare       the project's wheel with its runtime dependencies only (import cost)
    .venv-official   Arize's official SDK (`arize`), never mixed with ours

Every comparison is measured side by side in this one run, alternating where
the issue asks for it, and reported as medians with ranges. Servers are
sandboxes in their own processes on 127.0.0.1, speaking the API's live
upper-case spelling (the default) that both the official SDK and ours speak.

Every number, verdict and fact about the machine goes to a JSON file
(default: next to --out, docs/benchmarks.json); the Markdown is then made
from that file alone by render.py, which can remake it without measuring.
Code that runs in another interpreter lives in snippets/.

    scripts/bench [--quick] [--only 1,2,...] [--out docs/benchmarks.md] [--json PATH]

A section is one function here, registered with `@measures("<key>", "<title>")`,
that returns its results as a JSON-able dict with a "targets" list, and one
function in render.py registered with `@renders("<key>")`.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.render import (
    FORMAT,
    BareLoops,
    ClientBound,
    ClientCost,
    Command,
    Environment,
    FarAway,
    FarRun,
    Ladder,
    LadderRun,
    LadderSdk,
    LimitRun,
    PublishedLimit,
    RateLimited,
    RateRun,
    Results,
    SdkLoop,
    Section,
    Sequential,
    Startup,
    Stats,
    Target,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = Path(__file__).resolve().parent / "snippets"

PY = str(ROOT / ".venv" / "bin" / "python")
BARE = str(ROOT / ".venv-bare" / "bin" / "python")
OFFICIAL = str(ROOT / ".venv-official" / "bin" / "python")
CLI = str(ROOT / ".venv" / "bin" / "arize-orgs")


# ---- helpers ------------------------------------------------------------------------------


def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
) -> tuple[str, float, int]:
    """Run a process; return its stdout, wall seconds and peak RSS (KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[:3]} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return out.decode(), wall, usage.ru_maxrss


def last_json(out: str) -> dict[str, Any]:
    """The JSON object a process printed last."""
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def snippet(python: str, name: str, **params: object) -> dict[str, Any]:
    """Run snippets/<name>.py under `python` with --<param> value arguments;
    return the JSON object it printed last."""
    argv = [python, str(SNIPPETS / f"{name}.py")]
    for key, value in params.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    out, _, _ = run(argv)
    return last_json(out)


def stats(values: list[float]) -> Stats:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def target(name: str, value: float, measured: str, wanted: str, met: bool) -> Target:
    return {"name": name, "value": value, "measured": measured, "wanted": wanted, "met": met}


@contextmanager
def sandbox(
    *,
    users: int = 0,
    latency: float = 0.0,
    rate_limit: str | None = None,
    retry_after: bool = True,
    history: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """A sandbox of the demo seed (organization Acme, spaces prod and
    staging) and `users` more member users, in its own process."""
    argv = [CLI, "sandbox", "--users", str(users), "--latency", str(latency), "--json"]
    if history is not None:
        argv += ["--history", str(history)]
    if rate_limit:
        argv += ["--rate-limit", rate_limit]
        if not retry_after:
            argv.append("--no-retry-after")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        yield json.loads(proc.stdout.readline())
    finally:
        proc.terminate()
        proc.wait(10)


def port_of(details: Mapping[str, Any]) -> int:
    return int(details["base_url"].rsplit(":", 1)[1])


class Bench:
    """What every section gets: the quick flag and a scratch folder."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.tmp = Path(tempfile.mkdtemp(prefix="arize-orgs-bench-"))

    def users_file(self, ids: list[str], name: str) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(ids))
        return path

    def csv_file(self, ids: list[str], name: str, role: str = "member") -> Path:
        path = self.tmp / name
        path.write_text("user,role\n" + "".join(f"{u},{role}\n" for u in ids))
        return path

    def bulk(self, details: Mapping[str, Any], path: Path, *extra: str) -> dict[str, Any]:
        """`arize-orgs add-users` over a CSV against a sandbox; its --json summary."""
        return self.timed_bulk(details, path, *extra)[0]

    def timed_bulk(
        self, details: Mapping[str, Any], path: Path, *extra: str, org: str | None = None
    ) -> tuple[dict[str, Any], float]:
        """The same, with the command's wall time (`org`: by name, else the id)."""
        org = org or details["org_id"]
        out, wall, _ = run(
            [CLI, "add-users", "--org", org, str(path), "--quiet", "--json", *extra],
            env={"ARIZE_API_KEY": details["admin_key"], "ARIZE_BASE_URL": details["base_url"]},
        )
        return last_json(out), wall


# ---- the registry -------------------------------------------------------------------------

Measure = Callable[[Bench], Section]
SECTIONS: dict[str, tuple[str, Measure]] = {}
M = TypeVar("M", bound=Measure)


def measures(key: str, title: str) -> Callable[[M], M]:
    """Register a section: `--only <key>` runs it, render.py's `@renders(key)` writes it."""

    def register(fn: M) -> M:
        SECTIONS[key] = (title, fn)
        return fn

    return register


# ---- the sections -------------------------------------------------------------------------


@measures("1", "client cost per call (httpx.MockTransport, no network)")
def client_cost(b: Bench) -> ClientCost:
    calls, rounds = (2000 if b.quick else 20_000), 5
    per_call: dict[str, list[float]] = snippet(PY, "client_cost", calls=calls, rounds=rounds)
    s = {k: stats(v) for k, v in per_call.items()}
    ratio = s["facade"]["median"] / s["generated"]["median"]
    return {
        "calls": calls,
        "rounds": rounds,
        "seconds_per_call": per_call,
        "stats": s,
        "facade_vs_generated": ratio,
        "targets": [
            target(
                "facade vs generated client, per call",
                ratio,
                f"{ratio:.3f}x",
                "≤ 1.15x",
                ratio <= 1.15,
            )
        ],
    }


@measures("2", "sequential calls on loopback vs the official SDK")
def sequential(b: Bench) -> Sequential:
    rounds, per_round = (2, 100) if b.quick else (7, 300)
    sides = (
        ("ours", PY, "ours_sequential"),
        ("sdk", OFFICIAL, "sdk_sequential"),
        ("bare", PY, "bare_sequential"),
    )
    times: dict[str, list[float]] = {name: [] for name, _, _ in sides}
    with sandbox(users=per_round * rounds * len(sides) + 1) as sb:
        ids = sb["extra_users"]
        for i in range(rounds):  # alternating, each on fresh users
            for j, (name, python, code) in enumerate(sides):
                start = len(sides) * i + j
                chunk = ids[start * per_round : (start + 1) * per_round]
                # The SDK is given a host and port, not a URL.
                where = {"port": port_of(sb)} if name == "sdk" else {"url": sb["base_url"]}
                r = snippet(
                    python,
                    code,
                    users=b.users_file(chunk, f"seq-{name}-{i}.json"),
                    key=sb["admin_key"],
                    org=sb["org_id"],
                    **where,
                )
                times[name].append(r["seconds"] / r["calls"])
    o, a, bare = stats(times["ours"]), stats(times["sdk"]), stats(times["bare"])
    ratio = o["median"] / a["median"]
    return {
        "rounds": rounds,
        "calls_per_round": per_round,
        "seconds_per_call": times,
        "stats": {"ours": o, "sdk": a, "bare": bare},
        "ours_vs_sdk": ratio,
        "ours_vs_bare": o["median"] / bare["median"],
        "bare_vs_sdk": bare["median"] / a["median"],
        "targets": [
            target(
                "sequential add_user vs official SDK",
                ratio,
                f"{ratio:.3f}x",
                "≤ 1.0x",
                ratio <= 1.0,
            )
        ],
    }


@measures("3", "bulk with 50 ms server latency")
def far_away(b: Bench) -> FarAway:
    latency = 0.05
    rows = 400 if b.quick else 2000
    slow_rows = 100 if b.quick else 200  # concurrency 1 and the SDK loop: 20 rows/s at best
    runs: list[FarRun] = []
    with sandbox(users=rows, latency=latency) as sb:
        ids = sb["extra_users"]
        for c in (1, 4, 16, 64):
            n = slow_rows if c == 1 else rows
            summary = b.bulk(sb, b.csv_file(ids[:n], f"far{c}.csv"), "--concurrency", str(c))
            assert summary["ok"] == n, summary
            rps = float(summary["rows_per_second"])
            runs.append(
                {
                    "concurrency": c,
                    "rows": n,
                    "rows_per_second": rps,
                    "ideal": c / latency,
                    "fraction": rps / (c / latency),
                }
            )
        r = snippet(
            OFFICIAL,
            "sdk_sequential",
            users=b.users_file(ids[:slow_rows], "far-sdk.json"),
            key=sb["admin_key"],
            org=sb["org_id"],
            port=port_of(sb),
        )
    sdk_rps = r["calls"] / r["seconds"]
    sdk: FarRun = {
        "concurrency": 1,
        "rows": r["calls"],
        "rows_per_second": sdk_rps,
        "ideal": 1 / latency,
        "fraction": sdk_rps / (1 / latency),
    }
    c16 = next(x for x in runs if x["concurrency"] == 16)
    frac16 = c16["fraction"]
    vs_sdk = c16["rows_per_second"] / sdk_rps
    return {
        "latency": latency,
        "rows": rows,
        "slow_rows": slow_rows,
        "add_users": runs,
        "sdk": sdk,
        "c16_fraction": frac16,
        "c16_vs_sdk": vs_sdk,
        "targets": [
            target(
                "bulk c16 at 50 ms, fraction of ideal",
                frac16,
                f"{frac16:.2f}",
                "≥ 0.9",
                frac16 >= 0.9,
            ),
            target(
                "bulk c16 at 50 ms vs SDK loop", vs_sdk, f"{vs_sdk:.1f}x", "≥ 12x", vs_sdk >= 12
            ),
        ],
    }


@measures("4", "bulk when the client is the limit")
def client_bound(b: Bench) -> ClientBound:
    rows = 2000 if b.quick else 10_000
    with sandbox(users=rows) as sb:
        ids = sb["extra_users"]
        path = b.csv_file(ids, "near.csv")
        ours = {
            c: float(b.bulk(sb, path, "--concurrency", str(c))["rows_per_second"])
            for c in (4, 8, 16)
        }
        best = max(ours, key=lambda k: ours[k])
        r = snippet(
            PY,
            "bare_loop",
            users=b.users_file(ids, "near.json"),
            concurrency=best,
            url=sb["base_url"],
            org=sb["org_id"],
            key=sb["admin_key"],
        )
    bare: BareLoops = {"async": r["async"], "threads": r["threads"]}
    ratio = ours[best] / max(bare["async"], bare["threads"])
    return {
        "rows": rows,
        "add_users": [{"concurrency": c, "rows_per_second": v} for c, v in ours.items()],
        "best": best,
        "bare": bare,
        "ours_vs_bare": ratio,
        "targets": [
            target(
                "bulk, client-bound, vs bare httpx loop",
                ratio,
                f"{ratio:.2f}x",
                "≥ 0.8x",
                ratio >= 0.8,
            )
        ],
    }


@measures("5", "bulk under a server rate limit of 20 writes/s")
def rate_limited(b: Bench) -> RateLimited:
    limit, allowed = "20/1", 20.0
    rows = 300 if b.quick else 1000
    runs: list[RateRun] = []
    with sandbox(users=rows * 2, rate_limit=limit) as sb:
        ids = sb["extra_users"]
        plans: list[tuple[str, list[str]]] = [("adaptive", []), ("rate", ["--rate", "19/1"])]
        for i, (name, args) in enumerate(plans):
            if i:
                time.sleep(1.5)  # let the window pass between the runs
            chunk = ids[i * rows : (i + 1) * rows]
            s = b.bulk(sb, b.csv_file(chunk, f"rl{i + 1}.csv"), *args)
            runs.append(
                {
                    "name": name,
                    "args": args,
                    "rows": s["rows"],
                    "ok": s["ok"],
                    "rate_limited": s["rate_limited"],
                    "rows_per_second": s["rows_per_second"],
                    "fraction": s["rows_per_second"] / allowed,
                    "summary": s,
                }
            )
    adaptive, paced = runs
    all_ok = all(r["ok"] == r["rows"] for r in runs)
    frac = adaptive["fraction"]
    return {
        "limit": limit,
        "allowed": allowed,
        "rows": rows,
        "runs": runs,
        "targets": [
            target(
                "adaptive under 20/s, fraction of allowed",
                frac,
                f"{frac:.2f}",
                "≥ 0.9",
                frac >= 0.9 and all_ok,
            ),
            target(
                "--rate 19/1 against 20/s: 429s",
                paced["rate_limited"],
                str(paced["rate_limited"]),
                "0",
                paced["rate_limited"] == 0 and all_ok,
            ),
        ],
    }


@measures("6", "start-up and memory")
def startup(b: Bench) -> Startup:
    n = 5 if b.quick else 10

    def measure(argv: list[str]) -> Command:
        walls: list[float] = []
        rss = 0
        for _ in range(n):
            _, wall, peak = run(argv)
            walls.append(wall)
            rss = max(rss, peak)
        return {"argv": argv, "walls": walls, "wall": stats(walls), "peak_rss_kib": rss}

    commands = {
        "import_arize_orgs": measure([BARE, "-c", "import arize_orgs"]),
        "import_client": measure([BARE, "-c", "from arize_orgs import OrgClient"]),
        "import_arize": measure([OFFICIAL, "-c", "import arize"]),
        "pass": measure([BARE, "-c", "pass"]),
        "help": measure([CLI, "--help"]),
    }
    sdk = commands["import_arize"]["wall"]["median"]
    ratio = commands["import_arize_orgs"]["wall"]["median"] / sdk
    million = b.tmp / "million.csv"
    total = 200_000 if b.quick else 1_000_000
    with million.open("w") as f:
        f.write("user,role\n")
        for i in range(total):
            f.write(base64.b64encode(f"User:{i}".encode()).decode() + ",member\n")
    out, wall, dry_rss = run(
        [
            CLI,
            "add-users",
            "--org",
            "QWNjb3VudE9yZ2FuaXphdGlvbjox",
            str(million),
            "--dry-run",
            "--quiet",
            "--json",
        ],
        env={"ARIZE_API_KEY": "k", "ARIZE_BASE_URL": "http://127.0.0.1:9"},
    )
    dry = last_json(out)
    assert dry["would_send"] == total, dry
    return {
        "repeats": n,
        "commands": commands,
        "dry_run": {"rows": total, "wall": wall, "peak_rss_kib": dry_rss, "summary": dry},
        "import_vs_sdk": ratio,
        "client_vs_sdk": commands["import_client"]["wall"]["median"] / sdk,
        "targets": [
            target("import vs official SDK", ratio, f"{ratio:.3f}x", "< 0.1x", ratio < 0.1),
            target(
                f"dry run of {total:,} rows, peak RSS",
                dry_rss / 1024,
                f"{dry_rss / 1024:.1f} MiB",
                "< 100 MB",
                dry_rss * 1024 < 100e6,
            ),
        ],
    }


# ---- the run ------------------------------------------------------------------------------


@measures("7", "onboarding under Arize's published limit, time scaled tenfold")
def published_limit(b: Bench) -> PublishedLimit:
    allowance, per = 100, 6.0
    limit = f"{allowance}/{per:g}"
    rows = 300 if b.quick else 1000
    users = rows * 2
    runs: list[LimitRun] = []
    ids: list[str] = []
    for retry_after in (True, False):
        with sandbox(users=users, rate_limit=limit, retry_after=retry_after) as sb:
            ids = sb["extra_users"]
            names = [f"user{i}@sandbox.test" if i % 3 == 0 else ids[i] for i in range(rows)]
            path = b.tmp / f"published-{retry_after}.csv"
            path.write_text("user,role\n" + "".join(f"{u},member\n" for u in names))
            s, wall = b.timed_bulk(sb, path)
        writes = s["ok"] + s["failed"]
        bound = math.ceil(max(writes, 1) / allowance) * per
        runs.append(
            {
                "retry_after": retry_after,
                "wall": wall,
                "bound": bound,
                "ratio": wall / bound,
                "writes": writes,
                "rate_limited": s["rate_limited"],
                "failed": s["failed"],
                "lookup_requests": s["lookup_requests"],
                "lookup_method": s["lookup_method"],
                "summary": s,
            }
        )
    sdk: SdkLoop | None = None
    if Path(OFFICIAL).exists():
        with sandbox(users=users, rate_limit=limit) as sb:
            r = snippet(
                OFFICIAL,
                "sdk_limited",
                users=b.users_file(sb["extra_users"][:rows], "sdk-limited.json"),
                port=port_of(sb),
                key=sb["admin_key"],
                org=sb["org_id"],
            )
            sdk = {
                "done": int(r["done"]),
                "rows": int(r["rows"]),
                "seconds": float(r["seconds"]),
                "stopped_by": r["stopped_by"],
            }
    targets = [
        target(
            f"{rows:,} rows under {limit} {'with' if r['retry_after'] else 'without'}"
            " Retry-After, of the bound",
            r["ratio"],
            f"{r['ratio']:.2f}x, {r['failed']} failed",
            "≤ 1.15x, 0 failed",
            r["ratio"] <= 1.15 and r["failed"] == 0 and r["summary"]["ok"] == rows,
        )
        for r in runs
    ]
    targets.append(
        target(
            f"{rows:,} rows, a third emails among {users:,} users: look-up requests",
            max(r["lookup_requests"] for r in runs),
            str(max(r["lookup_requests"] for r in runs)),
            "≤ 30",
            max(r["lookup_requests"] for r in runs) <= 30,
        )
    )
    return {
        "limit": limit,
        "allowance": allowance,
        "per": per,
        "rows": rows,
        "emails": len(range(0, rows, 3)),
        "users": users,
        "runs": runs,
        "sdk": sdk,
        "targets": targets,
    }


@measures("8", "the access ladder: an organization and two spaces per person")
def ladder(b: Bench) -> Ladder:
    allowance, per = 100, 6.0
    limit = f"{allowance}/{per:g}"
    people = 300
    names = ["prod", "staging"]
    runs: list[LadderRun] = []
    for retry_after in (True, False):
        history = b.tmp / f"ladder-history-{retry_after}.jsonl"
        with sandbox(
            users=people,
            rate_limit=limit,
            retry_after=retry_after,
            history=history,
        ) as sb:
            ids = sb["extra_users"]
            path = b.tmp / f"ladder-{retry_after}.csv"
            path.write_text(
                "user,role,space\n"
                + "".join(
                    f"{u},member,\n{u},read-only,prod\n{u},member,staging\n" for u in ids[:people]
                )
            )
            s, wall = b.timed_bulk(sb, path, org=sb["org_name"])
        org_writes, space_writes, out_of_order = ladder_order(history)
        bound = math.ceil(max(space_writes, 1) / allowance) * per
        sum_bound = bound + math.ceil(max(org_writes, 1) / allowance) * per
        runs.append(
            {
                "retry_after": retry_after,
                "wall": wall,
                "bound": bound,
                "sum_bound": sum_bound,
                "ratio": wall / bound,
                "org_writes": org_writes,
                "space_writes": space_writes,
                "out_of_order": out_of_order,
                "rate_limited": s["rate_limited"],
                "failed": s["failed"],
                "name_lookups": s["name_lookups"],
                "summary": s,
            }
        )
    sdk: LadderSdk | None = None
    if Path(OFFICIAL).exists():
        with sandbox(users=people, rate_limit=limit) as sb:
            r = snippet(
                OFFICIAL,
                "sdk_ladder",
                users=b.users_file(sb["extra_users"][:people], "sdk-ladder.json"),
                spaces=b.users_file([sb["spaces"][n] for n in names], "sdk-ladder-spaces.json"),
                port=port_of(sb),
                key=sb["admin_key"],
                org=sb["org_id"],
            )
            sdk = {
                "done": int(r["done"]),
                "writes": int(r["writes"]),
                "seconds": float(r["seconds"]),
                "stopped_by": r["stopped_by"],
            }
    targets = [
        target(
            f"{people} people onto the organization and 2 spaces under {limit}"
            f" {'with' if r['retry_after'] else 'without'} Retry-After, of the busiest"
            " endpoint's bound",
            r["ratio"],
            f"{r['ratio']:.2f}x, {r['failed']} failed, {r['out_of_order']} out of order",
            "≤ 1.15x, 0 failed, 0 out of order",
            r["ratio"] <= 1.15
            and r["failed"] == 0
            and r["out_of_order"] == 0
            and r["summary"]["ok"] == people * 3
            and r["space_writes"] == people * 2,
        )
        for r in runs
    ]
    return {
        "limit": limit,
        "allowance": allowance,
        "per": per,
        "people": people,
        "spaces": names,
        "runs": runs,
        "sdk": sdk,
        "targets": targets,
    }


def ladder_order(history: Path) -> tuple[int, int, int]:
    """(organization writes, space writes, space writes answered before that
    user's organization add) from a sandbox's --history file."""
    org_writes = space_writes = out_of_order = 0
    in_org: set[str] = set()
    for line in history.read_text().splitlines():
        record = json.loads(line)
        if record["status"] != 200 or record["method"] != "POST":
            continue
        if record["endpoint"] == "POST /v2/organizations/{org_id}/users":
            org_writes += 1
            in_org.add(record["user_id"])
        elif record["endpoint"] == "POST /v2/spaces/{space_id}/users":
            space_writes += 1
            out_of_order += record["user_id"] not in in_org
    return org_writes, space_writes, out_of_order


def environment(seconds: float, quick: bool) -> Environment:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "quick": quick,
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "system": platform.system(),
        "release": platform.release(),
        "python": platform.python_version(),
        "sdk_version": snippet(OFFICIAL, "sdk_version")["arize"],
    }


def measure_all(keys: list[str], quick: bool) -> Results:
    """Run these sections, in this order; print each verdict as it comes."""
    bench = Bench(quick)
    sections: dict[str, Section] = {}
    start = time.perf_counter()
    for key in keys:
        title, fn = SECTIONS[key]
        print(f"{key}. {title}", flush=True)
        result = fn(bench)
        sections[key] = result
        for t in result["targets"]:
            mark = "MET " if t["met"] else "MISS"
            print(f"  {mark} {t['name']}: {t['measured']} (target {t['wanted']})", flush=True)
    env = environment(time.perf_counter() - start, quick)
    return {"format": FORMAT, "environment": env, "sections": sections}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run, e.g. 1,6")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--json", type=Path, help="where the results go (default: --out with .json)"
    )
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in SECTIONS]
    if unknown:
        parser.error(f"no section {', '.join(unknown)}; there are {', '.join(SECTIONS)}")
    results = measure_all(keys, args.quick)
    json_path: Path = args.json or args.out.with_suffix(".json")
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {json_path}")
    # From the file, as render.py alone would: the same JSON, the same bytes.
    args.out.write_bytes(render(json.loads(json_path.read_text(encoding="utf-8"))).encode("utf-8"))
    print(f"wrote {args.out}")
