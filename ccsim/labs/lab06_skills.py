"""Lab 06, part 3: a skill matrix. Which groups take which languages, at which priority; a few cross-trained agents.

A Pacific-site afternoon built in code (:func:`skills_model`): a busy English line and three small
queues (Cantonese, Mandarin, TTY) with 42 agents in all. The learner sets the skill matrix:

* ``cross_trained``: English reps who also speak Cantonese and Mandarin (taken from the English reps:
  the same 42 people, trained differently), and what they take first (``cross_first``: ``chinese``,
  ``english``, or ``same``: both at the same priority);
* ``chain``: Cantonese and Mandarin reps take each other's calls when their own queue is empty;
* ``small_take_english``: the Cantonese, Mandarin and TTY reps take English calls when free;
* ``mode``: ``pooled`` routing, or ``specialists_first`` (:mod:`ccsim.simulation.routing_specialists`:
  an arriving caller goes to the idle rep with the fewest skills, keeping cross-trained reps free).

:func:`skills_panel` shows the matrix as a table, and the service level of each queue and of all
callers over :data:`DAYS` simulated afternoons (simulated on every change, about a tenth of a second; cached).
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import cast

import ipywidgets as widgets
import pandas as pd

from ccsim.labs.cases import guarantees
from ccsim.metrics.groups import caller_kpis_by, row_numbers
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel, Routing
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider

__all__ = [
    "DAYS",
    "MATRIX",
    "QUEUES",
    "SkillCase",
    "matrix_html",
    "skill_rows",
    "skills_model",
    "skills_numbers",
    "skills_panel",
]

QUEUES = {"english": "English", "cantonese": "Cantonese", "mandarin": "Mandarin", "tty": "TTY"}
DAYS = 6
MATRIX: dict[str, object] = {
    "cross_trained": 0,
    "cross_first": "chinese",
    "chain": False,
    "small_take_english": False,
    "mode": "pooled",
}
"""The matrix the panel starts from: every group takes only its own queue (kept apart)."""


@dataclass(frozen=True)
class SkillCase:
    """Calls per 30 minutes and handle time (s) of each queue; reps per group; hours simulated."""

    calls: tuple[float, ...] = (150.0, 6.0, 6.0, 2.0)
    aht_s: tuple[float, ...] = (360.0, 480.0, 480.0, 900.0)
    reps: tuple[int, ...] = (34, 3, 3, 2)
    patience_s: float = 300.0
    intervals: int = 8


CASE = SkillCase()


def skill_rows(
    cross_trained: int, cross_first: str, chain: bool, small_take_english: bool, case: SkillCase = CASE
) -> list[tuple[str, int, dict[str, int]]]:
    """The skill matrix: (group, reps, {skill: priority, 1 first}) for every group with reps."""
    english, cantonese, mandarin, tty = case.reps
    rows: list[tuple[str, int, dict[str, int]]] = [("English reps", english - cross_trained, {"english": 1})]
    if cross_trained:
        chinese, english_p = {"chinese": (1, 2), "english": (2, 1)}.get(cross_first, (1, 1))
        rows.append(
            ("Cross-trained reps", cross_trained, {"english": english_p, "cantonese": chinese, "mandarin": chinese})
        )
    other = 3 if chain else 2
    for name, n, own, mate in (
        ("Cantonese reps", cantonese, "cantonese", "mandarin"),
        ("Mandarin reps", mandarin, "mandarin", "cantonese"),
    ):
        skills = {own: 1}
        if chain:
            skills[mate] = 2
        if small_take_english:
            skills["english"] = other
        rows.append((name, n, skills))
    rows.append(("TTY reps", tty, {"tty": 1, "english": 2} if small_take_english else {"tty": 1}))
    return [r for r in rows if r[1] > 0]


def skills_model(
    cross_trained: int, cross_first: str, chain: bool, small_take_english: bool, mode: str, case: SkillCase = CASE
) -> CenterModel:
    """The afternoon with this skill matrix and routing ``mode``."""
    call_types = tuple(
        CallType(q, Exponential(a), patience=Exponential(case.patience_s * (2 if q == "tty" else 1)))
        for q, a in zip(QUEUES, case.aht_s, strict=True)
    )
    arrivals = tuple(ArrivalStream(q, (c,) * case.intervals) for q, c in zip(QUEUES, case.calls, strict=True))
    groups = tuple(
        AgentGroup(name.lower().replace(" ", "_"), ((0, n),), skills=tuple(skills.items()))
        for name, n, skills in skill_rows(cross_trained, cross_first, chain, small_take_english, case)
    )
    return CenterModel(
        interval_s=1800.0, call_types=call_types, arrivals=arrivals, agent_groups=groups, routing=Routing(mode)
    )


@functools.lru_cache(maxsize=64)
def skills_numbers(
    cross_trained: int, cross_first: str, chain: bool, small_take_english: bool, mode: str, days: int = DAYS
) -> pd.DataFrame:
    """Callers per queue over ``days`` simulated afternoons (seeds 1..days): calls, answered within 30 s, hung up, service level; row ``all`` for everyone."""
    model = skills_model(cross_trained, cross_first, chain, small_take_english, mode)
    parts = [caller_kpis_by(simulate(model, seed), "call_type") for seed in range(1, days + 1)]
    counts = sum(p[["calls", "answered_within", "abandoned"]] for p in parts)
    assert isinstance(counts, pd.DataFrame)
    counts = counts.reindex(list(QUEUES)).fillna(0)
    counts.loc["all"] = counts.sum()
    counts["service_level"] = counts["answered_within"] / counts["calls"]
    counts["abandonment_rate"] = counts["abandoned"] / counts["calls"]
    return counts


def matrix_html(rows: list[tuple[str, int, dict[str, int]]]) -> str:
    """The skill matrix as an HTML table: groups down, queues across, the priority in each cell (1 first; blank: not taken)."""
    words = {1: "1st", 2: "2nd", 3: "3rd"}
    head = "".join(f"<th style='padding:2px 10px'>{q}</th>" for q in QUEUES.values())
    body = "".join(
        f"<tr><td style='padding:2px 10px'><b>{html.escape(name)}</b> ({n})</td>"
        + "".join(
            f"<td style='padding:2px 10px;text-align:center'>{words.get(skills.get(q, 0), '—')}</td>" for q in QUEUES
        )
        + "</tr>"
        for name, n, skills in rows
    )
    return (
        "<table style='border-collapse:collapse' class='ccsim-skill-matrix'><thead><tr>"
        f"<th style='text-align:left;padding:2px 10px'>Group (reps)</th>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _controls() -> dict[str, widgets.ValueWidget]:
    yes_no = [("no", False), ("yes", True)]

    def dropdown(css: str, description: str, options: list, value: object) -> widgets.Dropdown:
        w = widgets.Dropdown(
            options=options,
            value=value,
            description=description,
            style={"description_width": "260px"},
            layout=widgets.Layout(width="520px"),
        )
        w.add_class(css)
        return w

    return {
        "cross_trained": slider(
            "ccsim-cross-trained",
            "Cross-trained reps",
            cast(int, MATRIX["cross_trained"]),
            0,
            8,
            1,
            tooltip="English reps who also speak Cantonese and Mandarin",
        ),
        "cross_first": dropdown(
            "ccsim-cross-first",
            "Cross-trained reps take first",
            [
                ("Cantonese and Mandarin calls", "chinese"),
                ("English calls", "english"),
                ("whichever (same priority)", "same"),
            ],
            MATRIX["cross_first"],
        ),
        "chain": dropdown("ccsim-chain", "Cantonese and Mandarin reps cover each other", yes_no, MATRIX["chain"]),
        "small_take_english": dropdown(
            "ccsim-small-english", "Language and TTY reps take English when free", yes_no, MATRIX["small_take_english"]
        ),
        "mode": dropdown(
            "ccsim-routing-mode",
            "Routing",
            [("pooled: the rep idle longest", "pooled"), ("specialists first", "specialists_first")],
            MATRIX["mode"],
        ),
    }


def _key(params: Params) -> tuple[int, str, bool, bool, str]:
    return (
        int(params["cross_trained"]),
        str(params["cross_first"]),
        bool(params["chain"]),
        bool(params["small_take_english"]),
        str(params["mode"]),
    )


def skills_panel(*, title: str = "") -> WhatIfPanel:
    """The skill matrix's controls → the matrix as a table, and each queue's service level over :data:`DAYS` afternoons."""
    matrix = widgets.HTML()
    matrix.add_class("ccsim-skill-matrix-area")

    def compute(params: Params) -> Results:
        matrix.value = matrix_html(skill_rows(*_key(params)[:4]))
        return {}

    def run(params: Params, progress: ProgressFn) -> Results:
        table = skills_numbers(*_key(params))
        progress(1, 1)
        out: Results = {"notes": {}}
        for q in [*QUEUES, "all"]:
            r = row_numbers(table, q)
            out[q] = {"service_level": r["service_level"], "abandonment_rate": r["abandonment_rate"]}
            out["notes"][q] = {
                "service_level": f"{r['answered_within']:,.0f} of {r['calls']:,.0f} callers within 30 s ({DAYS} afternoons)",
                "abandonment_rate": f"{r['abandoned']:,.0f} hung up",
            }
        out["table"] = table
        return out

    g = guarantees()
    names = {**QUEUES, "all": "All callers"}
    tiles = [
        KpiTile(kpi, q, g[kpi], source_name=f"Simulated: {words}")
        for kpi in ("service_level", "abandonment_rate")
        for q, words in names.items()
    ]
    panel = WhatIfPanel(
        _controls(),
        compute,
        tiles=tiles,
        simulate=run,
        auto_simulate=True,
        title=title,
        run_label=f"Simulate {DAYS} afternoons",
        extra=[matrix],
        sim_source="all",
    )
    panel.run()
    return panel
