"""Tests for many days in one scenario: horizon.days, weekdays, closed days, weekday factors (ccsim.scenario.days)."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from ccsim.errors import ScenarioError
from ccsim.scenario import Horizon, Scenario, list_presets, load_preset, load_scenario
from ccsim.scenario.days import day_factor, repeat_calls, repeat_staffing
from ccsim.simulation import model as m

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"
DAY_S = 86400.0


def two_sites(**horizon) -> Scenario:
    d = tomllib.loads(TWO_SITES.read_text())
    d["horizon"].update(horizon)
    return Scenario.from_dict(d, base_dir=TWO_SITES.parent)


def calls_on_day(model: m.CenterModel, day: int, site: str | None = None) -> float:
    per_day = round(DAY_S / model.interval_s)
    return sum(
        sum(a.calls_per_interval[day * per_day : (day + 1) * per_day])
        for a in model.arrivals
        if site is None or a.site == site
    )


# ----------------------------------------------------------------------------------------------
# one day is exactly today's model


@pytest.mark.parametrize("name", list_presets())
def test_one_day_without_journeys_is_exactly_the_one_day_model(name):
    s = load_preset(name)
    if s.horizon.days != 1 or s.journeys is not None:
        s = s.updated({"horizon": {"days": 1}})
        if s.journeys is not None:
            d = s.model_dump(mode="python")
            del d["journeys"]
            s = Scenario.from_dict(d)
    model = s.to_model()
    assert model.journeys is None
    assert s.to_model(days=1) == model
    if not (s.arrivals.weekday_factors or s.horizon.closed_weekdays or s.horizon.closed_days):
        assert s.updated({"horizon": {"first_weekday": "Sat"}}).to_model() == model  # no factors, nothing closed
    assert model.intervals == s.horizon.intervals == s.intervals
    assert model.horizon_s == pytest.approx(s.horizon.hours * 3600)


def test_classroom_one_day_matches_the_numbers_written_down_before_days_existed():
    model = load_preset("classroom").to_model()
    assert model.intervals == 16 and model.agent_groups[0].staffing == ((0.0, 50),)
    assert sum(model.arrivals[0].calls_per_interval) == pytest.approx(3420)
    assert model.sites == (m.Site("main", 0.0, 0.0, None),)


# ----------------------------------------------------------------------------------------------
# several days


def test_thirty_days_repeat_the_day_with_nights_in_between():
    one = two_sites().to_model()
    s = two_sites(days=30)
    model = s.to_model()
    per_day = 48  # 30-minute intervals
    assert model.intervals == s.intervals == 29 * per_day + 16
    assert model.horizon_s == s.horizon_s == 29 * DAY_S + 8 * 3600
    for a1, a30 in zip(one.arrivals, model.arrivals, strict=True):
        assert (a1.call_type, a1.site) == (a30.call_type, a30.site)
        for d in range(30):
            day = a30.calls_per_interval[d * per_day : d * per_day + 16]
            assert day == a1.calls_per_interval
            assert not any(a30.calls_per_interval[d * per_day + 16 : (d + 1) * per_day])
    # sites open all the time: closed hours are already in the calls and the staffing
    assert all((x.opens_s, x.closes_s) == (0.0, None) for x in model.sites)
    for g1, g30 in zip(one.agent_groups, model.agent_groups, strict=True):
        for d in range(30):
            for t in range(0, 8 * 3600, 900):
                assert g30.agents_at(d * DAY_S + t) == g1.agents_at(t), (g1.name, d, t)
            if d < 29:
                assert g30.agents_at(d * DAY_S + 8 * 3600) == 0
                assert g30.agents_at((d + 1) * DAY_S - 1) == 0
        assert g30.agents_at(29 * DAY_S + 8 * 3600) == g1.agents_at(8 * 3600)  # the last day ends like one day


def test_weekday_factors_scale_calls_and_headcount_closed_days_have_none():
    d = tomllib.loads(TWO_SITES.read_text())
    d["horizon"].update(days=9, first_weekday="Fri", closed_weekdays=["Sun"], closed_days=[9])
    d["arrivals"]["weekday_factors"] = {"Mon": 1.2, "Fri": 0.9, "Sat": 0.5}
    d["agent_groups"][0]["weekday_factors"] = {"Mon": 1.3, "Sat": 0.5}
    model = Scenario.from_dict(d, base_dir=TWO_SITES.parent).to_model()
    # Fri Sat Sun Mon Tue Wed Thu Fri Sat(closed: day 9)
    want = [0.9, 0.5, 0.0, 1.2, 1.0, 1.0, 1.0, 0.9, 0.0]
    assert [calls_on_day(model, k) for k in range(9)] == pytest.approx([2000 * f for f in want])
    east = model.agent_groups[0]  # headcount 20, shrinkage 0.25
    on_duty = [east.agents_at(k * DAY_S + 60) for k in range(9)]
    scheduled = [20, 10, 0, 26, 20, 20, 20, 20, 0]
    assert on_duty == [math.floor(n * 0.75 + 0.5) for n in scheduled]
    west = model.agent_groups[1]  # no factors of its own: only closed days change it
    assert [west.agents_at(k * DAY_S + 7200) for k in range(9)] == [16, 16, 0, 16, 16, 16, 16, 16, 0]


def test_weekday_of_each_day_and_the_closed_ones():
    h = Horizon(hours=8, days=10, first_weekday="Thu", closed_weekdays=["Sat", "Sun"], closed_days=[6])
    assert [h.weekday(k) for k in range(8)] == ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu"]
    assert [k + 1 for k in range(10) if h.is_closed(k)] == [3, 4, 6, 10]
    assert day_factor(h, {"Thu": 1.5}, 0) == 1.5 and day_factor(h, {"Sat": 2}, 2) == 0.0


def test_repeat_helpers_one_day_gives_the_day_back():
    h = Horizon(hours=8)
    calls = (1.0, 2.0)
    assert repeat_calls(h, {}, calls) is calls or repeat_calls(h, {}, calls) == calls
    steps = ((0.0, 3), (60.0, 5))
    assert repeat_staffing(h, lambda f: steps) == steps


def test_a_24_hour_day_has_no_gap_between_days():
    s = load_preset("public_hotline_24h")
    one = s.to_model()
    model = s.to_model(days=3)
    assert model.intervals == 3 * one.intervals
    for a1, a3 in zip(one.arrivals, model.arrivals, strict=True):
        assert a3.calls_per_interval == a1.calls_per_interval * 3
    for g1, g3 in zip(one.agent_groups, model.agent_groups, strict=True):
        for t in range(0, 86400, 1800):
            assert [g3.agents_at(k * DAY_S + t) for k in range(3)] == [g1.agents_at(t)] * 3


def test_updated_days_is_what_the_command_line_uses():
    s = load_preset("member_services_network")
    month = s.updated({"horizon": {"days": 30}})
    assert month.horizon.days == 30 and s.horizon.days == 1
    assert month.to_model() == s.to_model(days=30)
    assert calls_on_day(month.to_model(), 12) == pytest.approx(30000)


# ----------------------------------------------------------------------------------------------
# bad values: one sentence each


@pytest.mark.parametrize(
    ("horizon", "message"),
    [
        ({"days": 0}, "horizon.days: 0 is not allowed; use a whole number from 1 to 92"),
        ({"days": 93}, "horizon.days: 93 is not allowed; use a whole number from 1 to 92"),
        ({"days": 2.5}, "horizon.days: 2.5 is not allowed; use a whole number from 1 to 92"),
        (
            {"first_weekday": "Monday"},
            "horizon.first_weekday: 'Monday' is not allowed; use one of 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'",
        ),
        (
            {"closed_weekdays": ["Sat", "sun"]},
            "horizon.closed_weekdays[1]: 'sun' is not allowed; use one of 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'",
        ),
        (
            {"days": 5, "closed_days": [2, 6]},
            "horizon.closed_days[1]: 6 is not allowed; use a day number from 1 to 5 (the horizon's days)",
        ),
        (
            {"days": 2, "hours": 7, "interval_min": 420},
            "horizon.interval_min: 420 is not allowed; use a length that divides 24 hours into whole intervals "
            "when days is more than 1, e.g. 15, 30 or 60",
        ),
    ],
)
def test_bad_horizon_days(horizon, message):
    d = tomllib.loads(TWO_SITES.read_text())
    d["horizon"].update(horizon)
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d, base_dir=TWO_SITES.parent)
    assert str(e.value) == message


@pytest.mark.parametrize(
    ("where", "factors", "message"),
    [
        ("arrivals", {"Mon": -1}, "arrivals.weekday_factors.Mon: -1 is not allowed; use a number from 0 to 10"),
        ("arrivals", {"Mon": 11}, "arrivals.weekday_factors.Mon: 11 is not allowed; use a number from 0 to 10"),
        ("group", {"Fri": "1"}, "agent_groups[0].weekday_factors.Fri: '1' is not allowed; use a number from 0 to 10"),
    ],
)
def test_bad_weekday_factors(where, factors, message):
    d = tomllib.loads(TWO_SITES.read_text())
    (d["arrivals"] if where == "arrivals" else d["agent_groups"][0])["weekday_factors"] = factors
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d, base_dir=TWO_SITES.parent)
    assert str(e.value) == message


def test_unknown_weekday_name_in_factors():
    d = tomllib.loads(TWO_SITES.read_text())
    d["arrivals"]["weekday_factors"] = {"Monday": 1.2}
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d, base_dir=TWO_SITES.parent)
    assert str(e.value) == (
        "arrivals.weekday_factors: 'Monday' is not allowed; use keys that are one of "
        "'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'"
    )


def test_bad_days_file():
    with pytest.raises(ScenarioError, match=r"^horizon\.closed_days\[0\]: 3 is not allowed"):
        load_scenario(Path(__file__).parent / "data" / "bad_scenarios" / "closed_day_after_horizon.toml")
