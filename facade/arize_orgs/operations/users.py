"""Account users: look up, list, find by email, invite. Each operation is a
flow (see `_flow`): its checks, requests and reading, with no I/O."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from typing import Final

import attrs

from .. import _wire
from .._flow import Flow
from .._paging import PageGuard
from .._text import printable
from ..errors import APIResponseValidationError, ArizeOrgsError, InvalidInputError
from ..ids import MAX_EMAIL, check_display_name, check_email, check_id, email_key, is_email
from ..records import InviteMode, User, UserPage, check_invite_mode
from ..roles import AccountRole
from ._answers import read
from .context import Context

__all__ = [
    "PAGE_SIZE",
    "Invitation",
    "Matches",
    "check_invite",
    "find_user",
    "get_user",
    "invite",
    "invite_user",
    "keeping",
    "list_users",
    "matches",
    "resolved_id",
]

log = logging.getLogger("arize_orgs")
PAGE_SIZE: Final = 100  # the most GET /v2/users answers in one page
MAX_IDS_SHOWN: Final = 5  # ids of the users sharing an email that an error lists


@attrs.frozen
class Invitation:
    """An invitation, checked, not yet sent."""

    email: str
    name: str | None
    account_role: AccountRole
    mode: InviteMode


@contextlib.contextmanager
def keeping(invited: User | None) -> Iterator[None]:
    """An error after an invitation carries the invited user (`.invited`):
    the invitation stands, and its temporary password, if any, would
    otherwise be lost with the error."""
    try:
        yield
    except ArizeOrgsError as exc:
        if invited is not None:
            exc.invited = invited
        raise
    except BaseException as exc:  # Ctrl-C: the caller may still keep the password
        if invited is not None:
            with contextlib.suppress(AttributeError):
                exc.invited = invited  # type: ignore[attr-defined]
        raise


@attrs.define
class Matches:
    """The users whose email is exactly `email` (ignoring the case of ASCII
    letters), gathered page by page: the first few and how many in all, so
    that pages of other users, or of any number of matches, cost nothing
    kept."""

    email: str
    first: list[User] = attrs.field(factory=list)
    count: int = 0

    def add(self, users: Iterable[User]) -> None:
        key = email_key(self.email)
        for user in users:
            if email_key(user.email) == key:
                self.count += 1
                if len(self.first) < MAX_IDS_SHOWN:
                    self.first.append(user)

    def pick(self) -> User:
        """The one user with the email; InvalidInputError for none or more."""
        if self.count == 1:
            return self.first[0]
        if not self.count:
            raise InvalidInputError(
                f"no user has the email {self.email!r}; check the address, or invite the user "
                "first (add_user(..., invite=True), or --invite)"
            )
        ids = ", ".join(printable(u.id, 80) for u in self.first)
        if self.count > MAX_IDS_SHOWN:
            ids += f", and {self.count - MAX_IDS_SHOWN} more"
        raise InvalidInputError(
            f"{self.count} users have the email {self.email!r} ({ids}); pass the user id instead"
        )


def _list_args(
    email: str | None, cursor: str | None, limit: int
) -> tuple[str | None, str | None, int]:
    """GET /v2/users's arguments, checked: `email` a fragment of up to 255
    characters, `limit` 1 to 100."""
    if email is not None:
        if not isinstance(email, str) or not email.strip() or len(email.strip()) > MAX_EMAIL:
            raise InvalidInputError(
                f"email must be a non-empty text of at most {MAX_EMAIL} characters "
                "(a whole address or a part of one)"
            )
        email = email.strip()
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= PAGE_SIZE:
        raise InvalidInputError(
            f"limit must be a whole number from 1 to {PAGE_SIZE}, not {limit!r}"
        )
    if cursor is not None and not isinstance(cursor, str):
        raise InvalidInputError("cursor must be the next_cursor of an earlier page")
    return email, cursor, limit


def user_id_of(user_id: str) -> str:
    """A user id, checked; an email is refused with the way to look it up."""
    if isinstance(user_id, str) and is_email(user_id):
        raise InvalidInputError(
            f"{user_id.strip()[:80]!r} is an email address, not a user id; "
            "look the user up with find_user(email)"
        )
    return check_id(user_id, "user")


def id_or_email(user: str) -> str:
    """`user` as given to a membership call: an email (checked), else a user id."""
    if isinstance(user, str) and is_email(user):
        return check_email(user)
    return check_id(user, "user", argument="user")


def resolved_id(ctx: Context, who: str) -> Flow[str]:
    """The id of `who` (as `id_or_email` returns it): an id as it is, an
    email looked up (exactly one user must have it)."""
    if is_email(who):
        return (yield from find_user(ctx, who)).id
    return who


def get_user(ctx: Context, user_id: str) -> Flow[User]:
    """The account user with this id (GET /v2/users/{user_id}), with their
    account role. NotFoundError if there is none."""
    wanted = user_id_of(user_id)
    answer = yield _wire.get_user_request(wanted)
    found = read(answer, _wire.user)
    if found.id != wanted:
        # Never taken for this one: the annotator rule would be checked
        # against another user's account role.
        raise APIResponseValidationError(
            answer.status,
            f"the answer is user {found.id!r}, not user {wanted} as asked; check the base URL",
            method=answer.method,
        )
    return found


def list_users(
    ctx: Context, email: str | None = None, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Flow[UserPage]:
    """One page of the account's users (GET /v2/users), those whose email
    contains `email` if given; pass the page's `next_cursor` as `cursor`
    for the next one."""
    answer = yield _wire.list_users_request(*_list_args(email, cursor, limit))
    return read(answer, _wire.user_page)


def matches(ctx: Context, email: str) -> Flow[Matches]:
    """The users whose email is exactly `email` (ignoring case), all pages
    read (guarded against a server that would page for ever); only they
    are kept."""
    found = Matches(email)
    guard = PageGuard()
    cursor: str | None = None
    while True:
        page = yield from list_users(ctx, email, cursor=cursor)
        found.add(page.users)
        cursor = guard.next(page.next_cursor)
        if cursor is None:
            return found


def find_user(ctx: Context, email: str) -> Flow[User]:
    """The one account user whose email is `email` (ignoring the case of
    ASCII letters), with their account role. InvalidInputError when none or
    several have it (naming their ids)."""
    found = yield from matches(ctx, check_email(email))
    return found.pick()


def check_invite(
    email: str,
    name: str | None,
    account_role: AccountRole | str,
    invite_mode: InviteMode | str,
) -> Invitation:
    address = check_email(email)
    if name is not None:
        name = check_display_name(name)
    account = AccountRole.parse(account_role)
    if not account.known:
        raise InvalidInputError(
            f"the account role {str(account)!r} is not known to this version of arize-orgs "
            "and cannot be sent; upgrade arize-orgs"
        )
    return Invitation(address, name, account, check_invite_mode(invite_mode))


def invite_user(
    ctx: Context,
    email: str,
    *,
    name: str | None = None,
    account_role: AccountRole | str = AccountRole.MEMBER,
    invite_mode: InviteMode | str = "email-link",
) -> Flow[User]:
    """Invite a person to the account (POST /v2/users) and return their
    account user.

    The email is the invitation's key: a new one makes a user (201); one
    that already belongs to an invited user answers that user as it is
    (200; nothing changes, no second email), which is why repeating an
    invitation, and so retrying one, is safe. An email of an active
    account raises ConflictError (409): add that user instead.

    `invite_mode`: "email-link" emails them a link, "none" sends nothing
    (single sign-on), "temporary-password" has the server make a password,
    returned once as the user's `temporary_password` (a `Secret`: call
    `.reveal()` and hand it on safely; nothing of arize-orgs ever shows it).
    An invitation answered 200 carries no password (a warning is logged).
    `account_role` is checked like any account role; `name` is the
    person's display name (the server picks one when None).
    """
    return (yield from invite(check_invite(email, name, account_role, invite_mode)))


def invite(invitation: Invitation) -> Flow[User]:
    """Send a checked invitation; the user it answered."""
    answer = yield _wire.invite_request(
        invitation.email, invitation.name, invitation.account_role, invitation.mode
    )
    # An answer that cannot be read may hold a temporary password, so the
    # error made of it carries neither its text nor the original error.
    try:
        found = read(answer, _wire.invited_user)
    except APIResponseValidationError as exc:
        error = APIResponseValidationError(
            exc.status,
            "the answer is not an account user (its text is not kept: it may hold a "
            "temporary password); repeating the invitation is safe, the email is its key",
        )
    else:
        if email_key(found.email or "") != email_key(invitation.email):
            # Adding the user answered would add someone else (an upsert
            # can even demote an admin): nothing goes on from here.
            raise APIResponseValidationError(
                answer.status,
                f"the invitation of {invitation.email} was answered with another user "
                f"({printable(str(found.email), 120)}, {found.id}); nothing more was sent: "
                "check the server",
                method=answer.method,
            )
        if invitation.mode == "temporary-password" and found.temporary_password is None:
            log.warning(
                "no temporary password came back for %r: the email already had an "
                "invitation, which Arize answers as it is, with no new password",
                found.email,
            )
        return found
    raise error  # outside the except: the error keeps no trace of the answer


def found_or_invited(
    ctx: Context, email: str, invitation: Invitation | None
) -> Flow[tuple[User, User | None]]:
    """The one user with this email, and None; or, when none has it and an
    invitation is given, the user it created, twice."""
    found = yield from matches(ctx, email)
    if not found.count and invitation is not None:
        invited = yield from invite(invitation)
        return invited, invited
    return found.pick(), None
