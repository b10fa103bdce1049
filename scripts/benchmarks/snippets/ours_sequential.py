"""Section 2: sequential `OrgClient.add_user` calls against a sandbox.

    python ours_sequential.py --users ids.json --url URL --key KEY --org ORG

Warms with one call (connection, imports), then adds every user in the JSON
list as READ_ONLY. Prints {"seconds": s, "calls": n}.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from arize_orgs import OrgClient, Role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of user ids")
    parser.add_argument("--url", required=True, help="the sandbox's base URL")
    parser.add_argument("--key", required=True, help="an admin API key")
    parser.add_argument("--org", required=True, help="the organization id")
    args = parser.parse_args()
    users: list[str] = json.loads(args.users.read_text())
    org: str = args.org
    with OrgClient(args.key, base_url=args.url) as c:
        c.add_user(org, users[0], Role.MEMBER)  # warm: connection, imports
        start = time.perf_counter()
        for u in users:
            c.add_user(org, u, Role.READ_ONLY)
        print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))


if __name__ == "__main__":
    main()
