"""Lab 02's building blocks: bad values get one sentence, members are drawn reproducibly, the journey's words,
and the figures without their optional parts."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ccsim.errors import CcsimInputError
from ccsim.labs import lab02_members as members
from ccsim.labs.lab02_callers_shoes import day_results, month_panel
from ccsim.views.plots import journey as jplots


@pytest.fixture(scope="module")
def day():
    return members.network_run(1)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: members.persona_skills("martian"), "persona: 'martian' is not allowed"),
        (lambda: members.network_run(0), "days"),
        (lambda: members.network_run(1, ("tty",), 5.0), "staff_share"),
        (lambda: day_results(1, by="colour"), "by: 'colour'"),
    ],
)
def test_bad_values_get_one_sentence(call, words):
    with pytest.raises(CcsimInputError, match=words) as info:
        call()
    assert "\n" not in str(info.value)


def test_member_lookups_say_what_is_allowed(day):
    table = members.issue_table(day)
    with pytest.raises(CcsimInputError, match="whose"):
        members.pick_member(table, "senior", whose="loudest")
    with pytest.raises(CcsimInputError, match="a kind of member who called"):
        members.pick_member(table, "martian")
    with pytest.raises(CcsimInputError, match="a kind of member who called"):
        members.persona_slice(day, "martian")
    with pytest.raises(CcsimInputError, match="an issue of this run"):
        members.journey(day, -1)
    with pytest.raises(CcsimInputError, match="member journeys"):
        members.issues_of(replace(day, issues=None))


def test_draws_are_reproducible_and_cover_everyone(day):
    table = members.issue_table(day)
    tty = table[table["persona"] == "tty_user"]
    n = len(tty)
    first_round = [members.pick_member(table, "tty_user", k) for k in range(n)]
    assert sorted(first_round) == sorted(tty["issue_id"].tolist())  # every member once per round
    assert members.pick_member(table, "tty_user", 3) == first_round[3]
    assert members.pick_member(table, "tty_user", n) in set(first_round)


def test_staffing_scales_only_the_personas_queues():
    base = members.callers_scenario()
    half = members.staffed_scenario(1, ("tty",), 0.5)
    for a, b in zip(base.agent_groups, half.agent_groups, strict=True):
        if a.name == "pacific_tty":
            assert list(b.headcount_per_interval) == [round(h * 0.5) for h in a.headcount_per_interval]
        else:
            assert b.headcount_per_interval == a.headcount_per_interval
    assert members.staffed_scenario(1, ("tty",), 1.0).agent_groups == base.agent_groups
    assert members._primary_skill(["claims"]) == "claims"


def test_only_a_few_runs_are_kept(monkeypatch):
    monkeypatch.setattr(members, "_RUNS", OrderedDict())  # leave the other tests' runs alone
    keys = [members.run_key(1, ("tty",), share) for share in (0.5, 0.6, 0.7, 0.8)]
    for share in (0.5, 0.6, 0.7, 0.8):
        members.network_run(1, ("tty",), share)
    assert len(members._RUNS) == members.KEEP_RUNS and keys[0] not in members._RUNS and keys[-1] in members._RUNS


@pytest.mark.parametrize(
    "outcome, gap, words",
    [
        ("resolved", None, "settled"),
        ("back_office", 600.0, "back office took it; settled 2.0 hours later; called again 10 min later"),
        ("abandoned", 3 * 86_400.0, "hung up; called again 3.0 days later"),
        ("chased", None, "asked about the back office"),
        ("unresolved", 7_200.0, "not settled; called again 2.0 hours later"),
    ],
)
def test_what_happened_after_a_call_in_words(outcome, gap, words):
    assert members._after(outcome, gap, resolved_s=7_300.0, end_s=100.0) == words


def test_people_counts_and_call_figures_of_nobody():
    empty = members.issue_table(members.network_run(1)).iloc[:0]
    assert members.people_counts(empty) == dict.fromkeys(members.people_counts(empty), 0)
    figures = members.call_figures(members.network_run(1).contacts.iloc[:0])
    assert figures["calls"] == 0 and np.isnan(figures["service_level"]) and np.isnan(figures["asa_s"])


def test_timeline_without_waits_hangups_or_title_draws_only_the_bars():
    segments = pd.DataFrame(
        {"row": [0, 0], "kind": ["menu", "talking"], "start_min": [0.0, 0.5], "end_min": [0.5, 3.0]}
    )
    fig = jplots.member_timeline(segments, ["Call 1"], [""])
    assert len(fig.axes) == 1 and {line.get_gid() for line in fig.axes[0].lines} == {"menu", "talking"}
    assert fig.axes[0].get_gid() == "member_minutes_per_issue"


def test_month_panel_waits_for_run_when_not_built_with_it():
    panel = month_panel(run=False)
    if members.has_run(30):  # another test simulated the month already: the panel shows it at once
        assert panel.tile("service_level", "simulation").value is not None
    else:
        assert "press Run" in panel.tile("service_level", "simulation").text and panel.worst_day.value == ""


def test_queue_and_month_figures_without_titles():
    table = pd.DataFrame({"mean_wait_s": [1.0, 40.0], "max_wait_s": [20.0, 400.0]}, index=["A", "B"])
    assert jplots.queue_waits(table).axes[0].get_title() == ""
    days = pd.DataFrame({"day": [1, 2], "service_level": [0.9, 0.7]})
    fig = jplots.month_days(days, target=0.8, month_value=0.8)
    assert fig.axes[0].get_title() == "" and {line.get_gid() for line in fig.axes[0].lines} >= {"day-met", "day-missed"}
