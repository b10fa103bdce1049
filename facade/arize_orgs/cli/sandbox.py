"""`arize-orgs sandbox`: run the local stand-in for the Arize API in the
foreground, with its options (spelling, rate limit, faults, seed data) and
the record it leaves (`--json`'s closing line, `--history FILE`).

Registered on the same `cli` group as the other commands; the sandbox
itself is an extra and is imported only when the command runs.
"""

from __future__ import annotations

import json
import math
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Literal

import click

from .._redact import shown
from ..errors import InvalidInputError
from ..ids import check_name
from .commands import EXIT_BAD_INPUT, EXIT_FAILED, Failure, _needs_sandbox_extra, cli

__all__ = ["sandbox_command"]

# The spaces `--seed demo` gives its organization: a production and a staging
# space, as most teams have.
DEMO_SPACES = ("prod", "staging")


def _history_file(history: str | None) -> Path | None:
    """--history's file, made (empty) now: a path that cannot be written is
    told before the sandbox serves, not when it stops."""
    if history is None:
        return None
    path = Path(history)
    try:
        path.write_text("", encoding="utf-8")
    except OSError as exc:
        raise Failure(
            f"--history: cannot write {history}: {exc.strerror or exc}", EXIT_BAD_INPUT
        ) from None
    return path


class RateLimitType(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.5
    """`N/SECONDS`, e.g. 100/60 (Arize's published limit)."""

    name = "N/SECONDS"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[int, float]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        count, sep, seconds = text.partition("/")
        try:
            requests, per = int(count), float(seconds) if sep else float("nan")
        except ValueError:
            requests, per = 0, float("nan")
        if requests < 1 or not (0 < per < float("inf")):
            self.fail(
                f"{text!r} is not N/SECONDS with N a whole number >= 1 and SECONDS > 0 "
                "(e.g. 100/60: Arize's 100 requests a minute)",
                param,
                ctx,
            )
        return requests, per


class FiniteFloat(click.FloatRange):
    """A number in a range; never nan or infinity (click's FloatRange lets
    nan through: every comparison with it is false)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


class FailEveryType(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.5
    """`N:STATUS`, e.g. 50:429."""

    name = "N:STATUS"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        every, sep, status = str(value).strip().partition(":")
        try:
            parsed = int(every), int(status)
        except ValueError:
            parsed = (0, 0)
        if not sep or parsed[0] < 1 or not 400 <= parsed[1] <= 599:
            self.fail(
                f"{value!r} is not N:STATUS with N >= 1 and an error STATUS (e.g. 50:429)",
                param,
                ctx,
            )
        return parsed


@cli.command("sandbox", short_help="Run a local stand-in for the Arize API.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default="a free port",
    help="Port on 127.0.0.1.",
)
@click.option(
    "--seed",
    type=click.Choice(["demo", "none"]),
    default="demo",
    show_default=True,
    help="demo: one organization (Acme) with two spaces (prod, staging), and one user of "
    "each account role.",
)
@click.option(
    "--spelling",
    type=click.Choice(["live", "seed"]),
    default=None,
    show_default="live",
    help="live: the API as served today (READ_ONLY); seed: the seed documentation page's "
    "lower case (read-only).",
)
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="Serve this variant of the spec instead (its enum values must name ours).",
)
@click.option(
    "--users",
    type=click.IntRange(0),
    default=0,
    metavar="N",
    help="Also add N member users (user0@sandbox.test, ...); --json lists their ids.",
)
@click.option(
    "--latency",
    type=FiniteFloat(0, 3600),
    default=0.0,
    metavar="SECONDS",
    help="Seconds added to every answer.",
)
@click.option(
    "--rate-limit",
    type=RateLimitType(),
    metavar="N/SECONDS",
    help="Arize's model: N requests per SECONDS per endpoint and per user, fixed windows, "
    "429 beyond (Arize publishes 100/60).",
)
@click.option(
    "--no-retry-after",
    "no_retry_after",
    is_flag=True,
    help="Answer 429 without Retry-After (Arize does not document whether it sends one).",
)
@click.option(
    "--no-custom-roles",
    "no_custom_roles",
    is_flag=True,
    help="Answer custom organization roles with 422, as Arize's docs say the API does.",
)
@click.option(
    "--fail-rate",
    type=FiniteFloat(0, 1),
    default=0.0,
    metavar="P",
    help="Answer any request 503 with chance P (0 to 1).",
)
@click.option(
    "--fail-every",
    type=FailEveryType(),
    multiple=True,
    metavar="N:STATUS",
    help="Answer every N-th request with STATUS (429 with Retry-After: 1), e.g. 50:429; "
    "repeatable.",
)
@click.option(
    "--space",
    "spaces",
    multiple=True,
    metavar="NAME",
    help="Add a space NAME to the organization Acme (made if the seed has none); repeatable. "
    '--json lists the ids under "spaces".',
)
@click.option(
    "--history",
    "history",
    type=click.Path(dir_okay=False, writable=True),
    metavar="FILE",
    help="On exit, write every write request answered (organization and space adds and "
    "removals, invitations) to FILE as JSON lines, in the order answered.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the connection details as one JSON line."
)
def sandbox_command(
    port: int,
    seed: str,
    spelling: Literal["live", "seed"] | None,
    spec: str | None,
    users: int,
    latency: float,
    rate_limit: tuple[int, float] | None,
    no_retry_after: bool,
    no_custom_roles: bool,
    fail_rate: float,
    fail_every: tuple[tuple[int, int], ...],
    spaces: tuple[str, ...],
    history: str | None,
    as_json: bool,
) -> None:
    """Run a local stand-in for the Arize API until interrupted (Ctrl-C).

    Prints its base URL, an admin key and, with --seed demo, an organization
    with its spaces prod and staging, and one user of each account role.
    Point the client at it with ARIZE_BASE_URL and ARIZE_API_KEY.
    """
    with _needs_sandbox_extra():
        from ..sandbox import Sandbox
        from ..sandbox.spec import SpecError

    if no_retry_after and rate_limit is None:
        raise click.UsageError("--no-retry-after needs --rate-limit N/SECONDS")
    if spec is not None and spelling is not None:
        raise click.UsageError("give --spelling or --spec, not both (a spec file has its own)")
    try:
        sb = Sandbox(
            port=port, spelling=spelling or "live", spec=spec, custom_roles=not no_custom_roles
        )
    except SpecError as exc:
        raise Failure(f"--spec: {exc}", EXIT_BAD_INPUT) from None
    sb.latency = latency
    if rate_limit is not None:
        try:
            sb.set_rate_limit(rate_limit[0], rate_limit[1], retry_after=not no_retry_after)
        except ValueError as exc:
            raise Failure(f"--rate-limit: {exc}", EXIT_BAD_INPUT) from None
    sb.fail_rate = fail_rate
    for every, status in fail_every:
        sb.fail_every(every, status, retry_after=1 if status == 429 else None)
    details: dict[str, Any] = {
        "base_url": None,
        "admin_key": sb.admin_key,
        "member_key": sb.member_key,
        "spelling": spec or spelling or "live",
        "rate_limit": f"{rate_limit[0]}/{rate_limit[1]:g}" if rate_limit else None,
    }
    history_file = _history_file(history)
    if seed == "demo":
        details["org_id"] = sb.add_organization("Acme")
        details["spaces"] = {name: sb.add_space(details["org_id"], name) for name in DEMO_SPACES}
        details["users"] = {
            r: sb.add_user(f"{r}@acme.test", account_role=r)
            for r in ("admin", "member", "annotator")
        }
    if (users or spaces) and "org_id" not in details:
        # Not setdefault: its argument would make a second Acme every time.
        details["org_id"] = sb.add_organization("Acme")
    if users:
        details["extra_users"] = [sb.add_user(f"user{i}@sandbox.test") for i in range(users)]
    for given in spaces:
        try:
            name = check_name(given, "--space")
        except InvalidInputError as exc:
            raise Failure(str(exc), EXIT_BAD_INPUT) from None
        if name in details.setdefault("spaces", {}):
            raise Failure(f"--space {name!r} is given twice (or is a seed's)", EXIT_BAD_INPUT)
        details["spaces"][name] = sb.add_space(details["org_id"], name)
    if "org_id" in details:
        details["org_name"] = "Acme"
    try:
        sb.start()
    except OSError as exc:
        raise Failure(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; choose another --port, "
            "or leave it out for a free one",
            EXIT_BAD_INPUT,
        ) from None
    details["base_url"] = sb.base_url
    if as_json:
        click.echo(json.dumps(details))
    else:
        limit = "no rate limit"
        if rate_limit:
            limit = f"rate limit {details['rate_limit']} per endpoint and user"
            limit += "" if not no_retry_after else ", 429s without Retry-After"
        click.echo(f"sandbox listening on {sb.base_url} ({details['spelling']} spelling, {limit})")
        click.echo(f"  export ARIZE_BASE_URL={sb.base_url}")
        click.echo(f"  export ARIZE_API_KEY={sb.admin_key}")
        click.echo(f"  a key that administers no organization (403s): {sb.member_key}")
        if "org_id" in details:
            click.echo(f"  organization Acme: {details['org_id']}")
        for name, space_id in details.get("spaces", {}).items():
            click.echo(f"  space {shown(name, 120)} of Acme: {space_id}")
        for role, uid in details.get("users", {}).items():
            click.echo(f"  {role}@acme.test ({role} account): {uid}")
        if users:
            click.echo(f"  {users} member users: user0@sandbox.test ... (ids with --json)")
        click.echo("Ctrl-C stops it.")
    sys.stdout.flush()

    def terminate(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        sb.serve_forever()
    except KeyboardInterrupt:
        sb.stop()
    if history_file is not None:
        try:
            sb.write_history(history_file)
        except OSError as exc:
            raise Failure(f"--history: cannot write {history_file}: {exc}", EXIT_FAILED) from None
    if as_json:  # a closing line for scripts: what the sandbox saw
        writes = sb.writes
        click.echo(
            json.dumps(
                {
                    "stopped": True,
                    "requests": len(sb.request_log),
                    "statuses": dict(Counter(str(status) for _, _, status in sb.request_log)),
                    "writes": len(writes),
                    "users_written": len({(org, user) for org, user, _ in writes}),
                }
            )
        )
