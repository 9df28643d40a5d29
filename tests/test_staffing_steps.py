"""Staffing as step functions of time: the lookup, opening hours, agent-seconds, spans cut into intervals."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.simulation.staffing import agents_at, open_staffing, seconds_per_interval, staffed_s


def test_agents_at_reads_the_step_in_force():
    steps = ((600.0, 4), (1800.0, 2))
    assert [agents_at(steps, t) for t in (0, 599.9, 600, 1799, 1800, 1e9)] == [0, 0, 4, 4, 2, 2]
    assert agents_at((), 100.0) == 0


def test_opening_hours_zero_the_staffing_outside_them():
    steps = ((0.0, 4), (3600.0, 6))
    assert open_staffing(steps, 0.0, None) is steps  # open the whole horizon: unchanged
    assert open_staffing(steps, 1800.0, 5400.0) == ((0.0, 0), (1800.0, 4), (3600.0, 6), (5400.0, 0))
    assert open_staffing(steps, 0.0, 0.0) == ((0.0, 0),)  # closed all day


def test_staffed_seconds_within_the_horizon():
    assert staffed_s(((0.0, 2), (60.0, 1)), 100.0) == pytest.approx(160.0)
    assert staffed_s(((0.0, 2), (600.0, 10)), 100.0) == pytest.approx(200.0)  # a step after the horizon counts nothing
    assert staffed_s((), 100.0) == 0.0


def test_seconds_per_interval_splits_spans_across_boundaries():
    got = seconds_per_interval(np.array([50.0, 0.0, 250.0]), np.array([150.0, 10.0, 400.0]), 100.0, 3)
    assert np.allclose(got, [60, 50, 50])
    assert seconds_per_interval(np.array([]), np.array([]), 100.0, 2).tolist() == [0.0, 0.0]


def test_a_site_opening_one_second_in_has_nobody_before():
    assert open_staffing(((0.0, 4),), 1.0, None) == ((0.0, 0), (1.0, 4))
