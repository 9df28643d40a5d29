"""Labelled controls with stable CSS classes (``ccsim-agents``, ``ccsim-calls``, ...) for the real-browser tests.

Sliders report only when released (``continuous_update=False``), so a drag recomputes once. The
starting value is the caller's (a lab passes its case's numbers); ranges have defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition

WIDTH = "640px"
"""Width of a control row: label plus slider."""


def _style(width: str = "230px") -> dict[str, str]:
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
    width: str = WIDTH,
) -> widgets.ValueWidget:
    """A labelled slider that reports only when released (``continuous_update=False``), CSS class ``css``."""
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    kwargs: dict[str, Any] = dict(
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


def agents_slider(value: int, min: int = 20, max: int = 100) -> widgets.IntSlider:
    """Agents on the phones (``ccsim-agents``), starting at ``value``."""
    return slider(
        "ccsim-agents",
        "Agents on the phones",
        value,
        min,
        max,
        tooltip="How many agents are logged in and taking calls",
    )


def calls_slider(value: float, min: float = 50, max: float = 1000, step: float = 2.5) -> widgets.FloatSlider:
    """Calls offered per hour (``ccsim-calls``), starting at ``value``."""
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


def aht_slider(value: float, min: int = 60, max: int = 1200, step: int = 10) -> widgets.IntSlider:
    """Average handle time in seconds (``ccsim-aht``), starting at ``value``."""
    return slider(
        "ccsim-aht",
        "Handle time (seconds)",
        int(value),
        min,
        max,
        step,
        tooltip="Average talk plus wrap-up time of one call, in seconds",
    )


def patience_slider(value: float, min: int = 10, max: int = 1800, step: int = 10) -> widgets.IntSlider:
    """Callers' mean patience before hanging up, seconds (``ccsim-patience``), starting at ``value``."""
    return slider(
        "ccsim-patience",
        "Patience (seconds)",
        int(value),
        min,
        max,
        step,
        tooltip="How long callers wait on average before they hang up, in seconds",
    )


def answer_within_slider(value: float, min: int = 5, max: int = 120, step: int = 5) -> widgets.IntSlider:
    """Service-level threshold T in seconds (``ccsim-answer-within``), starting at ``value``."""
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
    """Which service-level definition (``ccsim-sl-definition``), in plain words (:attr:`~ccsim.analytics.service_level.SLDefinition.plain`)."""
    w = widgets.Dropdown(
        options=[(d.plain, d.value) for d in SLDefinition],
        value=parse_sl_definition(value).value,
        description="Service level counts",
        style=_style(),
        layout=widgets.Layout(width=WIDTH),
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
        layout=widgets.Layout(width=WIDTH),
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
