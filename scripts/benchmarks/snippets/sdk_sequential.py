"""Sections 2 and 3: sequential `add_user` calls through Arize's official SDK,
run by .venv-official's interpreter against a sandbox on 127.0.0.1.

    python sdk_sequential.py --users ids.json --port PORT --key KEY --org ORG

Warms with one call, then adds every user in the JSON list as READ_ONLY.
Prints {"seconds": s, "calls": n}.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

logging.disable(logging.WARNING)  # the SDK logs a BETA warning per call

from arize import ArizeClient  # noqa: E402
from arize.organizations.types import PredefinedOrgRole  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of user ids")
    parser.add_argument("--port", type=int, required=True, help="the sandbox's port on 127.0.0.1")
    parser.add_argument("--key", required=True, help="an admin API key")
    parser.add_argument("--org", required=True, help="the organization id")
    args = parser.parse_args()
    users: list[str] = json.loads(args.users.read_text())
    org: str = args.org
    c = ArizeClient(api_key=args.key, api_host="127.0.0.1", api_scheme="http", api_port=args.port)
    c.organizations.add_user(
        organization=org, user_id=users[0], role=PredefinedOrgRole(name="MEMBER")
    )
    start = time.perf_counter()
    for u in users:
        c.organizations.add_user(
            organization=org, user_id=u, role=PredefinedOrgRole(name="READ_ONLY")
        )
    print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(users)}))


if __name__ == "__main__":
    main()
