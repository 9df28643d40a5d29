"""Figures for the labs: matplotlib only (no widgets), readable on a projector.

Every function takes data (DataFrames, numbers) and returns a :class:`matplotlib.figure.Figure`
built without pyplot, so no figure is left open in pyplot's registry and nothing is shown by
accident: the caller decides where it goes (``fig_to_png`` for a widget, ``display(fig)`` in a cell).
Large fonts, axes labelled with units, Okabe–Ito colours (colour-blind safe) and never colour alone:
each source also has its own marker and line style, and lines carry text labels.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.errors import CcsimInputError

__all__ = [
    "KPI_INFO",
    "SOURCES",
    "STYLE",
    "StaffingCurvePNG",
    "agents_around",
    "day_spread",
    "erlang_curve",
    "fig_to_png",
    "interval_profile",
    "staffing_curve",
]

STYLE = {
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "figure.titlesize": 17,
    "lines.linewidth": 2.6,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
"""matplotlib rc settings every figure here is drawn with (projector-sized text)."""

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
_BLUE, _ORANGE, _GREEN, _VERMILLION, _PURPLE, _SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"
_GREY = "#555555"

SOURCES: dict[str, dict] = {
    "simulation": {"label": "Simulation", "color": _BLUE, "marker": "o", "linestyle": "-"},
    "erlang_a": {"label": "Erlang A (callers hang up)", "color": _ORANGE, "marker": "s", "linestyle": "--"},
    "erlang_c": {"label": "Erlang C (nobody hangs up)", "color": _PURPLE, "marker": "^", "linestyle": ":"},
}
"""How each source of numbers is drawn: label, colour, marker, line style."""

KPI_INFO: dict[str, dict] = {
    "service_level": {"label": "Service level", "unit": "%", "scale": 100.0, "axis": "Service level (%)"},
    "asa_s": {
        "label": "Average speed of answer",
        "unit": "s",
        "scale": 1.0,
        "axis": "Average speed of answer (seconds)",
    },
    "abandonment_rate": {"label": "Abandonment", "unit": "%", "scale": 100.0, "axis": "Abandoned calls (%)"},
    "occupancy": {"label": "Occupancy", "unit": "%", "scale": 100.0, "axis": "Occupancy: time agents are busy (%)"},
}
"""Display name, unit and scale (fraction → percent) of each KPI the figures know."""

_CURVE_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")


def _source_style(source: str) -> dict:
    return SOURCES.get(source, {"label": source, "color": _GREY, "marker": "D", "linestyle": "-."})


def _new_figure(width_in: float, height_in: float, **margins: float) -> Figure:
    # Fixed margins, not constrained layout: the layout engine doubles the drawing time and a
    # slider change must redraw well inside 250 ms.
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width_in, height_in))
        fig.subplots_adjust(**margins)
        return fig


def fig_to_png(fig: Figure, dpi: int = 90) -> bytes:
    """PNG bytes of ``fig`` (drawn with :data:`STYLE`), lightly compressed: encoding fast beats bytes saved."""
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------
# data for the staffing curve


def agents_around(
    load_erlangs: float, current: int | None = None, *, low: float = 0.85, high: float = 1.3, extra: int = 3
) -> list[int]:
    """Agent counts worth plotting for a load in Erlangs: from about 85% to 130% of the load, including ``current``."""
    lo = max(1, int(math.floor(load_erlangs * low)))
    hi = max(lo + 4, int(math.ceil(load_erlangs * high)) + extra)
    if current is not None:
        lo, hi = min(lo, max(1, int(current) - 2)), max(hi, int(current) + 2)
    return list(range(lo, hi + 1))


def erlang_curve(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: Iterable[int],
    *,
    patience_s: float | None = None,
    answer_within_s: float = 30.0,
    sl_definition: str = "offered",
    models: Sequence[str] = ("erlang_c", "erlang_a"),
) -> pd.DataFrame:
    """Erlang C and/or Erlang A answers for each agent count: one row per (source, agents).

    ``calls`` offered per ``interval_s`` seconds, handle time ``aht_s`` s, mean patience ``patience_s`` s
    (needed for Erlang A). Columns: source, agents, service_level, asa_s (inf when Erlang C cannot
    keep up), abandonment_rate, occupancy, p_wait, load_erlangs.
    """
    for i, model in enumerate(models):
        if model not in ("erlang_c", "erlang_a"):
            raise CcsimInputError(f"models[{i}]", model, "erlang_c or erlang_a")
    rows = []
    for n in agents:
        for model in models:
            if model == "erlang_c":
                m = erlang_c(calls, interval_s, aht_s, n, answer_within_s, sl_definition)
            elif model == "erlang_a":
                m = erlang_a(calls, interval_s, aht_s, n, patience_s, answer_within_s, sl_definition)
            else:  # pragma: no cover - checked above
                raise CcsimInputError("models", model, "erlang_c or erlang_a")
            rows.append(
                {
                    "source": model,
                    "agents": int(n),
                    "service_level": m.service_level,
                    "asa_s": m.asa_s,
                    "abandonment_rate": m.abandonment_rate,
                    "occupancy": m.occupancy,
                    "p_wait": m.p_wait,
                    "load_erlangs": m.load_erlangs,
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# figures


def _target_line(ax, value: float, text: str, *, below_left: bool = False) -> None:
    ax.axhline(value, color="black", linestyle="-.", linewidth=1.8, zorder=1)
    x, dy, ha, va = (0.0, -4, "left", "top") if below_left else (1.0, 4, "right", "bottom")
    ax.annotate(
        text,
        xy=(x, value),
        xycoords=("axes fraction", "data"),
        xytext=(4 if below_left else -4, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=12,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def _fmt_target(kpi: str, value: float) -> str:
    info = KPI_INFO[kpi]
    v = value * info["scale"]
    return f"target {v:g}{'%' if info['unit'] == '%' else ' s'}"


def staffing_curve(
    curve: pd.DataFrame,
    *,
    targets: Mapping[str, float] | None = None,
    current_agents: int | None = None,
    kpis: Sequence[str] = _CURVE_KPIS,
    title: str | None = None,
    asa_cap_s: float | None = None,
) -> Figure:
    """Service level, ASA, abandonment and occupancy against agents, one line per source.

    ``curve``: rows of (source, agents, <kpi>...) as from :func:`erlang_curve`; rows of source
    ``simulation`` may add ``<kpi>_low``/``<kpi>_high`` (a 95% interval) drawn as error bars.
    ``targets``: KPI → target value (fractions for percentages, seconds for ASA) drawn as labelled lines.
    ``current_agents`` is marked with a vertical line. ASA above ``asa_cap_s`` (default: 10 × the ASA
    target, else the largest finite value) is cut off and said so on the axis.
    """
    return _staffing_curve(
        curve, targets=targets, current_agents=current_agents, kpis=kpis, title=title, asa_cap_s=asa_cap_s
    )


def _points(ax, rows: pd.DataFrame, kpi: str, y: np.ndarray, scale: float, st: dict) -> list:
    """Markers (with 95% interval error bars when ``<kpi>_low``/``<kpi>_high`` exist); returns the artists."""
    lo_col, hi_col = f"{kpi}_low", f"{kpi}_high"
    if lo_col in rows and hi_col in rows:
        lo = rows[lo_col].to_numpy(dtype=float) * scale
        hi = rows[hi_col].to_numpy(dtype=float) * scale
        err = np.vstack([np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)])
        eb = ax.errorbar(
            rows["agents"],
            y,
            yerr=err,
            color=st["color"],
            marker=st["marker"],
            linestyle="none",
            capsize=6,
            markersize=10,
            label=st["label"] + " (95% confidence interval)",
            zorder=4,
        )
        return [a for a in (eb[0], *eb[1], *eb[2]) if a is not None]
    return ax.plot(
        rows["agents"],
        y,
        color=st["color"],
        marker=st["marker"],
        linestyle="none",
        markersize=10,
        label=st["label"],
        zorder=4,
    )


def _now_marker(ax, current_agents: int) -> list:
    line = ax.axvline(current_agents, color=_GREY, linewidth=1.5, linestyle="-", zorder=2)
    text = ax.annotate(
        f"now: {current_agents}",
        xy=(current_agents, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=12,
        color=_GREY,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=5,
    )
    return [line, text]


def _staffing_curve(
    curve: pd.DataFrame,
    *,
    targets: Mapping[str, float] | None,
    current_agents: int | None,
    kpis: Sequence[str],
    title: str | None,
    asa_cap_s: float | None,
    dynamic: list | None = None,
    axes_info: list | None = None,
) -> Figure:
    # ``dynamic`` collects the artists that move with a slider (simulation points, "now" marker);
    # ``axes_info`` collects (ax, kpi, scale, cap) per drawn axis. Both for StaffingCurvePNG.
    kpis = [k for k in kpis if k in curve.columns]
    targets = dict(targets or {})
    ncols = 2 if len(kpis) > 1 else 1
    nrows = math.ceil(len(kpis) / ncols)
    height = 3.6 * nrows + 0.9
    bottom = (1.05 if title else 0.75) / height
    fig = _new_figure(
        6.2 * ncols, height, left=0.09, right=0.985, bottom=bottom, top=1 - 0.75 / height, wspace=0.28, hspace=0.32
    )
    with matplotlib.rc_context(STYLE):
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()
        for ax in axes[len(kpis) :]:
            ax.set_visible(False)
        for ax, kpi in zip(axes, kpis):
            info = KPI_INFO.get(kpi, {"label": kpi, "unit": "", "scale": 1.0, "axis": kpi})
            scale = info["scale"]
            cap = None
            if kpi == "asa_s":
                finite = curve[kpi][np.isfinite(curve[kpi])]
                cap = asa_cap_s or (10 * targets["asa_s"] if "asa_s" in targets else None)
                if cap is None and len(finite):
                    cap = float(finite.max()) * 1.05 or 1.0
            for source, rows in curve.groupby("source", sort=False):
                st = _source_style(str(source))
                rows = rows.sort_values("agents")
                y = rows[kpi].to_numpy(dtype=float) * scale
                if cap is not None:
                    y = np.where(np.isfinite(y) & (y <= cap), y, np.nan)
                if source == "simulation" or len(rows) <= 2:
                    arts = _points(ax, rows, kpi, y, scale, st)
                    if source == "simulation" and dynamic is not None:
                        dynamic.extend(arts)
                else:
                    ax.plot(
                        rows["agents"],
                        y,
                        color=st["color"],
                        marker=st["marker"],
                        linestyle=st["linestyle"],
                        markevery=max(1, len(rows) // 8),
                        label=st["label"],
                        zorder=3,
                    )
            if kpi in targets:
                _target_line(ax, targets[kpi] * scale, _fmt_target(kpi, targets[kpi]))
            if current_agents is not None:
                arts = _now_marker(ax, current_agents)
                if dynamic is not None:
                    dynamic.extend(arts)
            if axes_info is not None:
                axes_info.append((ax, kpi, scale, cap))
            label = info["axis"]
            if cap is not None:
                ax.set_ylim(0, cap * 1.02)
                label = f"{label}\n(cut at {cap:g} s)"
            elif kpi == "abandonment_rate":
                top = max(2 * targets.get(kpi, 0.0), float(np.nanmax(curve[kpi].to_numpy(dtype=float)))) * scale
                ax.set_ylim(0, max(top * 1.08, 1.0))
            elif info["unit"] == "%":
                ax.set_ylim(0, 102)
            ax.set_ylabel(label)
            ax.set_title(info["label"])
        for ax in axes[max(0, len(kpis) - ncols) : len(kpis)]:
            ax.set_xlabel("Agents on the phones")
        if kpis:
            handles, labels = axes[0].get_legend_handles_labels()
            if handles:
                fig.legend(
                    handles,
                    labels,
                    loc="upper center",
                    ncols=min(3, len(handles)),
                    frameon=False,
                    bbox_to_anchor=(0.5, 1.0),
                )
        if title:
            fig.suptitle(title, y=0.005, va="bottom", fontsize=13)
    return fig


def day_spread(
    runs: pd.DataFrame,
    *,
    kpi: str = "service_level",
    target: float | None = None,
    references: Mapping[str, float] | None = None,
    title: str | None = None,
) -> Figure:
    """One marker per simulated day for ``kpi`` (e.g. service level): same staffing, different days.

    ``runs``: one row per simulated day with a ``kpi`` column (fractions for percentages).
    Days that meet ``target`` get a filled circle, days that miss it a cross (not colour alone).
    ``references``: source → value (e.g. Erlang A and C) drawn as labelled horizontal lines.
    """
    info = KPI_INFO.get(kpi, {"label": kpi, "unit": "", "scale": 1.0, "axis": kpi})
    scale = info["scale"]
    y = runs[kpi].to_numpy(dtype=float) * scale
    days = np.arange(1, len(y) + 1)
    higher_is_better = kpi == "service_level"
    fig = _new_figure(11.5, 5.2, left=0.08, right=0.98, bottom=0.13, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        if target is not None:
            t = target * scale
            met = y >= t if higher_is_better else y <= t
            ax.plot(
                days[met],
                y[met],
                linestyle="none",
                marker="o",
                markersize=11,
                color=_BLUE,
                label=f"day met the target ({int(met.sum())} of {len(y)})",
                zorder=4,
            )
            ax.plot(
                days[~met],
                y[~met],
                linestyle="none",
                marker="X",
                markersize=12,
                color=_VERMILLION,
                label=f"day missed the target ({int((~met).sum())} of {len(y)})",
                zorder=4,
            )
            _target_line(ax, t, _fmt_target(kpi, target), below_left=True)
        else:
            ax.plot(days, y, linestyle="none", marker="o", markersize=11, color=_BLUE, label="one simulated day")
        if len(y):
            mean = float(np.nanmean(y))
            ax.axhline(
                mean,
                color=_BLUE,
                linewidth=2.2,
                zorder=3,
                label=f"average of the {len(y)} days: {mean:.0f}{'%' if info['unit'] == '%' else ' s'}",
            )
        for source, value in (references or {}).items():
            st = _source_style(source)
            ax.axhline(
                value * scale,
                color=st["color"],
                linestyle=st["linestyle"],
                linewidth=2.2,
                label=f"{st['label']}: {value * scale:.0f}{'%' if info['unit'] == '%' else ' s'}",
                zorder=2,
            )
        ax.set_xlabel("Simulated day (same staffing, same forecast)")
        ax.set_ylabel(info["axis"])
        ax.set_xticks(days if len(days) <= 25 else days[:: max(1, len(days) // 20)])
        ax.set_xlim(0.3, len(y) + 0.7)
        lows = [np.nanmin(y)] if len(y) else []
        lows += [v * scale for v in (references or {}).values()] + ([target * scale] if target is not None else [])
        if info["unit"] == "%" and lows:
            ax.set_ylim(max(0.0, min(lows) - 8), min(102.0, max(np.nanmax(y) if len(y) else 0, max(lows)) + 6))
        ax.legend(loc="lower left", frameon=True, framealpha=0.9)
        if title is None and len(y):
            title = (
                f"{len(y)} simulated days with the same staffing: {info['label'].lower()} "
                f"from {np.nanmin(y):.0f} to {np.nanmax(y):.0f}{'%' if info['unit'] == '%' else ' s'}"
            )
        if title:
            ax.set_title(title)
    return fig


def interval_profile(
    kpis_by_interval: pd.DataFrame,
    *,
    kpi: str = "service_level",
    target: float | None = None,
    interval_s: float = 1800.0,
    opens_h: float = 8.0,
    title: str | None = None,
) -> Figure:
    """``kpi`` for each interval of the day (e.g. every 30 minutes), with the target as a line.

    ``kpis_by_interval``: one row per interval (index or an ``interval`` column numbering them from 0)
    with a ``kpi`` column. The x-axis is clock time, assuming the center opens at ``opens_h`` hours.
    """
    info = KPI_INFO.get(kpi, {"label": kpi, "unit": "", "scale": 1.0, "axis": kpi})
    df = kpis_by_interval
    idx = df["interval"].to_numpy(dtype=float) if "interval" in df.columns else np.arange(len(df), dtype=float)
    x = opens_h + idx * interval_s / 3600.0
    y = df[kpi].to_numpy(dtype=float) * info["scale"]
    fig = _new_figure(11.5, 4.8, left=0.08, right=0.98, bottom=0.14, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        ax.plot(x, y, color=_BLUE, marker="o", label=info["label"], zorder=3)
        if target is not None:
            _target_line(ax, target * info["scale"], _fmt_target(kpi, target))
        ax.set_xlabel("Time of day (start of each interval, hours)")
        ax.set_ylabel(info["axis"])
        ticks = np.arange(math.floor(x.min()), math.ceil(x.max()) + 1) if len(x) else []
        ax.set_xticks(ticks, [f"{int(t) % 24:02d}:00" for t in ticks])
        if info["unit"] == "%":
            ax.set_ylim(0, 102)
        if title:
            ax.set_title(title)
    return fig


class StaffingCurvePNG:
    """PNG bytes of :func:`staffing_curve` for a panel whose sliders move, drawn fast.

    The static part (curves, targets, axes, legend) is drawn once per curve and kept; a change that
    only moves the current agent count or the simulation point redraws just those ("now" line and
    label, simulation markers with their 95% interval) over the kept background (Agg blitting).
    The picture is the same as ``fig_to_png(staffing_curve(...))`` except that the moving artists
    are painted on top of the curves. Not thread-safe; one per panel.
    """

    def __init__(self, dpi: int = 90):
        self.dpi = dpi
        self._key = None
        self._fig: Figure | None = None
        self._canvas = None
        self._background = None
        self._axes_info: list = []
        self._dynamic: list = []

    def __call__(
        self,
        curve: pd.DataFrame,
        *,
        targets: Mapping[str, float] | None = None,
        current_agents: int | None = None,
        kpis: Sequence[str] = _CURVE_KPIS,
        title: str | None = None,
        asa_cap_s: float | None = None,
    ) -> bytes:
        """Same arguments as :func:`staffing_curve`; returns PNG bytes drawn at ``self.dpi``."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        key = self._static_key(curve, targets, current_agents, kpis, title, asa_cap_s)
        with matplotlib.rc_context(STYLE):
            if key != self._key:
                self._key = None
                dynamic: list = []
                axes_info: list = []
                fig = _staffing_curve(
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
                self._key = key
            else:
                self._canvas.restore_region(self._background)
                self._redo_dynamic(curve, current_agents)
            for a in sorted(self._dynamic, key=lambda a: a.get_zorder()):
                self._fig.draw_artist(a)
            buf = io.BytesIO()
            from PIL import Image

            Image.fromarray(np.asarray(self._canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _redo_dynamic(self, curve: pd.DataFrame, current_agents: int | None) -> None:
        for a in self._dynamic:
            a.remove()
        dynamic = []
        sim = curve[curve["source"] == "simulation"].sort_values("agents")
        st = _source_style("simulation")
        for ax, kpi, scale, cap in self._axes_info:
            ax.containers = [
                c for c in ax.containers if any(getattr(ch, "axes", None) is not None for ch in c.get_children())
            ]
            if len(sim):
                y = sim[kpi].to_numpy(dtype=float) * scale
                if cap is not None:
                    y = np.where(np.isfinite(y) & (y <= cap), y, np.nan)
                dynamic.extend(_points(ax, sim, kpi, y, scale, st))
            if current_agents is not None:
                dynamic.extend(_now_marker(ax, current_agents))
        for a in dynamic:
            a.set_animated(True)
        self._dynamic = dynamic

    def _static_key(self, curve, targets, current_agents, kpis, title, asa_cap_s):
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
