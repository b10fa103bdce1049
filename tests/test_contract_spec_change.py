"""The spec-change test: the live API's upper-case spelling regenerates into a
client with the same module and class names as ours, so code written against
ours runs against it unchanged, and it speaks the live spelling on the wire."""

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


def test_variant_has_the_same_modules_and_classes(live_variant: Path) -> None:
    assert public_names(live_variant / "arize_orgs_api") == public_names(OURS)


def test_variant_serialises_the_live_spelling(live_variant: Path) -> None:
    out = run_python(
        "import json\n"
        "from arize_orgs_api.models import (AddOrganizationUserRequest,\n"
        "    OrganizationPredefinedRoleAssignment, OrganizationPredefinedRoleAssignmentType,\n"
        "    OrganizationRole)\n"
        "role = OrganizationPredefinedRoleAssignment(\n"
        "    type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED,\n"
        "    name=OrganizationRole.READ_ONLY)\n"
        "body = AddOrganizationUserRequest(user_id='VXNlcjoxMjM0NQ==', role=role)\n"
        "print(json.dumps(body.to_dict()))\n",
        path_first=live_variant,
    )
    assert out.strip() == (
        '{"user_id": "VXNlcjoxMjM0NQ==", "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}'
    )


def test_ours_serialises_the_seed_spelling_with_the_same_code() -> None:
    out = run_python(
        "import json\n"
        "from arize_orgs_api.models import (OrganizationPredefinedRoleAssignment,\n"
        "    OrganizationPredefinedRoleAssignmentType, OrganizationRole)\n"
        "role = OrganizationPredefinedRoleAssignment(\n"
        "    type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED,\n"
        "    name=OrganizationRole.READ_ONLY)\n"
        "print(json.dumps(role.to_dict()))\n"
    )
    assert out.strip() == '{"type": "predefined", "name": "read-only"}'


FACADE_SENDS = """
import json, httpx
from arize_orgs import OrgClient, Role
sent = []
def answer(request):
    body = json.loads(request.content)
    sent.append(body)
    return httpx.Response(200, json={"id": "m", "user_id": body["user_id"],
                                     "organization_id": "o", "role": body["role"]})
with OrgClient("k", transport=httpx.MockTransport(answer)) as client:
    m = client.add_user("QWNjb3VudE9yZ2FuaXphdGlvbjox", "VXNlcjoxMjM0NQ==", "read only")
    assert m.role is Role.READ_ONLY, m
    client.add_user("QWNjb3VudE9yZ2FuaXphdGlvbjox", "VXNlcjoxMjM0NQ==", Role.custom("Um9sZTo3"))
print(json.dumps(sent))
"""


def test_the_unchanged_facade_speaks_the_live_spelling(live_variant: Path) -> None:
    out = run_python(FACADE_SENDS, path_first=live_variant)
    assert json.loads(out) == [
        {"user_id": "VXNlcjoxMjM0NQ==", "role": {"type": "PREDEFINED", "name": "READ_ONLY"}},
        {"user_id": "VXNlcjoxMjM0NQ==", "role": {"type": "CUSTOM", "id": "Um9sZTo3"}},
    ]
    # ...and it really ran against the variant, not our package.
    where = run_python(
        "import arize_orgs_api; print(arize_orgs_api.__file__)", path_first=live_variant
    )
    assert where.startswith(str(live_variant))
