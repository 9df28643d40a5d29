"""An intraday profile and weekday factors from interval call counts, as an ACD exports them.

Rules (what :func:`profile_from_counts` measures):

- The file's interval is the shortest step between two rows (1 to 60 minutes); every row must lie
  on that grid. A coarser ``interval_min`` (a multiple of it that divides 24 hours) regroups the rows.
- Missing intervals are intervals with no calls. Days are calendar days of the times as written
  (a time zone offset is kept as local time). ``days`` counts the days covered, first to last;
  a day with no calls at all is a closed day.
- ``calls_per_day_mean`` is the mean over the open days; ``profile`` the mean calls of each interval
  of the day over the open days, from the first to the last interval any row names, and its share;
  ``weekday_factors`` (Monday to Sunday) the mean calls of that weekday's open days over
  ``calls_per_day_mean`` (weekdays with no open day are left out, e.g. a closed Sunday).

So ``calls_per_day × weekday factor × share`` gives a weekday's expected calls per interval, as a
scenario's ``arrivals`` use them (:func:`scenario_lines`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccsim.calibration.reading import FileProblem, Table, column, numbers, read_table, timestamps
from ccsim.errors import CcsimInputError
from ccsim.scenario.fields import WEEKDAYS

__all__ = ["Profile", "grid_of", "profile_csv", "profile_from_counts", "read_profile", "scenario_lines"]

TIME_NAMES = ("interval_start", "interval", "start", "time", "timestamp", "datetime", "date_time", "period")
CALLS_NAMES = ("calls", "calls_offered", "offered", "contacts", "volume", "count", "n")
WHAT = "one row per interval (a time and a count of calls)"


@dataclass
class Profile:
    """What a file of interval counts says: see the module docstring for each number's rule."""

    days: int
    interval_min: int
    calls_per_day_mean: float
    weekday_factors: dict[str, float]
    start_min: int
    """Minute of the day of the profile's first interval."""
    calls_mean: list[float]
    """Mean calls of each interval of the day over the open days."""
    first_day: str = ""
    """The first date, YYYY-MM-DD."""
    first_weekday: str = "Mon"
    closed_days: list[int] = field(default_factory=list)
    """Day numbers (1 = the first day) with no calls."""
    calls: float = 0.0

    @property
    def open_days(self) -> int:
        return self.days - len(self.closed_days)

    @property
    def shares(self) -> list[float]:
        total = sum(self.calls_mean)
        return [c / total for c in self.calls_mean]

    def time(self, k: int) -> str:
        """``'HH:MM'`` of interval ``k`` of the profile."""
        m = self.start_min + k * self.interval_min
        return f"{m // 60:02d}:{m % 60:02d}"

    @property
    def hours(self) -> float:
        return len(self.calls_mean) * self.interval_min / 60

    @property
    def peak(self) -> dict[str, Any]:
        k = int(np.argmax(self.calls_mean))
        return {"time": self.time(k), "calls_mean": self.calls_mean[k]}

    def to_json(self) -> dict[str, Any]:
        """The JSON keys of ``ccsim profile`` (and a few more: first_day, first_weekday, open_days, closed_days, calls)."""
        return {
            "days": self.days,
            "interval_min": self.interval_min,
            "calls_per_day_mean": self.calls_per_day_mean,
            "weekday_factors": self.weekday_factors,
            "profile": [
                {"time": self.time(k), "calls_mean": c, "share": s}
                for k, (c, s) in enumerate(zip(self.calls_mean, self.shares, strict=True))
            ],
            "peak": self.peak,
            "first_day": self.first_day,
            "first_weekday": self.first_weekday,
            "open_days": self.open_days,
            "closed_days": self.closed_days,
            "calls": self.calls,
        }


def grid_of(table: Table, col: str, minutes: np.ndarray, day: np.ndarray) -> int:
    """The file's interval in minutes: the shortest step between rows, checked to be whole, 1–60, with every row on it."""
    absolute = day * 1440 + minutes
    steps = np.diff(absolute)
    steps = steps[steps > 0]  # a wall clock going back an hour (times with offsets) repeats times
    if len(steps) == 0:
        return 60
    native = float(steps.min())
    if abs(native - round(native)) > 1e-6 or not 1 <= round(native) <= 60:
        row = int(np.argmin(np.where(np.diff(absolute) > 0, np.diff(absolute), np.inf))) + 1
        raise FileProblem(
            table.where(row, col),
            table.frame[col].iloc[row],
            "",
            f"{table.frame[col].iloc[row]!r} is {native:g} minutes after the row before; "
            "use intervals of a whole number of minutes from 1 to 60",
        )
    n = round(native)
    off = (minutes - minutes[0]) % n
    bad = (np.minimum(off, n - off) > 1e-6) & (np.abs(off - n) > 1e-6)
    if bad.any():
        row = int(np.argmax(bad))
        raise FileProblem(
            table.where(row, col),
            table.frame[col].iloc[row],
            f"a time on the {n}-minute grid of the other rows",
        )
    return n


def _regroup(native: int, interval_min: int | None) -> int:
    if interval_min is None:
        return native
    if interval_min % native or 1440 % interval_min:
        raise CcsimInputError(
            "--interval-min",
            interval_min,
            f"a multiple of the file's {native}-minute interval that divides 24 hours (e.g. {max(native, 60)})",
        )
    return interval_min


def profile_from_counts(
    minutes: np.ndarray,
    day: np.ndarray,
    calls: np.ndarray,
    interval_min: int,
    first_day: Any,
    grid_offset: float = 0.0,
) -> Profile:
    """A :class:`Profile` from rows (minute of the day, day number, calls) in ``interval_min``-minute intervals.

    ``grid_offset`` (minutes, below the file's interval) shifts the intervals off the hour, e.g. 5 for
    rows at 08:05, 08:35, ...
    """
    per_day = 1440 // interval_min
    slot = np.floor((minutes - grid_offset) / interval_min + 1e-9).astype(np.int64)
    days = int(day.max()) + 1
    counts = np.bincount(day * per_day + slot, weights=calls, minlength=days * per_day).reshape(days, per_day)
    totals = counts.sum(axis=1)
    open_ = totals > 0
    if not open_.any():
        raise CcsimInputError("calls", 0, "a file with at least one call")
    first_weekday = int(first_day.weekday())
    weekday = (first_weekday + np.arange(days)) % 7
    mean_day = float(totals[open_].mean())
    factors: dict[str, float] = {}
    for w in range(7):
        sel = open_ & (weekday == w)
        if sel.any():
            factors[WEEKDAYS[w]] = float(totals[sel].mean() / mean_day)
    lo, hi = int(slot.min()), int(slot.max())
    calls_mean = counts[open_, lo : hi + 1].mean(axis=0)
    return Profile(
        days=days,
        interval_min=interval_min,
        calls_per_day_mean=mean_day,
        weekday_factors=factors,
        start_min=round(grid_offset) + lo * interval_min,
        calls_mean=[float(c) for c in calls_mean],
        first_day=str(first_day.date()),
        first_weekday=WEEKDAYS[first_weekday],
        closed_days=[int(d) + 1 for d in np.flatnonzero(~open_)],
        calls=float(totals.sum()),
    )


def read_profile(
    path: str | Path, *, time_column: str = "", calls_column: str = "", interval_min: int | None = None
) -> Profile:
    """Read an ACD export of interval call counts (see the module docstring) and measure its :class:`Profile`."""
    table = read_table(path, WHAT)
    tcol = column(table, time_column, "--time-column", TIME_NAMES)
    ccol = column(table, calls_column, "--calls-column", CALLS_NAMES)
    calls = numbers(table, ccol, "a whole number of calls, 0 or more")
    whole = np.abs(calls - np.round(calls)) > 1e-9
    if whole.any():
        row = int(np.argmax(whole))
        raise FileProblem(table.where(row, ccol), table.frame[ccol].iloc[row], "a whole number of calls, 0 or more")
    minutes, day, first = timestamps(table, tcol, strictly=True)
    native = grid_of(table, tcol, minutes, day)
    step = _regroup(native, interval_min)
    offset = float(minutes[0] % native)
    return profile_from_counts(minutes, day, calls, step, first, grid_offset=offset)


def scenario_lines(p: Profile, file_name: str) -> list[str]:
    """TOML lines a scenario needs to use the profile written to ``file_name``."""
    hours = f"{p.hours:g}"
    factors = ", ".join(f"{k} = {v:.3f}" for k, v in p.weekday_factors.items())
    return [
        f'[horizon] start = "{p.time(0)}", hours = {hours}, interval_min = {p.interval_min}',
        f'[arrivals] calls_per_day = {p.calls_per_day_mean:.0f}, profile = "{file_name}", weekday_factors = {{ {factors} }}',
    ]


def profile_csv(p: Profile, path: str | Path, source: str) -> str:
    """The profile as a CSV a scenario's ``arrivals.profile`` accepts (columns interval_start,share); returns its text."""
    name = Path(path).name
    lines = [
        f"# Intraday profile measured by `ccsim profile {source}`: {p.days} days from {p.first_day}"
        f" ({p.open_days} open), {p.calls_per_day_mean:.1f} calls per open day, {p.interval_min}-minute intervals.",
        *(f"# {line}" for line in scenario_lines(p, name)),
        "interval_start,share",
    ]
    lines += [f"{p.time(k)},{s:.6f}" for k, s in enumerate(p.shares)]
    text = "\n".join(lines) + "\n"
    if not math.isfinite(sum(p.shares)):  # pragma: no cover - calls were checked to add up to more than 0
        raise CcsimInputError("profile", "", "calls adding up to more than 0")
    return text
