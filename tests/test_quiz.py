"""Quiz machinery (ccsim.views.quiz): immediate feedback in words, shuffled options, number options.
The labs' question sets are tested with their labs (tests/test_lab00_start_here.py, tests/test_lab01_queues.py)."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.errors import CcsimInputError
from ccsim.views.quiz import Question, Quiz, number_options


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
    assert quiz.score == (0, 1)
    assert quiz.answer(0, 1) is True
    assert "Right" in fb.value and "b it is." in fb.value
    assert "ccsim-correct" in fb._dom_classes and "ccsim-incorrect" not in fb._dom_classes
    assert quiz.score == (1, 1)
    assert "ccsim-quiz" in quiz.widget._dom_classes
    assert all("ccsim-quiz-choice" in c._dom_classes for c in quiz.choices)
    quiz.reset()
    assert quiz.correct == [None] and fb.value == "" and quiz.score == (0, 1)


def test_shuffled_keeps_the_right_answer_right():
    q = Question("Which is b?", ("a", "b", "c", "d"), answer=1, explanation="")
    orders = set()
    for seed in range(8):
        s = q.shuffled(np.random.default_rng(seed))
        assert sorted(s.options) == sorted(q.options) and s.options[s.answer] == "b"
        orders.add(s.options)
    assert len(orders) > 1  # the order really changes with the seed
    again = q.shuffled(np.random.default_rng(3))
    assert again == q.shuffled(np.random.default_rng(3))


@pytest.mark.parametrize(
    "right, near, expected",
    [
        (52, (55, 49, 57), [49, 52, 55, 57]),
        (52, (52, 53), [52, 53, 54, 55]),  # a repeated or missing distractor is filled from above
        (2, (-2, 1, 5), [1, 2, 3, 5]),  # never below 1
    ],
)
def test_number_options(right, near, expected):
    assert number_options(right, *near) == expected
