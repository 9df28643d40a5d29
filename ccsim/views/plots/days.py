"""Figures over days and over the day: one marker per simulated day; a KPI for each interval of a day.

Artist ids (``gid``) name what each line shows: ``day-met``, ``day-missed``, ``days-mean``,
``reference-<source>`` and ``target`` in :func:`day_spread`; the KPI key and ``target`` in
:func:`interval_profile`. Each axis' id is its KPI key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccsim.metrics.registry import kpi as registry_kpi
from ccsim.views.plots._common import STYLE, new_figure, shown, target_line, target_text
from ccsim.views.style import BLUE, VERMILLION, source_style


def _day_markers(ax, days: np.ndarray, y: np.ndarray, met: np.ndarray) -> None:
    n = len(y)
    for mask, gid, marker, size, color, words in (
        (met, "day-met", "o", 11, BLUE, "met"),
        (~met, "day-missed", "X", 12, VERMILLION, "missed"),
    ):
        (line,) = ax.plot(
            days[mask],
            y[mask],
            linestyle="none",
            marker=marker,
            markersize=size,
            color=color,
            label=f"day {words} the target ({int(mask.sum())} of {n})",
            zorder=4,
        )
        line.set_gid(gid)


def _y_limits(ax, y: np.ndarray, references: Mapping[str, float], target: float | None, scale: float) -> None:
    lows = [float(np.nanmin(y))] if len(y) else []
    lows += [v * scale for v in references.values()] + ([target * scale] if target is not None else [])
    if lows:
        top = max(float(np.nanmax(y)) if len(y) else 0.0, max(lows))
        ax.set_ylim(max(0.0, min(lows) - 8), min(102.0, top + 6))


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
    k = registry_kpi(kpi)
    references = dict(references or {})
    y = runs[kpi].to_numpy(dtype=float) * k.scale
    days = np.arange(1, len(y) + 1)
    fig = new_figure(11.5, 5.2, left=0.08, right=0.98, bottom=0.13, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        ax.set_gid(kpi)
        if target is not None:
            t = target * k.scale
            _day_markers(ax, days, y, y >= t if k.direction == "higher_is_better" else y <= t)
            target_line(ax, t, target_text(kpi, target), below_left=True)
        else:
            (line,) = ax.plot(
                days, y, linestyle="none", marker="o", markersize=11, color=BLUE, label="one simulated day"
            )
            line.set_gid("day")
        if len(y):
            mean = float(np.nanmean(y)) / k.scale
            line = ax.axhline(
                mean * k.scale,
                color=BLUE,
                linewidth=2.2,
                zorder=3,
                label=f"average of the {len(y)} days: {shown(kpi, mean)}",
            )
            line.set_gid("days-mean")
        for source, value in references.items():
            st = source_style(source)
            line = ax.axhline(
                value * k.scale,
                color=st["color"],
                linestyle=st["linestyle"],
                linewidth=2.2,
                label=f"{st['label']}: {shown(kpi, value)}",
                zorder=2,
            )
            line.set_gid(f"reference-{source}")
        ax.set_xlabel("Simulated day (same staffing, same forecast)")
        ax.set_ylabel(k.axis_label)
        ax.set_xticks(days if len(days) <= 25 else days[:: max(1, len(days) // 20)])
        ax.set_xlim(0.3, len(y) + 0.7)
        if k.unit == "%":
            _y_limits(ax, y, references, target, k.scale)
        ax.legend(loc="lower left", frameon=True, framealpha=0.9)
        if title is None and len(y):
            title = (
                f"{len(y)} simulated days with the same staffing: {k.label.lower()} "
                f"from {np.nanmin(y):.0f} to {np.nanmax(y):.0f}{'%' if k.unit == '%' else ' s'}"
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
    k = registry_kpi(kpi)
    df = kpis_by_interval
    idx = df["interval"].to_numpy(dtype=float) if "interval" in df.columns else np.arange(len(df), dtype=float)
    x = opens_h + idx * interval_s / 3600.0
    y = df[kpi].to_numpy(dtype=float) * k.scale
    fig = new_figure(11.5, 4.8, left=0.08, right=0.98, bottom=0.14, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        ax.set_gid(kpi)
        (line,) = ax.plot(x, y, color=BLUE, marker="o", label=k.label, zorder=3)
        line.set_gid(kpi)
        if target is not None:
            target_line(ax, target * k.scale, target_text(kpi, target))
        ax.set_xlabel("Time of day (start of each interval, hours)")
        ax.set_ylabel(k.axis_label)
        ticks: list[float] = list(np.arange(math.floor(x.min()), math.ceil(x.max()) + 1)) if len(x) else []
        ax.set_xticks(ticks, [f"{int(t) % 24:02d}:00" for t in ticks])
        if k.unit == "%":
            ax.set_ylim(0, 102)
        if title:
            ax.set_title(title)
    return fig
