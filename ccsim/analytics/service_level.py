"""Service-level definitions. Once callers hang up, "service level" means different things: name the one you use."""

from __future__ import annotations

from enum import StrEnum

from ccsim.errors import CcsimInputError


class SLDefinition(StrEnum):
    """How service level counts callers, with T the answer-within threshold in seconds."""

    OFFERED = "offered"
    """Answered within T over all offered calls (the default)."""
    EXCLUDE_SHORT_ABANDONS = "exclude_short_abandons"
    """Answered within T over offered calls, leaving out callers who hung up within T."""
    ANSWERED = "answered"
    """Answered within T over answered calls only (abandons ignored)."""
    ANSWERED_OR_ABANDONED_WITHIN = "answered_or_abandoned_within"
    """Answered within T plus abandoned within T, over all offered calls."""

    @property
    def label(self) -> str:
        """The ratio in words, e.g. "answered within T / offered"."""
        return LABELS[self]

    @property
    def plain(self) -> str:
        """The definition in words a new hire reads, e.g. "answered in time, out of everyone who called"."""
        return PLAIN[self]


LABELS = {
    SLDefinition.OFFERED: "answered within T / offered",
    SLDefinition.EXCLUDE_SHORT_ABANDONS: "answered within T / (offered - abandoned within T)",
    SLDefinition.ANSWERED: "answered within T / answered",
    SLDefinition.ANSWERED_OR_ABANDONED_WITHIN: "(answered within T + abandoned within T) / offered",
}

PLAIN = {
    SLDefinition.OFFERED: "answered in time, out of everyone who called",
    SLDefinition.EXCLUDE_SHORT_ABANDONS: "answered in time, leaving out quick hang-ups",
    SLDefinition.ANSWERED: "answered in time, out of those answered",
    SLDefinition.ANSWERED_OR_ABANDONED_WITHIN: "answered or hung up in time, out of everyone",
}
"""Each definition in plain words ("in time": within the answer-within threshold T), for controls learners use."""

ALLOWED = ", ".join(d.value for d in SLDefinition)


def parse_sl_definition(value: str | SLDefinition, field: str = "sl_definition") -> SLDefinition:
    """Return the :class:`SLDefinition` named by ``value`` (accepts '-' for '_'), or raise a one-line error."""
    if isinstance(value, SLDefinition):
        return value
    key = str(value).strip().lower().replace("-", "_")
    try:
        return SLDefinition(key)
    except ValueError:
        raise CcsimInputError(field, value, f"one of {ALLOWED}") from None


def service_level_from_counts(
    *,
    offered: float,
    answered: float,
    answered_within: float,
    abandoned_within: float,
    definition: str | SLDefinition = SLDefinition.OFFERED,
) -> float:
    """Service level (0–1) from counts or probabilities under ``definition``; NaN when the denominator is 0."""
    d = parse_sl_definition(definition)
    if d is SLDefinition.OFFERED:
        num, den = answered_within, offered
    elif d is SLDefinition.EXCLUDE_SHORT_ABANDONS:
        num, den = answered_within, offered - abandoned_within
    elif d is SLDefinition.ANSWERED:
        num, den = answered_within, answered
    else:
        num, den = answered_within + abandoned_within, offered
    return float(num) / float(den) if den > 0 else float("nan")
