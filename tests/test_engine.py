"""The simulation engine: outcomes, invariants, seeds, staffing, routing, overload, the patience clock, bad input."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import kpis
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal
from ccsim.simulation.engine import (
    OUTCOMES,
    SimulationResult,
    simulate,
    stream_generator,
)
from ccsim.simulation.model import AgentGroup, ArrivalStream, Callback, CallType, CenterModel, Routing, Site, Transfer
from ccsim.simulation.overload import demand_ratio

COLUMNS = [
    "contact_id",
    "call_type",
    "site",
    "interval",
    "day",
    "arrival_s",
    "queue_entry_s",
    "answer_s",
    "abandon_s",
    "end_s",
    "wait_s",
    "handle_time_s",
    "outcome",
    "agent",
    "agent_group",
    # sites, skills, transfers, call-backs (see ccsim.simulation.result.SimulationResult)
    "served_site",
    "overflowed",
    "skill",
    "queue",
    "tier",
    "transfers",
    "handoff",
    "back_office_done_s",
    "callback_offered",
    "final_call_type",
    "final_outcome",
    "final_end_s",
]


PATIENCE = Exponential(120)


def small_day(calls=60.0, agents=18, patience=PATIENCE, intervals=4, interval_s=900.0, aht=240.0):
    return CenterModel.single_queue(
        calls, agents, Exponential(aht), patience, interval_s=interval_s, intervals=intervals
    )


def check_invariants(result: SimulationResult) -> None:
    """What must hold for every run of a single call type, single agent group model."""
    model = result.model
    c = result.contacts
    assert list(c.columns) == COLUMNS
    assert list(c["outcome"].cat.categories) == list(OUTCOMES)
    assert not c["outcome"].isna().any()  # every caller has exactly one outcome
    answered = (c["outcome"] == "answered").to_numpy()
    abandoned = (c["outcome"] == "abandoned").to_numpy()
    unanswered = (c["outcome"] == "unanswered").to_numpy()
    assert np.array_equal(answered, c["answer_s"].notna().to_numpy())
    assert np.array_equal(abandoned, c["abandon_s"].notna().to_numpy())
    assert np.array_equal(answered, (c["agent"] >= 0).to_numpy())
    assert (c["wait_s"] >= 0).all()
    assert (c["queue_entry_s"] >= c["arrival_s"]).all()
    a = c[answered]
    assert (a["answer_s"] >= a["arrival_s"]).all()
    assert np.allclose(a["wait_s"], a["answer_s"] - a["queue_entry_s"])
    assert np.allclose(a["end_s"], a["answer_s"] + a["handle_time_s"])
    assert a["handle_time_s"].notna().all() and c.loc[~answered, "handle_time_s"].isna().all()
    assert (c["arrival_s"] < result.horizon_s).all() and (c["arrival_s"] >= 0).all()
    assert np.array_equal(c["interval"], np.minimum(c["arrival_s"] // model.interval_s, model.intervals - 1))
    # abandoned callers waited exactly their patience (redrawn from the same stream)
    ct = model.call_types[0]
    if ct.patience is not None:
        patience = ct.patience.sample(stream_generator(result.seed, "patience", 0), len(c))
        assert np.allclose(c.loc[abandoned, "wait_s"], patience[abandoned])
        assert (a["wait_s"].to_numpy() < patience[answered]).all()  # answered before giving up
        assert np.allclose(c.loc[unanswered, "wait_s"], c.loc[unanswered, "end_s"] - c.loc[unanswered, "queue_entry_s"])
    else:
        assert not abandoned.any()
    # no agent serves two calls at once, and each call starts while its agent is on duty and rostered
    group = model.agent_groups[0]
    for agent, calls in a.sort_values("answer_s").groupby("agent"):
        assert (calls["answer_s"].to_numpy()[1:] >= calls["end_s"].to_numpy()[:-1] - 1e-9).all()
        spans = result.on_duty[result.on_duty["agent"] == agent]
        for t, end in zip(calls["answer_s"], calls["end_s"], strict=True):
            assert ((spans["start_s"] <= t + 1e-9) & (spans["end_s"] >= end - 1e-9)).any()
            roster_time = min(t, np.nextafter(result.horizon_s, 0))
            assert agent < group.agents_at(roster_time) or any(
                # staffing changed at exactly this instant
                abs(s - t) < 1e-9
                for s, _ in group.staffing
            )
    # first come, first served: of two answered callers, the earlier one is answered no later
    order = a.sort_values("queue_entry_s")
    assert (np.diff(order["answer_s"].to_numpy()) >= -1e-9).all()
    # nobody waits while a rostered agent is free: at each waiting caller's entry, every rostered agent is busy
    waited = c[c["wait_s"] > 0]
    starts = np.sort(a["answer_s"].to_numpy())
    ends = np.sort(a["end_s"].to_numpy())
    for t in waited["queue_entry_s"]:
        busy = np.searchsorted(starts, t, side="right") - np.searchsorted(ends, t, side="right")
        assert busy >= group.agents_at(t)


def test_single_queue_day_has_one_outcome_per_caller_and_sensible_log():
    result = simulate(small_day(), seed=3)
    c = result.contacts
    assert len(c) > 150  # about 240 expected
    assert (c["outcome"] == "answered").sum() > 0 and (c["outcome"] == "abandoned").sum() > 0
    assert not c["outcome"].isin(["unanswered", "self_service", "callback"]).any()
    assert list(c["contact_id"]) == list(range(len(c)))
    assert (np.diff(c["arrival_s"]) >= 0).all()
    assert str(c["call_type"].iloc[0]) == "calls" and str(c["site"].iloc[0]) == "main"
    assert c.loc[c["agent"] >= 0, "agent_group"].eq("agents").all()
    assert c.loc[c["agent"] < 0, "agent_group"].isna().all()
    check_invariants(result)


def test_same_seed_same_log_and_different_seed_different_log():
    m = small_day()
    pd.testing.assert_frame_equal(simulate(m, 11).contacts, simulate(m, 11).contacts)
    ss = np.random.SeedSequence(5)
    pd.testing.assert_frame_equal(simulate(m, ss).contacts, simulate(m, ss).contacts)
    a, b = simulate(m, 11).contacts, simulate(m, 12).contacts
    assert len(a) != len(b) or not np.allclose(a["arrival_s"], b["arrival_s"])


def test_changing_patience_or_handle_time_never_moves_arrivals():
    base = small_day(patience=Exponential(120))
    other_patience = small_day(patience=Lognormal(500, 0.5))
    other_handle = small_day(aht=100)
    arrivals = simulate(base, 7).contacts["arrival_s"]
    assert np.array_equal(arrivals, simulate(other_patience, 7).contacts["arrival_s"])
    assert np.array_equal(arrivals, simulate(other_handle, 7).contacts["arrival_s"])
    # and changing patience keeps each caller's handle time
    h1 = simulate(base, 7).contacts
    h2 = simulate(other_patience, 7).contacts
    both = (h1["outcome"] == "answered") & (h2["outcome"] == "answered")
    assert both.sum() > 50
    assert np.allclose(h1.loc[both, "handle_time_s"], h2.loc[both, "handle_time_s"])


def test_arrivals_follow_the_rate_of_each_interval():
    m = CenterModel.single_queue([100, 0, 400], 50, Exponential(60), interval_s=1000)
    counts = np.zeros(3)
    for seed in range(5):
        counts += np.bincount(simulate(m, seed).contacts["interval"], minlength=3)
    assert counts[1] == 0
    assert abs(counts[0] - 500) < 4 * np.sqrt(500)
    assert abs(counts[2] - 2000) < 4 * np.sqrt(2000)


def test_without_patience_nobody_abandons_and_waits_are_zero_when_agents_are_plenty():
    m = CenterModel.single_queue(20, 200, Fixed(60), None, interval_s=1800, intervals=2)
    c = simulate(m, 1).contacts
    assert (c["outcome"] == "answered").all()
    assert (c["wait_s"] == 0).all()
    assert np.allclose(c["handle_time_s"], 60)


def test_agents_join_when_staffing_rises_and_leave_after_their_call_when_it_falls():
    m = CenterModel.single_queue([30, 30, 30], [0, 3, 1], Fixed(500), None, interval_s=600)
    result = simulate(m, 2)
    c = result.contacts
    a = c[c["outcome"] == "answered"]
    assert (a["answer_s"] >= 600).all()  # nobody on duty in the first interval
    late = a[a["answer_s"] >= 1200]
    assert set(late["agent"]) <= {0}  # after the drop only agent 0 takes new calls
    spans = result.on_duty.sort_values("agent")
    assert list(spans["agent"]) == [0, 1, 2]
    assert np.allclose(spans["start_s"], 600)
    for agent in (1, 2):
        mine = a[a["agent"] == agent]
        span_end = float(spans.loc[spans["agent"] == agent, "end_s"].iloc[0])
        assert span_end >= 1200  # stayed to finish the call in progress ...
        assert np.isclose(span_end, max(1200, mine["end_s"].max()))  # ... and left right after
    check_invariants(result)


def test_staffed_seconds_per_interval_follow_the_staffing():
    m = CenterModel.single_queue([1, 1, 1], [2, 5, 3], Fixed(1), None, interval_s=100)
    result = simulate(m, 0)
    assert np.allclose(result.staffed_s_per_interval, [200, 500, 300])


def test_idle_agent_taken_off_the_roster_and_back_at_once_keeps_working():
    m = CenterModel(
        interval_s=100,
        call_types=(CallType("c", Fixed(10)),),
        arrivals=(ArrivalStream("c", (5.0, 5.0, 5.0)),),
        agent_groups=(AgentGroup("g", staffing=((0, 2), (100, 1), (100.0, 2))),),
    )
    result = simulate(m, 4)
    check_invariants(result)
    assert (result.contacts["outcome"] == "answered").all()


def test_agent_states_cover_time_on_duty_and_busy_time_equals_handle_time():
    result = simulate(small_day(), 5)
    states = result.agent_states()
    assert list(states.columns) == ["agent", "agent_group", "site", "state", "start_s", "end_s"]
    assert set(states["state"].unique()) <= {"available", "busy"}
    assert (states["end_s"] >= states["start_s"]).all()
    c = result.contacts
    busy = states[states["state"] == "busy"].groupby("agent")["start_s"].count()
    answered = c[c["agent"] >= 0].groupby("agent")["contact_id"].count()
    assert busy.to_dict() == answered.to_dict()
    total_states = (states["end_s"] - states["start_s"]).sum()
    total_duty = (result.on_duty["end_s"] - result.on_duty["start_s"]).sum()
    assert np.isclose(total_states, total_duty)
    busy_s = states.loc[states["state"] == "busy", "end_s"] - states.loc[states["state"] == "busy", "start_s"]
    assert np.isclose(busy_s.sum(), c["handle_time_s"].sum())
    for _, mine in states.groupby("agent"):
        assert (mine["start_s"].to_numpy()[1:] >= mine["end_s"].to_numpy()[:-1] - 1e-9).all()
    assert result.agent_states() is states  # built once


@pytest.mark.parametrize("patience", [None, Exponential(300)])
def test_overloaded_center_finishes_with_a_plain_warning(patience):
    m = CenterModel.single_queue(10 * 50 / 400 * 1800, 50, Exponential(400), patience, intervals=16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the sentence travels in the result, never as a Python warning
        result = simulate(m, 1)
    assert len(result.warnings) == 1 and result.overloaded
    sentence = result.warnings[0]
    assert sentence == result.overload and sentence.startswith("Demand is 10.0 times what 50 agents can handle")
    assert sentence.endswith(".") and "\n" not in sentence
    c = result.contacts
    if patience is None:
        waiting = int((c["outcome"] == "unanswered").sum())
        assert waiting > 10000
        assert f"{waiting:,} callers were still waiting when the day ended" in sentence
        assert result.end_s == pytest.approx(result.horizon_s + 2 * result.horizon_s)
    else:
        assert (c["outcome"] == "unanswered").sum() == 0
        assert (c["outcome"] == "abandoned").mean() > 0.8
    check_invariants(result)


def test_no_drain_time_leaves_the_queue_unanswered_at_the_horizon():
    m = CenterModel.single_queue(300, 2, Exponential(300), None, interval_s=900, intervals=1)
    result = simulate(m, 0, max_drain_s=0)
    c = result.contacts
    unanswered = c[c["outcome"] == "unanswered"]
    assert len(unanswered) > 100
    assert np.allclose(unanswered["end_s"], 900)
    check_invariants(result)


def test_calm_center_has_no_warning():
    result = simulate(small_day(calls=10, agents=5), 0)
    assert result.warnings == [] and result.overload == "" and not result.overloaded


TWO_SKILL_PATIENCE = Exponential(200)


def two_skill_model(patience=TWO_SKILL_PATIENCE) -> CenterModel:
    return CenterModel(
        interval_s=1800,
        call_types=(
            CallType("english", Exponential(300), patience),
            CallType("spanish", Exponential(300), patience, skill="spanish"),
        ),
        arrivals=(ArrivalStream("english", (150.0, 150.0)), ArrivalStream("spanish", (60.0, 60.0), site="west")),
        agent_groups=(
            AgentGroup("english only", staffing=((0, 20),), skills=(("english", 1),)),
            AgentGroup("bilingual", staffing=((0, 12),), skills=(("spanish", 1), ("english", 2)), site="west"),
        ),
    )


def test_pooled_skills_route_by_skill_and_priority():
    result = simulate(two_skill_model(), 8)
    c = result.contacts
    a = c[c["outcome"] == "answered"]
    # only bilingual agents answer Spanish callers
    assert set(a.loc[a["call_type"] == "spanish", "agent_group"]) == {"bilingual"}
    assert set(a.loc[a["agent_group"] == "english only", "agent"]) <= set(range(20))
    assert set(a.loc[a["agent_group"] == "bilingual", "agent"]) <= set(range(20, 32))
    assert (a["agent_group"] == "bilingual").any() and (
        (a["agent_group"] == "bilingual") & (a["call_type"] == "english")
    ).any()
    assert set(c.loc[c["call_type"] == "spanish", "site"]) == {"west"}
    # a bilingual agent takes an English caller only when no Spanish caller is still on the line
    spanish = c[c["call_type"] == "spanish"]
    on_line_until = spanish["answer_s"].fillna(spanish["abandon_s"]).fillna(np.inf).to_numpy()
    entry = spanish["queue_entry_s"].to_numpy()
    took_english = a[(a["agent_group"] == "bilingual") & (a["call_type"] == "english") & (a["wait_s"] > 0)]
    for t in took_english["answer_s"]:
        assert not ((entry < t) & (on_line_until > t + 1e-9)).any()
    # no agent serves two calls at once
    for _, calls in a.sort_values("answer_s").groupby("agent"):
        assert (calls["answer_s"].to_numpy()[1:] >= calls["end_s"].to_numpy()[:-1] - 1e-9).all()
    # within a skill, first come first served
    for _, calls in a.groupby("call_type", observed=True):
        order = calls.sort_values("queue_entry_s")
        assert (np.diff(order["answer_s"].to_numpy()) >= -1e-9).all()
    assert result.on_duty.groupby("agent_group", observed=True)["site"].first().to_dict() == {
        "english only": "main",
        "bilingual": "west",
    }


def test_menu_time_delays_queue_entry():
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(30), menu_time_s=45.0),),
        arrivals=(ArrivalStream("c", (20.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 10),)),),
    )
    c = simulate(m, 0).contacts
    assert np.allclose(c["queue_entry_s"] - c["arrival_s"], 45)
    assert np.allclose(c["answer_s"], c["queue_entry_s"])


@pytest.mark.parametrize(
    "change",
    [
        dict(call_types=(CallType("calls", Exponential(60), transfers=(Transfer(0.1),)),)),
        dict(call_types=(CallType("calls", Exponential(60), menu_containment=0.2),)),
        dict(callback=Callback(60)),
        dict(routing=Routing("site_first", 30)),
    ],
)
def test_network_features_are_simulated_and_keep_one_outcome_per_caller(change):
    m = dataclasses.replace(small_day(), **change)
    c = simulate(m, 0).contacts
    assert not c["outcome"].isna().any() and len(c) > 0
    assert (c["wait_s"] >= 0).all()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(seed=-1), "seed"),
        (dict(seed=1.5), "seed"),
        (dict(seed=0, max_drain_s=-5), "max_drain_s"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_field(kwargs, field):
    with pytest.raises(CcsimInputError) as err:
        simulate(small_day(), **kwargs)
    assert str(err.value).startswith(f"{field}: ")


def test_something_other_than_a_model_is_refused():
    with pytest.raises(
        CcsimInputError, match=r"^model: 'str' is not allowed; use a ccsim\.simulation\.model\.CenterModel$"
    ):
        simulate("not a model", 0)  # type: ignore[arg-type]


distributions = st.sampled_from(
    [Exponential(120), Lognormal(200, 1.5), Fixed(90), Lognormal(60, 0.3), Exponential(400)]
)


@st.composite
def small_models(draw):
    intervals = draw(st.integers(1, 4))
    calls = draw(st.lists(st.floats(0, 40), min_size=intervals, max_size=intervals))
    agents = draw(st.lists(st.integers(0, 6), min_size=intervals, max_size=intervals))
    patience = draw(st.one_of(st.none(), distributions))
    return CenterModel.single_queue(
        calls, agents, draw(distributions), patience, interval_s=draw(st.sampled_from([300.0, 900.0, 1800.0]))
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=small_models(), seed=st.integers(0, 2**32), drain=st.sampled_from([None, 0.0, 600.0]))
@example(model=CenterModel.single_queue([0.0], [0], Fixed(90), None), seed=0, drain=0.0)  # nobody at all
@example(
    model=CenterModel.single_queue([40.0, 0.0], [0, 6], Fixed(90), Fixed(60)), seed=1, drain=None
)  # no agents, then no calls
@example(
    model=CenterModel.single_queue([40.0], [1], Exponential(400), None, interval_s=300.0), seed=2, drain=0.0
)  # cut off
def test_invariants_hold_for_random_small_models(model, seed, drain):
    result = simulate(model, seed, max_drain_s=drain)
    check_invariants(result)
    pd.testing.assert_frame_equal(result.contacts, simulate(model, seed, max_drain_s=drain).contacts)


@st.composite
def pooled_models(draw):
    """Two call types (skills a and b) and two or three agent groups with random skills, priorities and staffing."""
    intervals = draw(st.integers(1, 3))
    interval_s = 600.0
    patience = draw(st.sampled_from([Exponential(60), Exponential(300)]))
    call_types = (
        CallType("a", draw(distributions), patience),
        CallType("b", draw(distributions), patience, skill="b"),
    )
    arrivals = (
        ArrivalStream("a", tuple(draw(st.lists(st.floats(0, 30), min_size=intervals, max_size=intervals)))),
        ArrivalStream(
            "b", tuple(draw(st.lists(st.floats(0, 30), min_size=intervals, max_size=intervals))), site="west"
        ),
    )
    skill_sets = st.sampled_from(
        [(("a", 1),), (("b", 1),), (("a", 1), ("b", 2)), (("b", 1), ("a", 2)), (("a", 1), ("b", 1))]
    )
    groups = []
    for j in range(draw(st.integers(2, 3))):
        staff = draw(st.lists(st.integers(0, 4), min_size=intervals, max_size=intervals))
        groups.append(
            AgentGroup(
                f"g{j}", staffing=tuple((i * interval_s, n) for i, n in enumerate(staff)), skills=draw(skill_sets)
            )
        )
    groups.append(AgentGroup("both", staffing=((0.0, draw(st.integers(0, 2))),), skills=(("a", 1), ("b", 1))))
    return CenterModel(interval_s=interval_s, call_types=call_types, arrivals=arrivals, agent_groups=tuple(groups))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=pooled_models(), seed=st.integers(0, 2**32))
def test_invariants_hold_for_random_pooled_skill_models(model, seed):
    result = simulate(model, seed)
    c = result.contacts
    assert not c["outcome"].isna().any()
    assert (c["wait_s"] >= 0).all()
    answered = c["outcome"] == "answered"
    a = c[answered]
    assert (a["answer_s"] >= a["queue_entry_s"]).all()
    for k, ct in enumerate(model.call_types):
        mine = (c["call_type"] == ct.name).to_numpy()
        patience = ct.patience.sample(stream_generator(seed, "patience", k), int(mine.sum()))
        abandoned = (c.loc[mine, "outcome"] == "abandoned").to_numpy()
        assert np.allclose(c.loc[mine, "wait_s"].to_numpy()[abandoned], patience[abandoned])
        # only groups with the skill answer, first come first served within the skill
        skilled = {g.name for g in model.agent_groups if ct.required_skill in dict(g.skills)}
        answered_mine = a[a["call_type"] == ct.name]
        assert set(answered_mine["agent_group"].astype(str)) <= skilled
        order = answered_mine.sort_values("queue_entry_s")
        assert (np.diff(order["answer_s"].to_numpy()) >= -1e-9).all()
    for _, calls in a.sort_values("answer_s").groupby("agent"):
        assert (calls["answer_s"].to_numpy()[1:] >= calls["end_s"].to_numpy()[:-1] - 1e-9).all()


def test_no_agents_at_all_means_every_caller_hangs_up():
    m = CenterModel.single_queue([10, 10], 0, Fixed(10), Exponential(60))
    result = simulate(m, 0)
    assert result.warnings == ["Calls arrive but no agents are on duty, so every caller hangs up."]
    assert (result.contacts["outcome"] == "abandoned").all()
    assert result.on_duty.empty and np.all(result.staffed_s_per_interval == 0)


def test_equal_priority_groups_share_arriving_calls_by_longest_idle_agent():
    # Two identical sites, pooled: an arriving caller goes to the agent idle longest, whichever group it is in,
    # so neither site's agents are kept busier just because their group is listed first.
    m = CenterModel(
        interval_s=1800,
        call_types=(CallType("calls", Exponential(300), Exponential(300)),),
        arrivals=(ArrivalStream("calls", (150.0,) * 8, "A"), ArrivalStream("calls", (150.0,) * 8, "B")),
        agent_groups=(AgentGroup("a", ((0, 30),), site="A"), AgentGroup("b", ((0, 30),), site="B")),
        sites=(Site("A"), Site("B")),
    )
    result = simulate(m, 1)
    states = result.agent_states()
    available = states[states["state"] == "available"]
    answered_at_once = result.contacts[(result.contacts["agent"] >= 0) & (result.contacts["wait_s"] == 0)]
    assert len(answered_at_once) > 500
    starts = available["start_s"].to_numpy()
    ends = available["end_s"].to_numpy()
    agents = available["agent"].to_numpy()
    for agent, t in answered_at_once[["agent", "answer_s"]].itertuples(index=False):
        idle_now = (starts <= t) & (ends >= t)
        mine = idle_now & (agents == agent) & (ends == t)
        assert mine.any()
        # nobody else available then had been idle longer than the agent who took the call
        assert starts[mine].min() <= starts[idle_now & (agents != agent)].min(initial=np.inf) + 1e-9
    busy = kpis(result, by="agent_group")["occupancy"]
    assert abs(busy["a"] - busy["b"]) < 0.03


def test_a_run_too_big_for_memory_is_refused_with_one_sentence():
    from ccsim.simulation.engine import MAX_EXPECTED_CALLS

    per_interval = MAX_EXPECTED_CALLS / 16
    ok = CenterModel.single_queue(per_interval / 1000, 5, Exponential(60), Exponential(60), intervals=16)
    assert sum(ok.arrivals[0].calls_per_interval) < MAX_EXPECTED_CALLS
    too_big = CenterModel.single_queue(per_interval * 1.01, 5, Exponential(60), Exponential(60), intervals=16)
    with pytest.raises(CcsimInputError) as info:
        simulate(too_big, seed=1)
    text = str(info.value)
    assert "calls_per_interval" in text and "5,000,000" in text and "\n" not in text
    assert info.value.value == round(per_interval * 1.01 * 16)


# ---------------------------------------------------------------------------------------------
# the patience clock and first come, first served across queues


def test_the_patience_clock_starts_in_the_queue_after_the_voice_menu():
    # nobody on duty: every caller spends 45 s in the menu, then waits their 60 s of patience in the queue
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(30), Fixed(60), menu_time_s=45.0),),
        arrivals=(ArrivalStream("c", (20.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 0),)),),
    )
    c = simulate(m, 0).contacts
    assert len(c) > 5 and (c["outcome"] == "abandoned").all()
    assert np.allclose(c["queue_entry_s"] - c["arrival_s"], 45.0)
    assert np.allclose(c["wait_s"], 60.0)  # 15 s if the clock started at arrival
    assert np.allclose(c["abandon_s"] - c["arrival_s"], 105.0)


def test_a_transferred_callers_patience_clock_restarts_in_the_new_queue():
    m = CenterModel(
        interval_s=1800,
        call_types=(
            CallType("general", Fixed(100), transfers=(Transfer(1.0, "claims"),)),
            CallType("claims", Fixed(100), Fixed(50), skill="claims"),
        ),
        arrivals=(ArrivalStream("general", (10.0,)),),
        agent_groups=(
            AgentGroup("generalists", staffing=((0, 20),), skills=(("general", 1),)),
            AgentGroup("specialists", staffing=((0, 0),), skills=(("claims", 1),)),
        ),
    )
    r = simulate(m, 1)
    second = r.legs[r.legs["leg"] == 1]
    assert len(second) == len(r.contacts) > 3 and (second["outcome"] == "abandoned").all()
    assert np.allclose(second["wait_s"], 50.0)
    assert np.allclose(second["queue_entry_s"] - r.contacts["arrival_s"].to_numpy(), 100.0)  # after the first call


def _still_waiting(legs: pd.DataFrame, t: float, before_s: float) -> pd.DataFrame:
    """Legs that joined their queue before ``before_s`` and were still in it at ``t`` (not answered, not gone)."""
    left = np.where(legs["agent"] >= 0, legs["answer_s"], legs["end_s"]).astype(float)
    return legs[(legs["queue_entry_s"].to_numpy() < before_s - 1e-9) & (left > t + 1e-9)]


def test_a_free_agent_takes_the_oldest_caller_across_queues_of_equal_priority():
    # one bilingual pool with both skills at priority 1, overloaded so both queues fill
    m = CenterModel(
        interval_s=1800,
        call_types=(
            CallType("english", Exponential(300), Exponential(400)),
            CallType("spanish", Exponential(300), Exponential(400)),
        ),
        arrivals=(ArrivalStream("english", (50.0,) * 3), ArrivalStream("spanish", (50.0,) * 3)),
        agent_groups=(AgentGroup("bilingual", staffing=((0, 8),), skills=(("english", 1), ("spanish", 1))),),
    )
    legs = simulate(m, 2).legs
    taken = legs[(legs["agent"] >= 0) & (legs["wait_s"] > 0)]
    assert taken["queue"].nunique() == 2 and len(taken) > 100
    for t, entry in taken[["answer_s", "queue_entry_s"]].itertuples(index=False):
        assert _still_waiting(legs, t, entry).empty  # nobody older, in either queue, was still waiting


def test_with_transfers_agents_coming_on_duty_answer_every_waiting_caller_the_first_included():
    m = CenterModel(
        interval_s=600,
        call_types=(
            CallType("general", Fixed(60), transfers=(Transfer(0.5, "claims"),)),
            CallType("claims", Fixed(60), skill="claims"),
        ),
        arrivals=(ArrivalStream("general", (8.0, 0.0)),),
        agent_groups=(AgentGroup("all", staffing=((0, 0), (600, 1))),),
    )
    r = simulate(m, 3)
    assert (r.legs["outcome"] == "answered").all() and len(r.contacts) > 2
    first = r.legs[(r.legs["contact_id"] == 0) & (r.legs["leg"] == 0)]
    assert float(first["answer_s"].iloc[0]) == 600.0  # nobody on duty before 600 s; the first caller is first served
    check_invariants(r)


def _check_agent_states(result: SimulationResult) -> pd.DataFrame:
    """Every agent's states tile its spans on duty with no empty rows; one busy row per answered call."""
    states = result.agent_states()
    assert np.isfinite(result.on_duty["end_s"]).all()
    assert list(states["state"].cat.categories) == ["available", "busy"] and states["agent"].dtype == np.int64
    assert (states["end_s"] > states["start_s"]).all()
    calls = result.busy_calls()
    for agent, spans in result.on_duty.groupby("agent"):
        mine = states[states["agent"] == agent]
        inside = np.zeros(len(mine), dtype=bool)
        for start, end in spans[["start_s", "end_s"]].itertuples(index=False):
            inside |= ((mine["start_s"] >= start) & (mine["end_s"] <= end)).to_numpy()
            within = mine[(mine["start_s"] >= start) & (mine["end_s"] <= end)]
            assert np.isclose((within["end_s"] - within["start_s"]).sum(), end - start)
        assert inside.all()
        assert (mine["state"] == "busy").sum() == (calls["agent"] == agent).sum()
    return states


def test_agent_states_follow_each_span_on_duty_when_agents_leave_and_come_back():
    # Busy agents leave at 600 s after their call; callers of the second interval wait for 1,200 s.
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(60)),),
        arrivals=(ArrivalStream("c", (20.0, 4.0, 20.0)),),
        agent_groups=(AgentGroup("g", staffing=((0, 2), (600, 0), (1200, 2))),),
    )
    result = simulate(m, 2)
    assert (result.on_duty.groupby("agent").size() == 2).all()
    states = _check_agent_states(result)
    busy = states[states["state"] == "busy"]
    assert (busy["start_s"] == 1200.0).sum() == 2  # both answer a waiting caller the moment they are back
    assert (result.on_duty["end_s"] > 600.0).any()  # a call in progress kept an agent past 600 s


def test_agents_who_never_answer_are_available_all_along():
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(60)),),
        arrivals=(ArrivalStream("c", (0.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 2),)),),
    )
    result = simulate(m, 0)
    states = _check_agent_states(result)
    assert list(states["state"]) == ["available", "available"] and list(states["agent"]) == [0, 1]
    assert result.end_s == 600.0  # nobody waiting: the day ends at the horizon, not at the cut-off


def test_calls_ending_at_the_same_instant_as_others_begin_run_back_to_back():
    # One front agent from 600 s works through the queue in 60 s calls; each caller then goes on to an
    # idle back-office agent at once, so a transferred call ends exactly when the next front call does.
    m = CenterModel(
        interval_s=600,
        call_types=(
            CallType("general", Fixed(60), transfers=(Transfer(1.0, "claims"),)),
            CallType("claims", Fixed(60), skill="claims"),
        ),
        arrivals=(ArrivalStream("general", (5.0, 0.0)),),
        agent_groups=(
            AgentGroup("front", staffing=((0, 0), (600, 1)), skills=(("general", 1),)),
            AgentGroup("back", staffing=((0, 2),), skills=(("claims", 1),)),
        ),
    )
    legs = simulate(m, 1).legs
    front, back = legs[legs["leg"] == 0], legs[legs["leg"] == 1]
    n = len(front)
    assert n > 3 and len(back) == n and (legs["outcome"] == "answered").all()
    assert np.array_equal(front.sort_values("answer_s")["answer_s"], 600.0 + 60.0 * np.arange(n))
    assert np.array_equal(back.sort_values("answer_s")["answer_s"], 660.0 + 60.0 * np.arange(n))
    assert (back["wait_s"] == 0).all() and np.array_equal(legs["end_s"], legs["answer_s"] + 60.0)


def _twin_call_types() -> CenterModel:
    """Call types x and y alike in every distribution, so shared random streams would repeat one in the other."""
    twin = {"handle_time": Exponential(200), "patience": Exponential(100), "menu_containment": 0.5}
    return CenterModel(
        interval_s=1800,
        call_types=(CallType("x", **twin), CallType("y", **twin)),
        arrivals=(ArrivalStream("x", (80.0,)), ArrivalStream("y", (80.0,))),
        agent_groups=(AgentGroup("all", staffing=((0, 10),)),),
    )


def test_each_call_type_draws_handle_time_patience_and_self_service_from_its_own_stream():
    from ccsim.simulation.arrivals import draw_callers

    callers = draw_callers(_twin_call_types(), np.random.SeedSequence(4))
    x, y = callers.call_type == 0, callers.call_type == 1
    n = min(x.sum(), y.sum())
    assert n > 20
    for draws in (callers.handle_s, callers.patience_s, callers.self_served):
        assert not np.array_equal(draws[x][:n], draws[y][:n])


def test_a_staffing_step_is_kept_one_second_in_and_ignored_at_the_end_of_the_day():
    # Agents from 1 s on (not at 0 s); a step to 0 agents exactly at the horizon does not send anyone home
    # before the queue is empty (agents on duty at the end stay to finish it).
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(100)),),
        arrivals=(ArrivalStream("c", (20.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 0), (1.0, 2), (600.0, 0))),),
    )
    r = simulate(m, 3)
    assert list(r.on_duty["start_s"]) == [1.0, 1.0]
    assert (r.contacts["outcome"] == "answered").all() and r.on_duty["end_s"].max() > 700.0


def test_a_group_staffed_only_from_the_end_of_the_day_has_no_agents():
    from ccsim.simulation.agents import build_groups

    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(60), Fixed(30)),),
        arrivals=(ArrivalStream("c", (5.0,)),),
        agent_groups=(AgentGroup("late", staffing=((600.0, 3),)),),
    )
    (group,) = build_groups(m, ["main"], ["c"], m.horizon_s)
    assert group.agents == [] and group.on_roster == 0
    r = simulate(m, 0)
    assert r.on_duty.empty and (r.contacts["outcome"] == "abandoned").all()


def test_a_call_ending_exactly_at_the_cut_off_frees_its_agent_for_one_more_caller():
    # One agent from 500 s, 100 s calls, no drain: the first call ends at the 600 s cut-off itself,
    # and the agent answers the next caller at that instant; the rest are still waiting.
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(100)),),
        arrivals=(ArrivalStream("c", (10.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 0), (500.0, 1))),),
    )
    c = simulate(m, 1, max_drain_s=0).contacts
    answered = c[c["outcome"] == "answered"].sort_values("answer_s")
    assert list(answered["answer_s"]) == [500.0, 600.0]
    assert (c["outcome"] == "unanswered").sum() == len(c) - 2 > 2
    cut = simulate(m, 1, max_drain_s=50)  # nothing happens between 600 s and the 650 s cut-off
    assert cut.end_s == 650.0 and np.allclose(cut.contacts.loc[cut.contacts["outcome"] == "unanswered", "end_s"], 650.0)
    nobody = dataclasses.replace(m, agent_groups=(AgentGroup("g", staffing=((0, 0),)),))
    assert simulate(nobody, 1, max_drain_s=50).end_s == 650.0  # the first caller is still waiting at the cut-off


def test_the_overload_sentence_uses_the_time_agents_really_spent_on_duty():
    # Both agents are rostered until 300 s but stay to finish their 500 s calls: twice the planned agent-seconds.
    m = CenterModel(
        interval_s=600,
        call_types=(CallType("c", Fixed(500)),),
        arrivals=(ArrivalStream("c", (10.0,)),),
        agent_groups=(AgentGroup("g", staffing=((0, 2), (300, 0))),),
    )
    r = simulate(m, 1)
    worked = float(r.staffed_s_per_interval.sum())
    assert worked == 1200.0 and demand_ratio(m, worked) < demand_ratio(m) / 1.5
    assert r.overload.startswith(f"Demand is {demand_ratio(m, worked):.1f} times what")
