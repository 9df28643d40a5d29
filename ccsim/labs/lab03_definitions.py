"""Lab 03, part 2: same word, different definitions. Service level four ways on one simulated day, the
plan's in-seat occupancy beside the industry's busy occupancy, FCR agent-reported beside the 30-day look-back.
Every number computed by ccsim; what each definition rewards and hides is in words.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.service_level import SLDefinition
from ccsim.labs.cases import classroom_case, guarantees
from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.metrics.occupancy import busy_over_scheduled, in_seat_occupancy
from ccsim.views.widgets import KpiTile, Params, Results, Target, WhatIfPanel, agents_slider, slider

__all__ = [
    "SL_WORDS",
    "fcr_table",
    "fcr_two_ways",
    "occupancy_panel",
    "service_level_four_ways",
    "service_level_table",
]

SL_WORDS: dict[str, tuple[str, str, str]] = {
    "offered": (
        "answered within 30 s, out of everyone who called",
        "answering fast; every hang-up counts against it",
        "nothing obvious: the strictest of the four",
    ),
    "exclude_short_abandons": (
        "answered within 30 s, leaving out callers who hung up within 30 s",
        "the same, but quick hang-ups vanish from the count",
        "members who gave up in the first 30 s",
    ),
    "answered": (
        "answered within 30 s, out of the callers who were answered",
        "answering the callers who stayed fast",
        "every caller who hung up: more hang-ups can raise it",
    ),
    "answered_or_abandoned_within": (
        "answered within 30 s or hung up within 30 s, out of everyone who called",
        "quick outcomes of any kind",
        "a quick hang-up counts as well served",
    ),
}
"""Each service-level definition: plain words, what it rewards, what it hides."""


@functools.cache
def service_level_four_ways(agents: int = 47, seed: int = 1) -> dict[str, Any]:
    """One simulated classroom day with ``agents`` agents: callers, answered, hung up and the four service levels."""
    from ccsim.labs.cases import case_params
    from ccsim.labs.queue import queue_model
    from ccsim.simulation.engine import simulate

    case = classroom_case()
    day = simulate(queue_model(case_params({"agents": agents}, case), case), seed=seed)
    s = summary(day)
    log = day.contacts
    wait, outcome = log["wait_s"].to_numpy(dtype=float), log["outcome"].to_numpy()
    within = wait <= case.answer_within_s
    answered_within = int((((outcome == "answered") | (outcome == "callback")) & within).sum())
    abandoned_within = int(((outcome == "abandoned") & within).sum())
    calls, answered = int(s["calls"]), int(s["answered"])
    return {
        "service_level": {d.value: summary(day, sl_definition=d.value)["service_level"] for d in SLDefinition},
        "counted": {  # who is counted as met, out of whom: people behind each percentage
            "offered": (answered_within, calls),
            "exclude_short_abandons": (answered_within, calls - abandoned_within),
            "answered": (answered_within, answered),
            "answered_or_abandoned_within": (answered_within + abandoned_within, calls),
        },
        "calls": calls,
        "answered": answered,
        "abandoned": int(s["abandoned"]),
        "abandoned_within": abandoned_within,
        "agents": agents,
    }


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], css: str) -> widgets.HTML:
    head = "".join(f"<th style='text-align:left;padding:3px 8px'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:3px 8px;vertical-align:top'>{html.escape(c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    w = widgets.HTML(f"<table style='border-collapse:collapse'><tr>{head}</tr>{body}</table>")
    w.add_class(css)
    return w


def service_level_table(agents: int = 47, seed: int = 1) -> widgets.HTML:
    """The four service levels of one simulated day, with what each rewards and hides."""
    n = service_level_four_ways(agents, seed)
    sl, counted = n["service_level"], n["counted"]
    rows = [
        (words, f"{100 * sl[d]:.0f}% ({counted[d][0]:,} of {counted[d][1]:,})", rewards, hides)
        for d, (words, rewards, hides) in SL_WORDS.items()
    ]
    return _table(("Service level counts", "this day", "rewards", "hides"), rows, "ccsim-sl-four-ways")


def occupancy_panel(*, title: str = "") -> WhatIfPanel:
    """The classroom queue: busy occupancy (Erlang A, the industry's) beside in-seat occupancy (the plan's)."""
    case = classroom_case()
    controls = {
        "agents": agents_slider(case.agents),
        "off_phone_min": slider(
            "ccsim-off-phone",
            "Minutes off the phones in an 8-hour shift",
            60,
            0,
            180,
            5,
            tooltip="Breaks, meetings, coaching and training",
        ),
    }

    def compute(params: Params) -> Results:
        m = erlang_a(
            case.calls_per_interval,
            case.interval_s,
            case.aht_s,
            params["agents"],
            case.patience_s,
            case.answer_within_s,
        )
        seat = in_seat_occupancy(480, params["off_phone_min"])
        whole = busy_over_scheduled(m.occupancy, seat)
        return {
            "erlang_a": {"occupancy": m.occupancy, "service_level": m.service_level},
            "in_seat": {"occupancy": seat},
            "notes": {
                "erlang_a": {"occupancy": f"on calls {100 * whole:.0f}% of the whole shift"},
                "in_seat": f"{480 - params['off_phone_min']} of 480 scheduled minutes at the phone",
            },
        }

    tiles = [
        KpiTile("service_level", "erlang_a", guarantees()["service_level"], source_name="Erlang A formula"),
        KpiTile("occupancy", "erlang_a", source_name="Busy (the industry's): on calls over time at the phone"),
        KpiTile(
            "occupancy",
            "in_seat",
            Target("occupancy", 0.85, "at_least"),
            source_name="In seat (the plan's): at the phone over scheduled time",
        ),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title)


@functools.cache
def fcr_two_ways(days: int = 45, seed: int = 1) -> dict[str, float]:
    """FCR agent-reported and with the 30-day look-back on the ``one_and_done_before`` line (``days`` days)."""
    from ccsim.scenario import load_preset
    from ccsim.simulation.engine import simulate

    result = simulate(load_preset("one_and_done_before").to_model(days=days), seed=seed)
    j = journey_kpis(result)
    return {k: float(j[k]) for k in ("issues", "fcr", "fcr_agent_reported", "fcr_window_days")}


def fcr_table(days: int = 45, seed: int = 1) -> widgets.HTML:
    """FCR two ways on the same issues, with what each rewards and hides."""
    f = fcr_two_ways(days, seed)
    rows = [
        (
            "agent-reported: the agent marks the issue resolved at the end of the call",
            f"{100 * f['fcr_agent_reported']:.0f}%",
            "closing the call with a 'resolved'",
            "resolutions that did not hold: the member called again",
        ),
        (
            f"{f['fcr_window_days']:.0f}-day look-back: no further call about the issue within "
            f"{f['fcr_window_days']:.0f} days",
            f"{100 * f['fcr']:.0f}%",
            "what the member lived",
            "a member who gave up and never called back counts as resolved",
        ),
    ]
    return _table(("First-contact resolution counts", "this line", "rewards", "hides"), rows, "ccsim-fcr-two-ways")
