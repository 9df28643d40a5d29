"""Lab 01 (ccsim.labs.lab01_queues): the case card, the static staffing curve and the day-spread panel show
ccsim's numbers (tests/lab_checks.py); the questions' answers are ccsim's. The queue panel itself is tested
in tests/test_lab_queue.py."""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as widgets
import pandas as pd
import pytest
from lab_checks import (
    Queue,
    assert_numbers,
    check_figure,
    check_panel,
    classroom_targets,
    day_spread_expected,
    queue_expected,
    staffing_curve_lines,
    walk,
)

from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import QueueCase, classroom_case
from ccsim.labs.lab01_queues import case_card, day_spread_panel, queue_panel, queue_questions, staffing_curve_figure


@pytest.fixture(scope="module")
def case():
    return classroom_case()


@pytest.fixture(scope="module")
def spread():
    return day_spread_panel(days=6)


# ---------------------------------------------------------------- the case card and the static staffing curve


@pytest.mark.parametrize("definition", [d.value for d in SLDefinition])
def test_case_card_names_the_cases_service_level_definition(definition):
    card = case_card(replace(classroom_case(), sl_definition=definition, answer_within_s=20))
    label = SLDefinition(definition).label.replace("T", "20 s")
    assert html.escape(label) in card.value
    if definition != "offered":
        assert "over all calls offered" not in card.value


def test_case_card_shows_the_case_in_words(case):
    card = case_card()
    assert "ccsim-case" in card._dom_classes
    assert f"{case.calls_per_hour:g} an hour" in card.value
    assert f"about {case.calls_per_hour * case.hours:,.0f} over the {case.hours:g}-hour day" in card.value
    assert f"{case.load_erlangs:g} Erlangs" in card.value
    assert f"{case.load_erlangs / case.agents:.0%}" in card.value


@pytest.mark.parametrize(
    "make_case",
    [lambda c: c, lambda c: replace(c, answer_within_s=20.0, patience_s=120.0), lambda c: replace(c, agents=60)],
    ids=["classroom", "T 20, patience 120", "60 agents"],
)
def test_staffing_curve_figure_draws_ccsims_numbers(case, make_case):
    c = make_case(case)
    area = staffing_curve_figure(c)
    check_figure(area.figure, staffing_curve_lines(c))
    assert area.png.startswith(b"\x89PNG")
    agents = sorted(
        {int(x) for line in area.figure.axes[0].lines if line.get_gid() == "erlang_a" for x in line.get_xdata()}
    )
    q = Queue.of(c, {})
    first, last = q.erlang_a(agents[0]).service_level, q.erlang_a(agents[-1]).service_level
    assert_numbers(
        area.alt, (c.calls_per_hour, agents[0], 100 * first, c.answer_within_s, agents[-1], 100 * last), "alt"
    )


def test_staffing_curve_figure_over_chosen_agents_is_a_static_picture(case):
    area = staffing_curve_figure(agents=range(44, 57))
    image = next(x for x in walk(area.widget) if isinstance(x, widgets.Image))
    assert bytes(image.value).startswith(b"\x89PNG")
    assert "44 agents" in area.alt and "56 agents" in area.alt
    check_figure(area.figure, staffing_curve_lines(case))


# ---------------------------------------------------------------- the day-spread panel


def test_day_spread_panel_shows_ccsims_days_once_built(spread, case):
    check_panel(spread, day_spread_expected(spread, case))


@pytest.mark.parametrize("settings", [{"agents": 55}, {"agents": 48, "days": 9}, {"days": 1}])
def test_day_spread_panel_shows_ccsims_days_after_run(spread, case, settings):
    spread.reset()
    spread.set(**settings)
    assert spread.figure_area.png == b"" and "Run" in spread.tiles[0].text  # waits for Run
    spread.run()
    check_panel(spread, day_spread_expected(spread, case))
    spread.reset()


def test_day_spread_panel_with_more_controls(case):
    panel = day_spread_panel(days=3, controls=("agents", "days", "calls_per_hour", "patience_s"))
    panel.set(calls_per_hour=380.0, patience_s=600)
    panel.run()
    check_panel(panel, day_spread_expected(panel, case))


def test_queue_panel_is_the_shared_one(case):
    panel = queue_panel(controls=("agents",), sources=("erlang_a", "erlang_c"))
    check_panel(panel, queue_expected(panel, case, sources=("erlang_a", "erlang_c")))


# ---------------------------------------------------------------- questions


@pytest.fixture(scope="module")
def questions():
    return queue_questions(runs=pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79]}))


def test_answers_agree_with_ccsim(questions, case):
    q = Queue.of(case, {})
    ec, ea = q.erlang_c(), q.erlang_a()
    right = questions[0].options[questions[0].answer]
    assert right == f"Erlang C {100 * ec.service_level:.0f}%, Erlang A {100 * ea.service_level:.0f}%"
    target = classroom_targets(case.answer_within_s)["service_level"].threshold
    args = (case.calls_per_interval, case.interval_s, case.aht_s)
    need_a = required_agents(*args, answer_within_s=case.answer_within_s, target_sl=target, patience_s=case.patience_s)
    need_c = required_agents(*args, answer_within_s=case.answer_within_s, target_sl=target)
    q2 = questions[1]
    assert q2.options[q2.answer] == f"{need_a.agents} agents" and str(need_c.agents) in q2.explanation
    assert q2.options == tuple(sorted(q2.options, key=lambda s: int(s.split()[0])))
    lo, mid = need_a.agents - 6, need_a.agents - 3
    gain_low = q.erlang_a(mid).service_level - q.erlang_a(lo).service_level
    gain_high = q.erlang_a(need_a.agents + 6).service_level - q.erlang_a(need_a.agents + 3).service_level
    assert gain_low > gain_high and questions[2].options[questions[2].answer] == f"Going from {lo} to {mid} agents"
    assert "from 75% to 90%" in questions[3].prompt and "2 of the 4 days" in questions[3].explanation
    assert questions[4].options[questions[4].answer].startswith("It rises")


def test_questions_follow_the_case():
    calm = QueueCase(agents=30, calls_per_hour=200, aht_s=300, patience_s=600)
    qs = queue_questions(calm, runs=pd.DataFrame({"service_level": [0.9, 0.95]}))
    need = required_agents(
        calm.calls_per_interval, calm.interval_s, calm.aht_s, answer_within_s=30, target_sl=0.8, patience_s=600
    ).agents
    assert qs[1].options[qs[1].answer] == f"{need} agents"
    assert "30 agents" in qs[0].prompt


def test_every_question_has_distinct_options(questions):
    for q in questions:
        assert len(set(q.options)) == len(q.options) >= 3
        assert q.prompt and q.explanation and q.hint


def test_options_are_shuffled_from_the_seed_and_the_answer_follows(questions):
    runs = pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79]})
    assert [q.options for q in queue_questions(runs=runs)] == [q.options for q in questions]
    orders = {tuple(q.options for q in queue_questions(runs=runs, seed=s)) for s in range(6)}
    assert len(orders) > 1
    for s in range(6):
        q5 = queue_questions(runs=runs, seed=s)[4]
        assert q5.options[q5.answer].startswith("It rises")


def test_questions_simulate_the_days_when_not_given(case):
    qs = queue_questions(days=3, seed=4)
    runs = Queue.of(case, {}).simulate(3, 4).runs["service_level"]
    assert f"from {100 * runs.min():.0f}% to {100 * runs.max():.0f}%" in qs[3].prompt
