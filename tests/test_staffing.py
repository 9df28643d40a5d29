"""Staffing: reference vectors, minimality of required agents, shrinkage gross-up, interval table."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_data import erlang_vectors

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import StaffingResult, required_agents, scheduled_agents, staffing_table
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
    assert scheduled_agents(59, 0.41) == 100
    assert scheduled_agents(10, 0.25) == 14  # 13.33 rounds up
    with pytest.raises(CcsimInputError, match="shrinkage"):
        scheduled_agents(10, 1.0)
    with pytest.raises(CcsimInputError, match="agents"):
        scheduled_agents(-1, 0.3)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(), "targets"),
        (dict(target_sl=1.5), "target_sl"),
        (dict(target_sl=0), "target_sl"),
        (dict(max_asa_s=-1), "max_asa_s"),
        (dict(max_abandon=2), "max_abandon"),
        (dict(max_occupancy=0), "max_occupancy"),
        (dict(target_sl=0.8, patience_s=-5), "patience_s"),
        (dict(target_sl=0.8, model="erlang_a"), "patience_s"),
        (dict(target_sl=0.8, model="erlang_x"), "model"),
        (dict(target_sl=0.8, sl_definition="nope"), "sl_definition"),
    ],
)
def test_bad_targets_are_one_sentence(kwargs, field):
    with pytest.raises(CcsimInputError) as info:
        required_agents(100, 1800, 180, **kwargs)
    assert info.value.field == field and "\n" not in str(info.value)


def test_unreachable_target_is_an_error_not_a_hang():
    with pytest.raises(CcsimInputError) as info:
        required_agents(10_000_000, 1800, 180, target_sl=0.8)
    assert info.value.field == "targets" and "5000" in str(info.value)


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


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
def test_more_calls_never_need_fewer_agents(calls, more, aht, sl, patience):
    fewer = required_agents(calls, 1800, aht, target_sl=sl, patience_s=patience)
    busier = required_agents(calls + more, 1800, aht, target_sl=sl, patience_s=patience)
    assert busier.agents >= fewer.agents


def test_staffing_table_names_an_unknown_keyword_and_the_allowed_ones():
    import inspect

    with pytest.raises(CcsimInputError) as info:
        staffing_table([100], 1800, 180, target_sl=0.8, max_asa=20)
    assert info.value.value == "max_asa" and "staffing_table" in info.value.field
    allowed = set(inspect.signature(required_agents).parameters) - {"calls", "interval_s", "aht_s"}
    assert all(name in info.value.allowed for name in allowed)
