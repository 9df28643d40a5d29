"""Figures of members, not calls: one member's journey as a timeline, where their wait sits among everyone
like them, waits queue by queue, and a month day by day.

Artist ids (``gid``) name what each line shows: ``menu``, ``waiting``, ``talking``, ``hung-up`` on the
timeline, ``transfer`` (axis ``member_minutes_per_issue``); ``members``, ``you-are-here``, ``threshold`` on the waits
(axis ``max_wait_s``); ``mean-wait``, ``longest-wait``, ``threshold`` in :func:`queue_waits`; ``day-met``,
``day-missed``, ``month``, ``target`` in :func:`month_days`. Each axis' id is the KPI key of its y values.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccsim.views.plots._common import STYLE, new_figure, target_line
from ccsim.views.style import BLUE, GREY, ORANGE, SKY, VERMILLION

__all__ = [
    "CURVE_POINTS",
    "SEGMENT_KINDS",
    "curve_points",
    "member_timeline",
    "month_days",
    "queue_waits",
    "wait_words",
]

SEGMENT_KINDS: dict[str, tuple[str, str]] = {
    "menu": ("voice menu", SKY),
    "waiting": ("waiting in a queue", ORANGE),
    "talking": ("talking with an agent", BLUE),
}
"""Segment kind → (legend words, colour) on the timeline."""


def wait_words(seconds: float) -> str:
    """A wait as a person says it: '45 s', '4.2 min'.

    >>> wait_words(12.4), wait_words(250)
    ('12 s', '4.2 min')
    """
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def _segments(x: list[float], y: list[float], start: float, end: float, row: float) -> None:
    x.extend((start, end, np.nan))
    y.extend((row, row, np.nan))


def _markers(ax, at: pd.DataFrame, gid: str, words: str, **style) -> None:
    if len(at):
        (line,) = ax.plot(
            at["at_min"].to_numpy(dtype=float), at["row"].to_numpy(dtype=float), linestyle="none", label=words, **style
        )
        line.set_gid(gid)


def _timeline_axis(ax, segments: pd.DataFrame, labels: Sequence[str], notes: Sequence[str], hangups, transfers) -> None:
    rows = len(labels)
    for kind, (words, color) in SEGMENT_KINDS.items():
        x: list[float] = []
        y: list[float] = []
        part = segments[segments["kind"] == kind]
        for row, start, end in zip(part["row"], part["start_min"], part["end_min"], strict=True):
            _segments(x, y, float(start), float(end), float(row))
        if x:
            (line,) = ax.plot(x, y, color=color, linewidth=16, solid_capstyle="butt", label=words, zorder=3)
            line.set_gid(kind)
    _markers(
        ax,
        hangups,
        "hung-up",
        "hung up",
        marker="X",
        markersize=16,
        color=VERMILLION,
        markeredgecolor="white",
        zorder=4,
    )
    _markers(
        ax, transfers, "transfer", "transferred", marker="|", markersize=30, markeredgewidth=3, color="black", zorder=5
    )
    right = max(1.0, float(segments["end_min"].max()) if len(segments) else 1.0)
    for row, note in enumerate(notes):
        if note:
            ax.annotate(note, xy=(right * 1.02, row), xycoords="data", va="center", ha="left", fontsize=12, color=GREY)
    ax.set_yticks(range(rows), list(labels))
    ax.set_ylim(rows - 0.5, -0.6)
    ax.set_xlim(0, right * 1.02 + max(right * 0.9, 1.0))
    ax.set_xlabel("Minutes from the start of each call")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, ncols=4, fontsize=11)


CURVE_POINTS = 2000
"""At most this many points draw the "every member" curve (a month has 300,000 working-age members)."""


def curve_points(n: int, limit: int = CURVE_POINTS) -> np.ndarray:
    """Which of ``n`` sorted members the curve draws: all of them up to ``limit``, else ``limit`` evenly spread
    ones, the first and the last always among them.

    >>> curve_points(3).tolist(), curve_points(10, limit=4).tolist()
    ([0, 1, 2], [0, 3, 6, 9])
    """
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


def _waits_axis(ax, waits: np.ndarray, member_wait: float, plural: str, answer_within_s: float) -> None:
    n = len(waits)
    drawn = curve_points(n)
    share = 100.0 * (drawn + 1) / n if n else np.zeros(0)
    (line,) = ax.plot(
        share, waits[drawn], color=GREY, linewidth=2.4, label=f"all {n:,} {plural}, shortest to longest wait"
    )
    line.set_gid("members")
    at = 100.0 * (int(np.searchsorted(waits, member_wait, side="right"))) / n if n else 0.0
    (me,) = ax.plot(
        [at], [member_wait], linestyle="none", marker="o", markersize=14, color=VERMILLION, label="you are here"
    )
    me.set_gid("you-are-here")
    threshold = ax.axhline(
        answer_within_s, color="black", linestyle="-.", linewidth=1.6, label=f"{answer_within_s:g} s"
    )
    threshold.set_gid("threshold")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, max(float(waits.max()) if n else 0.0, member_wait, answer_within_s) * 1.12 + 1)
    ax.set_title(f"Where this member's wait sits among all {plural}", fontsize=14)
    ax.set_xlabel(f"Share of {plural} (%), shortest wait on the left")
    ax.set_ylabel("Longest wait (s)")
    ax.legend(loc="upper left", frameon=True, framealpha=0.9, fontsize=11)


def member_timeline(
    segments: pd.DataFrame,
    labels: Sequence[str],
    notes: Sequence[str],
    *,
    hangups: pd.DataFrame | None = None,
    transfers: pd.DataFrame | None = None,
    waits: np.ndarray | None = None,
    member_wait: float = 0.0,
    plural: str = "members",
    answer_within_s: float = 30.0,
    title: str = "",
) -> Figure:
    """One member's journey: a row per call (``labels``), bars for the voice menu, waiting and talking, a cross
    where they hung up, a bar where a transfer moved the call to another queue, ``notes`` (what happened next) to the right of each row. With ``waits`` (the longest wait
    of every member like them, sorted), a second panel shows where this member's wait sits ("you are here").

    ``segments``: ``row`` (0 = first call), ``kind`` (:data:`SEGMENT_KINDS`), ``start_min``, ``end_min``
    (minutes from the start of that call); ``hangups`` and ``transfers``: ``row``, ``at_min``.
    """
    rows = max(1, len(labels))
    two = waits is not None
    height = 2.2 + 0.75 * rows + (3.6 if two else 0.0)
    top_in = 1.0  # title and legend above the timeline
    fig = new_figure(
        11.5, height, left=0.3, right=0.97, bottom=0.1 if two else 0.2, top=1 - top_in / height, hspace=0.6
    )
    with matplotlib.rc_context(STYLE):
        if two:
            top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [0.75 * rows + 0.8, 3.2]})
        else:
            top, bottom = fig.subplots(), None
        top.set_gid("member_minutes_per_issue")
        empty = pd.DataFrame({"row": [], "at_min": []})
        _timeline_axis(
            top,
            segments,
            labels,
            notes,
            hangups if hangups is not None else empty,
            transfers if transfers is not None else empty,
        )
        if title:
            fig.suptitle(title, fontsize=15)
        if bottom is not None and waits is not None:
            bottom.set_gid("max_wait_s")
            _waits_axis(bottom, np.sort(np.asarray(waits, dtype=float)), member_wait, plural, answer_within_s)
    return fig


def queue_waits(table: pd.DataFrame, *, answer_within_s: float = 30.0, title: str = "") -> Figure:
    """Average and longest wait of each queue (``table``: index = queue words, ``mean_wait_s``, ``max_wait_s``),
    the big queues beside the small ones, each value written beside its marker."""
    x = np.arange(len(table), dtype=float)
    mean = table["mean_wait_s"].to_numpy(dtype=float)
    longest = table["max_wait_s"].to_numpy(dtype=float)
    fig = new_figure(11.5, 5.0, left=0.09, right=0.98, bottom=0.24, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        ax.set_gid("max_wait_s")
        for values, gid, words, marker, color in (
            (mean, "mean-wait", "average wait", "o", BLUE),
            (longest, "longest-wait", "longest wait", "X", VERMILLION),
        ):
            (line,) = ax.plot(x, values, linestyle="none", marker=marker, markersize=13, color=color, label=words)
            line.set_gid(gid)
            for xi, v in zip(x, values, strict=True):
                ax.annotate(
                    wait_words(v), (xi, v), xytext=(10, 0), textcoords="offset points", va="center", fontsize=11
                )
        line = ax.axhline(answer_within_s, color="black", linestyle="-.", linewidth=1.6, label=f"{answer_within_s:g} s")
        line.set_gid("threshold")
        ax.set_xticks(x, [str(i) for i in table.index], rotation=20, ha="right")
        ax.set_xlim(-0.5, len(table) - 0.2)
        ax.set_ylim(0, max(float(longest.max()) if len(longest) else 0.0, answer_within_s) * 1.15)
        ax.set_ylabel("Wait (s)")
        ax.legend(loc="upper left", frameon=True, framealpha=0.9)
        if title:
            ax.set_title(title)
    return fig


def month_days(days: pd.DataFrame, *, target: float, month_value: float, title: str = "") -> Figure:
    """Service level of each open day of a month (``days``: ``day`` 1-based calendar day, ``service_level``),
    a circle when the day met ``target`` and a cross when it missed, with the month's figure as a line."""
    x = days["day"].to_numpy(dtype=float)
    y = days["service_level"].to_numpy(dtype=float) * 100.0
    met = y >= target * 100.0 - 1e-9
    n = len(y)
    fig = new_figure(11.5, 5.0, left=0.08, right=0.98, bottom=0.14, top=0.9)
    with matplotlib.rc_context(STYLE):
        ax = fig.subplots()
        ax.set_gid("service_level")
        for mask, gid, marker, color, words in (
            (met, "day-met", "o", BLUE, "met"),
            (~met, "day-missed", "X", VERMILLION, "missed"),
        ):
            (line,) = ax.plot(
                x[mask],
                y[mask],
                linestyle="none",
                marker=marker,
                markersize=12,
                color=color,
                label=f"day {words} the target ({int(mask.sum())} of {n})",
                zorder=4,
            )
            line.set_gid(gid)
        line = ax.axhline(month_value * 100.0, color=BLUE, linewidth=2.2, label=f"the month: {100 * month_value:.0f}%")
        line.set_gid("month")
        target_line(ax, target * 100.0, f"target {100 * target:g}%", below_left=True)
        ax.set_xlabel("Day of the month (weekends closed)")
        ax.set_ylabel("Service level (%)")
        ax.set_xlim(0.3, max(30.7, float(x.max()) + 0.7 if n else 30.7))
        low = min(float(y.min()) if n else 100.0, target * 100.0)
        ax.set_ylim(max(0.0, low - 8), 102)
        ax.legend(loc="lower right", frameon=True, framealpha=0.9)
        if title:
            ax.set_title(title)
    return fig
