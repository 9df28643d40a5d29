"""Lab 06: every tile of every panel against numbers computed independently through ccsim's public API, the
controls' bad values, the caller tables, and the quiz."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from lab_checks import Expected, TileCheck, check_panel, classes, classroom_targets, walk

from ccsim.analytics.erlang import erlang_c
from ccsim.analytics.staffing import required_agents
from ccsim.labs.lab06_network import NEVER_S, PERSONA_WORDS, QUEUE_WORDS, WAYS, network_panel
from ccsim.labs.lab06_pooling import pooling_numbers, pooling_panel, small_queue_panel
from ccsim.labs.lab06_questions import routing_questions
from ccsim.labs.lab06_skills import DAYS, QUEUES, skill_rows, skills_model, skills_panel
from ccsim.metrics.groups import caller_kpis_by
from ccsim.metrics.kpis import kpis, summary
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import Routing

TARGETS = classroom_targets(30)


def _need(calls_per_hour: float, aht_s: float) -> int:
    return required_agents(calls_per_hour, 3600, aht_s, answer_within_s=30, target_sl=0.8).agents


# ---------------------------------------------------------------------------------------------- pooling


def test_facts_pooling_numbers_are_recomputed_not_typed():
    n = pooling_numbers(3, 90, 400)
    assert (n["agents_site"], n["agents_separate"], n["agents_pooled"]) == (14, 42, 35)
    assert round(100 * n["sl_separate"], 1) == 87.1 and round(100 * n["sl_pooled_same_agents"], 1) == 99.0
    m = pooling_numbers(3, 200, 180)  # facts.md: AHT 180 s, 100 calls per 30 min a site: 39 vs 34
    assert (m["agents_separate"], m["agents_pooled"]) == (39, 34)


@pytest.mark.parametrize("sites, calls, aht", [(3, 90, 400), (1, 90, 400), (6, 150, 300), (2, 10, 900)])
def test_pooling_panel_tiles(sites, calls, aht):
    panel = pooling_panel().set(sites=sites, calls_per_hour=calls, aht_s=aht)
    site = _need(calls, aht)
    pooled = _need(sites * calls, aht)
    apart = sites * site
    sl_apart = erlang_c(calls, 3600, aht, site, answer_within_s=30).service_level
    sl_pooled = erlang_c(sites * calls, 3600, aht, apart, answer_within_s=30).service_level
    saved = round(100 * (apart - pooled) / apart)
    expected = {
        ("agents", "separate"): TileCheck(apart, None, "Erlang C: each site", note_numbers=(sites, site, apart)),
        ("agents", "pooled"): TileCheck(
            pooled, None, "Erlang C: one queue", note_numbers=(apart - pooled, apart, saved)
        ),
        ("service_level", "separate"): TileCheck(
            sl_apart, TARGETS["service_level"], "Erlang C: each", note_numbers=(site,)
        ),
        ("service_level", "pooled"): TileCheck(
            sl_pooled, TARGETS["service_level"], "Erlang C: one", note_numbers=(apart,)
        ),
    }
    check_panel(panel, Expected(expected))


@pytest.mark.parametrize("calls, aht", [(4, 900), (40, 900), (1, 120), (60, 1200)])
def test_small_queue_panel_tiles(calls, aht):
    panel = small_queue_panel().set(calls_per_hour=calls, aht_s=aht)
    load = calls * aht / 3600
    apart = _need(calls, aht)
    big = _need(270, 400)
    shared = _need(270 + calls, (270 * 400 + calls * aht) / (270 + calls))
    occ = TARGETS["occupancy"]
    expected = {
        ("agents", "apart"): TileCheck(apart, None, "Erlang C: the small", note_numbers=(load,)),
        ("agents", "with_big_pool"): TileCheck(shared - big, None, "Erlang C: shared", note_numbers=(big, 270)),
        ("occupancy", "apart"): TileCheck(load / apart, occ, "Erlang C: the small"),
        ("occupancy", "with_big_pool"): TileCheck((270 * 400 / 3600 + load) / shared, occ, "Erlang C: shared"),
    }
    check_panel(panel, Expected(expected))


def test_a_bad_value_is_one_sentence_and_changes_nothing():
    panel = pooling_panel()
    before = dict(panel.results["pooled"])
    panel.set(sites=0)
    assert panel.message.kind == "error" and "sites" in panel.message.text and "\n" not in panel.message.text
    assert panel.results["pooled"] == before
    skills = skills_panel()
    skills.set(mode="nearest")
    assert skills.message.kind == "error" and "mode" in skills.message.text


# ---------------------------------------------------------------------------------------------- the network's day


@pytest.fixture(scope="module")
def day():
    return load_preset("member_services_month").to_model(days=1)


def _run(day, mode: str, overflow: float):
    return simulate(dataclasses.replace(day, routing=Routing(mode, overflow_after_s=overflow)), 6)


def _network_expected(runs) -> Expected:
    tiles = {}
    for way, r in runs.items():
        s = summary(r)
        words = f"Simulated day: {WAYS[way].lower()}"
        within = round(s["service_level"] * s["calls"])
        tiles[("service_level", way)] = TileCheck(
            s["service_level"], TARGETS["service_level"], words, note_numbers=(within, s["calls"], 30)
        )
        tiles[("abandonment_rate", way)] = TileCheck(
            s["abandonment_rate"], TARGETS["abandonment_rate"], words, note_numbers=(s["abandoned"],)
        )
        tiles[("asa_s", way)] = TileCheck(s["asa_s"], TARGETS["asa_s"], words)
    return Expected(tiles)


def _area(panel, css: str):
    (found,) = [w for w in walk(panel.widget) if css in classes(w)]
    return found


def _cells(html_table: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html_table)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)] for row in rows]


def test_network_panel_three_ways_tiles_and_tables(day):
    panel = network_panel()
    runs = {
        "separate": _run(day, "site_first", NEVER_S),
        "sharing": _run(day, "site_first", 20),
        "pooled": _run(day, "pooled", 0),
    }
    check_panel(panel, _network_expected(runs))
    queues, members = (_area(panel, css).value for css in ("ccsim-routing-queues", "ccsim-routing-members"))
    for table, column, words in ((queues, "call_type", QUEUE_WORDS), (members, "persona", PERSONA_WORDS)):
        cells = _cells(table)
        assert cells[0] == ["Queue" if column == "call_type" else "Members", *WAYS.values()]
        for row in cells[1:]:
            key = next(k for k, v in words.items() if v == row[0])
            for way, cell in zip(WAYS, row[1:], strict=True):
                by = kpis(runs[way], by="call_type") if column == "call_type" else None
                contacts = runs[way].contacts
                mine = contacts[contacts[column] == key]
                offered = mine[mine["outcome"] != "self_service"]
                answered = offered["outcome"].isin(["answered", "callback"])
                within = int((answered & (offered["wait_s"] <= 30)).sum())
                hung = int((offered["outcome"] == "abandoned").sum())
                assert (
                    cell
                    == f"{within:,} of {len(offered):,} in time ({round(100 * within / len(offered))}%); {hung:,} hung up"
                ), (key, way)
                if by is not None:
                    assert np.isclose(by.loc[key, "service_level"], within / len(offered))
    # small queues suffer most when kept apart; the big English queue barely notices
    apart = caller_kpis_by(runs["separate"], "call_type")["service_level"]
    assert apart[["tty", "cantonese", "mandarin"]].max() < 0.5 < 0.95 < apart["general_english"]


def test_network_panel_delay_needs_run_then_matches_a_fresh_simulation(day):
    panel = network_panel()
    panel.set(overflow_s=300)
    assert panel.message.kind == "warning" and "Press Run" in panel.message.text
    assert panel.tile("service_level", "sharing").value is None
    assert "press Run" in _area(panel, "ccsim-routing-queues").value
    panel.run()
    runs = {
        "separate": _run(day, "site_first", NEVER_S),
        "sharing": _run(day, "site_first", 300),
        "pooled": _run(day, "pooled", 0),
    }
    check_panel(panel, _network_expected(runs))


# ---------------------------------------------------------------------------------------------- the skill matrix


def _skills_expected(args) -> Expected:
    model = skills_model(*args)
    tables = [kpis(simulate(model, seed), by="call_type") for seed in range(1, DAYS + 1)]
    tiles = {}
    words = {**QUEUES, "all": "All callers"}
    for q in [*QUEUES, "all"]:
        rows = [t if q == "all" else t.loc[[q]] for t in tables]
        calls = sum(int(r["calls"].sum()) for r in rows)
        within = sum(float((r["service_level"] * r["calls"]).sum()) for r in rows)
        hung = sum(int(r["abandoned"].sum()) for r in rows)
        src = f"Simulated: {words[q]}"
        tiles[("service_level", q)] = TileCheck(
            within / calls, TARGETS["service_level"], src, note_numbers=(within, calls, 30, DAYS)
        )
        tiles[("abandonment_rate", q)] = TileCheck(hung / calls, TARGETS["abandonment_rate"], src, note_numbers=(hung,))
    return Expected(tiles)


@pytest.mark.parametrize(
    "args",
    [
        (0, "chinese", False, False, "pooled"),
        (2, "chinese", False, False, "pooled"),
        (2, "same", False, False, "specialists_first"),
        (0, "chinese", True, True, "pooled"),
    ],
)
def test_skills_panel_tiles(args):
    keys = ("cross_trained", "cross_first", "chain", "small_take_english", "mode")
    panel = skills_panel().set(**dict(zip(keys, args, strict=True)))
    check_panel(panel, _skills_expected(args))
    matrix = _cells(_area(panel, "ccsim-skill-matrix-area").value)
    assert matrix[0] == ["Group (reps)", *QUEUES.values()]
    assert sum(int(re.search(r"\((\d+)\)", r[0]).group(1)) for r in matrix[1:]) == 42  # the same people
    for (name, n, skills), row in zip(skill_rows(*args[:4]), matrix[1:], strict=True):
        assert row[0] == f"{name} ({n})"
        assert row[1:] == [{1: "1st", 2: "2nd", 3: "3rd"}.get(skills.get(q, 0), "—") for q in QUEUES]


def test_a_few_cross_trained_reps_buy_most_of_the_benefit():
    sl = {}
    for k in (0, 2, 8):
        sl[k] = _skills_expected((k, "chinese", False, False, "pooled")).tiles[("service_level", "cantonese")].value
    assert sl[0] < 0.8 < sl[2] < sl[8]
    assert sl[2] - sl[0] > 2 * (sl[8] - sl[2])


def test_specialists_first_keeps_cross_trained_reps_for_the_small_queues():
    pooled = _skills_expected((2, "same", False, False, "pooled")).tiles[("service_level", "cantonese")].value
    special = (
        _skills_expected((2, "same", False, False, "specialists_first")).tiles[("service_level", "cantonese")].value
    )
    assert special > pooled + 0.03


# ---------------------------------------------------------------------------------------------- quiz


def test_quiz_answers_are_computed_and_right(day):
    qs = routing_questions()
    assert len(qs) == 4
    pool = qs[0]
    assert pool.options[pool.answer].startswith(
        f"{_need(240, 300)} agents in one pooled queue instead of {4 * _need(60, 300)}"
    )
    members = qs[2]
    apart = caller_kpis_by(_run(day, "site_first", NEVER_S), "persona")["service_level"]
    assert members.options[members.answer] == PERSONA_WORDS[str(apart.idxmin())]
    for q in qs:
        assert len(set(q.options)) == len(q.options)
