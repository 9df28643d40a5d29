"""Lab 05's figures: agents needed per interval, the shift coverage gap, and service level per interval as a heat map.

Every drawn line carries an artist id (``gid``) naming what it shows: ``load``, ``erlang_c``, ``erlang_a``,
``need``, ``coverage``, ``short`` (the intervals with fewer on the phones than needed) and ``heat``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from ccsim.views.plots._common import STYLE, new_figure
from ccsim.views.style import BLUE, GREY, ORANGE, SKY, VERMILLION

__all__ = ["coverage_figure", "needs_figure"]


def _ticks(ax, times: Sequence[str], every: int = 4) -> None:
    ax.set_xticks(range(0, len(times), every))
    ax.set_xticklabels([times[k] for k in range(0, len(times), every)])


def needs_figure(
    times: Sequence[str],
    load: Sequence[float],
    erlang_c: Sequence[float],
    erlang_a: Sequence[float],
    interval_min: int = 15,
) -> Figure:
    """Agents on the phones needed per interval (80% in 30 s) by Erlang C and Erlang A, over the work in Erlangs."""
    with matplotlib.rc_context(STYLE):
        fig = new_figure(11, 4.2, left=0.08, right=0.98, top=0.88, bottom=0.14)
        ax = fig.add_subplot()
        x = np.arange(len(times))
        ax.fill_between(x, load, step="mid", color=SKY, alpha=0.35, gid="load", label="Work (Erlangs)")
        (c,) = ax.step(x, erlang_c, where="mid", color=ORANGE, label="Erlang C: nobody hangs up")
        (a,) = ax.step(x, erlang_a, where="mid", color=BLUE, label="Erlang A: callers hang up")
        c.set_gid("erlang_c")
        a.set_gid("erlang_a")
        (w,) = ax.step(x, load, where="mid", color=GREY, lw=1.2)
        w.set_gid("load")
        _ticks(ax, times, max(1, 60 // interval_min))
        ax.set_ylabel("Agents on the phones")
        ax.set_ylim(0, max(max(erlang_c), 1) * 1.15)
        ax.set_title(f"Agents needed for 80% answered in 30 s, each {interval_min} minutes")
        ax.legend(loc="upper right", ncols=3, frameon=False)
    return fig


def _heat(ax, top, times: Sequence[str], sl: np.ndarray) -> None:
    cmap = ListedColormap([VERMILLION, "#f2b99a", "#cfe3f1", BLUE])
    norm = BoundaryNorm([0, 60, 80, 90, 100], cmap.N)
    img = ax.imshow(100 * sl, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
    img.set_gid("heat")
    _ticks(ax, times)
    ax.set_yticks(range(sl.shape[0]))
    ax.set_yticklabels([f"Day {d + 1}" for d in range(sl.shape[0])])
    ax.grid(False)
    ax.set_title("Simulated % answered in 30 s, each 15 minutes (blue: 80% or more)")
    bar = ax.figure.colorbar(img, ax=[top, ax], pad=0.01, fraction=0.03)
    bar.set_ticks([0, 60, 80, 90, 100])


def coverage_figure(
    times: Sequence[str],
    need: Sequence[float] | np.ndarray,
    coverage: Sequence[float] | np.ndarray,
    sl: np.ndarray | None = None,
) -> Figure:
    """Agents needed against agents on the phones per interval, the gap shaded; with ``sl`` (days × intervals,
    shares) a heat map of the simulated service level below (dark orange under 60%, light orange 60–80%,
    pale blue 80–90%, blue 90% or more)."""
    rows = 2 if sl is not None else 1
    with matplotlib.rc_context(STYLE):
        fig = new_figure(
            11, 4.2 * rows, left=0.08, right=0.97 if rows == 1 else 0.93, top=0.93, bottom=0.08 if rows == 2 else 0.14
        )
        ax = fig.add_subplot(rows, 1, 1)
        x = np.arange(len(times))
        need_a, cov_a = np.asarray(need, dtype=float), np.asarray(coverage, dtype=float)
        (n,) = ax.step(x, need_a, where="mid", color=GREY, ls="--", label="Needed (Erlang A)")
        (c,) = ax.step(x, cov_a, where="mid", color=BLUE, label="On the phones (your shifts)")
        n.set_gid("need")
        c.set_gid("coverage")
        short = cov_a < need_a
        ax.fill_between(x, cov_a, need_a, where=short, step="mid", color=VERMILLION, alpha=0.45,
                        gid="short", label="Short")  # fmt: skip
        ax.fill_between(x, need_a, cov_a, where=~short, step="mid", color=SKY, alpha=0.3, label="Extra")
        _ticks(ax, times)
        ax.set_ylim(0, max(float(need_a.max()), float(cov_a.max()), 1) * 1.2)
        ax.set_ylabel("Agents")
        ax.set_title("Coverage: your shifts against the agents needed")
        ax.legend(loc="upper right", ncols=4, frameon=False)
        if sl is not None:
            _heat(fig.add_subplot(2, 1, 2), ax, times, sl)
    return fig
