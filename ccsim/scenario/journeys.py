"""Member journeys in a scenario: the ``[journeys]`` table, its personas and reasons, and personas files.

With ``[journeys]`` every caller is a member with one issue (a *reason*, e.g. billing) and a
*persona* (e.g. a Spanish-speaking adult); members call again when an issue is left unresolved,
after hanging up, to chase a back office, or now and then after it was resolved. The engine's side
is :mod:`ccsim.simulation.members`. Personas and reasons are given inline or in a personas file
(``data/personas/*.toml`` or a file beside the scenario) holding both.

    >>> j = Journeys(redial_share=0.5, redial_delay={"kind": "exponential", "mean_min": 20})
    >>> j.redial_delay.mean_seconds, j.lookback_days
    (1200.0, 30.0)
    >>> Journeys(personas=[{"name": "adult", "share": 0.7}, {"name": "senior", "share": 0.2}])
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: personas: shares add up to 0.9, which is not allowed; use shares that add up to 1
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from ccsim.errors import ScenarioError
from ccsim.scenario.durations import Delay
from ccsim.scenario.fields import Name, Share, shares_add_up_to_1
from ccsim.scenario.loading import data_dir, is_file, toml_where
from ccsim.scenario.messages import Problem, StrictTable, number_field, plain_error
from ccsim.simulation import members as mm
from ccsim.simulation.distributions import Distribution

__all__ = ["Journeys", "People", "Persona", "Reason", "load_people", "to_journeys"]

Factor = Annotated[float, number_field(ge=0, le=10)]
"""A multiplier from 0 to 10 (1: as the call type says)."""
PositiveFactor = Annotated[float, number_field(gt=0, le=10)]
"""A multiplier above 0, at most 10 (for times, which cannot become 0)."""


class Persona(StrictTable):
    """A kind of member: the share of members like that, the call types they use and how they differ (factors, 1 = no change)."""

    name: Name
    share: Share
    """Share of members (0–1); the personas' shares add up to 1. Each call type's callers are drawn among the personas that use it, by share."""
    call_types: tuple[Name, ...] = ()
    """Call types these members use; empty: all."""
    handle_time_factor: PositiveFactor = 1.0
    """Multiplies the handle time (e.g. 1.3: calls 30% longer)."""
    patience_factor: PositiveFactor = 1.0
    """Multiplies the patience (waits longer before hanging up)."""
    menu_containment_factor: Factor = 1.0
    """Multiplies the chance the voice menu resolves the call."""
    resolution_factor: Factor = 1.0
    """Multiplies the chance a contact resolves the issue."""
    return_factor: Factor = 1.0
    """Multiplies the chances of calling again (redial, unresolved, chase, recontact)."""


class Reason(StrictTable):
    """Why members call: the share of issues with this reason, the call types it comes in on, how hard it is to resolve."""

    name: Name
    share: Share
    """Share of issues (0–1); the reasons' shares add up to 1. Each call type's issues are drawn among its reasons, by share."""
    call_types: tuple[Name, ...] = ()
    """Call types issues of this reason come in on; empty: all."""
    resolution_factor: Factor = 1.0
    """Multiplies the chance a contact resolves the issue (below 1: a harder reason)."""


def _check_list(kind: str, items: tuple[Persona, ...] | tuple[Reason, ...]) -> None:
    names = [x.name for x in items]
    for k, name in enumerate(names):
        if name in names[:k]:
            raise Problem(f"{kind}[{k}].name", name, "a name not used by another entry")
    shares_add_up_to_1(kind, [x.share for x in items])


class People(StrictTable):
    """A personas file: synthetic personas and reasons for a kind of member service (``data/personas/*.toml``)."""

    description: str = ""
    personas: tuple[Persona, ...] = Field(min_length=1)
    reasons: tuple[Reason, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _lists(self) -> People:
        _check_list("personas", self.personas)
        _check_list("reasons", self.reasons)
        return self


class Journeys(StrictTable):
    """``[journeys]``: members with issues over days; chances are 0–1, delays count from the end of the contact before."""

    lookback_days: Annotated[float, number_field(gt=0, le=366)] = 30.0
    """First-contact resolution counts an issue resolved when no further contact follows within this many days."""
    redial_share: Share = 0.0
    """Chance a caller who hung up before an answer calls again."""
    redial_delay: Delay | None = None
    """When they call again; default exponential, mean 30 minutes."""
    return_share: Share = 1.0
    """Chance a member whose issue was left unresolved calls again."""
    return_delay: Delay | None = None
    """When they call again; default exponential, mean 2 days."""
    recontact_share: Share = 0.0
    """Chance a member told the issue is resolved calls again anyway (it did not hold, or to check)."""
    recontact_delay: Delay | None = None
    """When they call again; default exponential, mean 3 days."""
    chase_share_per_day: Share = 0.0
    """Chance, for each day an issue waits in a back office, that the member calls to chase it."""
    repeat_handle_time_factor: PositiveFactor = 1.0
    """Handle time of a member's later contacts (repeats, redials, chases, recontacts) × this (explaining again takes longer)."""
    personas: tuple[Persona, ...] | None = None
    """Kinds of member; default: one persona 'member' using every call type (replaces the file's personas)."""
    reasons: tuple[Reason, ...] | None = None
    """Reasons for calling; default: one reason 'general' on every call type (replaces the file's reasons)."""
    personas_file: Name | None = None
    """A personas file holding personas and reasons: a name in data/personas/ ('.toml' optional) or a file beside the scenario."""

    @model_validator(mode="after")
    def _lists(self) -> Journeys:
        if self.personas is not None:
            _check_list("personas", self.personas)
        if self.reasons is not None:
            _check_list("reasons", self.reasons)
        return self


# ----------------------------------------------------------------------------------------------
# personas files


def _people_path(name: str, base_dir: Path | None) -> Path:
    folder = data_dir() / "personas"
    candidates = [base_dir / name, base_dir / f"{name}.toml"] if base_dir is not None else []
    candidates += [folder / name, folder / f"{name}.toml"]
    path = next((p for p in candidates if is_file(p)), None)
    if path is None:
        have = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise ScenarioError("journeys.personas_file", name, f"a file in data/personas/ ({have}) or beside the scenario")
    return path


def _read_people(path: Path, name: str) -> People:
    """The file's personas and reasons; errors name the file, e.g. ``health_plan_members.toml personas[2].share: ...``."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise plain_error("journeys.personas_file", name, f"{path}: not valid TOML ({toml_where(e)})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise plain_error("journeys.personas_file", name, f"{path}: cannot be read ({e.__class__.__name__})") from None
    try:
        return People.model_validate(data)
    except ScenarioError as e:
        field = f"{path.name} {e.field}"
        err = ScenarioError(field, e.value, e.allowed)
        err.args = (f"{path.name} {e}",)
        raise err from None


def load_people(j: Journeys, base_dir: Path | None) -> tuple[tuple[Persona, ...], tuple[Reason, ...]]:
    """The personas and reasons of ``[journeys]``: inline lists, else the personas file's, else one of each covering everything."""
    people = _read_people(_people_path(j.personas_file, base_dir), j.personas_file) if j.personas_file else None
    personas = j.personas or (people.personas if people else (Persona(name="member", share=1.0),))
    reasons = j.reasons or (people.reasons if people else (Reason(name="general", share=1.0),))
    return personas, reasons


def _delay(d: Delay | None, default: Distribution) -> Distribution:
    return default if d is None else d.to_distribution()


def to_journeys(j: Journeys, personas: tuple[Persona, ...], reasons: tuple[Reason, ...]) -> mm.Journeys:
    """The engine's :class:`~ccsim.simulation.members.Journeys` (delays in seconds)."""
    engine = mm.Journeys()
    return mm.Journeys(
        personas=tuple(
            mm.Persona(
                name=p.name,
                share=float(p.share),
                call_types=tuple(p.call_types),
                handle_time_factor=float(p.handle_time_factor),
                patience_factor=float(p.patience_factor),
                menu_containment_factor=float(p.menu_containment_factor),
                resolution_factor=float(p.resolution_factor),
                return_factor=float(p.return_factor),
            )
            for p in personas
        ),
        reasons=tuple(
            mm.Reason(r.name, float(r.share), tuple(r.call_types), float(r.resolution_factor)) for r in reasons
        ),
        redial_share=float(j.redial_share),
        redial_delay=_delay(j.redial_delay, engine.redial_delay),
        return_share=float(j.return_share),
        return_delay=_delay(j.return_delay, engine.return_delay),
        recontact_share=float(j.recontact_share),
        recontact_delay=_delay(j.recontact_delay, engine.recontact_delay),
        chase_share_per_day=float(j.chase_share_per_day),
        repeat_handle_time_factor=float(j.repeat_handle_time_factor),
        lookback_days=float(j.lookback_days),
    )
