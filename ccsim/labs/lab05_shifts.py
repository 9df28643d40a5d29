"""Lab 05, part 2: the shift builder (coverage gap, simulated service level as a heat map), open enrollment at
3 × volume, and the efficiency trap.

Agents needed per interval are Erlang A's for 80% in 30 s (:func:`ccsim.labs.lab05_forecast.needs`). A shift's
breaks are spread evenly over the middle half of the shift, so a 60-minute break per person on an 8-hour shift
takes 1/16 of the shift's agents off the phones in each of its middle 16 quarter hours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.staffing import required_agents, scheduled_agents
from ccsim.errors import CcsimInputError
from ccsim.labs.cases import guarantees
from ccsim.labs.lab05_forecast import (
    AHT_S,
    ANSWER_WITHIN_S,
    PATIENCE_S,
    TARGET_SL,
    Forecast,
    needs,
    sample_forecast,
    sim_kpis,
    simulate_day,
)
from ccsim.views.plots.schedule import coverage_figure
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider

__all__ = [
    "SHIFTS",
    "coverage",
    "day_numbers",
    "enrollment_numbers",
    "enrollment_panel",
    "shift_panel",
    "trap_numbers",
    "trap_panel",
]

SHIFTS = (("a", "08:00", 8.0, 16), ("b", "09:30", 8.0, 14), ("c", "12:00", 6.0, 8))
"""The shift builder's starting shifts: name, start, length (hours), agents."""
BREAK_MIN = 60
STARTS = [f"{h:02d}:{m:02d}" for h in range(8, 16) for m in (0, 30)]


def coverage(f: Forecast, shifts: Sequence[tuple[str, float, int]], break_min: float) -> np.ndarray:
    """Agents on the phones per interval of ``f`` from shifts (start 'HH:MM', length in hours, agents), each
    person taking ``break_min`` minutes of breaks spread evenly over the middle half of the shift."""
    n, step = len(f.calls), f.interval_s / 60
    on = np.zeros(n)
    for start, hours, agents in shifts:
        h, m = (int(x) for x in start.split(":"))
        first = (h * 60 + m - f.start_min) / step
        length = hours * 60 / step
        k = np.arange(n)
        on += agents * ((k >= first) & (k < first + length))
        middle = (k >= first + length / 4) & (k < first + 3 * length / 4)
        if break_min > 0 and middle.any():
            on -= agents * (break_min / step) / (length / 2) * middle
    return np.maximum(on, 0.0)


def day_numbers(f: Forecast, on_phones: Sequence[float] | np.ndarray) -> dict[str, float]:
    """Erlang A over the day for ``on_phones`` per interval (whole agents, rounded): calls-weighted service level,
    abandonment, callers who hung up and agent-hours; an interval with nobody on the phones loses its callers."""
    calls = within = gone = 0.0
    for c, a in zip(f.calls, on_phones, strict=True):
        agents = round(float(a))
        calls += c
        if agents < 1:
            gone += c
            continue
        m = erlang_a(c, f.interval_s, AHT_S, agents, PATIENCE_S, ANSWER_WITHIN_S)
        within += c * m.service_level
        gone += c * m.abandonment_rate
    return {"service_level": within / calls, "abandonment_rate": gone / calls, "abandoned": gone, "calls": calls}


def _shift_params(p: Params) -> list[tuple[str, float, int]]:
    return [(p[f"{s}_start"], p[f"{s}_hours"], p[f"{s}_agents"]) for s, *_ in SHIFTS]


def _shift_controls() -> dict[str, widgets.ValueWidget]:
    controls: dict[str, widgets.ValueWidget] = {}
    for name, start, hours, agents in SHIFTS:
        big = name.upper()
        start_w = widgets.Dropdown(
            options=STARTS,
            value=start,
            description=f"Shift {big} starts",
            style={"description_width": "230px"},
            layout=widgets.Layout(width="360px"),
        )
        start_w.add_class(f"ccsim-shift-{name}-start")
        controls[f"{name}_start"] = start_w
        controls[f"{name}_hours"] = slider(
            f"ccsim-shift-{name}-hours", f"Shift {big} hours", hours, 4, 10, 0.5, integer=False, readout_format=".1f"
        )
        controls[f"{name}_agents"] = slider(f"ccsim-shift-{name}-agents", f"Shift {big} agents", agents, 0, 40, 1)
    controls["break_min"] = slider("ccsim-break-min", "Breaks per person (min)", BREAK_MIN, 0, 90, 15)
    return controls


def shift_panel(*, title: str = "", days: int = 5) -> WhatIfPanel:
    """Three shifts (start, length, agents) and breaks → coverage against need; Run: a heat map of simulated days."""
    f = sample_forecast()
    need = needs(f)["erlang_a"]

    def compute(p: Params) -> Results:
        on = coverage(f, _shift_params(p), p["break_min"])
        d = day_numbers(f, on)
        short = int(np.sum(np.round(on) < np.asarray(need)))
        people = sum(p[f"{s}_agents"] for s, *_ in SHIFTS)
        hours = sum(p[f"{s}_agents"] * p[f"{s}_hours"] for s, *_ in SHIFTS)
        return {
            "coverage": on,
            "erlang_a": {"service_level": d["service_level"], "abandoned": d["abandoned"]},
            "shifts": {"scheduled_agents": float(people)},
            "notes": {
                "shifts": f"{hours:,.0f} paid hours; short in {short} of {len(need)} quarter hours",
                "erlang_a": {"abandoned": f"of {d['calls']:,.0f} callers a day"},
            },
        }

    def sim(p: Params, progress: ProgressFn) -> Results:
        on = np.round(coverage(f, _shift_params(p), p["break_min"]))
        s = simulate_day(f, on, days, progress=progress)
        with np.errstate(invalid="ignore", divide="ignore"):
            heat = np.where(s["offered"] > 0, s["within"] / s["offered"], 1.0)
        return {"simulation": sim_kpis(s), "heat": heat}

    def figure(p: Params, r: Results):
        return coverage_figure(f.times, need, np.round(np.asarray(r["coverage"], dtype=float)), r.get("heat"))

    g = guarantees()
    tiles = [
        KpiTile("scheduled_agents", "shifts", source_name="Your shifts", label="People on the shifts"),
        KpiTile("service_level", "erlang_a", g["service_level"], source_name="Erlang A formula, the day"),
        KpiTile("abandoned", "erlang_a", source_name="Erlang A formula, the day"),
        KpiTile("service_level", "simulation", g["service_level"], source_name=f"{days} simulated days"),
        KpiTile("abandoned", "simulation", source_name=f"{days} simulated days, a day"),
    ]
    panel = WhatIfPanel(
        _shift_controls(),
        compute,
        tiles=tiles,
        figure=figure,
        simulate=sim,
        auto_simulate=False,
        title=title,
        run_label=f"Simulate {days} days",
        figure_height="760px",
    )
    panel.widget.add_class("ccsim-shift-panel")
    return panel


# ---------------------------------------------------------------------------------------------- open enrollment


def enrollment_numbers(volume: float, extra: float) -> dict[str, float]:
    """The usual day's Erlang A staffing (×(1 + ``extra``)) against ``volume`` × the forecast calls."""
    f = sample_forecast()
    usual = needs(f)["erlang_a"]
    surge = f.scaled(volume)
    on = [math.floor(a * (1 + extra) + 1e-9) for a in usual]
    d = day_numbers(surge, on)
    peak = max(needs(surge)["erlang_a"])
    return {
        **d,
        "agents": float(max(on)),
        "needed_peak": peak,
        "scheduled_needed": float(scheduled_agents(int(peak), 0.41)),
    }


def enrollment_panel(*, title: str = "") -> WhatIfPanel:
    """Open enrollment: the same staff at up to 3 × the calls, and the extra agents it takes to recover."""
    controls = {
        "volume_pct": slider("ccsim-surge", "Calls (% of the usual day)", 100, 100, 300, 25),
        "extra_pct": slider("ccsim-extra-staff", "Extra agents on the phones (%)", 0, 0, 200, 10),
    }
    words = widgets.HTML()
    words.add_class("ccsim-enrollment-words")

    def compute(p: Params) -> Results:
        n = enrollment_numbers(p["volume_pct"] / 100, p["extra_pct"] / 100)
        words.value = (
            f"<p>{n['calls']:,.0f} callers today; about <b>{n['abandoned']:,.0f} hung up</b>. With {n['agents']:.0f} "
            f"on the phones at the peak; Erlang A needs {n['needed_peak']:.0f} there for 80% in 30 s "
            f"({n['scheduled_needed']:.0f} on the schedule at 41% shrinkage).</p>"
        )
        keys = ("service_level", "abandonment_rate", "abandoned")
        return {"erlang_a": {k: n[k] for k in keys}, "numbers": n}

    g = guarantees()
    tiles = [
        KpiTile("service_level", "erlang_a", g["service_level"], source_name="Erlang A formula, the day"),
        KpiTile("abandonment_rate", "erlang_a", g["abandonment_rate"], source_name="Erlang A formula, the day"),
        KpiTile("abandoned", "erlang_a", source_name="Erlang A formula, callers a day"),
    ]
    panel = WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[words])
    panel.widget.add_class("ccsim-enrollment-panel")
    return panel


# ---------------------------------------------------------------------------------------------- the efficiency trap


def trap_numbers(calls: float, patience_s: float) -> dict[str, float | str]:
    """Half an hour of ``calls`` at 400 s: agents for 80% in 30 s by Erlang C and Erlang A, and the trap sentence."""
    rc = required_agents(calls, 1800, AHT_S, answer_within_s=ANSWER_WITHIN_S, target_sl=TARGET_SL)
    ra = required_agents(
        calls, 1800, AHT_S, answer_within_s=ANSWER_WITHIN_S, target_sl=TARGET_SL, patience_s=patience_s
    )
    return {
        "load": calls * AHT_S / 1800,
        "agents_c": float(rc.agents),
        "agents_a": float(ra.agents),
        "occupancy_a": ra.metrics.occupancy,
        "abandonment_a": ra.metrics.abandonment_rate,
        "service_level_a": ra.metrics.service_level,
        "occupancy_c": rc.metrics.occupancy,
        "warning": ra.warning or "",
    }


def trap_panel(*, title: str = "") -> WhatIfPanel:
    """Erlang A's staffing for 80% in 30 s as callers grow impatient, against the work in Erlangs."""
    controls = {
        "calls": slider("ccsim-trap-calls", "Calls per 30 minutes", 225, 50, 400, 5),
        "patience_s": slider("ccsim-trap-patience", "Patience (s)", int(PATIENCE_S), 30, 900, 30),
    }
    words = widgets.HTML()
    words.add_class("ccsim-trap-words")

    def compute(p: Params) -> Results:
        if p["calls"] <= 0:
            raise CcsimInputError("calls", p["calls"], "above 0")
        n = trap_numbers(p["calls"], p["patience_s"])
        words.value = (
            f"<p>The work: <b>{n['load']:.1f} Erlangs</b> ({p['calls']} calls × {AHT_S:.0f} s over 1,800 s): "
            f"that many agents would be busy nonstop. Erlang C asks for {n['agents_c']:.0f}; Erlang A for "
            f"{n['agents_a']:.0f}.</p>"
        )
        return {
            "erlang_c": {"agents": n["agents_c"], "occupancy": n["occupancy_c"]},
            "erlang_a": {
                "agents": n["agents_a"],
                "occupancy": n["occupancy_a"],
                "abandonment_rate": n["abandonment_a"],
                "service_level": n["service_level_a"],
            },
            "messages": [n["warning"]] if n["warning"] else [],
            "numbers": n,
        }

    g = guarantees()
    tiles = [
        KpiTile("agents", "erlang_c", source_name="Erlang C (nobody hangs up)"),
        KpiTile("agents", "erlang_a", source_name="Erlang A (callers hang up)"),
        KpiTile("occupancy", "erlang_c", source_name="Busy occupancy, Erlang C"),
        KpiTile("occupancy", "erlang_a", source_name="Busy occupancy, Erlang A"),
        KpiTile("service_level", "erlang_a", g["service_level"], source_name="Erlang A"),
        KpiTile("abandonment_rate", "erlang_a", g["abandonment_rate"], source_name="Erlang A"),
    ]
    panel = WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[words])
    panel.widget.add_class("ccsim-trap-panel")
    return panel
