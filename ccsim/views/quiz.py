"""Check-yourself quizzes: multiple-choice questions with immediate feedback, answers computed by ccsim.

A :class:`Question` holds a prompt, options, the index of the right one and an explanation. Lab
question sets (e.g. :func:`queue_questions` for lab 01) build their prompts, options and answers
from ccsim's formulas and simulation, so no number in a quiz is typed in by hand.

    >>> q = Question("2 + 2?", ("3", "4"), answer=1, explanation="Two and two make four.")
    >>> quiz = Quiz([q])
    >>> quiz.answer(0, 1), quiz.correct
    (True, [True])
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.staffing import required_agents
from ccsim.errors import CcsimInputError

__all__ = ["Question", "Quiz", "queue_questions", "start_here_questions"]

_RIGHT, _WRONG = "#0072B2", "#D55E00"


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

    def _repr_mimebundle_(self, **kwargs):
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


# ----------------------------------------------------------------------------------------------
# lab 01


def _shuffled(q: Question, rng: np.random.Generator) -> Question:
    """``q`` with its options in a random order drawn from ``rng`` (the answer index follows)."""
    order = rng.permutation(len(q.options))
    return replace(q, options=tuple(q.options[i] for i in order), answer=int(np.flatnonzero(order == q.answer)[0]))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _agent_options(right: int, *near: int, count: int = 4) -> list[int]:
    """``right`` plus distinct distractors of at least 1 agent: ``near`` first, then counts above ``right``."""
    options = {right}
    for k in (*near, *range(right + 1, right + 4 * count)):
        if len(options) == count:
            break
        if k >= 1:
            options.add(int(k))
    return sorted(options)


def queue_questions(case=None, *, runs: pd.DataFrame | None = None, days: int = 20, seed: int = 1) -> list[Question]:
    """Lab 01's questions for ``case`` (default the classroom case), every number computed by ccsim.

    ``runs``: the per-day results of the day-spread panel (one row per simulated day with a
    ``service_level`` column); simulated here with ``days`` and ``seed`` when not given.
    """
    from ccsim.views.widgets import CLASSROOM, GUARANTEES, simulate_queue

    case = case or CLASSROOM
    calls, iv, aht, pat, t = case.calls_per_interval, case.interval_s, case.aht_s, case.patience_s, case.answer_within_s
    n = case.agents
    target = GUARANTEES["service_level"].value
    c = erlang_c(calls, iv, aht, n, t)
    a = erlang_a(calls, iv, aht, n, pat, t)
    setting = (
        f"{n} agents, {case.calls_per_hour:g} calls an hour, {aht:g} s handle time, "
        f"callers hang up after {pat:g} s on average"
    )

    q1 = Question(
        f"With the classroom settings ({setting}), what service level (answered within {t:g} s) does each "
        f"formula give?",
        (
            f"Erlang C {_pct(c.service_level)}, Erlang A {_pct(a.service_level)}",
            f"Erlang C {_pct(a.service_level)}, Erlang A {_pct(c.service_level)}",
            f"Both give about {_pct((a.service_level + c.service_level) / 2)}",
        ),
        answer=0,
        explanation=(
            f"Erlang C assumes nobody hangs up, so every caller stays in the queue and waits: "
            f"{_pct(c.service_level)} and an ASA of {c.asa_s:.0f} s. Erlang A lets callers hang up "
            f"({_pct(a.abandonment_rate)} do), which shortens the queue for everyone else: {_pct(a.service_level)} "
            f"and an ASA of {a.asa_s:.0f} s."
        ),
        hint="Not quite. Which formula lets callers hang up, and what does that do to the people still waiting?",
    )

    need_a = required_agents(calls, iv, aht, answer_within_s=t, target_sl=target, patience_s=pat).agents
    need_c = required_agents(calls, iv, aht, answer_within_s=t, target_sl=target).agents
    options2 = _agent_options(need_a, need_c, need_a - 3, need_a + 5)
    q2 = Question(
        f"For the same calls, what is the fewest agents that reach {_pct(target)} answered within {t:g} s, "
        f"by Erlang A?",
        tuple(f"{k} agents" for k in options2),
        answer=options2.index(need_a),
        explanation=(
            f"Erlang A needs {need_a} agents. Erlang C would ask for {need_c}, because it assumes nobody ever hangs up."
        ),
        hint="Not quite. Move the agents slider until the Erlang A service-level tile says 'met'.",
    )

    step = 3
    lo, mid_lo = max(1, need_a - 2 * step), max(1, need_a - step)
    sl = {k: erlang_a(calls, iv, aht, k, pat, t).service_level for k in (lo, mid_lo, need_a + step, need_a + 2 * step)}
    gain_low = sl[mid_lo] - sl[lo]
    gain_high = sl[need_a + 2 * step] - sl[need_a + step]
    options3 = (
        f"Going from {lo} to {mid_lo} agents",
        f"Going from {need_a + step} to {need_a + 2 * step} agents",
        "Both raise it by the same amount",
    )
    answer3 = 0 if gain_low > gain_high + 0.005 else (1 if gain_high > gain_low + 0.005 else 2)
    q3 = Question(
        f"Which {step} extra agents raise the service level more (Erlang A)?",
        options3,
        answer=answer3,
        explanation=(
            f"From {lo} to {mid_lo} agents service level rises by {100 * gain_low:.0f} points; from "
            f"{need_a + step} to {need_a + 2 * step} only by {100 * gain_high:.0f}. The curve climbs "
            f"steeply while agents are scarce, then flattens near 100%."
        ),
        hint="Not quite. Look at the service-level curve: where is it steep, where is it flat?",
    )

    if runs is None:
        runs = simulate_queue({"days": days}, case=case, seed=seed)["simulation_runs"]
    sls = runs["service_level"].to_numpy(dtype=float)
    missed = int((sls < target).sum())
    q4 = Question(
        f"{len(sls)} simulated days with exactly the same staffing ({n} agents) and the same forecast had service "
        f"levels from {_pct(sls.min())} to {_pct(sls.max())}. Why do the days differ?",
        (
            "Calls arrive at random and handle times vary, so some days bring more bursts of calls than others",
            "The simulation made a mistake on the bad days",
            "The agents worked more slowly on the bad days",
        ),
        answer=0,
        explanation=(
            f"Same plan, different luck: {missed} of the {len(sls)} days missed {_pct(target)}. Averages "
            f"hide this spread, so judge a staffing plan over many days, not one."
        ),
        hint="Not quite. In the simulation every agent works the same way every day. What changes from day to day?",
    )

    fewer = max(1, n - 5)
    occ_fewer = erlang_a(calls, iv, aht, fewer, pat, t).occupancy
    sl_fewer = erlang_a(calls, iv, aht, fewer, pat, t).service_level
    if occ_fewer > a.occupancy + 1e-9:
        answer5 = 0
    elif occ_fewer < a.occupancy - 1e-9:
        answer5 = 1
    else:
        answer5 = 2
    q5 = Question(
        f"Take {n - fewer} agents away (from {n} to {fewer}). Service level falls. What happens to occupancy, "
        f"the share of time agents are busy?",
        ("It rises: the same calls are shared by fewer agents", "It falls", "It stays the same"),
        answer=answer5,
        explanation=(
            f"Erlang A: service level {_pct(a.service_level)} → {_pct(sl_fewer)}, occupancy "
            f"{_pct(a.occupancy)} → {_pct(occ_fewer)}. Busier agents and longer waits go together; "
            f"occupancy near 100% also means no breathing room between calls."
        ),
        hint="Not quite. Fewer agents take the same calls. Are they busier or less busy?",
    )
    rng = np.random.default_rng(seed)  # shuffled so the right answer is not always first
    return [_shuffled(q1, rng), q2, q3, _shuffled(q4, rng), _shuffled(q5, rng)]


# ----------------------------------------------------------------------------------------------
# lab 00


def start_here_questions(case=None, *, seed: int = 1) -> list[Question]:
    """Lab 00's questions: using the labs, and one number from the try-it widget (computed by Erlang A)."""
    from ccsim.views.widgets import CLASSROOM, GUARANTEES

    case = case or CLASSROOM
    target = GUARANTEES["service_level"].value
    t = case.answer_within_s
    need = required_agents(
        case.calls_per_interval,
        case.interval_s,
        case.aht_s,
        answer_within_s=t,
        target_sl=target,
        patience_s=case.patience_s,
    ).agents
    below = erlang_a(case.calls_per_interval, case.interval_s, case.aht_s, max(1, need - 1), case.patience_s, t)
    at = erlang_a(case.calls_per_interval, case.interval_s, case.aht_s, need, case.patience_s, t)
    options = _agent_options(need, need - 4, need - 1, need + 3)
    rng = np.random.default_rng(seed)
    questions = [
        Question(
            "The lab looks odd after you changed things (a widget is blank, numbers don't move). What is the "
            "safest way to start over?",
            (
                "Start it afresh: in JupyterLab, Kernel menu → Restart Kernel and Run All Cells; in the workshop "
                "view (no menus), reload the page",
                "Type new numbers into the code cells",
                "Keep clicking the widget until it responds",
            ),
            answer=0,
            explanation="Restarting the kernel forgets everything that ran; running all cells again rebuilds the "
            "lab from the top, exactly as it was designed. The workshop view has no menus: reloading "
            "the page does both for you.",
            hint="Not quite. You never need to edit code in these labs. Which option starts everything afresh?",
        ),
        Question(
            f"In the try-it widget, what is the fewest agents for which the service-level tile says 'met' "
            f"({_pct(target)} answered within {t:g} s)?",
            tuple(f"{k} agents" for k in options),
            answer=options.index(need),
            explanation=(
                f"With {need - 1} agents Erlang A gives {_pct(below.service_level)}; with {need} it gives "
                f"{_pct(at.service_level)}, which meets the target."
                if need > 1
                else f"A single agent already gives {_pct(at.service_level)}, which meets the target."
            ),
            hint="Not quite. Move the slider one step at a time and watch the words under the number.",
        ),
        Question(
            f"A tile says 'Service level {_pct(below.service_level)} — target {_pct(target)} in {t:g} s — missed'. "
            f"What does 'in {t:g} s' mean?",
            (
                f"The share of calls answered within {t:g} seconds of joining the queue",
                f"Calls last {t:g} seconds on average",
                f"The tile is updated every {t:g} seconds",
            ),
            answer=0,
            explanation=f"Service level counts the calls answered within {t:g} seconds, out of all calls offered "
            f"(other definitions exist; lab 01 shows them).",
            hint="Not quite. Service level is about how fast callers reach a person.",
        ),
    ]
    return [_shuffled(questions[0], rng), questions[1], _shuffled(questions[2], rng)]
