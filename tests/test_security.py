"""The key never leaks, and the transport is safe by default.

One sentinel key is used everywhere; every test greps what a user can see for
it: reprs, exception messages, DEBUG logs of every logger, CLI output, bulk
reports, tracebacks. SECURITY.md names these tests."""

from __future__ import annotations

import http.server
import json
import logging
import os
import ssl
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from arize_orgs import AsyncOrgClient, OrgClient, errors
from arize_orgs.cli import main
from arize_orgs.sandbox import Sandbox

from fakes import ORG, USER, Script, problem

SENTINEL = "sk-SENTINEL-7f3a9c1e5b2d4068"


@pytest.fixture
def keyed(sandbox: Sandbox) -> dict[str, str]:
    sandbox.add_api_key(SENTINEL)
    n = len(sandbox.world.users)
    return {
        "org": sandbox.add_organization(f"Sec {n}"),
        "user": sandbox.add_user(f"s{n}@sec.test"),
        "email": f"s{n}@sec.test",
        "ann": sandbox.add_user(f"a{n}@sec.test", "annotator"),
    }


def every_error(c: OrgClient) -> list[BaseException]:
    """One of each exception the client raises, provoked through `c`."""
    caught: list[BaseException] = []
    for call in (
        lambda: c.add_user(ORG, USER, "owner"),
        lambda: c.add_user(USER, ORG, "member"),
        lambda: c.add_user(ORG, USER, "admin", account_role="annotator"),
        lambda: OrgClient(SENTINEL, base_url="http://example.com"),
        *[lambda: c.add_user(ORG, USER, "member")] * 12,
    ):
        try:
            call()
        except errors.ArizeOrgsError as exc:
            caught.append(exc)
    return caught


def test_reprs_exceptions_and_debug_logs_never_show_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The server echoes the Authorization header back in every kind of body.
    echo = f"you sent Bearer {SENTINEL}"
    script = Script(
        problem(400, detail=echo),
        problem(401, detail=echo),
        problem(403, detail=echo),
        problem(404, detail=echo),
        problem(422, detail=echo),
        problem(429, {"Retry-After": "999"}, detail=echo),
        httpx.Response(502, text=f"<html><title>{echo}</title></html>"),
        httpx.Response(200, text=f"not json {echo}"),
        httpx.ConnectError(echo.replace(SENTINEL, "x")),
        httpx.ReadTimeout("slow"),
        problem(409, detail=echo),
        problem(418, detail=echo),
    )
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):  # every logger: ours, httpx, httpcore, stamina
        c = OrgClient(SENTINEL, transport=script.transport(), max_retries=0)
        caught = every_error(c)
        seen += [repr(c), str(c), repr(c.with_options(timeout=1)), repr(c._config)]
        seen += [repr(AsyncOrgClient(SENTINEL)), repr(c._http.headers)]
    classes = {type(e).__name__ for e in caught}
    assert classes >= {
        "InvalidInputError",
        "RoleRuleError",
        "ConfigurationError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
        "APIResponseValidationError",
        "APIConnectionError",
        "APITimeoutError",
        "ConflictError",
        "APIStatusError",
    }
    for exc in caught:
        seen += [str(exc), repr(exc), str(getattr(exc, "body", "")), str(exc.args)]
        seen.append("".join(traceback.format_exception(exc)))
    seen += [r.getMessage() for r in caplog.records]
    assert len(caplog.records) > 5
    leaks = [text for text in seen if SENTINEL in text]
    assert leaks == []


def test_a_traceback_of_an_unexpected_error_does_not_show_the_key() -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError(f"transport bug while sending to {request.url}")

    c = OrgClient(SENTINEL, transport=httpx.MockTransport(explode))
    with pytest.raises(RuntimeError) as info:
        c.add_user(ORG, USER, "member")
    text = "".join(traceback.format_exception(info.value))
    assert "transport bug" in text
    assert SENTINEL not in text


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out + err


def test_the_cli_never_prints_the_key(
    sandbox: Sandbox,
    keyed: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", SENTINEL)
    monkeypatch.setenv("ARIZE_BASE_URL", sandbox.base_url)
    org, user = keyed["org"], keyed["user"]
    team = tmp_path / "team.csv"
    team.write_text(f"user,role\n{user},member\n{keyed['ann']},admin\nnobody@x.test,member\n")
    report = tmp_path / "report.jsonl"
    runs = [
        ("add-user", "--org", org, "--user", user, "--role", "member"),
        ("add-user", "--org", org, "--user", keyed["email"], "--role", "admin", "--json"),
        ("add-user", "--org", org, "--user", keyed["ann"], "--role", "admin"),  # 400
        ("add-user", "--org", org, "--user", user, "--role", "owner"),  # 2
        (
            "add-user",
            "--org",
            "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5",
            "--user",
            user,
            "--role",
            "member",
        ),  # 404
        (
            "add-user",
            "--org",
            org,
            "--user",
            user,
            "--role",
            "member",
            "--base-url",
            "http://127.0.0.1:9",
        ),  # network
        (
            "add-user",
            "--org",
            org,
            "--user",
            user,
            "--role",
            "member",
            "--base-url",
            "http://example.com",
        ),  # refused
        ("add-users", "--org", org, str(team), "--report", str(report)),
        ("add-users", "--org", org, str(team), "--dry-run"),
        ("add-users", "--org", org, str(tmp_path / "missing.csv")),
    ]
    codes = []
    for args in runs:
        code, text = cli(capsys, *args)
        codes.append(code)
        assert SENTINEL not in text, args
    monkeypatch.setenv("ARIZE_API_KEY", SENTINEL + "-wrong")  # 401, key-like text around
    code, text = cli(capsys, *runs[0])
    assert code == 1
    assert SENTINEL not in text
    assert codes == [0, 0, 1, 2, 1, 1, 2, 1, 1, 2]
    assert SENTINEL not in report.read_text()


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]]
    redirect_to: str | None

    def _answer(self) -> None:
        self.seen.append(dict(self.headers))
        if self.redirect_to:
            self.send_response(307)
            self.send_header("Location", self.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = b'{"title": "should never be reached", "status": 418}'
            self.send_response(418)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    do_POST = do_GET = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def two_hosts() -> Iterator[tuple[str, list[dict[str, str]], list[dict[str, str]]]]:
    """Server A on one loopback port redirects everything to server B on another."""
    servers = []
    logs: list[list[dict[str, str]]] = [[], []]
    b_handler = type("B", (_Recorder,), {"seen": logs[1], "redirect_to": None})
    b = http.server.ThreadingHTTPServer(("127.0.0.1", 0), b_handler)
    a_handler = type(
        "A", (_Recorder,), {"seen": logs[0], "redirect_to": f"http://127.0.0.1:{b.server_port}"}
    )
    a = http.server.ThreadingHTTPServer(("127.0.0.1", 0), a_handler)
    for server in (a, b):
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield f"http://127.0.0.1:{a.server_port}", logs[0], logs[1]
    for server in servers:
        server.shutdown()


def test_the_key_is_not_sent_on_a_redirect_to_another_host(
    two_hosts: tuple[str, list[dict[str, str]], list[dict[str, str]]],
) -> None:
    a_url, a_seen, b_seen = two_hosts
    c = OrgClient(SENTINEL, base_url=a_url, max_retries=0)
    with c, pytest.raises(errors.APIStatusError) as info:
        c.add_user(ORG, USER, "member")
    assert info.value.status == 307
    assert a_seen[0]["Authorization"] == f"Bearer {SENTINEL}"
    assert b_seen == []  # redirects are not followed: nothing reaches the other host


@pytest.fixture
def tls_server() -> Iterator[tuple[str, Any, list[str]]]:
    """An HTTPS server on 127.0.0.1 whose certificate comes from a CA of the
    test's own (trustme): no system trust store knows it. Yields its URL, the
    CA, and the paths of the requests that got through the handshake."""
    import trustme

    ca = trustme.CA()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.path)
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            org = self.path.split("/")[3]
            answer = json.dumps({"id": "m", "organization_id": org, **body}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca, seen
    finally:
        server.shutdown()
        server.server_close()


def test_tls_is_verified_by_default_and_turning_it_off_warns(
    tls_server: tuple[str, Any, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, ca, seen = tls_server
    with (
        OrgClient(SENTINEL, base_url=url, max_retries=0) as c,
        pytest.raises(errors.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        c.add_user(ORG, USER, "member")
    assert seen == []  # the handshake failed: no request, no key, reached the server
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    with OrgClient(SENTINEL, base_url=url, verify=trusting) as c:
        assert c.add_user(ORG, USER, "member").user_id == USER
    with (
        caplog.at_level(logging.WARNING, logger="arize_orgs"),
        OrgClient(SENTINEL, base_url=url, verify=False) as c,
    ):
        assert c.add_user(ORG, USER, "member").user_id == USER
    assert "verification is off" in caplog.text
    assert len(seen) == 2


@pytest.mark.parametrize(
    "url", ["http://api.arize.com", "http://192.168.1.10", "http://[2001:db8::1]"]
)
def test_plain_http_to_a_non_loopback_host_is_refused(url: str) -> None:
    with pytest.raises(errors.ConfigurationError, match="plain http"):
        OrgClient(SENTINEL, base_url=url)


def test_bulk_reports_hold_no_key(sandbox: Sandbox, keyed: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    sandbox.fail_next(401)
    with OrgClient(SENTINEL, base_url=sandbox.base_url) as c:
        c.add_users(
            keyed["org"],
            [{"user": keyed["user"], "role": "member"}, {"user": keyed["email"], "role": "member"}],
            report=report,
        )
    text = report.read_text()
    assert json.loads(text.splitlines()[0])
    assert SENTINEL not in text
    assert os.environ.get("ARIZE_API_KEY") != SENTINEL
