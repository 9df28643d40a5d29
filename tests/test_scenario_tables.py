"""Tests for ccsim.scenario.tables: every field's range and every table's own rule, refused and (at the edge) accepted."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import get_args

import pytest

from ccsim.errors import ScenarioError
from ccsim.scenario import (
    AgentGroup,
    Arrivals,
    Break,
    Callback,
    CallType,
    Horizon,
    Routing,
    Scenario,
    Shift,
    Site,
    Targets,
    TimeDistribution,
    Transfer,
)
from ccsim.simulation import routing
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"

BASE = {
    Horizon: {"hours": 8},
    Site: {"name": "East"},
    TimeDistribution: {"kind": "lognormal", "mean_s": 300},
    Transfer: {"probability": 0.1, "back_office_days": 1},
    CallType: {"name": "english", "volume_share": 1, "handle_time": {"kind": "fixed", "mean_s": 60}},
    Arrivals: {"calls_per_day": 100},
    Break: {"start": "10:00", "length_min": 15},
    Shift: {"start": "08:00", "hours": 8, "headcount": 5},
    AgentGroup: {"name": "g", "skills": ["english"], "headcount": 5},
    Routing: {},
    Callback: {"offer_when_wait_exceeds_s": 60},
    Targets: {},
}
"""A valid set of fields for each table; each case below changes a few."""

DROP = "<drop>"
"""A change that leaves the field out."""
SHARE = "a number from 0 to 1"
SECONDS = "a number from 0 to 2592000"
NAME_EMPTY, NAME_LONG, NAME_CONTROL = "", "x" * 81, "a\tb"
NAME_RULES = {
    NAME_EMPTY: "text of at least 1 character",
    NAME_LONG: "text of at most 80 characters",
    NAME_CONTROL: "text without control characters (such as line breaks)",
}


def case(table, changes, field, value, allowed, id):
    return pytest.param(table, changes, f"{field}: {value!r} is not allowed; use {allowed}", id=id)


def plain(table, changes, message, id):
    return pytest.param(table, changes, message, id=id)


REFUSED = [
    # horizon
    case(Horizon, {"hours": 0}, "hours", 0, "a number above 0 and at most 24", "horizon_hours_zero"),
    case(Horizon, {"hours": 24.5}, "hours", 24.5, "a number above 0 and at most 24", "horizon_hours_above_24"),
    case(Horizon, {"hours": math.nan}, "hours", math.nan, "a number above 0 and at most 24", "horizon_hours_nan"),
    case(Horizon, {"hours": True}, "hours", True, "a number above 0 and at most 24", "horizon_hours_bool"),
    case(Horizon, {"interval_min": 0.5}, "interval_min", 0.5, "a number from 1 to 1440", "horizon_interval_below_1"),
    case(
        Horizon,
        {"hours": 24, "interval_min": 1441},
        "interval_min",
        1441,
        "a number from 1 to 1440",
        "horizon_interval_above_1440",
    ),
    plain(
        Horizon,
        {"hours": 0.25},
        "hours: 0.25 is not allowed; use at least one 30-minute interval (0.5 h) or a shorter interval_min",
        "horizon_shorter_than_one_interval",
    ),
    plain(
        Horizon,
        {"hours": 1, "interval_min": 25},
        "interval_min: 25 is not allowed; use a length that divides the 1-hour day into whole intervals, e.g. 15, 30 or 60",
        "horizon_interval_does_not_divide",
    ),
    # names (one Name rule for every name field)
    case(Site, {"name": NAME_EMPTY}, "name", NAME_EMPTY, NAME_RULES[NAME_EMPTY], "name_empty"),
    case(Site, {"name": NAME_LONG}, "name", NAME_LONG, NAME_RULES[NAME_LONG], "name_too_long"),
    case(Site, {"name": NAME_CONTROL}, "name", NAME_CONTROL, NAME_RULES[NAME_CONTROL], "name_control_character"),
    case(Site, {"name": 7}, "name", 7, "text", "name_not_text"),
    case(Horizon, {"clock_site": ""}, "clock_site", "", NAME_RULES[NAME_EMPTY], "horizon_clock_site_empty"),
    # sites
    case(Site, {"utc_offset_h": -12.5}, "utc_offset_h", -12.5, "a number from -12 to 14", "site_utc_offset_below"),
    case(Site, {"utc_offset_h": 14.5}, "utc_offset_h", 14.5, "a number from -12 to 14", "site_utc_offset_above"),
    plain(
        Site,
        {"closes": "17:00"},
        "opens: missing; give both opens and closes, or neither for a site open the whole horizon",
        "site_closes_without_opens",
    ),
    plain(
        Site,
        {"opens": "08:00"},
        "closes: missing; give both opens and closes, or neither for a site open the whole horizon",
        "site_opens_without_closes",
    ),
    case(
        Site,
        {"opens": "08:00", "closes": "08:00"},
        "closes",
        "08:00",
        "a time later than opens (08:00) on the same day",
        "site_closes_when_it_opens",
    ),
    # time distributions
    case(TimeDistribution, {"mean_s": 0}, "mean_s", 0, "a number above 0 and at most 86400", "distribution_mean_zero"),
    case(
        TimeDistribution,
        {"mean_s": 86401},
        "mean_s",
        86401,
        "a number above 0 and at most 86400",
        "distribution_mean_above",
    ),
    case(TimeDistribution, {"cv": -0.1}, "cv", -0.1, "a number from 0 to 20", "distribution_cv_negative"),
    case(TimeDistribution, {"cv": 20.5}, "cv", 20.5, "a number from 0 to 20", "distribution_cv_above_20"),
    case(
        TimeDistribution,
        {"kind": "gamma"},
        "kind",
        "gamma",
        "one of 'exponential', 'lognormal', 'fixed'",
        "distribution_kind",
    ),
    case(
        TimeDistribution,
        {"kind": "exponential", "cv": 0.5},
        "cv",
        0.5,
        "1 or leave it out for an exponential (or kind = 'lognormal')",
        "distribution_exponential_cv",
    ),
    case(
        TimeDistribution,
        {"kind": "fixed", "cv": 1.0},
        "cv",
        1.0,
        "0 or leave it out for a fixed time (or kind = 'lognormal')",
        "distribution_fixed_cv",
    ),
    case(
        TimeDistribution,
        {"cv": 0.0},
        "cv",
        0.0,
        "a number above 0 for a lognormal (or kind = 'fixed')",
        "distribution_lognormal_cv_zero",
    ),
    # transfers
    case(Transfer, {"probability": -0.1}, "probability", -0.1, SHARE, "transfer_probability_negative"),
    case(Transfer, {"probability": 1.01}, "probability", 1.01, SHARE, "transfer_probability_above_1"),
    case(
        Transfer,
        {"back_office_days": -1},
        "back_office_days",
        -1,
        "a number from 0 to 365",
        "transfer_back_office_negative",
    ),
    case(
        Transfer,
        {"back_office_days": 366},
        "back_office_days",
        366,
        "a number from 0 to 365",
        "transfer_back_office_above",
    ),
    plain(
        Transfer,
        {"to_call_type": "spanish"},
        "back_office_days: 1.0 is not allowed together with to_call_type; use one of to_call_type, consult_with, back_office_days or back_office",
        "transfer_two_targets",
    ),
    plain(
        Transfer,
        {"back_office_days": DROP},
        "to_call_type: missing; give to_call_type (a warm transfer), consult_with (a consult) or back_office_days or back_office (a back-office hand-off)",
        "transfer_no_target",
    ),
    # call types
    case(CallType, {"volume_share": 1.5}, "volume_share", 1.5, SHARE, "call_type_volume_share_above_1"),
    case(CallType, {"menu_containment": -0.5}, "menu_containment", -0.5, SHARE, "call_type_menu_containment"),
    case(CallType, {"menu_time_s": -1}, "menu_time_s", -1, SECONDS, "call_type_menu_time_negative"),
    case(CallType, {"menu_time_s": 2592001}, "menu_time_s", 2592001, SECONDS, "call_type_menu_time_above"),
    case(CallType, {"tier": ""}, "tier", "", NAME_RULES[NAME_EMPTY], "call_type_tier_empty"),
    case(CallType, {"skill": NAME_LONG}, "skill", NAME_LONG, NAME_RULES[NAME_LONG], "call_type_skill_too_long"),
    plain(
        CallType,
        {"transfers": [{"probability": 0.6, "back_office_days": 1}, {"probability": 0.5, "to_call_type": "spanish"}]},
        "transfers: probabilities add up to 1.1, which is not allowed; use probabilities that add up to 1 or less",
        "call_type_transfers_above_1",
    ),
    plain(
        CallType,
        {"transfers": [{"probability": 0.5, "back_office_days": 1}, {"probability": 0.500001, "back_office_days": 2}]},
        "transfers: probabilities add up to 1.000001, which is not allowed; use probabilities that add up to 1 or less",
        "call_type_transfers_just_above_1",
    ),
    plain(
        CallType,
        {"handle_time": None},
        "handle_time: None is not allowed; use a table with kind, mean_s, cv",
        "call_type_handle_time_none",
    ),
    # arrivals
    case(
        Arrivals, {"calls_per_day": -1}, "calls_per_day", -1, "a number from 0 to 10000000", "arrivals_per_day_negative"
    ),
    case(
        Arrivals,
        {"calls_per_day": 10_000_001},
        "calls_per_day",
        10_000_001,
        "a number from 0 to 10000000",
        "arrivals_per_day_above",
    ),
    case(
        Arrivals,
        {"calls_per_day": DROP, "calls_per_interval": [1, -1]},
        "calls_per_interval[1]",
        -1,
        "a number from 0 to 1000000",
        "arrivals_per_interval_negative",
    ),
    case(
        Arrivals,
        {"calls_per_day": DROP, "calls_per_interval": [1_000_001]},
        "calls_per_interval[0]",
        1_000_001,
        "a number from 0 to 1000000",
        "arrivals_per_interval_above",
    ),
    case(
        Arrivals,
        {"surge_multiplier": 0},
        "surge_multiplier",
        0,
        "a number above 0 and at most 100",
        "arrivals_surge_zero",
    ),
    case(
        Arrivals,
        {"surge_multiplier": 101},
        "surge_multiplier",
        101,
        "a number above 0 and at most 100",
        "arrivals_surge_above",
    ),
    case(
        Arrivals,
        {"site_volume_share": {"East": 1.5}},
        "site_volume_share.East",
        1.5,
        SHARE,
        "arrivals_site_share_above_1",
    ),
    case(Arrivals, {"profile": ""}, "profile", "", NAME_RULES[NAME_EMPTY], "arrivals_profile_empty"),
    plain(
        Arrivals,
        {"site_volume_share": {"East": 0.5, "West": 0.4}},
        "site_volume_share: shares add up to 0.9, which is not allowed; use shares that add up to 1",
        "arrivals_site_shares_sum",
    ),
    plain(
        Arrivals,
        {"calls_per_interval": [1.0, 2.0]},
        "calls_per_interval: [1.0, 2.0] is not allowed together with calls_per_day; use one of them",
        "arrivals_two_sources",
    ),
    plain(
        Arrivals,
        {"calls_per_day": DROP},
        "calls_per_day: missing; give calls_per_day (with a profile) or calls_per_interval",
        "arrivals_no_source",
    ),
    case(
        Arrivals,
        {"calls_per_day": DROP, "calls_per_interval": [1.0], "profile": "flat"},
        "profile",
        "flat",
        "a profile only together with calls_per_day",
        "arrivals_profile_without_calls_per_day",
    ),
    # breaks and shifts
    case(Break, {"length_min": 0}, "length_min", 0, "a number above 0 and at most 240", "break_length_zero"),
    case(Break, {"length_min": 241}, "length_min", 241, "a number above 0 and at most 240", "break_length_above"),
    case(Shift, {"hours": 0}, "hours", 0, "a number above 0 and at most 24", "shift_hours_zero"),
    case(Shift, {"hours": 24.5}, "hours", 24.5, "a number above 0 and at most 24", "shift_hours_above_24"),
    case(Shift, {"headcount": -1}, "headcount", -1, "a whole number from 0 to 5000", "shift_headcount_negative"),
    case(
        Shift,
        {"breaks": [{"start": "15:50", "length_min": 11}]},
        "breaks[0].start",
        "15:50",
        "a break that lies within the shift (08:00 for 8 h)",
        "shift_break_ends_a_minute_late",
    ),
    case(
        Shift,
        {"breaks": [{"start": "07:50", "length_min": 15}]},
        "breaks[0].start",
        "07:50",
        "a break that lies within the shift (08:00 for 8 h)",
        "shift_break_starts_before_the_shift",
    ),
    case(
        Shift,
        {"breaks": [{"start": "10:00", "length_min": 15}, {"start": "16:00", "length_min": 15}]},
        "breaks[1].start",
        "16:00",
        "a break that lies within the shift (08:00 for 8 h)",
        "shift_second_break_after_the_shift",
    ),
    # agent groups
    case(AgentGroup, {"skills": {}}, "skills", {}, "a table with at least 1 entry", "group_skills_empty"),
    case(AgentGroup, {"skills": []}, "skills", {}, "a table with at least 1 entry", "group_skills_empty_list"),
    case(
        AgentGroup, {"skills": {"english": 0}}, "skills.english", 0, "a whole number from 1 to 9", "group_priority_zero"
    ),
    case(
        AgentGroup,
        {"skills": {"english": 10}},
        "skills.english",
        10,
        "a whole number from 1 to 9",
        "group_priority_above_9",
    ),
    case(
        AgentGroup,
        {"skills": ["english", 2]},
        "skills",
        ["english", 2],
        "a list of skill names or a table of skill = priority",
        "group_skills_not_names",
    ),
    case(
        AgentGroup,
        {"shrinkage_share": 0.96},
        "shrinkage_share",
        0.96,
        "a number from 0 to 0.95",
        "group_shrinkage_above",
    ),
    case(
        AgentGroup,
        {"shrinkage_share": -0.01},
        "shrinkage_share",
        -0.01,
        "a number from 0 to 0.95",
        "group_shrinkage_negative",
    ),
    case(AgentGroup, {"headcount": 5001}, "headcount", 5001, "a whole number from 0 to 5000", "group_headcount_above"),
    case(
        AgentGroup,
        {"headcount": DROP, "headcount_per_interval": [3, -1]},
        "headcount_per_interval[1]",
        -1,
        "a whole number from 0 to 5000",
        "group_per_interval_negative",
    ),
    plain(
        AgentGroup,
        {"headcount": DROP},
        "headcount: missing; give one of headcount, headcount_per_interval or shifts",
        "group_no_staffing",
    ),
    plain(
        AgentGroup,
        {"headcount_per_interval": [1, 2]},
        "headcount_per_interval: (1, 2) is not allowed together with headcount; use one of headcount, headcount_per_interval or shifts",
        "group_two_staffing_kinds",
    ),
    # routing, call-backs, targets
    case(
        Routing,
        {"mode": 3},
        "mode",
        3,
        "one of " + ", ".join(map(repr, routing.routing_names())),
        "routing_mode_not_text",
    ),
    case(Routing, {"overflow_after_s": -1}, "overflow_after_s", -1, SECONDS, "routing_overflow_negative"),
    case(
        Callback,
        {"offer_when_wait_exceeds_s": 86401},
        "offer_when_wait_exceeds_s",
        86401,
        "a number from 0 to 86400",
        "callback_offer_above",
    ),
    plain(
        Callback,
        {"offer_when_wait_exceeds_s": None},
        "offer_when_wait_exceeds_s: None is not allowed; use a number from 0 to 86400",
        "callback_offer_none",
    ),
    case(Callback, {"acceptance_share": 1.5}, "acceptance_share", 1.5, SHARE, "callback_acceptance_above_1"),
    case(Targets, {"service_level_share": 80}, "service_level_share", 80, SHARE, "targets_service_level_share"),
    case(Targets, {"answer_within_s": -30}, "answer_within_s", -30, SECONDS, "targets_answer_within"),
    case(Targets, {"abandonment_share_max": 3}, "abandonment_share_max", 3, SHARE, "targets_abandonment"),
    case(Targets, {"asa_s_max": -1}, "asa_s_max", -1, SECONDS, "targets_asa"),
    case(Targets, {"aht_s_max": 2592001}, "aht_s_max", 2592001, SECONDS, "targets_aht"),
    case(Targets, {"occupancy_share": 1.2}, "occupancy_share", 1.2, SHARE, "targets_occupancy"),
    case(
        Targets,
        {"service_level_definition": "within_30"},
        "service_level_definition",
        "within_30",
        "one of 'offered', 'exclude_short_abandons', 'answered', 'answered_or_abandoned_within'",
        "targets_service_level_definition",
    ),
    plain(
        Site,
        {"agnets": 1},
        "agnets: unknown field; allowed fields are name, utc_offset_h, opens, closes",
        "unknown_field",
    ),
    plain(
        Break,
        {"start": None},
        "start: None is not allowed; use a time of day as 'HH:MM' from '00:00' to '24:00'",
        "break_start_none",
    ),
]


@pytest.mark.parametrize("table, changes, message", REFUSED)
def test_each_rule_refuses_with_its_sentence(table, changes, message):
    fields = {k: v for k, v in {**BASE[table], **changes}.items() if v is not DROP}
    with pytest.raises(ScenarioError) as e:
        table(**fields)
    assert str(e.value) == message
    assert message.startswith(e.value.field + ": ")


ACCEPTED = [
    pytest.param(Horizon, {"hours": 24, "interval_min": 1440}, id="horizon_one_day_one_interval"),
    pytest.param(Horizon, {"hours": 0.5, "interval_min": 30}, id="horizon_exactly_one_interval"),
    pytest.param(Horizon, {"hours": 8, "interval_min": 1}, id="horizon_one_minute_intervals"),
    pytest.param(Horizon, {"hours": 8, "clock_site": "x" * 80}, id="name_of_80_characters"),
    pytest.param(Site, {"utc_offset_h": -12}, id="site_utc_offset_low"),
    pytest.param(Site, {"utc_offset_h": 14}, id="site_utc_offset_high"),
    pytest.param(Site, {"opens": "00:00", "closes": "24:00"}, id="site_whole_day"),
    pytest.param(Site, {"opens": "08:00", "closes": "08:01"}, id="site_one_minute"),
    pytest.param(TimeDistribution, {"mean_s": 86400, "cv": 20}, id="distribution_highest"),
    pytest.param(TimeDistribution, {"kind": "exponential", "cv": 1}, id="distribution_exponential_cv_1"),
    pytest.param(TimeDistribution, {"kind": "fixed", "cv": 0}, id="distribution_fixed_cv_0"),
    pytest.param(Transfer, {"probability": 0, "back_office_days": 0}, id="transfer_lowest"),
    pytest.param(Transfer, {"probability": 1, "back_office_days": 365}, id="transfer_highest"),
    pytest.param(CallType, {"volume_share": 0, "menu_time_s": 2592000, "menu_containment": 1}, id="call_type_edges"),
    pytest.param(
        CallType,
        {"transfers": [{"probability": 0.7, "back_office_days": 1}, {"probability": 0.3, "to_call_type": "x"}]},
        id="call_type_transfers_add_up_to_1",
    ),
    pytest.param(
        CallType,
        {"transfers": [{"probability": p, "back_office_days": 1} for p in (0.33, 0.56, 0.11)]},
        id="call_type_transfers_float_sum_just_above_1",
    ),
    pytest.param(Arrivals, {"calls_per_day": 10_000_000, "surge_multiplier": 100}, id="arrivals_highest"),
    pytest.param(
        Arrivals, {"calls_per_day": DROP, "calls_per_interval": [0, 1_000_000]}, id="arrivals_per_interval_edges"
    ),
    pytest.param(Arrivals, {"site_volume_share": {"A": 0.1, "B": 0.2, "C": 0.7}}, id="arrivals_site_shares_float_sum"),
    pytest.param(Break, {"length_min": 240}, id="break_longest"),
    pytest.param(Shift, {"hours": 24, "headcount": 0}, id="shift_whole_day"),
    pytest.param(Shift, {"breaks": [{"start": "15:45", "length_min": 15}]}, id="shift_break_ends_with_the_shift"),
    pytest.param(Shift, {"breaks": [{"start": "08:00", "length_min": 15}]}, id="shift_break_at_the_start"),
    pytest.param(
        Shift,
        {"start": "22:00", "breaks": [{"start": "01:00", "length_min": 30}]},
        id="shift_overnight_break_after_midnight",
    ),
    pytest.param(AgentGroup, {"skills": {"english": 1, "spanish": 9}, "shrinkage_share": 0.95}, id="group_edges"),
    pytest.param(Callback, {"offer_when_wait_exceeds_s": 0, "acceptance_share": 0}, id="callback_lowest"),
    pytest.param(Callback, {"offer_when_wait_exceeds_s": 86400, "acceptance_share": 1}, id="callback_highest"),
    pytest.param(Targets, {"service_level_share": 1, "asa_s_max": 2592000, "occupancy_share": 0}, id="targets_edges"),
]


@pytest.mark.parametrize("table, changes", ACCEPTED)
def test_values_at_the_edge_of_each_rule_are_accepted(table, changes):
    fields = {k: v for k, v in {**BASE[table], **changes}.items() if v is not DROP}
    made = table(**fields)
    for k, v in fields.items():
        if isinstance(v, (int, float)):
            assert getattr(made, k) == v


def test_distributions_compile_to_the_engine_kinds():
    assert TimeDistribution(kind="exponential", mean_s=300).to_distribution() == Exponential(300)
    assert TimeDistribution(kind="fixed", mean_s=60).to_distribution() == Fixed(60)
    assert TimeDistribution(kind="lognormal", mean_s=300).to_distribution() == Lognormal(300, 1.0)
    assert TimeDistribution(kind="lognormal", mean_s=300, cv=0.4).to_distribution() == Lognormal(300, 0.4)


def test_skills_as_a_list_mean_priority_1():
    assert AgentGroup(name="g", skills=["english", "tty"], headcount=1).skills == {"english": 1, "tty": 1}


def test_breaks_come_off_the_working_spans():
    sh = Shift(
        start="22:00",
        hours=8,
        headcount=3,
        breaks=[
            {"start": "01:00", "length_min": 30},
            {"start": "23:00", "length_min": 15},
            {"start": "23:10", "length_min": 10},
        ],
    )
    assert sh.on_intervals_min() == [(0.0, 60.0), (80.0, 180.0), (210.0, 480.0)]


def test_routing_mode_is_any_registered_policy():
    names = routing.routing_names()
    assert {"pooled", "site_first"} <= set(names)
    with pytest.raises(ScenarioError) as e:
        Routing(mode="longest_wait")
    assert str(e.value) == "mode: 'longest_wait' is not allowed; use one of " + ", ".join(map(repr, names))

    @routing.register_routing("longest_wait")
    class LongestWait(routing.PooledRouting):
        """Pooled routing under another name."""

    try:
        assert Routing(mode="longest_wait").mode == "longest_wait"
        d = tomllib.loads(TWO_SITES.read_text())
        d["routing"]["mode"] = "longest_wait"
        assert Scenario.from_dict(d).to_model().routing.mode == "longest_wait"
    finally:
        routing.unregister_routing("longest_wait")
    with pytest.raises(ScenarioError):
        Routing(mode="longest_wait")


def test_service_level_definitions_match_ccsim_service_level():
    from ccsim.analytics.service_level import SLDefinition

    allowed = set(get_args(Targets.model_fields["service_level_definition"].annotation))
    assert allowed == {d.value for d in SLDefinition}
