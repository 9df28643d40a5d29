"""Tests for ccsim.scenario.fields: times of day and the shared field types' ranges."""

from __future__ import annotations

from datetime import time, timedelta, timezone

import pytest

from ccsim.errors import ScenarioError
from ccsim.scenario import Horizon, Shift, Site
from ccsim.scenario.fields import MAX_AGENTS, minutes_of, parse_time

TIME_OF_DAY = "a time of day as 'HH:MM' from '00:00' to '24:00'"


@pytest.mark.parametrize(
    "given, normalised",
    [
        ("08:30", "08:30"),
        ("8:30", "08:30"),
        (" 07:05 ", "07:05"),
        ("00:00", "00:00"),
        ("24:00", "24:00"),
        ("23:59", "23:59"),
        (time(8, 30), "08:30"),
    ],
)
def test_times_of_day_are_normalised(given, normalised):
    assert parse_time(given, "horizon.start") == normalised


@pytest.mark.parametrize(
    "given",
    [
        pytest.param("8.30", id="dot"),
        pytest.param("830", id="no_colon"),
        pytest.param("08:3", id="one_minute_digit"),
        pytest.param("123:00", id="three_hour_digits"),
        pytest.param("008:30", id="three_hour_digits_leading_zero"),
        pytest.param("08:30:00", id="seconds_in_text"),
        pytest.param("25:00", id="hour_25"),
        pytest.param("08:60", id="minute_60"),
        pytest.param("24:01", id="after_midnight"),
        pytest.param("-1:00", id="negative"),
        pytest.param("", id="empty"),
        pytest.param("٠٨:٣٠", id="non_ascii_digits"),
        pytest.param(830, id="a_number"),
        pytest.param(None, id="none"),
    ],
)
def test_bad_times_of_day_name_field_value_and_format(given):
    with pytest.raises(ScenarioError) as e:
        parse_time(given, "horizon.start")
    assert str(e.value) == f"horizon.start: {given!r} is not allowed; use {TIME_OF_DAY}"
    assert (e.value.field, e.value.value) == ("horizon.start", given)


@pytest.mark.parametrize(
    "given", [time(8, 30, 15), time(8, 30, 0, 5), time(8, 30, tzinfo=timezone(timedelta(hours=1)))]
)
def test_toml_times_must_be_whole_minutes_without_a_zone(given):
    with pytest.raises(ScenarioError) as e:
        parse_time(given, "horizon.start")
    assert (
        str(e.value)
        == f"horizon.start: {given.isoformat()!r} is not allowed; use a time of day in whole minutes, e.g. '08:30'"
    )


def test_minutes_of():
    assert [minutes_of(t) for t in ("00:00", "08:30", "24:00")] == [0, 510, 1440]


def test_time_fields_of_every_table_use_the_rule():
    """Inside a table the field's own name leads the sentence."""
    for call, field in (
        (lambda: Horizon(hours=8, start="25:00"), "start"),
        (lambda: Site(name="x", opens="25:00", closes="26:00"), "opens"),
        (lambda: Shift(start="25:00", hours=8, headcount=1), "start"),
        (
            lambda: Shift(start="08:00", hours=8, headcount=1, breaks=[{"start": "25:00", "length_min": 5}]),
            "breaks[0].start",
        ),
    ):
        with pytest.raises(ScenarioError) as e:
            call()
        assert str(e.value) == f"{field}: '25:00' is not allowed; use {TIME_OF_DAY}"
    assert Horizon(hours=8, start=time(7, 30)).start == "07:30"


def test_head_counts_stop_at_max_agents():
    assert Shift(start="08:00", hours=8, headcount=MAX_AGENTS).headcount == 5000
    with pytest.raises(ScenarioError) as e:
        Shift(start="08:00", hours=8, headcount=MAX_AGENTS + 1)
    assert str(e.value) == "headcount: 5001 is not allowed; use a whole number from 0 to 5000"
    with pytest.raises(ScenarioError) as e:
        Shift(start="08:00", hours=8, headcount=2.0)
    assert str(e.value) == "headcount: 2.0 is not allowed; use a whole number from 0 to 5000"
