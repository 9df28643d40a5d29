"""PNG bytes of the staffing curve for a panel whose sliders move, drawn fast (Agg blitting)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ccsim.views.plots._common import STYLE
from ccsim.views.plots.staffing import CURVE_KPIS, AxisInfo, draw_staffing_curve, now_marker, points
from ccsim.views.style import source_style


class StaffingCurvePNG:
    """PNG bytes of :func:`staffing_curve` for a panel whose sliders move, drawn fast.

    The static part (curves, targets, axes, legend) is drawn once per curve and kept; a change that
    only moves the current agent count or the simulation point redraws just those ("now" line and
    label, simulation markers with their 95% interval) over the kept background (Agg blitting).
    The picture is the same as ``fig_to_png(staffing_curve(...))`` except that the moving artists
    are painted on top of the curves. :attr:`figure` is the Figure behind the latest picture.
    Not thread-safe; one per panel.
    """

    def __init__(self, dpi: int = 90):
        self.dpi = dpi
        self._key: tuple | None = None
        self._fig: Figure | None = None
        self._canvas: FigureCanvasAgg | None = None
        self._background: Any = None
        self._axes_info: list[AxisInfo] = []
        self._dynamic: list[Any] = []

    @property
    def figure(self) -> Figure | None:
        """The Figure the latest PNG was drawn from (moving artists where they were drawn last); None before."""
        return self._fig

    def __call__(
        self,
        curve: pd.DataFrame,
        *,
        targets: Mapping[str, float] | None = None,
        current_agents: int | None = None,
        kpis: Sequence[str] = CURVE_KPIS,
        title: str | None = None,
        asa_cap_s: float | None = None,
    ) -> bytes:
        """Same arguments as :func:`staffing_curve`; returns PNG bytes drawn at ``self.dpi``."""
        key = self._static_key(curve, targets, current_agents, kpis, title, asa_cap_s)
        with matplotlib.rc_context(STYLE):
            if key != self._key or self._fig is None or self._canvas is None:
                self._key = None
                fig, canvas = self._draw_static(curve, targets, current_agents, kpis, title, asa_cap_s)
                self._key = key
            else:
                fig, canvas = self._fig, self._canvas
                canvas.restore_region(self._background)
                self._redo_dynamic(curve, current_agents)
            for a in sorted(self._dynamic, key=lambda a: a.get_zorder()):
                fig.draw_artist(a)
            buf = io.BytesIO()
            from PIL import Image

            Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _draw_static(self, curve, targets, current_agents, kpis, title, asa_cap_s) -> tuple[Figure, FigureCanvasAgg]:
        dynamic: list[Any] = []
        axes_info: list[AxisInfo] = []
        fig = draw_staffing_curve(
            curve,
            targets=targets,
            current_agents=current_agents,
            kpis=kpis,
            title=title,
            asa_cap_s=asa_cap_s,
            dynamic=dynamic,
            axes_info=axes_info,
        )
        fig.set_dpi(self.dpi)
        for a in dynamic:
            a.set_animated(True)  # left out of canvas.draw(): the kept background has no moving part
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        for ax, *_ in axes_info:
            ax.set_autoscale_on(False)  # limits are part of the key; new points must not move them
        self._fig, self._canvas, self._axes_info, self._dynamic = fig, canvas, axes_info, dynamic
        self._background = canvas.copy_from_bbox(fig.bbox)
        return fig, canvas

    def _redo_dynamic(self, curve: pd.DataFrame, current_agents: int | None) -> None:
        for a in self._dynamic:
            a.remove()
        dynamic = []
        sim = curve[curve["source"] == "simulation"].sort_values("agents")
        st = source_style("simulation")
        for ax, kpi, scale, cap in self._axes_info:
            ax.containers = [
                c for c in ax.containers if any(getattr(ch, "axes", None) is not None for ch in c.get_children())
            ]
            if len(sim):
                y = sim[kpi].to_numpy(dtype=float) * scale
                if cap is not None:
                    y = np.where(np.isfinite(y) & (y <= cap), y, np.nan)
                dynamic.extend(points(ax, sim, kpi, y, scale, st))
            if current_agents is not None:
                dynamic.extend(now_marker(ax, current_agents))
        for a in dynamic:
            a.set_animated(True)
        self._dynamic = dynamic

    def _static_key(self, curve, targets, current_agents, kpis, title, asa_cap_s) -> tuple:
        # Everything that shapes the kept background: the formula rows, the targets, and whatever sets an
        # axis limit (agent range incl. the current one, abandonment and ASA maxima incl. the simulation).
        kpis = tuple(k for k in kpis if k in curve.columns)
        static = curve[curve["source"] != "simulation"]
        sim = curve[curve["source"] == "simulation"]
        agents = curve["agents"].to_numpy(dtype=float)
        if current_agents is not None:
            agents = np.append(agents, float(current_agents))
        limits = []
        for kpi in ("abandonment_rate", "asa_s"):
            if kpi in kpis:
                v = curve[kpi].to_numpy(dtype=float)
                v = v[np.isfinite(v)]
                limits.append(float(v.max()) if len(v) else None)
        loose_asa = "asa_s" in kpis and asa_cap_s is None and "asa_s" not in (targets or {})
        return (
            tuple(static.columns),
            pd.util.hash_pandas_object(static, index=False).to_numpy().tobytes(),
            tuple(sim.columns) if len(sim) else None,
            len(sim),
            tuple(sorted((targets or {}).items())),
            kpis,
            title,
            asa_cap_s,
            self.dpi,
            current_agents is None,
            (float(agents.min()), float(agents.max())) if len(agents) else None,
            tuple(limits),
            repr(sim.to_numpy().tolist()) if loose_asa and len(sim) else None,
        )
