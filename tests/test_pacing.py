"""Pacing under Arize's limit: a gate per endpoint that spaces requests when
told a rate, waits exactly what Retry-After says, and finds a fixed window's
turn from the refusals when the server does not say. Driven by a fake clock
(one worker) and by a simulated Arize on virtual time (the whole engine)."""

from __future__ import annotations

import asyncio
import math
from collections import Counter

import pytest
from simulated import ORG, SimulatedArize, rows_of, run_virtual

from arize_orgs import errors
from arize_orgs.bulk import BulkOptions, BulkRun, Rate
from arize_orgs.bulk.engine import ADD_USER, LIST_USERS, source_of
from arize_orgs.bulk.pacing import FINE, FIRST_PROBE, Gate


class FakeTime:
    """A clock that moves only when slept: one worker's view of time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def gate(rate: Rate | None = None) -> tuple[Gate, FakeTime]:
    time = FakeTime()
    return Gate("E", rate, clock=time.clock, sleep=time.sleep), time


def send(g: Gate) -> None:
    asyncio.run(g.wait())


# ---- a rate, evenly spaced ------------------------------------------------------------------


def test_a_rate_spaces_requests_evenly_with_no_burst() -> None:
    g, time = gate(Rate.parse("100/60"))
    for _ in range(5):
        send(g)
    assert time.slept == pytest.approx([0.6] * 4)  # the first goes at once, then 60/100 s apart
    assert g.sent == 5


def test_the_rate_parses_both_ways_and_refuses_what_cannot_pace() -> None:
    assert Rate.parse("100/60") == Rate(100, 60)
    assert Rate.parse(" 2.5 ").per_second == 2.5
    assert Rate.parse(4).interval == 0.25
    assert str(Rate.parse("100/60")) == "100/60" and str(Rate.parse("10")) == "10"
    assert Rate.parse(str(Rate(95, 60))) == Rate(95, 60)  # a message's rate can be pasted back
    for bad in ("nan", "inf", "0", "-1", "1/0", "x/60", "10/1e-9", ""):
        with pytest.raises(errors.InvalidInputError, match="rate"):
            Rate.parse(bad)


# ---- with Retry-After ----------------------------------------------------------------------


def test_retry_after_closes_the_gate_for_exactly_that_long() -> None:
    g, time = gate()
    send(g)
    time.now = 10.0
    g.refused(7)
    send(g)
    assert time.now == pytest.approx(17.0)
    g.refused(3)  # a shorter one after: the gate stays closed for the longer
    g.refused(1)
    send(g)
    assert time.now == pytest.approx(20.0)
    assert g.limited == 3


# ---- without Retry-After: finding the window -----------------------------------------------


def test_with_nothing_known_one_probe_waits_a_quarter_of_the_time_already_waited() -> None:
    g, time = gate()
    send(g)
    g.refused(None)
    send(g)  # the first probe
    assert time.now == pytest.approx(FIRST_PROBE)
    waits = []
    for _ in range(6):
        before = time.now
        g.refused(None)
        send(g)
        waits.append(time.now - before)
    # Each wait is a quarter of the time since the gate closed (at 0), but
    # never less than the first probe's: 0.1 four times, then a quarter more
    # each time.
    assert waits == pytest.approx([0.1, 0.1, 0.1, 0.1, 0.125, 0.15625])


def test_two_openings_teach_the_window_and_the_next_turn_is_met_just_before() -> None:
    g, time = gate()
    period = 6.0
    # Window 1 used up at 0.5; probes until the turn at 6.
    time.now = 0.5
    g.refused(None)
    while True:
        send(g)
        if time.now >= period:
            g.succeeded()
            break
        g.refused(None)
    first_opening = time.now
    assert period <= first_opening < period * 1.25  # found within a quarter of the window
    for _ in range(99):
        g.succeeded()
    time.now = first_opening + 0.5
    g.refused(None)
    while True:
        send(g)
        if time.now >= 2 * period:
            g.succeeded()
            break
        g.refused(None)
    assert g.period == pytest.approx(time.now - first_opening)
    assert g.allowance == 100  # the successes of the window that was used up
    # The third window: the gate reopens a fine step before the predicted turn.
    second_opening = time.now
    time.now = second_opening + 0.3
    g.refused(None)
    send(g)
    assert time.now == pytest.approx(second_opening + g.period - g.period / FINE)
    assert g.known_rate == pytest.approx(100 / g.period)


def test_a_probe_refused_at_the_predicted_turn_keeps_probing_in_fine_steps() -> None:
    g, time = gate()
    g.period, g._last_opening, g._first_opening = 6.0, 6.0, 0.0  # taught, as above
    time.now = 6.5
    g.refused(None)
    send(g)
    assert time.now == pytest.approx(12 - 6 / FINE)
    g.refused(None)  # not yet: the turn is a little later than predicted
    send(g)
    assert time.now == pytest.approx(12.0)
    g.refused(None)
    send(g)
    assert time.now == pytest.approx(12 + 6 / FINE)  # fine steps past the turn, not a window


def test_while_one_request_probes_the_others_wait() -> None:
    async def scenario() -> list[str]:
        g = Gate("E")
        g.refused(None)
        order: list[str] = []

        async def worker(name: str) -> None:
            await g.wait()
            order.append(name)
            await asyncio.sleep(0.3)
            g.succeeded()

        await asyncio.gather(worker("a"), worker("b"), worker("c"))
        return order

    order, seconds = run_virtual(scenario)
    assert order[0] in "abc" and len(order) == 3
    # The probe went alone at 0.1 s; the others only after it succeeded.
    assert seconds == pytest.approx(FIRST_PROBE + 0.6, abs=0.1)


# ---- the whole engine against a simulated Arize (virtual time) --------------------------------


def onboard(sim: SimulatedArize, rows: int, **options: object) -> tuple[BulkRun, float]:
    source = source_of(rows_of(sim, rows))

    async def go() -> BulkRun:
        run = BulkRun(sim, ORG, source, BulkOptions(**options))  # type: ignore[arg-type]
        await run.run()
        return run

    try:
        return run_virtual(go)
    finally:
        source.close()


@pytest.mark.parametrize("retry_after", [True, False])
@pytest.mark.parametrize("phase", [0.0, 2.5, 5.9])
def test_a_thousand_rows_under_100_per_6s_finish_within_the_bound(
    retry_after: bool, phase: float
) -> None:
    sim = SimulatedArize(2000, allowance=100, per=6.0, retry_after=retry_after, phase=phase)
    run, seconds = onboard(sim, 1000)
    bound = math.ceil(1000 / 100) * 6.0
    assert run.summary.counts == Counter(ok=1000)
    assert seconds <= 1.15 * bound, seconds
    assert sum(sim.written.values()) == len(sim.written) == 1000  # no write repeated
    # A third of the rows are emails: listing 2,000 users costs 20 requests.
    assert sim.requests(LIST_USERS) <= 30
    assert run.summary.lookup_requests == sim.requests(LIST_USERS)
    assert run.summary.rate_limited == sim.requests(ADD_USER, 429) + sim.requests(LIST_USERS, 429)


def test_a_known_rate_sends_no_request_the_server_refuses() -> None:
    sim = SimulatedArize(300, allowance=100, per=6.0)
    run, seconds = onboard(sim, 300, rate="100/6")
    assert run.summary.counts == Counter(ok=300)
    assert sim.requests(ADD_USER, 429) == 0 and run.summary.rate_limited == 0
    assert seconds == pytest.approx(300 * 0.06, abs=1.0)  # evenly spaced, no burst


def test_a_look_up_refused_for_its_rate_waits_and_never_fails_a_row() -> None:
    # Ten emails: one look-up each, against a budget of 3 per 2 s.
    sim = SimulatedArize(10, allowance=3, per=2.0, retry_after=False)
    source = source_of([{"user": u.email, "role": "member"} for u in sim.users])

    async def go() -> BulkRun:
        run = BulkRun(sim, ORG, source, BulkOptions())
        await run.run()
        return run

    run, _ = run_virtual(go)
    source.close()
    assert run.summary.counts == Counter(ok=10)
    assert sim.requests(LIST_USERS, 429) > 0  # refused, waited, sent again
    assert sim.requests(LIST_USERS, 200) == 10
    assert run.summary.lookup_requests == sim.requests(LIST_USERS)
