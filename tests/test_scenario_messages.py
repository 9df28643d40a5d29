"""Tests for ccsim.scenario.messages: pydantic's errors become one ScenarioError sentence with the full field path."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel

from ccsim.errors import CcsimInputError, ScenarioError
from ccsim.scenario import CallType, Horizon, Scenario, load_preset, load_scenario
from ccsim.scenario.messages import StrictTable, describe, number_field, number_text, short

HERE = Path(__file__).parent
TWO_SITES = HERE / "data" / "two_sites.toml"


def two_sites() -> dict:
    return tomllib.loads(TWO_SITES.read_text())


def sentence(d: dict) -> ScenarioError:
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d)
    assert "\n" not in str(e.value) and "pydantic" not in str(e.value)
    return e.value


def test_field_path_value_and_allowed_are_attributes():
    with pytest.raises(ScenarioError) as e:
        load_scenario(HERE / "data" / "bad_scenarios" / "negative_headcount.toml")
    assert (e.value.field, e.value.value, e.value.allowed) == (
        "agent_groups[0].headcount",
        -3,
        "a whole number from 0 to 5000",
    )
    assert isinstance(e.value, CcsimInputError) and isinstance(e.value, ValueError)


def test_python_construction_gives_scenario_errors_not_pydantic():
    with pytest.raises(ScenarioError, match=r"^hours: -1 is not allowed; use a number above 0 and at most 24$"):
        Horizon(hours=-1)
    with pytest.raises(ScenarioError) as e:
        CallType(name="x", volume_share=1)
    assert str(e.value) == "handle_time: missing; it is required (a table with kind, mean_s, cv)"
    ok = CallType(name="x", volume_share=1, handle_time={"kind": "fixed", "mean_s": 60})
    assert ok.required_skill == "x"
    d = two_sites()
    assert Scenario(**d) == Scenario.from_dict(d)
    d["call_types"][0]["volume_share"] = "lots"
    with pytest.raises(ScenarioError) as e:
        Scenario(**d)
    assert str(e.value) == "call_types[0].volume_share: 'lots' is not allowed; use a number from 0 to 1"


def test_nested_tables_get_their_full_path():
    d = two_sites()
    d["agent_groups"][1]["shifts"][0]["breaks"][0]["length_min"] = 0
    e = sentence(d)
    assert (
        str(e)
        == "agent_groups[1].shifts[0].breaks[0].length_min: 0 is not allowed; use a number above 0 and at most 240"
    )
    assert (e.field, e.value) == ("agent_groups[1].shifts[0].breaks[0].length_min", 0)


def test_a_nested_table_of_the_wrong_kind():
    d = two_sites()
    d["horizon"] = 8
    assert (
        str(sentence(d))
        == "horizon: 8 is not allowed; use a table with start, hours, interval_min, clock_site, days, first_weekday, closed_weekdays, closed_days"
    )
    d = two_sites()
    d["sites"] = {"name": "East"}
    assert (
        str(sentence(d))
        == "sites: {'name': 'East'} is not allowed; use a list of tables with name, utc_offset_h, opens, closes"
    )


def test_missing_and_empty_lists():
    d = two_sites()
    del d["arrivals"]
    assert str(sentence(d)) == (
        "arrivals: missing; it is required "
        "(a table with calls_per_day, profile, calls_per_interval, surge_multiplier, site_volume_share, weekday_factors)"
    )
    d = two_sites()
    d["call_types"] = []
    assert str(sentence(d)) == "call_types: [] is not allowed; use a list with at least 1 entry"
    d = two_sites()
    d["agent_groups"] = []
    assert str(sentence(d)) == "agent_groups: [] is not allowed; use a list with at least 1 entry"


def test_unknown_fields_name_the_allowed_ones():
    d = two_sites()
    d["agnets"] = 3
    assert str(sentence(d)) == (
        "agnets: unknown field; allowed fields are name, description, horizon, sites, call_types, arrivals, "
        "agent_groups, routing, callback, targets, journeys"
    )


def test_odd_keys_are_quoted_in_the_one_line_message():
    d = two_sites()
    d["sites"][0]["bad\nkey"] = 1
    assert str(sentence(d)).startswith("sites[0]['bad\\nkey']: unknown field; ")
    d = two_sites()
    d["arrivals"]["site_volume_share"] = {"East": 0.6, "We.st": 1.4}
    assert str(sentence(d)) == "arrivals.site_volume_share['We.st']: 1.4 is not allowed; use a number from 0 to 1"


def test_long_values_are_shortened():
    d = two_sites()
    d["description"] = list(range(100))
    e = sentence(d)
    assert (
        str(e) == "description: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16... is not allowed; use text"
    )
    assert short((1, 2)) == (1, 2) and repr(short("x" * 100)) == repr("x" * 100)  # only tables and lists shrink


@pytest.mark.parametrize(
    "horizon, message",
    [
        (
            {"hours": 7e-282},
            "hours: 7e-282 is not allowed; use at least one 30-minute interval (0.5 h) or a shorter interval_min",
        ),
        ({"hours": 8, "interval_min": 7e-282}, "interval_min: 7e-282 is not allowed; use a number from 1 to 1440"),
    ],
)
def test_degenerate_horizons_are_refused(horizon, message):
    with pytest.raises(ScenarioError) as e:
        Horizon(**horizon)
    assert str(e.value) == message


def test_scenarios_are_read_only():
    s = load_preset("classroom")
    with pytest.raises(ScenarioError) as e:
        s.name = "x"
    assert str(e.value) == (
        "name: 'x' is not allowed; use a changed copy instead: scenarios are read-only (e.g. scenario.updated({...}))"
    )
    assert s.name == "classroom"


def test_numbers_read_as_people_write_them():
    assert [number_text(x) for x in (8, 8.0, 0.5, 2592000.0, 1e-06, 1 / 3)] == [
        "8",
        "8",
        "0.5",
        "2592000",
        "1e-06",
        "0.333333",
    ]


def test_describe_words_for_each_kind_of_field():
    class T(BaseModel):
        flag: bool
        plain: int

    assert describe(bool, []) == "true or false"
    assert describe(int, []) == "a whole number"
    assert describe(T, []) == "a table with flag, plain"
    assert describe(dict[str, int], []) == "a table of names to whole numbers"
    assert describe(bytes, []) == "a valid value"


def test_numbers_are_strict_and_finite_even_without_bounds():
    class Unbounded(StrictTable):
        x: Annotated[float, number_field()]

    assert Unbounded(x=3).x == 3.0
    for bad in (math.nan, math.inf, -math.inf, "8", True):
        with pytest.raises(ScenarioError) as e:
            Unbounded(x=bad)
        assert str(e.value) == f"x: {bad!r} is not allowed; use a number"
