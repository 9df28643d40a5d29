"""Compile a validated :class:`~ccsim.scenario.Scenario` to the engine's :class:`~ccsim.simulation.model.CenterModel`.

Everything becomes seconds after the horizon start: shrinkage and the surge are applied, shifts and
breaks become staffing steps, opening hours zero the staff of a closed site (by the engine's own
rule, :meth:`ccsim.simulation.model.Site.while_open`) and send each interval's calls to the sites
open then.

    >>> from ccsim.scenario import load_preset
    >>> model = to_model(load_preset("classroom"))
    >>> model.intervals, model.interval_s, model.agent_groups[0].staffing
    (16, 1800.0, ((0.0, 50),))
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import TYPE_CHECKING

from ccsim.scenario.clock import Clock
from ccsim.scenario.days import repeat_calls, repeat_staffing
from ccsim.scenario.fields import minutes_of
from ccsim.scenario.journeys import to_journeys
from ccsim.scenario.tables import AgentGroup, CallType, Transfer
from ccsim.simulation import model as m

if TYPE_CHECKING:
    from ccsim.scenario.schema import Scenario

__all__ = ["interval_calls", "site_volume_shares", "staffing_steps", "to_model"]


def interval_calls(s: Scenario, shares: tuple[float, ...]) -> list[float]:
    """Expected calls per interval, all call types and sites, surge included; ``shares``: the profile's, per interval."""
    a = s.arrivals
    if a.calls_per_interval is not None:
        base = list(a.calls_per_interval)
    else:
        base = [(a.calls_per_day or 0.0) * share for share in shares]
    return [c * a.surge_multiplier for c in base]


def site_volume_shares(s: Scenario, clock: Clock, i: int) -> dict[str, float]:
    """Share of interval ``i``'s calls arriving at each site: the split among the sites open then, renormalised."""
    sites = [x.name for x in clock.sites]
    split = s.arrivals.site_volume_share or {x: 1 / len(sites) for x in sites}
    open_now = clock.open_sites(i)
    weights = {x: split.get(x, 0.0) for x in sites if x in open_now}
    total = sum(weights.values())
    if total <= 0:
        # nobody open (no calls then, checked) or only zero-share sites open: spread over the open ones
        if open_now:
            return {x: 1 / len(open_now) for x in open_now}
        return {x: split.get(x, 0.0) for x in sites}
    return {x: w / total for x, w in weights.items()}


def _scheduled_spans(s: Scenario, clock: Clock, g: AgentGroup) -> list[tuple[float, float, int]]:
    """(from_min, to_min, scheduled agents) spans after the horizon start, before shrinkage and opening hours."""
    if g.headcount is not None:
        return [(0.0, clock.horizon_min, g.headcount)]
    if g.headcount_per_interval is not None:
        step = s.horizon.interval_min
        return [(k * step, (k + 1) * step, n) for k, n in enumerate(g.headcount_per_interval)]
    site = clock.site(g.site)
    spans = []
    for sh in g.shifts or ():
        start = clock.to_horizon_min(minutes_of(sh.start), site)
        spans += [(start + a, start + b, sh.headcount) for a, b in sh.on_intervals_min()]
    return spans


def staffing_steps(s: Scenario, clock: Clock, g: AgentGroup, factor: float = 1.0) -> tuple[tuple[float, int], ...]:
    """One day's on-duty agents as (time_s, agents) steps, zero while the site is closed.

    On duty = scheduled × (1 − shrinkage), rounded half up, where scheduled is the day's headcount
    × ``factor`` (the day of the week's), itself rounded half up.
    """
    spans = _scheduled_spans(s, clock, g)
    points = sorted({0.0, *(t for a, b, _ in spans for t in (a, b))})
    steps: list[tuple[float, int]] = []
    for t in (p for p in points if 0 <= p < clock.horizon_min):
        scheduled = sum(n for a, b, n in spans if a <= t < b)
        if factor != 1.0:
            scheduled = math.floor(scheduled * factor + 0.5)
        on = math.floor(scheduled * (1 - g.shrinkage_share) + 0.5)
        if not steps or steps[-1][1] != on:
            steps.append((t * 60.0, on))
    return clock.model_site(clock.site(g.site)).while_open(tuple(steps))


def _call_type(c: CallType) -> m.CallType:
    return m.CallType(
        name=c.name,
        handle_time=c.handle_time.to_distribution(),
        patience=c.patience.to_distribution() if c.patience is not None else None,
        skill=c.required_skill,
        tier=c.tier,
        menu_containment=float(c.menu_containment),
        menu_time_s=float(c.menu_time_s),
        transfers=tuple(_transfer(t) for t in c.transfers),
        resolution_share=None if c.resolution_share is None else float(c.resolution_share),
    )


def _transfer(t: Transfer) -> m.Transfer:
    """A warm transfer, a consult (``consult_with``) or a back-office hand-off (fixed days or a delay)."""
    if t.consult_with is not None:
        return m.Transfer(
            probability=float(t.probability),
            to_call_type=t.consult_with,
            consult=True,
            resolves_share=1.0 if t.resolves_share is None else float(t.resolves_share),
            max_hold_s=300.0 if t.max_hold_s is None else float(t.max_hold_s),
        )
    return m.Transfer(
        probability=float(t.probability),
        to_call_type=t.to_call_type,
        back_office_s=t.back_office_s,
        back_office=None if t.back_office is None else t.back_office.to_distribution(),
    )


def _arrivals(s: Scenario, clock: Clock, shares: tuple[float, ...]) -> tuple[m.ArrivalStream, ...]:
    """One stream per site and call type (sites that never get calls left out when there are several)."""
    n = s.horizon.intervals
    totals = interval_calls(s, shares)
    per_site = [site_volume_shares(s, clock, i) for i in range(n)]
    streams = []
    for site in clock.sites:
        if len(clock.sites) > 1 and not any(ps.get(site.name, 0.0) > 0 for ps in per_site):
            continue
        for c in s.call_types:
            calls = tuple(totals[i] * c.volume_share * per_site[i].get(site.name, 0.0) for i in range(n))
            calls = repeat_calls(s.horizon, s.arrivals.weekday_factors, calls)
            streams.append(m.ArrivalStream(c.name, calls, site.name))
    return tuple(streams)


def _sites(s: Scenario, clock: Clock) -> tuple[m.Site, ...]:
    """The engine's sites; over several days open all the time (closed hours are in the calls and the staffing)."""
    sites = tuple(clock.model_site(x) for x in clock.sites)
    if s.horizon.days > 1:
        sites = tuple(dataclasses.replace(x, opens_s=0.0, closes_s=None) for x in sites)
    return sites


def to_model(s: Scenario) -> m.CenterModel:
    """The engine's :class:`~ccsim.simulation.model.CenterModel` of scenario ``s`` (seconds, shrinkage and surge applied).

    Over ``horizon.days`` days (:mod:`ccsim.scenario.days`), with the members' journeys when the
    scenario has ``[journeys]``.
    """
    clock = s.clock
    groups = tuple(
        m.AgentGroup(
            name=g.name,
            staffing=repeat_staffing(s.horizon, functools.partial(staffing_steps, s, clock, g), g.weekday_factors),
            skills=tuple(sorted(g.skills.items(), key=lambda kv: (kv[1], kv[0]))),
            site=clock.site(g.site).name,
            tier=g.tier,
        )
        for g in s.agent_groups
    )
    cb = s.callback
    people = s.people
    return m.CenterModel(
        interval_s=s.interval_s,
        call_types=tuple(_call_type(c) for c in s.call_types),
        arrivals=_arrivals(s, clock, s.profile_shares),
        agent_groups=groups,
        sites=_sites(s, clock),
        routing=m.Routing(s.routing.mode, float(s.routing.overflow_after_s)),
        callback=None if cb is None else m.Callback(float(cb.offer_when_wait_exceeds_s), float(cb.acceptance_share)),
        answer_within_s=float(s.targets.answer_within_s),
        name=s.name,
        journeys=None if s.journeys is None or people is None else to_journeys(s.journeys, *people),
    )
