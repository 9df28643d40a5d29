"""Where hand-offs come from: members' issue paths, and a before/after difference with its 95% interval.

:func:`issue_paths_figure` draws, for one or more designs side by side, a bar for the 1st, 2nd, 3rd
and later contacts of the issues, split by how each contact ended (per 100 issues, from
:func:`ccsim.metrics.paths.issue_paths`); grey bands carry the issues that were not finished on to the
next contact. Each segment is a rectangle with artist id ``<step>-<contact>`` (e.g. ``back_office-1``)
on an axis whose id is ``paths-<design>``; every step has its own colour *and* hatching.

:func:`difference_figure` draws one small axis per KPI (axis id: the KPI key): the mean difference
(after − before) as a point, its 95% confidence interval as a bar (id ``ci95``) and no change as a line
(id ``no-change``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.text import Annotation

from ccsim.metrics.registry import kpi as registry_kpi
from ccsim.views.plots._common import STYLE, new_figure
from ccsim.views.style import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILLION

__all__ = ["STEP_STYLE", "PathsPNG", "difference_figure", "issue_paths_figure"]

STEP_STYLE: dict[str, tuple[str, str]] = {
    "resolved": (BLUE, ""),
    "resolved_after_transfer": (SKY, "//"),
    "consulted": (GREEN, ".."),
    "back_office": (ORANGE, "xx"),
    "chased": (PURPLE, "\\\\"),
    "unresolved": (VERMILLION, "--"),
    "hung_up": (GREY, "oo"),
}
"""Colour and hatching of each step of :data:`ccsim.metrics.paths.PATH_STEPS`."""

_NOT_DONE = ("back_office", "chased", "unresolved", "hung_up")
_CONTACT_WORDS = {1: "1st call", 2: "2nd call", 3: "3rd call"}


def _done(row: np.ndarray, steps: list[str]) -> float:
    """Calls of one round that finished the issue (resolved one way or another)."""
    return float(sum(v for v, s in zip(row, steps, strict=True) if s not in _NOT_DONE))


def _row_label(contact: int, last: int) -> str:
    word = _CONTACT_WORDS.get(contact, f"{contact}th call")
    return f"{word} or later" if contact == last else word


def _draw_paths(ax, paths: pd.DataFrame, words: Mapping[str, str]) -> None:
    contacts = [int(c) for c in paths.index]
    steps = [str(s) for s in paths.columns]
    values = paths.to_numpy(dtype=float)
    last = contacts[-1]
    y = {c: len(contacts) - i for i, c in enumerate(contacts)}  # the first call on top
    for i, c in enumerate(contacts):
        left = 0.0
        for j, step in enumerate(steps):
            width = float(values[i, j])
            color, hatch = STEP_STYLE.get(step, (GREY, ""))
            label = words.get(step, step) if i == 0 else "_"
            bar = ax.barh(y[c], width, left=left, height=0.6, color=color, hatch=hatch, edgecolor="white", label=label)
            bar.patches[0].set_gid(f"{step}-{c}")
            left += width
        if c != last:  # the issues not finished go on to the next call
            done = _done(values[i], steps)
            nxt = float(values[i + 1].sum())
            band = Polygon(
                [(done, y[c] - 0.3), (left, y[c] - 0.3), (nxt, y[c] - 0.7), (0.0, y[c] - 0.7)],
                closed=True,
                facecolor="#bbbbbb",
                alpha=0.45,
                edgecolor="none",
            )
            ax.add_patch(band)
        ax.annotate(f"{values[i].sum():.0f}", (left, y[c]), xytext=(6, 0), textcoords="offset points", va="center")
    ax.set_yticks([y[c] for c in contacts], [_row_label(c, last) for c in contacts])
    ax.set_xlim(0, 112)
    ax.grid(axis="y", visible=False)


def issue_paths_figure(
    paths: Mapping[str, pd.DataFrame], words: Mapping[str, str] | None = None, *, width_in: float = 12.0
) -> Figure:
    """One panel per design (``{title: issue_paths table}``): how the 1st, 2nd, 3rd and later calls ended."""
    words = dict(words or {})
    n = max(1, len(paths))
    height = 2.2 + 2.4 * n
    fig = new_figure(width_in, height, left=0.17, right=0.98, bottom=1.75 / height, top=1 - 0.45 / height, hspace=0.4)
    with matplotlib.rc_context(STYLE):
        axes = fig.subplots(n, 1, squeeze=False, sharex=True)[:, 0]
        for ax, (title, table) in zip(axes, paths.items(), strict=True):
            ax.set_gid(f"paths-{title}")
            _draw_paths(ax, table, words)
            ax.set_title(title, loc="left")
        axes[-1].set_xlabel("calls per 100 member issues")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=11, frameon=False)
    return fig


def difference_figure(rows: pd.DataFrame, *, width_in: float = 12.0) -> Figure:
    """One axis per KPI (``rows`` indexed by KPI key, columns ``mean``, ``low``, ``high``: after − before,
    inside units): the mean difference, its 95% confidence interval and the no-change line."""
    keys = list(rows.index)
    cols = 3
    nrows = int(np.ceil(len(keys) / cols))
    height = 2.6 * nrows + 0.4
    fig = new_figure(width_in, height, left=0.04, right=0.98, bottom=0.45 / height, top=1 - 0.75 / height, hspace=1.0,
                     wspace=0.3)  # fmt: skip
    with matplotlib.rc_context(STYLE):
        axes = fig.subplots(nrows, cols, squeeze=False).ravel()
        for ax in axes[len(keys) :]:
            ax.set_visible(False)
        for ax, key in zip(axes, keys, strict=False):
            k = registry_kpi(key)
            mean, low, high = (float(rows.loc[key, c]) * k.scale for c in ("mean", "low", "high"))
            ax.set_gid(key)
            zero = ax.axvline(0.0, color="black", linestyle="-.", linewidth=1.5)
            zero.set_gid("no-change")
            (ci,) = ax.plot([low, high], [0.0, 0.0], color=BLUE, linewidth=6, alpha=0.45, solid_capstyle="butt")
            ci.set_gid("ci95")
            (point,) = ax.plot([mean], [0.0], "o", color=BLUE, markersize=11, label="after − before")
            point.set_gid("difference")
            digits = {"%": 1, "s": 0}.get(k.unit, 2)
            span = max(abs(low), abs(high), abs(mean), 1e-9) * 1.25
            ax.set_xlim(-span, span)
            ax.set_ylim(-1.0, 1.0)
            ax.set_yticks([])
            unit = {"%": " (points)", "s": " (s)", "min": " (min)", "days": " (days)"}.get(k.unit, "")
            ax.set_title(
                f"{k.label}{unit}\n{mean:+.{digits}f}, 95%: {low:+.{digits}f} to {high:+.{digits}f}", fontsize=13
            )
            ax.grid(axis="y", visible=False)
    return fig


class PathsPNG:
    """PNG bytes of a one-panel :func:`issue_paths_figure` for a panel whose sliders move, drawn fast.

    The axes, ticks and legend are drawn once and kept; each call moves the bar segments, the bands and
    the totals in place and paints them over the kept background (Agg blitting). :attr:`figure` is
    the Figure behind the latest picture (the same artists and ids as :func:`issue_paths_figure`).
    ``title`` and the steps and contact numbers are fixed when the first table is drawn. One per panel.
    """

    def __init__(self, title: str, words: Mapping[str, str] | None = None, *, dpi: int = 90, width_in: float = 11.5):
        self.title, self.words, self.dpi, self.width_in = title, dict(words or {}), dpi, width_in
        self.figure: Figure | None = None
        self._canvas: FigureCanvasAgg | None = None
        self._background: Any = None
        self._shape: tuple | None = None

    def __call__(self, paths: pd.DataFrame) -> bytes:
        shape = (tuple(paths.index), tuple(paths.columns))
        with matplotlib.rc_context(STYLE):
            if self.figure is None or self._canvas is None or shape != self._shape:
                fig = issue_paths_figure({self.title: paths}, self.words, width_in=self.width_in)
                fig.set_dpi(self.dpi)
                ax = fig.axes[0]
                moving = [*ax.patches, *ax.texts]
                for a in moving:
                    a.set_animated(True)
                canvas = FigureCanvasAgg(fig)
                canvas.draw()
                self.figure, self._canvas, self._shape = fig, canvas, shape
                self._background = canvas.copy_from_bbox(fig.bbox)
            else:
                self._move(paths)
            fig, canvas = self.figure, self._canvas
            canvas.restore_region(self._background)
            ax = fig.axes[0]
            for a in [*ax.patches, *ax.texts]:
                ax.draw_artist(a)
            buf = io.BytesIO()
            from PIL import Image

            Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _move(self, paths: pd.DataFrame) -> None:
        assert self.figure is not None
        ax = self.figure.axes[0]
        rects = {p.get_gid(): p for p in ax.patches if isinstance(p, Rectangle)}
        bands = [p for p in ax.patches if isinstance(p, Polygon)]
        contacts = [int(c) for c in paths.index]
        steps = [str(s) for s in paths.columns]
        values = paths.to_numpy(dtype=float)
        totals = [t for t in ax.texts if isinstance(t, Annotation)]
        for i, c in enumerate(contacts):
            left = 0.0
            for j, step in enumerate(steps):
                rect = rects[f"{step}-{c}"]
                rect.set_x(left)
                rect.set_width(float(values[i, j]))
                left += float(values[i, j])
            totals[i].set_text(f"{values[i].sum():.0f}")
            totals[i].xy = (left, totals[i].xy[1])
            if i < len(bands):
                done = _done(values[i], steps)
                nxt = float(values[i + 1].sum())
                y = bands[i].get_xy()[0][1] + 0.3
                bands[i].set_xy([(done, y - 0.3), (left, y - 0.3), (nxt, y - 0.7), (0.0, y - 0.7)])
