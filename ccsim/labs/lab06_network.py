"""Lab 06, part 2: the three-site network on one day, kept apart, sharing calls after a delay, or fully pooled.

:func:`network_panel` simulates the same day of ``member_services_month``'s members (one day of its
personas: ``load_preset("member_services_month").to_model(days=1)``, the sites, staff and callers of
``member_services_network``) three ways, with the same members and issues each time (a member who hangs up may call again, so
the calls differ a little):

* **kept apart**: each site answers only its own callers (``site_first`` routing, overflow never);
* **call sharing**: own site first, any site once a caller has waited the overflow delay (the control);
* **fully pooled**: any skilled agent at any site at once (``pooled`` routing).

Tiles: service level, abandonment and ASA for each way; tables: every queue and every kind of member
(persona), counted in people. Kept apart and pooled are simulated once, when the panel is built.
"""

from __future__ import annotations

import dataclasses
import functools
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ccsim.labs.cases import guarantees
from ccsim.metrics.groups import caller_kpis_by, row_numbers
from ccsim.metrics.kpis import summary
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel, Routing
from ccsim.simulation.result import SimulationResult
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider

__all__ = [
    "NEVER_S",
    "PERSONA_WORDS",
    "QUEUE_WORDS",
    "WAYS",
    "day_model",
    "network_panel",
    "outcomes_table",
    "routed_model",
    "simulate_way",
    "way_outcomes",
    "way_results",
]

NEVER_S = 86_400.0
"""An overflow delay no caller waits out: sites kept apart."""
WAYS = {"separate": "Kept apart", "sharing": "Call sharing", "pooled": "Fully pooled"}
"""The three ways, in the order the tiles and tables show them."""
QUEUE_WORDS = {
    "general_english": "English",
    "general_spanish": "Spanish",
    "cantonese": "Cantonese",
    "mandarin": "Mandarin",
    "tty": "TTY (hearing loss)",
    "claims": "Claims specialists",
    "medicare": "Medicare specialists",
}
PERSONA_WORDS = {
    "adult": "Adult members",
    "new_member": "New members",
    "senior": "Seniors",
    "spanish_speaker": "Spanish speakers",
    "cantonese_speaker": "Cantonese speakers",
    "mandarin_speaker": "Mandarin speakers",
    "tty_user": "TTY users",
}
SEED = 6


@functools.cache
def day_model() -> CenterModel:
    """One weekday of ``member_services_month``: the network's sites, staff and callers, with personas."""
    return load_preset("member_services_month").to_model(days=1)


def routed_model(way: str, overflow_s: float) -> CenterModel:
    """The day with the routing of ``way`` (``separate``, ``sharing`` after ``overflow_s`` seconds, or ``pooled``)."""
    if way == "pooled":
        routing = Routing("pooled")
    else:
        routing = Routing("site_first", overflow_after_s=NEVER_S if way == "separate" else float(overflow_s))
    return dataclasses.replace(day_model(), routing=routing)


@functools.lru_cache(maxsize=16)
def simulate_way(way: str, overflow_s: float, seed: int = SEED) -> SimulationResult:
    """The simulated day routed as ``way`` (cached: the same day is asked for often)."""
    return simulate(routed_model(way, overflow_s if way == "sharing" else 0.0), seed)


def _people(n: float) -> str:
    return f"{n:,.0f}"


@functools.lru_cache(maxsize=16)
def way_outcomes(way: str, overflow_s: float, seed: int = SEED) -> dict[str, Any]:
    """The day routed as ``way``: overall ``summary``, and caller KPIs ``by_queue`` and ``by_persona`` (cached)."""
    if way != "sharing" and overflow_s != 0.0:
        return way_outcomes(way, 0.0, seed)  # the delay only matters to call sharing
    r = simulate_way(way, overflow_s if way == "sharing" else 0.0, seed)
    return {
        "summary": summary(r),
        "by_queue": caller_kpis_by(r, "call_type"),
        "by_persona": caller_kpis_by(r, "persona"),
    }


def outcomes_table(tables: dict[str, pd.DataFrame | None], words: dict[str, str], first: str) -> str:
    """HTML: one row per queue or persona (``words``' keys), one column per way: answered within 30 s and hung up, in people."""
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(WAYS[w])}</th>" for w in tables)
    body = []
    for key, name in words.items():
        cells = []
        for t in tables.values():
            if t is None:
                cells.append("<td style='padding:2px 8px'><i>press Run</i></td>")
            elif key not in t.index:
                cells.append("<td style='padding:2px 8px'>no callers</td>")
            else:
                r = row_numbers(t, key)
                cells.append(
                    f"<td style='padding:2px 8px'>{_people(r['answered_within'])} of {_people(r['calls'])} in time "
                    f"({100 * r['service_level']:.0f}%); {_people(r['abandoned'])} hung up</td>"
                )
        body.append(f"<tr><td style='padding:2px 8px'><b>{html.escape(name)}</b></td>{''.join(cells)}</tr>")
    return (
        f"<table style='border-collapse:collapse'><thead><tr><th style='text-align:left;padding:2px 8px'>{first}</th>"
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def way_results(way: str, s: dict[str, float]) -> tuple[dict[str, float], dict[str, str]]:
    """The tiles' values and notes of one way from its ``summary``."""
    within = round(s["service_level"] * s["calls"])
    values = {k: s[k] for k in ("service_level", "abandonment_rate", "asa_s")}
    notes = {
        "service_level": f"{_people(within)} of {_people(s['calls'])} calls answered within 30 s",
        "abandonment_rate": f"{_people(s['abandoned'])} callers hung up",
        "asa_s": "average wait of the callers answered",
    }
    return values, notes


def network_panel(*, title: str = "") -> WhatIfPanel:
    """Overflow delay of call sharing → one simulated day kept apart, shared and pooled: tiles, and tables by queue and by member.

    Kept apart and fully pooled do not depend on the delay (simulated once, when the panel is built);
    call sharing is simulated when Run is pressed (about half a second).
    """
    controls = {
        "overflow_s": slider(
            "ccsim-overflow", "Share after (s)", 20, 0, 300, 5, tooltip="How long a caller waits for their own site"
        )
    }
    by_queue = widgets.HTML()
    by_queue.add_class("ccsim-routing-queues")
    by_member = widgets.HTML()
    by_member.add_class("ccsim-routing-members")
    current: list[float] = []

    def run(params: Params, progress: ProgressFn) -> Results:
        way_outcomes("sharing", float(params["overflow_s"]))
        progress(1, 1)
        current[:] = [float(params["overflow_s"])]
        return {}

    def compute(params: Params) -> Results:
        overflow = float(params["overflow_s"])
        outcomes = {way: way_outcomes(way, overflow) for way in ("separate", "pooled")}
        if current == [overflow]:
            outcomes["sharing"] = way_outcomes("sharing", overflow)
        out: Results = {"notes": {}}
        for way in WAYS:
            if way in outcomes:
                out[way], out["notes"][way] = way_results(way, outcomes[way]["summary"])
        if "sharing" not in outcomes:
            out["messages"] = ["Press Run to simulate call sharing with this delay (about half a second)."]
        for area, key, words, first, heading in (
            (by_queue, "by_queue", QUEUE_WORDS, "Queue", "By queue"),
            (by_member, "by_persona", PERSONA_WORDS, "Members", "By kind of member"),
        ):
            tables = {way: (outcomes[way][key] if way in outcomes else None) for way in WAYS}
            area.value = f"<h4 style='margin:6px 0'>{heading}</h4>" + outcomes_table(tables, words, first)
        out["outcomes"] = outcomes
        return out

    sl = guarantees()
    tiles = [
        KpiTile(kpi, way, sl.get(kpi), source_name=f"Simulated day: {words.lower()}")
        for kpi in ("service_level", "abandonment_rate", "asa_s")
        for way, words in WAYS.items()
    ]
    panel = WhatIfPanel(
        controls,
        compute,
        tiles=tiles,
        simulate=run,
        auto_simulate=False,
        title=title,
        run_label="Simulate call sharing",
        extra=[by_queue, by_member],
        sim_source="sharing",
    )
    panel.run()
    return panel
