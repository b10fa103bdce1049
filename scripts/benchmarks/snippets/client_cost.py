"""Section 1: per-call cost of our facade, the generated client and bare httpx,
with httpx.MockTransport answering a fixed membership (no network).

    python client_cost.py --calls 20000 [--rounds 5]

Prints {"facade": [s, ...], "generated": [...], "bare": [...]}: seconds per
call, one value per round; rounds interleave the three variants so that
drift hits them alike.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import httpx

from arize_orgs import OrgClient, Role
from arize_orgs_api.api.organizations import add_organization_user
from arize_orgs_api.client import Client
from arize_orgs_api.models import (
    AddOrganizationUserRequest,
    OrganizationPredefinedRoleAssignment,
    OrganizationPredefinedRoleAssignmentType,
    OrganizationRole,
)

ORG, USER = "QWNjb3VudE9yZ2FuaXphdGlvbjox", "VXNlcjoxMjM0NQ=="
BASE_URL = "https://api.arize.com"
HEADERS = {"Authorization": "Bearer k"}
# The API's live spelling, which the facade parses on its fast path.
ROLE = {"type": "PREDEFINED", "name": "MEMBER"}
ANSWER = json.dumps(
    {
        "id": "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox",
        "user_id": USER,
        "organization_id": ORG,
        "role": ROLE,
    }
).encode()
BODY = {"user_id": USER, "role": ROLE}


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=ANSWER, headers={"content-type": "application/json"})


def variants(calls: int) -> dict[str, Callable[[], None]]:
    ours = OrgClient("k", transport=httpx.MockTransport(handler), max_retries=2)
    gen = Client(base_url=BASE_URL)
    gen.set_httpx_client(
        httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(handler), headers=HEADERS)
    )
    bare = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(handler), headers=HEADERS)

    def facade() -> None:
        for _ in range(calls):
            ours.add_user(ORG, USER, Role.MEMBER)

    def generated() -> None:
        for _ in range(calls):
            body = AddOrganizationUserRequest(
                user_id=USER,
                role=OrganizationPredefinedRoleAssignment(
                    type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED,
                    name=OrganizationRole.MEMBER,
                ),
            )
            add_organization_user.sync_detailed(ORG, client=gen, body=body)

    def bare_httpx() -> None:
        for _ in range(calls):
            bare.post(f"/v2/organizations/{ORG}/users", json=BODY).json()

    return {"facade": facade, "generated": generated, "bare": bare_httpx}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, required=True, help="calls per variant and round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    fns = variants(args.calls)
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(args.rounds):  # interleaved, so that drift hits all three alike
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - start) / args.calls)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
