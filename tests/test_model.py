"""The model the engine reads: the single-queue builder, staffing step functions, look-ups."""

from __future__ import annotations

import dataclasses

import pytest

from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.model import AgentGroup, CallType, CenterModel


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


def test_call_type_lookup_and_skill():
    m = CenterModel.single_queue(10, 2, Fixed(60))
    with pytest.raises(KeyError):
        m.call_type("spanish")
    assert CallType("billing", Fixed(60), skill="general").required_skill == "general"


def test_models_are_frozen():
    m = CenterModel.single_queue(10, 2, Fixed(60))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.interval_s = 60  # type: ignore[misc]
