"""Lab 01's first layer: one queue counted in people, the predictions it answers, and the guarantee judged
over a period and as members' days. Every number is computed by ccsim.

* :func:`people_panel`: two controls (agents on the phones, callers' patience), four Erlang A tiles (the
  long-run average) and one simulated day counted in people ("of 3,492 callers today, 178 hung up ...").
* :func:`prediction_questions`: predict, then move the panel to check (5 agents away; one agent off the
  phones; more patient callers).
* :func:`day_counts` and :func:`period_words`: the people of one simulated day; the days of a spread
  judged as one period (their average) and as members' days.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ccsim.analytics.erlang import QueueMetrics, erlang_a
from ccsim.labs.cases import QueueCase, case_params, classroom_case, guarantees
from ccsim.labs.queue import SIM_KPIS, queue_model
from ccsim.views.quiz import Question
from ccsim.views.widgets import KpiTile, Params, Results, WhatIfPanel, agents_slider, patience_slider

__all__ = [
    "LONG_WAIT_S",
    "day_counts",
    "people_panel",
    "people_words",
    "period_words",
    "prediction_questions",
]

LONG_WAIT_S = 60.0
"""A long wait, for the people counts: more than a minute."""


def day_counts(params: Params, case: QueueCase | None = None, *, seed: int = 1) -> dict[str, int]:
    """One simulated day of the queue (``simulate(queue_model(params), seed)``), counted in people.

    ``callers``: callers offered; ``hung_up``: callers who hung up before an agent answered;
    ``waited_long``: callers who waited more than :data:`LONG_WAIT_S` (answered then or not);
    ``answered_in_t``: callers answered within the service-level threshold.
    """
    from ccsim.simulation.engine import simulate

    c = case or classroom_case()
    p = case_params(params, c)
    calls = simulate(queue_model(p, c), seed=seed).contacts
    answered = calls["outcome"] == "answered"
    return {
        "callers": len(calls),
        "hung_up": int((calls["outcome"] == "abandoned").sum()),
        "waited_long": int((calls["wait_s"] > LONG_WAIT_S).sum()),
        "answered_in_t": int((answered & (calls["wait_s"] <= float(p["answer_within_s"]))).sum()),
    }


def people_words(counts: dict[str, int], agents: int) -> str:
    """The simulated day in one sentence, people first: 'Of 3,492 callers today, 178 hung up ...'."""
    return (
        f"One simulated day with {agents} agents: of {counts['callers']:,} callers, {counts['hung_up']:,} hung up "
        f"before anyone answered and {counts['waited_long']:,} waited more than a minute."
    )


def _metrics(case: QueueCase, params: Params) -> QueueMetrics:
    p = case_params(params, case)
    return erlang_a(
        p["calls_per_hour"] * case.interval_s / 3600.0,
        case.interval_s,
        p["aht_s"],
        int(p["agents"]),
        p["patience_s"],
        p["answer_within_s"],
        p["sl_definition"],
    )


def people_panel(case: QueueCase | None = None, *, seed: int = 1, title: str = "") -> WhatIfPanel:
    """Two controls (agents, patience); four Erlang A tiles; one simulated day counted in people (``ccsim-people``)."""
    c = case or classroom_case()
    controls = {"agents": agents_slider(c.agents), "patience_s": patience_slider(c.patience_s)}
    words = widgets.HTML()
    words.add_class("ccsim-people")

    def compute(params: Params) -> Results:
        m = _metrics(c, params)
        counts = day_counts(params, c, seed=seed)
        words.value = f"<p style='font-size:1.1em'>{html.escape(people_words(counts, int(params['agents'])))}</p>"
        return {"erlang_a": {k: getattr(m, k) for k in SIM_KPIS}, "people": counts}

    g = guarantees()
    source = "Formula (Erlang A): the average day"
    tiles = [KpiTile(k, "erlang_a", g[k], source_name=source) for k in SIM_KPIS]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[words])


# ---------------------------------------------------------------------------------------------- predictions


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _away_question(case: QueueCase) -> Question:
    n, away = case.agents, 5
    now, less = _metrics(case, {}), _metrics(case, {"agents": n - away})
    proportional = now.service_level * (n - away) / n
    return Question(
        f"Predict: {away} of the {n} agents are away today (training, a sick day). What share of calls will be "
        f"answered within {case.answer_within_s:g} s? (Now: {_pct(now.service_level)}.)",
        (
            f"About {_pct(less.service_level)}",
            f"About {_pct(proportional)}: {100 * away / n:.0f}% fewer agents, {100 * away / n:.0f}% less service",
            f"About {_pct(now.service_level - 0.03)}: a few agents make little difference",
        ),
        answer=0,
        explanation=(
            f"With {n - away} agents the formula gives {_pct(less.service_level)} (from {_pct(now.service_level)}). "
            f"The agents were already busy {_pct(now.occupancy)} of the time, so the same calls on fewer agents "
            f"pile up in the queue: service level falls much faster than the headcount."
        ),
        hint=f"Not quite. Move the agents slider to {n - away} and read the service-level tile.",
    )


def _one_agent_question(case: QueueCase) -> Question:
    n = case.agents
    now, less = _metrics(case, {}), _metrics(case, {"agents": n - 1})
    target = guarantees()["service_level"]
    met_now, met_less = target.met(now.service_level), target.met(less.service_level)

    def verdict(ok: bool | None) -> str:
        return "met" if ok else "missed"

    right = f"It says '{verdict(met_less)}': {_pct(less.service_level)}"
    options = (
        right,
        f"It still says '{verdict(met_now)}': one agent of {n} makes no difference",
        f"It says 'missed' by far: below {_pct(less.service_level - 0.15)}",
    )
    return Question(
        f"Predict: one agent stays off the phones all day ({n - 1} instead of {n}). What does the service-level "
        f"tile say? (Now: {_pct(now.service_level)}, target {_pct(target.value)}.)",
        options,
        answer=0,
        explanation=(
            f"{n} agents: {_pct(now.service_level)}, {verdict(met_now)}. {n - 1} agents: "
            f"{_pct(less.service_level)}, {verdict(met_less)}. Near the target, one agent's day on the phones "
            f"decides whether the center keeps its promise."
        ),
        hint=f"Not quite. Move the agents slider to {n - 1}.",
    )


def _patience_question(case: QueueCase) -> Question:
    patient = 2 * case.patience_s
    now, more = _metrics(case, {}), _metrics(case, {"patience_s": patient})
    falls = more.service_level < now.service_level
    return Question(
        f"Predict: callers become more patient: they wait {patient / 60:g} minutes on average before hanging up, "
        f"instead of {case.patience_s / 60:g}. What happens to service level?",
        (
            f"It {'falls' if falls else 'rises'}: {_pct(now.service_level)} → {_pct(more.service_level)}",
            f"It {'rises' if falls else 'falls'}: fewer people hang up, so more are answered in time",
            "It stays the same: patience does not change the agents' work",
        ),
        answer=0,
        explanation=(
            f"Fewer hang up ({100 * now.abandonment_rate:.1f}% → {100 * more.abandonment_rate:.1f}%), but every "
            f"caller who stays keeps a place in the queue, so the people behind wait longer: service level "
            f"{_pct(now.service_level)} → {_pct(more.service_level)}, ASA {now.asa_s:.0f} s → {more.asa_s:.0f} s. "
            f"A caller who hangs up is not a saved call: many call again."
        ),
        hint=f"Not quite. Move the patience slider to {patient:g} seconds and read the tiles.",
    )


def prediction_questions(case: QueueCase | None = None, *, seed: int = 1) -> list[Question]:
    """Predict, then check with :func:`people_panel`: 5 agents away, one agent off, more patient callers."""
    c = case or classroom_case()
    rng = np.random.default_rng(seed)
    return [q.shuffled(rng) for q in (_away_question(c), _one_agent_question(c), _patience_question(c))]


# ---------------------------------------------------------------------------------------------- the period


def period_words(runs: pd.DataFrame, target: float, answer_within_s: float) -> str:
    """The days of a spread judged two ways: as one period (the average of the days, as the plan's dashboard
    reports a month) and as members' days (how many days missed; the worst day's callers not answered in time).
    """
    sl = runs["service_level"].to_numpy(dtype=float)
    calls = runs["calls"].to_numpy(dtype=float) if "calls" in runs else np.full(len(sl), np.nan)
    mean, worst = float(sl.mean()), int(np.argmin(sl))
    missed = int((sl < target).sum())
    late = calls[worst] * (1 - sl[worst])
    period = "met" if mean >= target else "missed"
    return (
        f"As a period (the plan reports a month and the year to date): the {len(sl)} days average "
        f"{_pct(mean)} answered within {answer_within_s:g} s, target {_pct(target)}: {period}. "
        f"As members live it: {missed} of the {len(sl)} days missed {_pct(target)}; on the worst day "
        f"({_pct(sl[worst])}) about {late:,.0f} of {calls[worst]:,.0f} callers were not answered within "
        f"{answer_within_s:g} s."
    )
