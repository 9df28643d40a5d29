"""One vocabulary: every KPI ccsim reports, with its label, unit, scale, direction and definition.

The KPI tables (:mod:`ccsim.metrics.kpis`), scorecards, plots, widget tiles and the command line's JSON
all name a KPI by its key here (``service_level``, ``asa_s``, ``abandonment_rate``, ...), so the same
thing has the same name everywhere. Rates are fractions 0–1 inside (``scale`` 100 turns them into
percent at the edges); times are seconds (keys end in ``_s``).

    >>> KPIS["asa_s"].label, KPIS["asa_s"].unit
    ('Average speed of answer', 's')
    >>> KPIS["abandonment_rate"].display(0.0312)
    '3.1 %'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["KPIS", "Kpi", "kpi"]

Direction = Literal["higher_is_better", "lower_is_better", "neither"]


@dataclass(frozen=True)
class Kpi:
    """A KPI: ``key`` (its name in every table and JSON), words, unit and how to show it.

    ``unit`` is ``"%"`` (a fraction 0–1 shown ×100), ``"s"`` (seconds), ``"count"`` or ``"ratio"``;
    ``direction`` says which way is better for members and the center (``"neither"`` where both ways
    cost something, as with occupancy); ``css`` is the class its widget tile carries (``ccsim-kpi-<css>``).
    """

    key: str
    label: str
    unit: Literal["%", "s", "count", "ratio"]
    direction: Direction
    definition: str
    css: str
    axis: str = ""

    @property
    def scale(self) -> float:
        """Multiplier from the inside value to the shown one (100 for percentages, else 1)."""
        return 100.0 if self.unit == "%" else 1.0

    @property
    def axis_label(self) -> str:
        """A figure axis label with the unit."""
        if self.axis:
            return self.axis
        return (
            f"{self.label} (%)" if self.unit == "%" else f"{self.label} (seconds)" if self.unit == "s" else self.label
        )

    def display(self, value: float | None, digits: int = 1) -> str:
        """``value`` in the shown unit: ``'3.1 %'``, ``'28 s'``, ``'3,492'``; ``'no data'`` for None or NaN."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no data"
        if math.isinf(value):
            return "endless"
        if self.unit == "%":
            return f"{self.scale * value:.{digits}f} %"
        if self.unit == "s":
            return f"{value:.0f} s"
        if self.unit == "count":
            return f"{value:,.0f}"
        return f"{value:.2f}"


def _k(key: str, label: str, unit: Literal["%", "s", "count", "ratio"], direction: Direction, definition: str,
       css: str, axis: str = "") -> Kpi:  # fmt: skip
    return Kpi(key, label, unit, direction, definition, css, axis)


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        _k(
            "calls",
            "Callers",
            "count",
            "neither",
            "callers offered to the queues (a transfer is not a new caller)",
            "calls",
        ),
        _k("answered", "Answered", "count", "higher_is_better", "callers an agent answered", "answered"),
        _k("abandoned", "Hung up", "count", "lower_is_better", "callers who hung up while waiting", "abandoned"),
        _k(
            "unanswered",
            "Still waiting at the end",
            "count",
            "lower_is_better",
            "callers still waiting when the drain time after the horizon ran out",
            "unanswered",
        ),  # fmt: skip
        _k(
            "service_level",
            "Service level",
            "%",
            "higher_is_better",
            "callers answered within T seconds, over the callers the named definition counts",
            "service-level",
        ),  # fmt: skip
        _k(
            "asa_s",
            "Average speed of answer",
            "s",
            "lower_is_better",
            "mean wait of the answered callers, in seconds",
            "asa",
            "Average speed of answer (seconds)",
        ),  # fmt: skip
        _k(
            "abandonment_rate",
            "Abandonment",
            "%",
            "lower_is_better",
            "callers who hung up while waiting, over callers offered",
            "abandonment",
            "Abandoned calls (%)",
        ),  # fmt: skip
        _k(
            "aht_s",
            "Average handle time",
            "s",
            "neither",
            "mean talk plus after-call work of answered calls, in seconds",
            "aht",
        ),  # fmt: skip
        _k(
            "occupancy",
            "Occupancy",
            "%",
            "neither",
            "time agents are busy with calls, over the time they are on duty",
            "occupancy",
            "Occupancy: time agents are busy (%)",
        ),  # fmt: skip
        _k("p_wait", "Callers who wait", "%", "lower_is_better", "callers who were not answered at once", "p-wait"),
        _k(
            "mean_wait_s",
            "Mean wait",
            "s",
            "lower_is_better",
            "mean wait of every caller who queued, in seconds",
            "mean-wait",
        ),  # fmt: skip
        _k(
            "max_wait_s",
            "Longest wait",
            "s",
            "lower_is_better",
            "the longest wait of any caller, in seconds",
            "max-wait",
        ),  # fmt: skip
        _k(
            "self_service",
            "Resolved in the voice menu",
            "count",
            "neither",
            "callers the voice menu resolved; they never queued",
            "self-service",
        ),  # fmt: skip
        _k(
            "callbacks",
            "Call-backs",
            "count",
            "neither",
            "callers who accepted a call-back instead of holding",
            "callbacks",
        ),  # fmt: skip
        _k(
            "transfers_per_contact",
            "Transfers per caller",
            "ratio",
            "lower_is_better",
            "transfers to another queue, per caller offered",
            "transfers",
        ),  # fmt: skip
        _k(
            "handoffs",
            "Back-office hand-offs",
            "count",
            "lower_is_better",
            "answered calls handed to the back office",
            "handoffs",
        ),  # fmt: skip
        _k("agents", "Agents on the phones", "count", "neither", "agents taking calls (after shrinkage)", "agents"),
        _k(
            "scheduled_agents",
            "Agents to schedule",
            "count",
            "neither",
            "agents on the schedule so that enough are on the phones after shrinkage",
            "scheduled-agents",
        ),  # fmt: skip
    )
}
"""Every KPI by key, in the order tables and JSON list them."""


def kpi(key: str) -> Kpi:
    """The registry entry for ``key``; a :class:`~ccsim.errors.CcsimInputError` names the known keys."""
    from ccsim.errors import CcsimInputError

    try:
        return KPIS[key]
    except KeyError:
        raise CcsimInputError("kpi", key, "one of " + ", ".join(KPIS)) from None
