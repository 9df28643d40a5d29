"""Lab 01, queues and service level: the case card, the queue panel, the staffing curve, the day spread
and the lab's questions, every number computed by ccsim.

:func:`queue_panel` is the shared single-queue panel of :mod:`ccsim.labs.queue`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.service_level import parse_sl_definition
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import QueueCase, case_params, classroom_case, guarantees, queue_targets
from ccsim.labs.lab01_people import period_words
from ccsim.labs.queue import compute_queue, queue_panel, simulate_queue
from ccsim.views import plots
from ccsim.views.quiz import Question, number_options
from ccsim.views.widgets import (
    FigureArea,
    KpiTile,
    Params,
    ProgressFn,
    Results,
    WhatIfPanel,
    agents_slider,
    calls_slider,
    days_slider,
    patience_slider,
    show_figure,
    tile_value,
)

__all__ = [
    "ANALYST_CURVE_KPIS",
    "analyst_panel",
    "case_card",
    "day_spread_panel",
    "queue_panel",
    "queue_questions",
    "staffing_curve_figure",
]

ANALYST_CURVE_KPIS = ("service_level",)
"""The analyst panel's live curve: service level (one axis redraws in about 65 ms, four take about 185 ms;
with the 5 simulated days re-run, one axis keeps every control well within 250 ms)."""


def analyst_panel(case: QueueCase | None = None, *, title: str = "") -> WhatIfPanel:
    """Every control of one queue (:func:`queue_panel`), tiles from the simulation, Erlang A and Erlang C, and
    the live staffing curve of service level (:func:`staffing_curve_figure` shows all four KPIs)."""
    return queue_panel(case, curve_kpis=ANALYST_CURVE_KPIS, title=title)


def case_card(case: QueueCase | None = None) -> widgets.HTML:
    """The case in words and numbers, computed from ``case`` (``ccsim-case``): what the sliders start from."""
    c = case or classroom_case()
    per_day = c.calls_per_hour * c.hours
    rows = [
        ("Agents on the phones", f"{c.agents}"),
        ("Calls", f"{c.calls_per_hour:g} an hour, about {per_day:,.0f} over the {c.hours:g}-hour day"),
        ("Handle time (talk plus wrap-up)", f"{c.aht_s:g} s on average ({c.aht_s / 60:.1f} minutes)"),
        (
            "Patience",
            f"callers hang up after {c.patience_s:g} s of waiting on average ({c.patience_s / 60:.0f} minutes)",
        ),
        (
            "Workload",
            f"{c.load_erlangs:g} Erlangs: the calls bring enough work to keep {c.load_erlangs:g} agents "
            f"busy nonstop, {c.load_erlangs / c.agents:.0%} of the {c.agents} on the phones",
        ),
        ("Service level counts", parse_sl_definition(c.sl_definition).label.replace("T", f"{c.answer_within_s:g} s")),
    ]
    body = "".join(
        f"<tr><td style='padding:2px 10px 2px 0'><b>{html.escape(k)}</b></td>"
        f"<td style='padding:2px 0'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    w = widgets.HTML(f"<table style='font-size:1.05em'>{body}</table>")
    w.add_class("ccsim-case")
    return w


def staffing_curve_figure(
    case: QueueCase | None = None, *, agents: Sequence[int] | None = None, height: str = "480px"
) -> FigureArea:
    """The staffing curve of ``case`` (Erlang A and C, targets, the case's agents marked), as a static figure."""
    c = case or classroom_case()
    counts = list(agents) if agents is not None else plots.agents_around(c.load_erlangs, c.agents, low=0.8, high=1.35)
    curve = plots.erlang_curve(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        counts,
        patience_s=c.patience_s,
        answer_within_s=c.answer_within_s,
        sl_definition=c.sl_definition,
    )
    targets = {k: t.value for k, t in queue_targets(c.params()).items()}
    fig = plots.staffing_curve(curve, targets=targets, current_agents=c.agents)
    a = curve[curve.source == "erlang_a"].set_index("agents")["service_level"]
    alt = (
        f"Staffing curve, {c.calls_per_hour:g} calls an hour: by Erlang A, {counts[0]} agents answer "
        f"{tile_value('service_level', a.iloc[0])} within {c.answer_within_s:g} s and {counts[-1]} agents "
        f"{tile_value('service_level', a.iloc[-1])}."
    )
    return show_figure(fig, alt, height=height)


def _day_spread_figure(case: QueueCase, words: widgets.HTML):
    def figure(params: Params, results: Results):
        if "simulation_runs" not in results:
            words.value = ""
            return None
        runs = results["simulation_runs"]
        t = queue_targets(case_params(params, case))["service_level"]
        p = case_params(params, case)
        words.value = f"<p>{html.escape(period_words(runs, t.value, p['answer_within_s']))}</p>"
        refs = {"erlang_a": results["erlang_a"]["service_level"], "erlang_c": results["erlang_c"]["service_level"]}
        fig = plots.day_spread(runs, kpi="service_level", target=t.value, references=refs)
        sl = runs["service_level"]
        alt = (
            f"{len(runs)} simulated days with {params.get('agents', case.agents)} agents: service level from "
            f"{tile_value('service_level', sl.min())} to {tile_value('service_level', sl.max())}; "
            f"{int((sl >= t.value).sum())} of {len(runs)} days met the target."
        )
        return fig, alt

    return figure


def day_spread_panel(
    case: QueueCase | None = None,
    *,
    days: int = 20,
    seed: int = 1,
    controls: Sequence[str] = ("agents", "days"),
    title: str = "",
) -> WhatIfPanel:
    """Same staffing, different days: simulate ``days`` days and show each day's service level, and the days
    judged as one period and as members' days (``ccsim-period``, :func:`ccsim.labs.lab01_people.period_words`).

    Runs once when built, then on Run (many days take a second or more).
    """
    c = case or classroom_case()
    words = widgets.HTML()
    words.add_class("ccsim-period")
    makers = {
        "agents": lambda: agents_slider(c.agents),
        "days": lambda: days_slider(days, max=60),
        "calls_per_hour": lambda: calls_slider(c.calls_per_hour),
        "patience_s": lambda: patience_slider(c.patience_s),
    }

    def sim(params: Params, progress: ProgressFn) -> Results:
        return simulate_queue(params, progress, case=c, seed=seed)

    panel = WhatIfPanel(
        {name: makers[name]() for name in controls},
        lambda params: compute_queue(params, c),
        tiles=[KpiTile("service_level", "simulation", guarantees()["service_level"])],
        figure=_day_spread_figure(c, words),
        simulate=sim,
        auto_simulate=False,
        targets=lambda p: queue_targets(case_params(p, c)),
        title=title,
        figure_height="400px",
        run_label="Simulate the days",
        extra=[words],
    )
    panel.run()
    return panel


# ---------------------------------------------------------------------------------------------- questions


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _formulas_question(case: QueueCase) -> Question:
    calls, iv, aht, pat, t = case.calls_per_interval, case.interval_s, case.aht_s, case.patience_s, case.answer_within_s
    c = erlang_c(calls, iv, aht, case.agents, t)
    a = erlang_a(calls, iv, aht, case.agents, pat, t)
    setting = (
        f"{case.agents} agents, {case.calls_per_hour:g} calls an hour, {aht:g} s handle time, "
        f"callers hang up after {pat:g} s on average"
    )
    return Question(
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


def _staffing_questions(case: QueueCase, target: float) -> list[Question]:
    calls, iv, aht, pat, t = case.calls_per_interval, case.interval_s, case.aht_s, case.patience_s, case.answer_within_s
    need_a = required_agents(calls, iv, aht, answer_within_s=t, target_sl=target, patience_s=pat).agents
    need_c = required_agents(calls, iv, aht, answer_within_s=t, target_sl=target).agents
    options = number_options(need_a, need_c, need_a - 3, need_a + 5)
    fewest = Question(
        f"For the same calls, what is the fewest agents that reach {_pct(target)} answered within {t:g} s, "
        f"by Erlang A?",
        tuple(f"{k} agents" for k in options),
        answer=options.index(need_a),
        explanation=(
            f"Erlang A needs {need_a} agents. Erlang C would ask for {need_c}, because it assumes nobody ever hangs up."
        ),
        hint="Not quite. Move the agents slider until the Erlang A service-level tile says 'met'.",
    )
    step = 3
    lo, mid_lo, hi, top = max(1, need_a - 2 * step), max(1, need_a - step), need_a + step, need_a + 2 * step
    sl = {k: erlang_a(calls, iv, aht, k, pat, t).service_level for k in (lo, mid_lo, hi, top)}
    gain_low, gain_high = sl[mid_lo] - sl[lo], sl[top] - sl[hi]
    steeper = Question(
        f"Which {step} extra agents raise the service level more (Erlang A)?",
        (f"Going from {lo} to {mid_lo} agents", f"Going from {hi} to {top} agents", "Both raise it by the same amount"),
        answer=0 if gain_low > gain_high + 0.005 else (1 if gain_high > gain_low + 0.005 else 2),
        explanation=(
            f"From {lo} to {mid_lo} agents service level rises by {100 * gain_low:.0f} points; from "
            f"{hi} to {top} only by {100 * gain_high:.0f}. The curve climbs "
            f"steeply while agents are scarce, then flattens near 100%."
        ),
        hint="Not quite. Look at the service-level curve: where is it steep, where is it flat?",
    )
    return [fewest, steeper]


def _days_question(case: QueueCase, runs: pd.DataFrame, target: float) -> Question:
    sls = runs["service_level"].to_numpy(dtype=float)
    missed = int((sls < target).sum())
    return Question(
        f"{len(sls)} simulated days with exactly the same staffing ({case.agents} agents) and the same forecast had "
        f"service levels from {_pct(sls.min())} to {_pct(sls.max())}. Why do the days differ?",
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


def _occupancy_question(case: QueueCase) -> Question:
    calls, iv, aht, pat, t = case.calls_per_interval, case.interval_s, case.aht_s, case.patience_s, case.answer_within_s
    n, fewer = case.agents, max(1, case.agents - 5)
    now, less = erlang_a(calls, iv, aht, n, pat, t), erlang_a(calls, iv, aht, fewer, pat, t)
    if less.occupancy > now.occupancy + 1e-9:
        answer = 0
    elif less.occupancy < now.occupancy - 1e-9:
        answer = 1
    else:
        answer = 2
    return Question(
        f"Take {n - fewer} agents away (from {n} to {fewer}). Service level falls. What happens to busy occupancy, "
        f"the share of their time at the phones that agents spend on calls?",
        ("It rises: the same calls are shared by fewer agents", "It falls", "It stays the same"),
        answer=answer,
        explanation=(
            f"Erlang A: service level {_pct(now.service_level)} → {_pct(less.service_level)}, busy occupancy "
            f"{_pct(now.occupancy)} → {_pct(less.occupancy)}. Busier agents and longer waits go together; "
            f"busy occupancy near 100% also means no breathing room between calls (a target, not a guarantee)."
        ),
        hint="Not quite. Fewer agents take the same calls. Are they busier or less busy?",
    )


def queue_questions(
    case: QueueCase | None = None, *, runs: pd.DataFrame | None = None, days: int = 20, seed: int = 1
) -> list[Question]:
    """Lab 01's questions for ``case`` (default the classroom case), every number computed by ccsim.

    ``runs``: the per-day results of the day-spread panel (one row per simulated day with a
    ``service_level`` column); simulated here with ``days`` and ``seed`` when not given.
    """
    c = case or classroom_case()
    target = guarantees()["service_level"].value
    if runs is None:
        runs = simulate_queue({"days": days}, case=c, seed=seed)["simulation_runs"]
    fewest, steeper = _staffing_questions(c, target)
    rng = np.random.default_rng(seed)  # shuffled so the right answer is not always first
    return [
        _formulas_question(c).shuffled(rng),
        fewest,
        steeper,
        _days_question(c, runs, target).shuffled(rng),
        _occupancy_question(c).shuffled(rng),
    ]
