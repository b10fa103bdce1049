"""Section 2, reference: the same sequential calls as bare `httpx.Client.post`.

    python bare_sequential.py --users ids.json --url URL --key KEY --org ORG

Warms with one call, then posts every user in the JSON list as READ_ONLY and
reads each answer's JSON. Prints {"seconds": s, "calls": n}.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import httpx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of user ids")
    parser.add_argument("--url", required=True, help="the sandbox's base URL")
    parser.add_argument("--key", required=True, help="an admin API key")
    parser.add_argument("--org", required=True, help="the organization id")
    args = parser.parse_args()
    users: list[str] = json.loads(args.users.read_text())
    with httpx.Client(base_url=args.url, headers={"Authorization": "Bearer " + args.key}) as c:
        path = "/v2/organizations/" + args.org + "/users"
        c.post(path, json={"user_id": users[0], "role": {"type": "PREDEFINED", "name": "MEMBER"}})
        start = time.perf_counter()
        for u in users:
            r = c.post(
                path, json={"user_id": u, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}
            )
            r.raise_for_status()
            r.json()
        print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))


if __name__ == "__main__":
    main()
