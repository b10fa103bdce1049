"""Pacing under Arize's limit: a gate per endpoint that spaces requests when
told a rate, waits exactly what Retry-After says, and finds a fixed window's
turn from the refusals when the server does not say. Driven by a fake clock
(one worker) and by a simulated Arize on virtual time (the whole engine)."""

from __future__ import annotations

import asyncio
import math
from collections import Counter

import pytest
from simulated import SimulatedArize, rows_of, run_rows, run_virtual

from arize_orgs import errors
from arize_orgs.bulk import BulkOptions, BulkRun, Rate
from arize_orgs.bulk.engine import ADD_USER, LIST_USERS
from arize_orgs.bulk.pacing import EPSILON, FINE, FIRST_PROBE, MAX_PROBE, POLL, Gate, Pacing


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
        if len(self.slept) > 1000:  # a gate that never lets a request through
            raise AssertionError("the gate kept the request waiting for good")


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


def test_a_rate_slower_than_one_request_an_hour_is_refused() -> None:
    assert Rate.parse("1/3600").interval == 3600  # an hour apart, exactly: still a rate
    for given, shown in (("1e-300", "1e-300 per 1"), ("1/3600.5", "1 per 3600.5")):
        with pytest.raises(errors.InvalidInputError) as info:
            Rate.parse(given)
        assert str(info.value) == (
            f"a rate of {shown} s is slower than one request an hour; give the rate per "
            "second (e.g. 1.5) or per window (e.g. 100/60)"
        )


def test_the_rate_parses_both_ways_and_refuses_what_cannot_pace() -> None:
    assert Rate.parse("100/60") == Rate(100, 60)
    assert Rate.parse(" 2.5 ").per_second == 2.5
    assert Rate.parse(4).interval == 0.25
    assert str(Rate.parse("100/60")) == "100/60" and str(Rate.parse("10")) == "10"
    assert str(Rate(2, 0.5)) == "2/0.5"  # a window under a second is kept: not 2 a second
    assert Rate.parse(str(Rate(95, 60))) == Rate(95, 60)  # a message's rate can be pasted back
    for bad in ("nan", "inf", "0", "-1", "1/0", "x/60", "10/1e-9", ""):
        with pytest.raises(errors.InvalidInputError, match="rate"):
            Rate.parse(bad)


def test_a_rate_refuses_what_is_not_a_number_saying_so() -> None:
    for bad in (True, "3", None):
        with pytest.raises(errors.InvalidInputError) as info:
            Rate(bad)  # type: ignore[arg-type]
        assert str(info.value) == f"a rate's requests must be a number, not {bad!r}"
    with pytest.raises(errors.InvalidInputError, match=r"^a rate's per must be a number, not '6'$"):
        Rate(1, "6")  # type: ignore[arg-type]


def test_a_rate_names_the_shortest_window_it_takes_and_takes_that_window() -> None:
    assert Rate(1, 0.001).interval == pytest.approx(0.001)  # the shortest window is allowed
    with pytest.raises(errors.InvalidInputError) as info:
        Rate(1, 0.0009)
    assert str(info.value) == (
        "a rate's per must be a positive, finite number of at least 0.001 s, not 0.0009"
    )
    with pytest.raises(errors.InvalidInputError) as info:
        Rate(0)
    assert str(info.value) == "a rate's requests must be a positive, finite number, not 0"


def test_a_rate_that_does_not_parse_is_shown_cut_with_both_forms_named() -> None:
    with pytest.raises(errors.InvalidInputError) as info:
        Rate.parse("  " + "x" * 50 + "  ")
    assert str(info.value) == (
        f"rate {'x' * 40!r} is not N/SECONDS (e.g. 100/60, Arize's published limit) "
        "or requests per second (e.g. 1.5)"
    )


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


# ---- the gate's parts, one by one (fake clock) --------------------------------------------


def test_a_new_gate_knows_nothing_but_its_name_and_its_cap() -> None:
    g, _ = gate()
    assert (g.name, g.rate, g.period, g.allowance, g.known_rate) == ("E", None, None, None, None)
    assert (g.sent, g.limited) == (0, 0)
    capped, _ = gate(Rate.parse("100/60"))
    assert capped.known_rate == pytest.approx(100 / 60)


def test_the_pacing_makes_one_gate_per_endpoint_on_its_clock() -> None:
    time = FakeTime()
    pacing = Pacing(Rate(100, 1), clock=time.clock, sleep=time.sleep)
    a, b = pacing.gate("A"), pacing.gate("B")
    assert pacing.gate("A") is a and (a.name, b.name) == ("A", "B")
    assert a.rate == b.rate == Rate(100, 1)
    send(a)
    send(a)  # the cap is per endpoint: A waits its interval...
    send(b)  # ...and B, on the same clock, owes nothing
    assert time.slept == pytest.approx([0.01]) and time.now == pytest.approx(0.01)
    a.refused(None)
    b.refused(2)
    b.refused(2)
    assert pacing.limited == 3
    send(b)
    assert time.now == pytest.approx(2.01)  # B's Retry-After, on the pacing's clock


def test_after_an_idle_time_requests_resume_at_the_rate_with_no_burst() -> None:
    g, time = gate(Rate.parse("100/60"))
    time.now = 5.0
    send(g)
    assert time.slept == []  # the first goes at once, even late in the run
    time.now = 50.0  # idle: the unused slots are not saved up
    send(g)
    send(g)
    send(g)
    assert time.slept == pytest.approx([0.6, 0.6])


def test_a_wait_of_epsilon_or_less_is_no_wait() -> None:
    g, time = gate()
    g.refused(EPSILON)
    send(g)
    assert time.slept == []
    g.refused(2 * EPSILON)
    send(g)
    assert time.slept == pytest.approx([2 * EPSILON])
    # The same for a rate's spacing.
    rated, time = gate(Rate(1000, 0.001))
    assert rated.rate is not None and rated.rate.interval == EPSILON
    send(rated)
    send(rated)
    assert time.slept == []
    send(rated)  # two intervals ahead
    assert time.slept == pytest.approx([2 * EPSILON])


def test_after_retry_after_every_worker_goes_not_one_probe_at_a_time() -> None:
    g, time = gate()
    g.refused(3)
    for _ in range(3):  # three workers, none has had an answer yet
        send(g)
    assert time.now == pytest.approx(3.0) and time.slept == pytest.approx([3.0])
    assert g.sent == 3


def test_while_a_probe_is_out_another_request_polls() -> None:
    g, time = gate()
    g.refused(None)
    send(g)  # the probe, at FIRST_PROBE
    with pytest.raises(AssertionError, match="for good"):
        send(g)  # no answer to the probe ever comes: the second waits
    assert set(time.slept[1:]) == {POLL}


def test_a_refusal_without_retry_after_after_a_pause_probes_afresh() -> None:
    g, time = gate()
    time.now = 10.0
    g.refused(7)
    send(g)
    assert time.now == pytest.approx(17.0)
    g.refused(None)  # the first request after the pause is refused too
    send(g)
    # A new closure: the first probe after FIRST_PROBE, not a quarter of the 7 s.
    assert time.now == pytest.approx(17.0 + FIRST_PROBE)


def test_probes_wait_at_most_max_probe() -> None:
    g, time = gate()
    g.refused(None)
    time.now = 100.0
    g.refused(None)
    send(g)
    assert time.now == pytest.approx(100.0 + MAX_PROBE)


def test_successes_without_refusals_teach_nothing() -> None:
    g, time = gate()
    for t in (0.0, 1.0, 2.0):
        time.now = t
        send(g)
        g.succeeded()
    # Refused at 3, through at 6: one opening, which gives no window length yet.
    g.refused(None)
    while time.now < 6.0:
        g.refused(None)
        send(g)
    g.succeeded()
    assert g.period is None and g.allowance is None and g.known_rate is None


def teach(g: Gate, time: FakeTime, openings: list[float], per_window: int = 10) -> None:
    """Used-up windows that open at `openings`, told with Retry-After."""
    time.now = openings[0] - 1.0
    for opening in openings:
        g.refused(opening - time.now)
        send(g)
        assert time.now == pytest.approx(opening)
        for _ in range(per_window):
            g.succeeded()
        time.now += 0.5  # used up half a second after it opened


def test_the_allowance_learned_is_the_largest_window_seen_not_the_last() -> None:
    """A window another client shared lets fewer through: it must not lower
    what a window is known to allow (nor, with it, the rate and the ETA)."""
    g, time = gate()
    time.now = 5.0
    for opening, passed in ((6.0, 100), (12.0, 100), (18.0, 60), (24.0, 80)):
        g.refused(opening - time.now)
        send(g)
        for _ in range(passed):
            g.succeeded()
        time.now += 0.5
    g.refused(30.0 - time.now)
    send(g)
    assert g.allowance == 100
    assert g.known_rate == pytest.approx(100 / 6.0)


def test_openings_after_retry_after_teach_the_window_and_its_allowance() -> None:
    g, time = gate()
    teach(g, time, [6.0, 12.0], per_window=100)
    assert g.period == pytest.approx(6.0)
    assert g.allowance == 100
    assert g.known_rate == pytest.approx(100 / 6.0)
    # The lower of what is learned and the cap given:
    capped, time = gate(Rate(10, 1))
    teach(capped, time, [6.0, 12.0], per_window=100)
    assert capped.known_rate == pytest.approx(10.0)


def test_the_window_is_averaged_over_every_window_since_the_first_opening() -> None:
    g, time = gate()
    teach(g, time, [6.0, 12.5, 17.9, 24.1])
    assert g.period == pytest.approx((24.1 - 6.0) / 3)
    # An opening that comes early (a short Retry-After pause) counts as one window.
    g, time = gate()
    teach(g, time, [6.0, 12.0, 14.0])
    assert g.period == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("refused_at", "reopens_at"),
    [
        (6.5, 12 - 6 / FINE),  # just before the predicted turn
        (14.5, 14.5 + 6 / FINE),  # the turn is due: a fine step
        (15.0, 15.0 + (15.0 - 6.5) * 0.25),  # half a window late: the prediction failed
        (21.0, 21.0 + (21.0 - 6.5) * 0.25),
    ],
)
def test_a_known_window_is_trusted_until_half_a_window_past_its_turn(
    refused_at: float, reopens_at: float
) -> None:
    g, time = gate()
    g.period, g._last_opening, g._first_opening = 6.0, 6.0, 0.0  # taught, as above
    time.now = 6.5
    g.refused(None)  # used up: the closure begins; the turn is due at 12
    time.now = refused_at
    if refused_at > 6.5:
        g.refused(None)
    send(g)
    assert time.now == pytest.approx(reopens_at)


# ---- the whole engine against a simulated Arize (virtual time) --------------------------------


def onboard(sim: SimulatedArize, rows: int, **options: object) -> tuple[BulkRun, float]:
    return run_rows(sim, rows_of(sim, rows), BulkOptions(**options))  # type: ignore[arg-type]


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
    run, _ = run_rows(sim, [{"user": u.email, "role": "member"} for u in sim.users])
    assert run.summary.counts == Counter(ok=10)
    assert sim.requests(LIST_USERS, 429) > 0  # refused, waited, sent again
    assert sim.requests(LIST_USERS, 200) == 10
    assert run.summary.lookup_requests == sim.requests(LIST_USERS)
