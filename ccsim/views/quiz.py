"""Check-yourself quizzes: multiple-choice questions with immediate feedback, answers computed by ccsim.

A :class:`Question` holds a prompt, options, the index of the right one and an explanation. The labs'
question sets (in :mod:`ccsim.labs`) build their prompts, options and answers from ccsim's formulas and
simulation, so no number in a quiz is typed in by hand.

    >>> q = Question("2 + 2?", ("3", "4"), answer=1, explanation="Two and two make four.")
    >>> quiz = Quiz([q])
    >>> quiz.answer(0, 1), quiz.correct
    (True, [True])
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import ipywidgets as widgets
import numpy as np

from ccsim.errors import CcsimInputError
from ccsim.views.style import MET, MISSED

__all__ = ["Question", "Quiz", "number_options"]

_RIGHT, _WRONG = MET["color"], MISSED["color"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` is the index of the right option."""

    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    """Why the right answer is right (shown once the learner picks it)."""
    hint: str = "Not quite. Look at the tiles and the figure again, then try another answer."
    """Shown after a wrong choice (the right answer stays hidden so the learner can try again)."""

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.options):
            raise CcsimInputError("answer", self.answer, f"an option index from 0 to {len(self.options) - 1}")

    def shuffled(self, rng: np.random.Generator) -> Question:
        """This question with its options in a random order drawn from ``rng`` (the answer index follows)."""
        order = rng.permutation(len(self.options))
        return replace(
            self, options=tuple(self.options[i] for i in order), answer=int(np.flatnonzero(order == self.answer)[0])
        )


class Quiz:
    """Questions with radio buttons; picking an option shows right/wrong in words and colour at once.

    CSS classes: ``ccsim-quiz`` (the whole quiz), ``ccsim-quiz-question``, ``ccsim-quiz-choice``,
    ``ccsim-quiz-feedback`` (plus ``ccsim-correct`` / ``ccsim-incorrect`` after a choice).
    """

    def __init__(self, questions: Sequence[Question], title: str = "Check yourself"):
        self.questions = list(questions)
        self.correct: list[bool | None] = [None] * len(self.questions)
        """Per question: True (right), False (wrong), None (not answered yet)."""
        self.choices: list[widgets.RadioButtons] = []
        self.feedback: list[widgets.HTML] = []
        boxes = [widgets.HTML(f"<h4 style='margin:4px 0'>{html.escape(title)}</h4>")] if title else []
        for i, q in enumerate(self.questions):
            prompt = widgets.HTML(f"<div style='font-size:1.05em'><b>{i + 1}.</b> {html.escape(q.prompt)}</div>")
            prompt.add_class("ccsim-quiz-question")
            choice = widgets.RadioButtons(
                options=[(text, k) for k, text in enumerate(q.options)], value=None, layout=widgets.Layout(width="auto")
            )
            choice.add_class("ccsim-quiz-choice")
            fb = widgets.HTML()
            fb.add_class("ccsim-quiz-feedback")
            choice.observe(lambda change, i=i: self._feedback(i, change["new"]), names="value")
            self.choices.append(choice)
            self.feedback.append(fb)
            boxes.append(widgets.VBox([prompt, choice, fb], layout=widgets.Layout(margin="0 0 10px 0")))
        self.widget = widgets.VBox(boxes)
        self.widget.add_class("ccsim-quiz")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _feedback(self, i: int, picked: int | None) -> None:
        q, fb = self.questions[i], self.feedback[i]
        for cls in ("ccsim-correct", "ccsim-incorrect"):
            if cls in fb._dom_classes:
                fb.remove_class(cls)
        if picked is None:
            self.correct[i] = None
            fb.value = ""
            return
        right = picked == q.answer
        self.correct[i] = right
        fb.add_class("ccsim-correct" if right else "ccsim-incorrect")
        color = _RIGHT if right else _WRONG
        text = f"✓ Right. {q.explanation}" if right else f"✗ {q.hint}"
        fb.value = f"<div style='border-left:6px solid {color};padding:4px 10px;color:#111'>{html.escape(text)}</div>"

    def answer(self, question: int, option: int) -> bool:
        """Pick ``option`` for ``question`` (as a learner would); True when it is right."""
        self.choices[question].value = option
        return bool(self.correct[question])

    def reset(self) -> None:
        """Clear every choice and its feedback."""
        for choice in self.choices:
            choice.value = None

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, questions)."""
        return sum(c is True for c in self.correct), len(self.questions)


def number_options(right: int, *near: int, count: int = 4, low: int = 1) -> list[int]:
    """``right`` plus distinct distractors of at least ``low``: ``near`` first, then whole numbers above ``right``; sorted.

    >>> number_options(52, 55, 49, 57)
    [49, 52, 55, 57]
    """
    options = {right}
    for k in (*near, *range(right + 1, right + 4 * count)):
        if len(options) == count:
            break
        if k >= low:
            options.add(int(k))
    return sorted(options)
