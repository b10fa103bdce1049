"""`import arize_orgs` stays light, and the library needs none of its extras."""

from __future__ import annotations

from conftest import run_python

EXTRAS = ["click", "rich", "starlette", "uvicorn", "yaml", "jsonschema"]

# A bare install has none of the extras. (httpx itself imports click and rich
# when they happen to be installed, for its own CLI; blocking them here also
# shows that httpx then falls back quietly.)
BARE = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {EXTRAS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
sys.meta_path.insert(0, Block())
"""


def test_importing_the_package_loads_no_cli_sandbox_or_http_dependency() -> None:
    out = run_python(
        "import sys, arize_orgs\n"
        "from arize_orgs import Role, AccountRole, check_role, allowed_roles, errors\n"
        f"print([m for m in {[*EXTRAS, 'httpx', 'stamina']!r} if m in sys.modules])"
    )
    assert out.strip() == "[]"


def test_the_library_works_without_any_extra_and_loads_stamina_only_on_retry() -> None:
    out = run_python(
        BARE + "import json, httpx\n"
        "from arize_orgs import OrgClient\n"
        "answers = [httpx.Response(503), None]\n"
        "def answer(request):\n"
        "    body = json.loads(request.content)\n"
        "    first = answers.pop(0)\n"
        "    ok = {'id': 'm', 'organization_id': request.url.path.split('/')[3], **body}\n"
        "    return first or httpx.Response(200, json=ok)\n"
        "c = OrgClient('k', transport=httpx.MockTransport(answer), max_retries=0)\n"
        "try:\n"
        "    c.add_user('QWNjb3VudE9yZ2FuaXphdGlvbjox', 'VXNlcjoxMjM0NQ==', 'member')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, 'stamina' in sys.modules)\n"
        "c = c.with_options(max_retries=1)\n"
        "answers[:] = [httpx.Response(503), None]\n"
        "import stamina; stamina.set_testing(True, attempts=2, cap=True)\n"
        "print(c.add_user('QWNjb3VudE9yZ2FuaXphdGlvbjox', 'VXNlcjoxMjM0NQ==', 'member').role)\n"
        f"print([m for m in {EXTRAS!r} if m in sys.modules])"
    )
    assert out.splitlines() == ["InternalServerError False", "member", "[]"]
