"""The spec-change test: the seed page's lower-case spelling regenerates into
a client with the same module and class names as ours, so code written
against ours runs against it unchanged, and it speaks the seed's spelling on
the wire, to a sandbox that serves that spelling."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from conftest import ROOT, run_python

OURS = ROOT / "generated" / "arize_orgs_api"


def public_names(package: Path) -> dict[str, set[str]]:
    """module path -> the classes and functions it defines at top level."""
    names: dict[str, set[str]] = {}
    for file in sorted(package.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names[str(file.relative_to(package))] = {
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        }
    return names


def test_seed_variant_has_the_same_modules_and_classes(seed_variant: Path) -> None:
    assert public_names(seed_variant / "arize_orgs_api") == public_names(OURS)


SERIALISE = (
    "import json\n"
    "from arize_orgs_api.models import (AddOrganizationUserRequest,\n"
    "    OrganizationPredefinedRoleAssignment, OrganizationPredefinedRoleAssignmentType,\n"
    "    OrganizationRole)\n"
    "role = OrganizationPredefinedRoleAssignment(\n"
    "    type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED,\n"
    "    name=OrganizationRole.READ_ONLY)\n"
    "body = AddOrganizationUserRequest(user_id='VXNlcjoxMjM0NQ==', role=role)\n"
    "print(json.dumps(body.to_dict()))\n"
)


def test_the_same_code_serialises_each_spelling(seed_variant: Path) -> None:
    seed = run_python(SERIALISE, path_first=seed_variant)
    live = run_python(SERIALISE)
    assert json.loads(seed)["role"] == {"type": "predefined", "name": "read-only"}
    assert json.loads(live)["role"] == {"type": "PREDEFINED", "name": "READ_ONLY"}


# The unchanged facade, with the seed-generated package first on sys.path,
# against a sandbox serving the seed's spelling (which answers 422 to the
# live spelling). The transport records the bytes that went to the server.
FACADE_AGAINST_SEED_SANDBOX = """
import json, httpx
import arize_orgs_api
from arize_orgs import OrgClient, Role
from arize_orgs.sandbox import Sandbox

sent = []
class Recording(httpx.HTTPTransport):
    def handle_request(self, request):
        if request.method == "POST":
            sent.append(json.loads(request.read()))
        return super().handle_request(request)

with Sandbox(spelling="seed") as sb:
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test", "member")
    with OrgClient(sb.admin_key, base_url=sb.base_url, transport=Recording()) as client:
        m = client.add_user(org, jane, "read only")
        found = client.find_user("jane@acme.test")
    assert m.role is Role.READ_ONLY and sb.role_of(org, jane) is Role.READ_ONLY, m
print(json.dumps({"sent": sent, "jane": jane, "package": arize_orgs_api.__file__,
                  "account_role": str(found.account_role), "known": found.account_role.known,
                  "statuses": [s for _, _, s in sb.request_log]}))
"""


def test_the_unchanged_facade_adds_a_user_on_a_seed_sandbox(seed_variant: Path) -> None:
    out = json.loads(run_python(FACADE_AGAINST_SEED_SANDBOX, path_first=seed_variant))
    assert out["sent"] == [
        {"user_id": out["jane"], "role": {"type": "predefined", "name": "read-only"}},
    ]
    assert out["statuses"] == [200, 200]
    assert (out["account_role"], out["known"]) == ("member", True)
    # ...and it really ran against the seed-generated package, not ours.
    assert out["package"].startswith(str(seed_variant))


# The lifecycle the same way: an invitation's mode and role, and a removal,
# in the seed's spelling on the wire.
# A transport that records what the facade sends: [method, path, body].
RECORDING = """
import json, httpx
import arize_orgs_api
from arize_orgs import OrgClient, Role
from arize_orgs.sandbox import Sandbox

sent = []
class Recording(httpx.HTTPTransport):
    def handle_request(self, request):
        sent.append([request.method, request.url.path, json.loads(request.read() or b"null")])
        return super().handle_request(request)
"""

LIFECYCLE_AGAINST_SEED_SANDBOX = (
    RECORDING
    + """
with Sandbox(spelling="seed") as sb:
    org = sb.add_organization("Acme")
    with OrgClient(sb.admin_key, base_url=sb.base_url, transport=Recording()) as client:
        m = client.add_user(org, "hire@acme.test", "annotator", invite=True, invite_mode="none")
        client.remove_user(org, m.user_id)
    assert sb.role_of(org, m.user_id) is None
print(json.dumps({"sent": sent, "invitations": sb.invitations,
                  "account_role": str(m.invited.account_role),
                  "statuses": [s for _, _, s in sb.request_log]}))
"""
)


def test_the_unchanged_facade_invites_and_removes_on_a_seed_sandbox(seed_variant: Path) -> None:
    out = json.loads(run_python(LIFECYCLE_AGAINST_SEED_SANDBOX, path_first=seed_variant))
    invite = out["sent"][1]
    assert invite[:2] == ["POST", "/v2/users"]
    assert invite[2]["invite_mode"] == "none"
    assert invite[2]["role"] == {"type": "predefined", "name": "annotator"}
    assert out["sent"][2][2]["role"] == {"type": "predefined", "name": "annotator"}
    assert out["sent"][3][0] == "DELETE"
    assert out["statuses"] == [200, 201, 200, 204]
    assert out["invitations"] == [["hire@acme.test", "none"]]
    assert out["account_role"] == "annotator"


# The ladder on the seed's spelling: names looked up, the organization add,
# then the space add, through the seed's generated package, unchanged facade.
LADDER_AGAINST_SEED_SANDBOX = (
    RECORDING
    + """
with Sandbox(spelling="seed") as sb:
    org = sb.add_organization("Acme")
    space = sb.add_space(org, "prod")
    uid = sb.add_user("jane@acme.test")
    with OrgClient(sb.admin_key, base_url=sb.base_url, transport=Recording()) as client:
        m = client.spaces.add_user("prod", "jane@acme.test", "read-only", org="Acme",
                                   ensure_org_role="member")
    role = str(sb.space_role_of(space, uid))
print(json.dumps({"sent": sent, "role": role, "space": space, "answered": m.space_id,
                  "package": arize_orgs_api.__file__}))
"""
)


def test_the_unchanged_facade_climbs_the_ladder_on_a_seed_sandbox(seed_variant: Path) -> None:
    out = json.loads(run_python(LADDER_AGAINST_SEED_SANDBOX, path_first=seed_variant))
    assert out["package"].startswith(str(seed_variant))
    assert [(method, path.split("/")[2]) for method, path, _ in out["sent"]] == [
        ("GET", "organizations"),
        ("GET", "spaces"),
        ("GET", "users"),
        ("POST", "organizations"),
        ("POST", "spaces"),
    ]
    assert out["sent"][3][2]["role"] == {"type": "predefined", "name": "member"}
    assert out["sent"][4][2]["role"] == {"type": "predefined", "name": "read-only"}
    assert out["role"] == "read-only" and out["answered"] == out["space"]
