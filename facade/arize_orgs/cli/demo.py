"""The main job, shown end to end against an embedded sandbox (`scripts/demo`).

Starts a local stand-in for the Arize API, adds users to an organization,
shows the annotator rule refusing a wrong role before anything is sent, shows
a server-side refusal arriving as a typed error, retries through injected
failures, invites and adds a new hire in one call, puts someone onto a space
by names (the organization first), removes someone who leaves, and stops the
sandbox.
"""

from __future__ import annotations

import logging

from .. import AccountRole, OrgClient, Role, errors
from ..sandbox import Sandbox


def _step(number: int, title: str) -> None:
    print(f"\n{number}. {title}")


def run() -> None:
    logging.getLogger("stamina").setLevel(logging.ERROR)
    print("arize-orgs demo: adding users to an Arize AX organization.")
    print("   arize-orgs works against https://api.arize.com as installed; this demo runs")
    print("   against a local sandbox that speaks the same API (upper case: READ_ONLY).")
    with Sandbox() as sb:
        org = sb.add_organization("Acme")
        prod = sb.add_space(org, "prod")
        jane = sb.add_user("jane@acme.test", account_role="member")
        raj = sb.add_user("raj@acme.test", account_role="member")
        ann = sb.add_user("ann@acme.test", account_role="annotator")
        print(f"   sandbox on {sb.base_url}: organization Acme {org} with space prod {prod},")
        print(f"   jane@acme.test (member account) {jane}, ann@acme.test (annotator account) {ann}")
        print(f"   raj@acme.test (member account, in no organization yet) {raj}")

        with OrgClient(sb.admin_key, base_url=sb.base_url) as client:
            _step(1, "Add jane to Acme as a member")
            m = client.add_user(org, jane, Role.MEMBER)
            print(f"   -> membership {m.id}: role {m.role}")
            print(f"   the sandbox now says: {sb.role_of(org, jane)}")

            _step(2, "Change jane's role to read-only (the call is an upsert)")
            m = client.add_user(org, jane, "Read only")
            print(f"   -> same membership {m.id}: role {m.role}")

            _step(3, "Find ann by email, then give her a role her account allows")
            user = client.find_user("ANN@acme.test")
            print(f"   -> {user.email} is {user.id}, account role {user.account_role}")
            m = client.add_user(org, user.id, Role.ANNOTATOR, account_role=user.account_role)
            print(f"   -> membership {m.id}: role {m.role}")

            _step(4, "The annotator rule, checked before anything is sent")
            sent_before = len(sb.request_log)
            try:
                client.add_user(org, ann, Role.ADMIN, account_role=AccountRole.ANNOTATOR)
            except errors.RoleRuleError as exc:
                print(f"   RoleRuleError: {exc}")
            print(f"   requests sent: {len(sb.request_log) - sent_before}")

            _step(5, "A refusal by the server arrives as a typed error")
            try:
                client.add_user(org, ann, "member")  # no account_role given: not checked locally
            except errors.BadRequestError as exc:
                print(f"   BadRequestError (status {exc.status}): {exc.detail}")
            with OrgClient(sb.member_key, base_url=sb.base_url) as not_admin:
                try:
                    not_admin.add_user(org, jane, "member")
                except errors.PermissionDeniedError as exc:
                    print(f"   PermissionDeniedError (status {exc.status}): {exc.detail}")

            _step(6, "Temporary failures are retried (the upsert is safe to repeat)")
            sb.fail_next(503, times=2)
            m = client.add_user(org, jane, "member")
            statuses = [status for _, _, status in sb.request_log[-3:]]
            print(f"   answers seen: {statuses} -> role {m.role}")

            _step(7, "A new hire with no account yet: invited and added in one call")
            sent_before = len(sb.request_log)
            m = client.add_user(org, "new.hire@acme.test", Role.ANNOTATOR, invite=True)
            invited = m.invited
            assert invited is not None
            print(f"   -> invited {invited.email} ({invited.id}), status {invited.status},")
            print(f"      account role {invited.account_role}: the least an annotator needs")
            print(f"   -> membership {m.id}: role {m.role}")
            calls = [f"{method} {status}" for method, _, status in sb.request_log[sent_before:]]
            print(f"   requests: {', '.join(calls)} (look up, invite, add)")

            _step(8, "raj joins space prod of Acme, by names: the organization add goes first")
            sent_before = len(sb.request_log)
            try:
                client.spaces.add_user("prod", "raj@acme.test", "read-only", org="Acme")
            except errors.BadRequestError as exc:
                print(f"   without it, BadRequestError: {exc.detail}")
            sm = client.spaces.add_user(
                "prod", "raj@acme.test", "read-only", org="Acme", ensure_org_role="member"
            )
            made = sm.organization_membership
            assert made is not None
            print(f"   -> organization role {made.role}, then space {sm.space_id} role {sm.role}")
            calls = [f"{method} {path.split('/')[2]}" for method, path, _ in sb.request_log]
            print(f"   requests: {', '.join(calls[sent_before:])}")
            print("   (the names were resolved once per client: the second call listed no")
            print("   organizations or spaces; it looked raj's email up again)")

            _step(9, "jane leaves: removed from Acme and its spaces; her account stays")
            removed = client.remove_user(org, "jane@acme.test")
            print(f"   -> removed {removed}; the sandbox now says: {sb.role_of(org, jane)}")
            try:
                client.invite_user("jane@acme.test")
            except errors.ConflictError as exc:
                print(f"   ConflictError (status {exc.status}): she has an account, so she")
                print("   cannot be invited: adding her again undoes the removal")

    print("\nThe sandbox is stopped. The same, against https://api.arize.com:")
    print("   export ARIZE_API_KEY=<an organization admin's API key>")
    print("   arize-orgs add-user --org <organization id> --user jane@yourco.com --role member")
    print("   arize-orgs add-user --org <organization id> --user new.hire@yourco.com \\")
    print("       --role annotator --invite")
    print("   arize-orgs add-user --space prod --org 'Your Co' --role read-only \\")
    print("       --org-role member raj@yourco.com")
    print("   arize-orgs remove-user --org <organization id> --user leaver@yourco.com --yes")


if __name__ == "__main__":
    run()
