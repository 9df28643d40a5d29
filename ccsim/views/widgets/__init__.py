"""The widget toolkit of the labs (ipywidgets 8): labelled controls, KPI tiles, a message area, a figure
area, and :class:`WhatIfPanel`, which composes them around a ``compute(params) -> results`` function.

Nothing here knows a lab: cases, panels and questions of each lab live in :mod:`ccsim.labs`. This
package (with :mod:`ccsim.views.quiz`) is the only part of ccsim that imports ipywidgets. Every piece
carries a stable CSS class (``ccsim-agents``, ``ccsim-kpi-service-level``, ``ccsim-message``, ...) that
the real-browser tests use: keep them.

Building a panel (``compute`` returns ``{source: {kpi: value}}``)::

    >>> from ccsim.analytics.erlang import erlang_a
    >>> def compute(params):
    ...     m = erlang_a(213.75, 1800, 400, params["agents"], patience_s=300, answer_within_s=30)
    ...     return {"erlang_a": {"service_level": m.service_level}}
    >>> target = Target("service_level", 0.8, "at_least", answer_within_s=30)
    >>> panel = WhatIfPanel({"agents": agents_slider(50)}, compute, tiles=[KpiTile("service_level", "erlang_a", target)])
    >>> panel.set(agents=47).tile("service_level", "erlang_a").text
    'Service level 69% — target 80% in 30 s — missed ✗'
    >>> panel.set(agents=0).message.text
    '⚠ agents: 0 is not allowed; use a whole number from 20 to 100'

In a notebook, a panel on the last line of a cell shows itself.
"""

from ccsim.views.widgets.controls import (
    agents_slider,
    aht_slider,
    answer_within_slider,
    calls_slider,
    days_slider,
    patience_slider,
    preset_dropdown,
    run_button,
    sl_definition_dropdown,
    slider,
)
from ccsim.views.widgets.figures import FigureArea, show_figure
from ccsim.views.widgets.messages import MessageArea
from ccsim.views.widgets.panel import FigureFn, Params, ProgressFn, Results, WhatIfPanel
from ccsim.views.widgets.targets import TILE_KPIS, Target, guarantees_from
from ccsim.views.widgets.tiles import KpiTile, tile_value

__all__ = [
    "TILE_KPIS",
    "FigureArea",
    "FigureFn",
    "KpiTile",
    "MessageArea",
    "Params",
    "ProgressFn",
    "Results",
    "Target",
    "WhatIfPanel",
    "agents_slider",
    "aht_slider",
    "answer_within_slider",
    "calls_slider",
    "days_slider",
    "guarantees_from",
    "patience_slider",
    "preset_dropdown",
    "run_button",
    "show_figure",
    "sl_definition_dropdown",
    "slider",
    "tile_value",
]
