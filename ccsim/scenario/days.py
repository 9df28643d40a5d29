"""Many days in one model: the day's arrivals and staffing repeated ``horizon.days`` times, scaled by the day of the week.

The engine needs nothing new for this: the scenario compiles one long model whose intervals run from
day 0 to day D − 1. Day ``d`` starts at ``d`` × 86,400 s. Every day but the last has the day's hours
(the profile and the staffing from ``horizon.start`` for ``horizon.hours``), then no calls and nobody
on duty until the next day starts; the last day ends with the day's hours, so one day is exactly the
one-day model. A closed day (``closed_weekdays``, ``closed_days``) has no calls and no staff; on an
open day the calls are multiplied by ``arrivals.weekday_factors`` and each group's scheduled
headcount by its own ``weekday_factors``.

    >>> from ccsim.scenario.tables import Horizon
    >>> h = Horizon(hours=12, interval_min=360, days=3, first_weekday="Sat", closed_weekdays=["Sun"])
    >>> [day_factor(h, {"Mon": 1.2}, d) for d in range(3)], h.total_intervals
    ([1.0, 0.0, 1.2], 10)
    >>> repeat_calls(h, {"Mon": 1.2}, (10.0, 20.0))
    (10.0, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.0, 24.0)
    >>> repeat_staffing(h, lambda f: ((0.0, round(10 * f)), (3600.0, 4)), {"Mon": 1.2})
    ((0.0, 10), (3600.0, 4), (43200.0, 0), (172800.0, 12), (176400.0, 4))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ccsim.scenario.fields import Weekday
from ccsim.scenario.tables import Horizon
from ccsim.simulation.members import DAY_S

__all__ = ["DAY_S", "day_factor", "repeat_calls", "repeat_staffing"]

Steps = tuple[tuple[float, int], ...]


def day_factor(h: Horizon, factors: Mapping[Weekday, float], day: int) -> float:
    """The factor for day ``day`` (0-based): 0 on a closed day, else the day of the week's factor (1 if not given)."""
    return 0.0 if h.is_closed(day) else float(factors.get(h.weekday(day), 1.0))


def repeat_calls(h: Horizon, factors: Mapping[Weekday, float], day_calls: tuple[float, ...]) -> tuple[float, ...]:
    """Expected calls per interval over every day: the day's calls × the day's factor, then zeros until the next day."""
    gap = (0.0,) * (round(1440 / h.interval_min) - h.intervals) if h.days > 1 else ()
    out: list[float] = []
    for d in range(h.days):
        f = day_factor(h, factors, d)
        out += day_calls if f == 1.0 else [c * f for c in day_calls]
        if d < h.days - 1:
            out += gap
    return tuple(out)


def repeat_staffing(
    h: Horizon, day_steps: Callable[[float], Steps], factors: Mapping[Weekday, float] | None = None
) -> Steps:
    """On-duty steps (time_s, agents) over every day.

    ``day_steps(f)`` gives one day's steps (seconds from the day's start, within the day's hours)
    for scheduled headcounts × ``f``; nobody is on duty from the end of the day's hours until the
    next day (unless the day is 24 hours) nor on a closed day.
    """
    factors = factors or {}
    if h.days == 1:
        return day_steps(day_factor(h, factors, 0))
    made: dict[float, Steps] = {}
    out: list[tuple[float, int]] = []

    def add(t: float, n: int) -> None:
        if not out or out[-1][1] != n:
            out.append((t, n))

    for d in range(h.days):
        f = day_factor(h, factors, d)
        if f not in made:
            made[f] = day_steps(f) if f > 0 else ((0.0, 0),)
        start = d * DAY_S
        for t, n in made[f]:
            add(start + t, n)
        if d < h.days - 1 and h.hours < 24:
            add(start + h.hours * 3600.0, 0)
    return tuple(out)
