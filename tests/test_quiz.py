"""Quizzes: immediate feedback in words; lab 01's answers agree with ccsim."""

from __future__ import annotations

import pandas as pd
import pytest

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.staffing import required_agents
from ccsim.errors import CcsimInputError
from ccsim.views.quiz import Question, Quiz, queue_questions
from ccsim.views.widgets import CLASSROOM, QueueCase


def test_docstring_example():
    q = Question("2 + 2?", ("3", "4"), answer=1, explanation="Two and two make four.")
    quiz = Quiz([q])
    assert (quiz.answer(0, 1), quiz.correct) == (True, [True])


def test_answer_index_must_exist():
    with pytest.raises(CcsimInputError, match="answer"):
        Question("?", ("a", "b"), answer=2, explanation="")


def test_feedback_is_immediate_and_in_words():
    quiz = Quiz([Question("Pick b", ("a", "b"), answer=1, explanation="b it is.", hint="Try again.")])
    fb = quiz.feedback[0]
    assert quiz.correct == [None] and fb.value == ""
    assert quiz.answer(0, 0) is False
    assert "Try again." in fb.value and "b it is." not in fb.value  # the answer stays hidden
    assert "ccsim-incorrect" in fb._dom_classes
    assert quiz.answer(0, 1) is True
    assert "Right" in fb.value and "b it is." in fb.value
    assert "ccsim-correct" in fb._dom_classes and "ccsim-incorrect" not in fb._dom_classes
    assert quiz.score == (1, 1)
    assert "ccsim-quiz" in quiz.widget._dom_classes
    assert all("ccsim-quiz-choice" in c._dom_classes for c in quiz.choices)


@pytest.fixture(scope="module")
def questions():
    runs = pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79]})
    return queue_questions(runs=runs)


def test_lab01_answers_agree_with_ccsim(questions):
    c = CLASSROOM
    ec = erlang_c(c.calls_per_interval, c.interval_s, c.aht_s, c.agents, c.answer_within_s)
    ea = erlang_a(c.calls_per_interval, c.interval_s, c.aht_s, c.agents, c.patience_s, c.answer_within_s)
    q1 = questions[0]
    right = q1.options[q1.answer]
    assert f"Erlang C {100 * ec.service_level:.0f}%" in right and f"Erlang A {100 * ea.service_level:.0f}%" in right
    q2 = questions[1]
    need = required_agents(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        answer_within_s=c.answer_within_s,
        target_sl=0.8,
        patience_s=c.patience_s,
    ).agents
    assert q2.options[q2.answer] == f"{need} agents"
    assert q2.options == tuple(sorted(q2.options, key=lambda s: int(s.split()[0])))
    assert "from 75% to 90%" in questions[3].prompt and "2 of the 4 days" in questions[3].explanation
    assert questions[4].options[questions[4].answer].startswith("It rises")


def test_lab01_questions_follow_the_case():
    calm = QueueCase(agents=30, calls_per_hour=200, aht_s=300, patience_s=600)
    qs = queue_questions(calm, runs=pd.DataFrame({"service_level": [0.9, 0.95]}))
    need = required_agents(
        calm.calls_per_interval, calm.interval_s, calm.aht_s, answer_within_s=30, target_sl=0.8, patience_s=600
    ).agents
    assert qs[1].options[qs[1].answer] == f"{need} agents"
    assert "30 agents" in qs[0].prompt


def test_every_question_has_distinct_options(questions):
    for q in questions:
        assert len(set(q.options)) == len(q.options) >= 2
        assert q.prompt and q.explanation and q.hint


def test_documented_examples():
    import doctest

    import ccsim.views.quiz

    assert doctest.testmod(ccsim.views.quiz).failed == 0


def test_options_are_shuffled_from_the_seed_and_the_answer_follows(questions):
    runs = pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79]})
    again = queue_questions(runs=runs)
    assert [q.options for q in again] == [q.options for q in questions]
    orders = {tuple(q.options for q in queue_questions(runs=runs, seed=s)) for s in range(6)}
    assert len(orders) > 1
    for s in range(6):
        q5 = queue_questions(runs=runs, seed=s)[4]
        assert q5.options[q5.answer].startswith("It rises")


def test_start_here_answers_agree_with_ccsim():
    from ccsim.views.quiz import start_here_questions

    qs = start_here_questions()
    c = CLASSROOM
    need = required_agents(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        answer_within_s=c.answer_within_s,
        target_sl=0.8,
        patience_s=c.patience_s,
    ).agents
    assert qs[1].options[qs[1].answer] == f"{need} agents"
    right = qs[0].options[qs[0].answer]
    assert "Restart Kernel" in right and "reload the page" in right  # JupyterLab's menu and the workshop view
    assert "reload" in qs[0].explanation
    assert "within" in qs[2].options[qs[2].answer]


@pytest.mark.parametrize("calls_per_hour", [2.0, 20.0])
def test_agent_count_options_are_at_least_one_for_tiny_cases(calls_per_hour):
    from dataclasses import replace

    from ccsim.views.quiz import start_here_questions

    tiny = replace(CLASSROOM, agents=2, calls_per_hour=calls_per_hour)
    runs = pd.DataFrame({"service_level": [0.7, 0.9, 0.85]})
    for q in (queue_questions(tiny, runs=runs)[1], start_here_questions(tiny)[1]):
        counts = [int(o.split()[0]) for o in q.options]
        assert min(counts) >= 1 and len(set(counts)) == len(counts) == 4, q.options
