"""Overload: demand against staffing, the sentence a learner reads, and the size limit of one run."""

from __future__ import annotations

import math

import pytest

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel, Site
from ccsim.simulation.overload import (
    MAX_EXPECTED_CALLS,
    check_size,
    demand_ratio,
    overload_message,
    planned_staffed_s,
)


def day(calls: float, agents: int | list[int], aht_s: float = 360.0) -> CenterModel:
    return CenterModel.single_queue(calls, agents, Fixed(aht_s), Exponential(120), interval_s=3600.0, intervals=2)


def test_demand_ratio_is_work_over_agent_seconds():
    assert demand_ratio(day(100, 10)) == pytest.approx(2 * 100 * 360 / (10 * 7200))
    assert demand_ratio(day(100, 10), staffed_s=3600.0) == pytest.approx(2 * 100 * 360 / 3600)
    assert math.isinf(demand_ratio(day(100, 0))) and demand_ratio(day(0, 0)) == 0.0


def test_planned_staffed_seconds_apply_opening_hours():
    m = CenterModel(
        interval_s=3600.0,
        call_types=(CallType("c", Fixed(60)),),
        arrivals=(ArrivalStream("c", (10.0,) * 4, "A"),),
        agent_groups=(AgentGroup("a", ((0.0, 5),), site="A"), AgentGroup("b", ((0.0, 2), (7200.0, 4)), site="B")),
        sites=(Site("A", opens_s=3600.0, closes_s=10800.0), Site("B")),
    )
    assert planned_staffed_s(m) == pytest.approx(5 * 7200 + 2 * 7200 + 4 * 7200)


def test_no_sentence_while_the_agents_keep_up():
    assert overload_message(day(50, 10), [0]) == ""


@pytest.mark.parametrize(
    "model, unanswered, sentence",
    [
        (day(100, 0), [0], "Calls arrive but no agents are on duty, so every caller hangs up."),
        (
            day(400, 10),
            [0],
            "Demand is 4.0 times what 10 agents can handle; expect long waits and many callers hanging up.",
        ),
        (day(100, 1, aht_s=36_000), [0], "Demand is 1000.0 times what 1 agent can handle; expect"),
        (day(200, [10, 12]), [0], "Demand is 1.8 times what the agents on duty can handle;"),
        (
            day(400, 10),
            [1],
            "Demand is 4.0 times what 10 agents can handle; 1 caller was still waiting when the day ended.",
        ),
        (
            day(50, 10),
            [1200],
            "The agents could not empty the queue in the time allowed after the day; 1,200 callers were",
        ),
        (
            day(400, 10),
            [0, 4, 9],
            "Demand is 4.0 times what 10 agents can handle; in 2 of 3 runs 4 to 9 callers were still",
        ),
        (day(400, 10), [5, 5], "Demand is 4.0 times what 10 agents can handle; in 2 of 2 runs 5 callers were still"),
    ],
)
def test_the_overload_sentence(model, unanswered, sentence):
    text = overload_message(model, unanswered)
    assert text.startswith(sentence) and text.endswith(".") and "\n" not in text


def test_a_run_expected_to_offer_too_many_calls_is_refused():
    per_interval = MAX_EXPECTED_CALLS / 2
    check_size(day(per_interval, 5))  # exactly the limit is fine
    with pytest.raises(
        CcsimInputError, match=r"^arrivals calls_per_interval \(expected calls over the 2-hour horizon\): "
    ):
        check_size(day(per_interval * 1.001, 5))


def _one_group(staffing, site: str = "main", sites: tuple[Site, ...] | None = None) -> CenterModel:
    return CenterModel(
        interval_s=3600.0,
        call_types=(CallType("c", Fixed(3600)),),
        arrivals=(ArrivalStream("c", (40.0, 40.0), site),),
        agent_groups=(AgentGroup("g", staffing, site=site),),
        sites=sites or (Site("main"),),
    )


@pytest.mark.parametrize(
    "model, named",
    [
        (_one_group(((0.0, 4), (1800.0, 4))), "4 agents"),  # a step that changes nothing
        (_one_group(((1800.0, 4),)), "the agents on duty"),  # nobody for the first half hour
        (_one_group(((0.0, 4),), "A", (Site("A", closes_s=3600.0),)), "the agents on duty"),  # the site closes
    ],
)
def test_the_sentence_gives_a_head_count_only_when_it_holds_all_day(model, named):
    assert overload_message(model, [0]).startswith(f"Demand is {demand_ratio(model):.1f} times what {named} can")


def test_planned_staffed_seconds_of_a_group_at_a_site_not_listed():
    m = _one_group(((0.0, 3), (3600.0, 1)), "elsewhere")  # no opening hours known: the plan as it is
    assert planned_staffed_s(m) == pytest.approx(3 * 3600 + 1 * 3600)
