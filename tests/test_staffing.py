"""Staffing: reference vectors, minimality of required agents, shrinkage gross-up, interval table."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from shared_data import erlang_vectors

from ccsim.analytics.erlang import MAX_AGENTS, erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import StaffingResult, _smallest, required_agents, scheduled_agents, staffing_table
from ccsim.errors import CcsimInputError

STAFFING = erlang_vectors("staffing_c")


@pytest.mark.parametrize("row", STAFFING, ids=[r["id"] for r in STAFFING])
def test_reference_vector(row):
    result = required_agents(
        float(row["calls"]),
        float(row["interval_s"]),
        float(row["aht_s"]),
        answer_within_s=float(row["answer_within_s"]),
        target_sl=float(row["target_sl"]),
    )
    assert result.model == "erlang_c"
    got = {"agents": result.agents, "scheduled_agents": scheduled_agents(result.agents, float(row["shrinkage"]))}[
        row["quantity"]
    ]
    assert abs(got - float(row["expected"])) <= float(row["tolerance"])


def test_staffing_vectors_are_present():
    assert {r["id"] for r in STAFFING} >= {"V1e", "V1f", "V7a", "V7b"}


def test_docstring_example_and_result_fields():
    r = required_agents(100, 1800, 180, answer_within_s=20, target_sl=0.8)
    assert isinstance(r, StaffingResult)
    assert r.agents == 14 and r.binding == ("target_sl",) and r.metrics.agents == 14
    assert r.metrics.service_level == pytest.approx(0.88835, abs=1e-5)
    assert erlang_c(100, 1800, 180, 13, 20).service_level < 0.8


def test_model_defaults_to_erlang_a_with_patience():
    r = required_agents(100, 1800, 180, target_sl=0.8, patience_s=300)
    assert r.model == "erlang_a" and r.metrics.patience_s == 300
    assert r.agents <= required_agents(100, 1800, 180, target_sl=0.8).agents


def test_several_targets_report_the_binding_one():
    sl_only = required_agents(100, 1800, 180, target_sl=0.8)
    both = required_agents(100, 1800, 180, target_sl=0.8, max_occupancy=0.6)
    assert both.agents == math.ceil(10 / 0.6) > sl_only.agents
    assert both.binding == ("max_occupancy",)
    assert both.metrics.occupancy <= 0.6
    asa = required_agents(100, 1800, 180, max_asa_s=2.0)
    assert asa.metrics.asa_s <= 2.0 and erlang_c(100, 1800, 180, asa.agents - 1, 20).asa_s > 2.0
    ab = required_agents(100, 1800, 180, max_abandon=0.01, patience_s=120)
    assert ab.metrics.abandonment_rate <= 0.01 and ab.binding == ("max_abandon",)


def test_large_center_is_staffed():
    r = required_agents(20_000, 1800, 300, answer_within_s=20, target_sl=0.9)
    load = 20_000 * 300 / 1800
    assert load < r.agents < load * 1.1
    assert erlang_c(20_000, 1800, 300, r.agents - 1, 20).service_level < 0.9


def test_scheduled_agents_float_guard_and_range():
    assert scheduled_agents(14, 0.3) == 20
    assert scheduled_agents(11, 0.3) == 16
    assert scheduled_agents(10, 0.0) == 10
    assert scheduled_agents(0, 0.5) == 0
    assert scheduled_agents(59, 0.41) == 100
    assert scheduled_agents(10, 0.25) == 14  # 13.33 rounds up
    assert scheduled_agents(1, 0.999) == 1000
    # quotients a hair above a whole number in floating point: 5.000000000000001, 30.000000000000007
    assert 1 / (1 - 0.8) > 5 and scheduled_agents(1, 0.8) == 5
    assert 3 / (1 - 0.9) > 30 and scheduled_agents(3, 0.9) == 30
    # the guard is 1e-9 relative (absolute below one agent), not more
    assert scheduled_agents(100, 5e-10) == 100 and scheduled_agents(100, 2e-9) == 101
    assert scheduled_agents(1, 0.5e-9) == 1 and scheduled_agents(1, 1.5e-9) == 2
    assert isinstance(scheduled_agents(14, 0.3), int) and isinstance(scheduled_agents(10, 0.25), int)
    for agents, shrinkage, allowed in [
        (-1, 0.3, "a whole number of at least 0"),
        (2.5, 0.3, "a whole number of at least 0"),
        (10, 1.0, "a number of at least 0 and below 1"),
        (10, -0.1, "a number of at least 0 and below 1"),
    ]:
        with pytest.raises(CcsimInputError) as info:
            scheduled_agents(agents, shrinkage)
        field = "agents" if allowed.startswith("a whole") else "shrinkage"
        assert (info.value.field, info.value.allowed) == (field, allowed)


SHARE = "a number above 0 and at most 1"


@pytest.mark.parametrize(
    "kwargs, field, allowed",
    [
        (dict(), "targets", "at least one of target_sl, max_asa_s, max_abandon, max_occupancy"),
        (dict(target_sl=1.5), "target_sl", SHARE),
        (dict(target_sl=0), "target_sl", SHARE),
        (dict(max_asa_s=-1), "max_asa_s", "a number above 0"),
        (dict(max_asa_s=0), "max_asa_s", "a number above 0"),
        (dict(max_abandon=2), "max_abandon", SHARE),
        (dict(max_abandon=0), "max_abandon", SHARE),
        (dict(max_occupancy=0), "max_occupancy", SHARE),
        (dict(max_occupancy=1.01), "max_occupancy", SHARE),
        (dict(target_sl=0.8, patience_s=-5), "patience_s", "a number above 0"),
        (dict(target_sl=0.8, patience_s=0), "patience_s", "a number above 0"),
        (
            dict(target_sl=0.8, model="erlang_a"),
            "patience_s",
            "a mean patience in seconds above 0 for the erlang_a model",
        ),
        (dict(target_sl=0.8, model="erlang_x"), "model", "one of erlang_c, erlang_a"),
        (dict(target_sl=0.8, patience_s=60, model="erlang_b"), "model", "one of erlang_c, erlang_a"),
        (
            dict(target_sl=0.8, sl_definition="nope"),
            "sl_definition",
            "one of offered, exclude_short_abandons, answered, answered_or_abandoned_within",
        ),
        (dict(target_sl=0.8, answer_within_s=-1), "answer_within_s", "a number of at least 0"),
    ],
)
def test_bad_targets_are_one_sentence(kwargs, field, allowed):
    with pytest.raises(CcsimInputError) as info:
        required_agents(100, 1800, 180, **kwargs)
    assert (info.value.field, info.value.value, info.value.allowed) == (field, kwargs.get(field), allowed)
    assert str(info.value) == f"{field}: {info.value.value!r} is not allowed; use {allowed}"


@pytest.mark.parametrize(
    "args, field, allowed",
    [
        ((-1, 1800, 180), "calls", "a number of at least 0"),
        ((10, 0, 180), "interval_s", "a number above 0"),
        ((10, 1800, 0), "aht_s", "a number above 0"),
    ],
)
def test_bad_workload_is_one_sentence(args, field, allowed):
    with pytest.raises(CcsimInputError) as info:
        required_agents(*args, target_sl=0.8)
    assert (info.value.field, info.value.allowed) == (field, allowed)


def test_targets_at_the_edge_of_their_range_are_taken():
    assert required_agents(100, 1800, 180, target_sl=1.0, patience_s=300).metrics.service_level == pytest.approx(1.0)
    # with callers hanging up no queue is unstable and occupancy stays below 100%: one agent "meets" a 100% cap
    assert required_agents(100, 1800, 180, max_occupancy=1.0, patience_s=300).agents == 1
    assert required_agents(100, 1800, 180, max_abandon=1.0, patience_s=300).agents == 1
    assert required_agents(0, 1800, 180, target_sl=0.8, answer_within_s=0).agents == 1


@pytest.mark.parametrize("calls", [100, 105, 0.5])
def test_erlang_c_never_staffs_an_unstable_queue(calls):
    """Capped at 100%, an overloaded queue's occupancy 'meets' a 100% cap, and Erlang C callers never abandon:
    neither may pass for an answer. The fewest agents for a stable queue is the load rounded down, plus one."""
    stable = math.floor(calls * 180 / 1800) + 1
    for targets in (dict(max_occupancy=1.0), dict(max_abandon=0.01)):
        r = required_agents(calls, 1800, 180, **targets)
        assert (r.agents, r.binding, r.metrics.stable) == (stable, (), True), targets
    assert erlang_c(calls, 1800, 180, stable, 20).stable and (
        stable == 1 or not erlang_c(calls, 1800, 180, stable - 1, 20).stable
    )


def test_unreachable_target_is_an_error_not_a_hang():
    with pytest.raises(CcsimInputError) as info:
        required_agents(10_000_000, 1800, 180, target_sl=0.8, max_asa_s=20)
    assert str(info.value) == (
        "targets: 'target_sl=0.8, max_asa_s=20' is not allowed; use targets that 5000 agents or fewer can meet "
        "for 1e+07 calls per 1800 s at AHT 180 s"
    )


def test_staffing_table_from_series_keeps_labels():
    calls = pd.Series([40, 100, 250, 0], index=["08:00", "08:30", "09:00", "09:30"])
    table = staffing_table(calls, 1800, 180, shrinkage=0.3, answer_within_s=20, target_sl=0.8)
    assert list(table.columns) == [
        "interval",
        "calls",
        "load_erlangs",
        "agents",
        "scheduled_agents",
        "service_level",
        "asa_s",
        "abandonment_rate",
        "occupancy",
    ]
    assert list(table.index) == list(calls.index) == list(table["interval"])
    row = table.loc["08:30"]
    assert (row["agents"], row["scheduled_agents"]) == (14, 20)
    assert row["load_erlangs"] == pytest.approx(10.0)
    assert (table["service_level"] >= 0.8).all()
    assert table.loc["09:30", "agents"] == 1


def test_staffing_table_from_list_with_erlang_a():
    table = staffing_table([100, 200], 1800, 180, target_sl=0.8, max_abandon=0.02, patience_s=300)
    assert list(table["interval"]) == [0, 1]
    for _, row in table.iterrows():
        m = erlang_a(row["calls"], 1800, 180, int(row["agents"]), 300, 20)
        assert m.service_level == pytest.approx(row["service_level"]) and m.abandonment_rate <= 0.02


# How many examples, and whether they are random, is the Hypothesis profile's choice (tests/conftest.py).
PROPS = settings(suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(
    calls=st.floats(min_value=1, max_value=20_000),
    aht=st.floats(min_value=30, max_value=900),
    t=st.floats(min_value=0, max_value=120),
    sl=st.floats(min_value=0.05, max_value=0.99),
    patience=st.one_of(st.none(), st.floats(min_value=5, max_value=3000)),
    definition=st.sampled_from(list(SLDefinition)),
    occ=st.one_of(st.none(), st.floats(min_value=0.5, max_value=0.99)),
)
# one agent is enough although the search starts at 2, 3 or 7 (load 1.5, 2.5, 6.5; impatient callers)
@example(calls=15, aht=180, t=20, sl=0.3, patience=5, definition=SLDefinition.OFFERED, occ=None)
@example(calls=25, aht=180, t=20, sl=0.25, patience=5, definition=SLDefinition.OFFERED, occ=0.9)
@example(calls=65, aht=180, t=0, sl=0.1, patience=5, definition=SLDefinition.OFFERED, occ=None)
@example(calls=1, aht=30, t=0, sl=0.99, patience=None, definition=SLDefinition.OFFERED, occ=None)  # load 1/60
@example(calls=600, aht=900, t=120, sl=0.99, patience=None, definition=SLDefinition.ANSWERED, occ=0.99)  # load 300
@example(calls=100, aht=180, t=20, sl=0.8, patience=3000, definition=SLDefinition.EXCLUDE_SHORT_ABANDONS, occ=0.5)
def test_required_agents_is_the_fewest_that_meet_the_targets(calls, aht, t, sl, patience, definition, occ):
    try:
        r = required_agents(
            calls,
            1800,
            aht,
            answer_within_s=t,
            target_sl=sl,
            patience_s=patience,
            sl_definition=definition,
            max_occupancy=occ,
        )
    except CcsimInputError:
        # only legitimately unreachable: more than 5000 agents needed
        assert calls * aht / 1800 / (occ or 1.0) > 4000
        return

    def metrics(n):
        if patience is None:
            return erlang_c(calls, 1800, aht, n, t, sl_definition=definition)
        return erlang_a(calls, 1800, aht, n, patience, t, sl_definition=definition)

    def meets(m):
        return m.service_level >= sl - 1e-12 and (occ is None or m.occupancy <= occ + 1e-12)

    assert meets(r.metrics) and r.metrics == metrics(r.agents)
    if r.agents > 1:
        assert not meets(metrics(r.agents - 1))


@PROPS
@given(
    calls=st.floats(min_value=0, max_value=5000),
    more=st.floats(min_value=0, max_value=2000),
    aht=st.floats(min_value=30, max_value=900),
    sl=st.floats(min_value=0.05, max_value=0.99),
    patience=st.one_of(st.none(), st.floats(min_value=5, max_value=3000)),
)
@example(calls=0, more=0, aht=30, sl=0.99, patience=None)
@example(calls=0, more=1, aht=900, sl=0.05, patience=5)
@example(calls=5000, more=2000, aht=900, sl=0.99, patience=3000)
def test_more_calls_never_need_fewer_agents(calls, more, aht, sl, patience):
    fewer = required_agents(calls, 1800, aht, target_sl=sl, patience_s=patience)
    busier = required_agents(calls + more, 1800, aht, target_sl=sl, patience_s=patience)
    assert busier.agents >= fewer.agents


def test_staffing_table_names_an_unknown_keyword_and_the_allowed_ones():
    import inspect

    with pytest.raises(CcsimInputError) as info:
        staffing_table([100], 1800, 180, target_sl=0.8, max_asa=20)
    assert str(info.value) == (
        "staffing_table keyword: 'max_asa' is not allowed; use one of answer_within_s, target_sl, max_asa_s, "
        "max_abandon, max_occupancy, patience_s, sl_definition, model"
    )
    # every keyword of required_agents but the workload itself
    allowed = set(inspect.signature(required_agents).parameters) - {"calls", "interval_s", "aht_s"}
    assert set(info.value.allowed.removeprefix("one of ").split(", ")) == allowed


# ----------------------------------------------------------------------------------------------
# the search itself


@pytest.mark.parametrize("answer", [1, 2, 3, 4, 7, 8, 9, 31, 64, 100, 4999, MAX_AGENTS])
def test_search_finds_the_smallest_passing_count_from_any_start(answer):
    guesses = sorted({-3, 0, 1, 2, answer - 2, answer - 1, answer, answer + 1, answer + 2, 3 * answer, MAX_AGENTS + 7})
    for guess in guesses:
        tried: list[int] = []

        def ok(n: int, tried: list[int] = tried) -> bool:
            assert 1 <= n <= MAX_AGENTS, n  # never asks about 0 agents or more than the limit
            tried.append(n)
            return n >= answer

        found = _smallest(ok, guess)
        assert found == answer and type(found) is int, (guess, found)
        # galloping and halving: a few dozen formula evaluations at most, never a walk through thousands
        assert len(tried) <= 2 * math.ceil(math.log2(MAX_AGENTS)) + 2, (guess, len(tried))


def test_search_says_none_when_no_count_passes():
    tried: list[int] = []
    assert _smallest(lambda n: tried.append(n) or False, 1) is None
    assert max(tried) == MAX_AGENTS and len(tried) <= math.ceil(math.log2(MAX_AGENTS)) + 1
    assert _smallest(lambda n: False, MAX_AGENTS) is None


@pytest.mark.parametrize("patience", [None, 60.0])
@pytest.mark.parametrize("agents", [1, 2, 3, 5, 9, 14, 40])
def test_a_target_met_exactly_by_n_agents_needs_n(agents, patience):
    """Set the target to what n agents achieve: the answer is n, whatever the load (the search may start far off)."""
    calls, aht = (8 * agents if patience is None else 14 * agents), 180  # loads 0.8 n or 1.4 n Erlangs
    if patience is None:
        at_n, fewer = erlang_c(calls, 1800, aht, agents, 20), erlang_c(calls, 1800, aht, max(agents - 1, 1), 20)
    else:
        at_n, fewer = (
            erlang_a(calls, 1800, aht, agents, patience, 20),
            erlang_a(calls, 1800, aht, max(agents - 1, 1), patience, 20),
        )
    assert agents == 1 or fewer.service_level < at_n.service_level
    r = required_agents(calls, 1800, aht, target_sl=at_n.service_level, patience_s=patience)
    assert r.agents == agents and r.metrics == at_n
    assert r.binding == (() if agents == 1 else ("target_sl",))
    if agents > 1:  # and for each other target the same way
        assert required_agents(calls, 1800, aht, max_asa_s=at_n.asa_s, patience_s=patience).agents == agents
        if patience is not None:
            assert (
                required_agents(calls, 1800, aht, max_abandon=at_n.abandonment_rate, patience_s=patience).agents
                == agents
            )
            assert required_agents(calls, 1800, aht, max_occupancy=at_n.occupancy, patience_s=patience).agents == agents


@pytest.mark.parametrize("calls", [15, 25, 65])
def test_one_agent_is_enough_for_impatient_callers_at_a_low_target(calls):
    """Load 1.5, 2.5 or 6.5 Erlangs: the search starts at 2 or more agents, and must come down to 1."""
    one = erlang_a(calls, 1800, 180, 1, 5, 20)
    r = required_agents(calls, 1800, 180, target_sl=one.service_level * 0.999, patience_s=5)
    assert (r.agents, r.binding, r.model) == (1, (), "erlang_a")
    r = required_agents(calls, 1800, 180, max_occupancy=one.occupancy + 1e-6, patience_s=5)
    assert (r.agents, r.binding) == (1, ())


def test_staffing_table_rows_are_required_agents_with_every_keyword_passed_on():
    targets = dict(
        answer_within_s=30,
        target_sl=0.85,
        max_asa_s=15,
        max_abandon=0.03,
        max_occupancy=0.9,
        patience_s=200,
        sl_definition="exclude_short_abandons",
        model="erlang_a",
    )
    calls = [0, 12.5, 100, 640]
    table = staffing_table(calls, 900, 240, shrinkage=0.35, **targets)
    assert list(table.index) == [0, 1, 2, 3] and table.index.name is None
    for i, c in enumerate(calls):
        r = required_agents(c, 900, 240, **targets)
        row = table.iloc[i]
        m = r.metrics
        assert (m.model, m.answer_within_s, m.sl_definition.value, m.patience_s) == (
            "erlang_a",
            30,
            "exclude_short_abandons",
            200,
        )
        expected = {
            "interval": i,
            "calls": c,
            "load_erlangs": c * 240 / 900,
            "agents": r.agents,
            "scheduled_agents": scheduled_agents(r.agents, 0.35),
            "service_level": m.service_level,
            "asa_s": m.asa_s,
            "abandonment_rate": m.abandonment_rate,
            "occupancy": m.occupancy,
        }
        assert row.to_dict() == pytest.approx(expected, rel=1e-12, abs=1e-15), i
    assert table["agents"].is_monotonic_increasing and table["agents"].iloc[-1] > table["agents"].iloc[1]


def test_staffing_table_of_no_intervals_is_empty_with_the_columns():
    table = staffing_table([], 1800, 180, target_sl=0.8)
    assert table.empty and list(table.columns)[:4] == ["interval", "calls", "load_erlangs", "agents"]
    with pytest.raises(CcsimInputError) as info:
        staffing_table([100, -1], 1800, 180, target_sl=0.8)
    assert (info.value.field, info.value.value) == ("calls_per_interval[1]", -1)
    with pytest.raises(CcsimInputError) as info:
        staffing_table([100], 1800, 180, target_sl=0.8, shrinkage=1)
    assert str(info.value) == "shrinkage: 1 is not allowed; use a number of at least 0 and below 1"


@pytest.mark.parametrize(
    "targets, agents, evaluations",
    [
        (dict(target_sl=0.8), 14, 4),  # load 10: tries 11, 12, 14, 13
        (dict(max_occupancy=0.6), 17, 2),  # starts at ceil(10 / 0.6) = 17: tries 17, 16
        (dict(max_asa_s=2.0), 16, 6),  # tries 11, 12, 14, 18, 16, 15
        (dict(max_occupancy=0.95), 11, 2),  # starts at the answer: tries 11, 10
    ],
)
def test_the_search_starts_next_to_the_load(monkeypatch, targets, agents, evaluations):
    """Staffing is recomputed on every slider move: a handful of Erlang evaluations, starting from the load."""
    import ccsim.analytics.staffing as staffing

    tried: list[int] = []

    def counting_erlang_c(calls, interval_s, aht_s, n, *args):
        tried.append(n)
        return erlang_c(calls, interval_s, aht_s, n, *args)

    monkeypatch.setattr(staffing, "erlang_c", counting_erlang_c)
    r = staffing.required_agents(100, 1800, 180, **targets)
    assert r.agents == agents and len(tried) == len(set(tried)) == evaluations, tried
