"""Members and their issues, as the engine sees them: personas, reasons and how members call again.

A :class:`Journeys` spec on a :class:`~ccsim.simulation.model.CenterModel` turns every arriving
caller into a *member* with one *issue* (a reason, e.g. billing) and a *persona* (e.g. a
Cantonese-speaking retiree). What happens to the issue after each answered contact is set per call
type (``CallType.resolution_share`` and its ``transfers``, which include consults and back-office
hand-offs); the member calls again when the issue is left unresolved, after hanging up, to chase
a back office, or now and then even after it was resolved. :mod:`ccsim.simulation.journeys` runs
it. Every time and delay is in seconds.

    >>> from ccsim.simulation.distributions import Exponential
    >>> j = Journeys(personas=(Persona("senior", 0.3, patience_factor=1.5), Persona("adult", 0.7)),
    ...              redial_share=0.6, redial_delay=Exponential(900))
    >>> [p.name for p in j.personas_for("billing")], j.lookback_days
    (['senior', 'adult'], 30.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccsim.errors import CcsimInputError, check_number
from ccsim.simulation.distributions import Distribution, Exponential

DAY_S = 86400.0
"""Seconds in a day: day ``d`` of a run is ``[d × DAY_S, (d + 1) × DAY_S)`` after the horizon start."""

_FACTORS = ("handle_time_factor", "patience_factor", "menu_containment_factor", "resolution_factor", "return_factor")


@dataclass(frozen=True)
class Persona:
    """A kind of member, with the share of callers who are like that and how it changes their calls.

    ``call_types``: the call types such members use (empty: all). Each factor multiplies the call
    type's value: ``handle_time_factor`` (longer calls), ``patience_factor`` (waits longer before
    hanging up), ``menu_containment_factor`` (the voice menu resolves them more or less often),
    ``resolution_factor`` (chance a contact resolves the issue), ``return_factor`` (chance of calling
    again: redial, unresolved, chase, recontact). Chances stay within 0–1.
    """

    name: str
    share: float
    call_types: tuple[str, ...] = ()
    handle_time_factor: float = 1.0
    patience_factor: float = 1.0
    menu_containment_factor: float = 1.0
    resolution_factor: float = 1.0
    return_factor: float = 1.0

    def __post_init__(self) -> None:
        check_number(f"persona {self.name!r} share", self.share, low=0)
        for name in _FACTORS:
            check_number(f"persona {self.name!r} {name}", getattr(self, name), low=0, high=100)


@dataclass(frozen=True)
class Reason:
    """Why a member calls (billing, benefits, claims, ...): a share of callers and the call types it comes in on (empty: all)."""

    name: str
    share: float
    call_types: tuple[str, ...] = ()
    resolution_factor: float = 1.0
    """Multiplies the call type's chance of resolving the issue (a hard reason resolves less often)."""

    def __post_init__(self) -> None:
        check_number(f"reason {self.name!r} share", self.share, low=0)
        check_number(f"reason {self.name!r} resolution_factor", self.resolution_factor, low=0, high=100)


def _check_delay(what: str, delay: Distribution) -> None:
    if not isinstance(delay, Distribution):
        raise CcsimInputError(what, delay, "a Distribution of seconds (Exponential, Lognormal or Fixed)")


@dataclass(frozen=True)
class Journeys:
    """How members with issues behave over days: who they are, why they call, and when they call again.

    Chances are 0–1 (before a persona's ``return_factor``); delays are distributions of seconds,
    counted from the end of the contact before (a member never has two contacts at once). A return
    that falls while the member's site takes no calls moves to the next time it does.
    """

    personas: tuple[Persona, ...] = (Persona("member", 1.0),)
    reasons: tuple[Reason, ...] = (Reason("general", 1.0),)
    redial_share: float = 0.0
    """Chance a caller who hung up calls again."""
    redial_delay: Distribution = field(default_factory=lambda: Exponential(1800.0))
    return_share: float = 1.0
    """Chance a member whose issue was left unresolved calls again."""
    return_delay: Distribution = field(default_factory=lambda: Exponential(2 * DAY_S))
    recontact_share: float = 0.0
    """Chance a member told the issue is resolved calls again anyway (it did not hold, or to check)."""
    recontact_delay: Distribution = field(default_factory=lambda: Exponential(3 * DAY_S))
    chase_share_per_day: float = 0.0
    """Chance, for each day an issue waits in a back office, that the member calls to chase it."""
    repeat_handle_time_factor: float = 1.0
    """Handle time of an issue's later contacts (not its first) × this: explaining the issue again takes longer."""
    lookback_days: float = 30.0
    """First-contact resolution counts an issue as resolved when no further contact follows within this many days."""

    def __post_init__(self) -> None:
        for what in ("redial_share", "return_share", "recontact_share", "chase_share_per_day"):
            check_number(f"journeys.{what}", getattr(self, what), low=0, high=1)
        for what in ("redial_delay", "return_delay", "recontact_delay"):
            _check_delay(f"journeys.{what}", getattr(self, what))
        check_number("journeys.lookback_days", self.lookback_days, low=0, low_open=True, high=366)
        check_number("journeys.repeat_handle_time_factor", self.repeat_handle_time_factor, low=0, high=100)
        for kind, items in (("personas", self.personas), ("reasons", self.reasons)):
            names = [x.name for x in items]
            if not items:
                raise CcsimInputError(f"journeys.{kind}", (), f"at least one {kind[:-1]}")
            if len(set(names)) < len(names):
                repeated = next(n for n in names if names.count(n) > 1)
                raise CcsimInputError(f"journeys.{kind} names", repeated, "a name used only once")

    def personas_for(self, call_type: str) -> list[Persona]:
        """The personas that call on ``call_type``, in order."""
        return [p for p in self.personas if not p.call_types or call_type in p.call_types]

    def reasons_for(self, call_type: str) -> list[Reason]:
        """The reasons that come in on ``call_type``, in order."""
        return [r for r in self.reasons if not r.call_types or call_type in r.call_types]

    def check_call_types(self, names: list[str]) -> None:
        """Every persona and reason names known call types, and every call type has a persona and a reason with a share."""
        for kind, items in (("personas", self.personas), ("reasons", self.reasons)):
            for item in items:
                for name in item.call_types:
                    if name not in names:
                        raise CcsimInputError(
                            f"{kind[:-1]} {item.name!r} call_types", name, f"one of {', '.join(names)}"
                        )
        for name in names:
            if sum(p.share for p in self.personas_for(name)) <= 0:
                raise CcsimInputError(f"personas for call type {name!r}", "none with a share", "at least one persona")
            if sum(r.share for r in self.reasons_for(name)) <= 0:
                raise CcsimInputError(f"reasons for call type {name!r}", "none with a share", "at least one reason")
