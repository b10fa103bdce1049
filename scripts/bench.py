"""The benchmarks behind docs/benchmarks.md. Run through `scripts/bench`, which
prepares the three environments this needs:

    .venv            the project (dev extra): our client, the sandbox, bare httpx
    .venv-bare       the project's wheel with its runtime dependencies only (import cost)
    .venv-official   Arize's official SDK (`arize`), never mixed with ours

Every comparison is measured side by side in this one run, alternating where
the issue asks for it, and reported as medians with ranges. Servers are
sandboxes in their own processes on 127.0.0.1, speaking the API's live
upper-case spelling (the default) that both the official SDK and ours speak.

    python scripts/bench.py [--quick] [--only 1,2,...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

PY = str(ROOT / ".venv" / "bin" / "python")
BARE = str(ROOT / ".venv-bare" / "bin" / "python")
OFFICIAL = str(ROOT / ".venv-official" / "bin" / "python")
CLI = str(ROOT / ".venv" / "bin" / "arize-orgs")


# ---- helpers ------------------------------------------------------------------------------


def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = 900,
) -> tuple[str, float, int]:
    """Run a process; return its stdout, wall seconds and peak RSS (KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    if stdin:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[:3]} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return out.decode(), wall, usage.ru_maxrss


def py(python: str, code: str, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a snippet that prints one JSON object last; return it."""
    out, _, _ = run([python, "-c", textwrap.dedent(code)], env=env)
    return json.loads(out.strip().splitlines()[-1])


def fill(template: str, **values: object) -> str:
    """A snippet with each $name replaced by repr(value)."""
    return Template(template).substitute({k: repr(v) for k, v in values.items()})


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt(s: dict[str, float], unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    return (
        f"{s['median'] * scale:.{digits}f}{unit} "
        f"({s['min'] * scale:.{digits}f} to {s['max'] * scale:.{digits}f})"
    )


@contextmanager
def sandbox(
    *, users: int = 0, latency: float = 0.0, rate_limit: str | None = None
) -> Iterator[dict[str, Any]]:
    argv = [
        CLI,
        "sandbox",
        "--users",
        str(users),
        "--latency",
        str(latency),
        "--json",
    ]
    if rate_limit:
        argv += ["--rate-limit", rate_limit]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        details = json.loads(proc.stdout.readline())
        yield details
    finally:
        proc.terminate()
        proc.wait(10)


# ---- the scenarios -------------------------------------------------------------------------

CLIENT_COST = """
import json, statistics, time, httpx
from arize_orgs import OrgClient, Role
from arize_orgs_api.client import Client
from arize_orgs_api.api.organizations import add_organization_user
from arize_orgs_api.models import (AddOrganizationUserRequest, OrganizationPredefinedRoleAssignment,
    OrganizationPredefinedRoleAssignmentType, OrganizationRole)
ORG, USER = "QWNjb3VudE9yZ2FuaXphdGlvbjox", "VXNlcjoxMjM0NQ=="
ANSWER = json.dumps({"id": "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox", "user_id": USER,
                     "organization_id": ORG, "role": {"type": "predefined", "name": "member"}}).encode()
def handler(request):
    return httpx.Response(200, content=ANSWER, headers={"content-type": "application/json"})
N, REPEATS = $calls, 5
ours = OrgClient("k", transport=httpx.MockTransport(handler), max_retries=2)
gen = Client(base_url="https://api.arize.com")
gen.set_httpx_client(httpx.Client(base_url="https://api.arize.com",
    transport=httpx.MockTransport(handler), headers={"Authorization": "Bearer k"}))
bare = httpx.Client(base_url="https://api.arize.com", transport=httpx.MockTransport(handler),
                    headers={"Authorization": "Bearer k"})
BODY = {"user_id": USER, "role": {"type": "predefined", "name": "member"}}
def facade():
    for _ in range(N):
        ours.add_user(ORG, USER, Role.MEMBER)
def generated():
    for _ in range(N):
        body = AddOrganizationUserRequest(user_id=USER, role=OrganizationPredefinedRoleAssignment(
            type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED, name=OrganizationRole.MEMBER))
        add_organization_user.sync_detailed(ORG, client=gen, body=body)
def bare_httpx():
    for _ in range(N):
        bare.post(f"/v2/organizations/{ORG}/users", json=BODY).json()
out = {"facade": [], "generated": [], "bare": []}
for _ in range(REPEATS):  # interleaved, so that drift hits all three alike
    for name, fn in (("facade", facade), ("generated", generated), ("bare", bare_httpx)):
        start = time.perf_counter(); fn(); out[name].append((time.perf_counter() - start) / N)
print(json.dumps(out))
"""

OURS_SEQUENTIAL = """
import json, time
from arize_orgs import OrgClient, Role
users = json.load(open($users))
with OrgClient($key, base_url=$url) as c:
    c.add_user($org, users[0], Role.MEMBER)  # warm: connection, imports
    start = time.perf_counter()
    for u in users:
        c.add_user($org, u, Role.READ_ONLY)
    print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))
"""

BARE_SEQUENTIAL = """
import json, time, httpx
users = json.load(open($users))
with httpx.Client(base_url=$url, headers={"Authorization": "Bearer " + $key}) as c:
    path = "/v2/organizations/" + $org + "/users"
    c.post(path, json={"user_id": users[0], "role": {"type": "PREDEFINED", "name": "MEMBER"}})
    start = time.perf_counter()
    for u in users:
        r = c.post(path, json={"user_id": u, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}})
        r.raise_for_status()
        r.json()
    print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))
"""

SDK_SEQUENTIAL = """
import json, logging, time
logging.disable(logging.WARNING)  # the SDK logs a BETA warning per call
from arize import ArizeClient
from arize.organizations.types import PredefinedOrgRole
users = json.load(open($users))
c = ArizeClient(api_key=$key, api_host="127.0.0.1", api_scheme="http", api_port=$port)
c.organizations.add_user(organization=$org, user_id=users[0], role=PredefinedOrgRole(name="MEMBER"))
start = time.perf_counter()
for u in users:
    c.organizations.add_user(organization=$org, user_id=u, role=PredefinedOrgRole(name="READ_ONLY"))
print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))
"""

BARE_LOOP = """
import asyncio, json, threading, time, httpx
users = json.load(open($users))
C = $concurrency
URL = $url + "/v2/organizations/" + $org + "/users"
HEAD = {"Authorization": "Bearer " + $key}
def body(u): return {"user_id": u, "role": {"type": "PREDEFINED", "name": "MEMBER"}}
async def run_async():
    queue = list(users)
    async with httpx.AsyncClient(headers=HEAD, limits=httpx.Limits(max_connections=C)) as c:
        async def worker():
            while queue:
                r = await c.post(URL, json=body(queue.pop()))
                assert r.status_code == 200, r.text
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(C)))
        return time.perf_counter() - start
def run_threads():
    queue = list(users); lock = threading.Lock()
    with httpx.Client(headers=HEAD, limits=httpx.Limits(max_connections=C)) as c:
        def worker():
            while True:
                with lock:
                    if not queue: return
                    u = queue.pop()
                r = c.post(URL, json=body(u)); assert r.status_code == 200, r.text
        threads = [threading.Thread(target=worker) for _ in range(C)]
        start = time.perf_counter()
        for t in threads: t.start()
        for t in threads: t.join()
        return time.perf_counter() - start
print(json.dumps({"async": len(users) / asyncio.run(run_async()),
                   "threads": len(users) / run_threads()}))
"""


class Bench:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.tmp = Path(tempfile.mkdtemp(prefix="arize-orgs-bench-"))
        self.live_env: dict[str, str] = {}
        self.sections: list[str] = []
        self.notes: dict[str, Any] = {}
        self.verdicts: list[tuple[str, str, str, bool]] = []

    def target(self, name: str, measured: str, target: str, met: bool) -> None:
        self.verdicts.append((name, measured, target, met))
        print(f"  {'MET ' if met else 'MISS'} {name}: {measured} (target {target})", flush=True)

    def users_file(self, ids: list[str], name: str) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(ids))
        return str(path)

    def csv_file(self, ids: list[str], name: str, role: str = "member") -> str:
        path = self.tmp / name
        path.write_text("user,role\n" + "".join(f"{u},{role}\n" for u in ids))
        return str(path)

    def bulk(self, details: dict[str, Any], path: str, *extra: str) -> dict[str, Any]:
        out, _, _ = run(
            [CLI, "add-users", "--org", details["org_id"], path, "--quiet", "--json", *extra],
            env={
                **self.live_env,
                "ARIZE_API_KEY": details["admin_key"],
                "ARIZE_BASE_URL": details["base_url"],
            },
        )
        return json.loads(out.strip().splitlines()[-1])

    # 1 ---------------------------------------------------------------------------------
    def client_cost(self) -> None:
        print("1. client cost per call (httpx.MockTransport, no network)", flush=True)
        calls = 2000 if self.quick else 20_000
        r = py(PY, fill(CLIENT_COST, calls=calls))
        s = {k: stats(v) for k, v in r.items()}
        ratio = s["facade"]["median"] / s["generated"]["median"]
        self.sections.append(
            textwrap.dedent(f"""\
            ## 1. Client cost per call

            No network: `httpx.MockTransport` answers a fixed membership. {calls:,} calls per
            variant, 5 rounds interleaved, median per-call time (range over rounds).

            | variant | µs per call |
            |---|---|
            | `OrgClient.add_user` (facade: id and role checks, typed result) | {fmt(s["facade"], scale=1e6, digits=1)} |
            | generated `add_organization_user.sync_detailed` (with building its body) | {fmt(s["generated"], scale=1e6, digits=1)} |
            | bare `httpx.Client.post` of the same JSON, `.json()` | {fmt(s["bare"], scale=1e6, digits=1)} |

            Facade / generated: **{ratio:.3f}x** (target ≤ 1.15x).
            """)
        )
        self.target(
            "facade vs generated client, per call", f"{ratio:.3f}x", "≤ 1.15x", ratio <= 1.15
        )

    # 2 ---------------------------------------------------------------------------------
    def sequential(self) -> None:
        print("2. sequential calls on loopback vs the official SDK", flush=True)
        rounds, per_round = (2, 100) if self.quick else (7, 300)
        with sandbox(users=per_round * rounds * 3 + 1) as sb:
            ids = sb["extra_users"]
            port = int(sb["base_url"].rsplit(":", 1)[1])
            ours: list[float] = []
            sdk: list[float] = []
            bare: list[float] = []
            for i in range(rounds):  # alternating, each on fresh users
                for name, times, python, snippet, env in (
                    ("ours", ours, PY, OURS_SEQUENTIAL, self.live_env),
                    ("sdk", sdk, OFFICIAL, SDK_SEQUENTIAL, None),
                    ("bare", bare, PY, BARE_SEQUENTIAL, None),
                ):
                    start = 3 * i + ("ours", "sdk", "bare").index(name)
                    chunk = ids[start * per_round : (start + 1) * per_round]
                    args = {
                        "users": self.users_file(chunk, f"seq-{name}-{i}.json"),
                        "key": sb["admin_key"],
                        "url": sb["base_url"],
                        "org": sb["org_id"],
                        "port": port,
                    }
                    r = py(python, fill(snippet, **args), env=env)
                    times.append(r["seconds"] / r["calls"])
        o, a, b = stats(ours), stats(sdk), stats(bare)
        ratio = o["median"] / a["median"]
        self.notes["sequential"] = (o, a, b)
        self.sections.append(
            textwrap.dedent(f"""\
            ## 2. Sequential calls on loopback, against Arize's official SDK

            The sandbox runs in its own process and speaks the API's live upper-case spelling
            (its default). {rounds} alternating rounds of {per_round} calls each, on fresh
            users; each side warmed by one call first. Median time per call (range over rounds).

            | client | ms per call |
            |---|---|
            | `OrgClient.add_user` | {fmt(o, scale=1e3)} |
            | `arize` {self.sdk_version} `client.organizations.add_user` | {fmt(a, scale=1e3)} |
            | reference: bare `httpx.Client.post` of the same JSON | {fmt(b, scale=1e3)} |

            Ours / SDK: **{ratio:.3f}x** (target ≤ 1.0x). Ours / bare httpx:
            {o["median"] / b["median"]:.3f}x; bare httpx / SDK: {b["median"] / a["median"]:.3f}x.
            The SDK sends with urllib3; we send with httpx (the project's choice of HTTP
            library, for its sync and async clients sharing one API). Where ours is slower than
            the SDK, the bare-httpx row shows how much of that is httpx itself.
            """)
        )
        self.target("sequential add_user vs official SDK", f"{ratio:.3f}x", "≤ 1.0x", ratio <= 1.0)

    # 3 ---------------------------------------------------------------------------------
    def far_away(self) -> None:
        print("3. bulk with 50 ms server latency", flush=True)
        rows = 400 if self.quick else 2000
        slow_rows = 100 if self.quick else 200  # concurrency 1 and the SDK loop: 20 rows/s at best
        results: dict[str, float] = {}
        with sandbox(users=rows, latency=0.05) as sb:
            ids = sb["extra_users"]
            for c in (1, 4, 16, 64):
                n = slow_rows if c == 1 else rows
                summary = self.bulk(
                    sb, self.csv_file(ids[:n], f"far{c}.csv"), "--concurrency", str(c)
                )
                assert summary["ok"] == n, summary
                results[f"c{c}"] = summary["rows_per_second"]
            port = int(sb["base_url"].rsplit(":", 1)[1])
            r = py(
                OFFICIAL,
                fill(
                    SDK_SEQUENTIAL,
                    users=self.users_file(ids[:slow_rows], "far-sdk.json"),
                    key=sb["admin_key"],
                    org=sb["org_id"],
                    port=port,
                ),
            )
            results["sdk"] = r["calls"] / r["seconds"]
        lines = []
        for c in (1, 4, 16, 64):
            ideal = c / 0.05
            lines.append(
                f"| `add-users --concurrency {c}` | {results[f'c{c}']:.1f} | {ideal:.0f} | "
                f"{results[f'c{c}'] / ideal:.2f} |"
            )
        lines.append(
            f"| `arize` SDK, sequential loop | {results['sdk']:.1f} | 20 | "
            f"{results['sdk'] / 20:.2f} |"
        )
        frac16 = results["c16"] / 320
        self.notes["far"] = results
        vs_sdk = results["c16"] / results["sdk"]
        self.sections.append(
            textwrap.dedent(f"""\
            ## 3. Bulk against a far-away server

            Sandbox latency 50 ms per answer. {rows} rows through `arize-orgs add-users` at each
            concurrency ({slow_rows} at concurrency 1, and for the SDK loop, which cannot beat
            20 rows/s). Rows per second from the run's own summary (planning included).
            Ideal = concurrency / 0.05 s.

            | run | rows/s | ideal | fraction of ideal |
            |---|---|---|---|
            """)
            + "\n".join(lines)
            + textwrap.dedent(f"""

            At concurrency 16: **{frac16:.2f}** of ideal (target ≥ 0.9) and **{vs_sdk:.1f}x** the
            SDK loop (target ≥ 12x).
            """)
        )
        self.target("bulk c16 at 50 ms, fraction of ideal", f"{frac16:.2f}", "≥ 0.9", frac16 >= 0.9)
        self.target("bulk c16 at 50 ms vs SDK loop", f"{vs_sdk:.1f}x", "≥ 12x", vs_sdk >= 12)

    # 4 ---------------------------------------------------------------------------------
    def client_bound(self) -> None:
        print("4. bulk when the client is the limit", flush=True)
        rows = 2000 if self.quick else 10_000
        with sandbox(users=rows) as sb:
            ids = sb["extra_users"]
            path = self.csv_file(ids, "near.csv")
            ours = {}
            for c in (4, 8, 16):
                ours[c] = self.bulk(sb, path, "--concurrency", str(c))["rows_per_second"]
            best = max(ours, key=lambda k: ours[k])
            bare = py(
                PY,
                fill(
                    BARE_LOOP,
                    users=self.users_file(ids, "near.json"),
                    concurrency=best,
                    url=sb["base_url"],
                    org=sb["org_id"],
                    key=sb["admin_key"],
                ),
            )
        bare_best = max(bare.values())
        ratio = ours[best] / bare_best
        self.notes["client_bound"] = {"ours": ours, "best": best, "bare": bare}
        self.sections.append(
            textwrap.dedent(f"""\
            ## 4. Bulk when the client is the limit

            No latency; {rows:,} rows. `add-users` at concurrency 4, 8 and 16:
            {", ".join(f"{c}: {v:.0f} rows/s" for c, v in ours.items())}. The best, {best},
            against a hand-written bare-httpx loop at the same concurrency: async
            {bare["async"]:.0f} rows/s, threads {bare["threads"]:.0f} rows/s.

            Ours / best bare loop: **{ratio:.2f}x** (target ≥ 0.8x). Ours also reads the file
            twice, plans, and writes nothing unchecked; the bare loop only posts.
            """)
        )
        self.target(
            "bulk, client-bound, vs bare httpx loop", f"{ratio:.2f}x", "≥ 0.8x", ratio >= 0.8
        )

    # 5 ---------------------------------------------------------------------------------
    def rate_limited(self) -> None:
        print("5. bulk under a server rate limit of 20 writes/s", flush=True)
        rows = 300 if self.quick else 1000
        runs = {}
        with sandbox(users=rows * 2, rate_limit="20/1") as sb:
            ids = sb["extra_users"]
            runs["adaptive"] = self.bulk(sb, self.csv_file(ids[:rows], "rl1.csv"))
            time.sleep(1.5)  # let the bucket refill between the runs
            runs["rate"] = self.bulk(sb, self.csv_file(ids[rows:], "rl2.csv"), "--rate", "20")
        lines = []
        for name, label in (("adaptive", "no `--rate` (adaptive)"), ("rate", "`--rate 20`")):
            s = runs[name]
            lines.append(
                f"| {label} | {s['rows_per_second']:.1f} | "
                f"{s['rows_per_second'] / 20:.2f} | {s['ok']}/{s['rows']} | "
                f"{s['rate_limited']} |"
            )
        frac = runs["adaptive"]["rows_per_second"] / 20
        self.sections.append(
            textwrap.dedent(f"""\
            ## 5. Under a server rate limit

            Sandbox `--rate-limit 20/1` (Arize's model at a one-second scale: 20 requests per
            endpoint in each fixed one-second window; 429 with Retry-After beyond). {rows} rows
            per run.

            | run | rows/s | of the allowed 20/s | ok | 429s seen |
            |---|---|---|---|---|
            """)
            + "\n".join(lines)
            + "\n"
        )
        all_ok = all(s["ok"] == s["rows"] for s in runs.values())
        self.target(
            "adaptive under 20/s, fraction of allowed",
            f"{frac:.2f}",
            "≥ 0.9",
            frac >= 0.9 and all_ok,
        )
        self.target(
            "--rate 20 against 20/s: 429s",
            str(runs["rate"]["rate_limited"]),
            "0",
            runs["rate"]["rate_limited"] == 0 and all_ok,
        )

    # 6 ---------------------------------------------------------------------------------
    def startup(self) -> None:
        print("6. start-up and memory", flush=True)
        n = 5 if self.quick else 10

        def measure(
            argv: list[str], env: dict[str, str] | None = None
        ) -> tuple[dict[str, float], int]:
            walls, rss = [], 0
            for _ in range(n):
                _, wall, peak = run(argv, env=env)
                walls.append(wall)
                rss = max(rss, peak)
            return stats(walls), rss

        ours, ours_rss = measure([BARE, "-c", "import arize_orgs"])
        client, client_rss = measure([BARE, "-c", "from arize_orgs import OrgClient"])
        sdk, sdk_rss = measure([OFFICIAL, "-c", "import arize"])
        empty, _ = measure([BARE, "-c", "pass"])
        helptime, _ = measure([CLI, "--help"])
        ratio = ours["median"] / sdk["median"]
        million = self.tmp / "million.csv"
        total = 200_000 if self.quick else 1_000_000
        with million.open("w") as f:
            import base64

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
        dry = json.loads(out.strip().splitlines()[-1])
        assert dry["would_send"] == total, dry
        self.sections.append(
            textwrap.dedent(f"""\
            ## 6. Start-up and memory

            Whole-process wall time, median of {n} (range); peak RSS of the process. Ours in
            `.venv-bare` (the wheel and its runtime dependencies only), the SDK in
            `.venv-official`.

            | command | wall | peak RSS |
            |---|---|---|
            | `python -c "pass"` (the interpreter alone) | {fmt(empty, " s", digits=3)} | |
            | `python -c "import arize_orgs"` | {fmt(ours, " s", digits=3)} | {ours_rss / 1024:.1f} MiB |
            | `python -c "from arize_orgs import OrgClient"` (loads httpx) | {fmt(client, " s", digits=3)} | {client_rss / 1024:.1f} MiB |
            | `python -c "import arize"` | {fmt(sdk, " s", digits=3)} | {sdk_rss / 1024:.1f} MiB |
            | `arize-orgs --help` | {fmt(helptime, " s", digits=3)} | |
            | `arize-orgs add-users --dry-run` over {total:,} rows | {wall:.1f} s | {dry_rss / 1024:.1f} MiB |

            `import arize_orgs` / `import arize`: **{ratio:.3f}x** (target < 0.1x); with the
            client loaded, {client["median"] / sdk["median"]:.3f}x. Dry run of {total:,} rows:
            **{dry_rss / 1024:.1f} MiB** peak (target < 100 MB).
            """)
        )
        self.target("import vs official SDK", f"{ratio:.3f}x", "< 0.1x", ratio < 0.1)
        self.target(
            f"dry run of {total:,} rows, peak RSS",
            f"{dry_rss / 1024:.1f} MiB",
            "< 100 MB",
            dry_rss * 1024 < 100e6,
        )

    # ---- the document ----

    @property
    def sdk_version(self) -> str:
        out, _, _ = run(
            [OFFICIAL, "-c", "import importlib.metadata as m; print(m.version('arize'))"]
        )
        return out.strip()

    def findings(self) -> str:
        lines = [
            "## What limits each result, and what was changed because of a measurement",
            "",
            "- **`sniffio`** is a dependency because httpcore, without it, retries a failing"
            " `import sniffio` on every async request; it cost a third of the bulk engine's CPU"
            " before it was added.",
            "- **Retries cost nothing on success**: the first attempt runs outside stamina, which"
            " is imported only after a failure. Section 1 is the happy path.",
            "- **`import arize_orgs`** loads neither httpx nor stamina (the clients load on first"
            " use); its cost is mostly attrs.",
            "- **1M-row dry run**: per-user state lives in a temporary SQLite file, so memory"
            " stays flat; time is the file read twice and a lookup per row.",
        ]
        seq = self.notes.get("sequential")
        if seq:
            o, a, b = (x["median"] * 1e3 for x in seq)
            lines.insert(
                2,
                (
                    f"- **Sequential calls (section 2).** Ours {o:.2f} ms, bare httpx {b:.2f} ms, the"
                    f" SDK {a:.2f} ms per call: the facade's checks and typed result cost"
                    f" {'nothing measurable' if o <= b * 1.03 else f'{(o / b - 1) * 100:.0f}%'} over a"
                    " bare `httpx.Client.post`; sending through a pre-built absolute URL keeps it"
                    " there (httpx otherwise merges and re-parses the path on every call). The SDK sends"
                    " with urllib3, we with httpx; on this shared two-core machine the ratio between"
                    " them moves from run to run by more than the gap, as the ranges show. Tried and"
                    " dropped: an httpx transport over urllib3, which measured no better (most of"
                    " httpx's cost is in its client layer, not its transport)."
                ),
            )
        far = self.notes.get("far")
        if far:
            lines.append(
                f"- **Concurrency 64 at 50 ms** reaches {far['c64']:.0f} rows/s, not 1280: the"
                " client's CPU per request (two cores, shared with the server) is the limit"
                " there, as section 4 shows without latency."
            )
        cb = self.notes.get("client_bound")
        if cb:
            served = max(cb["bare"].values())
            lines.append(
                f"- **The sandbox is not the limit**: it served the bare loop at {served:.0f}"
                " rows/s, faster than any run of ours against it."
            )
            lines.append(
                "- **Async or threads** (issue: choose by measuring). Bare loops at concurrency"
                f" {cb['best']}: async {cb['bare']['async']:.0f} rows/s, threads"
                f" {cb['bare']['threads']:.0f} rows/s when the client is the limit. The engine is"
                " asyncio all the same: under latency (section 3) throughput scales with"
                " concurrency on one thread, and the shared 429 back-off and pacing need no locks."
                " Without latency, the best concurrency is small (section 4): more workers only"
                " add scheduling on a CPU-bound client."
            )
        return "\n".join(lines) + "\n"

    def write(self, path: Path, seconds: float) -> None:
        cpu = "unknown"
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        rows = "\n".join(
            f"| {n} | {m} | {t} | {'met' if ok else '**missed**'} |"
            for n, m, t, ok in self.verdicts
        )
        head = textwrap.dedent(f"""\
            # Benchmarks

            Written by `scripts/bench`{" --quick" if self.quick else ""} on
            {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}, in {seconds:.0f} s. Every number
            below comes from this one run; comparisons were measured side by side.

            Machine: {os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python
            {platform.python_version()}. Servers: `arize-orgs sandbox` (uvicorn + starlette) in its
            own process on 127.0.0.1. The official SDK: `arize` {self.sdk_version}.

            Re-run: `scripts/bench` (everything), `scripts/bench --only 2,5` (some sections).

            ## Targets

            | target | measured | wanted | |
            |---|---|---|---|
            """)
        body = head + rows + "\n\n" + "\n".join(self.sections) + "\n" + self.findings()
        path.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument("--only", default="1,2,3,4,5,6", help="sections to run, e.g. 1,6")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    bench = Bench(args.quick)
    steps = {
        "1": bench.client_cost,
        "2": bench.sequential,
        "3": bench.far_away,
        "4": bench.client_bound,
        "5": bench.rate_limited,
        "6": bench.startup,
    }
    start = time.perf_counter()
    for key in args.only.split(","):
        steps[key.strip()]()
    bench.write(args.out, time.perf_counter() - start)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
