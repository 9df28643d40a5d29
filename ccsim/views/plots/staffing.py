"""The staffing curve: service level, ASA, abandonment and busy occupancy against agents, one line per source.

Every line carries an artist id (``gid``) naming what it shows, so a check can find it: the source
(``erlang_a``, ``erlang_c``, ``simulation``, with ``simulation-low``/``simulation-high``/``simulation-ci``
for the 95% interval), ``target`` and ``now``; each axis' id is its KPI key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccsim.metrics.registry import kpi as registry_kpi
from ccsim.views.plots._common import STYLE, new_figure, target_line, target_text
from ccsim.views.style import GREY, source_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CURVE_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")

AxisInfo = tuple["Axes", str, float, "float | None"]
"""(axis, KPI key, scale to the shown unit, ASA cut-off in seconds or None) of one drawn axis."""


def staffing_curve(
    curve: pd.DataFrame,
    *,
    targets: Mapping[str, float] | None = None,
    current_agents: int | None = None,
    kpis: Sequence[str] = CURVE_KPIS,
    title: str | None = None,
    asa_cap_s: float | None = None,
) -> Figure:
    """Service level, ASA, abandonment and busy occupancy against agents, one line per source.

    ``curve``: rows of (source, agents, <kpi>...) as from :func:`erlang_curve`; rows of source
    ``simulation`` may add ``<kpi>_low``/``<kpi>_high`` (a 95% interval) drawn as error bars.
    ``targets``: KPI → target value (fractions for percentages, seconds for ASA) drawn as labelled lines.
    ``current_agents`` is marked with a vertical line. ASA above ``asa_cap_s`` (default: 10 × the ASA
    target, else the largest finite value) is cut off and said so on the axis.
    """
    return draw_staffing_curve(
        curve, targets=targets, current_agents=current_agents, kpis=kpis, title=title, asa_cap_s=asa_cap_s
    )


def points(ax: Axes, rows: pd.DataFrame, kpi: str, y: np.ndarray, scale: float, st: Mapping[str, str]) -> list:
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
        data_line, caps, bars = eb
        data_line.set_gid("simulation")
        for cap, gid in zip(caps, ("simulation-low", "simulation-high"), strict=True):  # matplotlib: lower first
            cap.set_gid(gid)
        for bar in bars:
            bar.set_gid("simulation-ci")
        return [a for a in (data_line, *caps, *bars) if a is not None]
    drawn = ax.plot(
        rows["agents"], y, color=st["color"], marker=st["marker"], linestyle="none", markersize=10, label=st["label"]
    )
    for line in drawn:
        line.set_zorder(4)
        line.set_gid("simulation")
    return drawn


def now_marker(ax: Axes, current_agents: int) -> list:
    """A grey vertical line at ``current_agents`` (id ``now``) and its 'now: N' label."""
    line = ax.axvline(current_agents, color=GREY, linewidth=1.5, linestyle="-", zorder=2)
    line.set_gid("now")
    text = ax.annotate(
        f"now: {current_agents}",
        xy=(current_agents, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=12,
        color=GREY,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=5,
    )
    return [line, text]


def asa_cap(curve: pd.DataFrame, targets: Mapping[str, float], asa_cap_s: float | None) -> float | None:
    """Where the ASA axis is cut, seconds: ``asa_cap_s``, else 10 × the ASA target, else just above the largest finite ASA."""
    if asa_cap_s:
        return asa_cap_s
    if "asa_s" in targets:
        return 10 * targets["asa_s"]
    finite = curve["asa_s"][np.isfinite(curve["asa_s"])]
    return (float(finite.max()) * 1.05 or 1.0) if len(finite) else None


def _draw_sources(ax: Axes, curve: pd.DataFrame, kpi: str, scale: float, cap: float | None, dynamic: list | None):
    for source, rows in curve.groupby("source", sort=False):
        st = source_style(str(source))
        rows = rows.sort_values("agents")
        y = rows[kpi].to_numpy(dtype=float) * scale
        if cap is not None:
            y = np.where(np.isfinite(y) & (y <= cap), y, np.nan)
        if source == "simulation" or len(rows) <= 2:
            arts = points(ax, rows, kpi, y, scale, st)
            if source == "simulation" and dynamic is not None:
                dynamic.extend(arts)
            continue
        (line,) = ax.plot(
            rows["agents"],
            y,
            color=st["color"],
            marker=st["marker"],
            linestyle=st["linestyle"],
            markevery=max(1, len(rows) // 8),
            label=st["label"],
            zorder=3,
        )
        line.set_gid(str(source))


def _label_and_limits(ax: Axes, curve: pd.DataFrame, kpi: str, cap: float | None, targets: Mapping[str, float]):
    k = registry_kpi(kpi)
    label = k.axis_label
    if cap is not None:
        ax.set_ylim(0, cap * 1.02)
        label = f"{label}\n(cut at {cap:g} s)"
    elif kpi == "abandonment_rate":
        top = max(2 * targets.get(kpi, 0.0), float(np.nanmax(curve[kpi].to_numpy(dtype=float)))) * k.scale
        ax.set_ylim(0, max(top * 1.08, 1.0))
    elif k.unit == "%":
        ax.set_ylim(0, 102)
    ax.set_ylabel(label)
    ax.set_title(k.label)
    ax.set_gid(kpi)


def _legend(fig: Figure, ax: Axes) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(
            handles, labels, loc="upper center", ncols=min(3, len(handles)), frameon=False, bbox_to_anchor=(0.5, 1.0)
        )


def draw_staffing_curve(
    curve: pd.DataFrame,
    *,
    targets: Mapping[str, float] | None,
    current_agents: int | None,
    kpis: Sequence[str],
    title: str | None,
    asa_cap_s: float | None,
    dynamic: list[Any] | None = None,
    axes_info: list[AxisInfo] | None = None,
) -> Figure:
    """:func:`staffing_curve`, also collecting the artists that move with a slider (simulation points,
    "now" marker) in ``dynamic`` and each drawn axis in ``axes_info`` (for :class:`StaffingCurvePNG`)."""
    kpis = [k for k in kpis if k in curve.columns]
    targets = dict(targets or {})
    ncols = 2 if len(kpis) > 1 else 1
    nrows = math.ceil(len(kpis) / ncols)
    height = 3.6 * nrows + 0.9
    bottom = (1.05 if title else 0.75) / height
    fig = new_figure(
        6.2 * ncols, height, left=0.09, right=0.985, bottom=bottom, top=1 - 0.75 / height, wspace=0.28, hspace=0.32
    )
    with matplotlib.rc_context(STYLE):
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()
        for ax in axes[len(kpis) :]:
            ax.set_visible(False)
        for ax, kpi in zip(axes, kpis, strict=False):
            scale = registry_kpi(kpi).scale
            cap = asa_cap(curve, targets, asa_cap_s) if kpi == "asa_s" else None
            _draw_sources(ax, curve, kpi, scale, cap, dynamic)
            if kpi in targets:
                target_line(ax, targets[kpi] * scale, target_text(kpi, targets[kpi]))
            if current_agents is not None:
                arts = now_marker(ax, current_agents)
                if dynamic is not None:
                    dynamic.extend(arts)
            if axes_info is not None:
                axes_info.append((ax, kpi, scale, cap))
            _label_and_limits(ax, curve, kpi, cap, targets)
        for ax in axes[max(0, len(kpis) - ncols) : len(kpis)]:
            ax.set_xlabel("Agents on the phones")
        if kpis:
            _legend(fig, axes[0])
        if title:
            fig.suptitle(title, y=0.005, va="bottom", fontsize=13)
    return fig
