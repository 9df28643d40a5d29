"""Lab 01's first layer (ccsim.labs.lab01_people) and its analyst panel: the people panel's tiles and its
sentence in people, the predictions' answers, the days judged as a period and as members' days, and the
analyst panel's tiles and curve, each against an independent computation (tests/lab_checks.py)."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from lab_checks import (
    Expected,
    Queue,
    TileCheck,
    check_panel,
    classroom_targets,
    queue_expected,
)

from ccsim.labs.cases import classroom_case
from ccsim.labs.lab01_people import people_panel, period_words, prediction_questions
from ccsim.labs.lab01_queues import ANALYST_CURVE_KPIS, analyst_panel, day_spread_panel
from ccsim.scenario import load_preset
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")


def counted(q: Queue, seed: int = 1) -> dict[str, int]:
    """One simulated day of ``q``, counted independently: callers, hung up, waited more than a minute."""
    model = CenterModel.single_queue(
        q.calls,
        q.agents,
        Exponential(q.aht_s),
        Exponential(q.patience_s),
        interval_s=q.interval_s,
        intervals=round(q.hours * 3600 / q.interval_s),
        answer_within_s=q.answer_within_s,
    )
    c = simulate(model, seed=seed).contacts
    return {"callers": len(c), "hung_up": int((c.outcome == "abandoned").sum()), "long": int((c.wait_s > 60).sum())}


def people_expected(panel, case) -> Expected:
    q = Queue.of(case, panel.params)
    targets = classroom_targets(q.answer_within_s)
    m = q.erlang_a()
    return Expected({(k, "erlang_a"): TileCheck(float(getattr(m, k)), targets[k], "Formula (Erlang A)") for k in KPIS})


def people_sentence(panel) -> str:
    html = next(w.value for w in panel.widget.children if "ccsim-people" in w._dom_classes)
    return re.sub(r"<[^>]*>", "", html)


@pytest.fixture(scope="module")
def people():
    return people_panel()


@pytest.mark.parametrize(
    "settings", [{}, {"agents": 45}, {"agents": 49}, {"patience_s": 600}, {"agents": 58, "patience_s": 120}]
)
def test_people_panel_shows_ccsims_numbers_and_counts_people(people, settings):
    case = classroom_case()
    people.reset()
    people.set(**settings)
    check_panel(people, people_expected(people, case))
    want = counted(Queue.of(case, people.params))
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", people_sentence(people))]
    assert numbers == [people.params["agents"], want["callers"], want["hung_up"], want["long"]]
    people.reset()


def test_the_default_day_is_the_classroom_presets_day():
    """'Of 3,492 callers today, 178 hung up and 266 waited more than a minute': ``ccsim run classroom``'s day."""
    c = simulate(load_preset("classroom").to_model(), seed=1).contacts
    text = people_sentence(people_panel())
    assert f"of {len(c):,} callers, {int((c.outcome == 'abandoned').sum()):,} hung up" in text
    assert f"{int((c.wait_s > 60).sum()):,} waited more than a minute" in text


def test_people_panel_has_two_controls_and_names_busy_occupancy(people):
    assert list(people.controls) == ["agents", "patience_s"]
    tile = people.tile("occupancy", "erlang_a")
    assert tile.label == "Busy occupancy" and "not a guarantee" in tile.text


# ---------------------------------------------------------------- predictions


@pytest.fixture(scope="module")
def predictions():
    return prediction_questions()


def test_predictions_answers_are_ccsims(predictions):
    case = classroom_case()
    q = Queue.of(case, {})
    target = classroom_targets(case.answer_within_s)["service_level"]
    away, one = q.erlang_a(case.agents - 5), q.erlang_a(case.agents - 1)
    a = predictions[0]
    assert a.options[a.answer] == f"About {100 * away.service_level:.0f}%"
    assert f"5 of the {case.agents} agents" in a.prompt
    b = predictions[1]
    assert target.met(q.erlang_a().service_level) and not target.met(one.service_level)  # the tile flips
    assert b.options[b.answer] == f"It says 'missed': {100 * one.service_level:.0f}%"
    patient = Queue.of(case, {"patience_s": 2 * case.patience_s}).erlang_a()
    assert (
        patient.service_level < q.erlang_a().service_level and patient.abandonment_rate < q.erlang_a().abandonment_rate
    )
    c = predictions[2]
    assert c.options[c.answer] == (
        f"It falls: {100 * q.erlang_a().service_level:.0f}% → {100 * patient.service_level:.0f}%"
    )


def test_predictions_are_shuffled_from_the_seed_and_distinct(predictions):
    assert [q.options for q in prediction_questions()] == [q.options for q in predictions]
    assert len({tuple(q.options for q in prediction_questions(seed=s)) for s in range(6)}) > 1
    for q in predictions:
        assert len(set(q.options)) == len(q.options) >= 3 and q.prompt and q.explanation and q.hint


# ---------------------------------------------------------------- the days as a period and as members' days


def test_period_words_judge_the_average_and_count_the_bad_days():
    runs = pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79], "calls": [3400, 3600, 3300, 3500]})
    text = period_words(runs, 0.8, 30)
    assert "the 4 days average 82% answered within 30 s, target 80%: met" in text
    assert "2 of the 4 days missed 80%" in text
    assert f"worst day (75%) about {0.25 * 3600:,.0f} of 3,600 callers" in text
    bad = period_words(runs.assign(service_level=[0.7, 0.75, 0.9, 0.79]), 0.8, 30)
    assert ": missed." in bad


def test_day_spread_panel_says_the_period_and_the_members_days():
    case = classroom_case()
    panel = day_spread_panel(days=6)
    words = next(w.value for w in panel.widget.children if "ccsim-period" in w._dom_classes)
    runs = Queue.of(case, panel.params).simulate(6, 1).runs
    sl = runs["service_level"].to_numpy()
    assert f"the 6 days average {100 * sl.mean():.0f}%" in words
    assert f"{int((sl < 0.8).sum())} of the 6 days missed 80%" in words
    worst = int(np.argmin(sl))
    assert f"{runs['calls'].iloc[worst] * (1 - sl[worst]):,.0f} of {runs['calls'].iloc[worst]:,.0f} callers" in words


# ---------------------------------------------------------------- the analyst panel


@pytest.fixture(scope="module")
def analyst():
    return analyst_panel()


def analyst_expected(panel, case) -> Expected:
    e = queue_expected(panel, case)
    return replace(e, lines=[line for line in e.lines if line.axis in ANALYST_CURVE_KPIS])


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"agents": 53, "days": 3},
        {"calls_per_hour": 380.0, "aht_s": 420.0},
        {"patience_s": 900, "sl_definition": "answered"},
    ],
)
def test_analyst_panel_shows_ccsims_numbers(analyst, settings):
    analyst.reset()
    analyst.set(**settings)
    check_panel(analyst, analyst_expected(analyst, classroom_case()))
    analyst.reset()


def test_analyst_panel_has_every_control(analyst):
    assert list(analyst.controls) == [
        "agents", "calls_per_hour", "aht_s", "patience_s", "answer_within_s", "sl_definition", "days",
    ]  # fmt: skip
