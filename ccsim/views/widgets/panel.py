"""The what-if panel: controls → ``compute(params)`` → tiles and a figure, with a message area and a simulation."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

import ipywidgets as widgets
from matplotlib.figure import Figure

from ccsim.errors import CcsimInputError, check_number
from ccsim.views.widgets.controls import run_button
from ccsim.views.widgets.figures import FigureArea
from ccsim.views.widgets.messages import MessageArea
from ccsim.views.widgets.targets import Target
from ccsim.views.widgets.tiles import KpiTile

Params: TypeAlias = dict[str, Any]
"""Control name → value."""
Results: TypeAlias = dict[str, Any]
"""Source → {KPI → value}, plus ``notes``, ``messages`` and anything else a panel's functions pass on."""
ProgressFn: TypeAlias = Callable[[int, int], None]
"""``progress(done, total)``, called by a simulation after each simulated day."""
FigureFn: TypeAlias = Callable[[Params, Results], Any]
"""``figure(params, results)`` → a Figure, ``(Figure or PNG bytes, alt)``, ``(PNG bytes, alt, Figure)`` or None."""

_NUMBER_CONTROLS = (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText, widgets.BoundedFloatText)


def check_control_value(name: str, w: widgets.ValueWidget, value: Any) -> None:
    """Raise :class:`CcsimInputError` (one sentence) when control ``name`` cannot take ``value``."""
    if isinstance(w, _NUMBER_CONTROLS):
        integer = isinstance(w, (widgets.IntSlider, widgets.BoundedIntText))
        check_number(name, value, low=w.min, high=w.max, integer=integer)
    elif isinstance(w, widgets.Dropdown):
        opts = list(w.options)
        allowed = [v for _label, v in opts] if opts and isinstance(opts[0], tuple) else opts
        if value not in allowed:
            raise CcsimInputError(name, value, "one of " + ", ".join(map(str, allowed)))


class WhatIfPanel:
    """Controls → ``compute(params)`` → tiles and a figure, with a message area and an optional simulation.

    * ``controls``: name → widget; ``params`` is ``{name: widget.value}``.
    * ``compute(params) -> results``: instant (formulas); runs on every control change.
      ``results`` maps a source (``"erlang_a"``) to ``{kpi: value}``, plus anything else;
      ``results["messages"]`` (e.g. a result's ``warnings``) are shown in the message area.
    * ``simulate(params, progress) -> results``: slower; merged into the results. It runs on every
      change when ``auto_simulate(params)`` is true, otherwise when the Run button is pressed;
      until then the tiles of the ``simulation`` source say so in words.
    * ``figure(params, results)``: see :data:`FigureFn`; drawn in the figure area.
    * ``targets(params) -> {kpi: Target}``: the targets the tiles judge against (default: each tile's own).

    Nothing raised in these functions reaches the learner: a :class:`CcsimInputError` shows its
    sentence in the message area, anything else a kind sentence with the details collapsed.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        compute: Callable[[Params], Results],
        *,
        tiles: Sequence[KpiTile] = (),
        figure: FigureFn | None = None,
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
        self._targets = targets if targets is not None else {}
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
        self.updates = 0
        """How many times the panel recomputed (for tests and benchmarks)."""
        self._hold = False

        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        if self.run_button is not None:
            self.run_button.on_click(lambda _b: self.run())
        self.widget = self._layout(title, extra)
        self.refresh()

    # -- layout

    def _layout(self, title: str, extra: Sequence[widgets.Widget]) -> widgets.VBox:
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
        box = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        box.add_class("ccsim-panel")
        return box

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

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
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
                check_control_value(name, self.controls[name], value)
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
        """Run ``fn``; an exception becomes a sentence in the message area. True when it finished."""
        try:
            fn()
        except Exception as exc:
            self.message.error(exc)
            return False
        return True

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
        simulate = self.simulate
        if simulate is None:
            return
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
            out = dict(simulate(params, progress))
            self.sim_results, self.sim_params = out, dict(params)
        finally:
            self.progress.layout.visibility = "hidden"
            if self.run_button is not None:
                self.run_button.disabled = False

    def _show(self, params: Params, results: Results) -> None:
        targets = self.targets(params)
        notes = results.get("notes", {})
        for tile in self.tiles:
            values = results.get(tile.source)
            if values is None:
                simulated = tile.source == self.sim_source and self.simulate is not None
                tile.pending("press Run to simulate these settings" if simulated else "not available")
                continue
            note = notes.get(tile.source, "")
            if isinstance(note, dict):  # a note per KPI
                note = note.get(tile.kpi, "")
            tile.update(values.get(tile.kpi), target=targets.get(tile.kpi, tile.target), note=note)
        if results.get("messages"):
            self.message.warning(list(results["messages"]))
        if self.figure_area is not None and self.figure is not None:
            self._draw(self.figure_area, self.figure(params, results))

    @staticmethod
    def _draw(area: FigureArea, out: Any) -> None:
        if out is None:
            area.clear()
        elif isinstance(out, (Figure, bytes, bytearray)):
            area.show(out)
        else:
            area.show(*out)
