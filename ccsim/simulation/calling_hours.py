"""When members can call again: the intervals in which some site takes calls, and where a call due at a closed time goes.

Used by :mod:`ccsim.simulation.journeys`; times in seconds after the horizon start.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ccsim.simulation.members import DAY_S

if TYPE_CHECKING:
    from ccsim.simulation.model import CenterModel


class CallingHours:
    """When members can call: the intervals in which some site takes calls (any arrival stream's rate above 0)."""

    def __init__(self, model: CenterModel, site_names: list[str], uniform: Callable[[], float]):
        self.interval_s = model.interval_s
        self.intervals = n = model.intervals
        rates = np.zeros((len(site_names), n))
        for stream in model.arrivals:
            calls = np.asarray(stream.calls_per_interval, dtype=float)
            rates[site_names.index(stream.site), : calls.size] += calls
        total = rates.sum(axis=0)
        # plain lists: read one item at a time during the run, where NumPy scalars are slow
        self.rates: list[list[float]] = rates.T.tolist()
        """Per interval, the calls expected at each site."""
        self.cumulative: list[float] = np.cumsum(total).tolist()
        self.open: list[bool] = (total > 0).tolist()
        nxt = np.where(total > 0, np.arange(n), n)
        self.next_open: list[int] = np.minimum.accumulate(nxt[::-1])[::-1].tolist() if n else []
        """For each interval, the first one from it on in which calls are taken (``intervals``: none)."""
        closed = np.where(total > 0, n, np.arange(n))
        self.run_end: list[int] = np.minimum.accumulate(closed[::-1])[::-1].tolist() if n else []
        """For each interval, the first one from it on in which no calls are taken (the end of its open run)."""
        self._u = uniform

    def place(self, time_s: float, site: int) -> tuple[float, int] | None:
        """A member who means to call at ``time_s`` from ``site``: when and at which site they call; None: after the horizon.

        If no site takes calls then, the call moves to a moment of the next open spell, drawn in
        proportion to the calls expected in it; if the member's own site is closed, another open
        site takes it, in proportion to its calls.
        """
        i = int(time_s // self.interval_s)
        if i >= self.intervals:
            return None
        if not self.open[i]:
            start = self.next_open[i]
            if start >= self.intervals:
                return None
            i, time_s = self._draw_in(start, self.run_end[start])
        return time_s, self._site_at(i, site)

    def on_day(self, day: int, site: int) -> tuple[float, int] | None:
        """A moment on ``day`` when calls are taken, drawn in proportion to the calls expected then (or the next open spell)."""
        first = math.ceil(day * DAY_S / self.interval_s)
        last = min(self.intervals, math.ceil((day + 1) * DAY_S / self.interval_s))
        if first >= self.intervals:
            return None
        if last > first and self.cumulative[last - 1] > (self.cumulative[first - 1] if first else 0.0):
            i, time_s = self._draw_in(first, last)
            return time_s, self._site_at(i, site)
        return self.place(last * self.interval_s, site)

    def _draw_in(self, start: int, end: int) -> tuple[int, float]:
        cumulative = self.cumulative
        before = cumulative[start - 1] if start else 0.0
        target = before + self._u() * (cumulative[end - 1] - before)
        i = min(bisect.bisect_right(cumulative, target, start, end), end - 1)
        while not self.open[i]:  # a zero-rate interval inside [start, end) cannot be drawn; step to an open one
            i += 1
        return i, (i + self._u()) * self.interval_s

    def _site_at(self, i: int, site: int) -> int:
        rates = self.rates[i]
        if rates[site] > 0:
            return site
        target = self._u() * sum(rates)
        for k, rate in enumerate(rates):
            target -= rate
            if target < 0 and rate > 0:
                return k
        return max(range(len(rates)), key=rates.__getitem__)
