"""Tests for ccsim.scenario.checks: rules across tables, each refused with its sentence (and accepted just inside)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from ccsim.errors import ScenarioError
from ccsim.scenario import Scenario

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"


def two_sites() -> dict:
    """The small two-site scenario (08:00-16:00 East, West 09:00-16:00 East) as a fresh dict."""
    return tomllib.loads(TWO_SITES.read_text())


def changed(change: Callable[[dict], None]) -> dict:
    d = two_sites()
    change(d)
    return d


def _set(path: str, value: object) -> Callable[[dict], None]:
    """A change setting one field, e.g. ``_set("sites.1.name", "East")``."""

    def change(d: dict) -> None:
        *head, last = [int(k) if k.isdigit() else k for k in path.split(".")]
        for k in head:
            d = d[k]
        d[last] = value

    return change


def _loop(p_english: float, p_spanish: float, tty_share: float = 0.0) -> Callable[[dict], None]:
    """english → spanish with ``p_english`` (and → tty with ``tty_share``), spanish → english with ``p_spanish``."""

    def change(d: dict) -> None:
        d["call_types"][0]["transfers"] = [{"to_call_type": "spanish", "probability": p_english}]
        if tty_share:
            d["call_types"][0]["transfers"].append({"to_call_type": "tty", "probability": tty_share})
            d["call_types"][2]["transfers"] = [{"to_call_type": "english", "probability": 1.0}]
        d["call_types"][1]["transfers"] = [{"to_call_type": "english", "probability": p_spanish}]

    return change


def _loop_with_a_way_out_of_probability_0(d: dict) -> None:
    _loop(1.0, 1.0)(d)
    d["call_types"][0]["transfers"].append({"to_call_type": "tty", "probability": 0.0})  # tty calls end


def _loop_of_tenths(d: dict) -> None:
    """english → spanish in ten transfers of 0.1 (adding up to 0.9999999999999999), spanish → english surely."""
    _loop(1.0, 1.0)(d)
    d["call_types"][0]["transfers"] = [{"to_call_type": "spanish", "probability": 0.1}] * 10


def _closed_at_the_start(d: dict) -> None:
    d["sites"][0]["opens"] = "09:00"  # East opens an hour after the 08:00 start; West at 09:00 East
    d["agent_groups"][1]["shifts"] = [{"start": "06:00", "hours": 4, "headcount": 10}]


def _open_twice(d: dict) -> None:
    d["horizon"]["hours"] = 24  # 08:00 to 08:00 East: East's 06:00-10:00 falls at both ends
    d["sites"][0].update(opens="06:00", closes="10:00")


def _one_site(d: dict) -> None:
    d["sites"] = [{"name": "solo"}]
    d["agent_groups"] = [{"name": "all", "skills": ["english", "spanish", "tty"], "headcount": 9}]
    del d["arrivals"]["site_volume_share"], d["horizon"]["clock_site"]


def _no_calls_while_closed(d: dict) -> None:
    _closed_at_the_start(d)
    d["arrivals"] = {"calls_per_interval": [0.0, 0.0] + [10.0] * 14}


REFUSED = [
    pytest.param(
        _set("sites.1.name", "East"),
        "sites[1].name: 'East' is not allowed; use a name not used by another entry",
        id="unique_site_names",
    ),
    pytest.param(
        _set("agent_groups.1.name", "east_bilingual"),
        "agent_groups[1].name: 'east_bilingual' is not allowed; use a name not used by another entry",
        id="unique_group_names",
    ),
    pytest.param(
        _set("call_types.2.name", "english"),
        "call_types[2].name: 'english' is not allowed; use a name not used by another entry",
        id="unique_call_type_names",
    ),
    pytest.param(
        _set("horizon.clock_site", "Central"),
        "horizon.clock_site: 'Central' is not allowed; use one of the sites (East, West)",
        id="clock_site_is_a_site",
    ),
    pytest.param(
        _set("agent_groups.0.site", "North"),
        "agent_groups[0].site: 'North' is not allowed; use one of the sites (East, West)",
        id="group_site_is_a_site",
    ),
    pytest.param(
        lambda d: d["agent_groups"][0].pop("site"),
        "agent_groups[0].site: None is not allowed; use one of the sites (East, West)",
        id="group_site_given_with_several_sites",
    ),
    pytest.param(
        _set("arrivals.site_volume_share", {"East": 0.6, "North": 0.4}),
        "arrivals.site_volume_share.North: 'North' is not allowed; use one of the sites (East, West)",
        id="site_share_names_a_site",
    ),
    pytest.param(
        _set("call_types.2.volume_share", 0.04),
        "call_types: volume_share values add up to 0.99, which is not allowed; use shares that add up to 1",
        id="volume_shares_add_up_to_1",
    ),
    pytest.param(
        _set("call_types.1.skill", "klingon"),
        "call_types[1].skill: 'klingon' is not allowed; use a skill some agent group has (english, spanish, tty)",
        id="skill_some_group_has",
    ),
    pytest.param(
        _set("call_types.0.transfers", [{"to_call_type": "claims", "probability": 0.1}]),
        "call_types[0].transfers[0].to_call_type: 'claims' is not allowed; use another call type (spanish, tty)",
        id="transfer_to_a_known_call_type",
    ),
    pytest.param(
        _set("call_types.0.transfers", [{"to_call_type": "english", "probability": 0.1}]),
        "call_types[0].transfers[0].to_call_type: 'english' is not allowed; use another call type (spanish, tty)",
        id="transfer_to_another_call_type",
    ),
    pytest.param(
        _loop(1.0, 1.0),
        "call_types[0].transfers[0].probability: 1.0 is not allowed; "
        "use a probability below 1 on a transfer loop (english → spanish → english would never end)",
        id="certain_transfer_loop",
    ),
    pytest.param(
        _loop(0.5, 1.0, tty_share=0.5),
        "call_types[0].transfers: transfers to other queues add up to 1 on a loop (english → spanish → english "
        "would never end); use transfer probabilities that add up to less than 1",
        id="certain_transfer_loop_split_over_two_queues",
    ),
    pytest.param(
        _loop_with_a_way_out_of_probability_0,
        "call_types[0].transfers[0].probability: 1.0 is not allowed; "
        "use a probability below 1 on a transfer loop (english → spanish → english would never end)",
        id="a_way_out_of_probability_0_is_none",
    ),
    pytest.param(
        _loop_of_tenths,
        "call_types[0].transfers: transfers to other queues add up to 1 on a loop (english → spanish → english "
        "would never end); use transfer probabilities that add up to less than 1",
        id="certain_transfer_loop_within_the_tolerance",
    ),
    pytest.param(
        _set("arrivals", {"calls_per_interval": [100.0] * 15}),
        "arrivals.calls_per_interval: [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, ... "
        "is not allowed; use a list of 16 numbers, one per 30-minute interval",
        id="calls_per_interval_one_per_interval",
    ),
    pytest.param(
        _set(
            "agent_groups.0",
            {"name": "east", "site": "East", "skills": ["spanish"], "headcount_per_interval": [5] * 17},
        ),
        "agent_groups[0].headcount_per_interval: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5] is not allowed; "
        "use a list of 16 whole numbers, one per interval",
        id="headcount_per_interval_one_per_interval",
    ),
    pytest.param(
        _set("agent_groups.1.shifts", [{"start": "09:30", "hours": 4, "headcount": 3}]),
        "agent_groups[1].shifts[0].start: '09:30' is not allowed; "
        "use a start so the 4-hour shift lies within the horizon (05:00–13:00 local time at West)",
        id="shift_within_the_horizon",
    ),
    pytest.param(
        _set("agent_groups.1.shifts", [{"start": "04:30", "hours": 4, "headcount": 3}]),
        "agent_groups[1].shifts[0].start: '04:30' is not allowed; "
        "use a start so the 4-hour shift lies within the horizon (05:00–13:00 local time at West)",
        id="shift_starting_before_the_horizon",
    ),
    pytest.param(
        _closed_at_the_start,
        "arrivals: 125 calls are expected in interval 0 (08:00) when no site is open; "
        "open a site or give that interval no calls",
        id="calls_only_while_a_site_is_open",
    ),
    pytest.param(
        _open_twice,
        "sites[0].opens: '06:00' is not allowed; "
        "use opening hours that form one block within the horizon (the day would see the site open twice)",
        id="opening_hours_one_block",
    ),
]


@pytest.mark.parametrize("change, message", REFUSED)
def test_each_cross_rule_refuses_with_its_sentence(change, message):
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(changed(change))
    assert str(e.value) == message
    assert message.startswith(e.value.field + ": ")


ACCEPTED = [
    pytest.param(_loop(1.0, 0.5), id="a_transfer_loop_that_can_end"),
    pytest.param(_loop(0.5, 1.0, tty_share=0.4), id="a_split_loop_that_can_end"),
    pytest.param(_set("call_types.2.volume_share", 0.05 + 5e-7), id="volume_shares_within_tolerance"),
    pytest.param(
        _set("agent_groups.1.shifts", [{"start": "09:00", "hours": 4, "headcount": 3}]),
        id="shift_ending_with_the_horizon",
    ),
    pytest.param(
        _set("agent_groups.1.shifts", [{"start": "05:00", "hours": 8, "headcount": 3}]),
        id="shift_as_long_as_the_horizon",
    ),
    pytest.param(_one_site, id="one_site_groups_need_no_site"),
    pytest.param(_no_calls_while_closed, id="no_calls_while_closed"),
]


@pytest.mark.parametrize("change", ACCEPTED)
def test_scenarios_just_inside_the_cross_rules_compile(change):
    model = Scenario.from_dict(changed(change)).to_model()
    assert model.intervals == 16
