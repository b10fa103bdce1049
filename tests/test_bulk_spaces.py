"""Bulk runs with a `space` column: each user's space adds go after their
organization add, the two endpoints paced apart, names resolved once; on
virtual time against the simulated Arize (see simulated.py)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from simulated import ORG, SimulatedArize, run_rows

from arize_orgs._wire import ADD_SPACE_USER, ADD_USER, LIST_ROLES, LIST_SPACES, REMOVE_SPACE_USER
from arize_orgs.bulk import BulkOptions
from arize_orgs.records import RoleDefinition, Space


def gid(kind: str, n: int) -> str:
    return base64.b64encode(f"{kind}:{n}".encode()).decode()


PROD, STAGING, OTHER = gid("Space", 1), gid("Space", 2), gid("Space", 3)


def simulation(users: int, **kwargs: Any) -> SimulatedArize:
    sim = SimulatedArize(users, **kwargs)
    sim.spaces = [
        Space(PROD, "prod", ORG),
        Space(STAGING, "staging", ORG),
        Space(OTHER, "Prod", ORG),  # differs from "prod" only in case: never taken for it
    ]
    return sim


def ladder_rows(sim: SimulatedArize, n: int) -> list[dict[str, Any]]:
    """Each of `n` users: the organization, then spaces prod (by name) and
    staging (by id); every third user by email."""
    rows: list[dict[str, Any]] = []
    for i in range(n):
        user = sim.users[i].email if i % 3 == 0 else sim.users[i].id
        rows += [
            {"user": user, "role": "member"},
            {"user": user, "role": "read-only", "space": "prod"},
            {"user": user, "role": "admin", "space": STAGING},
        ]
    return rows


def assert_space_adds_follow_org_adds(sim: SimulatedArize) -> None:
    added: set[str] = set()
    for endpoint, _, user in sim.order:
        if endpoint == ADD_USER:
            added.add(user)
        elif endpoint == ADD_SPACE_USER:
            assert user in added, f"space add of {user} before their organization add"


def test_space_adds_wait_for_their_org_add_and_endpoints_are_paced_apart() -> None:
    # 10 writes per 6 s on each endpoint: 30 organization adds take 3 windows,
    # 60 space adds 6. The run takes the busiest endpoint's bound, not the sum.
    sim = simulation(30, allowance=10, per=6.0)
    run, seconds = run_rows(sim, ladder_rows(sim, 30), BulkOptions(concurrency=8))
    assert run.summary.counts["ok"] == 90, run.summary.counts
    assert sum(sim.written.values()) == 30
    assert sim.space_written[(PROD, sim.users[4].id)] == 1
    assert sim.space_written[(STAGING, sim.users[29].id)] == 1
    assert (OTHER, sim.users[4].id) not in sim.space_written
    assert_space_adds_follow_org_adds(sim)
    assert 5 * 6.0 <= seconds < 8 * 6.0, seconds
    results = {(r.line, r.space): r for r in run.results}
    assert results[(2, "prod")].space_id == PROD
    assert results[(2, "prod")].role == "read-only"
    assert results[(1, "")].space_id is None


def test_space_rows_above_their_org_row_still_wait_for_it() -> None:
    sim = simulation(6)
    rows = ladder_rows(sim, 6)
    rows = [r for r in rows if "space" in r] + [r for r in rows if "space" not in r]
    run, _ = run_rows(sim, rows, BulkOptions(concurrency=4))
    assert run.summary.counts["ok"] == 18, [(r.line, r.outcome, r.detail) for r in run.results]
    assert_space_adds_follow_org_adds(sim)


def test_a_failed_org_add_leaves_that_users_space_rows_not_attempted() -> None:
    sim = simulation(3)
    sim.refused.add(sim.users[1].id)
    run, _ = run_rows(sim, ladder_rows(sim, 3))
    by_line = {r.line: r for r in run.results}
    # User 1's rows are lines 4 (organization), 5 and 6 (spaces).
    assert by_line[4].outcome == "failed"
    for line in (5, 6):
        assert by_line[line].outcome == "not_attempted"
        assert "organization add (line 4) did not succeed" in (by_line[line].detail or "")
    assert not any(user == sim.users[1].id for (_, user) in sim.space_written)
    assert run.summary.counts["ok"] == 6


def test_space_names_resolve_once_exactly_and_within_the_organization() -> None:
    sim = simulation(4)
    sim.spaces.append(Space(gid("Space", 4), "twin", ORG))
    sim.spaces.append(Space(gid("Space", 5), "twin", ORG))
    foreign = gid("Space", 99)
    rows = [
        {"user": sim.users[0].id, "role": "member", "space": "prod"},
        {"user": sim.users[1].id, "role": "member", "space": "PROD"},
        {"user": sim.users[2].id, "role": "member", "space": "twin"},
        {"user": sim.users[3].id, "role": "member", "space": foreign},
        {"user": sim.users[1].id, "role": "member", "space": "prod"},
    ]
    run, _ = run_rows(sim, rows)
    by_line = {r.line: r for r in run.results}
    assert by_line[1].outcome == "ok" and by_line[1].space_id == PROD
    assert by_line[5].outcome == "ok"
    assert by_line[2].outcome == "invalid"
    assert "named exactly 'PROD'" in (by_line[2].detail or "")
    assert by_line[3].outcome == "invalid"
    detail = by_line[3].detail or ""
    assert gid("Space", 4) in detail and gid("Space", 5) in detail, detail
    assert by_line[4].outcome == "invalid"
    assert f"{foreign} is not a space of organization {ORG}" in (by_line[4].detail or "")
    # One listing for every space name of the file, counted.
    assert sim.requests(LIST_SPACES) == 1
    assert run.summary.name_lookups == 1
    assert run.summary.to_json()["name_lookups"] == 1


def test_custom_roles_by_name_resolve_once_and_two_of_a_name_are_refused() -> None:
    sim = simulation(3)
    auditor, twin_a, twin_b = gid("Role", 7), gid("Role", 8), gid("Role", 9)
    sim.roles = [
        RoleDefinition(gid("Role", 1), "ADMIN", is_predefined=True),
        RoleDefinition(auditor, "Auditor", is_predefined=False),
        RoleDefinition(twin_a, "Twin", is_predefined=False),
        RoleDefinition(twin_b, "Twin", is_predefined=False),
    ]
    rows = [
        {"user": sim.users[0].id, "role": "custom:Auditor"},
        {"user": sim.users[1].id, "role": "custom:Auditor", "space": "prod"},
        {"user": sim.users[2].id, "role": "custom:Twin"},
    ]
    run, _ = run_rows(sim, rows)
    by_line = {r.line: r for r in run.results}
    assert by_line[1].outcome == "ok" and by_line[2].outcome == "ok"
    # The result keeps the role as the file gave it; the server got the id.
    assert by_line[1].role == "custom:Auditor"
    assert by_line[1].answered_role == f"custom:{auditor}"
    assert by_line[3].outcome == "invalid"
    assert twin_a in (by_line[3].detail or "") and twin_b in (by_line[3].detail or "")
    assert sim.requests(LIST_ROLES) == 2  # one listing per distinct name
    assert run.summary.name_lookups == 3  # and one of the spaces


def test_a_dry_run_resolves_every_name_and_writes_nothing() -> None:
    sim = simulation(3)
    rows = [*ladder_rows(sim, 3), {"user": sim.users[0].id, "role": "member", "space": "nope"}]
    run, _ = run_rows(sim, rows, BulkOptions(dry_run=True))
    assert run.summary.counts["would_send"] == 9
    assert run.summary.counts["invalid"] == 1
    assert not sim.order
    assert sim.requests(LIST_SPACES) == 1
    planned = [r for r in run.results if r.space == "prod"]
    assert all(r.space_id == PROD and r.outcome == "would_send" for r in planned)


def test_the_report_carries_the_space_and_resume_skips_what_was_done(tmp_path: Path) -> None:
    sim = simulation(4)
    rows = ladder_rows(sim, 4)
    report = tmp_path / "report.jsonl"
    run, _ = run_rows(sim, rows, BulkOptions(report=report))
    assert run.summary.counts["ok"] == 12
    records = [json.loads(line) for line in report.read_text().splitlines()][1:]
    spaced = [r for r in records if r.get("space") == "prod"]
    assert len(spaced) == 4 and all(r["space_id"] == PROD for r in spaced)
    writes = len(sim.order)
    again, _ = run_rows(sim, rows, BulkOptions(resume=report))
    assert again.summary.counts["skipped"] == 12, again.summary.counts
    assert len(sim.order) == writes


def test_space_removals_and_a_user_both_removed_and_given_spaces() -> None:
    sim = simulation(3)
    rows = [
        {"user": sim.users[0].id, "action": "remove", "space": "prod"},
        {"user": sim.users[1].id, "action": "remove"},
        {"user": sim.users[1].id, "role": "member", "space": "prod"},
    ]
    run, _ = run_rows(sim, rows, BulkOptions(allow_remove=True))
    by_line = {r.line: r for r in run.results}
    assert by_line[1].outcome == "ok"
    assert sim.order == [(REMOVE_SPACE_USER, PROD, sim.users[0].id)]
    # Removing from the organization removes from its spaces: one or the other.
    assert by_line[2].outcome == "invalid" and by_line[3].outcome == "invalid"
    assert "removes them from its spaces" in (by_line[2].detail or "")


def test_an_invited_users_space_rows_take_the_new_id() -> None:
    sim = simulation(1)
    rows = [
        {"user": "new.hire@acme.test", "role": "member"},
        {"user": "new.hire@acme.test", "role": "read-only", "space": "prod"},
        {"user": "nobody@acme.test", "role": "read-only", "space": "prod"},
    ]
    run, _ = run_rows(sim, rows, BulkOptions(invite=True))
    by_line = {r.line: r for r in run.results}
    assert by_line[1].outcome == "ok" and by_line[1].invited
    new_id = by_line[1].user_id
    assert by_line[2].outcome == "ok" and by_line[2].user_id == new_id
    assert sim.space_written[(PROD, new_id)] == 1
    assert by_line[3].outcome == "invalid"
    assert "a space row does not invite" in (by_line[3].detail or "")


def test_space_rows_by_email_wait_for_an_org_row_by_id_and_never_hang_on_an_invalid_one() -> None:
    sim = simulation(3)
    jane, raj = sim.users[1], sim.users[2]
    rows = [
        {"user": jane.email, "role": "member", "space": "prod"},  # waits for line 3
        {"user": raj.id, "role": "member"},
        {"user": jane.id, "role": "member"},
        {"user": raj.id, "role": "admin"},  # raj given two roles: his org rows are invalid
        {"user": raj.email, "role": "member", "space": "staging"},
    ]
    run, _ = run_rows(sim, rows, BulkOptions(concurrency=2))
    by_line = {r.line: r for r in run.results}
    assert [by_line[n].outcome for n in range(1, 6)] == [
        "ok",
        "invalid",
        "ok",
        "invalid",
        "not_attempted",
    ]
    assert "organization add (line 2) did not succeed (invalid" in (by_line[5].detail or "")
    assert sim.order == [(ADD_USER, ORG, jane.id), (ADD_SPACE_USER, PROD, jane.id)]


def test_removals_are_counted_per_user_not_per_space() -> None:
    sim = simulation(2)
    jane = sim.users[1]
    rows = [
        {"user": jane.id, "action": "remove", "space": "prod"},
        {"user": jane.id, "action": "remove", "space": STAGING},
    ]
    run, _ = run_rows(sim, rows, BulkOptions(allow_remove=True, max_removals=1))
    assert run.summary.counts["ok"] == 2, [(r.outcome, r.detail) for r in run.results]
    assert sorted(sim.order) == sorted(
        [(REMOVE_SPACE_USER, PROD, jane.id), (REMOVE_SPACE_USER, STAGING, jane.id)]
    )


def test_a_space_listed_with_an_empty_id_stops_the_run_and_never_hangs() -> None:
    # '' is, to the plan, the organization: such a space must not be taken.
    sim = SimulatedArize(2)
    sim.spaces = [Space("", "prod", ORG)]
    rows = [
        {"user": sim.users[1].id, "role": "member"},
        {"user": sim.users[1].id, "role": "member", "space": "prod"},
    ]
    run, _ = run_rows(sim, rows)
    assert run.summary.counts["not_attempted"] == 2, [(r.outcome, r.detail) for r in run.results]
    assert "looking up the organization's spaces failed" in (run.summary.stopped or "")
    assert not sim.order
