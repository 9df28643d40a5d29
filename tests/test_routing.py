"""Routing policies: the registry, the two built-in policies' order of service, and a toy policy plugged in by name."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import toy_routing

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel, Routing
from ccsim.simulation.routing import (
    PooledRouting,
    SiteFirstRouting,
    register_routing,
    routing_names,
    routing_policy,
    unregister_routing,
)

EPS = 1e-9


@pytest.fixture(autouse=True, scope="module")
def _toy_policy():
    """The toy policy is registered while this module's tests run, and only then."""
    with toy_routing.registered():
        yield


def test_the_built_in_policies_are_registered_by_name():
    assert {"pooled", "site_first"} <= set(routing_names())
    assert list(routing_names()) == sorted(routing_names())
    assert routing_policy("pooled") is PooledRouting and routing_policy("site_first") is SiteFirstRouting
    assert routing_policy(toy_routing.NAME) is toy_routing.NewestFirst


def test_an_unknown_name_is_one_sentence_naming_the_known_ones():
    with pytest.raises(CcsimInputError) as e:
        routing_policy("nearest")
    text = str(e.value)
    assert text.startswith("routing.mode: 'nearest' is not allowed; use one of ")
    assert all(repr(name) in text for name in routing_names())
    with pytest.raises(CcsimInputError, match=r"^routing\.mode: 'nearest' is not allowed"):
        Routing("nearest")


@pytest.mark.parametrize("name", ["", "   ", 3])
def test_a_policy_needs_a_name(name):
    with pytest.raises(CcsimInputError, match=r"^routing policy name: "):
        register_routing(name)  # type: ignore[arg-type]


def test_a_policy_needs_both_methods_and_a_free_name():
    class OnlyArrivals:
        def caller_arrives(self, leg, queue):
            pass

    with pytest.raises(CcsimInputError, match="missing agent_free"):
        register_routing("only_arrivals")(OnlyArrivals)
    assert "only_arrivals" not in routing_names()

    class Impostor(PooledRouting):
        pass

    with pytest.raises(
        CcsimInputError, match=r"^routing policy name: 'pooled' is not allowed; use a name not yet taken"
    ):
        register_routing("pooled")(Impostor)
    assert routing_policy("pooled") is PooledRouting


def test_a_registered_policy_can_be_removed_but_not_a_built_in_one():
    class Doomed(PooledRouting):
        pass

    register_routing("doomed")(Doomed)
    assert routing_policy("doomed") is Doomed
    unregister_routing("doomed")
    assert "doomed" not in routing_names()
    with pytest.raises(CcsimInputError, match=r"^routing\.mode: 'doomed' is not allowed"):
        routing_policy("doomed")
    with pytest.raises(
        CcsimInputError,
        match=r"^routing policy name: 'doomed' is not allowed; use one of 'newest_first', 'specialists_first' ",
    ):
        unregister_routing("doomed")
    for built_in in ("pooled", "site_first"):
        with pytest.raises(CcsimInputError, match=rf"^routing policy name: '{built_in}' is not allowed"):
            unregister_routing(built_in)
        assert routing_policy(built_in) in (PooledRouting, SiteFirstRouting)


def test_the_toy_policy_is_registered_only_inside_its_block():
    unregister_routing(toy_routing.NAME)
    try:
        assert toy_routing.NAME not in routing_names()
        with toy_routing.registered():
            assert routing_policy(toy_routing.NAME) is toy_routing.NewestFirst
        assert toy_routing.NAME not in routing_names()
    finally:
        register_routing(toy_routing.NAME)(toy_routing.NewestFirst)


def _left_queue_s(legs: pd.DataFrame) -> np.ndarray:
    """When each leg left its queue: answered, or hung up / cut off."""
    return np.where(legs["agent"] >= 0, legs["answer_s"], legs["end_s"]).astype(float)


def _taken_from_queue(legs: pd.DataFrame) -> pd.DataFrame:
    return legs[(legs["agent"] >= 0) & (legs["wait_s"] > 0)]


def _answered_out_of_order(legs: pd.DataFrame, *, newest_first: bool) -> int:
    """How many callers taken from the queue were not the oldest (or, with ``newest_first``, the newest) still waiting."""
    left = _left_queue_s(legs)
    entry = legs["queue_entry_s"].to_numpy()
    count = 0
    for t, mine in _taken_from_queue(legs)[["answer_s", "queue_entry_s"]].itertuples(index=False):
        waiting = (left > t + EPS) & (entry < t - EPS)
        passed_over = waiting & ((entry > mine + EPS) if newest_first else (entry < mine - EPS))
        count += bool(passed_over.any())
    return count


def _busy_day(mode: str) -> CenterModel:
    base = CenterModel.single_queue(130.0, 15, Exponential(400), Exponential(600), interval_s=1800.0, intervals=4)
    return dataclasses.replace(base, routing=Routing(mode))


def test_a_policy_registered_by_name_runs_in_the_engine_and_changes_the_order_of_service():
    fifo = simulate(_busy_day("pooled"), 3).legs
    lifo = simulate(_busy_day(toy_routing.NAME), 3).legs
    # the same callers (arrivals never depend on routing), served in the opposite order
    assert np.array_equal(fifo["queue_entry_s"], lifo["queue_entry_s"])
    assert len(_taken_from_queue(lifo)) > 100
    assert _answered_out_of_order(fifo, newest_first=False) == 0
    assert _answered_out_of_order(lifo, newest_first=True) == 0
    assert _answered_out_of_order(lifo, newest_first=False) > 50  # older callers were passed over
    # last come, first served: the same mean work, but the long waits get longer
    assert lifo["wait_s"].max() > 1.5 * fifo["wait_s"].max()


def test_a_scenario_may_name_a_registered_policy():
    scenario = pytest.importorskip("ccsim.scenario")
    base = scenario.load_preset("classroom")
    s = base.updated({"routing": {"mode": toy_routing.NAME}})
    model = s.to_model()
    assert model.routing.mode == toy_routing.NAME
    legs = simulate(model, 1).legs
    assert len(_taken_from_queue(legs)) > 100
    assert _answered_out_of_order(legs, newest_first=True) == 0
    assert _answered_out_of_order(legs, newest_first=False) > 0
    with pytest.raises(CcsimInputError, match=r"routing\.mode: 'nearest' is not allowed"):
        base.updated({"routing": {"mode": "nearest"}})


def test_registry_messages_name_the_field_the_value_and_what_is_allowed():
    with pytest.raises(CcsimInputError) as e:
        register_routing("  ")
    assert str(e.value) == "routing policy name: '  ' is not allowed; use a non-empty name"

    class Neither:
        pass

    with pytest.raises(CcsimInputError) as e:
        register_routing("neither")(Neither)
    assert str(e.value) == (
        "routing policy 'neither': 'Neither' is not allowed; "
        "use a class with methods caller_arrives and agent_free (missing caller_arrives, agent_free)"
    )
    with pytest.raises(CcsimInputError) as e:
        routing_policy("nearest")
    assert str(e.value) == (
        "routing.mode: 'nearest' is not allowed; use one of 'newest_first', 'pooled', 'site_first', 'specialists_first'"
    )
    from ccsim.simulation.routing_specialists import NAME as SPECIALISTS
    from ccsim.simulation.routing_specialists import SpecialistsFirstRouting

    unregister_routing(toy_routing.NAME)
    unregister_routing(SPECIALISTS)  # registered by default, but not built in
    try:
        with pytest.raises(CcsimInputError) as e:
            unregister_routing("gone")
        assert str(e.value) == (
            "routing policy name: 'gone' is not allowed; "
            "use a name registered with register_routing ('pooled' and 'site_first' are built in)"
        )
    finally:
        register_routing(toy_routing.NAME)(toy_routing.NewestFirst)
        register_routing(SPECIALISTS)(SpecialistsFirstRouting)
    register_routing("spare")(toy_routing.NewestFirst)
    try:
        with pytest.raises(
            CcsimInputError, match=r"use one of 'newest_first', 'spare', 'specialists_first' \('pooled'"
        ):
            unregister_routing("gone")
    finally:
        unregister_routing("spare")


def _two_site_router(
    policy: type, give_up_s: list[float], agent_of: list[int], now: float = 60.0, overflow_after_s: float = 60.0
):
    """A policy on a hand-built view: sites A and B, one agent each; returns (router, groups, queues, answers)."""
    from ccsim.simulation.agents import build_groups
    from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, Site
    from ccsim.simulation.queues import build_queues
    from ccsim.simulation.routing import RoutingView

    m = CenterModel(
        interval_s=1800.0,
        call_types=(CallType("calls", Fixed(100)),),
        arrivals=(ArrivalStream("calls", (10.0,), "A"),),
        agent_groups=(AgentGroup("a", ((0, 1),), site="A"), AgentGroup("b", ((0, 1),), site="B")),
        sites=(Site("A"), Site("B")),
        routing=Routing("site_first", overflow_after_s=overflow_after_s),
    )
    queues = build_queues(["calls"], 2, give_up_s, per_site=policy.per_site_queues)
    groups = build_groups(m, ["A", "B"], ["calls"], m.horizon_s)
    answers: list[tuple[int, int, float]] = []
    later: list[tuple[float, object]] = []
    view = RoutingView(
        routing=m.routing,
        queues=tuple(queues.values()),
        groups=tuple(groups),
        skills=("calls",),
        queue_entry_s=[0.0] * len(give_up_s),
        give_up_s=give_up_s,
        agent_of=agent_of,
        clock=lambda: now,
        answer=lambda leg, group, at: answers.append((leg, group.index, at)),
        join=lambda leg, queue: queue.join(leg),
        call_later=lambda delay, callback, value: later.append((delay, value)),
    )
    return policy(view), groups, queues, answers, later


def test_overflow_offers_a_caller_still_waiting_to_an_idle_agent_at_another_site_and_no_one_else():
    give_up, agent_of = [600.0, 600.0], [0, -1]
    router, groups, queues, answers, _ = _two_site_router(SiteFirstRouting, give_up, agent_of)
    groups[1].idle.append(groups[1].agents[0])  # B's agent is idle
    queue_a = queues["calls", 0]
    queue_a.join(0)
    queue_a.join(1)
    router._overflow((0, queue_a))  # already answered by agent 0 at site A: nothing to do
    assert answers == [] and give_up[0] == 600.0
    router._overflow((1, queue_a))  # still waiting: B's idle agent answers, and the deque skips the caller later
    assert answers == [(1, 1, 60.0)] and give_up[1] == -np.inf


def test_site_first_arrival_goes_to_another_site_at_once_only_with_no_threshold():
    router, groups, queues, answers, later = _two_site_router(SiteFirstRouting, [600.0] * 2, [-1] * 2, 0.0, 0.0)
    queue_a = queues["calls", 0]
    groups[1].idle.append(groups[1].agents[0])  # only B's agent is idle
    router.caller_arrives(0, queue_a)
    assert answers == [(0, 1, 0.0)] and not queue_a.waiting
    groups[1].idle.clear()
    router.caller_arrives(1, queue_a)  # nobody idle: queued, and no overflow to time
    assert list(queue_a.waiting) == [1] and later == []


def test_site_first_times_the_overflow_only_for_callers_who_would_still_be_waiting():
    router, groups, queues, answers, later = _two_site_router(SiteFirstRouting, [600.0], [-1], 0.0, 0.5)
    groups[1].idle.append(groups[1].agents[0])
    queue_a = queues["calls", 0]
    router.caller_arrives(0, queue_a)  # B is idle, but the caller waits 0.5 s for their own site first
    assert answers == [] and list(queue_a.waiting) == [0] and later == [(0.5, (0, queue_a))]
    give_up = [600.0, 30.0, 60.0]  # patient; hangs up before 60 s; hangs up exactly at 60 s
    router, groups, queues, answers, later = _two_site_router(SiteFirstRouting, give_up, [-1] * 3, 0.0, 60.0)
    queue_a = queues["calls", 0]
    for leg in range(3):
        router.caller_arrives(leg, queue_a)
    assert answers == [] and list(queue_a.waiting) == [0, 1, 2] and later == [(60.0, (0, queue_a))]


def test_site_first_free_agent_takes_a_remote_caller_from_the_overflow_threshold_on():
    router, groups, queues, _, _ = _two_site_router(SiteFirstRouting, [600.0] * 3, [-1] * 3)
    agent_b = groups[1].agents[0]
    queue_a, queue_b = queues["calls", 0], queues["calls", 1]
    queue_a.join(0)
    assert router.agent_free(agent_b, 59.0) == -1  # A's caller waited 59 s: not yet B's
    assert router.agent_free(agent_b, 60.0) == 0  # waited exactly the threshold: eligible
    queue_a.join(1)
    queue_b.join(2)
    assert router.agent_free(agent_b, 30.0) == 2  # A's caller is not eligible yet; B's own caller is
    assert list(queue_a.waiting) == [1] and not queue_b.waiting


def test_longest_idle_breaks_a_tie_by_group_order_and_skips_groups_with_nobody_idle():
    from ccsim.simulation.routing import longest_idle

    _, groups, _, _, _ = _two_site_router(SiteFirstRouting, [600.0], [-1])
    a, b = groups
    assert longest_idle([a, b]) is None and longest_idle([b]) is None
    assert repr(a) == "Group('a', idle=0, on_roster=0)" and a.priorities == {"calls": 1}  # no skills listed: all, first
    b.idle.append(b.agents[0])
    assert longest_idle([a, b]) is b and longest_idle([b]) is b
    a.idle.append(a.agents[0])  # both idle since 0 s (on duty at the start of the day)
    assert longest_idle([a, b]) is a and longest_idle([b, a]) is b
    a.agents[0].idle_since_s = 5.0
    assert longest_idle([a, b]) is b
