"""Rules across tables: names that must exist elsewhere, shares of all call types, transfer loops,
lists one entry per interval, profiles that fit the horizon, shifts within the horizon, calls only
while some site is open.

Each check raises a :class:`~ccsim.scenario.messages.Problem` whose path is relative to the
scenario; :func:`cross_checks` runs them all in a fixed order (the first problem is reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ccsim.errors import ScenarioError
from ccsim.scenario.clock import Clock
from ccsim.scenario.compile import interval_calls
from ccsim.scenario.fields import minutes_of, shares_add_up_to_1
from ccsim.scenario.journeys import Persona, Reason, load_people
from ccsim.scenario.loading import load_profile
from ccsim.scenario.messages import Problem, join, number_text, short
from ccsim.scenario.tables import CallType
from ccsim.simulation.model import certain_transfer_loop, first_repeat

if TYPE_CHECKING:
    from ccsim.scenario.schema import Scenario

__all__ = ["cross_checks", "journey_people", "no_certain_transfer_loop", "profile_shares", "unique"]


def unique(field: str, names: list[str]) -> None:
    """Names within one list are unique: the second use is refused."""
    k = first_repeat(names)
    if k >= 0:
        raise Problem(f"{field}[{k}].name", names[k], "a name not used by another entry")


def _sites(s: Scenario, clock: Clock) -> None:
    site_names = [x.name for x in clock.sites]
    one_of = f"one of the sites ({', '.join(site_names)})"
    if s.horizon.clock_site is not None and s.horizon.clock_site not in site_names:
        raise Problem("horizon.clock_site", s.horizon.clock_site, one_of)
    for i, g in enumerate(s.agent_groups):
        if (g.site is None and len(s.sites) > 1) or (g.site is not None and g.site not in site_names):
            raise Problem(f"agent_groups[{i}].site", g.site, one_of)
    for k in s.arrivals.site_volume_share or {}:
        if k not in site_names:
            raise Problem(join("arrivals.site_volume_share", k), k, one_of)


def _call_types(s: Scenario) -> None:
    shares_add_up_to_1("call_types", [c.volume_share for c in s.call_types], "volume_share values")
    skills = sorted({sk for g in s.agent_groups for sk in g.skills})
    names = [c.name for c in s.call_types]
    for i, c in enumerate(s.call_types):
        if c.required_skill not in skills:
            raise Problem(
                f"call_types[{i}].skill", c.required_skill, f"a skill some agent group has ({', '.join(skills)})"
            )
        for j, t in enumerate(c.transfers):
            for key in ("to_call_type", "consult_with"):
                target = getattr(t, key)
                if target is not None and (target not in names or target == c.name):
                    others = ", ".join(n for n in names if n != c.name) or "none"
                    raise Problem(f"call_types[{i}].transfers[{j}].{key}", target, f"another call type ({others})")
    _consults(s)


def _consults(s: Scenario) -> None:
    """A consulted call type consults no one itself, and no agent group answers both sides (an agent cannot consult itself)."""
    by_name = {c.name: c for c in s.call_types}
    for i, c in enumerate(s.call_types):
        for j, t in enumerate(c.transfers):
            if t.consult_with is None:
                continue
            where = f"call_types[{i}].transfers[{j}].consult_with"
            target = by_name[t.consult_with]
            if any(u.consult_with for u in target.transfers):
                raise Problem(where, target.name, "a call type that consults no one itself")
            for g in s.agent_groups:
                if c.required_skill in g.skills and target.required_skill in g.skills:
                    raise Problem(
                        where,
                        target.name,
                        f"a call type that no agent group answering {c.name!r} also answers ({g.name!r} answers both)",
                    )


def no_certain_transfer_loop(call_types: tuple[CallType, ...]) -> None:
    """Refuse transfers that surely lead back around (the model's rule, :func:`~ccsim.simulation.model.certain_transfer_loop`): those calls would never end."""
    loop_path = certain_transfer_loop(call_types)
    if not loop_path:
        return
    loop = " → ".join([call_types[i].name for i, _ in loop_path] + [call_types[loop_path[0][0]].name])
    first, k = loop_path[0]
    c = call_types[first]
    if c.transfers[k].probability >= 1:
        raise Problem(
            f"call_types[{first}].transfers[{k}].probability",
            c.transfers[k].probability,
            f"a probability below 1 on a transfer loop ({loop} would never end)",
        )
    total = sum(t.probability for t in c.transfers if t.to_call_type)
    raise Problem(
        f"call_types[{first}].transfers",
        round(total, 6),
        "",
        f"transfers to other queues add up to {total:g} on a loop ({loop} would never end); "
        "use transfer probabilities that add up to less than 1",
    )


def profile_shares(s: Scenario, clock: Clock, base_dir: Path | None) -> tuple[float, ...]:
    """Each interval's share of ``calls_per_day`` from the profile ('flat' by default), adding up to 1."""
    n = s.horizon.intervals
    name = s.arrivals.profile or "flat"
    if name == "flat":
        return (1.0 / n,) * n
    try:
        rows = load_profile(name, base_dir)
    except ScenarioError as e:
        text = str(e)
        raise Problem(
            "arrivals.profile", name, "", text.split(": ", 1)[1] if e.field == "arrivals.profile" else text
        ) from None
    every = f"{number_text(s.horizon.interval_min)}-minute interval"
    if len(rows) != n:
        raise Problem(
            "arrivals.profile",
            name,
            f"a profile with {n} rows, one per {every} from {s.horizon.start} (it has {len(rows)})",
        )
    for k, (start, _) in enumerate(rows):
        want = clock.interval_label(k)
        if start != want:
            raise Problem(
                "arrivals.profile",
                name,
                f"a profile whose row {k + 1} starts at {want} (it starts at {start}); rows follow the horizon from {s.horizon.start} every {number_text(s.horizon.interval_min)} min",
            )
    total = sum(share for _, share in rows)
    return tuple(share / total for _, share in rows)


def _per_interval_lists(s: Scenario) -> None:
    n = s.horizon.intervals
    a = s.arrivals
    if a.calls_per_interval is not None and len(a.calls_per_interval) != n:
        raise Problem(
            "arrivals.calls_per_interval",
            short(list(a.calls_per_interval)),
            f"a list of {n} numbers, one per {number_text(s.horizon.interval_min)}-minute interval",
        )
    for i, g in enumerate(s.agent_groups):
        if g.headcount_per_interval is not None and len(g.headcount_per_interval) != n:
            raise Problem(
                f"agent_groups[{i}].headcount_per_interval",
                short(list(g.headcount_per_interval)),
                f"a list of {n} whole numbers, one per interval",
            )


def _shifts_within_horizon(s: Scenario, clock: Clock) -> None:
    for i, g in enumerate(s.agent_groups):
        site = clock.site(g.site)
        for j, sh in enumerate(g.shifts or ()):
            if clock.to_horizon_min(minutes_of(sh.start), site) + sh.hours * 60 > clock.horizon_min + 1e-9:
                lo, hi = clock.to_local(0, site), clock.to_local(clock.horizon_min, site)
                raise Problem(
                    f"agent_groups[{i}].shifts[{j}].start",
                    sh.start,
                    f"a start so the {number_text(sh.hours)}-hour shift lies within the horizon ({lo}–{hi} local time at {site.name})",
                )


def _calls_while_open(s: Scenario, clock: Clock, shares: tuple[float, ...]) -> None:
    for k, site in enumerate(s.sites):
        clock.open_window_min(site, f"sites[{k}].opens")
    for i, calls in enumerate(interval_calls(s, shares)):
        if calls > 0 and not clock.open_sites(i):
            raise Problem(
                "arrivals",
                round(calls, 6),
                "",
                f"{calls:g} calls are expected in interval {i} ({clock.interval_label(i)}) when no site is open; open a site or give that interval no calls",
            )


def _people_call_types(where: str, items: Sequence[Persona | Reason], names: list[str]) -> None:
    for k, item in enumerate(items):
        for i, name in enumerate(item.call_types):
            if name not in names:
                raise Problem(f"{where}[{k}].call_types[{i}]", name, f"one of the call types ({', '.join(names)})")


def journey_people(s: Scenario, base_dir: Path | None) -> tuple[tuple[Persona, ...], tuple[Reason, ...]] | None:
    """The personas and reasons of ``[journeys]`` (None without it), checked against the call types.

    Every persona and reason names call types of the scenario, and every call type has a persona and a
    reason with a share above 0 (someone calls on it, about something).
    """
    j = s.journeys
    if j is None:
        return None
    personas, reasons = load_people(j, base_dir)
    names = [c.name for c in s.call_types]
    file = j.personas_file
    _people_call_types("journeys.personas" if j.personas or not file else f"{file} personas", personas, names)
    _people_call_types("journeys.reasons" if j.reasons or not file else f"{file} reasons", reasons, names)
    for c in s.call_types:
        lists: tuple[tuple[str, Sequence[Persona | Reason]], ...] = (("personas", personas), ("reasons", reasons))
        for kind, items in lists:
            if sum(x.share for x in items if not x.call_types or c.name in x.call_types) <= 0:
                raise Problem(
                    f"journeys.{kind}",
                    c.name,
                    "",
                    f"no {kind[:-1]} with a share above 0 uses call type {c.name!r}; "
                    f"add {c.name!r} to the call_types of one (or leave its call_types empty for every call type)",
                )
    return personas, reasons


def cross_checks(s: Scenario, base_dir: Path | None) -> tuple[float, ...]:
    """Run every rule across tables; return the profile shares per interval (empty without ``calls_per_day``)."""
    unique("sites", [x.name for x in s.sites])
    unique("call_types", [c.name for c in s.call_types])
    unique("agent_groups", [g.name for g in s.agent_groups])
    clock = s.clock
    _sites(s, clock)
    _call_types(s)
    no_certain_transfer_loop(s.call_types)
    _per_interval_lists(s)
    shares = profile_shares(s, clock, base_dir) if s.arrivals.calls_per_day is not None else ()
    _shifts_within_horizon(s, clock)
    _calls_while_open(s, clock, shares)
    return shares
