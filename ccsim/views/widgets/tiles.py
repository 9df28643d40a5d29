"""KPI tiles: one KPI from one source, with its target: value, target and met/missed in words and colour."""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from ccsim.metrics.registry import format_quantity
from ccsim.metrics.registry import kpi as registry_kpi
from ccsim.views.style import MET, MISSED, NEUTRAL, source_style
from ccsim.views.widgets.targets import Target

_STATE_COLORS = {"ccsim-met": MET, "ccsim-missed": MISSED}


def tile_value(kpi: str, x: float | None) -> str:
    """``x`` as a tile shows it: whole percent (abandonment under 10% to 0.1), whole seconds, 'endless', 'no data';
    minutes and days to one decimal, counts whole with thousands separators, ratios to two decimals.

    >>> tile_value("service_level", 0.823), tile_value("abandonment_rate", 0.0312), tile_value("asa_s", 12.4)
    ('82%', '3.1%', '12 s')
    >>> tile_value("member_minutes_per_issue", 7.63), tile_value("days_to_resolution_mean", 2.94)
    ('7.6 min', '2.9 days')
    >>> tile_value("open_issues", 15170), tile_value("contacts_per_issue", 1.354)
    ('15,170', '1.35')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    k = registry_kpi(kpi)
    if k.unit == "%":
        pct = k.scale * x
        return f"{pct:.1f}%" if kpi == "abandonment_rate" and pct < 10 else f"{pct:.0f}%"
    if math.isinf(x):
        return "endless"
    if k.unit == "s":
        return f"{x:.0f} s"
    return format_quantity(x, k.unit)


class KpiTile:
    """One KPI from one source, with its target: value, target and met/missed in words and colour.

    ``widget`` is an HTML widget with classes ``ccsim-kpi``, ``ccsim-kpi-<css>`` (the KPI's ``css``
    in :data:`ccsim.metrics.registry.KPIS`, e.g. ``ccsim-kpi-service-level``), ``ccsim-source-<source>``
    and, after each update, one of ``ccsim-met``, ``ccsim-missed``, ``ccsim-no-target``, ``ccsim-pending``.

    ``label`` names the KPI (default: the registry's). An ``occupancy`` tile names which occupancy it shows:
    "Busy occupancy" (the industry's, the registry's ``occupancy``), or "In-seat occupancy" (the plan's)
    when its target is one to reach (at least).
    """

    def __init__(
        self,
        kpi: str,
        source: str,
        target: Target | None = None,
        *,
        source_name: str | None = None,
        label: str | None = None,
    ):
        self.kpi, self.source, self.target = kpi, source, target
        in_seat = kpi == "occupancy" and target is not None and target.direction == "at_least"
        self.label = label or ("In-seat occupancy" if in_seat else registry_kpi(kpi).label)
        self.source_name = source_name or source_style(source)["tile"]
        self.value: float | None = None
        self.met: bool | None = None
        self.text = ""
        """Headline and verdict in words, as the tile shows them."""
        self.note = ""
        """The small print under the source (e.g. a confidence interval), as the tile shows it."""
        self.widget = widgets.HTML(layout=widgets.Layout(width="auto", min_width="230px"))
        self.widget.add_class("ccsim-kpi")
        self.widget.add_class(f"ccsim-kpi-{registry_kpi(kpi).css}")
        self.widget.add_class(f"ccsim-source-{source.replace('_', '-')}")
        self._state = ""
        self.pending("not computed yet")

    def _set_state(self, state: str) -> None:
        if state != self._state:
            if self._state:
                self.widget.remove_class(self._state)
            self.widget.add_class(state)
            self._state = state

    def _render(self, headline: str, detail: str, state: str, note: str) -> None:
        colors = _STATE_COLORS.get(state, NEUTRAL)
        self.note = note
        note_html = f"<div style='font-size:0.85em;color:#333'>{html.escape(note)}</div>" if note else ""
        self.widget.value = (
            f"<div style='border-left:8px solid {colors['color']};background:{colors['background']};"
            f"padding:6px 10px;margin:2px;line-height:1.35;color:#111'>"
            f"<div style='font-size:1.25em;font-weight:bold'>{html.escape(headline)}</div>"
            f"<div>{html.escape(detail)}</div>"
            f"<div style='font-size:0.85em;color:#333'>{html.escape(self.source_name)}</div>{note_html}</div>"
        )
        self._set_state(state)

    def update(self, value: float | None, *, target: Target | None = None, note: str = "") -> KpiTile:
        """Show ``value`` (fraction, or seconds for ASA) against ``target`` (default: the tile's own)."""
        target = target or self.target
        self.value = None if value is None else float(value)
        name = self.label
        if self.kpi == "abandonment_rate" and self.source == "erlang_c":
            # Erlang C's 0% is an assumption, not a result: never judge it against the target.
            self.met = None
            headline, detail = f"{name}: not modelled", "Erlang C assumes nobody hangs up"
            self.text = f"{headline} — {detail}"
            self._render(headline, detail, "ccsim-no-target", note)
            return self
        self.met = target.met(self.value) if target else None
        headline = f"{name} {tile_value(self.kpi, self.value)}"
        if self.kpi == "asa_s" and self.value is not None and math.isinf(self.value):
            headline = f"{name}: endless (the queue never clears)"
        if target is None:
            detail, state = "no target", "ccsim-no-target"
        elif self.met is None:
            detail, state = f"{target.text} — cannot judge", "ccsim-no-target"
        else:
            detail = f"{target.text} — {'met ✓' if self.met else 'missed ✗'}"
            state = "ccsim-met" if self.met else "ccsim-missed"
        self.text = f"{headline} — {detail}"
        self._render(headline, detail, state, note)
        return self

    def pending(self, why: str) -> KpiTile:
        """No number for the current settings (e.g. the simulation has not run): say why, in words."""
        self.value, self.met = None, None
        self.text = f"{self.label}: {why}"
        self._render(self.label, why, "ccsim-pending", "")
        return self
