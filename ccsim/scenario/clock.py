"""The scenario's clock: local times of day at each site ↔ minutes after the horizon start.

The horizon starts at ``horizon.start``, local time at the clock site; each site's opening hours
and shift starts are local times at that site. Opening hours become the engine's
:class:`~ccsim.simulation.model.Site` (seconds after the horizon start); whether a site is open at a
moment is then the engine's own rule (:meth:`ccsim.simulation.model.Site.is_open`).

    >>> from ccsim.scenario.tables import Horizon, Site
    >>> clock = Clock(Horizon(start="08:00", hours=8), (Site(name="East", utc_offset_h=-5),
    ...                                                  Site(name="West", utc_offset_h=-8, opens="06:00", closes="13:00")))
    >>> clock.model_site(clock.sites[1])
    Site(name='West', utc_offset_h=-8.0, opens_s=3600.0, closes_s=None)
    >>> clock.interval_label(3), clock.open_sites(1), clock.open_sites(2)
    ('09:30', ['East'], ['East', 'West'])
"""

from __future__ import annotations

from dataclasses import dataclass

from ccsim.scenario.fields import minutes_of
from ccsim.scenario.messages import Problem
from ccsim.scenario.tables import Horizon, Site
from ccsim.simulation import model as m

__all__ = ["Clock"]


def _hhmm(minutes: float) -> str:
    t = minutes % 1440
    return f"{int(t // 60):02d}:{round(t % 60):02d}"


@dataclass(frozen=True)
class Clock:
    """The horizon and the sites (never empty: a scenario without sites has the one site 'main')."""

    horizon: Horizon
    sites: tuple[Site, ...]

    def site(self, name: str | None) -> Site:
        """The site called ``name``; None: the first site."""
        return self.sites[0] if name is None else next(s for s in self.sites if s.name == name)

    @property
    def horizon_min(self) -> float:
        return self.horizon.hours * 60

    def _start_utc_min(self) -> float:
        return minutes_of(self.horizon.start) - self.site(self.horizon.clock_site).utc_offset_h * 60

    def to_horizon_min(self, local_min: float, site: Site) -> float:
        """Minutes after the horizon start of a local time of day at ``site`` (the next such moment, within 24 h)."""
        return (local_min - site.utc_offset_h * 60 - self._start_utc_min()) % 1440

    def to_local(self, minutes: float, site: Site) -> str:
        """Local time of day 'HH:MM' at ``site``, ``minutes`` after the horizon start."""
        return _hhmm(self._start_utc_min() + site.utc_offset_h * 60 + minutes)

    def interval_label(self, i: int) -> str:
        """Start of interval ``i``, 'HH:MM' at the clock site."""
        return _hhmm(minutes_of(self.horizon.start) + i * self.horizon.interval_min)

    def open_window_min(self, site: Site, field: str = "sites.opens") -> tuple[float, float]:
        """(opens, closes) in minutes after the horizon start, clipped to the horizon; (0, 0) if never open.

        Hours that would open the site twice within the horizon are refused (a :class:`Problem` for ``field``).
        """
        h = self.horizon_min
        if site.opens is None or site.closes is None:
            return 0.0, h
        o = self.to_horizon_min(minutes_of(site.opens), site)
        length = minutes_of(site.closes) - minutes_of(site.opens)
        windows = [(o, o + length), (o - 1440, o - 1440 + length)]
        hits = [(max(0.0, a), min(h, b)) for a, b in windows if min(h, b) > max(0.0, a)]
        if len(hits) > 1:
            raise Problem(
                field,
                site.opens,
                "opening hours that form one block within the horizon (the day would see the site open twice)",
            )
        return hits[0] if hits else (0.0, 0.0)

    def model_site(self, site: Site) -> m.Site:
        """The engine's site: opening hours in seconds after the horizon start (None: open to the end)."""
        o, c = self.open_window_min(site)
        return m.Site(site.name, float(site.utc_offset_h), o * 60.0, None if c >= self.horizon_min else c * 60.0)

    def open_sites(self, i: int) -> list[str]:
        """Names of the sites open at the middle of interval ``i``."""
        mid_s = (i + 0.5) * self.horizon.interval_min * 60.0
        return [s.name for s in self.sites if self.model_site(s).is_open(mid_s)]
