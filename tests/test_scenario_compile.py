"""Tests for ccsim.scenario.compile: a scenario's fields become the engine's seconds, steps and streams."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ccsim.scenario import Scenario, load_scenario
from ccsim.simulation import model as m
from ccsim.simulation.distributions import Fixed, Lognormal

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"


def two_sites() -> dict:
    """The small two-site scenario as a fresh dict."""
    return tomllib.loads(TWO_SITES.read_text())


def calls_of(model: m.CenterModel, call_type: str, interval: int) -> float:
    return sum(a.calls_per_interval[interval] for a in model.arrivals if a.call_type == call_type)


def test_two_sites_compile_steps():
    s = load_scenario(TWO_SITES)
    model = s.to_model()
    east, west = model.sites
    # West opens 06:00 at UTC-8 = 09:00 East, one hour into the 08:00 East horizon; closes 13:00 = 16:00 East.
    assert (east.opens_s, east.closes_s) == (0.0, None)
    assert (west.opens_s, west.closes_s) == (3600.0, None)
    # interval 0 (08:00-08:30 East): West closed, all calls at East; interval 2: the 60/40 split
    per_interval = 2000 / 16
    for i, east_share in ((0, 1.0), (1, 1.0), (2, 0.6), (15, 0.6)):
        assert calls_of(model, "english", i) == pytest.approx(per_interval * 0.7)
        got = sum(a.calls_per_interval[i] for a in model.arrivals if a.site == "East")
        assert got == pytest.approx(per_interval * east_share)
    groups = {g.name: g for g in model.agent_groups}
    assert groups["east_bilingual"].staffing == ((0.0, 15),)  # 20 × (1 − 0.25)
    assert groups["east_bilingual"].skills == (("spanish", 1), ("english", 2))
    # shifts (West local): 06:00-10:00 ×10 with a 15-min break at 08:00, and 07:00-13:00 ×6
    assert groups["west_english"].staffing == (
        (0.0, 0),
        (3600.0, 10),
        (7200.0, 16),
        (10800.0, 6),
        (11700.0, 16),
        (18000.0, 6),
    )
    english = model.call_type("english")
    assert english.handle_time == Lognormal(400, 1.0)
    assert english.transfers == (m.Transfer(0.05, "spanish"), m.Transfer(0.1, None, 2 * 86400.0))
    assert model.call_type("spanish").handle_time == Fixed(420) and model.call_type("spanish").patience is None
    tty = model.call_type("tty")
    assert (tty.menu_containment, tty.menu_time_s) == (0.2, 45)
    assert model.routing == m.Routing("site_first", 30.0)
    assert model.callback == m.Callback(120.0, 0.5)


def test_site_split_defaults_to_even_and_closed_hours_zero_the_staff(tmp_path):
    d = two_sites()
    del d["arrivals"]["site_volume_share"]
    d["agent_groups"][1] = {"name": "west_all_day", "site": "West", "skills": ["english", "tty"], "headcount": 8}
    model = Scenario.from_dict(d).to_model()
    assert sum(a.calls_per_interval[5] for a in model.arrivals if a.site == "West") == pytest.approx(2000 / 16 / 2)
    assert model.agent_groups[1].staffing == ((0.0, 0), (3600.0, 8))


def test_calls_per_interval_and_surge():
    d = two_sites()
    d["arrivals"] = {"calls_per_interval": [float(i) for i in range(16)], "surge_multiplier": 2.5}
    model = Scenario.from_dict(d).to_model()
    assert [sum(a.calls_per_interval[i] for a in model.arrivals) for i in range(16)] == pytest.approx(
        [2.5 * i for i in range(16)]
    )


def test_headcount_per_interval_becomes_steps():
    d = two_sites()
    d["agent_groups"][0] = {
        "name": "east",
        "site": "East",
        "skills": ["english", "spanish"],
        "headcount_per_interval": [10] * 4 + [12] * 12,
        "shrinkage_share": 0.5,
    }
    model = Scenario.from_dict(d).to_model()
    assert model.agent_groups[0].staffing == ((0.0, 5), (7200.0, 6))


def test_shrinkage_rounds_half_up_and_the_scenario_keeps_the_scheduled_headcount():
    d = two_sites()
    d["agent_groups"][0].update(headcount=3, shrinkage_share=0.5)  # 1.5 on duty → 2
    d["agent_groups"][1] = {"name": "west", "site": "West", "skills": ["english", "tty"], "headcount": 5}
    d["agent_groups"][1]["shrinkage_share"] = 0.3  # 3.5 → 4
    s = Scenario.from_dict(d)
    model = s.to_model()
    assert model.agent_groups[0].staffing == ((0.0, 2),)
    assert model.agent_groups[1].agents_at(3600.0) == 4
    assert s.agent_groups[0].headcount == 3


def test_a_site_closed_all_horizon_has_no_staff_and_no_calls():
    d = two_sites()
    d["sites"][1].update(opens="14:00", closes="15:00")  # 17:00-18:00 East: after the 08:00-16:00 day
    d["agent_groups"][1] = {"name": "west", "site": "West", "skills": ["english", "tty"], "headcount": 9}
    model = Scenario.from_dict(d).to_model()
    west = {x.name: x for x in model.sites}["West"]
    assert (west.opens_s, west.closes_s) == (0.0, 0.0)
    assert model.agent_groups[1].staffing == ((0.0, 0),)
    assert {a.site for a in model.arrivals} == {"East"}
    assert sum(sum(a.calls_per_interval) for a in model.arrivals) == pytest.approx(2000)


def test_open_sites_with_no_share_take_the_calls_when_the_others_are_closed():
    d = two_sites()
    d["sites"][0].update(opens="09:00", closes="16:00")  # East opens an hour after the 08:00 start
    d["sites"][1].update(opens="05:00", closes="13:00")  # West: 08:00-16:00 East
    d["arrivals"]["site_volume_share"] = {"East": 1.0, "West": 0.0}
    s = Scenario.from_dict(d)
    assert s.site_volume_shares(0) == {"West": 1.0}  # only West open: it takes every call
    assert s.site_volume_shares(4) == {"East": 1.0, "West": 0.0}
    model = s.to_model()
    west_first = sum(a.calls_per_interval[0] for a in model.arrivals if a.site == "West")
    assert west_first == pytest.approx(2000 / 16)


def test_a_shift_after_midnight_local_time_is_placed_the_same_day():
    """Times of day are local at each site; the horizon is one day from its start, wrapping at midnight."""
    d = two_sites()
    d["horizon"].update(start="20:00", hours=8)  # 20:00-04:00 East
    d["sites"] = [{"name": "East", "utc_offset_h": -5}, {"name": "West", "utc_offset_h": -8}]
    d["agent_groups"][1] = {
        "name": "west_night",
        "site": "West",
        "skills": ["english", "tty"],
        "shifts": [{"start": "23:00", "hours": 2, "headcount": 4, "breaks": [{"start": "00:30", "length_min": 30}]}],
    }
    model = Scenario.from_dict(d).to_model()
    # 23:00 West = 02:00 East, 6 h after the start; the break 00:30-01:00 West is 7.5-8 h after it
    assert model.agent_groups[1].staffing == ((0.0, 0), (6 * 3600.0, 4), (7.5 * 3600.0, 0))


def test_routing_callback_targets_and_names_carry_over():
    s = load_scenario(TWO_SITES)
    model = s.to_model()
    assert model.name == "two sites"
    assert model.answer_within_s == s.targets.answer_within_s == 30
    assert [g.tier for g in model.agent_groups] == ["generalist", "generalist"]
    assert [(c.name, c.required_skill) for c in model.call_types] == [
        ("english", "english"),
        ("spanish", "spanish"),
        ("tty", "tty"),
    ]
