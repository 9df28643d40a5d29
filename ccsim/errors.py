"""Errors a learner or trainer can read: one sentence naming the field, the bad value and what is allowed."""

from __future__ import annotations


class CcsimInputError(ValueError):
    """Bad input (a parameter, a CLI flag, a widget value, a scenario field).

    ``str(error)`` is one plain sentence, e.g.
    ``agents: -3 is not allowed; use a whole number from 1 to 5000``.
    """

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not allowed; use {allowed}")


class CcsimWarning(UserWarning):
    """Base class of the warnings ccsim issues (plain sentences, meant for a learner)."""


class OverloadWarning(CcsimWarning):
    """Demand exceeds what the agents on duty can handle, or callers were still waiting at the end."""


class ScenarioError(CcsimInputError):
    """A scenario (TOML file or Python object) that does not validate; ``field`` is the path, e.g. ``sites[1].agents``."""


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_number(
    field: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> float:
    """Return ``value`` as a number if it lies in the allowed range, else raise :class:`CcsimInputError`.

    ``low``/``high`` are inclusive unless ``low_open``/``high_open``.
    """
    kind = "a whole number" if integer else "a number"
    if low is not None and high is not None:
        lo = "more than" if low_open else "from"
        hi = "less than" if high_open else "to"
        allowed = (
            f"{kind} {lo} {_fmt(low)} {hi} {_fmt(high)}"
            if not (low_open or high_open)
            else (
                f"{kind} {'above' if low_open else 'of at least'} {_fmt(low)} and {'below' if high_open else 'at most'} {_fmt(high)}"
            )
        )
    elif low is not None:
        allowed = f"{kind} {'above' if low_open else 'of at least'} {_fmt(low)}"
    elif high is not None:
        allowed = f"{kind} {'below' if high_open else 'of at most'} {_fmt(high)}"
    else:
        allowed = kind
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np

            if not isinstance(value, np.number) or isinstance(value, np.bool_):
                raise CcsimInputError(field, value, allowed)
        except ImportError:  # pragma: no cover - numpy is a dependency
            raise CcsimInputError(field, value, allowed) from None
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        raise CcsimInputError(field, value, allowed)
    if integer and x != int(x):
        raise CcsimInputError(field, value, allowed)
    if low is not None and (x < low or (low_open and x == low)):
        raise CcsimInputError(field, value, allowed)
    if high is not None and (x > high or (high_open and x == high)):
        raise CcsimInputError(field, value, allowed)
    return int(x) if integer else x
