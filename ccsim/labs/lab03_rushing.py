"""Lab 03, part 1: rushing backfires. Shorter calls that resolve less bring members back, and the repeat
calls raise the work and the agents needed.

* :func:`rushing_panel`: the arithmetic of facts.md ("Queueing facts"): 300 new member issues per 30
  minutes, handle time 400 s, FCR 85%, repeat calls 30% longer; contacts per issue = 1 / FCR; agents by
  Erlang C and Erlang A (80% answered within 30 s). Instant.
* :func:`journeys_panel`: the same idea on simulated member journeys (:func:`journey_line`: one
  membership line, 2,500 new issues a weekday, 40 reps, members who call back when the issue was not
  resolved), a baseline beside the learner's setting, over 45 days with the plan's 30-day FCR look-back.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import guarantees
from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, Target, WhatIfPanel, slider

__all__ = [
    "JOURNEY_KPIS",
    "LINE",
    "RUSH",
    "RushCase",
    "aht_target",
    "fcr_target",
    "journey_line",
    "journeys_panel",
    "rush_numbers",
    "rushing_panel",
    "simulate_line",
]


@dataclass(frozen=True)
class RushCase:
    """facts.md's worked example: new issues per 30 minutes, handle time, FCR, how much longer repeat calls are."""

    new_issues: float = 300.0
    aht_s: float = 400.0
    fcr: float = 0.85
    repeat_longer: float = 0.30
    patience_s: float = 300.0
    interval_s: float = 1800.0
    shrinkage: float = 0.41
    """facts.md: forecasted on-line time 59%."""


RUSH = RushCase()


def aht_target() -> Target:
    """The plan's handle-time target (facts.md: AHT < 400 s; a target, not a guarantee)."""
    return Target("aht_s", 400.0, "at_most")


def fcr_target() -> Target:
    """The plan's FCR guarantee (facts.md: 85%, with a 30-day look-back)."""
    return Target("fcr", 0.85, "at_least")


def rush_numbers(aht_cut: float, fcr: float, repeat_longer: float, case: RushCase = RUSH) -> dict[str, float]:
    """The arithmetic of rushing, fractions inside: ``aht_cut`` 0.1 = handle time 10% shorter.

    Contacts per issue 1 / FCR (each call resolves independently); repeat calls ``repeat_longer`` longer.
    """
    first = case.aht_s * (1.0 - aht_cut)
    per_issue = 1.0 / fcr
    repeats = per_issue - 1.0
    contacts = case.new_issues * per_issue
    work_s = case.new_issues * first * (1.0 + repeats * (1.0 + repeat_longer))  # per interval
    aht = work_s / contacts
    load = work_s / case.interval_s
    sl = guarantees()["service_level"]
    t = float(sl.answer_within_s or 30.0)
    need_c = required_agents(contacts, case.interval_s, aht, answer_within_s=t, target_sl=sl.value).agents
    need_a = required_agents(
        contacts, case.interval_s, aht, answer_within_s=t, target_sl=sl.value, patience_s=case.patience_s
    ).agents
    return {
        "first_aht_s": first,
        "aht_s": aht,
        "fcr": fcr,
        "contacts_per_issue": per_issue,
        "calls": contacts,
        "repeat_calls": contacts - case.new_issues,
        "load_erlangs": load,
        "agents_c": float(need_c),
        "agents_a": float(need_a),
        "scheduled_c": float(math.ceil(need_c / (1.0 - case.shrinkage) - 1e-9)),
    }


def _pct_slider(css: str, description: str, value: int, low: int, high: int, tooltip: str) -> Any:
    return slider(css, description, value, low, high, 1, tooltip=tooltip)


def rushing_panel(case: RushCase = RUSH, *, title: str = "") -> WhatIfPanel:
    """Handle-time cut, first-contact resolution and how much longer repeat calls are → the work and the agents."""
    controls = {
        "aht_cut_pct": _pct_slider("ccsim-aht-cut", "Handle time cut (%)", 0, 0, 30, "How much shorter each call is"),
        "fcr_pct": _pct_slider(
            "ccsim-fcr", "Resolved on the first call (%)", round(100 * case.fcr), 50, 99, "First-contact resolution"
        ),
        "repeat_longer_pct": _pct_slider(
            "ccsim-repeat-longer",
            "Repeat calls longer by (%)",
            round(100 * case.repeat_longer),
            0,
            100,
            "A member who calls again has to explain it all again",
        ),
    }

    def compute(params: Params) -> Results:
        n = rush_numbers(params["aht_cut_pct"] / 100, params["fcr_pct"] / 100, params["repeat_longer_pct"] / 100, case)
        notes = {
            "aht_s": f"first calls {n['first_aht_s']:.0f} s; repeat calls {params['repeat_longer_pct']}% longer",
            "calls": f"{case.new_issues:.0f} new issues + {n['repeat_calls']:.0f} repeat calls every 30 minutes",
            "agents": f"workload {n['load_erlangs']:.1f} Erlangs (agents' worth of work)",
            "scheduled_agents": f"on the schedule with {100 * case.shrinkage:.0f}% shrinkage",
        }
        formula = {k: n[k] for k in ("aht_s", "fcr", "contacts_per_issue", "calls")}
        return {
            "formula": formula,
            "erlang_c": {"agents": n["agents_c"], "scheduled_agents": n["scheduled_c"]},
            "erlang_a": {"agents": n["agents_a"]},
            "notes": {"formula": notes, "erlang_c": notes, "erlang_a": notes},
            "numbers": n,
        }

    arithmetic = "Arithmetic: each call resolves independently"
    tiles = [
        KpiTile("aht_s", "formula", aht_target(), source_name=arithmetic),
        KpiTile("fcr", "formula", fcr_target(), source_name=arithmetic),
        KpiTile("contacts_per_issue", "formula", source_name=arithmetic),
        KpiTile("calls", "formula", source_name=arithmetic),
        KpiTile("agents", "erlang_c", source_name="Erlang C formula: 80% answered within 30 s"),
        KpiTile("agents", "erlang_a", source_name="Erlang A formula: 80% within 30 s, callers hang up"),
        KpiTile("scheduled_agents", "erlang_c", source_name="Erlang C formula: 80% answered within 30 s"),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title)


# ---------------------------------------------------------------------------------------------- member journeys

LINE: dict[str, float] = {"issues_per_day": 2500, "reps": 40, "aht_s": 400.0, "resolution": 0.86, "days": 45}
"""The simulated line: new member issues a weekday, reps on the phones, handle time, share resolved, days."""
JOURNEY_KPIS = (
    "aht_s",
    "fcr",
    "calls",
    "repeat_contact_rate",
    "occupancy",
    "service_level",
    "member_minutes_per_issue",
)


@functools.cache
def _base_preset() -> Any:
    from ccsim.scenario import load_preset

    return load_preset("one_and_done_before")


def journey_line(aht_s: float, resolution: float, *, reps: int = 40, days: int = 45) -> Any:
    """The lab's membership line (a :class:`~ccsim.scenario.Scenario`): one queue, no transfers, members who
    come back about a day later when the call did not resolve their issue (weekends closed)."""
    return _base_preset().updated(
        {
            "name": "lab03_line",
            "horizon": {"days": int(days)},
            "arrivals": {"calls_per_day": LINE["issues_per_day"]},
            "call_types": [
                {
                    "name": "membership",
                    "volume_share": 1,
                    "handle_time": {"kind": "lognormal", "mean_s": aht_s, "cv": 1.0},
                    "patience": {"kind": "exponential", "mean_s": 300},
                    "resolution_share": resolution,
                }
            ],
            "agent_groups": [{"name": "reps", "skills": ["membership"], "headcount": int(reps)}],
            "journeys": {
                "return_share": 1.0,
                "recontact_share": 0.0,
                "chase_share_per_day": 0.0,
                "return_delay": {"kind": "lognormal", "mean_days": 1, "cv": 1.0},
                "reasons": [{"name": "billing_question", "share": 1.0}],
            },
        }
    )


@functools.lru_cache(maxsize=16)
def simulate_line(aht_s: float, resolution: float, seed: int = 1) -> dict[str, float]:
    """One run of :func:`journey_line`: the call KPIs and the journey KPIs, plus ``work_hours`` (talk and wrap-up)."""
    from ccsim.simulation.engine import simulate

    result = simulate(journey_line(aht_s, resolution).to_model(), seed=seed)
    out = {k: float(v) for k, v in summary(result).items()}
    out.update({k: float(v) for k, v in journey_kpis(result).items()})
    out["work_hours"] = out["answered"] * out["aht_s"] / 3600.0
    return out


def _line_notes(r: dict[str, float]) -> dict[str, str]:
    return {
        "calls": f"{r['issues']:,.0f} member issues; {r['work_hours']:,.0f} hours of talk and wrap-up",
        "fcr": f"agent-reported {100 * r['fcr_agent_reported']:.0f}%",
        "repeat_contact_rate": f"{r['contacts_per_issue']:.2f} calls per issue",
    }


def journeys_panel(*, seed: int = 1, title: str = "") -> WhatIfPanel:
    """Baseline (400 s, 86% resolved) beside the learner's setting, simulated on member journeys (Run)."""
    controls = {
        "aht_cut_pct": _pct_slider("ccsim-aht-cut", "Handle time cut (%)", 10, 0, 30, "How much shorter each call is"),
        "resolution_pct": _pct_slider(
            "ccsim-resolution", "Resolved on the call (%)", 75, 50, 99, "Share of calls that resolve the issue"
        ),
    }

    def compute(_params: Params) -> Results:
        base = simulate_line(LINE["aht_s"], LINE["resolution"], seed)
        return {"baseline": base, "notes": {"baseline": _line_notes(base)}}

    def sim(params: Params, _progress: ProgressFn) -> Results:
        # one run of 45 days: the bar says 'Simulating' (the engine reports no days on the way)
        aht = LINE["aht_s"] * (1 - params["aht_cut_pct"] / 100)
        r = simulate_line(aht, params["resolution_pct"] / 100, seed)
        base = simulate_line(LINE["aht_s"], LINE["resolution"], seed)
        return {"simulation": r, "notes": {"baseline": _line_notes(base), "simulation": _line_notes(r)}}

    targets = {**guarantees(), "aht_s": aht_target(), "fcr": fcr_target()}
    targets = {k: targets[k] for k in ("service_level", "aht_s", "fcr")}
    tiles = []
    for kpi in JOURNEY_KPIS:
        tiles.append(KpiTile(kpi, "simulation", targets.get(kpi), source_name="Simulation: your setting"))
        tiles.append(
            KpiTile(kpi, "baseline", targets.get(kpi), source_name="Simulation: baseline (400 s, 86% resolved)")
        )

    panel = WhatIfPanel(
        controls,
        compute,
        tiles=tiles,
        simulate=sim,
        auto_simulate=False,
        targets=targets,
        title=title,
        run_label="Simulate 45 days",
    )
    panel.run()
    return panel
