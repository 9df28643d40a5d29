"""One queue, formula and simulation side by side: the numbers and the panel that labs 00 and 01 build on.

:func:`compute_queue` gives Erlang A and Erlang C for the controls' settings, :func:`simulate_queue` simulates
days of the same queue, and :func:`queue_panel` puts both in a :class:`ccsim.views.widgets.WhatIfPanel` with
the staffing curve below. Missing settings come from a :class:`ccsim.labs.cases.QueueCase` (default: the
classroom case).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.errors import CcsimInputError, check_number
from ccsim.labs.cases import QueueCase, case_params, classroom_case, guarantees, queue_targets
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.model import CenterModel
from ccsim.views import plots
from ccsim.views.widgets import (
    KpiTile,
    Params,
    ProgressFn,
    Results,
    WhatIfPanel,
    agents_slider,
    aht_slider,
    answer_within_slider,
    calls_slider,
    days_slider,
    patience_slider,
    sl_definition_dropdown,
    tile_value,
)

__all__ = ["QUEUE_CONTROLS", "SIM_KPIS", "compute_queue", "queue_model", "queue_panel", "simulate_queue"]

SIM_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")
"""The KPIs the queue panels show: three guarantees and busy occupancy (a target, not a guarantee)."""
QUEUE_CONTROLS = ("agents", "calls_per_hour", "aht_s", "patience_s", "answer_within_s", "sl_definition", "days")
"""Every control :func:`queue_panel` can show, in the order it shows them."""
_FORMULA_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy", "p_wait")


def compute_queue(params: Params, case: QueueCase | None = None) -> Results:
    """Erlang C and Erlang A for one interval of the queue described by ``params`` (missing ones from ``case``).

    ``params``: agents, calls_per_hour, aht_s, patience_s, answer_within_s, sl_definition.
    Returns ``{"erlang_c": {kpi: value}, "erlang_a": {...}, "load_erlangs": ..., "notes": {...}}``; KPIs are
    service_level, asa_s, abandonment_rate, occupancy, p_wait (fractions; ASA in seconds).
    """
    case = case or classroom_case()
    p = case_params(params, case)
    calls = p["calls_per_hour"] * case.interval_s / 3600.0
    t, sl = p["answer_within_s"], p["sl_definition"]
    ec = erlang_c(calls, case.interval_s, p["aht_s"], p["agents"], t, sl)
    ea = erlang_a(calls, case.interval_s, p["aht_s"], p["agents"], p["patience_s"], t, sl)
    out: Results = {"notes": {}, "load_erlangs": ea.load_erlangs}
    for name, m in (("erlang_c", ec), ("erlang_a", ea)):
        out[name] = {k: getattr(m, k) for k in _FORMULA_KPIS}
    if not math.isfinite(ec.asa_s):
        out["notes"]["erlang_c"] = "The work needs more agents than are on the phones: the queue grows all day."
    return out


def queue_model(params: Params, case: QueueCase | None = None) -> CenterModel:
    """The single-queue :class:`CenterModel` for ``params``: exponential handle time and patience, ``case.hours`` long."""
    case = case or classroom_case()
    p = case_params(params, case)
    return CenterModel.single_queue(
        p["calls_per_hour"] * case.interval_s / 3600.0,
        int(p["agents"]),
        Exponential(float(p["aht_s"])),
        Exponential(float(p["patience_s"])),
        interval_s=case.interval_s,
        intervals=case.intervals,
        answer_within_s=float(p["answer_within_s"]),
        name="classroom queue",
    )


def _notes(days: int, ranges: dict[str, tuple[float, float]]) -> dict[str, str]:
    average = f"average of {days} simulated day{'s' if days > 1 else ''}"
    return {
        k: average
        + (
            f"; 95% confidence interval {tile_value(k, lo)} to {tile_value(k, hi)}"
            if days > 1 and math.isfinite(lo) and math.isfinite(hi)
            else ""
        )
        for k, (lo, hi) in ranges.items()
    }


def simulate_queue(
    params: Params, progress: ProgressFn | None = None, *, case: QueueCase | None = None, seed: int = 1
) -> Results:
    """Simulate ``params["days"]`` days (default 1) of the queue with :func:`ccsim.metrics.replications.replicate`,
    in this process one day at a time, calling ``progress(days done, days)`` after each.

    Day *i* uses ``SeedSequence(seed).spawn(days)[i]``, so the same settings always give the same
    days. Returns ``{"simulation": {kpi: mean over days}, "simulation_runs": DataFrame (one row per
    day), "simulation_range": {kpi: (low, high)} (95% confidence interval of the mean),
    "messages": [the replications' warnings, as sentences], "notes": {"simulation": ...}}``.
    """
    from ccsim.metrics.replications import replicate

    case = case or classroom_case()
    p = case_params(params, case)
    days = int(check_number("days", p.get("days", 1), low=1, high=1000, integer=True))
    rep = replicate(
        queue_model(p, case),
        days,
        seed,
        workers=1,
        progress=progress or False,
        answer_within_s=float(p["answer_within_s"]),
        sl_definition=p["sl_definition"],
    )
    runs = rep.runs.copy()
    runs["day"] = np.arange(1, len(runs) + 1)
    mean, low, high = (rep.summary[column].astype(float) for column in ("mean", "low", "high"))
    ranges = {k: (float(low[k]), float(high[k])) for k in SIM_KPIS}
    return {
        "simulation": {k: float(mean[k]) for k in SIM_KPIS},
        "simulation_runs": runs,
        "simulation_range": ranges,
        "messages": list(rep.warnings)[:3],
        "notes": {"simulation": _notes(days, ranges)},
    }


def _with_simulation(curve: pd.DataFrame, agents: int, results: Results) -> pd.DataFrame:
    row: dict[str, Any] = {"source": "simulation", "agents": agents}
    for k in SIM_KPIS:
        row[k] = results["simulation"][k]
        row[f"{k}_low"], row[f"{k}_high"] = results.get("simulation_range", {}).get(k, (math.nan, math.nan))
    return pd.concat([pd.DataFrame([row]), curve], ignore_index=True)


def _queue_alt(p: Params, results: Results) -> str:
    def sl(source: str) -> str:
        return tile_value("service_level", results[source]["service_level"])

    simulated = f", the simulation {sl('simulation')}" if "simulation" in results else ""
    return (
        f"Staffing curve for {p['calls_per_hour']:g} calls an hour at {p['aht_s']:g} s each: "
        f"with {p['agents']} agents Erlang A gives service level {sl('erlang_a')}, "
        f"Erlang C {sl('erlang_c')}{simulated}. Dash-dot lines are the targets."
    )


def queue_figure(case: QueueCase, dpi: int = 90, kpis: Sequence[str] = SIM_KPIS) -> Callable[[Params, Results], tuple]:
    """The panel's figure function: the staffing curve of ``kpis`` around the current agents, with the
    simulation point (fewer KPIs draw faster: two axes take about half the time of four)."""
    draw = plots.StaffingCurvePNG(dpi=dpi)  # keeps the static part between slider changes

    def figure(params: Params, results: Results) -> tuple:
        p = case_params(params, case)
        curve = plots.erlang_curve(
            p["calls_per_hour"] * case.interval_s / 3600.0,
            case.interval_s,
            p["aht_s"],
            plots.agents_around(results.get("load_erlangs", case.load_erlangs), p["agents"]),
            patience_s=p["patience_s"],
            answer_within_s=p["answer_within_s"],
            sl_definition=p["sl_definition"],
        )
        if "simulation" in results:
            curve = _with_simulation(curve, int(p["agents"]), results)
        targets = {k: t.value for k, t in queue_targets(p).items()}
        png = draw(curve, targets=targets, current_agents=int(p["agents"]), kpis=kpis)
        return png, _queue_alt(p, results), draw.figure

    return figure


def queue_panel(
    case: QueueCase | None = None,
    *,
    controls: Sequence[str] = QUEUE_CONTROLS,
    sources: Sequence[str] = ("simulation", "erlang_a", "erlang_c"),
    kpis: Sequence[str] = SIM_KPIS,
    days: int = 5,
    auto_days: int = 5,
    seed: int = 1,
    figure: bool = True,
    title: str = "",
    curve_kpis: Sequence[str] = SIM_KPIS,
) -> WhatIfPanel:
    """Lab 01's panel: one queue, tiles for each KPI from each source, the staffing curve of ``curve_kpis`` below.

    Formulas update on every change; the simulation re-runs by itself while ``days <= auto_days``
    (a whole count, so the panel behaves the same on a slow machine), otherwise on Run.
    """
    c = case or classroom_case()
    makers = {
        "agents": lambda: agents_slider(c.agents),
        "calls_per_hour": lambda: calls_slider(c.calls_per_hour),
        "aht_s": lambda: aht_slider(c.aht_s),
        "patience_s": lambda: patience_slider(c.patience_s),
        "answer_within_s": lambda: answer_within_slider(c.answer_within_s),
        "sl_definition": lambda: sl_definition_dropdown(c.sl_definition),
        "days": lambda: days_slider(days),
    }
    unknown = [name for name in controls if name not in makers]
    if unknown:
        raise CcsimInputError("controls", unknown[0], "any of " + ", ".join(makers))
    targets = guarantees()

    def sim(params: Params, progress: ProgressFn) -> Results:
        return simulate_queue(params, progress, case=c, seed=seed)

    return WhatIfPanel(
        {name: makers[name]() for name in controls},
        lambda params: compute_queue(params, c),
        tiles=[KpiTile(k, s, targets.get(k)) for k in kpis for s in sources],
        figure=queue_figure(c, kpis=curve_kpis) if figure else None,
        simulate=sim if "simulation" in sources else None,
        auto_simulate=lambda p: int(p.get("days", days)) <= auto_days,
        targets=lambda p: queue_targets(case_params(p, c)),
        title=title,
    )
