"""Staffing as step functions of time, opening hours, and time on duty per interval (seconds throughout).

A staffing plan is a tuple of ``(time_s, agents)`` steps sorted by time: from ``time_s`` on,
``agents`` are on duty (none before the first step). These are the only implementations of the
staffing lookup, of opening hours (at a moment, and applied to a plan), and of spans cut into intervals.
"""

from __future__ import annotations

import math

import numpy as np

Steps = tuple[tuple[float, int], ...]
"""Staffing steps: (time_s, agents on duty from that time on), sorted by time."""


def agents_at(staffing: Steps, time_s: float) -> int:
    """Agents on duty at ``time_s`` seconds by the ``staffing`` steps (0 before the first step).

    >>> agents_at(((0, 3), (1800, 5)), 1799.0), agents_at(((0, 3), (1800, 5)), 1800.0)
    (3, 5)
    """
    on = 0
    for start, n in staffing:
        if start <= time_s:
            on = n
        else:
            break
    return int(on)


def open_at(time_s: float, opens_s: float, closes_s: float | None) -> bool:
    """Whether opening hours ``[opens_s, closes_s)`` (seconds; None: never closes) include ``time_s``.

    >>> open_at(3600.0, 3600.0, 7200.0), open_at(7200.0, 3600.0, 7200.0), open_at(1e9, 0.0, None)
    (True, False, True)
    """
    return opens_s <= time_s and (closes_s is None or time_s < closes_s)


def open_staffing(staffing: Steps, opens_s: float, closes_s: float | None) -> Steps:
    """The ``staffing`` steps with zero agents outside the opening hours ``[opens_s, closes_s)`` (None: never closes).

    >>> open_staffing(((0, 4),), 3600.0, 7200.0)
    ((0.0, 0), (3600.0, 4), (7200.0, 0))
    """
    closes = math.inf if closes_s is None else closes_s
    if opens_s <= 0 and math.isinf(closes):
        return staffing
    points = sorted({0.0, *(float(t) for t, _ in staffing), float(opens_s), *(() if math.isinf(closes) else (closes,))})
    steps: list[tuple[float, int]] = []
    for t in points:
        on = agents_at(staffing, t) if open_at(t, opens_s, closes_s) else 0
        if not steps or steps[-1][1] != on:
            steps.append((t, on))
    return tuple(steps)


def staffed_s(staffing: Steps, horizon_s: float) -> float:
    """Agent-seconds the ``staffing`` steps put on duty within ``[0, horizon_s)``.

    >>> staffed_s(((0, 2), (60, 1)), 100.0)
    160.0
    """
    total = 0.0
    for k, (start, n) in enumerate(staffing):
        end = staffing[k + 1][0] if k + 1 < len(staffing) else horizon_s
        total += n * max(0.0, min(end, horizon_s) - min(start, horizon_s))
    return total


def seconds_per_interval(start_s: np.ndarray, end_s: np.ndarray, interval_s: float, intervals: int) -> np.ndarray:
    """Seconds that the spans ``[start_s, end_s)`` cover within each interval ``[k·interval_s, (k+1)·interval_s)``.

    Spans crossing a boundary are split across intervals; time outside ``[0, intervals·interval_s)``
    is left out. O(n log n), no per-span Python loop.

    >>> seconds_per_interval(np.array([50.0]), np.array([150.0]), 100.0, 2).tolist()
    [50.0, 50.0]
    """
    start = np.sort(np.asarray(start_s, dtype=float))
    end = np.sort(np.asarray(end_s, dtype=float))
    edges = np.arange(intervals + 1, dtype=float) * interval_s

    def covered_before(t: np.ndarray) -> np.ndarray:
        # total of min(end, t) - min(start, t) over all spans = Σ_{start<t}(t-start) - Σ_{end<t}(t-end)
        cs = np.concatenate(([0.0], np.cumsum(start)))
        ce = np.concatenate(([0.0], np.cumsum(end)))
        ks = np.searchsorted(start, t, side="left")
        ke = np.searchsorted(end, t, side="left")
        return np.asarray((ks * t - cs[ks]) - (ke * t - ce[ke]))

    return np.diff(covered_before(edges))
