"""A whole contact center as validated data: loaded from TOML or built in Python, compiled to a :class:`~ccsim.simulation.model.CenterModel`.

The schema is documented field by field in ``data/scenarios/README.md``. Times are seconds inside;
a few edge fields use the units people think in (``interval_min``, ``hours``, ``back_office_days``,
times of day as ``"HH:MM"``) and :meth:`Scenario.to_model` converts them.

Any bad input raises one :class:`~ccsim.errors.ScenarioError` whose message is one sentence naming
the field path, the bad value and what is allowed, e.g.
``agent_groups[1].headcount: -3 is not allowed; use a whole number of at least 0``.

Example::

    >>> s = load_preset("classroom")
    >>> m = s.to_model()
    >>> m.intervals, m.interval_s, m.agent_groups[0].agents_at(0)
    (16, 1800.0, 50)
    >>> s.updated({"agent_groups": [{"name": "agents", "skills": ["calls"], "headcount": -3}]})
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: agent_groups[0].headcount: -3 is not allowed; use a whole number from 0 to 5000
"""

from __future__ import annotations

import contextvars
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, ValidationInfo, model_validator

from ccsim.errors import ScenarioError
from ccsim.scenario import compile as _compile
from ccsim.scenario.checks import cross_checks, journey_people
from ccsim.scenario.clock import Clock
from ccsim.scenario.fields import Name
from ccsim.scenario.journeys import Journeys, Persona, Reason
from ccsim.scenario.loading import deep_merge, preset_path, read_toml, resolve_extends, toml_where
from ccsim.scenario.messages import StrictTable, plain_error, short
from ccsim.scenario.tables import AgentGroup, Arrivals, Callback, CallType, Horizon, Routing, Site, Targets
from ccsim.simulation import model as m

__all__ = ["Scenario", "load_preset", "load_scenario"]

_BASE_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar("ccsim_scenario_base_dir", default=None)
"""Folder that relative profile paths resolve against while a scenario validates (pydantic may call
``__init__`` without the validation context, so the folder travels in a context variable)."""


class Scenario(StrictTable):
    """A whole contact center for one simulated day, or ``horizon.days`` days; see ``data/scenarios/README.md`` for every field."""

    name: Name = "scenario"
    description: str = ""
    horizon: Horizon
    sites: tuple[Site, ...] = ()
    """Sites; leave out for one site called 'main' at UTC+0, open the whole horizon."""
    call_types: tuple[CallType, ...] = Field(min_length=1)
    arrivals: Arrivals
    agent_groups: tuple[AgentGroup, ...] = Field(min_length=1)
    routing: Routing = Routing()
    callback: Callback | None = None
    targets: Targets = Targets()
    journeys: Journeys | None = None
    """Members with issues who call again (first-contact resolution, repeat contacts); None: calls only."""

    _shares: tuple[float, ...] = PrivateAttr(default=())
    _people: tuple[tuple[Persona, ...], tuple[Reason, ...]] | None = PrivateAttr(default=None)
    _base_dir: Path | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Same fields (and so the same profile shares and personas); where the file was read from does not matter."""
        return (
            type(other) is type(self)
            and self.__dict__ == other.__dict__
            and self._shares == other._shares
            and self._people == other._people
        )

    __hash__ = None  # type: ignore[assignment]

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, base_dir: str | Path | None = None) -> Scenario:
        """Validate a dict (as read from TOML); ``extends`` is merged first; profiles resolve beside ``base_dir``."""
        if not isinstance(data, dict):
            raise ScenarioError("scenario", short(data), "a table of scenario fields")
        base = Path(base_dir) if base_dir is not None else None
        return _validate_in(cls, resolve_extends(data, base, []), base)

    @classmethod
    def from_toml(cls, text: str, *, base_dir: str | Path | None = None, source: str = "<text>") -> Scenario:
        """Validate a scenario given as TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise plain_error("scenario file", source, f"{source}: not valid TOML ({toml_where(e)})") from None
        return cls.from_dict(data, base_dir=base_dir)

    def updated(self, changes: dict[str, Any]) -> Scenario:
        """A new, re-validated scenario with ``changes`` merged in (tables merge, arrays replace).

        E.g. ``s.updated({"arrivals": {"surge_multiplier": 3}})``.
        """
        if not isinstance(changes, dict):
            raise ScenarioError("changes", short(changes), "a table of scenario fields to change")
        data = deep_merge(self.model_dump(mode="python"), changes)
        return _validate_in(Scenario, data, self._base_dir)

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        self._base_dir = (info.context or {}).get("base_dir", _BASE_DIR.get())
        self._shares = cross_checks(self, self._base_dir)
        self._people = journey_people(self, self._base_dir)
        return self

    # -- derived values -------------------------------------------------------------------------

    @property
    def site_list(self) -> tuple[Site, ...]:
        """The sites, or the single default site 'main'."""
        return self.sites or (Site(name="main"),)

    @property
    def clock(self) -> Clock:
        """Local times at the sites ↔ minutes after the horizon start."""
        return Clock(self.horizon, self.site_list)

    @property
    def profile_shares(self) -> tuple[float, ...]:
        """Each interval's share of ``arrivals.calls_per_day`` (empty when calls are given per interval)."""
        return self._shares

    @property
    def people(self) -> tuple[tuple[Persona, ...], tuple[Reason, ...]] | None:
        """``(personas, reasons)`` of ``[journeys]`` (inline, from its personas file, or the defaults); None without journeys."""
        return self._people

    @property
    def intervals(self) -> int:
        """Number of intervals in the whole horizon, every day (``horizon.intervals`` is one day's)."""
        return self.horizon.total_intervals

    @property
    def interval_s(self) -> float:
        """Interval length, seconds."""
        return self.horizon.interval_min * 60.0

    @property
    def horizon_s(self) -> float:
        """Horizon length, seconds: every day but the last is 24 h, the last ends with the day's hours."""
        return self.intervals * self.interval_s

    def site_volume_shares(self, i: int) -> dict[str, float]:
        """Share of interval ``i``'s calls arriving at each site: the split among the sites open then, renormalised."""
        return _compile.site_volume_shares(self, self.clock, i)

    def to_model(self, days: int | None = None) -> m.CenterModel:
        """Compile to the engine's :class:`~ccsim.simulation.model.CenterModel` (seconds, shrinkage and surge applied).

        ``days``: simulate that many days instead of ``horizon.days`` (the same as
        ``updated({"horizon": {"days": days}}).to_model()``).
        """
        if days is not None:
            return self.updated({"horizon": {"days": days}}).to_model()
        return _compile.to_model(self)


def _validate_in(cls: type[Scenario], data: Any, base_dir: Path | None) -> Scenario:
    token = _BASE_DIR.set(base_dir)
    try:
        return cls.model_validate(data)
    finally:
        _BASE_DIR.reset(token)


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario TOML file; profiles resolve beside it first."""
    path = Path(path)
    data = resolve_extends(read_toml(path), path.parent, [path.resolve()])
    return Scenario.from_dict(data, base_dir=path.parent)


def load_preset(name: str) -> Scenario:
    """The preset scenario ``name`` (e.g. ``"classroom"``; ``.toml`` optional) from ``data/scenarios/``."""
    return load_scenario(preset_path(name))
