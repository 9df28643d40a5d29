"""Tests for ccsim.scenario.clock: local times at the sites ↔ minutes after the horizon start, opening hours."""

from __future__ import annotations

import pytest

from ccsim.scenario.clock import Clock
from ccsim.scenario.messages import Problem
from ccsim.scenario.tables import Horizon, Site
from ccsim.simulation import model as m

EAST = Site(name="East", utc_offset_h=-5, opens="08:00", closes="16:00")
WEST = Site(name="West", utc_offset_h=-8, opens="06:00", closes="13:00")


def clock(start: str = "08:00", hours: float = 8, clock_site: str | None = None) -> Clock:
    return Clock(Horizon(start=start, hours=hours, clock_site=clock_site), (EAST, WEST))


def test_local_times_at_each_site():
    c = clock()
    assert c.to_horizon_min(9 * 60, EAST) == 60  # 09:00 East, one hour after the 08:00 East start
    assert c.to_horizon_min(6 * 60, WEST) == 60  # 06:00 West = 09:00 East
    assert c.to_local(0, WEST) == "05:00" and c.to_local(8 * 60, WEST) == "13:00"
    assert c.to_horizon_min(7 * 60, EAST) == 23 * 60  # the next 07:00 East is 23 h after the start


def test_the_clock_site_sets_the_start():
    c = clock(start="05:00", clock_site="West")  # 05:00 West = 08:00 East
    assert c.to_horizon_min(8 * 60, EAST) == 0
    assert c.interval_label(3) == "06:30"  # labels are local time at the clock site


def test_opening_hours_become_the_engine_sites():
    c = clock()
    assert c.model_site(EAST) == m.Site("East", -5.0, 0.0, None)  # closes with the horizon: open to the end
    assert c.model_site(WEST) == m.Site("West", -8.0, 3600.0, None)
    early = clock(hours=4)
    assert early.model_site(WEST) == m.Site("West", -8.0, 3600.0, None)
    short_day = Clock(
        Horizon(start="08:00", hours=8), (Site(name="East", utc_offset_h=-5, opens="09:00", closes="12:00"),)
    )
    assert short_day.model_site(short_day.sites[0]) == m.Site("East", -5.0, 3600.0, 4 * 3600.0)


def test_open_sites_at_the_middle_of_each_interval():
    c = clock()
    assert [c.open_sites(i) for i in (0, 1, 2, 15)] == [["East"], ["East"], ["East", "West"], ["East", "West"]]


def test_hours_met_twice_in_one_horizon_are_a_problem():
    c = Clock(Horizon(start="08:00", hours=24), (Site(name="East", utc_offset_h=-5, opens="06:00", closes="10:00"),))
    with pytest.raises(Problem) as e:
        c.open_window_min(c.sites[0], "sites[0].opens")
    assert (e.value.path, e.value.value) == ("sites[0].opens", "06:00")
    # a day from 10:00: the site opens at 06:00 the next morning, once (or never, if the day ends first)
    assert Clock(Horizon(start="10:00", hours=22), c.sites).open_window_min(c.sites[0]) == (20 * 60, 22 * 60)
    assert Clock(Horizon(start="10:00", hours=20), c.sites).open_window_min(c.sites[0]) == (0.0, 0.0)
