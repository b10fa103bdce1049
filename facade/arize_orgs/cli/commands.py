"""The `arize-orgs` commands. Logic that a library user would also want lives
in the library; this module parses arguments and prints.

Exit codes: 0 done; 1 the API, the network or some rows failed; 2 bad input.
Every error is one line on stderr; never a traceback, never a prompt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
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
    """Add users to Arize AX organizations and their spaces.

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
BY_NAME = (
    "A name is matched exactly, case-sensitively; several matches are refused, naming their ids."
)
_org_option = click.option(
    "--org",
    "org_id",
    metavar="ORG",
    help="The organization: its name or its global id (required without --space). " + BY_NAME,
)
_space_option = click.option(
    "--space",
    metavar="SPACE",
    help="The space: its name or its global id. A name is looked up within --org when given, "
    "else among every space the key sees. " + BY_NAME,
)
_user_option = click.option(
    "--user",
    "user_option",
    metavar="USER",
    help="The same as the USER argument (give one or the other).",
)
_user_argument = click.argument("user_argument", metavar="[USER]", required=False)


def _usage(message: str) -> click.UsageError:
    """A usage error of the command running (its --help is named)."""
    return click.UsageError(message, ctx=click.get_current_context(silent=True))


def _the_user(option: str | None, argument: str | None) -> str:
    """USER or --user: exactly one of them."""
    if option is not None and argument is not None:
        raise _usage("give the user once: as USER or as --user USER, not both")
    if option is None and argument is None:
        raise _usage("Missing the user: give USER or --user USER (a user's id or their email)")
    return option if option is not None else str(argument)


def _id_or_name(value: str, kind: Literal["organization", "space"]) -> str:
    """An --org or --space checked before anything is sent: an id as ids are
    checked (a user id given for an organization is told), else a name."""
    from ..ids import check_id, check_name, is_id

    if is_id(value):
        return check_id(value, kind, argument=f"--{'org' if kind == 'organization' else kind}")
    return check_name(value, f"{'an organization' if kind == 'organization' else 'a space'}'s name")


def _named(given: str, found_id: str) -> str:
    """What a command names: as given, with the id it resolved to if it was a name."""
    if given == found_id:
        return shown(given, 120)
    return f"{shown(given, 120)} ({shown(found_id, 120)})"


def _where(kind: str, given: str, found_id: str, membership_id: str) -> str:
    """'space prod (U3BhY2U6MQ==, membership ...)', or without the name if an id was given."""
    of = f"membership {shown(membership_id, 120)}"
    if given == found_id:
        return f"{kind} {shown(found_id, 120)} ({of})"
    return f"{kind} {shown(given, 120)} ({shown(found_id, 120)}, {of})"


def _space_membership_json(m: Any) -> dict[str, Any]:
    made = m.organization_membership
    return {
        "id": m.id,
        "user_id": m.user_id,
        "space_id": m.space_id,
        "role": str(m.role),
        "organization_membership": None if made is None else _membership_json(made),
    }


def _add_to_space(
    space: str,
    user: str,
    role: str,
    *,
    org: str | None,
    org_role: str | None,
    account_role: str | None,
    check_account: bool,
    base_url: str | None,
    as_json: bool,
) -> None:
    """add-user --space: with --org-role, the organization add and then the
    space's; without, the space's only (--org, if given, only says where the
    space is)."""
    from ..client import OrgClient

    with OrgClient(base_url=base_url) as client:
        membership = client.spaces.add_user(
            space,
            user,
            role,
            org=org,
            account_role=account_role,
            check_account=check_account,
            ensure_org_role=org_role,
        )
    if as_json:
        _echo_json(_space_membership_json(membership))
        return
    # The memberships' fields are the server's text: shown escaped.
    in_space = (
        f"{shown(str(membership.role), 120)} in "
        f"{_where('space', space, membership.space_id, membership.id)}"
    )
    made = membership.organization_membership
    if made is None:
        click.echo(f"{shown(user, 120)} is now {in_space}")
        return
    in_org = _where("organization", org or made.organization_id, made.organization_id, made.id)
    click.echo(f"{shown(user, 120)} is now {shown(str(made.role), 120)} in {in_org} and {in_space}")


@cli.command(
    "add-user", short_help="Add one user to an organization or a space, or change their role."
)
@_user_argument
@_org_option
@_space_option
@_user_option
@click.option(
    "--role",
    metavar="ROLE",
    help="Required. admin, member, read-only, annotator, or custom:<role name or id>. Spelling "
    "is lenient; a custom role's name is matched exactly, as --org's is.",
)
@click.option(
    "--org-role",
    metavar="ROLE",
    help="With --space: first add the user to the space's organization with this role, then "
    "to the space. An upsert: it sets the role of someone already a member (an admin given "
    "member becomes a member), so give it for people new to the organization.",
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
    help="If no account has the USER email, invite it first, then add the new user: "
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
    user_argument: str | None,
    org_id: str | None,
    space: str | None,
    user_option: str | None,
    role: str | None,
    org_role: str | None,
    account_role: str | None,
    check_account: bool,
    invite: bool,
    name: str | None,
    invite_mode: str | None,
    password_file: str | None,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Add USER (a user's global id, or their email) to an organization with
    a role, or to a space (or change their role).

    --org and --space take a name or a global id. A name is matched exactly,
    case-sensitively; several matches are refused, naming their ids (pass
    the id then; list-orgs and list-spaces show them).

    With --space, the user is added to the space; --org, if given, says
    which organization's space a name means (and an id is checked to be
    one of its spaces). Arize adds nobody to a space who is not a member of
    its organization: such a user is refused (exit 1, nothing written).
    With --org-role too, the user is first added to the organization with
    that role, then to the space, in that order (it sets the organization
    role of someone already a member: give it for newcomers).

    With --invite (organizations only), a new hire's email that matches no
    account is invited to the account and added in the same call, the
    annotator rule holding by construction; an email that has an account is
    simply added.

    \b
    Examples:
      arize-orgs add-user --org QWNjb3VudE9yZ2FuaXphdGlvbjox --role member jane@acme.com
      arize-orgs add-user --org Acme --role annotator --check-account VXNlcjoxMjM0NQ==
      arize-orgs add-user --org Acme --role annotator --invite new.hire@acme.com
      arize-orgs add-user --space prod --org Acme --role read-only jane@acme.com
      arize-orgs add-user --space prod --org Acme --role read-only --org-role member new@acme.com
    """
    from ..client import OrgClient

    user = _the_user(user_option, user_argument)
    if role is None:
        raise _usage("Missing option '--role'.")
    if space is None and org_id is None:
        raise _usage("Missing option '--org' (or --space SPACE).")
    if org_role is not None and space is None:
        raise Failure(
            "--org-role goes with --space: the role the user gets in the space's organization, "
            "which they are added to first (for the organization alone, use --org and --role)",
            EXIT_BAD_INPUT,
        )
    if account_role is not None and check_account:
        raise Failure("give --account-role or --check-account, not both", EXIT_BAD_INPUT)
    if space is not None:
        if invite or name is not None or invite_mode is not None or password_file is not None:
            raise Failure(
                "--invite, --name, --invite-mode and --password-file go with an organization "
                "add only: invite with add-user --org ORG --invite first, then add the user "
                "to the space",
                EXIT_BAD_INPUT,
            )
        _add_to_space(
            space,
            user,
            role,
            org=org_id,
            org_role=org_role,
            account_role=account_role,
            check_account=check_account,
            base_url=base_url,
            as_json=as_json,
        )
        return
    assert org_id is not None
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


@cli.command(
    "remove-user", short_help="Remove one user from an organization or a space (needs --yes)."
)
@_user_argument
@_org_option
@_space_option
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
    user_argument: str | None,
    org_id: str | None,
    space: str | None,
    user_option: str | None,
    yes: bool,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Remove USER (a user's global id, or their email) from an organization,
    and from every space in it; or, with --space, from that space only.

    --org and --space take a name or a global id. A name is matched exactly,
    case-sensitively; several matches are refused, naming their ids (pass
    the id then; list-orgs and list-spaces show them). With --space, --org
    only says where to look the space's name up: the user stays a member of
    the organization.

    The account stays: adding the user again undoes the removal (unlike
    deleting the account, which is permanent). Removing someone who is no
    longer a member answers 404 (exit 1), which leaves them out all the same.

    \b
    Examples:
      arize-orgs remove-user --org QWNjb3VudE9yZ2FuaXphdGlvbjox jane@acme.com --yes
      arize-orgs remove-user --org Acme VXNlcjoxMjM0NQ==       # says what it would do
      arize-orgs remove-user --space prod --org Acme jane@acme.com --yes
    """
    from ..ids import check_email, check_id, is_email

    user = _the_user(user_option, user_argument)
    if space is None and org_id is None:
        raise _usage("Missing option '--org' (or --space SPACE).")
    # Checked here too, so that a mistake is told before --yes is asked for.
    org = None if org_id is None else _id_or_name(org_id, "organization")
    where = None if space is None else _id_or_name(space, "space")
    who = check_email(user) if is_email(user) else check_id(user, "user", argument="--user")
    if not yes:
        if where is None:
            what = f"from organization {shown(str(org), 120)} and from every space in it"
        else:
            within = "" if org is None else f" of organization {shown(org, 120)}"
            what = f"from space {shown(where, 120)}{within} (not from the organization)"
        raise Failure(
            f"remove-user would remove {shown(who, 120)} {what}; nothing was sent: add --yes "
            "to remove them",
            EXIT_BAD_INPUT,
        )
    from ..client import OrgClient

    with OrgClient(base_url=base_url) as client:
        if where is None:
            assert org is not None
            org_found = client.organizations.resolve(org).id
            user_id = client.remove_user(org_found, who)
        else:
            found = client.spaces.resolve(where, org)
            user_id = client.spaces.remove_user(found.id, who)
    named = shown(who, 120) if who == user_id else f"{shown(who, 120)} ({shown(user_id, 120)})"
    if where is None:
        if as_json:
            _echo_json({"removed": True, "user_id": user_id, "organization_id": org_found})
        else:
            click.echo(f"removed {named} from organization {_named(org or org_found, org_found)}")
    elif as_json:
        _echo_json(
            {
                "removed": True,
                "user_id": user_id,
                "space_id": found.id,
                "organization_id": found.organization_id,
            }
        )
    else:
        click.echo(
            f"removed {named} from space {_named(where, found.id)}; they stay a member of "
            "its organization"
        )


def _when(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _organization_json(o: Any) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "description": o.description,
        "created_at": _when(o.created_at),
    }


def _space_json(s: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "organization_id": s.organization_id,
        "description": s.description,
        "is_private": s.is_private,
        "created_at": _when(s.created_at),
    }


def _print_table(columns: Sequence[str], rows: Sequence[Sequence[str | None]]) -> None:
    """A rich table of the server's text (escaped, never read as markup). Ids
    are never wrapped or cut: off a terminal the table is as wide as it
    needs to be."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=100_000)
    table = Table(*columns)
    for column in table.columns:
        column.no_wrap = column.header != "name"
        column.overflow = "fold"
    for row in rows:
        table.add_row(*(Text(shown(cell or "", 300)) for cell in row))
    console.print(table)


_name_filter = click.option(
    "--name",
    metavar="TEXT",
    help="Only those whose name contains TEXT, ignoring case (the server's filter; a name "
    "given to --org or --space elsewhere must match exactly).",
)


@cli.command("list-orgs", short_help="List the organizations the key sees, with their ids.")
@_name_filter
@click.option("--base-url", metavar="URL", help="The API's base URL (default: $ARIZE_BASE_URL).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
def list_orgs_command(name: str | None, base_url: str | None, as_json: bool) -> None:
    """List the organizations the key sees: name and id (every page read).

    Every --org takes a name from this list or an id. A name is matched
    exactly, case-sensitively; several matches are refused, naming their
    ids: pass the id of the one you mean then.

    \b
    Examples:
      arize-orgs list-orgs
      arize-orgs list-orgs --name acme --json
    """
    from ..client import OrgClient

    with OrgClient(base_url=base_url) as client:
        found = client.organizations.list(name)
    if as_json:
        _echo_json([_organization_json(o) for o in found])
    elif not found:
        matching = "" if name is None else f" whose name has {shown(repr(name), 120)}"
        click.echo(f"no organizations{matching}")
    else:
        _print_table(["name", "id"], [(o.name, o.id) for o in found])


@cli.command("list-spaces", short_help="List the spaces the key sees, with their ids.")
@click.option(
    "--org",
    "org_id",
    metavar="ORG",
    help="Only the spaces of this organization: its name or its global id. " + BY_NAME,
)
@_name_filter
@click.option("--base-url", metavar="URL", help="The API's base URL (default: $ARIZE_BASE_URL).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
def list_spaces_command(
    org_id: str | None, name: str | None, base_url: str | None, as_json: bool
) -> None:
    """List the spaces the key sees (of --org only, if given): name, id,
    organization id and whether the space is private (every page read).

    Every --space takes a name from this list or an id, and --org a name or
    an id. A name is matched exactly, case-sensitively; several matches are
    refused, naming their ids: pass the id then, or (for a space) --org to
    look the name up within one organization.

    \b
    Examples:
      arize-orgs list-spaces --org Acme
      arize-orgs list-spaces --name prod --json
    """
    from ..client import OrgClient

    with OrgClient(base_url=base_url) as client:
        found = client.spaces.list(org_id, name=name)
    if as_json:
        _echo_json([_space_json(s) for s in found])
    elif not found:
        matching = "" if name is None else f" whose name has {shown(repr(name), 120)}"
        click.echo(f"no spaces{matching}")
    else:
        flag = {True: "yes", False: "no", None: ""}
        _print_table(
            ["name", "id", "organization id", "private"],
            [(s.name, s.id, s.organization_id, flag[s.is_private]) for s in found],
        )


@cli.command("add-users", short_help="Add or remove the users listed in a file, row by row.")
@click.option(
    "--org",
    "org_id",
    required=True,
    metavar="ORG",
    help="The organization: its name or its global id. " + BY_NAME,
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
    "row (line, user, role, space and space_id for a space row, outcome, membership_id or "
    "error).",
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
    """Add every user listed in FILE to an organization and its spaces ('-'
    reads standard input), or remove them.

    FILE is CSV with a header row, or JSON Lines, with the columns (keys)
    user (an id or an email), role and optionally account_role, action
    (add, the default, or remove; a removal needs no role) and space (a
    space of --org, by name or id; empty: the organization). --org takes a
    name or an id. Every row gets one outcome: ok, skipped (a repeat),
    invalid (found before sending: bad id or role, the annotator rule, an
    unknown email, space or custom role name, two roles for one user, or one
    user both added and removed), failed (the API refused, after retries),
    or not_attempted (the run stopped first, or, for a space row, the
    user's organization add in the file did not succeed). A line on stderr
    tells each failed or invalid row.

    A user's space rows are sent once their organization row is answered;
    other users' requests go on meanwhile. The file's space names are
    resolved with one listing of the organization's spaces, custom role
    names (custom:NAME) once each, before anything is written.

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
      arize-orgs add-users --org Acme ladder.csv     # columns user,role,space
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
