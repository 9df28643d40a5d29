"""Durations in a scenario: handle times and patience (:class:`TimeDistribution`, seconds) and the longer delays of
member journeys and back offices (:class:`Delay`, in seconds, minutes, hours or days). Both compile to the engine's
distributions of seconds.

    >>> Delay(kind="exponential", mean_days=3).to_distribution()
    Exponential(mean_s=259200.0)
    >>> Delay(kind="lognormal", mean_hours=2, mean_min=90)
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: mean_hours: 2 is not allowed together with mean_min; give exactly one of mean_s, mean_min, mean_hours or mean_days
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import model_validator

from ccsim.scenario.messages import Problem, StrictTable, number_field, number_text
from ccsim.simulation.distributions import Distribution, Exponential, Fixed, Lognormal

__all__ = ["MAX_DELAY_DAYS", "Delay", "TimeDistribution", "distribution"]

Kind = Literal["exponential", "lognormal", "fixed"]
MAX_DELAY_DAYS = 365
"""Longest mean delay, days (the same limit in every unit)."""
_UNITS = {"mean_s": 1.0, "mean_min": 60.0, "mean_hours": 3600.0, "mean_days": 86400.0}
"""Seconds in one unit of each mean field of a :class:`Delay`."""


def _cv_problem(kind: str, cv: float | None) -> Problem | None:
    """A cv that does not fit the kind: exponential only 1, fixed only 0, lognormal above 0."""
    if kind == "exponential" and cv not in (None, 1):
        return Problem("cv", cv, "1 or leave it out for an exponential (or kind = 'lognormal')")
    if kind == "fixed" and cv not in (None, 0):
        return Problem("cv", cv, "0 or leave it out for a fixed time (or kind = 'lognormal')")
    if kind == "lognormal" and cv == 0:
        return Problem("cv", cv, "a number above 0 for a lognormal (or kind = 'fixed')")
    return None


def distribution(kind: str, mean_s: float, cv: float | None) -> Distribution:
    """The engine's distribution of ``kind`` with mean ``mean_s`` seconds (a lognormal's cv defaults to 1)."""
    if kind == "exponential":
        return Exponential(mean_s)
    if kind == "fixed":
        return Fixed(mean_s)
    return Lognormal(mean_s, 1.0 if cv is None else cv)


class TimeDistribution(StrictTable):
    """A distribution of durations: ``kind`` exponential (cv 1), lognormal (any cv > 0) or fixed (cv 0)."""

    kind: Kind
    mean_s: Annotated[float, number_field(gt=0, le=86400)]
    """Mean duration, seconds."""
    cv: Annotated[float, number_field(ge=0, le=20)] | None = None
    """Coefficient of variation (standard deviation / mean); only lognormal may choose it (default 1)."""

    @model_validator(mode="after")
    def _cv_fits_kind(self) -> TimeDistribution:
        problem = _cv_problem(self.kind, self.cv)
        if problem is not None:
            raise problem
        return self

    def to_distribution(self) -> Distribution:
        """The engine's distribution (seconds)."""
        return distribution(self.kind, self.mean_s, self.cv)


class Delay(StrictTable):
    """A delay (a member calling again, a back office's processing): ``kind``, exactly one mean in the unit you think in, ``cv``.

    The mean is given as ``mean_s`` (seconds), ``mean_min``, ``mean_hours`` or ``mean_days``; each is
    above 0 and at most 365 days. ``kind`` and ``cv`` follow the same rules as a handle time's.
    """

    kind: Kind
    mean_s: Annotated[float, number_field(gt=0, le=MAX_DELAY_DAYS * 86400)] | None = None
    """Mean delay, seconds."""
    mean_min: Annotated[float, number_field(gt=0, le=MAX_DELAY_DAYS * 1440)] | None = None
    """Mean delay, minutes."""
    mean_hours: Annotated[float, number_field(gt=0, le=MAX_DELAY_DAYS * 24)] | None = None
    """Mean delay, hours."""
    mean_days: Annotated[float, number_field(gt=0, le=MAX_DELAY_DAYS)] | None = None
    """Mean delay, days."""
    cv: Annotated[float, number_field(ge=0, le=20)] | None = None
    """Coefficient of variation; only lognormal may choose it (default 1)."""

    @model_validator(mode="after")
    def _one_mean(self) -> Delay:
        given = [k for k in _UNITS if getattr(self, k) is not None]
        if not given:
            raise Problem("mean_s", None, "", "missing; give exactly one of mean_s, mean_min, mean_hours or mean_days")
        if len(given) > 1:
            value = getattr(self, given[1])
            raise Problem(
                given[1],
                value,
                "",
                f"{number_text(value)} is not allowed together with {given[0]}; "
                "give exactly one of mean_s, mean_min, mean_hours or mean_days",
            )
        problem = _cv_problem(self.kind, self.cv)
        if problem is not None:
            raise problem
        return self

    @property
    def mean_seconds(self) -> float:
        """The mean, seconds, whatever unit it was given in."""
        unit = next(k for k in _UNITS if getattr(self, k) is not None)
        return float(getattr(self, unit)) * _UNITS[unit]

    def to_distribution(self) -> Distribution:
        """The engine's distribution of seconds."""
        return distribution(self.kind, self.mean_seconds, self.cv)
