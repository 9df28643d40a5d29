"""Lab 00, start here: a tiny try-it panel (one slider, four Erlang A tiles) and the lab's questions.

The four tiles are the ones the queue formula can compute: service level, average speed of answer and
abandonment (the plan guarantees all three) and busy occupancy (a target, not a guarantee).

>>> panel = try_it_panel()
>>> panel.params == {"agents": classroom_case().agents - 6}
True
"""

from __future__ import annotations

import numpy as np

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import QueueCase, classroom_case, guarantees
from ccsim.labs.queue import queue_panel
from ccsim.views.quiz import Question, number_options
from ccsim.views.widgets import WhatIfPanel

__all__ = ["TRY_IT_KPIS", "start_here_questions", "try_it_panel"]

TRY_IT_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")
"""The try-it tiles: three guarantees and busy occupancy (a target, not a guarantee)."""


def try_it_panel(case: QueueCase | None = None, *, below: int = 6) -> WhatIfPanel:
    """Lab 00's tiny panel: an agents slider starting ``below`` agents under the case, four Erlang A tiles."""
    case = case or classroom_case()
    panel = queue_panel(case, controls=("agents",), sources=("erlang_a",), kpis=TRY_IT_KPIS, figure=False)
    start = max(panel.controls["agents"].min, case.agents - below)
    panel.set(agents=start)
    panel.defaults["agents"] = start
    return panel


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


_RESTART = Question(
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
)


def start_here_questions(case: QueueCase | None = None, *, seed: int = 1) -> list[Question]:
    """Lab 00's questions: using the labs, and one number from the try-it widget (computed by Erlang A)."""
    case = case or classroom_case()
    target = guarantees()["service_level"].value
    t = case.answer_within_s
    calls, iv, aht, pat = case.calls_per_interval, case.interval_s, case.aht_s, case.patience_s
    need = required_agents(calls, iv, aht, answer_within_s=t, target_sl=target, patience_s=pat).agents
    below = erlang_a(calls, iv, aht, max(1, need - 1), pat, t)
    at = erlang_a(calls, iv, aht, need, pat, t)
    options = number_options(need, need - 4, need - 1, need + 3)
    fewest = Question(
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
    )
    within = Question(
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
    )
    rng = np.random.default_rng(seed)
    return [_RESTART.shuffled(rng), fewest, within.shuffled(rng), _all_tiles_question(case, need).shuffled(rng)]


def _all_tiles_question(case: QueueCase, need: int) -> Question:
    """At the fewest agents that meet service level: which of the other tiles miss (Erlang A)."""
    m = erlang_a(case.calls_per_interval, case.interval_s, case.aht_s, need, case.patience_s, case.answer_within_s)
    targets = guarantees()
    words = {"asa_s": "the average speed of answer", "abandonment_rate": "abandonment", "occupancy": "busy occupancy"}
    shown = {"asa_s": f"{m.asa_s:.0f} s", "abandonment_rate": f"{100 * m.abandonment_rate:.1f}%"}
    shown["occupancy"] = _pct(m.occupancy)
    missed = [k for k in words if targets[k].met(getattr(m, k)) is False]
    met = [k for k in words if k not in missed]

    def listed(keys: list[str]) -> str:
        return " and ".join(f"{words[k]} ({shown[k]})" for k in keys)

    right = f"No: {listed(missed)} miss their targets" if missed else "Yes: every tile says met"
    wrong = [f"No: only {listed([k])} misses" for k in met[:1]] or ["No: every other tile misses"]
    options = (right, "Yes: when service level is met, the other tiles follow", *wrong)
    return Question(
        f"With {need} agents the service-level tile says 'met'. Do the other three tiles say 'met' too?",
        options,
        answer=0,
        explanation=(
            f"With {need} agents: ASA {shown['asa_s']}, abandonment {shown['abandonment_rate']}, busy occupancy "
            f"{shown['occupancy']}. "
            + (f"{listed(missed).capitalize()} miss. " if missed else "")
            + "Read every tile, not only service level. Busy occupancy is a target, not a guarantee: above it, "
            "agents have little breathing room between calls."
        ),
        hint="Not quite. Set the slider to that number and read all four tiles.",
    )
