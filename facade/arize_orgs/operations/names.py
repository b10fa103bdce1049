"""Names where ids are taken: an organization, a space (optionally within
an organization) and a custom role may be given by name.

Text that reads as an Arize id (strict base64 of text with a colon, the test
Arize's own SDK uses) is an id and is never looked up. A name must match
exactly one: the comparison is exact and case-sensitive once the name given
is stripped of surrounding spaces ("Acme" is not "acme"), every page of the
listing is read (Arize's `name` filter is a case-insensitive substring, so
the server narrows and we decide), and none or several is InvalidInputError
naming the candidates with their ids. Arize's own SDK takes the first exact
match of several; a second organization of the same name must not silently
get the write.

Each name is resolved once per client (its `Context`) and the look-ups are
counted (`Context.name_requests`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

import attrs

from .. import _wire
from .._flow import Flow
from .._paging import MAX_NAME_PAGES, PageGuard
from .._text import printable
from ..errors import APIResponseValidationError, InvalidInputError, NotFoundError
from ..ids import check_id, check_name, is_id
from ..records import Organization, RoleDefinition, Space
from ..roles import Role
from ._answers import read
from .context import Context

__all__ = [
    "custom_role",
    "every",
    "organization",
    "organization_id",
    "space",
    "space_among",
    "spaces_of",
]

T = TypeVar("T")
LISTING_PAGE: Final = 100  # the most a listing answers in one page
MAX_SHOWN: Final = 5


def every(
    ctx: Context | None,
    request: Callable[[str | None], _wire.Call],
    parse: Callable[[Any], Any],
    what: str,
) -> Flow[list[Any]]:
    """Every item of a listing, page after page to the end (guarded against
    a server that would page for ever); `ctx` counts the requests when they
    are made for a name."""
    items: list[Any] = []
    guard = PageGuard(what, MAX_NAME_PAGES)
    cursor: str | None = None
    while True:
        if ctx is not None:
            ctx.counted()
        answer = yield request(cursor)
        page: _wire.Page = read(answer, parse)
        items.extend(page.items)
        cursor = guard.next(page.next_cursor)
        if cursor is None:
            return items


def _listed(records: Sequence[Any], limit: int = MAX_SHOWN) -> str:
    shown = ", ".join(
        f"{printable(r.name or '', 80)!r} ({printable(r.id, 80)})" for r in records[:limit]
    )
    if len(records) > limit:
        shown += f", and {len(records) - limit} more"
    return shown


def _pick(records: Sequence[T], name: str, what: str, where: str, how: str) -> T:
    """The one record named exactly `name`; InvalidInputError for none or
    several, naming the candidates and their ids."""
    exact = [r for r in records if getattr(r, "name", None) == name]
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise InvalidInputError(
            f"{len(exact)} {what}s{where} are named {name!r}: {_listed(exact)}; "
            f"nothing was sent: pass the id of the one you mean ({how})"
        )
    folded = name.casefold()
    near = [r for r in records if folded in (getattr(r, "name", None) or "").casefold()]
    hint = f"; names that differ only in case or extend it: {_listed(near)}" if near else ""
    raise InvalidInputError(
        f"no {what}{where} is named exactly {name!r} (names are case-sensitive){hint}; "
        f"nothing was sent: check the name, or pass the id ({how})"
    )


def organization(ctx: Context, org: str) -> Flow[Organization]:
    """The organization `org` names: an id is taken as it is (nothing is
    sent), a name is looked up (GET /v2/organizations?name=)."""
    if is_id(org):
        return Organization(check_id(org, "organization"))
    name = check_name(org, "an organization's name")
    key = ("organization", "", name)
    cached: Organization | None = ctx.resolved.get(key)
    if cached is not None:
        return cached
    found = yield from every(
        ctx,
        lambda cursor: _wire.list_organizations_request(name, cursor, LISTING_PAGE),
        _wire.organization_page,
        "organizations",
    )
    record: Organization = _pick(
        found, name, "organization", "", "`arize-orgs list-orgs` lists them"
    )
    ctx.remember(key, record)
    return record


def organization_id(ctx: Context, org: str) -> Flow[str]:
    return (yield from organization(ctx, org)).id


def space(ctx: Context, space_ref: str, org: str | None = None) -> Flow[Space]:
    """The space `space_ref` names: an id as it is (nothing sent, its
    organization unknown), or, with `org`, once the server says the space
    is one of that organization's (GET /v2/spaces/{space_id}: a space of
    another organization is refused before anything is written); a name
    looked up within `org` when given (by name or id), else among every
    space the key sees (GET /v2/spaces?name=)."""
    if is_id(space_ref):
        space_id = check_id(space_ref, "space")
        if org is None:
            return Space(space_id)
        return (yield from _space_of(ctx, space_id, (yield from organization_id(ctx, org))))
    name = check_name(space_ref, "a space's name")
    org_id = None if org is None else (yield from organization_id(ctx, org))
    key = ("space", org_id or "", name)
    hit: Space | None = ctx.resolved.get(key)
    if hit is not None:
        return hit
    found = yield from every(
        ctx,
        lambda cursor: _wire.list_spaces_request(org_id, name, cursor, LISTING_PAGE),
        _wire.space_page,
        "spaces",
    )
    if org_id is not None:
        found = _within(found, org_id)
    where = f" of organization {org_id}" if org_id else ""
    how = "or name its organization (--org, org=)" if org_id is None else "`arize-orgs list-spaces`"
    picked: Space = _pick(found, name, "space", where, how)
    ctx.remember(key, picked)
    return picked


def _space_of(ctx: Context, space_id: str, org_id: str) -> Flow[Space]:
    """Space `space_id` as the server answers it, once it is a space of
    organization `org_id` (remembered like a name)."""
    key = ("space", org_id, space_id)
    hit: Space | None = ctx.resolved.get(key)
    if hit is not None:
        return hit
    ctx.counted()
    try:
        answer = yield _wire.get_space_request(space_id)
    except NotFoundError as exc:
        raise exc.with_hint(
            f"no space has the id {space_id}, or the key cannot see it: check the id "
            "(`arize-orgs list-spaces --org ...` lists the organization's spaces)"
        ) from None
    found: Space = read(answer, _wire.space)
    if found.organization_id is not None and found.organization_id != org_id:
        raise InvalidInputError(
            f"space {space_id} ({printable(found.name or '', 80)!r}) is a space of organization "
            f"{found.organization_id}, not of {org_id} as given; nothing was written: check "
            "the space id and the organization"
        )
    record = attrs.evolve(found, id=space_id, organization_id=org_id)
    ctx.remember(key, record)
    return record


def spaces_of(ctx: Context, org_id: str) -> Flow[list[Space]]:
    """Every space of organization `org_id`, every page read: one listing
    for all the space names of a bulk run (counted as name look-ups)."""
    found: list[Space] = yield from every(
        ctx,
        lambda cursor: _wire.list_spaces_request(org_id, None, cursor, LISTING_PAGE),
        _wire.space_page,
        "spaces",
    )
    return _within(found, org_id)


def _within(spaces: list[Space], org_id: str) -> list[Space]:
    """`spaces`, listed as organization `org_id`'s, once none says it is
    another's: a write must not go to a space (or, with ensure_org_role, an
    organization) the caller never named. One that does not say is taken as
    the listing's, and so carries `org_id` on: nothing later asks another
    answer which organization it is in."""
    for space in spaces:
        if space.organization_id is not None and space.organization_id != org_id:
            raise APIResponseValidationError(
                200,
                f"the listing of organization {org_id}'s spaces answered space {space.id} of "
                f"organization {printable(space.organization_id, 80)}: it is not the API's "
                "answer; check the base URL",
                method="GET",
            )
    return [attrs.evolve(space, organization_id=org_id) for space in spaces]


def space_among(ctx: Context, spaces: Sequence[Space], space_ref: str, org_id: str) -> Space:
    """The space of `spaces` (all those of organization `org_id`) that
    `space_ref` names: an id must be one of them (a space of another
    organization is refused), a name must match exactly one. No I/O; a name
    found is remembered as `space` would remember it."""
    if is_id(space_ref):
        space_id = check_id(space_ref, "space")
        for candidate in spaces:
            if candidate.id == space_id:
                return candidate
        raise InvalidInputError(
            f"space {space_id} is not a space of organization {org_id}; nothing was sent for "
            "it: check the id (`arize-orgs list-spaces --org ...` lists the organization's)"
        )
    name = check_name(space_ref, "a space's name")
    key = ("space", org_id, name)
    hit: Space | None = ctx.resolved.get(key)
    if hit is not None:
        return hit
    picked: Space = _pick(
        spaces, name, "space", f" of organization {org_id}", "`arize-orgs list-spaces`"
    )
    ctx.remember(key, picked)
    return picked


def custom_role(ctx: Context, role: Role) -> Flow[Role]:
    """`role` with its id: a custom role given by name is looked up among
    the account's custom roles (GET /v2/roles, every page; Arize has no name
    filter for roles); any other role is returned as it is."""
    if role.resolved:
        return role
    name = role.by_name or ""
    key = ("role", "", name)
    cached: RoleDefinition | None = ctx.resolved.get(key)
    if cached is None:
        found: list[RoleDefinition] = yield from every(
            ctx,
            lambda cursor: _wire.list_roles_request(False, cursor, LISTING_PAGE),
            _wire.role_page,
            "roles",
        )
        custom = [r for r in found if r.is_predefined is not True]
        cached = _pick(custom, name, "custom role", "", "`arize-orgs` takes custom:<role id>")
        ctx.remember(key, cached)
    return Role.custom_id(cached.id, label=cached.name)
