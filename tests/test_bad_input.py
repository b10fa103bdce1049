"""Bad input, generated: the library raises only its own documented exceptions,
the command line exits 2 with one readable line, and bulk marks each bad row
`invalid` and goes on."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arize_orgs import AccountRole, AsyncOrgClient, OrgClient, Role, check_role, errors
from arize_orgs.bulk import BulkOptions, BulkRun
from arize_orgs.bulk.rows import InputFileError, RowSource
from arize_orgs.cli import main
from arize_orgs.ids import decoded_type
from arize_orgs.sandbox.spec import ServedSpec, first_error

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
texts = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\ufeff",
            "=cmd|' /C calc'!A0",
            "a" * 100_000,
            "VXNlcjoxMjM0NQ==",
            "Read Only",
            "custom:",
            "custom:Um9sZTo3",
        ]
    ),
)


VALIDATOR = ServedSpec().add_user_validator


def answer(request: httpx.Request) -> httpx.Response:
    """A strict server: a body off the spec, or a user id that is no id, is
    answered 422, so a bad row that slipped through would end `failed`."""
    if request.method == "GET":
        return httpx.Response(200, json={"users": [], "pagination": {"has_more": False}})
    body = json.loads(request.content)
    problem = first_error(VALIDATOR, body)
    if problem is None and decoded_type(body["user_id"]) is None:
        problem = "user_id: not a global id"
    if problem is not None:
        return httpx.Response(422, json={"title": "Unprocessable Entity", "status": 422})
    return httpx.Response(200, json={"id": "m", "organization_id": ORG, **body})


@functools.cache
def client() -> OrgClient:
    """Made at the first test, after the fixture that clears ARIZE_* and
    SSL_CERT_FILE (module-level code runs before it), once for every example."""
    return OrgClient("k", transport=httpx.MockTransport(answer), max_retries=0)


@settings(max_examples=300, deadline=None)
@given(org=texts, user=texts, role=texts, account=st.one_of(st.none(), texts))
def test_add_user_raises_only_documented_exceptions(
    org: str, user: str, role: str, account: str | None
) -> None:
    try:
        client().add_user(org, user, role, account_role=account)
    except errors.InvalidInputError as exc:
        assert str(exc)
        assert "\n" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(account=texts, role=texts)
def test_roles_and_the_rule_raise_only_invalid_input(account: str, role: str) -> None:
    for call in (
        lambda: Role.parse(role),
        lambda: AccountRole.parse(account),
        lambda: check_role(account, role),
    ):
        try:
            call()
        except errors.InvalidInputError as exc:
            assert len(str(exc)) < 400  # a huge input is not echoed back whole


cells = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(
        [
            "VXNlcjoxMjM0NQ==",
            "VXNlcjo0MjphQmNE",
            "member",
            "Admin",
            "annotator",
            "jane@acme.test",
            "read only",
            '"quoted, comma"',
            "\x00",
            "x" * 3000,
        ]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=4), max_size=25)


def render(header: str, body: list[list[str]], *, bom: bool, junk: bytes) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    for row in body:
        writer.writerow(row)
    data = (header + "\n" + out.getvalue()).encode("utf-8", errors="surrogatepass")
    return (b"\xef\xbb\xbf" if bom else b"") + data + junk


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    header=st.sampled_from(
        ["user,role", "User,Role,account_role", "user,role,extra", "role", "", "user,role,user"]
    ),
    body=rows,
    bom=st.booleans(),
    junk=st.sampled_from(
        [
            b"",
            b"\xff\xfe\xfd,member\n",
            b"x" * 1_100_000 + b",member\n",
            b"\x00\x00,\x00\n",
            b'"unterminated,member\n',
        ]
    ),
)
def test_bulk_gives_every_row_of_a_hostile_csv_exactly_one_outcome(
    header: str, body: list[list[str]], bom: bool, junk: bytes
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.csv"
        path.write_bytes(render(header, body, bom=bom, junk=junk))
        try:
            source = RowSource(path)
        except InputFileError as exc:
            assert header in ("role", "", "user,role,extra", "user,role,user")
            assert str(exc)
            return
        expected = sum(1 for _ in source)  # rows the reader yields, bad ones included

        async def run() -> Any:
            async with AsyncOrgClient(
                "k", transport=httpx.MockTransport(answer), max_retries=0
            ) as c:
                return await BulkRun(c._bulk_client(), ORG, source, BulkOptions()).run()

        result = asyncio.run(run())
        lines = [r.line for r in result.results]
        assert len(lines) == len(set(lines)) == expected == result.summary.rows
        assert result.summary.counts["failed"] == 0  # nothing bad reached the server


@settings(max_examples=60, deadline=None)
@given(args=st.lists(texts, max_size=6), command=st.sampled_from(["add-user", "add-users"]))
def test_the_cli_never_shows_a_traceback(args: list[str], command: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main([command, "--org", *args])
        except SystemExit as exc:
            code = exc.code
    assert code in (0, 1, 2)
    text = err.getvalue()
    assert "Traceback" not in text
    if code == 2 and text:
        assert text.startswith("arize-orgs")
