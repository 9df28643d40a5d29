"""Field types shared by the scenario tables (shares, seconds, names, head counts) and times of day.

Times of day are ``"HH:MM"`` from ``"00:00"`` to ``"24:00"`` (or TOML local times in whole minutes):

    >>> parse_time("8:30", "horizon.start"), minutes_of("24:00")
    ('08:30', 1440)
    >>> parse_time("8.30", "horizon.start")
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: horizon.start: '8.30' is not allowed; use a time of day as 'HH:MM' from '00:00' to '24:00'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time as dtime
from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from ccsim.errors import ScenarioError
from ccsim.scenario.messages import Problem, number_field

__all__ = [
    "MAX_AGENTS",
    "SHARE_TOLERANCE",
    "TIME_OF_DAY",
    "WEEKDAYS",
    "Count",
    "Name",
    "Seconds",
    "Share",
    "TimeOfDay",
    "Weekday",
    "WeekdayFactors",
    "minutes_of",
    "parse_time",
    "shares_add_up_to_1",
    "time_before",
]

SHARE_TOLERANCE = 1e-6
"""Shares that should add up to 1 may be off by this much."""
MAX_AGENTS = 5000
"""Most scheduled agents in one group, shift or interval."""
TIME_OF_DAY = "a time of day as 'HH:MM' from '00:00' to '24:00'"

Share = Annotated[float, number_field(ge=0, le=1)]
"""A fraction from 0 to 1 (0.8, not 80)."""
Seconds = Annotated[float, number_field(ge=0, le=30 * 86400)]
"""A duration in seconds, at most 30 days."""
Name = Annotated[str, Field(strict=True, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$")]
"""A name of 1 to 80 printable characters."""
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_AGENTS)]
"""A whole number of agents from 0 to :data:`MAX_AGENTS`."""
TimeOfDay = Annotated[str, Field(strict=True, description=TIME_OF_DAY)]
"""A normalised ``"HH:MM"`` (validators run :func:`time_before` first)."""
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
"""A day of the week, as three letters."""
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
"""Mon .. Sun, in order (day ``d`` of a run is ``WEEKDAYS[(first + d) % 7]``)."""
WeekdayFactors = dict[Weekday, Annotated[float, number_field(ge=0, le=10)]]
"""Day of the week → a factor from 0 to 10 (days left out: 1)."""


def parse_time(value: object, field: str) -> str:
    """``"HH:MM"`` (00:00 to 24:00) or a TOML time → normalised ``"HH:MM"``.

    Bad values raise a :class:`ScenarioError` for ``field``, or, with ``field`` empty (inside a
    validator), a :class:`Problem` that the table's path is put in front of.
    """

    def bad(v: object, why: str = TIME_OF_DAY) -> Exception:
        return ScenarioError(field, v, why) if field else Problem("", v, why)

    if isinstance(value, dtime):
        if value.second or value.microsecond or value.tzinfo:
            raise bad(value.isoformat(), "a time of day in whole minutes, e.g. '08:30'")
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        raise bad(value)
    parts = value.strip().split(":")
    if (
        len(parts) != 2
        or not all(p.isdigit() and p.isascii() for p in parts)
        or len(parts[1]) != 2
        or len(parts[0]) > 2
    ):
        raise bad(value)
    h, mi = int(parts[0]), int(parts[1])
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise bad(value)
    return f"{h:02d}:{mi:02d}"


def minutes_of(hhmm: str) -> int:
    """Minutes after midnight of a normalised ``"HH:MM"``."""
    h, mi = hhmm.split(":")
    return int(h) * 60 + int(mi)


def time_before(v: Any) -> Any:
    """A pydantic ``mode="before"`` validator for time-of-day fields (None stays None)."""
    return None if v is None else parse_time(v, "")


def shares_add_up_to_1(path: str, shares: Iterable[float], what: str = "shares") -> None:
    """Refuse ``shares`` that do not add up to 1 (within :data:`SHARE_TOLERANCE`): a :class:`Problem` for ``path``."""
    total = sum(shares)
    if abs(total - 1) > SHARE_TOLERANCE:
        raise Problem(
            path,
            round(total, 9),
            "",
            f"{what} add up to {total:.10g}, which is not allowed; use shares that add up to 1",
        )
