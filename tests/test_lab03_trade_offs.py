"""Lab 03 (ccsim.labs.lab03_*): every tile of every panel shows ccsim's numbers, computed here independently
through ccsim's public API (tests/lab_checks.py); the tables and sentences too; the questions' answers are ccsim's."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from lab_checks import Expected, TileCheck, assert_numbers, check_panel, classroom_targets, shown_numbers

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import classroom_case
from ccsim.labs.lab03_definitions import fcr_table, occupancy_panel, service_level_table
from ccsim.labs.lab03_questions import trade_off_questions
from ccsim.labs.lab03_rushing import journey_line, journeys_panel, rushing_panel
from ccsim.labs.lab03_scorecard import adherence_panel, game_panel, people_panel
from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.metrics.scorecard import Target
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate

AHT = Target("aht_s", "Average handle time", 400.0, "at most", "s")
FCR = Target("fcr", "First-contact resolution", 0.85, "at least", "%")
IN_SEAT = Target("occupancy", "Occupancy", 0.85, "at least", "%")
SL = classroom_targets(30.0)["service_level"]
ASA = classroom_targets(30.0)["asa_s"]
ABANDON = classroom_targets(30.0)["abandonment_rate"]


# ---------------------------------------------------------------- 1 rushing backfires (arithmetic and Erlang)


def rushing_expected(cut: float, fcr: float, longer: float) -> Expected:
    first = 400.0 * (1 - cut)
    contacts = 300.0 / fcr
    work = 300.0 * first + (contacts - 300.0) * first * (1 + longer)
    aht = work / contacts
    c = required_agents(contacts, 1800, aht, answer_within_s=30, target_sl=0.8).agents
    a = required_agents(contacts, 1800, aht, answer_within_s=30, target_sl=0.8, patience_s=300).agents
    load = work / 1800
    words = "Arithmetic"
    return Expected(
        {
            ("aht_s", "formula"): TileCheck(aht, AHT, words, note_numbers=(first, 100 * longer)),
            ("fcr", "formula"): TileCheck(fcr, FCR, words),
            ("contacts_per_issue", "formula"): TileCheck(1 / fcr, None, words),
            ("calls", "formula"): TileCheck(contacts, None, words, note_numbers=(300, contacts - 300, 30)),
            ("agents", "erlang_c"): TileCheck(c, None, "Erlang C", note_numbers=(load,)),
            ("agents", "erlang_a"): TileCheck(a, None, "Erlang A", note_numbers=(load,)),
            ("scheduled_agents", "erlang_c"): TileCheck(
                math.ceil(c / 0.59 - 1e-9), None, "Erlang C", note_numbers=(41,)
            ),
        }
    )


@pytest.fixture(scope="module")
def rush():
    return rushing_panel()


@pytest.mark.parametrize("cut, fcr, longer", [(0, 85, 30), (10, 75, 30), (20, 65, 30), (10, 85, 0), (30, 50, 100)])
def test_rushing_panel_shows_ccsims_numbers(rush, cut, fcr, longer):
    rush.set(aht_cut_pct=cut, fcr_pct=fcr, repeat_longer_pct=longer)
    check_panel(rush, rushing_expected(cut / 100, fcr / 100, longer / 100))


def test_rushing_the_facts_numbers(rush):
    """facts.md: 82 → 86 Erlangs, 90 → 94 agents; the AHT tile turns green while FCR misses."""
    rush.reset()
    assert round(rush.results["numbers"]["load_erlangs"]) == 82 and rush.results["erlang_c"]["agents"] == 90
    assert rush.tile("aht_s", "formula").met is False
    rush.set(aht_cut_pct=10, fcr_pct=75)
    assert round(rush.results["numbers"]["load_erlangs"]) == 86 and rush.results["erlang_c"]["agents"] == 94
    assert rush.tile("aht_s", "formula").met is True and rush.tile("fcr", "formula").met is False
    rush.reset()


def test_rushing_panel_bad_value_is_one_sentence(rush):
    rush.set(fcr_pct=0)
    assert rush.message.kind == "error" and "fcr_pct" in rush.message.text and "Traceback" not in rush.message.text
    rush.reset()


# ---------------------------------------------------------------- 1b the same on member journeys


def _line(aht_s: float, resolution: float) -> dict[str, float]:
    result = simulate(journey_line(aht_s, resolution).to_model(), seed=1)
    out = dict(summary(result))
    out.update(journey_kpis(result))
    return out


def _line_checks(r: dict[str, float], source: str, words: str) -> dict:
    targets = {"service_level": SL, "aht_s": AHT, "fcr": FCR}
    work = r["answered"] * r["aht_s"] / 3600
    notes = {
        "calls": (r["issues"], work),
        "fcr": (100 * r["fcr_agent_reported"],),
        "repeat_contact_rate": (r["contacts_per_issue"],),
    }
    return {
        (k, source): TileCheck(float(r[k]), targets.get(k), words, note_numbers=notes.get(k, ()))
        for k in (
            "aht_s",
            "fcr",
            "calls",
            "repeat_contact_rate",
            "occupancy",
            "service_level",
            "member_minutes_per_issue",
        )
    }


@pytest.fixture(scope="module")
def journeys():
    return journeys_panel()


def test_journeys_panel_shows_ccsims_simulation(journeys):
    base, rushed = _line(400.0, 0.86), _line(360.0, 0.75)
    tiles = {
        **_line_checks(base, "baseline", "Simulation: baseline"),
        **_line_checks(rushed, "simulation", "Simulation: your"),
    }
    check_panel(journeys, Expected(tiles))
    # the aha, on member journeys: shorter calls, yet more calls and more hours of work
    assert rushed["aht_s"] < base["aht_s"] and rushed["calls"] > base["calls"]
    assert rushed["answered"] * rushed["aht_s"] > base["answered"] * base["aht_s"]


def test_journeys_panel_waits_for_run_after_a_move(journeys):
    journeys.set(aht_cut_pct=0)
    assert journeys.tile("calls", "simulation").value is None
    assert "press Run" in journeys.tile("calls", "simulation").text
    journeys.reset()
    journeys.run()
    assert journeys.tile("calls", "simulation").value is not None


# ---------------------------------------------------------------- 2 definitions


def test_service_level_table_shows_the_four_definitions_of_one_day():
    from ccsim.labs.cases import case_params
    from ccsim.labs.queue import queue_model

    c = classroom_case()
    day = simulate(queue_model(case_params({"agents": 47}, c), c), seed=1)
    table = service_level_table()
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table.value)
    shown = [cells[i] for i in range(1, len(cells), 4)]
    t = day.contacts
    within = t["wait_s"] <= 30
    aw = int((t["outcome"].isin(["answered", "callback"]) & within).sum())
    abw = int(((t["outcome"] == "abandoned") & within).sum())
    s = summary(day)
    counts = {
        "offered": (aw, s["calls"]),
        "exclude_short_abandons": (aw, s["calls"] - abw),
        "answered": (aw, s["answered"]),
        "answered_or_abandoned_within": (aw + abw, s["calls"]),
    }
    for cell, d in zip(shown, SLDefinition, strict=True):
        sl = summary(day, sl_definition=d.value)["service_level"]
        num, den = counts[d.value]
        assert math.isclose(num / den, sl)  # the people behind the percentage are the ones ccsim counts
        assert_numbers(cell, (100 * sl, num, den), d.value)
    assert "ccsim-sl-four-ways" in table._dom_classes


def test_fcr_table_shows_both_fcrs():
    j = journey_kpis(simulate(load_preset("one_and_done_before").to_model(days=45), seed=1))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", fcr_table().value)
    assert_numbers(cells[1], (100 * j["fcr_agent_reported"],), "agent-reported")
    assert_numbers(cells[5], (100 * j["fcr"],), "30-day")
    assert j["fcr"] > j["fcr_agent_reported"]


@pytest.mark.parametrize("agents, off", [(50, 60), (45, 90), (60, 0), (50, 180)])
def test_occupancy_panel_shows_busy_and_in_seat(agents, off):
    c = classroom_case()
    p = occupancy_panel().set(agents=agents, off_phone_min=off)
    m = erlang_a(c.calls_per_interval, 1800, c.aht_s, agents, c.patience_s, 30)
    busy = m.occupancy
    seat = (480 - off) / 480
    check_panel(
        p,
        Expected(
            {
                ("service_level", "erlang_a"): TileCheck(m.service_level, SL, "Erlang A"),
                ("occupancy", "erlang_a"): TileCheck(busy, None, "Busy", note_numbers=(100 * busy * seat,)),
                ("occupancy", "in_seat"): TileCheck(seat, IN_SEAT, "In seat", note_numbers=(480 - off, 480)),
            }
        ),
    )


# ---------------------------------------------------------------- 3 game the scorecard


@pytest.mark.parametrize(
    "patience, definition, quick",
    [
        (300, "offered", 0),
        (120, "offered", 0),
        (120, "answered", 0),
        (300, "exclude_short_abandons", 15),
        (600, "offered", 40),
    ],
)
def test_game_panel_shows_ccsims_numbers(patience, definition, quick):
    c = classroom_case()
    p = game_panel().set(patience_s=patience, sl_definition=definition, quick_transfer_pct=quick)
    q = quick / 100
    contacts, aht = c.calls_per_interval * (1 + q), (400 + 120 * q) / (1 + q)
    m = erlang_a(contacts, 1800, aht, 50, patience, 30, definition)
    day = contacts * 16
    minutes = ((1 + q) * m.mean_wait_all_s + 400 + 120 * q) / 60
    check_panel(
        p,
        Expected(
            {
                ("service_level", "scorecard"): TileCheck(m.service_level, SL, "Scorecard"),
                ("asa_s", "scorecard"): TileCheck(m.asa_s, ASA, "Scorecard"),
                ("aht_s", "scorecard"): TileCheck(aht, AHT, "Scorecard"),
                ("abandoned", "members"): TileCheck(day * m.abandonment_rate, None, "Members", note_numbers=(day,)),
                ("contacts_per_issue", "members"): TileCheck(1 + q, None, "Members"),
                ("member_minutes_per_issue", "members"): TileCheck(minutes, None, "Members"),
            }
        ),
    )


def test_gaming_flatters_the_scorecard_and_members_pay():
    p = game_panel()
    before = dict(p.results["scorecard"]), dict(p.results["members"])
    p.set(patience_s=120)
    assert p.results["scorecard"]["service_level"] > before[0]["service_level"]
    assert p.results["members"]["abandoned"] > before[1]["abandoned"]
    p.reset().set(quick_transfer_pct=15)
    assert p.results["scorecard"]["aht_s"] < before[0]["aht_s"]
    assert p.results["members"]["member_minutes_per_issue"] > before[1]["member_minutes_per_issue"]


# ---------------------------------------------------------------- 4 the people side


def _people(agents: int, base: float, extra: float, leaver: float, agent: float) -> dict[str, float]:
    c = classroom_case()
    occ = erlang_a(c.calls_per_interval, 1800, c.aht_s, agents, c.patience_s, 30).occupancy
    team, base_team = math.ceil(agents / 0.59 - 1e-9), math.ceil(50 / 0.59 - 1e-9)
    leavers = team * min(100.0, base + extra * max(0.0, 100 * occ - 85)) / 100
    return {"occupancy": occ, "team": team, "leavers": leavers, "turnover": leavers * leaver,
            "staffing": (team - base_team) * agent}  # fmt: skip


@pytest.mark.parametrize(
    "agents, base, extra, leaver, agent",
    [(50, 25, 2, 15000, 50000), (46, 10, 5, 20000, 30000), (60, 0, 0, 10000, 90000)],
)
def test_people_panel_shows_the_illustrative_model(agents, base, extra, leaver, agent):
    c = classroom_case()
    p = people_panel().set(agents=agents, base_attrition_pct=base, extra_per_point_pct=extra, cost_per_leaver=leaver,
                           agent_cost=agent)  # fmt: skip
    n = _people(agents, base, extra, leaver, agent)
    sl = erlang_a(c.calls_per_interval, 1800, c.aht_s, agents, c.patience_s, 30).service_level
    check_panel(
        p,
        Expected(
            {
                ("occupancy", "erlang_a"): TileCheck(n["occupancy"], None, "Busy"),
                ("service_level", "erlang_a"): TileCheck(sl, SL, "Erlang A"),
                ("scheduled_agents", "model"): TileCheck(n["team"], None, "Illustrative", note_numbers=(n["leavers"],)),
            }
        ),
    )
    table = next(w for w in p.widget.children if "ccsim-people-table" in w._dom_classes).value
    assert "Illustrative model, not a forecast" in table
    rows = re.findall(r"<tr style='[^']*'>(.*?)</tr>", table)
    assert len(rows) == 8
    for row, a in zip(rows, range(46, 61, 2), strict=True):
        m = _people(a, base, extra, leaver, agent)
        c = classroom_case()
        sl_a = erlang_a(c.calls_per_interval, 1800, c.aht_s, a, c.patience_s, 30).service_level
        want = (
            a,
            100 * sl_a,
            100 * m["occupancy"],
            m["leavers"],
            abs(m["turnover"]),
            abs(m["staffing"]),
            abs(m["turnover"] + m["staffing"]),
        )
        assert_numbers(re.sub(r"<[^>]+>", " ", row).replace("−", ""), want, f"row {a}")


# ---------------------------------------------------------------- 5 adherence


@pytest.mark.parametrize("off", [0, 1, 3])
def test_adherence_panel_shows_ccsims_numbers(off):
    c = classroom_case()
    p = adherence_panel().set(off=off)
    calls = c.calls_per_hour / 4
    full = erlang_a(calls, 900, 400, 50, 300, 30)
    less = erlang_a(calls, 900, 400, 50 - off, 300, 30)
    targets = {"service_level": SL, "asa_s": ASA, "abandonment_rate": ABANDON}
    tiles = {}
    for k, t in targets.items():
        tiles[(k, "erlang_a")] = TileCheck(getattr(full, k), t, "Everyone in")
        tiles[(k, "adherence")] = TileCheck(getattr(less, k), t, "With agents off")
    check_panel(p, Expected(tiles))
    words = next(w for w in p.widget.children if "ccsim-adherence-words" in w._dom_classes).value

    def late(m):
        return calls * (1 - m.p_answered_within - m.p_abandoned_within)

    want = (calls, late(less), 30, late(full), calls * less.abandonment_rate, calls * full.abandonment_rate)
    assert_numbers(re.sub(r"<[^>]+>", " ", words), (want[0], 15, *want[1:]), "adherence words")


# ---------------------------------------------------------------- questions


def test_questions_are_answered_by_ccsim():
    qs = trade_off_questions()
    assert len(qs) == 4
    rush_q = qs[0]
    new_c = required_agents(
        300 / 0.65, 1800, 320 * (1 + 1.3 * (1 / 0.65 - 1)) * 0.65, answer_within_s=30, target_sl=0.8
    )
    assert f"More agents: {new_c.agents}" in rush_q.options[rush_q.answer]
    adherence_q = qs[3]
    assert "more callers" in adherence_q.options[adherence_q.answer]
    occupancy_q = qs[2]
    assert occupancy_q.options[occupancy_q.answer].startswith("94%")


def test_question_options_are_shuffled_from_the_seed():
    a, b = trade_off_questions(3), trade_off_questions(4)
    assert [q.options for q in a] == [q.options for q in trade_off_questions(3)]
    assert [q.answer for q in a] != [q.answer for q in b] or [q.options for q in a] != [q.options for q in b]
    assert len({q.answer for q in a}) > 1, "the right answer is not always in the same place"
    assert all(shown_numbers(q.prompt) for q in a)
    assert np.all([0 <= q.answer < len(q.options) for q in a])
