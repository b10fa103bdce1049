"""Section 4: the fastest hand-written bulk loops, bare httpx, no checks.

    python bare_loop.py --users ids.json --concurrency C --url URL --key KEY --org ORG

Adds every user in the JSON list as MEMBER twice over (the endpoint is an
upsert): once with C asyncio workers on one httpx.AsyncClient, once with C
threads on one httpx.Client. Prints {"async": rows/s, "threads": rows/s}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx


def body(u: str) -> dict[str, Any]:
    return {"user_id": u, "role": {"type": "PREDEFINED", "name": "MEMBER"}}


async def run_async(users: list[str], url: str, head: dict[str, str], c: int) -> float:
    queue = list(users)
    async with httpx.AsyncClient(headers=head, limits=httpx.Limits(max_connections=c)) as client:

        async def worker() -> None:
            while queue:
                r = await client.post(url, json=body(queue.pop()))
                assert r.status_code == 200, r.text

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(c)))
        return time.perf_counter() - start


def run_threads(users: list[str], url: str, head: dict[str, str], c: int) -> float:
    queue = list(users)
    lock = threading.Lock()
    with httpx.Client(headers=head, limits=httpx.Limits(max_connections=c)) as client:

        def worker() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    u = queue.pop()
                r = client.post(url, json=body(u))
                assert r.status_code == 200, r.text

        threads = [threading.Thread(target=worker) for _ in range(c)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of user ids")
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--url", required=True, help="the sandbox's base URL")
    parser.add_argument("--key", required=True, help="an admin API key")
    parser.add_argument("--org", required=True, help="the organization id")
    args = parser.parse_args()
    users: list[str] = json.loads(args.users.read_text())
    url = args.url + "/v2/organizations/" + args.org + "/users"
    head = {"Authorization": "Bearer " + args.key}
    c: int = args.concurrency
    rates = {
        "async": len(users) / asyncio.run(run_async(users, url, head, c)),
        "threads": len(users) / run_threads(users, url, head, c),
    }
    print(json.dumps(rates))


if __name__ == "__main__":
    main()
