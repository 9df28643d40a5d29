"""The model the engine reads: the single-queue builder, staffing step functions, look-ups, and every rule it is checked against."""

from __future__ import annotations

import dataclasses

import pytest

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.model import (
    AgentGroup,
    ArrivalStream,
    Callback,
    CallType,
    CenterModel,
    Routing,
    Site,
    Transfer,
)


def test_single_queue_repeats_numbers_over_the_intervals():
    m = CenterModel.single_queue(
        100, 14, Exponential(180), Exponential(120), interval_s=900, intervals=4, answer_within_s=20
    )
    assert m.intervals == 4 and m.horizon_s == 3600
    assert m.arrivals[0].calls_per_interval == (100.0,) * 4
    assert m.agent_groups[0].staffing == ((0.0, 14),)
    assert m.answer_within_s == 20 and m.interval_s == 900
    ct = m.call_type("calls")
    assert ct.handle_time == Exponential(180) and ct.patience == Exponential(120)
    assert ct.required_skill == "calls"


def test_single_queue_staffing_is_a_step_function_of_changes_only():
    m = CenterModel.single_queue([10, 20, 30, 40], [5, 5, 8, 3], Fixed(60), interval_s=1800)
    g = m.agent_groups[0]
    assert g.staffing == ((0.0, 5), (3600.0, 8), (5400.0, 3))
    assert [g.agents_at(t) for t in (0, 1799, 1800, 3599.9, 3600, 5400, 10_000)] == [5, 5, 5, 5, 8, 3, 3]
    assert m.horizon_s == 4 * 1800


def test_agents_at_before_the_first_step_is_zero():
    g = AgentGroup("late", staffing=((600.0, 4),))
    assert g.agents_at(0) == 0 and g.agents_at(600) == 4


def test_a_site_is_open_from_opens_s_until_closes_s():
    east = Site("East", opens_s=3600.0, closes_s=7200.0)
    assert [east.is_open(t) for t in (0.0, 3599.999, 3600.0, 5000.0, 7199.999, 7200.0, 90_000.0)] == [
        False,
        False,
        True,
        True,
        True,
        False,
        False,
    ]
    late = Site("West", opens_s=1800.0)  # opens later, never closes
    assert not late.is_open(1799.0) and late.is_open(1800.0) and late.is_open(30 * 86400.0)
    assert all(Site("main").is_open(t) for t in (0.0, 1.0, 86400.0, 1e9))  # no hours: always open
    assert not any(Site("shut", opens_s=0.0, closes_s=0.0).is_open(t) for t in (0.0, 1.0, 86400.0))
    # hours never wrap past midnight: closing before opening is refused (see RULES)


def test_call_type_lookup_and_skill():
    m = CenterModel.single_queue(10, 2, Fixed(60))
    with pytest.raises(KeyError) as e:
        m.call_type("spanish")
    assert e.value.args == ("spanish",)  # names the missing call type
    assert CallType("billing", Fixed(60), skill="general").required_skill == "general"


def test_models_are_frozen():
    m = CenterModel.single_queue(10, 2, Fixed(60))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.interval_s = 60  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# every rule a model is checked against when built: one sentence naming the field


def _base() -> CenterModel:
    return CenterModel.single_queue(20.0, 3, Exponential(100), intervals=2)


def _with(**change):
    return lambda: dataclasses.replace(_base(), **change)


def _call_type(**kw):
    rest = {k: v for k, v in kw.items() if k != "handle_time"}  # the case may run more than once per process
    return lambda: CallType("calls", kw.get("handle_time", Exponential(60)), **rest)


RULES = [
    # Site
    (lambda: Site("A", utc_offset_h=30), "site 'A' utc_offset_h: 30 is not allowed; use a number from -24 to 24"),
    (lambda: Site("A", opens_s=-1), "site 'A' opens_s: -1 is not allowed; use a number of at least 0"),
    (
        lambda: Site("A", opens_s=3600, closes_s=1800),
        "site 'A' closes_s: 1800 is not allowed; use a number of at least 3600",
    ),
    # Transfer
    (lambda: Transfer(-0.1), "transfer probability: -0.1 is not allowed; use a number from 0 to 1"),
    (lambda: Transfer(1.5), "transfer probability: 1.5 is not allowed; use a number from 0 to 1"),
    (lambda: Transfer(0.5, None, -3), "transfer back_office_s: -3 is not allowed; use a number of at least 0"),
    # CallType
    (_call_type(handle_time=60), "call type 'calls' handle_time: 60 is not allowed; use a Distribution of seconds"),
    (_call_type(patience=120), "call type 'calls' patience: 120 is not allowed; use None or a Distribution"),
    (
        _call_type(menu_containment=1.5),
        "call type 'calls' menu_containment: 1.5 is not allowed; use a number from 0 to 1",
    ),
    (_call_type(menu_time_s=-45), "call type 'calls' menu_time_s: -45 is not allowed; use a number of at least 0"),
    (
        _call_type(transfers=(Transfer(0.7), Transfer(0.6))),
        "call type 'calls' transfers probabilities: 1.3 is not allowed; use a total of at most 1",
    ),
    # AgentGroup
    (
        lambda: AgentGroup("g", staffing=((-60, 2),)),
        "agent group 'g' staffing[0] time_s: -60 is not allowed; use a number of at least 0",
    ),
    (
        lambda: AgentGroup("g", staffing=((0, 2), (1800, 3), (900, 1))),
        "agent group 'g' staffing[2] time_s: 900 is not allowed; use a number of at least 1800",
    ),
    (
        lambda: AgentGroup("g", staffing=((0, -3),)),
        "agent group 'g' staffing[0] agents: -3 is not allowed; use a whole number of at least 0",
    ),
    (
        lambda: AgentGroup("g", staffing=((0, 2.5),)),  # type: ignore[arg-type]
        "agent group 'g' staffing[0] agents: 2.5 is not allowed; use a whole number of at least 0",
    ),
    (
        lambda: AgentGroup("g", staffing=((0, 2),), skills=(("english", 0),)),
        "agent group 'g' skills[0] priority: 0 is not allowed; use a whole number of at least 1",
    ),
    # ArrivalStream
    (
        lambda: ArrivalStream("calls", (10.0, -2.0)),
        "arrivals of 'calls' at 'main' calls_per_interval[1]: -2.0 is not allowed; use a number of at least 0",
    ),
    (
        lambda: ArrivalStream("calls", (float("nan"),)),
        "arrivals of 'calls' at 'main' calls_per_interval[0]: nan is not allowed",
    ),
    # Routing and Callback
    (lambda: Routing("nearest"), "routing.mode: 'nearest' is not allowed; use one of "),
    (lambda: Routing("site_first", -5), "routing.overflow_after_s: -5 is not allowed; use a number of at least 0"),
    (lambda: Callback(-1.0), "callback.offer_when_wait_exceeds_s: -1.0 is not allowed; use a number of at least 0"),
    (lambda: Callback(60, 2.0), "callback.acceptance_share: 2.0 is not allowed; use a number from 0 to 1"),
    # CenterModel
    (_with(interval_s=0), "interval_s: 0 is not allowed; use a number above 0"),
    (_with(answer_within_s=-1), "answer_within_s: -1 is not allowed; use a number of at least 0"),
    (_with(call_types=()), "call_types: () is not allowed; use at least one call type"),
    (_with(agent_groups=()), "agent_groups: () is not allowed; use at least one agent group"),
    (_with(arrivals=()), "arrivals: () is not allowed; use at least one arrival stream"),
    (
        _with(call_types=(CallType("calls", Fixed(60)), CallType("calls", Fixed(90)))),
        "call_types names: 'calls' is not allowed; use a name used only once",
    ),
    (
        _with(agent_groups=(AgentGroup("g", ((0, 1),)), AgentGroup("g", ((0, 2),)))),
        "agent_groups names: 'g' is not allowed; use a name used only once",
    ),
    (_with(sites=(Site("A"), Site("A"))), "sites names: 'A' is not allowed; use a name used only once"),
    (
        _with(arrivals=(ArrivalStream("nobody", (5.0,)),)),
        "arrivals[0].call_type: 'nobody' is not allowed; use one of calls",
    ),
    (
        _with(
            call_types=(CallType("calls", Fixed(30), skill="tty"),),
            agent_groups=(AgentGroup("g", ((0, 3),), skills=(("english", 1),)),),
        ),
        "call_types[0].skill: 'tty' is not allowed; use a skill some agent group has (english)",
    ),
    (
        _with(call_types=(CallType("calls", Fixed(30), transfers=(Transfer(0.5, "nowhere"),)),)),
        "call_types[0].transfers[0].to_call_type: 'nowhere' is not allowed; use None (back office) or one of calls",
    ),
    (
        _with(call_types=(CallType("calls", Fixed(30), transfers=(Transfer(1.0, "calls"),)),)),
        "call type 'calls' transfers: 'a loop with probability 1' is not allowed; use transfers that end",
    ),
    (  # a certain loop through two call types, split over two transfers
        _with(
            call_types=(
                CallType("calls", Fixed(30), transfers=(Transfer(0.5, "other"), Transfer(0.5, "other"))),
                CallType("other", Fixed(30), transfers=(Transfer(1.0, "calls"),)),
            )
        ),
        "call type 'calls' transfers: 'a loop with probability 1' is not allowed; use transfers that end",
    ),
    (  # a way out with probability 0 is no way out
        _with(
            call_types=(
                CallType("calls", Fixed(30), transfers=(Transfer(1.0, "other"), Transfer(0.0, "last"))),
                CallType("other", Fixed(30), transfers=(Transfer(1.0, "calls"),)),
                CallType("last", Fixed(30)),
            )
        ),
        "call type 'calls' transfers: 'a loop with probability 1' is not allowed; use transfers that end",
    ),
    (  # ten transfers of 0.1 add up to 0.9999999999999999: certain within the tolerance
        _with(
            call_types=(
                CallType("calls", Fixed(30), transfers=(Transfer(0.1, "other"),) * 10),
                CallType("other", Fixed(30), transfers=(Transfer(1.0, "calls"),)),
            )
        ),
        "call type 'calls' transfers: 'a loop with probability 1' is not allowed; use transfers that end",
    ),
    (  # a loop reached from outside it: the sentence names a call type on the loop
        _with(
            call_types=(
                CallType("calls", Fixed(30), transfers=(Transfer(1.0, "other"),)),
                CallType("other", Fixed(30), transfers=(Transfer(1.0, "third"),)),
                CallType("third", Fixed(30), transfers=(Transfer(1.0, "other"),)),
            )
        ),
        "call type 'other' transfers: 'a loop with probability 1' is not allowed; use transfers that end",
    ),
    (
        _call_type(transfers=(Transfer(0.5), Transfer(0.500001))),
        "call type 'calls' transfers probabilities: 1.000001 is not allowed; use a total of at most 1",
    ),
]


@pytest.mark.parametrize("build, sentence", RULES)
def test_every_rule_is_one_sentence_naming_the_field_and_the_value(build, sentence):
    with pytest.raises(CcsimInputError) as e:
        build()
    text = str(e.value)
    assert text.startswith(sentence) and "\n" not in text


@pytest.mark.parametrize(
    "build",
    [
        lambda: AgentGroup("g", staffing=()),  # nobody, ever
        lambda: AgentGroup("g", staffing=((0, 2), (100, 1), (100, 2))),  # off the roster and back at once
        lambda: Site("A", opens_s=0, closes_s=0),  # closed the whole horizon
        lambda: Transfer(1.0, None, 0.0),  # every call handed off at once
        lambda: Routing("site_first", 0),
        lambda: Callback(0, 0),
        # a loop that may end: half the callers come back
        _with(
            call_types=(
                CallType("calls", Fixed(30), transfers=(Transfer(1.0, "other"),)),
                CallType("other", Fixed(30), transfers=(Transfer(0.5, "calls"),)),
            )
        ),
        _with(arrivals=(ArrivalStream("calls", ()),)),  # no intervals: a horizon of 0 s
        _call_type(transfers=(Transfer(0.33), Transfer(0.56), Transfer(0.11))),  # adds up to 1.0000000000000002
    ],
)
def test_edge_cases_that_are_allowed(build):
    build()
