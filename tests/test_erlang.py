"""Erlang B, C and A: reference vectors, a brute-force Markov-chain cross-check, and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from scipy import special
from scipy.linalg import expm
from shared_data import erlang_vectors

from ccsim.analytics.erlang import (
    QueueMetrics,
    _log_series_s,
    _log_stirling_rest,
    _x_minus_log1p,
    erlang_a,
    erlang_b,
    erlang_b_load_for_blocking,
    erlang_c,
)
from ccsim.analytics.service_level import SLDefinition, service_level_from_counts
from ccsim.errors import CcsimInputError

VECTORS = erlang_vectors("erlang_c", "erlang_a", "erlang_b", "erlang_b_inverse")
ALL_DEFINITIONS = list(SLDefinition)

QUANTITY_FIELD = {
    "p_wait": "p_wait",
    "service_level": "service_level",
    "asa_s": "asa_s",
    "occupancy": "occupancy",
    "service_level_answered_within_over_offered": "service_level",
    "abandonment_rate": "abandonment_rate",
    "mean_wait_all_callers_s": "mean_wait_all_s",
}


def _value_for(row: dict[str, str]) -> float:
    model, q = row["model"], row["quantity"]
    if model == "erlang_b":
        assert q.startswith("blocking_at_load_")
        return erlang_b(int(row["agents"]), float(q.removeprefix("blocking_at_load_")))
    if model == "erlang_b_inverse":
        assert q == "load_for_1pct_blocking"
        return erlang_b_load_for_blocking(int(row["agents"]), 0.01)
    common = dict(
        calls=float(row["calls"]),
        interval_s=float(row["interval_s"]),
        aht_s=float(row["aht_s"]),
        agents=int(row["agents"]),
        answer_within_s=float(row["answer_within_s"]),
    )
    if model == "erlang_c":
        m = erlang_c(**common)
    else:
        # "answered within over offered" is the offered definition
        m = erlang_a(**common, patience_s=float(row["patience_s"]), sl_definition="offered")
    return getattr(m, QUANTITY_FIELD[q])


def test_vectors_file_has_every_model():
    assert {r["model"] for r in VECTORS} == {"erlang_c", "erlang_a", "erlang_b", "erlang_b_inverse"}
    # every row is checked here or (staffing_c) in test_staffing.py
    assert len(VECTORS) + len(erlang_vectors("staffing_c")) == len(erlang_vectors())


@pytest.mark.parametrize("row", VECTORS, ids=[r["id"] for r in VECTORS])
def test_reference_vector(row):
    got = _value_for(row)
    assert abs(got - float(row["expected"])) <= float(row["tolerance"]) + 1e-12, (row["id"], got)


# ----------------------------------------------------------------------------------------------
# brute force: truncated birth-death chain + the tagged caller's absorbing chain


def brute_force_palm(calls, interval_s, aht_s, agents, patience_s, t, max_queue=400):
    """M/M/n+M by linear algebra: P(wait), P(answered within t), P(abandoned within t), ASA, P(abandon)."""
    lam, mu, theta, n = calls / interval_s, 1.0 / aht_s, 1.0 / patience_s, agents
    states = n + max_queue + 1
    # stationary distribution of the number in system (product form, in log space)
    logp = np.zeros(states)
    for k in range(1, states):
        death = min(k, n) * mu + max(k - n, 0) * theta
        logp[k] = logp[k - 1] + math.log(lam) - math.log(death)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    assert p[-1] < 1e-15, "truncate further out"
    p_no_wait = p[:n].sum()
    start = p[n:]  # caller finds i = 0..max_queue callers waiting ahead
    # tagged caller: transient states i ahead, then absorbing 'answered' and 'abandoned'
    m = max_queue + 1
    q = np.zeros((m + 2, m + 2))
    for i in range(m):
        forward = n * mu + i * theta
        if i == 0:
            q[i, m] = forward
        else:
            q[i, i - 1] = forward
        q[i, m + 1] = theta
        q[i, i] = -(forward + theta)
    init = np.concatenate([start, [0.0, 0.0]])
    at_t = init @ expm(q * t) if t > 0 else init
    # absorption probabilities and E[time * 1{answered}] via the fundamental matrix
    qt = q[:m, :m]
    fundamental = np.linalg.inv(-qt)
    p_answer_from = fundamental @ q[:m, m]
    time_answered = fundamental @ p_answer_from
    time_all = fundamental @ np.ones(m)
    p_answered = p_no_wait + start @ p_answer_from
    return dict(
        p_wait=start.sum(),
        p_answered_within=p_no_wait + at_t[m],
        p_abandoned_within=at_t[m + 1],
        abandonment_rate=start @ (1 - p_answer_from),
        asa_s=(start @ time_answered) / p_answered,
        mean_wait_all_s=start @ time_all,
        p_answered=p_answered,
    )


BRUTE_CASES = [
    # calls, interval_s, aht_s, agents, patience_s, t
    (100, 1800, 180, 13, 300, 20),
    (100, 1800, 180, 8, 120, 30),  # overloaded (load 10 > 8 agents)
    (30, 3600, 240, 1, 60, 15),
    (50, 1800, 300, 5, 900, 60),
    (200, 1800, 200, 30, 30, 10),  # overloaded, impatient
    (10, 600, 100, 2, 5000, 45),
    (100, 1800, 180, 13, 300, 0.5),  # a threshold below one second
    (56.1, 1800, 180, 5, 300, 20),  # the answered callers' wait peaks half a second after arrival
    # lightly loaded and patient: the incomplete gammas underflow and their series take over
    (20, 1800, 180, 5, 200_000, 20),
    (1, 1800, 180, 30, 1000, 20),  # and the series' argument is below 1
    (2, 1800, 180, 6, 20_000, 60),
]


@pytest.mark.parametrize("case", BRUTE_CASES, ids=[f"case{i}" for i in range(len(BRUTE_CASES))])
def test_erlang_a_matches_brute_force_chain(case):
    calls, interval_s, aht_s, agents, patience_s, t = case
    bf = brute_force_palm(*case)
    for definition in ALL_DEFINITIONS:
        m = erlang_a(calls, interval_s, aht_s, agents, patience_s, answer_within_s=t, sl_definition=definition)
        # relative, as some of these probabilities are 1e-65; the two computations agree to about 1e-11
        for key in (
            "p_wait",
            "p_answered_within",
            "p_abandoned_within",
            "abandonment_rate",
            "asa_s",
            "mean_wait_all_s",
        ):
            assert getattr(m, key) == pytest.approx(bf[key], rel=1e-9, abs=1e-300), key
        expected_sl = service_level_from_counts(
            offered=1,
            answered=bf["p_answered"],
            answered_within=bf["p_answered_within"],
            abandoned_within=bf["p_abandoned_within"],
            definition=definition,
        )
        assert m.service_level == pytest.approx(expected_sl, rel=1e-9)


def test_erlang_c_matches_brute_force_with_patient_callers():
    # Erlang A with near-infinite patience is the M/M/n chain; the chain check then validates C too.
    bf = brute_force_palm(100, 1800, 180, 14, 1e9, 20, max_queue=600)
    c = erlang_c(100, 1800, 180, 14, 20)
    assert c.p_wait == pytest.approx(bf["p_wait"], abs=1e-6)
    assert c.service_level == pytest.approx(bf["p_answered_within"], abs=1e-6)
    assert c.asa_s == pytest.approx(bf["asa_s"], rel=1e-5)


def test_sl_definitions_differ_with_abandonment_and_order_sensibly():
    by_def = {d: erlang_a(100, 1800, 180, 11, 120, 20, sl_definition=d) for d in ALL_DEFINITIONS}
    offered = by_def[SLDefinition.OFFERED].service_level
    assert by_def[SLDefinition.EXCLUDE_SHORT_ABANDONS].service_level > offered
    assert by_def[SLDefinition.ANSWERED].service_level > offered
    assert by_def[SLDefinition.ANSWERED_OR_ABANDONED_WITHIN].service_level > offered
    m = by_def[SLDefinition.OFFERED]
    assert m.p_answered_within + m.p_abandoned_within < 1
    assert m.p_abandoned_within < m.abandonment_rate


# ----------------------------------------------------------------------------------------------
# documented claims and edge cases


def test_facts_day_with_abandonment_erlang_c_is_pessimistic():
    """facts.md: 50 agents, AHT 400 s, load 0.95*50, patience 300 s, 30 s threshold: Erlang C says 48%
    answered in 30 s and ASA 101 s; Erlang A about 82% and ASA about 11 s (figures as rounded there)."""
    calls = 0.95 * 50 / 400 * 1800
    c = erlang_c(calls, 1800, 400, 50, answer_within_s=30)
    a = erlang_a(calls, 1800, 400, 50, patience_s=300, answer_within_s=30)
    assert c.service_level == pytest.approx(0.48, abs=0.005) and c.asa_s == pytest.approx(101, abs=0.5)
    assert a.service_level == pytest.approx(0.82, abs=0.005) and a.asa_s == pytest.approx(11, abs=0.5)


def test_unstable_erlang_c_is_reported_not_raised():
    m = erlang_c(100, 1800, 180, 10, 20)  # load exactly 10
    assert (m.p_wait, m.service_level, m.asa_s, m.stable) == (1.0, 0.0, math.inf, False)
    assert m.occupancy == 1.0
    assert erlang_c(1000, 1800, 180, 10, 20).service_level == 0.0


def test_erlang_a_stays_finite_when_load_far_exceeds_agents():
    m = erlang_a(100_000, 1800, 180, 1, 300, 20)
    assert m.abandonment_rate == pytest.approx(1 - 1 / m.load_erlangs, rel=1e-9)  # carried load is one agent
    assert m.occupancy == pytest.approx(1.0)
    assert math.isfinite(m.asa_s) and math.isfinite(m.mean_wait_all_s)


def test_no_calls_means_no_wait():
    for m in (erlang_c(0, 1800, 180, 3, 20), erlang_a(0, 1800, 180, 3, 60, 20)):
        assert (m.p_wait, m.service_level, m.asa_s, m.mean_wait_all_s, m.occupancy) == (0.0, 1.0, 0.0, 0.0, 0.0)
        assert (m.abandonment_rate, m.p_answered_within, m.p_abandoned_within) == (0.0, 1.0, 0.0)


def test_to_dict_is_plain():
    d = erlang_a(100, 1800, 180, 13, 300, 20, sl_definition="answered").to_dict()
    assert d["sl_definition"] == "answered" and d["model"] == "erlang_a" and d["patience_s"] == 300
    assert (d["calls"], d["interval_s"], d["aht_s"], d["agents"], d["answer_within_s"]) == (100, 1800, 180, 13, 20)
    assert d["load_erlangs"] == 10.0
    assert set(d) == {f for f in QueueMetrics.__dataclass_fields__}


def test_erlang_b_inverse_roundtrip():
    load = erlang_b_load_for_blocking(40, 0.02)
    assert erlang_b(40, load) == pytest.approx(0.02, rel=1e-10)


def test_erlang_b_large_and_tiny_loads():
    assert erlang_b(5000, 1.0) == 0.0
    assert erlang_b(1, 1e6) == pytest.approx(1e6 / (1 + 1e6))
    assert erlang_b(3, 0) == 0.0


SL_NAMES = "one of offered, exclude_short_abandons, answered, answered_or_abandoned_within"


@pytest.mark.parametrize(
    "call, field, allowed",
    [
        (lambda: erlang_c(-1, 1800, 180, 5), "calls", "a number of at least 0"),
        (lambda: erlang_c(10, 0, 180, 5), "interval_s", "a number above 0"),
        (lambda: erlang_c(10, 1800, -5, 5), "aht_s", "a number above 0"),
        (lambda: erlang_c(10, 1800, 0, 5), "aht_s", "a number above 0"),
        (lambda: erlang_c(10, 1800, 180, 0), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_c(10, 1800, 180, 5001), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_c(10, 1800, 180, 2.5), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_c(10, 1800, 180, 5, answer_within_s=-1), "answer_within_s", "a number of at least 0"),
        (lambda: erlang_c(10, 1800, 180, 5, sl_definition="fast"), "sl_definition", SL_NAMES),
        (lambda: erlang_a(-1, 1800, 180, 5, 60), "calls", "a number of at least 0"),
        (lambda: erlang_a(10, 0, 180, 5, 60), "interval_s", "a number above 0"),
        (lambda: erlang_a(10, 1800, 0, 5, 60), "aht_s", "a number above 0"),
        (lambda: erlang_a(10, 1800, 180, 0, 60), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_a(10, 1800, 180, 5, 60, answer_within_s=-1), "answer_within_s", "a number of at least 0"),
        (lambda: erlang_a(10, 1800, 180, 5, 60, sl_definition="fast"), "sl_definition", SL_NAMES),
        (lambda: erlang_a(10, 1800, 180, 5, patience_s=0), "patience_s", "a number above 0"),
        (lambda: erlang_a(10, 1800, 180, 5, patience_s=float("nan")), "patience_s", "a number above 0"),
        (lambda: erlang_b(3, -1), "load_erlangs", "a number of at least 0"),
        (lambda: erlang_b(0, 1), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_b(5001, 1), "agents", "a whole number from 1 to 5000"),
        (lambda: erlang_b_load_for_blocking(3, 1.0), "blocking", "a number above 0 and below 1"),
        (lambda: erlang_b_load_for_blocking(3, 0.0), "blocking", "a number above 0 and below 1"),
        (lambda: erlang_b_load_for_blocking(0, 0.5), "agents", "a whole number from 1 to 5000"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_field(call, field, allowed):
    with pytest.raises(CcsimInputError) as info:
        call()
    assert info.value.field == field and info.value.allowed == allowed
    assert str(info.value) == f"{field}: {info.value.value!r} is not allowed; use {allowed}"


def test_inputs_at_the_edge_of_the_allowed_range_are_taken():
    assert erlang_c(0, 1800, 180, 1, answer_within_s=0).service_level == 1.0
    assert erlang_a(0, 1800, 180, 5000, 1e-3, answer_within_s=0).p_wait == 0.0
    assert erlang_c(10, 1e-3, 1e-6, 5000).agents == 5000
    assert erlang_b(5000, 0) == 0.0 and erlang_b(1, 0) == 0.0
    assert erlang_b_load_for_blocking(5000, 1e-12) > 4000


# ----------------------------------------------------------------------------------------------
# properties

# How many examples, and whether they are random, is the Hypothesis profile's choice (tests/conftest.py).
PROPS = settings(suppress_health_check=[HealthCheck.too_slow])
loads = st.floats(min_value=0.05, max_value=400.0)
ahts = st.floats(min_value=10.0, max_value=1200.0)
thresholds = st.floats(min_value=0.0, max_value=300.0)


@PROPS
@given(load=st.floats(min_value=0.1, max_value=60), aht=ahts, t=thresholds, extra=st.integers(0, 20))
@example(load=0.1, aht=10.0, t=0.0, extra=0)  # one agent, no threshold
@example(load=0.9, aht=1200.0, t=300.0, extra=0)  # one agent at 90% load, long threshold
@example(load=60.0, aht=180.0, t=20.0, extra=20)
def test_erlang_a_tends_to_erlang_c_for_patient_callers(load, aht, t, extra):
    agents = math.ceil(load / 0.95) + extra
    calls = load / aht * 1800
    c = erlang_c(calls, 1800, aht, agents, t)
    # Near capacity even 1e7 s of patience trims a long Erlang C queue: the relative effect is about
    # theta * (mean queue length) / (drain rate n*mu - lambda); only claim convergence where that is small.
    lam, drain = calls / 1800, (agents - load) / aht
    assume(1e-7 * lam * c.mean_wait_all_s / drain < 5e-4)
    a = erlang_a(calls, 1800, aht, agents, 1e7, t)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-3)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-3)
    assert a.asa_s == pytest.approx(c.asa_s, rel=1e-2, abs=1e-3)


@PROPS
@given(load=st.floats(min_value=0.1, max_value=200), aht=ahts, agents=st.integers(1, 120))
@example(load=1.0, aht=180.0, agents=1)  # B(1, 1) = 1/2
@example(load=200.0, aht=10.0, agents=1)  # nearly everyone is blocked
@example(load=0.1, aht=1200.0, agents=120)  # nobody is
def test_erlang_a_abandonment_tends_to_erlang_b_for_impatient_callers(load, aht, agents):
    a = erlang_a(load / aht * 1800, 1800, aht, agents, 1e-4 * aht, 0)
    assert a.abandonment_rate == pytest.approx(erlang_b(agents, load), abs=2e-3)


@PROPS
@given(
    load=loads,
    aht=ahts,
    t=thresholds,
    agents=st.integers(1, 400),
    patience=st.one_of(st.none(), st.floats(min_value=1.0, max_value=5000.0)),
    definition=st.sampled_from(ALL_DEFINITIONS),
)
@example(load=0.05, aht=180.0, t=20.0, agents=1, patience=None, definition=SLDefinition.OFFERED)
@example(load=9.999, aht=180.0, t=20.0, agents=10, patience=None, definition=SLDefinition.OFFERED)  # just below
@example(load=10.0, aht=180.0, t=20.0, agents=10, patience=None, definition=SLDefinition.ANSWERED)  # at capacity
@example(load=10.0, aht=180.0, t=20.0, agents=10, patience=1.0, definition=SLDefinition.EXCLUDE_SHORT_ABANDONS)
@example(load=400.0, aht=180.0, t=0.0, agents=1, patience=5000.0, definition=SLDefinition.ANSWERED_OR_ABANDONED_WITHIN)
def test_service_level_never_falls_when_an_agent_is_added(load, aht, t, agents, patience, definition):
    calls = load / aht * 1800

    def metrics(n):
        if patience is None:
            return erlang_c(calls, 1800, aht, n, t, sl_definition=definition)
        return erlang_a(calls, 1800, aht, n, patience, t, sl_definition=definition)

    before, after = metrics(agents), metrics(agents + 1)
    assert after.service_level >= before.service_level - 1e-9
    assert after.abandonment_rate <= before.abandonment_rate + 1e-9
    assert after.asa_s <= before.asa_s * (1 + 1e-9) + 1e-9


@PROPS
@given(
    agents=st.integers(1, 5000),
    load_ratio=st.floats(min_value=0.0, max_value=3.0),
    aht=ahts,
    t=thresholds,
    patience=st.floats(min_value=0.01, max_value=1e6),
    definition=st.sampled_from(ALL_DEFINITIONS),
)
@example(agents=1, load_ratio=0.0, aht=180.0, t=20.0, patience=300.0, definition=SLDefinition.OFFERED)  # no calls
@example(agents=1, load_ratio=0.999, aht=180.0, t=20.0, patience=0.01, definition=SLDefinition.ANSWERED)
@example(agents=5000, load_ratio=3.0, aht=1200.0, t=300.0, patience=1e6, definition=SLDefinition.OFFERED)
@example(agents=5000, load_ratio=0.9999, aht=10.0, t=0.0, patience=0.01, definition=SLDefinition.EXCLUDE_SHORT_ABANDONS)
def test_results_are_finite_probabilities_for_any_size(agents, load_ratio, aht, t, patience, definition):
    calls = load_ratio * agents / aht * 1800
    for m in (
        erlang_a(calls, 1800, aht, agents, patience, t, sl_definition=definition),
        erlang_c(calls, 1800, aht, agents, t, sl_definition=definition),
    ):
        for key in (
            "p_wait",
            "service_level",
            "abandonment_rate",
            "p_answered_within",
            "p_abandoned_within",
            "occupancy",
        ):
            value = getattr(m, key)
            assert 0.0 <= value <= 1.0, (key, value)
        if m.model == "erlang_a" or m.load_erlangs < agents * 0.999:
            assert math.isfinite(m.asa_s) and m.asa_s >= 0 and math.isfinite(m.mean_wait_all_s)


def test_erlang_a_stays_accurate_for_absurdly_patient_callers():
    c = erlang_c(100, 1800, 180, 14, 20)
    # the difference from Erlang C shrinks like 1 / patience: about 400 s / patience here
    for patience in (1e9, 1e12, 1e15):
        a = erlang_a(100, 1800, 180, 14, patience, 20)
        for key in ("p_wait", "service_level", "asa_s", "mean_wait_all_s"):
            assert getattr(a, key) == pytest.approx(getattr(c, key), rel=1000 / patience), (patience, key)
    # overloaded and very patient: the queue sheds exactly the excess load, 1 - agents/load
    a = erlang_a(200, 1800, 180, 10, 1e7, 20)
    assert a.abandonment_rate == pytest.approx(0.5, abs=1e-6) and a.occupancy == pytest.approx(1.0, abs=1e-6)


# ----------------------------------------------------------------------------------------------
# exact closed forms for one and two agents: any swapped argument or rate shows up in the 10th digit


@pytest.mark.parametrize("load", [0.01, 0.5, 1.0, 3.0, 250.0])
def test_erlang_b_for_one_and_two_lines_in_closed_form(load):
    assert erlang_b(1, load) == pytest.approx(load / (1 + load), rel=1e-12)
    assert erlang_b(2, load) == pytest.approx((load**2 / 2) / (1 + load + load**2 / 2), rel=1e-12)


@pytest.mark.parametrize("blocking", [1e-12, 1e-9, 0.001, 0.3, 0.5, 0.9, 0.999])
def test_erlang_b_inverse_for_one_line_in_closed_form(blocking):
    # one line blocks A / (1 + A), so the load for blocking b is b / (1 - b); past 1 Erlang the search must grow
    assert erlang_b_load_for_blocking(1, blocking) == pytest.approx(blocking / (1 - blocking), rel=1e-10, abs=0)


@pytest.mark.parametrize("agents, blocking", [(15, 0.01), (40, 0.02), (3, 0.7), (200, 0.5)])
def test_erlang_b_inverse_round_trips(agents, blocking):
    load = erlang_b_load_for_blocking(agents, blocking)
    assert erlang_b(agents, load) == pytest.approx(blocking, rel=1e-10)
    assert erlang_b(agents, load * 1.01) > blocking > erlang_b(agents, load * 0.99)


@pytest.mark.parametrize(
    "calls, interval_s, aht_s, t",
    [(10, 1800, 90, 20), (15, 900, 30, 0), (1, 3600, 2000, 60), (0.5, 60, 100, 5)],
)
def test_erlang_c_one_agent_is_mm1(calls, interval_s, aht_s, t):
    lam, mu = calls / interval_s, 1 / aht_s
    rho = lam / mu
    assert rho < 1
    m = erlang_c(calls, interval_s, aht_s, 1, t)
    assert m.load_erlangs == pytest.approx(rho, rel=1e-12)
    assert m.p_wait == pytest.approx(rho, rel=1e-12)
    assert m.service_level == pytest.approx(1 - rho * math.exp(-(mu - lam) * t), rel=1e-12)
    assert m.asa_s == pytest.approx(rho / (mu - lam), rel=1e-12)
    assert m.mean_wait_all_s == m.asa_s
    assert m.occupancy == pytest.approx(rho, rel=1e-12)
    assert (m.abandonment_rate, m.p_abandoned_within, m.patience_s, m.stable) == (0.0, 0.0, None, True)


@pytest.mark.parametrize("calls, t", [(10, 20), (15, 0), (19, 45)])
def test_erlang_c_two_agents_in_closed_form(calls, t):
    interval_s, aht_s = 1800, 180
    load = calls * aht_s / interval_s
    c = load**2 / (2 + load)  # Erlang C for two agents
    gap = (2 - load) / aht_s
    m = erlang_c(calls, interval_s, aht_s, 2, t)
    assert m.p_wait == pytest.approx(c, rel=1e-12)
    assert m.service_level == pytest.approx(1 - c * math.exp(-gap * t), rel=1e-12)
    assert m.asa_s == pytest.approx(c / gap, rel=1e-12)
    assert m.p_answered_within == m.service_level


def test_only_rates_matter_not_the_interval_length():
    """100 calls per 30 minutes is 200 per hour and 50 per quarter hour: the same queue."""
    for model in (
        lambda calls, interval_s: erlang_c(calls, interval_s, 180, 14, 20),
        lambda calls, interval_s: erlang_a(calls, interval_s, 180, 13, 300, 20),
    ):
        half_hour, hour, quarter = model(100, 1800), model(200, 3600), model(50, 900)
        for m in (hour, quarter):
            for key in ("load_erlangs", "p_wait", "service_level", "asa_s", "abandonment_rate", "occupancy"):
                assert getattr(m, key) == pytest.approx(getattr(half_hour, key), rel=1e-9), key


@pytest.mark.parametrize("patience_s", [30.0, 300.0, 3000.0])
def test_erlang_a_obeys_littles_law_and_counts_add_up(patience_s):
    m = erlang_a(100, 1800, 180, 9, patience_s, 20)
    # abandonment rate theta * E[queue] = lambda * P(abandon), and E[queue] = lambda * E[wait of all]
    assert m.mean_wait_all_s == pytest.approx(m.abandonment_rate * patience_s, rel=1e-12)
    assert m.occupancy == pytest.approx((1 - m.abandonment_rate) * m.load_erlangs / 9, rel=1e-12)
    assert 0 < m.p_abandoned_within < m.abandonment_rate < m.p_wait < 1
    assert m.p_answered_within + m.p_abandoned_within < 1
    assert m.model == "erlang_a" and m.patience_s == patience_s and m.stable
    # ASA counts the answered at once (wait 0), so it is below the mean wait of those who waited
    assert m.asa_s < m.mean_wait_all_s / m.p_wait


def test_erlang_a_and_c_are_not_interchangeable():
    c = erlang_c(100, 1800, 180, 11, 20)
    a = erlang_a(100, 1800, 180, 11, 120, 20)
    assert (c.model, a.model) == ("erlang_c", "erlang_a")
    assert a.service_level > c.service_level + 0.1 and a.asa_s < c.asa_s / 2 and a.abandonment_rate > 0.02


def test_huge_center_with_a_trickle_of_calls_waits_exactly_zero():
    for m in (erlang_a(1, 1800, 180, 5000, 300, 20), erlang_c(1, 1800, 180, 5000, 20)):
        assert (m.p_wait, m.asa_s, m.mean_wait_all_s, m.service_level, m.abandonment_rate) == (0.0, 0.0, 0.0, 1.0, 0.0)
        assert m.occupancy == pytest.approx(0.1 / 5000, rel=1e-12, abs=0)


def test_unstable_boundary_is_exactly_the_agents():
    below = erlang_c(99.99, 1800, 180, 10, 20)
    assert below.stable and below.p_wait < 1 and below.service_level > 0
    assert not erlang_c(100.0, 1800, 180, 10, 20).stable
    m = erlang_c(100, 1800, 180, 10, 20, sl_definition="answered")
    assert m.to_dict()["asa_s"] == math.inf and m.mean_wait_all_s == math.inf and m.p_answered_within == 0.0


def test_defaults_are_a_20_second_threshold_and_the_offered_definition():
    assert erlang_c(100, 1800, 180, 14) == erlang_c(100, 1800, 180, 14, 20, "offered")
    assert erlang_a(100, 1800, 180, 13, 300) == erlang_a(100, 1800, 180, 13, 300, 20, "offered")
    m = erlang_a(100, 1800, 180, 13, 300)
    assert (m.answer_within_s, m.sl_definition) == (20, SLDefinition.OFFERED)


def test_a_load_within_rounding_of_the_agents_is_at_capacity():
    # 10 * (1 - 1e-12) Erlangs on 10 agents: the queue would take longer than the age of the universe to settle
    m = erlang_c(10 * (1.0 - 1e-12), 1, 1, 10, 20)
    assert not m.stable and m.p_wait == 1.0
    assert erlang_c(10 * (1.0 - 1e-9), 1, 1, 10, 20).stable


@pytest.mark.parametrize("definition", ALL_DEFINITIONS)
def test_an_unstable_erlang_c_queue_answers_nobody_within_t(definition):
    m = erlang_c(120, 1800, 180, 10, 20, sl_definition=definition)
    assert (m.p_wait, m.service_level, m.p_answered_within, m.p_abandoned_within, m.abandonment_rate) == (
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
    )
    assert (m.asa_s, m.mean_wait_all_s, m.occupancy, m.load_erlangs) == (math.inf, math.inf, 1.0, 12.0)


# ----------------------------------------------------------------------------------------------
# numerical kernels of Erlang A against independent references (series written out, scipy where it is exact enough)


@pytest.mark.parametrize("d", [-0.5, -0.01, -1.001e-3, -9.99e-4, -1e-5, 1e-9, 1e-5, 9.99e-4, 1.001e-3, 0.01, 1.0, 50.0])
def test_x_minus_log1p(d):
    if abs(d) < 0.02:  # d - log(1 + d) = d^2/2 - d^3/3 + d^4/4 - ...
        reference = math.fsum((-1) ** k * d**k / k for k in range(2, 30))
    else:
        reference = d - math.log1p(d)
    assert _x_minus_log1p(d) == pytest.approx(reference, rel=1e-12, abs=0)  # values go down to 5e-19


@pytest.mark.parametrize("s", [0.5, 1.0, 3.0, 9.99, 10.0, 10.01, 12.0, 50.0, 1000.0, 1e6])
def test_log_stirling_rest(s):
    # log Gamma(s) - s log s + s = -log(s)/2 + log(2 pi)/2 + sum of B_2k / (2k (2k-1) s^(2k-1)); eight terms
    # are exact to double precision from s = 10 on, and below 10 scipy's gammaln is exact enough
    if s < 10:
        reference = float(special.gammaln(s)) - s * math.log(s) + s
    else:
        terms = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400]
        reference = (
            -0.5 * math.log(s)
            + 0.5 * math.log(2 * math.pi)
            + math.fsum(c / s ** (2 * k + 1) for k, c in enumerate(terms))
        )
    # the kernel stops after three terms: its own error is below 1e-10 at s = 10
    assert _log_stirling_rest(s) == pytest.approx(reference, rel=1e-12, abs=1e-10)


@pytest.mark.parametrize(
    "s, x",
    [
        (2.0, 0.0),
        (2.0, 0.5),
        (3.5, 0.999),
        (3.5, 1.0),
        (20.0, 5.0),
        (300.0, 280.0),
        (5000.0, 4990.0),
        (50_000.0, 49_990.0),  # the terms fall slowly: more than one chunk of 512
        (5000.0, 4000.0),
        (50.0, 400.0),
        (2000.0, 9000.0),
    ],
)
def test_log_series_s(s, x):
    """log of sum_k x^k / (s (s+1) ... (s+k)), which is log(gamma(s, x) e^x x^-s) (lower incomplete gamma)."""
    if x == 0.0:
        reference = -math.log(s)
    else:
        reference = math.log(special.gammainc(s, x)) + float(special.gammaln(s)) + x - s * math.log(x)
    scale = max(1.0, x, float(special.gammaln(s)))  # the reference's own rounding grows with its terms
    assert _log_series_s(s, x) == pytest.approx(reference, rel=1e-12, abs=1e-14 * scale)
