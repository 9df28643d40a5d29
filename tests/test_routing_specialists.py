"""The ``specialists_first`` routing policy: registered by default, who answers on a hand-built view, and in the engine."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel, Routing
from ccsim.simulation.routing import PooledRouting, RoutingView, routing_names, routing_policy
from ccsim.simulation.routing_specialists import NAME, SpecialistsFirstRouting, narrowest_first


def test_it_is_registered_by_default_under_its_name():
    assert NAME == "specialists_first" and NAME in routing_names()
    assert routing_policy(NAME) is SpecialistsFirstRouting
    assert Routing(NAME).mode == NAME


def _view_router(policy: type, now: float = 100.0):
    """Two groups on one site: 'english' agents (one skill) and 'cantonese' agents (Cantonese and English, both first priority)."""
    from ccsim.simulation.agents import build_groups
    from ccsim.simulation.queues import build_queues

    m = CenterModel(
        interval_s=1800.0,
        call_types=(CallType("english", Fixed(100)), CallType("cantonese", Fixed(100))),
        arrivals=(ArrivalStream("english", (10.0,)), ArrivalStream("cantonese", (1.0,))),
        agent_groups=(
            AgentGroup("cantonese", ((0, 1),), skills=(("cantonese", 1), ("english", 1))),
            AgentGroup("english", ((0, 1),), skills=(("english", 1),)),
        ),
        routing=Routing((policy is SpecialistsFirstRouting and NAME) or "pooled"),
    )
    give_up = [600.0] * 4
    queues = {skill: q for (skill, _), q in build_queues(["english", "cantonese"], 1, give_up, per_site=False).items()}
    groups = build_groups(m, ["main"], ["english", "cantonese"], m.horizon_s)
    answers: list[tuple[int, str]] = []
    view = RoutingView(
        routing=m.routing,
        queues=tuple(queues.values()),
        groups=tuple(groups),
        skills=("english", "cantonese"),
        queue_entry_s=[now] * 4,
        give_up_s=give_up,
        agent_of=[-1] * 4,
        clock=lambda: now,
        answer=lambda leg, group, at: answers.append((leg, group.spec.name)),
        join=lambda leg, queue: queue.join(leg),
        call_later=lambda delay, callback, value: None,
    )
    return policy(view), groups, queues, answers


def test_narrowest_first_ranks_groups_by_how_many_skills_then_priority():
    _, groups, _, _ = _view_router(PooledRouting)
    cantonese, english = groups
    assert narrowest_first(groups, "english") == [[english], [cantonese]]
    assert narrowest_first(groups, "cantonese") == [[cantonese]]
    assert narrowest_first(groups, "tty") == []


@pytest.mark.parametrize(
    ("policy", "first_english_caller_to"), [(PooledRouting, "cantonese"), (SpecialistsFirstRouting, "english")]
)
def test_an_english_caller_goes_to_the_specialist_even_when_the_bilingual_agent_was_idle_longer(
    policy, first_english_caller_to
):
    """By hand: both agents idle, the Cantonese speaker since 0 s, the English one since 50 s.

    Pooled (both groups take English at priority 1): the agent idle longest, the Cantonese speaker,
    answers the English caller, and the Cantonese caller who rings next must wait. Specialists first:
    the English agent answers, and the Cantonese speaker is free for the Cantonese caller.
    """
    router, groups, queues, answers = _view_router(policy)
    cantonese, english = groups
    cantonese.idle.append(cantonese.agents[0])
    english.agents[0].idle_since_s = 50.0
    english.idle.append(english.agents[0])

    def take(group):  # what the engine's answer() does: the agent leaves the idle line
        group.idle.remove(group.agents[0])

    router.caller_arrives(0, queues["english"])
    assert answers == [(0, first_english_caller_to)]
    take(cantonese if first_english_caller_to == "cantonese" else english)
    router.caller_arrives(1, queues["cantonese"])
    if policy is SpecialistsFirstRouting:
        assert answers[1] == (1, "cantonese") and not queues["cantonese"].waiting
    else:
        assert len(answers) == 1 and list(queues["cantonese"].waiting) == [1]


def test_a_free_agent_chooses_as_in_pooled_routing():
    router, groups, queues, _ = _view_router(SpecialistsFirstRouting)
    cantonese, english = groups
    queues["english"].join(0)
    queues["cantonese"].join(1)
    assert router.agent_free(english.agents[0], 100.0) == 0  # English agent: English only
    entry = router.view.queue_entry_s
    entry[1], entry[2] = 40.0, 60.0
    queues["english"].join(2)
    assert (
        router.agent_free(cantonese.agents[0], 100.0) == 1
    )  # both first priority: the caller waiting longest (since 40 s)
    queues["cantonese"].join(3)
    entry[3] = 80.0
    assert (
        router.agent_free(cantonese.agents[0], 100.0) == 2
    )  # the English caller since 60 s before the Cantonese one since 80 s


def _small_center(mode: str) -> CenterModel:
    """A busy English line, a small Cantonese queue; Cantonese speakers also take English at the same priority."""
    return CenterModel(
        interval_s=1800.0,
        call_types=(
            CallType("english", Exponential(300), patience=Exponential(300)),
            CallType("cantonese", Exponential(300), patience=Exponential(300)),
        ),
        arrivals=(ArrivalStream("english", (100.0,) * 8), ArrivalStream("cantonese", (6.0,) * 8)),
        agent_groups=(
            AgentGroup("english", ((0, 17),), skills=(("english", 1),)),
            AgentGroup("cantonese", ((0, 3),), skills=(("cantonese", 1), ("english", 1))),
        ),
        routing=Routing(mode),
    )


def test_in_the_engine_it_keeps_the_small_queue_waiting_less_with_the_same_callers():
    pooled = simulate(_small_center("pooled"), 5).legs
    special = simulate(_small_center(NAME), 5).legs
    assert np.array_equal(pooled["queue_entry_s"], special["queue_entry_s"])  # same callers
    wait = {}
    for name, legs in (("pooled", pooled), (NAME, special)):
        small = legs[legs["queue"].astype(str).str.contains("cantonese")]
        wait[name] = float(small["wait_s"].mean())
    assert wait[NAME] < wait["pooled"]


def test_a_scenario_may_name_it():
    scenario = pytest.importorskip("ccsim.scenario")
    s = scenario.load_preset("classroom").updated({"routing": {"mode": NAME}})
    model = s.to_model()
    assert model.routing.mode == NAME
    base = dataclasses.replace(model, routing=Routing("pooled"))
    # one queue, one group: nothing to choose between, so the same day as pooled routing
    assert simulate(model, 2).legs["wait_s"].equals(simulate(base, 2).legs["wait_s"])
