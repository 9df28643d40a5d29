"""Lab 04's story: the two designs side by side, one member's journey before and after, where hand-offs
come from (issue paths of the full-size presets), the targets the lab judges against. Every number comes
from ccsim; the case is in :mod:`ccsim.labs.lab04_cases`.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ccsim.labs.cases import guarantees
from ccsim.labs.lab04_cases import consult_pct, design_values, run_design
from ccsim.metrics.paths import PATH_WORDS, issue_paths, path_step
from ccsim.metrics.targets import fcr_target, targets_from
from ccsim.views.plots.paths import issue_paths_figure
from ccsim.views.widgets import FigureArea, Target, show_figure

__all__ = [
    "DESIGN_WORDS",
    "SOURCE_NAMES",
    "journey_member",
    "lab_targets",
    "member_journey",
    "paths_figure",
    "people_sentence",
    "preset_run",
    "story_card",
]

DESIGN_WORDS = {"before": "Before (January 2014)", "after": "After: one and done (January 2015)"}
SOURCE_NAMES = {
    "preview": "Quick preview: one month, a fifth of the members and reps",
    "simulation": "Simulation: the full line, 60 days",
}
_KIND_WORDS = {
    "first": "first call",
    "repeat": "called again (not resolved)",
    "redial": "called straight back (had hung up)",
    "chase": "called to chase the back office",
    "recontact": "called again after it was resolved",
}


def lab_targets() -> dict[str, Target]:
    """The targets the lab's tiles judge against: service level (80% in 30 s), AHT (at most 400 s) and FCR
    (at least 85%, 30-day look-back), from the scenario's targets (facts.md)."""
    by_metric = {t.metric: t for t in targets_from(None)}
    return {
        "service_level": guarantees()["service_level"],
        "aht_s": Target.of(by_metric["aht_s"]),
        "fcr": Target.of(fcr_target()),
    }


@functools.cache
def preset_run(design: str, seed: int = 1) -> tuple[dict[str, float], Any]:
    """The full-size preset of ``design`` simulated once with ``seed`` → (KPIs, SimulationResult); kept."""
    return run_design({"design": design}, "full", seed)


# ---------------------------------------------------------------------------------------------- the story


def story_card() -> widgets.HTML:
    """Seed 000 in numbers and the two designs side by side, read from the presets (``ccsim-case``)."""
    b, a = design_values("before"), design_values("after")
    consult = consult_pct("after")
    rows = [
        ("", "Before (January 2014)", "After (January 2015)"),
        ("Warm transfers to a billing specialist", f"{b['transfer_pct']}% of answered calls", "none"),
        ("Consults: the rep stays on the line with a rapid resolution team", "none", f"{consult}% of answered calls"),
        ("The rep resolves on the call", f"{b['resolve_pct']}%", f"{a['resolve_pct']}%"),
        (
            "Back office (Membership Administration), mean",
            f"{b['back_office_days']} days",
            f"{a['back_office_days']} days",
        ),
    ]
    body = "".join(
        "<tr>"
        + "".join(f"<td style='padding:2px 12px 2px 0'>{'<b>' * (i == 0)}{html.escape(c)}</td>" for c in r)
        + "</tr>"
        for i, r in enumerate(rows)
    )
    w = widgets.HTML(f"<table style='font-size:1.05em'>{body}</table>")
    w.add_class("ccsim-case")
    return w


def journey_member(design: str = "before", contacts: int = 6, seed: int = 1) -> int:
    """The issue id of the first member in the full-size ``design`` run who called about stopping an online
    payment, needed exactly ``contacts`` calls and was resolved in the end (the story's member)."""
    issues = preset_run(design, seed)[1].issues
    mine = issues[
        (issues["reason"].astype(str) == "stop_online_payment")
        & (issues["contacts"] == contacts)
        & (issues["status"].astype(str) == "resolved")
    ]
    return int(mine["issue_id"].iloc[0])


def _journey_rows(design: str, issue_id: int, seed: int) -> pd.DataFrame:
    result = preset_run(design, seed)[1]
    c = result.contacts
    c = c[c["issue_id"].to_numpy() == issue_id].sort_values("contact_seq")
    return pd.DataFrame(
        {
            "call": c["contact_seq"].to_numpy(),
            "day": c["day"].to_numpy() + 1,
            "why": [_KIND_WORDS.get(str(k), str(k)) for k in c["contact_kind"]],
            "waited_min": c["wait_s"].to_numpy(dtype=float) / 60.0,
            "talked_min": c["handle_time_s"].to_numpy(dtype=float) / 60.0,
            "ended": [PATH_WORDS[s] for s in path_step(c)],
        }
    )


def people_sentence(seed: int = 1) -> str:
    """The two full lines in members: how many members called, called more than once, were still waiting."""
    parts = []
    for design in ("before", "after"):
        issues = preset_run(design, seed)[1].issues
        again = int((issues["contacts"] > 1).sum())
        still = int((issues["status"].astype(str) == "open").sum())
        parts.append(f"{design}, {again:,} of them called more than once and {still:,} were still waiting at the end")
    n = len(preset_run("before", seed)[1].issues)
    return f"Over the 60 days, {n:,} members called with a new issue. {parts[0].capitalize()}; {parts[1]}."


def member_journey(seed: int = 1) -> widgets.HTML:
    """One member's online-payment stop, call by call, before and after (the same member, the same day),
    after a sentence counting the members of both lines."""
    issue_id = journey_member("before", seed=seed)
    parts = [f"<p>{html.escape(people_sentence(seed))}</p>"]
    for design in ("before", "after"):
        rows = _journey_rows(design, issue_id, seed)
        issue = preset_run(design, seed)[1].issues.set_index("issue_id").loc[issue_id]
        days = float(issue["days_to_resolution"])
        head = (
            f"<b>{html.escape(DESIGN_WORDS[design])}</b>: {len(rows)} call{'s' * (len(rows) != 1)}, "
            f"resolved after {days:.1f} days"
        )
        body = "".join(
            f"<tr><td>{r.call}</td><td>day {r.day}</td><td>{html.escape(str(r.why))}</td>"
            f"<td>{r.waited_min:.1f} min</td><td>{r.talked_min:.1f} min</td><td>{html.escape(str(r.ended))}</td></tr>"
            for r in rows.itertuples()
        )
        th = "".join(f"<th style='text-align:left;padding-right:10px'>{h}</th>" for h in
                     ("call", "when", "why", "waited", "talked", "how it ended"))  # fmt: skip
        parts.append(f"<p>{head}</p><table><tr>{th}</tr>{body}</table>")
    w = widgets.HTML("".join(parts))
    w.add_class("ccsim-journey")
    return w


def paths_figure(seed: int = 1, height: str = "560px") -> FigureArea:
    """Where hand-offs come from: the issue paths of the full-size before and after lines."""
    tables = {}
    for design in ("before", "after"):
        result = preset_run(design, seed)[1]
        tables[DESIGN_WORDS[design]] = issue_paths(result.contacts, issues=len(result.issues))
    fig = issue_paths_figure(tables, PATH_WORDS)
    return show_figure(fig, _paths_alt(tables), height=height)


def _paths_alt(tables: dict[str, pd.DataFrame]) -> str:
    parts = []
    for title, t in tables.items():
        first = t.loc[1]
        passed = first["resolved_after_transfer"] + first["back_office"]
        again = t.drop(index=1).sum().sum()
        parts.append(
            f"{title}: of every 100 member issues, {first['resolved']:.0f} were resolved by the rep who answered "
            f"the first call, {passed:.0f} were handed on at the first call, and {again:.0f} more calls came after"
        )
    return "; ".join(parts) + "."
