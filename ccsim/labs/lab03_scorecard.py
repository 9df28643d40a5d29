"""Lab 03, part 3: game the scorecard, the people side (an illustrative attrition model) and adherence.

All three panels run on the classroom queue (50 agents, 427.5 calls an hour, handle time 400 s, patience
300 s) through the Erlang A formula, so every control answers at once.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets

from ccsim.analytics.erlang import QueueMetrics, erlang_a
from ccsim.labs.cases import classroom_case, guarantees
from ccsim.labs.lab03_rushing import aht_target
from ccsim.views.widgets import (
    KpiTile,
    Params,
    Results,
    WhatIfPanel,
    agents_slider,
    patience_slider,
    sl_definition_dropdown,
    slider,
)

__all__ = [
    "PEOPLE",
    "QUICK_TRANSFER_S",
    "adherence_numbers",
    "adherence_panel",
    "game_numbers",
    "game_panel",
    "people_numbers",
    "people_panel",
]

QUICK_TRANSFER_S = 120.0
"""How long a quick transfer takes before the member is passed on (the next agent starts again)."""
SHRINKAGE = 0.41
"""facts.md: forecasted on-line time 59%."""


def game_numbers(patience_s: float, sl_definition: str, quick_transfer: float) -> dict[str, float]:
    """The classroom day when callers hang up after ``patience_s`` on average and a share ``quick_transfer`` of
    calls is passed on after :data:`QUICK_TRANSFER_S` seconds to an agent who starts again (a second call)."""
    c = classroom_case()
    per_issue = 1.0 + quick_transfer
    contacts = c.calls_per_interval * per_issue
    aht = (c.aht_s + quick_transfer * QUICK_TRANSFER_S) / per_issue
    m = erlang_a(contacts, c.interval_s, aht, c.agents, patience_s, c.answer_within_s, sl_definition)
    day_calls = contacts * c.intervals
    return {
        "service_level": m.service_level,
        "asa_s": m.asa_s,
        "aht_s": aht,
        "abandonment_rate": m.abandonment_rate,
        "abandoned": day_calls * m.abandonment_rate,
        "calls": day_calls,
        "contacts_per_issue": per_issue,
        "member_minutes_per_issue": (per_issue * m.mean_wait_all_s + c.aht_s + quick_transfer * QUICK_TRANSFER_S)
        / 60.0,
    }


def game_panel(*, title: str = "") -> WhatIfPanel:
    """Changes that turn the scorecard green while members suffer, and the member-side tiles that expose them."""
    c = classroom_case()
    controls = {
        "patience_s": patience_slider(c.patience_s, min=30, max=600),
        "sl_definition": sl_definition_dropdown("offered"),
        "quick_transfer_pct": slider(
            "ccsim-quick-transfer",
            "Calls passed on after 2 minutes (%)",
            0,
            0,
            40,
            1,
            tooltip="The agent transfers the member instead of solving the issue",
        ),
    }

    def compute(params: Params) -> Results:
        n = game_numbers(params["patience_s"], params["sl_definition"], params["quick_transfer_pct"] / 100)
        keys = ("service_level", "asa_s", "aht_s")
        return {
            "scorecard": {k: n[k] for k in keys},
            "members": {k: n[k] for k in ("abandoned", "contacts_per_issue", "member_minutes_per_issue")},
            "notes": {"members": {"abandoned": f"of {n['calls']:,.0f} calls today"}},
        }

    g = guarantees()
    scorecard = "Scorecard (Erlang A formula)"
    members = "Members' side (Erlang A formula)"
    tiles = [
        KpiTile("service_level", "scorecard", g["service_level"], source_name=scorecard),
        KpiTile("asa_s", "scorecard", g["asa_s"], source_name=scorecard),
        KpiTile("aht_s", "scorecard", aht_target(), source_name=scorecard),
        KpiTile("abandoned", "members", source_name=members),
        KpiTile("contacts_per_issue", "members", source_name=members),
        KpiTile("member_minutes_per_issue", "members", source_name=members),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title)


# ---------------------------------------------------------------------------------------------- the people side

PEOPLE = {"base_attrition_pct": 25, "extra_per_point_pct": 2, "cost_per_leaver": 15000, "agent_cost": 50000}
"""The illustrative model's starting assumptions (only the cost per leaver is a fact: $10,000–20,000, seed 003)."""
COMFORT = 0.85
"""Busy occupancy above which the illustrative model adds leavers."""


def people_numbers(agents: int, p: dict[str, Any]) -> dict[str, float]:
    """The illustrative model for ``agents`` on the phones: busy occupancy, yearly leavers and costs (dollars)."""
    c = classroom_case()
    m = erlang_a(c.calls_per_interval, c.interval_s, c.aht_s, agents, c.patience_s, c.answer_within_s)
    team = math.ceil(agents / (1 - SHRINKAGE) - 1e-9)
    base_team = math.ceil(c.agents / (1 - SHRINKAGE) - 1e-9)
    over = max(0.0, 100 * (m.occupancy - COMFORT))
    attrition = min(100.0, p["base_attrition_pct"] + p["extra_per_point_pct"] * over) / 100
    leavers = team * attrition
    turnover = leavers * p["cost_per_leaver"]
    staffing = (team - base_team) * p["agent_cost"]
    return {
        "occupancy": m.occupancy,
        "service_level": m.service_level,
        "scheduled_agents": float(team),
        "leavers": leavers,
        "turnover_cost": turnover,
        "staffing_cost": staffing,
        "total": turnover + staffing,
    }


def _money(x: float) -> str:
    return f"−${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def _people_table(p: dict[str, Any], now: int) -> str:
    rows = []
    for a in range(46, 61, 2):
        n = people_numbers(a, p)
        style = "font-weight:bold;background:#eef" if a == now else ""
        cells = (
            f"{a}",
            f"{100 * n['service_level']:.0f}%",
            f"{100 * n['occupancy']:.0f}%",
            f"{n['leavers']:.1f}",
            _money(n["turnover_cost"]),
            _money(n["staffing_cost"]),
            _money(n["total"]),
        )
        rows.append(f"<tr style='{style}'>" + "".join(f"<td style='padding:2px 8px'>{x}</td>" for x in cells) + "</tr>")
    head = (
        "Agents on the phones",
        "Service level",
        "Busy",
        "Leavers a year",
        "Turnover cost",
        "Extra agents cost",
        "Both",
    )
    th = "".join(f"<th style='padding:2px 8px;text-align:left'>{html.escape(h)}</th>" for h in head)
    return (
        "<p><b>Illustrative model, not a forecast.</b> Every number below follows from the assumptions you set "
        "above; only the cost per leaver ($10,000–20,000) comes from a source (seed 003).</p>"
        f"<table style='border-collapse:collapse'><tr>{th}</tr>{''.join(rows)}</table>"
    )


def people_panel(*, title: str = "") -> WhatIfPanel:
    """Sustained high busy time → attrition and its cost, beside the cost of the extra agents (illustrative)."""
    c = classroom_case()
    controls = {
        "agents": agents_slider(c.agents, min=44, max=64),
        "base_attrition_pct": slider(
            "ccsim-base-attrition", "Assumed: yearly leavers (%)", PEOPLE["base_attrition_pct"], 0, 60, 1
        ),
        "extra_per_point_pct": slider(
            "ccsim-extra-attrition", "Assumed: extra per busy point over 85%", PEOPLE["extra_per_point_pct"], 0, 10, 1
        ),
        "cost_per_leaver": slider(
            "ccsim-leaver-cost", "Cost per leaver ($, seed 003)", PEOPLE["cost_per_leaver"], 10000, 20000, 1000
        ),
        "agent_cost": slider(
            "ccsim-agent-cost", "Assumed: cost of an agent a year ($)", PEOPLE["agent_cost"], 30000, 90000, 5000
        ),
    }
    table = widgets.HTML()
    table.add_class("ccsim-people-table")

    def compute(params: Params) -> Results:
        p = {k: params[k] for k in PEOPLE}
        n = people_numbers(params["agents"], p)
        table.value = _people_table(p, params["agents"])
        return {
            "erlang_a": {"occupancy": n["occupancy"], "service_level": n["service_level"]},
            "model": {"scheduled_agents": n["scheduled_agents"]},
            "notes": {"model": f"about {n['leavers']:.1f} leave a year"},
            "numbers": n,
        }

    tiles = [
        KpiTile("occupancy", "erlang_a", source_name="Busy occupancy, Erlang A formula"),
        KpiTile("service_level", "erlang_a", guarantees()["service_level"], source_name="Erlang A formula"),
        KpiTile("scheduled_agents", "model", source_name="Illustrative model: 41% shrinkage"),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[table])


# ---------------------------------------------------------------------------------------------- adherence


def _quarter(agents: int) -> QueueMetrics:
    c = classroom_case()
    return erlang_a(c.calls_per_hour / 4, 900.0, c.aht_s, agents, c.patience_s, c.answer_within_s)


def adherence_numbers(off: int) -> dict[str, float]:
    """A busy quarter hour of the classroom queue (Erlang A) with everyone in, and with ``off`` agents away."""
    c = classroom_case()
    calls = c.calls_per_hour / 4
    full, less = _quarter(c.agents), _quarter(c.agents - off)
    return {
        "calls": calls,
        "late_full": calls * (1 - full.p_answered_within - full.p_abandoned_within),
        "late_less": calls * (1 - less.p_answered_within - less.p_abandoned_within),
        "hung_up_full": calls * full.abandonment_rate,
        "hung_up_less": calls * less.abandonment_rate,
        "sl_full": full.service_level,
        "sl_less": less.service_level,
    }


def adherence_panel(*, title: str = "") -> WhatIfPanel:
    """One agent (or more) off the phones for a quarter hour at a busy time: the callers then."""
    c = classroom_case()
    controls = {"off": slider("ccsim-off-agents", "Agents off the phones for 15 minutes", 1, 0, 5, 1)}
    words = widgets.HTML()
    words.add_class("ccsim-adherence-words")

    def compute(params: Params) -> Results:
        n = adherence_numbers(params["off"])
        full, less = _quarter(c.agents), _quarter(c.agents - params["off"])
        words.value = (
            f"<p>Of the {n['calls']:.0f} callers in those 15 minutes, about {n['late_less']:.0f} waited more than "
            f"{c.answer_within_s:g} s or hung up after it ({n['late_full']:.0f} with everyone in), and about "
            f"{n['hung_up_less']:.1f} hung up ({n['hung_up_full']:.1f}).</p>"
        )
        keys = ("service_level", "asa_s", "abandonment_rate")
        return {
            "erlang_a": {k: getattr(full, k) for k in keys},
            "adherence": {k: getattr(less, k) for k in keys},
        }

    g = guarantees()
    tiles = []
    for k in ("service_level", "asa_s", "abandonment_rate"):
        tiles.append(KpiTile(k, "erlang_a", g[k], source_name=f"Everyone in: {c.agents} agents (Erlang A)"))
        tiles.append(KpiTile(k, "adherence", g[k], source_name="With agents off the phones (Erlang A)"))
    return WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[words])
