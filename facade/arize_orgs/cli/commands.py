"""The `arize-orgs` commands. Logic that a library user would also want lives
in the library; this module parses arguments and prints.

Exit codes: 0 done; 1 the API, the network or some rows failed; 2 bad input.
Every error is one line on stderr; never a traceback, never a prompt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Literal, NoReturn

try:
    import click
except ImportError:  # pragma: no cover - depends on the install
    sys.stderr.write(
        "arize-orgs: the command line needs its extra: pip install 'arize-orgs[cli]'\n"
    )
    raise SystemExit(2) from None

from .. import __version__
from .._redact import scrub, scrub_json, shown
from ..errors import ArizeOrgsError, InvalidInputError

PROG = "arize-orgs"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class Failure(Exception):
    """Ends a command with one line on stderr and an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _echo_json(payload: Any) -> None:
    # The server's text may echo the key: scrubbed like every other output.
    click.echo(json.dumps(scrub_json(payload), indent=2))


def _membership_json(m: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.id,
        "user_id": m.user_id,
        "organization_id": m.organization_id,
        "role": str(m.role),
    }
    if getattr(m, "invited", None) is not None:
        # Never the temporary password: it goes to --password-file only.
        out["invited"] = {
            "id": m.invited.id,
            "email": m.invited.email,
            "account_role": str(m.invited.account_role),
            "status": m.invited.status,
        }
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name=PROG)
def cli() -> None:
    """Add users to Arize AX organizations.

    The API key comes from ARIZE_API_KEY (an organization admin's key), the
    API from ARIZE_BASE_URL (default https://api.arize.com). Try everything
    locally first: `arize-orgs sandbox --seed demo` prints a base URL and a key
    to use instead.
    """


def _check_password_file(path: str | None, invite_mode: str, invite: bool) -> None:
    """--password-file goes with --invite-mode temporary-password."""
    if invite_mode == "temporary-password" and path is None:
        raise Failure(
            "--invite-mode temporary-password needs --password-file PATH: the password is "
            "written there (readable only by you), never printed",
            EXIT_BAD_INPUT,
        )
    if path is not None and (not invite or invite_mode != "temporary-password"):
        raise Failure(
            "--password-file goes with --invite --invite-mode temporary-password", EXIT_BAD_INPUT
        )


class _PasswordFile:
    """The file a temporary password goes to, made (new, readable only by
    its owner) before anything is sent: the server shows a password once, so
    a path that cannot be written must be found before, not after."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise Failure(
                f"--password-file {shown(path, 200)} exists; name a new file "
                "(it is never overwritten)",
                EXIT_BAD_INPUT,
            ) from None
        except OSError as exc:
            raise Failure(
                f"--password-file {shown(path, 200)}: {exc.strerror or exc}; name a new "
                "file in an existing folder",
                EXIT_BAD_INPUT,
            ) from None
        self._file = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, secret: Any) -> None:
        with self._file:
            self._file.write(secret.reveal() + "\n")

    def discard(self) -> None:
        self._file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def _tell_invitation(
    invited: Any, invite_mode: str, password: _PasswordFile | None, *, err: bool
) -> None:
    """What add-user --invite did besides adding (the membership's
    `invited`; an error that stopped the add carries it too): never the
    password itself. On stderr when stdout carries JSON."""
    if invited is None:
        if password is not None:
            password.discard()
        return
    email = shown(invited.email, 120)
    how = {
        "email-link": "an email with a link to join was sent",
        "none": "no email was sent",
        "temporary-password": "the server made a temporary password",
    }[invite_mode]
    click.echo(f"invited {email} with the account role {invited.account_role}: {how}", err=err)
    if password is None:
        return
    if invited.temporary_password is None:
        # The library's warning (printed above) says why.
        password.discard()
        click.echo(f"nothing was written to {shown(password.path, 200)}", err=err)
        return
    password.write(invited.temporary_password)
    click.echo(
        f"the temporary password is in {shown(password.path, 200)} (readable only by you): "
        "hand it over safely, then delete the file",
        err=err,
    )


# Options that name the same thing on every command that takes them.
_org_option = click.option(
    "--org", "org_id", required=True, metavar="ORG_ID", help="The organization's global id."
)
_user_option = click.option(
    "--user",
    required=True,
    metavar="USER",
    help="The user's global id, or their email address (looked up; must match exactly one user).",
)


@cli.command("add-user", short_help="Add one user to an organization, or change their role.")
@_org_option
@_user_option
@click.option(
    "--role",
    required=True,
    metavar="ROLE",
    help="admin, member, read-only, annotator, or custom:<role id>. Spelling is lenient.",
)
@click.option(
    "--account-role",
    metavar="ROLE",
    help="The user's account role (admin, member, annotator), to check the annotator rule "
    "before sending.",
)
@click.option(
    "--check-account",
    is_flag=True,
    help="Fetch the user's account role and check the annotator rule before sending.",
)
@click.option(
    "--invite",
    is_flag=True,
    help="If no account has the --user email, invite it first, then add the new user: "
    "account role --account-role if given, else annotator for the annotator role and member "
    "for any other.",
)
@click.option("--name", metavar="NAME", help="With --invite: the person's display name.")
@click.option(
    "--invite-mode",
    type=click.Choice(["email-link", "none", "temporary-password"]),
    default=None,
    show_default="email-link",
    help="With --invite: email-link emails them a link; none sends nothing (single sign-on); "
    "temporary-password has the server make one, written to --password-file.",
)
@click.option(
    "--password-file",
    metavar="PATH",
    help="With --invite-mode temporary-password: a new file (readable only by you) to write the "
    "password to. It is never printed.",
)
@click.option("--base-url", metavar="URL", help="The API's base URL (default: $ARIZE_BASE_URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the membership as JSON.")
def add_user_command(
    org_id: str,
    user: str,
    role: str,
    account_role: str | None,
    check_account: bool,
    invite: bool,
    name: str | None,
    invite_mode: str | None,
    password_file: str | None,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Add one user to an organization with a role (or change their role).

    With --invite, a new hire's email that matches no account is invited to
    the account and added in the same call, the annotator rule holding by
    construction; an email that has an account is simply added.

    \b
    Examples:
      arize-orgs add-user --org QWNjb3VudE9yZ2FuaXphdGlvbjox --user jane@acme.com --role member
      arize-orgs add-user --org ORG --user VXNlcjoxMjM0NQ== --role annotator --check-account
      arize-orgs add-user --org ORG --user new.hire@acme.com --role annotator --invite
    """
    from ..client import OrgClient

    if account_role is not None and check_account:
        raise Failure("give --account-role or --check-account, not both", EXIT_BAD_INPUT)
    if not invite and (name is not None or invite_mode is not None):
        raise Failure("--name and --invite-mode go with --invite", EXIT_BAD_INPUT)
    mode = invite_mode or "email-link"
    _check_password_file(password_file, mode, invite)
    password = _PasswordFile(password_file) if password_file is not None else None
    with OrgClient(base_url=base_url) as client:
        # An email is looked up, and the annotator rule checked against the
        # account role found, by the library: the same call a script makes.
        try:
            membership = client.add_user(
                org_id,
                user,
                role,
                account_role=account_role,
                check_account=check_account,
                invite=invite,
                name=name,
                invite_mode=mode,
            )
        except BaseException as exc:  # Ctrl-C too: an invitation's password is kept
            invited = getattr(exc, "invited", None)
            _tell_invitation(invited, mode, password, err=True)
            if invited is not None:
                click.echo(
                    "the user was invited but not added; once the error below is fixed, the "
                    "same command adds them (no new invitation is sent)",
                    err=True,
                )
            raise
    _tell_invitation(membership.invited, mode, password, err=as_json)
    if as_json:
        _echo_json(_membership_json(membership))  # json.dumps escapes control characters
    else:
        # The membership's fields are the server's text: shown escaped.
        click.echo(
            f"{shown(user, 120)} is now {shown(str(membership.role), 120)} in "
            f"organization {shown(membership.organization_id, 120)} "
            f"(membership {shown(membership.id, 120)})"
        )


@cli.command("remove-user", short_help="Remove one user from an organization (needs --yes).")
@_org_option
@_user_option
@click.option(
    "--yes",
    is_flag=True,
    help="Really remove the user. Without it nothing is sent: the command says what it would "
    "do and exits 2 (it never asks).",
)
@click.option("--base-url", metavar="URL", help="The API's base URL (default: $ARIZE_BASE_URL).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def remove_user_command(
    org_id: str, user: str, yes: bool, base_url: str | None, as_json: bool
) -> None:
    """Remove one user from an organization, and from every space in it.

    The account stays: adding the user again undoes the removal (unlike
    deleting the account, which is permanent). Removing someone who is no
    longer a member answers 404 (exit 1), which leaves them out all the same.

    \b
    Examples:
      arize-orgs remove-user --org QWNjb3VudE9yZ2FuaXphdGlvbjox --user jane@acme.com --yes
      arize-orgs remove-user --org ORG --user VXNlcjoxMjM0NQ==       # says what it would do
    """
    from ..ids import check_email, check_id, is_email

    # Checked here too, so that a mistake is told before --yes is asked for.
    org = check_id(org_id, "organization")
    who = check_email(user) if is_email(user) else check_id(user, "user", argument="--user")
    if not yes:
        raise Failure(
            f"remove-user would remove {shown(who, 120)} from organization {org} and from "
            "every space in it; nothing was sent: add --yes to remove them",
            EXIT_BAD_INPUT,
        )
    from ..client import OrgClient

    with OrgClient(base_url=base_url) as client:
        user_id = client.remove_user(org, who)
    if as_json:
        _echo_json({"removed": True, "user_id": user_id, "organization_id": org})
    else:
        named = shown(who, 120) if who == user_id else f"{shown(who, 120)} ({shown(user_id, 120)})"
        click.echo(f"removed {named} from organization {org}")


@cli.command("add-users", short_help="Add or remove the users listed in a file, row by row.")
@click.option(
    "--org", "org_id", required=True, metavar="ORG_ID", help="The organization's global id."
)
@click.argument("file", metavar="FILE")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=8,  # = client.DEFAULT_CONCURRENCY; a literal so that --help loads no httpx
    show_default=True,
    help="Requests in flight at once.",
)
@click.option(
    "--rate",
    metavar="N/SECONDS",
    help="At most N requests per SECONDS to each endpoint, evenly spaced (Arize publishes "
    "100/60); a plain number is per second. Default: no cap, the server's 429s set the pace.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and resolve emails; write nothing.")
@click.option(
    "--report",
    metavar="PATH",
    help="Append a header (the organization, the server, the input) and one JSON object per "
    "row (line, user, role, outcome, membership_id or error).",
)
@click.option(
    "--resume",
    metavar="PATH",
    help="Skip the rows an earlier --report of the same organization and server has as ok "
    "(with the same role).",
)
@click.option(
    "--invite",
    is_flag=True,
    help="An add row whose email matches no account invites it first, then adds the user "
    "(account role: the row's account_role, else annotator for the annotator role, member for "
    "any other). The report marks such rows invited: true.",
)
@click.option(
    "--invite-mode",
    type=click.Choice(["email-link", "none"]),
    default="email-link",
    show_default=True,
    help="With --invite: email-link emails each person a link; none sends nothing (single "
    "sign-on). Temporary passwords are for add-user only: no report may show them.",
)
@click.option(
    "--allow-remove",
    is_flag=True,
    help="Let rows with action remove run. Without it a file that has any is refused "
    "(exit 2, nothing sent).",
)
@click.option(
    "--max-removals",
    type=click.IntRange(0),
    default=25,  # = _http.DEFAULT_MAX_REMOVALS; a literal so that --help loads no httpx
    show_default=True,
    metavar="N",
    help="Refuse (exit 2, nothing sent) a file that would remove more than N users.",
)
@click.option(
    "--quiet", is_flag=True, help="No progress bar and no line per failed or invalid row."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--base-url", metavar="URL", help="The API's base URL (default: $ARIZE_BASE_URL).")
def add_users_command(
    org_id: str,
    file: str,
    concurrency: int,
    rate: str | None,
    dry_run: bool,
    report: str | None,
    resume: str | None,
    invite: bool,
    invite_mode: str,
    allow_remove: bool,
    max_removals: int,
    quiet: bool,
    as_json: bool,
    base_url: str | None,
) -> None:
    """Add every user listed in FILE to an organization ('-' reads standard input),
    or remove them.

    FILE is CSV with a header row, or JSON Lines, with the columns (keys)
    user (an id or an email), role and optionally account_role and action
    (add, the default, or remove; a removal needs no role). Every row
    gets one outcome: ok, skipped (a repeat), invalid (found before sending:
    bad id or role, the annotator rule, an unknown email, two roles for one
    user, or one user both added and removed), failed (the API refused, after
    retries), or not_attempted (the run stopped first). A line on stderr
    tells each failed or invalid row.

    Removals run only with --allow-remove, and never more than --max-removals
    users (25 unless told): a file over the limit is refused before any
    request. With --invite, emails that match no account are invited, then
    added. A --dry-run shows each planned invitation and removal.

    Every request to an endpoint shares that endpoint's pace: a 429 holds
    every worker until the server's window turns (Retry-After, or learned
    from the refusals), then the refused request is sent again. Emails are
    resolved the cheaper way: one look-up each for a few, a listing of all
    users for many. A dead key, a key that may not add users, or an unknown
    organization stops the run after one request. Ctrl-C stops cleanly (twice:
    at once); --resume with the same --report finishes the rest without
    repeating a write.

    \b
    Exit codes: 0 every row ok or skipped; 1 some row invalid, failed or not
    attempted, or the run stopped; 2 the file, the report or an option
    cannot be used (nothing was sent).

    \b
    Examples:
      arize-orgs add-users --org ORG team.csv --report team.report.jsonl
      arize-orgs add-users --org ORG changes.csv --invite --allow-remove --dry-run
    """
    from ..bulk import Rate
    from .bulkview import run_add_users

    summary = run_add_users(
        org_id,
        file,
        concurrency=concurrency,
        rate=None if rate is None else Rate.parse(rate),
        dry_run=dry_run,
        report=report,
        resume=resume,
        quiet=quiet,
        as_json=as_json,
        base_url=base_url,
        invite=invite,
        invite_mode=invite_mode,
        allow_remove=allow_remove,
        max_removals=max_removals,
    )
    if not summary.all_ok:
        raise SystemExit(EXIT_FAILED)


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
    help="demo: one organization and one user of each account role.",
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
    as_json: bool,
) -> None:
    """Run a local stand-in for the Arize API until interrupted (Ctrl-C).

    Prints its base URL, an admin key and, with --seed demo, an organization
    and one user of each account role. Point the client at it with
    ARIZE_BASE_URL and ARIZE_API_KEY.
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
    if seed == "demo":
        details["org_id"] = sb.add_organization("Acme")
        details["users"] = {
            r: sb.add_user(f"{r}@acme.test", account_role=r)
            for r in ("admin", "member", "annotator")
        }
    if users:
        details.setdefault("org_id", sb.add_organization("Acme"))
        details["extra_users"] = [sb.add_user(f"user{i}@sandbox.test") for i in range(users)]
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


@cli.command("demo", short_help="Show what arize-orgs does, against an embedded sandbox.")
def demo_command() -> None:
    """Show what arize-orgs does, against an embedded sandbox (no account needed)."""
    with _needs_sandbox_extra():
        from .demo import run

    run()


@contextlib.contextmanager
def _needs_sandbox_extra() -> Iterator[None]:
    """The sandbox is an extra: without it, say how to install it (exit 2)."""
    try:
        yield
    except ImportError as exc:
        raise Failure(
            "this command runs the sandbox, which needs its extra: "
            "pip install 'arize-orgs[cli,sandbox]'",
            EXIT_BAD_INPUT,
        ) from exc


def _fail(message: str, code: int, where: str = PROG) -> NoReturn:
    # Scrubbed of the key in any form (even one no client registered yet),
    # and printable: a message may quote a server or a file.
    message = scrub(message, also=os.environ.get("ARIZE_API_KEY", "").strip() or None)
    click.echo(f"{where}: error: {shown(' '.join(message.split()), 2000)}", err=True)
    raise SystemExit(code)


class _Warnings(logging.Handler):
    """The library's warnings (a role the server changed, TLS verification
    off) as one line each on stderr, like the command's own errors."""

    def emit(self, record: logging.LogRecord) -> None:
        text = scrub(record.getMessage())
        click.echo(f"{PROG}: warning: {shown(' '.join(text.split()), 2000)}", err=True)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The console script: runs `cli` and turns every failure into one line."""
    # stamina reports each retry through logging; the CLI's own messages suffice.
    logging.getLogger("stamina").setLevel(logging.ERROR)
    warnings = _Warnings(logging.WARNING)
    ours = logging.getLogger("arize_orgs")
    ours.addHandler(warnings)
    try:
        _main(argv)
    finally:
        ours.removeHandler(warnings)


def _main(argv: Sequence[str] | None) -> NoReturn:
    code: int | None = EXIT_OK
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False
        )
    except Failure as exc:
        _fail(str(exc), exc.code)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else PROG
        _fail(f"{exc.format_message()} (see {where} --help)", EXIT_BAD_INPUT, where)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except SystemExit:
        raise
    except (click.Abort, KeyboardInterrupt):
        _fail("interrupted", 130)
    except InvalidInputError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    except ArizeOrgsError as exc:
        _fail(f"{type(exc).__name__}: {exc}", EXIT_FAILED)
    except click.ClickException as exc:
        _fail(exc.format_message(), EXIT_BAD_INPUT)
    except BrokenPipeError:
        raise SystemExit(EXIT_FAILED) from None
    except Exception as exc:
        _fail(f"unexpected {type(exc).__name__}: {exc} (please report this)", EXIT_FAILED)
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)
