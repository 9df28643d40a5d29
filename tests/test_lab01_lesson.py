"""Lab 01's guide, handout and notebook text: the timing table adds up, and every number they quote beyond
tests/test_lessons.py is recomputed here with ccsim (people counts, predictions, definitions, the period)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from test_lab00_lesson import check_timing, flat

from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import classroom_case, guarantees
from ccsim.labs.lab01_people import day_counts, prediction_questions
from ccsim.labs.queue import compute_queue, simulate_queue

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "lessons" / "01_queues_and_service_level.md"
HANDOUT = REPO / "lessons" / "01_queues_and_service_level_handout.md"
NOTEBOOK = REPO / "notebooks" / "01_queues_and_service_level.ipynb"


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def ea(**params) -> dict[str, float]:
    return compute_queue(params)["erlang_a"]


@pytest.fixture(scope="module")
def guide() -> str:
    return flat(LESSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notebook() -> str:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return flat(" ".join(c.source for c in nb.cells if c.cell_type == "markdown"))


@pytest.fixture(scope="module")
def spread():
    return simulate_queue({"days": 20}, seed=1)["simulation_runs"]["service_level"]


def test_timing_table_adds_up():
    check_timing(LESSON.read_text(encoding="utf-8"))


def test_the_workload_in_erlangs(guide, notebook):
    c = classroom_case()
    assert f"{c.calls_per_hour:g} calls an hour × {c.aht_s:g} s = {c.load_erlangs:g} Erlangs" in guide
    assert f"{c.calls_per_hour:g} calls an hour × {c.aht_s:g} seconds each is {c.load_erlangs:g} Erlangs" in notebook


def test_people_counts_are_ccsims(guide):
    for params, sentence in (
        ({}, "50 agents: of {callers:,} callers, {hung_up} hung up and {waited_long} waited more than a minute"),
        ({"agents": 45}, "45 agents: of {callers:,} callers, {hung_up} hung up and {waited_long} waited more than"),
        ({"agents": 49}, "49 agents: {hung_up} hung up, {waited_long} waited more than a minute"),
        ({"patience_s": 600}, "Patience 600 s: {hung_up} hung up, {waited_long} waited more than a minute"),
    ):
        assert sentence.format(**day_counts(params)) in guide, sentence


def test_primer_and_numbers_are_ccsims(guide, spread):
    now, away, one, patient = ea(), ea(agents=45), ea(agents=49), ea(patience_s=600)
    assert (
        f"50 agents answer {pct(now['service_level'])} within 30 s, 45 agents only {pct(away['service_level'])}"
        in guide
    )
    assert f"(49 agents: {pct(one['service_level'])})" in guide
    ab = f"{100 * now['abandonment_rate']:.1f}% → {100 * patient['abandonment_rate']:.1f}%"
    assert f"abandonment {ab} when patience doubles" in guide
    assert f"service level {pct(now['service_level'])} → {pct(patient['service_level'])}" in guide
    assert (
        f"Erlang A service level {pct(patient['service_level'])}, abandonment {100 * patient['abandonment_rate']:.1f}%, "
        f"ASA {patient['asa_s']:.0f} s" in guide
    )
    assert f"range from {pct(spread.min())} to {pct(spread.max())}" in guide
    missed = int((spread < guarantees()["service_level"].value).sum())
    assert f"the guarantee; {missed} of the 20 days do not" in guide
    assert f"average {pct(spread.mean())}: met" in guide and spread.mean() >= 0.8
    assert (
        f"(Erlang C) assumes nobody hangs up ({pct(compute_queue({})['erlang_c']['service_level'])}"
        in guide.replace("Erlang C assumes", "(Erlang C) assumes")
    )


def test_fewest_agents_for_all_four_targets(guide):
    c, g = classroom_case(), guarantees()
    need = required_agents(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        answer_within_s=c.answer_within_s,
        target_sl=g["service_level"].value,
        max_asa_s=g["asa_s"].value,
        max_abandon=g["abandonment_rate"].value,
        max_occupancy=g["occupancy"].value,
        patience_s=c.patience_s,
    )
    assert f"all four** targets: {need.agents} by Erlang A" in guide
    assert need.binding == ("max_occupancy",) and "busy occupancy is the binding target" in guide


def test_service_level_definitions_at_the_case(guide):
    sl = {d: pct(ea(sl_definition=d)["service_level"]) for d in ("offered", "exclude_short_abandons", "answered")}
    sl["both"] = pct(ea(sl_definition="answered_or_abandoned_within")["service_level"])
    assert (
        f"over offered {sl['offered']}; excluding short abandons {sl['exclude_short_abandons']}; over answered only "
        f"{sl['answered']}; counting abandons within 30 s as met {sl['both']}" in guide
    )


def test_prediction_key_quotes_the_questions_numbers(guide):
    key = guide.split("## Prediction key", 1)[1].split(" ## ", 1)[0]
    shown = set()
    for q in prediction_questions():
        shown |= set(re.findall(r"\d+(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation])))
    quoted = set(re.findall(r"\d+(?:\.\d+)?", key.split("classroom case):", 1)[1]))
    assert quoted <= shown, quoted - shown


def test_handout_quotes_ccsims_numbers(spread):
    text = flat(HANDOUT.read_text(encoding="utf-8"))
    now, away, one, patient = ea(), ea(agents=45), ea(agents=49), ea(patience_s=600)
    assert f"service level {pct(now['service_level'])} → {pct(away['service_level'])}" in text
    assert f"{pct(now['service_level'])} (met) → {pct(one['service_level'])} (missed)" in text
    assert f"({100 * now['abandonment_rate']:.1f}% → {100 * patient['abandonment_rate']:.1f}%)" in text
    assert f"service level falls, {pct(now['service_level'])} → {pct(patient['service_level'])}" in text
    assert f"{pct(spread.min())} to {pct(spread.max())}; the period averages {pct(spread.mean())} (met)" in text
    assert f"while {int((spread < 0.8).sum())} days missed" in text
    assert f"{classroom_case().load_erlangs:g} Erlangs" in text
    assert "a target, not a guarantee" in text and "not a guarantee" in text.split("In-seat occupancy", 1)[1][:200]


def test_notebook_quotes_ccsims_numbers(notebook, spread):
    now, away = ea(), ea(agents=45)
    assert f"busy about {pct(now['occupancy'])} of the time" in notebook
    assert f"falls from about {pct(now['service_level'])} to about {pct(away['service_level'])}" in notebook
    assert "50 agents meet 80% in 30 seconds, 49 do not" in notebook
    assert ea(agents=49)["service_level"] < 0.8 <= now["service_level"]
    n = day_counts({})
    assert f"of {n['callers']:,} callers, {n['hung_up']} hung up" in notebook
    assert f"{int((spread < 0.8).sum())} of 20 days miss; with 54 no day missed" in notebook
    more = simulate_queue({"days": 20, "agents": 54}, seed=1)["simulation_runs"]["service_level"]
    assert int((more < 0.8).sum()) == 0


@pytest.mark.parametrize("path", [LESSON, HANDOUT, NOTEBOOK], ids=lambda p: p.name)
def test_occupancy_is_never_called_a_guarantee(path):
    text = flat(path.read_text(encoding="utf-8")).lower()
    assert "not a guarantee" in text
    for wrong in (
        "occupancy: 85%.",
        "occupancy 85%;",
        "guarantee's 85%",
        "guaranteed occupancy",
        "occupancy guarantee",
    ):
        assert wrong not in text, wrong
