"""Section 8: a loop over Arize's official SDK putting the same people onto
the ladder (the organization, then two spaces each), run by
.venv-official's interpreter against a sandbox on 127.0.0.1 under Arize's
published limit. The SDK retries neither 429 nor 5xx and paces nothing, so a
plain loop stops at its first refusal; this one does, and says how far it
got (writes made, of how many).

    python sdk_ladder.py --users ids.json --spaces spaces.json --port PORT --key KEY --org ORG

Prints {"done": writes, "writes": total, "seconds": s, "stopped_by": "<status or class>"}.
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
from arize.spaces.types import PredefinedSpaceRole  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of user ids")
    parser.add_argument("--spaces", type=Path, required=True, help="a JSON list of space ids")
    parser.add_argument("--port", type=int, required=True, help="the sandbox's port on 127.0.0.1")
    parser.add_argument("--key", required=True, help="an admin API key")
    parser.add_argument("--org", required=True, help="the organization id")
    args = parser.parse_args()
    users: list[str] = json.loads(args.users.read_text())
    spaces: list[str] = json.loads(args.spaces.read_text())
    c = ArizeClient(api_key=args.key, api_host="127.0.0.1", api_scheme="http", api_port=args.port)
    done, stopped_by = 0, None
    start = time.perf_counter()
    try:
        for u in users:
            c.organizations.add_user(
                organization=args.org, user_id=u, role=PredefinedOrgRole(name="MEMBER")
            )
            done += 1
            for space in spaces:
                c.spaces.add_user(
                    space=space, user_id=u, role=PredefinedSpaceRole(name="READ_ONLY")
                )
                done += 1
    except Exception as exc:  # the SDK raises one generic ApiException subclass
        stopped_by = str(getattr(exc, "status", None) or type(exc).__name__)
    seconds = time.perf_counter() - start
    total = len(users) * (1 + len(spaces))
    print(json.dumps({"done": done, "writes": total, "seconds": seconds, "stopped_by": stopped_by}))


if __name__ == "__main__":
    main()
