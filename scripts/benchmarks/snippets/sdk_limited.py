"""Section 7: a loop over Arize's official SDK onboarding the same rows under
Arize's published limit, run by .venv-official's interpreter against a
sandbox on 127.0.0.1. The SDK retries neither 429 nor 5xx, so a plain loop
stops at its first refusal; this one does, and says how far it got.

    python sdk_limited.py --users ids.json --port PORT --key KEY --org ORG

Prints {"done": n, "rows": total, "seconds": s, "stopped_by": "<status or class>"}.
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
    c = ArizeClient(api_key=args.key, api_host="127.0.0.1", api_scheme="http", api_port=args.port)
    done, stopped_by = 0, None
    start = time.perf_counter()
    for u in users:
        try:
            c.organizations.add_user(
                organization=args.org, user_id=u, role=PredefinedOrgRole(name="MEMBER")
            )
        except Exception as exc:  # the SDK raises one generic ApiException subclass
            stopped_by = str(getattr(exc, "status", None) or type(exc).__name__)
            break
        done += 1
    seconds = time.perf_counter() - start
    print(
        json.dumps({"done": done, "rows": len(users), "seconds": seconds, "stopped_by": stopped_by})
    )


if __name__ == "__main__":
    main()
