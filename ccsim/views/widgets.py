"""Widgets for the labs (ipywidgets 8): labelled controls, KPI tiles, a message area, a figure area,
and :class:`WhatIfPanel`, which composes them around a ``compute(params) -> results`` function.

This is the only ccsim module that imports ipywidgets. The numbers come from the rest of ccsim
(:mod:`ccsim.analytics.erlang`, :mod:`ccsim.simulation.engine`, :mod:`ccsim.metrics.kpis`); figures from :mod:`ccsim.views.plots`.
Every piece carries a stable CSS class (``ccsim-agents``, ``ccsim-kpi-service-level``, ``ccsim-message``, ...)
that the real-browser tests use: keep them.

Building a panel for a new lab (``compute`` returns ``{source: {kpi: value}}``)::

    >>> from ccsim.analytics.erlang import erlang_a
    >>> def compute(params):
    ...     m = erlang_a(213.75, 1800, 400, params["agents"], patience_s=300, answer_within_s=30)
    ...     return {"erlang_a": {"service_level": m.service_level}}
    >>> panel = WhatIfPanel({"agents": agents_slider(50)}, compute,
    ...                     tiles=[KpiTile("service_level", "erlang_a", GUARANTEES["service_level"])])
    >>> panel.set(agents=47).tile("service_level", "erlang_a").text
    'Service level 69% — target 80% in 30 s — missed ✗'
    >>> panel.set(agents=0).message.text
    '⚠ agents: 0 is not allowed; use a whole number from 20 to 100'

In a notebook, a panel on the last line of a cell shows itself.
The ready-made panels of the core labs are :func:`queue_panel` (lab 01) and :func:`day_spread_panel`.
"""

from __future__ import annotations

import html
import math
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition, parse_sl_definition
from ccsim.errors import CcsimInputError, check_number
from ccsim.metrics import scorecard
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.model import CenterModel
from ccsim.views import plots

__all__ = [
    "CLASSROOM",
    "GUARANTEES",
    "LABS",
    "FigureArea",
    "KpiTile",
    "MessageArea",
    "QueueCase",
    "Target",
    "WhatIfPanel",
    "agents_slider",
    "aht_slider",
    "answer_within_slider",
    "calls_slider",
    "case_card",
    "compute_queue",
    "day_spread_panel",
    "days_slider",
    "guarantees_from",
    "kit_map",
    "patience_slider",
    "preset_dropdown",
    "queue_panel",
    "run_button",
    "show_figure",
    "simulate_queue",
    "sl_definition_dropdown",
    "slider",
    "staffing_curve_figure",
    "try_it_panel",
]

# ----------------------------------------------------------------------------------------------
# the classroom case and the guaranteed targets (one place; sources named)


@dataclass(frozen=True)
class QueueCase:
    """One queue whose demand and staffing stay the same all day: what the lab-01 sliders control.

    Seconds inside; calls per hour only because that is how a supervisor says it.
    """

    agents: int
    calls_per_hour: float
    aht_s: float
    """Average handle time (talk plus wrap-up), seconds."""
    patience_s: float
    """Mean time a caller waits before hanging up, seconds."""
    answer_within_s: float = 30.0
    """Service-level threshold T, seconds."""
    sl_definition: str = "offered"
    hours: float = 8.0
    interval_s: float = 1800.0

    @property
    def calls_per_interval(self) -> float:
        return self.calls_per_hour * self.interval_s / 3600.0

    @property
    def intervals(self) -> int:
        """Intervals simulated: a partial last interval is rounded up, as ``ccsim simulate --hours`` does."""
        return max(1, math.ceil(self.hours * 3600.0 / self.interval_s - 1e-9))

    @property
    def load_erlangs(self) -> float:
        """Offered load: calls per second × AHT, in Erlangs (agents' worth of work)."""
        return self.calls_per_hour / 3600.0 * self.aht_s

    def params(self) -> dict:
        """The control values of this case, as the panels name them."""
        return {
            "agents": self.agents,
            "calls_per_hour": self.calls_per_hour,
            "aht_s": self.aht_s,
            "patience_s": self.patience_s,
            "answer_within_s": self.answer_within_s,
            "sl_definition": self.sl_definition,
        }

    @classmethod
    def from_model(cls, model: CenterModel) -> QueueCase:
        """The case of a single-queue model (one call type, one agent group, staffing and calls constant).

        Its callers must hang up (a patience distribution): the panels compare Erlang A with Erlang C,
        and Erlang A needs a patience; a model without one raises :class:`CcsimInputError`."""
        group, calls, ct = model.agent_groups[0], model.arrivals[0], model.call_types[0]
        if ct.patience is None:
            raise CcsimInputError(
                f"call type {ct.name!r} patience",
                None,
                "a patience distribution (callers who hang up), because the lab panels set Erlang A beside Erlang C",
            )
        return cls(
            agents=group.agents_at(0.0),
            calls_per_hour=calls.calls_per_interval[0] * 3600.0 / model.interval_s,
            aht_s=ct.handle_time.mean_s,
            patience_s=ct.patience.mean_s,
            answer_within_s=model.answer_within_s,
            hours=model.horizon_s / 3600.0,
            interval_s=model.interval_s,
        )


def _classroom_preset():
    from ccsim.scenario import load_preset

    return load_preset("classroom")


_PRESET = _classroom_preset()


CLASSROOM = replace(QueueCase.from_model(_PRESET.to_model()), sl_definition=_PRESET.targets.service_level_definition)
"""The classroom case of the core labs, from the ``classroom`` scenario preset (data/scenarios/classroom.toml,
shaped by facts.md: one site, 50 agents, 8 hours in 30-minute intervals, AHT 400 s, patience 300 s, load 0.95)."""


class Target:
    """A tile's view of a guaranteed metric: the KPI layer's :class:`ccsim.metrics.scorecard.Target` (which judges
    met or missed) with the words a tile says.

    ``Target(kpi, value, direction, answer_within_s=None)``: ``kpi`` must be ``at_least`` or ``at_most``
    ``value`` (fractions, or seconds for ASA); service level names its T in seconds. :meth:`of` wraps
    a scorecard target as it is.
    """

    __slots__ = ("kpi_target",)

    def __init__(
        self, kpi: str, value: float, direction: Literal["at_least", "at_most"], answer_within_s: float | None = None
    ):
        self.kpi_target = scorecard.Target(
            kpi,
            KPI_NAMES.get(kpi, kpi),
            float(value),
            "at least" if direction == "at_least" else "at most",
            "%" if kpi in _PERCENT_KPIS else "s",
            answer_within_s=answer_within_s,
        )

    @classmethod
    def of(cls, target: scorecard.Target) -> Target:
        view = cls.__new__(cls)
        view.kpi_target = target
        return view

    @property
    def kpi(self) -> str:
        return self.kpi_target.metric

    @property
    def value(self) -> float:
        """The threshold: a fraction, or seconds."""
        return self.kpi_target.threshold

    @property
    def answer_within_s(self) -> float | None:
        return self.kpi_target.answer_within_s

    @property
    def direction(self) -> Literal["at_least", "at_most"]:
        return "at_least" if self.kpi_target.direction == "at least" else "at_most"

    def met(self, x: float | None) -> bool | None:
        """True/False whether ``x`` meets the target; None when there is no number to judge."""
        return self.kpi_target.met(x)

    def with_answer_within_s(self, t: float) -> Target:
        """The same target with service level counted within ``t`` seconds."""
        return Target.of(self.kpi_target.with_answer_within_s(t))

    @property
    def text(self) -> str:
        """e.g. 'target 80% in 30 s', 'target at most 30 s', 'target 85% or less'.

        Words match :meth:`met`: a value equal to the threshold meets the target ("at most", never "under")."""
        v = f"{100 * self.value:g}%" if self.kpi_target.unit == "%" else f"{self.value:g} s"
        at_most = self.direction == "at_most"
        if self.kpi == "service_level":
            return f"target {v} in {self.answer_within_s:g} s" if self.answer_within_s else f"target {v}"
        if self.kpi in ("asa_s", "abandonment_rate"):
            return f"target at most {v}" if at_most else f"target at least {v}"
        return f"target {v} or less" if at_most else f"target {v} or more"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and other.kpi_target == self.kpi_target

    def __hash__(self) -> int:
        return hash(self.kpi_target)

    def __repr__(self) -> str:
        return f"widgets.Target.of({self.kpi_target!r})"


_TILE_TARGETS = ("service_level", "asa_s", "abandonment_rate", "occupancy")


def guarantees_from(targets) -> dict[str, Target]:
    """KPI → :class:`Target` from a scenario's ``targets`` (:class:`ccsim.scenario.Targets`), through
    :func:`ccsim.metrics.scorecard.targets_from`: the KPIs the tiles show (service level, ASA, abandonment, occupancy)."""
    by_metric = {t.metric: t for t in scorecard.targets_from(targets)}
    return {kpi: Target.of(by_metric[kpi]) for kpi in _TILE_TARGETS}


GUARANTEES: dict[str, Target] = guarantees_from(_PRESET.targets)
"""The guaranteed metrics the labs judge against, from the classroom preset's targets (whose defaults are the
health plan's guarantees in facts.md: 80% in 30 s, abandonment < 3%, ASA < 30 s, occupancy 85%). As in
:mod:`ccsim.metrics.scorecard`, a value equal to the threshold counts as met, so the tiles say "at most"."""


# ----------------------------------------------------------------------------------------------
# formatting

KPI_NAMES = {
    "service_level": "Service level",
    "asa_s": "Average speed of answer",
    "abandonment_rate": "Abandonment",
    "occupancy": "Occupancy",
    "p_wait": "Callers who wait",
}
SOURCE_NAMES = {
    "simulation": "Simulation",
    "erlang_a": "Erlang A formula (callers hang up)",
    "erlang_c": "Erlang C formula (nobody hangs up)",
}
_PERCENT_KPIS = {"service_level", "abandonment_rate", "occupancy", "p_wait"}

# Okabe–Ito: blue for met, vermillion for missed; words and symbols carry the meaning too.
_MET_COLOR, _MISSED_COLOR, _NEUTRAL_COLOR = "#0072B2", "#D55E00", "#6b6b6b"
_MET_BG, _MISSED_BG, _NEUTRAL_BG = "#e6f0f8", "#fbe9df", "#f2f2f2"


def _fmt_value(kpi: str, x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    if kpi in _PERCENT_KPIS:
        pct = 100.0 * x
        return f"{pct:.1f}%" if kpi == "abandonment_rate" and pct < 10 else f"{pct:.0f}%"
    if math.isinf(x):
        return "endless"
    return f"{x:.0f} s"


_KPI_CSS = {
    "service_level": "service-level",
    "asa_s": "asa",
    "abandonment_rate": "abandonment",
    "occupancy": "occupancy",
    "p_wait": "p-wait",
}


# ----------------------------------------------------------------------------------------------
# controls


def _style(width: str = "230px") -> dict:
    return {"description_width": width}


def slider(
    css: str,
    description: str,
    value: float,
    min: float,
    max: float,
    step: float = 1,
    *,
    integer: bool = True,
    readout_format: str | None = None,
    tooltip: str | None = None,
    width: str = "640px",
) -> widgets.ValueWidget:
    """A labelled slider that reports only when released (``continuous_update=False``), CSS class ``css``."""
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    kwargs = dict(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=False,
        style=_style(),
        layout=widgets.Layout(width=width),
        tooltip=tooltip,
    )
    if readout_format:
        kwargs["readout_format"] = readout_format
    w = cls(**kwargs)
    w.add_class("ccsim-control")
    w.add_class(css)
    return w


def agents_slider(value: int = CLASSROOM.agents, min: int = 20, max: int = 100) -> widgets.IntSlider:
    """Agents on the phones (``ccsim-agents``)."""
    return slider(
        "ccsim-agents",
        "Agents on the phones",
        value,
        min,
        max,
        tooltip="How many agents are logged in and taking calls",
    )


def calls_slider(
    value: float = CLASSROOM.calls_per_hour, min: float = 50, max: float = 1000, step: float = 2.5
) -> widgets.FloatSlider:
    """Calls offered per hour (``ccsim-calls``)."""
    return slider(
        "ccsim-calls",
        "Calls per hour",
        value,
        min,
        max,
        step,
        integer=False,
        readout_format=".1f",
        tooltip="Calls that reach the queue in an hour",
    )


def aht_slider(value: float = CLASSROOM.aht_s, min: int = 60, max: int = 1200, step: int = 10) -> widgets.IntSlider:
    """Average handle time in seconds (``ccsim-aht``)."""
    return slider(
        "ccsim-aht",
        "Handle time (seconds)",
        int(value),
        min,
        max,
        step,
        tooltip="Average talk plus wrap-up time of one call, in seconds",
    )


def patience_slider(
    value: float = CLASSROOM.patience_s, min: int = 10, max: int = 1800, step: int = 10
) -> widgets.IntSlider:
    """Callers' mean patience before hanging up, seconds (``ccsim-patience``)."""
    return slider(
        "ccsim-patience",
        "Patience (seconds)",
        int(value),
        min,
        max,
        step,
        tooltip="How long callers wait on average before they hang up, in seconds",
    )


def answer_within_slider(
    value: float = CLASSROOM.answer_within_s, min: int = 5, max: int = 120, step: int = 5
) -> widgets.IntSlider:
    """Service-level threshold T in seconds (``ccsim-answer-within``)."""
    return slider(
        "ccsim-answer-within",
        "Answer within (seconds)",
        int(value),
        min,
        max,
        step,
        tooltip="Service level counts calls answered within this many seconds",
    )


def days_slider(value: int = 5, min: int = 1, max: int = 50) -> widgets.IntSlider:
    """Simulated days (replications) (``ccsim-days``)."""
    return slider(
        "ccsim-days",
        "Simulated days",
        value,
        min,
        max,
        tooltip="How many days to simulate with the same staffing and forecast",
    )


def sl_definition_dropdown(value: str | SLDefinition = "offered") -> widgets.Dropdown:
    """Which service-level definition (``ccsim-sl-definition``); labels from :mod:`ccsim.analytics.service_level`."""
    w = widgets.Dropdown(
        options=[(d.label, d.value) for d in SLDefinition],
        value=parse_sl_definition(value).value,
        description="Service level counts",
        style=_style(),
        layout=widgets.Layout(width="640px"),
    )
    w.add_class("ccsim-control")
    w.add_class("ccsim-sl-definition")
    return w


def preset_dropdown(value: str = "classroom", names: Sequence[str] | None = None) -> widgets.Dropdown:
    """A scenario preset (``ccsim-preset``); options: :func:`ccsim.scenario.list_presets` unless ``names`` given."""
    from ccsim.scenario import list_presets

    options = list(names) if names is not None else list_presets()
    w = widgets.Dropdown(
        options=options,
        value=value if value in options else (options[0] if options else None),
        description="Scenario",
        style=_style(),
        layout=widgets.Layout(width="640px"),
    )
    w.add_class("ccsim-control")
    w.add_class("ccsim-preset")
    return w


def run_button(description: str = "Run the simulation") -> widgets.Button:
    """The Run button (``ccsim-run``)."""
    b = widgets.Button(
        description=description,
        icon="play",
        button_style="primary",
        layout=widgets.Layout(width="260px"),
        tooltip="Simulate the days again with these settings",
    )
    b.add_class("ccsim-run")
    return b


# ----------------------------------------------------------------------------------------------
# tiles, message area, figure area


class KpiTile:
    """One KPI from one source, with its target: value, target and met/missed in words and colour.

    ``widget`` is an HTML widget with classes ``ccsim-kpi``, ``ccsim-kpi-<kpi>`` (e.g.
    ``ccsim-kpi-service-level``), ``ccsim-source-<source>`` and, after each update, one of
    ``ccsim-met``, ``ccsim-missed``, ``ccsim-no-target``, ``ccsim-pending``.
    """

    def __init__(self, kpi: str, source: str, target: Target | None = None, *, source_name: str | None = None):
        self.kpi, self.source, self.target = kpi, source, target
        self.source_name = source_name or SOURCE_NAMES.get(source, source)
        self.value: float | None = None
        self.met: bool | None = None
        self.text = ""
        self.widget = widgets.HTML(layout=widgets.Layout(width="auto", min_width="230px"))
        self.widget.add_class("ccsim-kpi")
        self.widget.add_class(f"ccsim-kpi-{_KPI_CSS.get(kpi, kpi.replace('_', '-'))}")
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
        color, bg = {"ccsim-met": (_MET_COLOR, _MET_BG), "ccsim-missed": (_MISSED_COLOR, _MISSED_BG)}.get(
            state, (_NEUTRAL_COLOR, _NEUTRAL_BG)
        )
        note_html = f"<div style='font-size:0.85em;color:#333'>{html.escape(note)}</div>" if note else ""
        self.widget.value = (
            f"<div style='border-left:8px solid {color};background:{bg};padding:6px 10px;margin:2px;"
            f"line-height:1.35;color:#111'>"
            f"<div style='font-size:1.25em;font-weight:bold'>{html.escape(headline)}</div>"
            f"<div>{html.escape(detail)}</div>"
            f"<div style='font-size:0.85em;color:#333'>{html.escape(self.source_name)}</div>{note_html}</div>"
        )
        self._set_state(state)

    def update(self, value: float | None, *, target: Target | None = None, note: str = "") -> KpiTile:
        """Show ``value`` (fraction, or seconds for ASA) against ``target`` (default: the tile's own)."""
        target = target or self.target
        self.value = None if value is None else float(value)
        name = KPI_NAMES.get(self.kpi, self.kpi)
        if self.kpi == "abandonment_rate" and self.source == "erlang_c":
            # Erlang C's 0% is an assumption, not a result: never judge it against the target.
            self.met = None
            headline, detail = f"{name}: not modelled", "Erlang C assumes nobody hangs up"
            self.text = f"{headline} — {detail}"
            self._render(headline, detail, "ccsim-no-target", note)
            return self
        self.met = target.met(self.value) if target else None
        headline = f"{name} {_fmt_value(self.kpi, self.value)}"
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
        name = KPI_NAMES.get(self.kpi, self.kpi)
        self.text = f"{name}: {why}"
        self._render(f"{name}", why, "ccsim-pending", "")
        return self


class MessageArea:
    """Plain-language messages (``ccsim-message``); tracebacks only inside a collapsed ``ccsim-error-details``."""

    def __init__(self) -> None:
        self.html = widgets.HTML()
        self.html.add_class("ccsim-message")
        self.details = widgets.HTML(layout=widgets.Layout(display="none"))
        self.details.add_class("ccsim-error-details")
        self.widget = widgets.VBox([self.html, self.details])
        self.kind: str = ""
        """'' (nothing shown), 'info', 'warning' or 'error'."""
        self.text: str = ""

    def clear(self) -> None:
        self.kind, self.text = "", ""
        self.html.value = ""
        self.details.value = ""
        self.details.layout.display = "none"

    def _show(self, kind: str, text: str, color: str) -> None:
        """Show ``text``; each of its lines (one sentence each) on a line of its own."""
        self.kind, self.text = kind, text
        body = "<br>".join(html.escape(line) for line in text.split("\n"))
        self.html.value = (
            f"<div role='status' style='border-left:6px solid {color};padding:4px 10px;margin:4px 0;"
            f"color:#111;background:#fafafa'>{body}</div>"
        )

    def info(self, text: str) -> None:
        """A neutral note, e.g. 'Simulating 20 days…'."""
        self._show("info", text, _MET_COLOR)

    def warning(self, text: str | Sequence[str]) -> None:
        """Something the learner should know about the numbers (e.g. an overload sentence from the engine).

        Several sentences are shown together, one per line (``text`` then joins them with newlines)."""
        sentences = [text] if isinstance(text, str) else [t for t in text if t]
        if sentences:
            self._show("warning", "\n".join("⚠ " + t for t in sentences), "#E69F00")

    def error(self, exc: BaseException) -> None:
        """A bad value gets its one sentence; anything else a kind sentence plus the details, collapsed."""
        if isinstance(exc, CcsimInputError):
            self._show("error", "⚠ " + str(exc), _MISSED_COLOR)
            self.details.value = ""
            self.details.layout.display = "none"
            return
        self._show(
            "error",
            "⚠ Something went wrong while working out these numbers. Try another value; if it "
            "keeps happening, restart the kernel (Kernel menu → Restart Kernel) and run all cells "
            "again.",
            _MISSED_COLOR,
        )
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.details.value = (
            "<details><summary>Details for the trainer</summary>"
            f"<pre style='white-space:pre-wrap;font-size:0.8em'>{html.escape(tb)}</pre></details>"
        )
        self.details.layout.display = None


class FigureArea:
    """A fixed-height area showing one matplotlib figure as a PNG (``ccsim-figure``).

    The figure is rendered to PNG bytes and shown in an Image widget, so Run All, JupyterLab and
    Voila all show exactly one picture per update and no figure stays open. ``alt`` describes it
    in words (``ccsim-figure-caption``) for screen readers and for anyone who cannot see colour.
    """

    def __init__(self, height: str = "520px", dpi: int = 90):
        self.dpi = dpi
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(max_width="100%", max_height=height, object_fit="contain")
        )
        self.caption = widgets.HTML()
        self.caption.add_class("ccsim-figure-caption")
        box = widgets.Box(
            [self.image], layout=widgets.Layout(height=height, overflow="hidden", justify_content="flex-start")
        )
        box.add_class("ccsim-figure")
        box.add_class("ccsim-result")
        self.widget = widgets.VBox([box, self.caption])
        self.png: bytes = b""
        self.alt: str = ""

    def show(self, fig: Figure | bytes, alt: str = "") -> None:
        """Show ``fig`` (a Figure, or PNG bytes already drawn) with ``alt`` as its caption."""
        if isinstance(fig, (bytes, bytearray)):
            self.png = bytes(fig)
        else:
            self.png = plots.fig_to_png(fig, dpi=self.dpi)
            _close(fig)
        self.image.value = self.png
        # No image.tooltip: ipywidgets 8.1's ImageView reads description.length (an Image has none) and the
        # figure fails to render ("Click to show javascript error"); the caption carries the words.
        self.alt = alt
        self.caption.value = f"<div style='font-size:0.9em;color:#333'>{html.escape(alt)}</div>" if alt else ""

    def clear(self) -> None:
        self.png, self.alt = b"", ""
        self.image.value = b""
        self.caption.value = ""


def _close(fig: Figure) -> None:
    """Close ``fig`` in pyplot if pyplot made it (figures from ccsim.views.plots are not registered there)."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    number = getattr(fig, "number", None)
    if plt is not None and number is not None and plt.fignum_exists(number):
        plt.close(fig)


def show_figure(fig: Figure, alt: str = "", height: str = "480px") -> widgets.Widget:
    """A static figure for a notebook cell: a :class:`FigureArea` widget already showing ``fig``."""
    area = FigureArea(height=height)
    area.show(fig, alt)
    return area.widget


# ----------------------------------------------------------------------------------------------
# the panel


Results = dict
Params = dict
ProgressFn = Callable[[int, int], None]


class WhatIfPanel:
    """Controls → ``compute(params)`` → tiles and a figure, with a message area and an optional simulation.

    * ``controls``: name → widget; ``params`` is ``{name: widget.value}``.
    * ``compute(params) -> results``: instant (formulas); runs on every control change.
      ``results`` maps a source (``"erlang_a"``) to ``{kpi: value}``, plus anything else.
    * ``simulate(params, progress) -> results``: slower; merged into the results. It runs on every
      change when ``auto_simulate(params)`` is true, otherwise when the Run button is pressed;
      until then the tiles of the ``simulation`` source say so in words.
    * ``figure(params, results) -> Figure | (Figure, alt text) | None``: drawn in the figure area
      (PNG bytes in place of the Figure are shown as they are).
    * ``targets(params) -> {kpi: Target}``: the targets the tiles judge against (default :data:`GUARANTEES`).

    Nothing raised in these functions reaches the learner: a :class:`CcsimInputError` shows its
    sentence in the message area, anything else a kind sentence with the details collapsed.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        compute: Callable[[Params], Results],
        *,
        tiles: Sequence[KpiTile] = (),
        figure: Callable[[Params, Results], Any] | None = None,
        simulate: Callable[[Params, ProgressFn], Results] | None = None,
        auto_simulate: Callable[[Params], bool] | bool = True,
        targets: Callable[[Params], Mapping[str, Target]] | Mapping[str, Target] | None = None,
        title: str = "",
        run_label: str = "Run the simulation",
        figure_height: str = "480px",
        sim_source: str = "simulation",
        extra: Sequence[widgets.Widget] = (),
    ):
        self.controls = dict(controls)
        self.compute = compute
        self.tiles = list(tiles)
        self.figure = figure
        self.simulate = simulate
        self.auto_simulate = auto_simulate
        self._targets = targets if targets is not None else GUARANTEES
        self.sim_source = sim_source
        self.defaults = {name: w.value for name, w in self.controls.items()}
        self.message = MessageArea()
        self.figure_area = FigureArea(height=figure_height) if figure else None
        self.progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="Simulating",
            style={"description_width": "120px"},
            layout=widgets.Layout(visibility="hidden", width="460px"),
        )
        self.progress.add_class("ccsim-progress")
        self.run_button = run_button(run_label) if simulate else None
        self.results: Results = {}
        """The latest results (formulas, plus the simulation when it is current)."""
        self.sim_results: Results | None = None
        self.sim_params: Params | None = None
        self.warnings: list[str] = []
        """Python warnings caught during the last update (kept for trainers; not shown to learners)."""
        self.updates = 0
        """How many times the panel recomputed (for tests and benchmarks)."""
        self._hold = False

        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        if self.run_button is not None:
            self.run_button.on_click(lambda _b: self.run())

        parts: list[widgets.Widget] = []
        if title:
            parts.append(widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"))
        parts.extend(self.controls.values())
        if self.run_button is not None:
            parts.append(widgets.HBox([self.run_button, self.progress]))
        parts.append(self.message.widget)
        parts.extend(extra)
        if self.tiles:
            parts.append(self._tile_grid())
        if self.figure_area is not None:
            parts.append(self.figure_area.widget)
        self.widget = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        self.widget.add_class("ccsim-panel")
        self.refresh()

    # -- layout

    def _tile_grid(self) -> widgets.Widget:
        sources = list(dict.fromkeys(t.source for t in self.tiles))
        kpis = list(dict.fromkeys(t.kpi for t in self.tiles))
        by_key = {(t.kpi, t.source): t for t in self.tiles}
        cells: list[widgets.Widget] = []
        for kpi in kpis:  # row by row, so the first tile of each KPI is the first source (the main one)
            for source in sources:
                tile = by_key.get((kpi, source))
                cells.append(tile.widget if tile else widgets.HTML(""))
        grid = widgets.GridBox(
            cells,
            layout=widgets.Layout(
                grid_template_columns=f"repeat({len(sources)}, minmax(230px, 1fr))", grid_gap="4px", width="100%"
            ),
        )
        grid.add_class("ccsim-tiles")
        return grid

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- state

    @property
    def params(self) -> Params:
        return {name: w.value for name, w in self.controls.items()}

    def targets(self, params: Params | None = None) -> Mapping[str, Target]:
        t = self._targets
        return t(params if params is not None else self.params) if callable(t) else t

    def tile(self, kpi: str, source: str) -> KpiTile:
        for t in self.tiles:
            if t.kpi == kpi and t.source == source:
                return t
        raise KeyError((kpi, source))

    def set(self, **values: Any) -> WhatIfPanel:
        """Set controls by name (like moving the sliders) and update once. Bad values show a sentence, change nothing."""
        try:
            for name, value in values.items():
                if name not in self.controls:
                    raise CcsimInputError("control", name, "one of " + ", ".join(self.controls))
                w = self.controls[name]
                if isinstance(
                    w, (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText, widgets.BoundedFloatText)
                ):
                    integer = isinstance(w, (widgets.IntSlider, widgets.BoundedIntText))
                    check_number(name, value, low=w.min, high=w.max, integer=integer)
                elif isinstance(w, widgets.Dropdown):
                    allowed = (
                        [v for _label, v in w.options]
                        if w.options and isinstance(w.options[0], tuple)
                        else list(w.options)
                    )
                    if value not in allowed:
                        raise CcsimInputError(name, value, "one of " + ", ".join(map(str, allowed)))
        except CcsimInputError as exc:
            self.message.error(exc)
            return self
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._hold = False
        self.refresh()
        return self

    def reset(self) -> WhatIfPanel:
        """Put every control back to where it started."""
        return self.set(**self.defaults)

    # -- updates

    def _on_change(self, _change: dict) -> None:
        if not self._hold:
            self.refresh()

    def _auto(self, params: Params) -> bool:
        a = self.auto_simulate
        return bool(a(params)) if callable(a) else bool(a)

    def _guard(self, fn: Callable[[], None]) -> bool:
        """Run ``fn`` with every error and warning caught; True when it finished."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fn()
                ok = True
            except Exception as exc:
                self.message.error(exc)
                ok = False
        self.warnings = [str(w.message) for w in caught]
        return ok

    def refresh(self) -> WhatIfPanel:
        """Recompute for the current controls: formulas now, the simulation if it is quick enough."""
        self.message.clear()
        params = self.params

        def work() -> None:
            results = dict(self.compute(params))
            if self.simulate is not None:
                if self._auto(params) and self.sim_params != params:
                    self._run_simulation(params)
                if self.sim_params == params and self.sim_results is not None:
                    results.update(self.sim_results)
            self.results = results
            self._show(params, results)

        if not self._guard(work):
            for t in self.tiles:
                t.pending("not available for these settings")
        self.updates += 1
        return self

    def run(self) -> WhatIfPanel:
        """Run the simulation for the current controls (what the Run button does), then update."""
        if self.simulate is None:
            return self.refresh()
        self.message.clear()
        params = self.params
        if self._guard(lambda: self._run_simulation(params)):
            self.refresh()
        return self

    def _run_simulation(self, params: Params) -> None:
        if self.run_button is not None:
            self.run_button.disabled = True
        self.progress.value, self.progress.max = 0, 1
        self.progress.layout.visibility = "visible"

        def progress(done: int, total: int) -> None:
            self.progress.max = max(1, total)
            self.progress.value = done
            self.progress.description = f"Day {done} of {total}"

        try:
            self.sim_results = None
            self.sim_params = None
            out = dict(self.simulate(params, progress))
            self.sim_results, self.sim_params = out, dict(params)
        finally:
            self.progress.layout.visibility = "hidden"
            if self.run_button is not None:
                self.run_button.disabled = False

    def _show(self, params: Params, results: Results) -> None:
        targets = self.targets(params)
        for tile in self.tiles:
            values = results.get(tile.source)
            if values is None:
                if tile.source == self.sim_source and self.simulate is not None:
                    tile.pending("press Run to simulate these settings")
                else:
                    tile.pending("not available")
                continue
            note = results.get("notes", {}).get(tile.source, "")
            if isinstance(note, dict):  # a note per KPI
                note = note.get(tile.kpi, "")
            tile.update(values.get(tile.kpi), target=targets.get(tile.kpi, tile.target), note=note)
        if results.get("messages"):
            self.message.warning(list(results["messages"]))
        if self.figure_area is not None and self.figure is not None:
            out = self.figure(params, results)
            if out is None:
                self.figure_area.clear()
            else:
                fig, alt = out if isinstance(out, tuple) else (out, "")
                self.figure_area.show(fig, alt)


# ----------------------------------------------------------------------------------------------
# lab 01: one queue, formula and simulation side by side


def queue_targets(params: Params) -> dict[str, Target]:
    """:data:`GUARANTEES`, with the service-level threshold the learner chose."""
    t = dict(GUARANTEES)
    t["service_level"] = t["service_level"].with_answer_within_s(
        float(params.get("answer_within_s", t["service_level"].answer_within_s))
    )
    return t


def _case_params(params: Params, case: QueueCase = CLASSROOM) -> Params:
    full = case.params()
    full.update(params)
    return full


def compute_queue(params: Params, case: QueueCase = CLASSROOM) -> Results:
    """Erlang C and Erlang A for one interval of the queue described by ``params`` (missing ones from ``case``).

    ``params``: agents, calls_per_hour, aht_s, patience_s, answer_within_s, sl_definition.
    Returns ``{"erlang_c": {kpi: value}, "erlang_a": {...}, "load_erlangs": ...}``; KPIs are
    service_level, asa_s, abandonment_rate, occupancy, p_wait (fractions; ASA in seconds).
    """
    p = _case_params(params, case)
    calls = p["calls_per_hour"] * case.interval_s / 3600.0
    out: Results = {"notes": {}}
    for name, m in (
        (
            "erlang_c",
            erlang_c(calls, case.interval_s, p["aht_s"], p["agents"], p["answer_within_s"], p["sl_definition"]),
        ),
        (
            "erlang_a",
            erlang_a(
                calls,
                case.interval_s,
                p["aht_s"],
                p["agents"],
                p["patience_s"],
                p["answer_within_s"],
                p["sl_definition"],
            ),
        ),
    ):
        out[name] = {
            "service_level": m.service_level,
            "asa_s": m.asa_s,
            "abandonment_rate": m.abandonment_rate,
            "occupancy": m.occupancy,
            "p_wait": m.p_wait,
        }
        out["load_erlangs"] = m.load_erlangs
    if not math.isfinite(out["erlang_c"]["asa_s"]):
        out["notes"]["erlang_c"] = "The work needs more agents than are on the phones: the queue grows all day."
    return out


def queue_model(params: Params, case: QueueCase = CLASSROOM) -> CenterModel:
    """The single-queue :class:`CenterModel` for ``params``: exponential handle time and patience, ``case.hours`` long."""
    p = _case_params(params, case)
    return CenterModel.single_queue(
        p["calls_per_hour"] * case.interval_s / 3600.0,
        int(p["agents"]),
        Exponential(float(p["aht_s"])),
        Exponential(float(p["patience_s"])),
        interval_s=case.interval_s,
        intervals=case.intervals,
        answer_within_s=float(p["answer_within_s"]),
        name="classroom queue",
    )


SIM_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")


def simulate_queue(
    params: Params, progress: ProgressFn | None = None, *, case: QueueCase = CLASSROOM, seed: int = 1
) -> Results:
    """Simulate ``params["days"]`` days (default 1) of the queue with :func:`ccsim.metrics.replications.replicate`,
    in this process one day at a time, calling ``progress(days done, days)`` after each.

    Day *i* uses ``SeedSequence(seed).spawn(days)[i]``, so the same settings always give the same
    days. Returns ``{"simulation": {kpi: mean over days}, "simulation_runs": DataFrame (one row per
    day), "simulation_range": {kpi: (low, high)} (95% confidence interval of the mean),
    "messages": [the engine's warnings, as sentences], "notes": {"simulation": ...}}``.
    """
    from ccsim.metrics.replications import replicate

    p = _case_params(params, case)
    days = int(check_number("days", p.get("days", 1), low=1, high=1000, integer=True))
    model = queue_model(p, case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same sentences come back in rep.warnings and are shown in words
        rep = replicate(
            model,
            days,
            seed,
            workers=1,
            progress=progress or False,
            answer_within_s=float(p["answer_within_s"]),
            sl_definition=p["sl_definition"],
        )
    runs = rep.runs.copy()
    runs["day"] = np.arange(1, len(runs) + 1)
    summary = rep.summary
    mean = {k: float(summary.loc[k, "mean"]) for k in SIM_KPIS}
    rng = {k: (float(summary.loc[k, "low"]), float(summary.loc[k, "high"])) for k in SIM_KPIS}
    average = f"average of {days} simulated day{'s' if days > 1 else ''}"
    notes = {
        k: average
        + (
            f"; 95% confidence interval {_fmt_value(k, lo)} to {_fmt_value(k, hi)}"
            if days > 1 and math.isfinite(lo) and math.isfinite(hi)
            else ""
        )
        for k, (lo, hi) in rng.items()
    }
    return {
        "simulation": mean,
        "simulation_runs": runs,
        "simulation_range": rng,
        "messages": list(rep.warnings)[:3],
        "notes": {"simulation": notes},
    }


def _queue_figure(case: QueueCase, dpi: int = 90):
    draw = plots.StaffingCurvePNG(dpi=dpi)  # keeps the static part between slider changes (issue 4)

    def figure(params: Params, results: Results):
        p = _case_params(params, case)
        load = results.get("load_erlangs", case.load_erlangs)
        curve = plots.erlang_curve(
            p["calls_per_hour"] * case.interval_s / 3600.0,
            case.interval_s,
            p["aht_s"],
            plots.agents_around(load, p["agents"]),
            patience_s=p["patience_s"],
            answer_within_s=p["answer_within_s"],
            sl_definition=p["sl_definition"],
        )
        if "simulation" in results:
            row = {"source": "simulation", "agents": int(p["agents"])}
            for k in SIM_KPIS:
                row[k] = results["simulation"][k]
                lo, hi = results.get("simulation_range", {}).get(k, (math.nan, math.nan))
                row[f"{k}_low"], row[f"{k}_high"] = lo, hi
            curve = pd.concat([pd.DataFrame([row]), curve], ignore_index=True)
        targets = {k: t.value for k, t in queue_targets(p).items()}
        fig = draw(curve, targets=targets, current_agents=int(p["agents"]))
        ea = results["erlang_a"]
        alt = (
            f"Staffing curve for {p['calls_per_hour']:g} calls an hour at {p['aht_s']:g} s each: "
            f"with {p['agents']} agents Erlang A gives service level {_fmt_value('service_level', ea['service_level'])}, "
            f"Erlang C {_fmt_value('service_level', results['erlang_c']['service_level'])}"
            + (
                f", the simulation {_fmt_value('service_level', results['simulation']['service_level'])}"
                if "simulation" in results
                else ""
            )
            + ". Dash-dot lines are the targets."
        )
        return fig, alt

    return figure


def queue_panel(
    case: QueueCase = CLASSROOM,
    *,
    controls: Sequence[str] = (
        "agents",
        "calls_per_hour",
        "aht_s",
        "patience_s",
        "answer_within_s",
        "sl_definition",
        "days",
    ),
    sources: Sequence[str] = ("simulation", "erlang_a", "erlang_c"),
    kpis: Sequence[str] = SIM_KPIS,
    days: int = 5,
    auto_days: int = 5,
    seed: int = 1,
    figure: bool = True,
    title: str = "",
) -> WhatIfPanel:
    """Lab 01's panel: one queue, tiles for each KPI from each source, the staffing curve below.

    Formulas update on every change; the simulation re-runs by itself while ``days <= auto_days``
    (a whole count, so the panel behaves the same on a slow machine), otherwise on Run.
    """
    makers = {
        "agents": lambda: agents_slider(case.agents),
        "calls_per_hour": lambda: calls_slider(case.calls_per_hour),
        "aht_s": lambda: aht_slider(case.aht_s),
        "patience_s": lambda: patience_slider(case.patience_s),
        "answer_within_s": lambda: answer_within_slider(case.answer_within_s),
        "sl_definition": lambda: sl_definition_dropdown(case.sl_definition),
        "days": lambda: days_slider(days),
    }
    unknown = [c for c in controls if c not in makers]
    if unknown:
        raise CcsimInputError("controls", unknown[0], "any of " + ", ".join(makers))
    ctrl = {name: makers[name]() for name in controls}
    tiles = [KpiTile(k, s, GUARANTEES.get(k)) for k in kpis for s in sources]
    want_sim = "simulation" in sources

    def compute(params: Params) -> Results:
        return compute_queue(params, case)

    def sim(params: Params, progress: ProgressFn) -> Results:
        return simulate_queue(params, progress, case=case, seed=seed)

    return WhatIfPanel(
        ctrl,
        compute,
        tiles=tiles,
        figure=_queue_figure(case) if figure else None,
        simulate=sim if want_sim else None,
        auto_simulate=lambda p: int(p.get("days", days)) <= auto_days,
        targets=lambda p: queue_targets(_case_params(p, case)),
        title=title,
    )


def try_it_panel(case: QueueCase = CLASSROOM, *, below: int = 6) -> WhatIfPanel:
    """Lab 00's tiny panel: an agents slider starting ``below`` agents under the case, two Erlang A tiles."""
    panel = queue_panel(
        case, controls=("agents",), sources=("erlang_a",), kpis=("service_level", "asa_s"), figure=False
    )
    start = max(panel.controls["agents"].min, case.agents - below)
    panel.set(agents=start)
    panel.defaults["agents"] = start
    return panel


def day_spread_panel(
    case: QueueCase = CLASSROOM,
    *,
    days: int = 20,
    seed: int = 1,
    controls: Sequence[str] = ("agents", "days"),
    title: str = "",
) -> WhatIfPanel:
    """Same staffing, different days: simulate ``days`` days and show each day's service level.

    Runs once when built, then on Run (many days take a second or more).
    """
    makers = {
        "agents": lambda: agents_slider(case.agents),
        "days": lambda: days_slider(days, max=60),
        "calls_per_hour": lambda: calls_slider(case.calls_per_hour),
        "patience_s": lambda: patience_slider(case.patience_s),
    }
    ctrl = {name: makers[name]() for name in controls}
    tiles = [KpiTile("service_level", "simulation", GUARANTEES["service_level"])]

    def compute(params: Params) -> Results:
        return compute_queue(params, case)

    def sim(params: Params, progress: ProgressFn) -> Results:
        return simulate_queue(params, progress, case=case, seed=seed)

    def figure(params: Params, results: Results):
        if "simulation_runs" not in results:
            return None
        runs = results["simulation_runs"]
        t = queue_targets(_case_params(params, case))["service_level"]
        refs = {"erlang_a": results["erlang_a"]["service_level"], "erlang_c": results["erlang_c"]["service_level"]}
        fig = plots.day_spread(runs, kpi="service_level", target=t.value, references=refs)
        met = int((runs["service_level"] >= t.value).sum())
        alt = (
            f"{len(runs)} simulated days with {params.get('agents', case.agents)} agents: service level from "
            f"{_fmt_value('service_level', runs['service_level'].min())} to "
            f"{_fmt_value('service_level', runs['service_level'].max())}; {met} of {len(runs)} days met the target."
        )
        return fig, alt

    panel = WhatIfPanel(
        ctrl,
        compute,
        tiles=tiles,
        figure=figure,
        simulate=sim,
        auto_simulate=False,
        targets=queue_targets,
        title=title,
        figure_height="400px",
        run_label="Simulate the days",
    )
    panel.run()
    return panel


def case_card(case: QueueCase = CLASSROOM) -> widgets.HTML:
    """The case in words and numbers, computed from ``case`` (``ccsim-case``): what the sliders start from."""
    per_day = case.calls_per_hour * case.hours
    rows = [
        ("Agents on the phones", f"{case.agents}"),
        ("Calls", f"{case.calls_per_hour:g} an hour, about {per_day:,.0f} over the {case.hours:g}-hour day"),
        ("Handle time (talk plus wrap-up)", f"{case.aht_s:g} s on average ({case.aht_s / 60:.1f} minutes)"),
        (
            "Patience",
            f"callers hang up after {case.patience_s:g} s of waiting on average ({case.patience_s / 60:.0f} minutes)",
        ),
        (
            "Workload",
            f"{case.load_erlangs:g} Erlangs: the calls bring enough work to keep {case.load_erlangs:g} agents "
            f"busy nonstop, {case.load_erlangs / case.agents:.0%} of the {case.agents} on the phones",
        ),
        (
            "Service level counts",
            parse_sl_definition(case.sl_definition).label.replace("T", f"{case.answer_within_s:g} s"),
        ),
    ]
    body = "".join(
        f"<tr><td style='padding:2px 10px 2px 0'><b>{html.escape(k)}</b></td>"
        f"<td style='padding:2px 0'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    w = widgets.HTML(f"<table style='font-size:1.05em'>{body}</table>")
    w.add_class("ccsim-case")
    return w


def staffing_curve_figure(
    case: QueueCase = CLASSROOM, *, agents: Sequence[int] | None = None, height: str = "480px"
) -> widgets.Widget:
    """The staffing curve of ``case`` (Erlang A and C, targets, the case's agents marked), as a static figure widget."""
    load = case.load_erlangs
    agents = list(agents) if agents is not None else plots.agents_around(load, case.agents, low=0.8, high=1.35)
    curve = plots.erlang_curve(
        case.calls_per_interval,
        case.interval_s,
        case.aht_s,
        agents,
        patience_s=case.patience_s,
        answer_within_s=case.answer_within_s,
        sl_definition=case.sl_definition,
    )
    targets = {k: t.value for k, t in GUARANTEES.items()}
    fig = plots.staffing_curve(curve, targets=targets, current_agents=case.agents)
    a = curve[curve.source == "erlang_a"].set_index("agents")["service_level"]
    alt = (
        f"Staffing curve, {case.calls_per_hour:g} calls an hour: by Erlang A, {agents[0]} agents answer "
        f"{_fmt_value('service_level', a.iloc[0])} within {case.answer_within_s:g} s and {agents[-1]} agents "
        f"{_fmt_value('service_level', a.iloc[-1])}."
    )
    return show_figure(fig, alt, height=height)


# ----------------------------------------------------------------------------------------------
# lab 00: the map of the kit

LABS: tuple[tuple[str, str, str, str], ...] = (
    # number, title, notebook file, who it is for (from KIT_PLAN.md)
    ("00", "Start here", "00_start_here.ipynb", "everyone, first"),
    ("01", "Queues and service level", "01_queues_and_service_level.ipynb", "new hires, UBT teams, self-paced"),
    ("02", "In the caller's shoes", "02_in_the_callers_shoes.ipynb", "new hires, UBT teams"),
    ("03", "Metric trade-offs", "03_metric_trade_offs.ipynb", "new hires, UBT teams, supervisors"),
    ("04", "One and done (hand-off reduction)", "04_one_and_done.ipynb", "UBT teams, new hires"),
    ("05", "What-if staffing", "05_what_if_staffing.ipynb", "supervisors, workforce planners, UBT teams"),
    ("06", "Routing and call sharing", "06_routing_and_call_sharing.ipynb", "supervisors, UBT teams"),
    ("07", "Technology levers", "07_technology_levers.ipynb", "UBT teams, supervisors"),
    ("08", "Case: a 24-hour public hotline", "08_case_24_hour_hotline.ipynb", "everyone"),
    ("09", "UBT workshop capstone", "09_ubt_workshop_capstone.ipynb", "UBT teams"),
)


def _notebook_dir() -> Path:
    here = Path(__file__).resolve().parents[2] / "notebooks"
    return here if here.is_dir() else Path.cwd()


def kit_map(notebook_dir: str | Path | None = None) -> widgets.HTML:
    """A table of the labs 00–09: title, who it is for, and whether its notebook exists yet (``ccsim-kit-map``).

    A lab counts as ready when a notebook starting with its number is in ``notebook_dir``.
    """
    folder = Path(notebook_dir) if notebook_dir else _notebook_dir()
    present = {p.name[:2] for p in folder.glob("[0-9][0-9]_*.ipynb")}
    rows = []
    for number, title, file, audience in LABS:
        ready = number in present
        actual = next((p.name for p in sorted(folder.glob(f"{number}_*.ipynb"))), file)
        status = "ready ✓" if ready else "coming later"
        rows.append(
            f"<tr><td style='padding:3px 8px'><b>{number}</b></td><td style='padding:3px 8px'>{html.escape(title)}"
            f"{' — <code>' + html.escape(actual) + '</code>' if ready else ''}</td>"
            f"<td style='padding:3px 8px'>{html.escape(audience)}</td>"
            f"<td style='padding:3px 8px;color:{_MET_COLOR if ready else _NEUTRAL_COLOR}'>{status}</td></tr>"
        )
    table = (
        "<table style='border-collapse:collapse;font-size:1.05em'><thead><tr>"
        "<th style='text-align:left;padding:3px 8px'>Lab</th><th style='text-align:left;padding:3px 8px'>Title</th>"
        "<th style='text-align:left;padding:3px 8px'>Who it is for</th>"
        "<th style='text-align:left;padding:3px 8px'>Status</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    w = widgets.HTML(table)
    w.add_class("ccsim-kit-map")
    w.ready = sorted(present & {n for n, *_ in LABS})  # type: ignore[attr-defined]
    return w
