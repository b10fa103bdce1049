"""Checked by `mypy --strict` (scripts/test), never run: the public API as
DESIGN.md writes it must type-check for callers."""

from __future__ import annotations

import httpx

from arize_orgs import (
    AccountRole,
    AsyncOrgClient,
    Membership,
    OrgClient,
    Role,
    Secret,
    User,
    allowed_roles,
    check_role,
    errors,
)


def sync_usage(org_id: str, user_id: str, custom_role_id: str) -> list[Membership]:
    out: list[Membership] = []
    with OrgClient() as client:
        out.append(client.add_user(org_id, user_id, "member"))
        out.append(
            client.add_user(org_id, user_id, Role.ANNOTATOR, account_role=AccountRole.ANNOTATOR)
        )
        out.append(client.add_user(org_id, user_id, Role.custom(custom_role_id)))
        out.append(client.add_user(org_id, user_id, "admin", check_account=True))
        quick: OrgClient = client.with_options(timeout=5.0, max_retries=0)
        user: User = quick.find_user("jane@acme.test")
        role: AccountRole | None = user.account_role
        assert role is not None
    m = out[0]
    ids: tuple[str, str, str] = (m.id, m.user_id, m.organization_id)
    assert ids
    r: Role = m.role
    assert r.known
    return out


async def async_usage(org_id: str, user_id: str) -> Membership:
    async with AsyncOrgClient(
        api_key="k", base_url="http://127.0.0.1:8000", timeout=httpx.Timeout(3)
    ) as c:
        return await c.add_user(org_id, user_id, Role.READ_ONLY)


def rules() -> frozenset[Role]:
    check_role(AccountRole.ANNOTATOR, Role.ANNOTATOR)
    assert Role.parse("Read only") == Role.READ_ONLY
    try:
        check_role("annotator", "admin")
    except errors.RoleRuleError as exc:
        allowed: frozenset[Role] = exc.allowed
        assert allowed
    try:
        OrgClient()
    except errors.APIStatusError as exc:
        status: int = exc.status
        detail: str | None = exc.detail
        assert status and detail is None
    except errors.RateLimitError as exc:
        wait: float | None = exc.retry_after
        assert wait
    return allowed_roles(AccountRole.ANNOTATOR)


def bulk_usage(org_id: str) -> int:
    from arize_orgs import BulkOptions, BulkResult, RowResult, Summary

    with OrgClient() as client:
        result: BulkResult = client.add_users(org_id, "team.csv", concurrency=4, dry_run=True)
    summary: Summary = result.summary
    rows: list[RowResult] = result.results
    options = BulkOptions(concurrency=2, rate=1.5)
    return summary.rows + len(rows) + options.concurrency


def lifecycle_usage(org_id: str, user_id: str) -> str:
    with OrgClient() as client:
        m: Membership = client.add_user(org_id, "new@acme.test", "annotator", invite=True)
        invited: User | None = m.invited
        assert invited is not None
        user: User = client.invite_user(
            "temp@acme.test",
            name="Temp",
            account_role=AccountRole.MEMBER,
            invite_mode="temporary-password",
        )
        secret: Secret | None = user.temporary_password
        password: str = secret.reveal() if secret is not None else ""
        removed: str = client.remove_user(org_id, user_id)
        try:
            client.invite_user("active@acme.test")
        except errors.ConflictError as exc:
            assert exc.status == 409
        result = client.add_users(
            org_id, "changes.csv", invite=True, allow_remove=True, max_removals=5
        )
        assert result.summary.invited + result.summary.removed >= 0
    return password + removed


async def async_lifecycle_usage(org_id: str) -> User:
    async with AsyncOrgClient() as c:
        await c.remove_user(org_id, "leaver@acme.test")
        await c.add_user(org_id, "hire@acme.test", Role.MEMBER, invite=True, invite_mode="none")
        return await c.invite_user("x@acme.test", account_role="annotator")
