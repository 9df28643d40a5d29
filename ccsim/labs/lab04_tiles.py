"""Lab 04's change tiles: a member-side KPI that has no guaranteed target, judged against the line before
"one and done" (better ✓ / worse ✗), and agent-hours per 100 issues, which the registry does not list.

A :class:`ChangeTile` is a :class:`ccsim.views.widgets.KpiTile` (same CSS classes, ``text``, ``note``,
``met``, states) whose verdict compares the value with ``baseline``, the same KPI of the before line at
the same size: lower is better for every KPI it shows.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ccsim.metrics.registry import KPIS, Kpi
from ccsim.views.widgets import KpiTile, Target, tile_value

__all__ = ["AGENT_HOURS", "ChangeTile", "change_value"]

AGENT_HOURS = Kpi(
    "agent_hours_per_100_issues",
    "Agent-hours per 100 issues",
    "ratio",
    "lower_is_better",
    "hours agents spent on answered calls (reps, specialists and consults), per 100 member issues",
    "agent-hours",
)
"""Agent-hours per 100 issues (:func:`ccsim.metrics.paths.agent_hours_per_100_issues`): not in the registry."""


def change_value(kpi: str, x: float | None) -> str:
    """``x`` as a change tile shows it: :func:`ccsim.views.widgets.tile_value`, agent-hours to one decimal ('13.9 h')."""
    if kpi == AGENT_HOURS.key:
        if x is None or math.isnan(x):
            return "no data"
        return f"{x:.1f} h"
    return tile_value(kpi, x)


class ChangeTile(KpiTile):
    """One KPI without a guaranteed target, judged against ``baseline`` (the before line): lower is better."""

    def __init__(self, kpi: str, source: str, *, source_name: str):
        entry = AGENT_HOURS if kpi == AGENT_HOURS.key else KPIS[kpi]
        self.kpi, self.source, self.target = kpi, source, None
        self.label, self.source_name = entry.label, source_name
        self.baseline: float | None = None
        """The before line's value at the same size (None: no comparison)."""
        self.value: float | None = None
        self.met: bool | None = None
        self.text = ""
        self.note = ""
        self.widget = widgets.HTML(layout=widgets.Layout(width="auto", min_width="230px"))
        for css in ("ccsim-kpi", f"ccsim-kpi-{entry.css}", f"ccsim-source-{source.replace('_', '-')}"):
            self.widget.add_class(css)
        self._state = ""
        self.pending("not computed yet")

    def update(self, value: float | None, *, target: Target | None = None, note: str = "") -> ChangeTile:
        """Show ``value`` against :attr:`baseline` (``target`` is ignored: these KPIs have none)."""
        self.value = None if value is None else float(value)
        headline = f"{self.label} {change_value(self.kpi, self.value)}"
        base = self.baseline
        if self.value is None or math.isnan(self.value) or base is None or math.isnan(base):
            self.met, detail, state = None, "no target", "ccsim-no-target"
        elif math.isclose(self.value, base, rel_tol=1e-9, abs_tol=1e-12):
            self.met, detail, state = None, f"before {change_value(self.kpi, base)} — the same", "ccsim-no-target"
        else:
            self.met = self.value < base
            verdict = "better ✓" if self.met else "worse ✗"
            detail, state = (
                f"before {change_value(self.kpi, base)} — {verdict}",
                ("ccsim-met" if self.met else "ccsim-missed"),
            )
        self.text = f"{headline} — {detail}"
        self._render(headline, detail, state, note)
        return self
