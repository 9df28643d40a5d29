"""What the engine simulates: plain frozen dataclasses, already validated, times in seconds.

A :class:`CenterModel` is built by :mod:`ccsim.scenario` (from TOML or Python) or, for the single
queue of the core labs, by :meth:`CenterModel.single_queue`. The engine reads nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ccsim.simulation.distributions import Distribution


@dataclass(frozen=True)
class Site:
    """A contact-center site; ``utc_offset_h`` and opening hours are for display and shifts."""

    name: str
    utc_offset_h: float = 0.0
    opens_s: float = 0.0
    """Opening time, seconds from the start of the horizon."""
    closes_s: float | None = None
    """Closing time, seconds from the start of the horizon; None: open the whole horizon."""


@dataclass(frozen=True)
class Transfer:
    """After handling, a call of one type moves on with ``probability``.

    To another queue (``to_call_type``), keeping its history, or, with ``to_call_type=None``,
    handed off to a back office that takes ``back_office_s`` seconds to process it.
    """

    probability: float
    to_call_type: str | None = None
    back_office_s: float = 0.0


@dataclass(frozen=True)
class CallType:
    """A kind of call: its handle time, the callers' patience and the skill needed to answer it."""

    name: str
    handle_time: Distribution
    """Talk plus wrap-up time of one call, seconds."""
    patience: Distribution | None = None
    """How long a caller waits before hanging up, seconds; None: callers never hang up."""
    skill: str | None = None
    """Skill an agent needs to answer; None means the call type's own name."""
    tier: str = "generalist"
    menu_containment: float = 0.0
    """Probability the voice menu resolves the call with no agent (0–1)."""
    menu_time_s: float = 0.0
    """Seconds a caller spends in the voice menu before self-service ends or the queue begins."""
    transfers: tuple[Transfer, ...] = ()

    @property
    def required_skill(self) -> str:
        return self.skill or self.name


@dataclass(frozen=True)
class AgentGroup:
    """Agents at one site with the same skills; staffing is a step function over time."""

    name: str
    staffing: tuple[tuple[float, int], ...]
    """(time_s, agents on duty from that time on), sorted by time, the first at 0."""
    skills: tuple[tuple[str, int], ...] = ()
    """(skill, priority) pairs; priority 1 is served first. Empty: every skill at priority 1."""
    site: str = "main"
    tier: str = "generalist"

    def agents_at(self, time_s: float) -> int:
        """Agents on duty at ``time_s`` seconds."""
        on = 0
        for start, n in self.staffing:
            if start <= time_s:
                on = n
            else:
                break
        return on


@dataclass(frozen=True)
class ArrivalStream:
    """Poisson arrivals of one call type at one site; the rate is constant within an interval."""

    call_type: str
    calls_per_interval: tuple[float, ...]
    """Expected calls in each interval of the horizon."""
    site: str = "main"


@dataclass(frozen=True)
class Routing:
    """How calls find agents.

    ``pooled``: any skilled agent at any site. ``site_first``: only the caller's own site for
    ``overflow_after_s`` seconds, then any site (call sharing).
    """

    mode: Literal["pooled", "site_first"] = "pooled"
    overflow_after_s: float = 0.0


@dataclass(frozen=True)
class Callback:
    """Offer a call-back when the predicted wait exceeds ``offer_when_wait_exceeds_s``; the caller keeps their place."""

    offer_when_wait_exceeds_s: float
    acceptance_share: float = 1.0
    """Probability a caller accepts the offer (0–1)."""


@dataclass(frozen=True)
class CenterModel:
    """Everything the engine needs for one simulated day (or any horizon)."""

    interval_s: float
    call_types: tuple[CallType, ...]
    arrivals: tuple[ArrivalStream, ...]
    agent_groups: tuple[AgentGroup, ...]
    sites: tuple[Site, ...] = (Site("main"),)
    routing: Routing = field(default_factory=Routing)
    callback: Callback | None = None
    answer_within_s: float = 30.0
    """Service-level threshold T, seconds (used by KPIs and call-back offers)."""
    name: str = "center"

    @property
    def intervals(self) -> int:
        return max(len(a.calls_per_interval) for a in self.arrivals)

    @property
    def horizon_s(self) -> float:
        """Seconds during which calls arrive; agents on duty at the end stay to finish the queue."""
        return self.intervals * self.interval_s

    def call_type(self, name: str) -> CallType:
        for ct in self.call_types:
            if ct.name == name:
                return ct
        raise KeyError(name)

    @classmethod
    def single_queue(
        cls,
        calls_per_interval: Sequence[float] | float,
        agents: Sequence[int] | int,
        handle_time: Distribution,
        patience: Distribution | None = None,
        *,
        interval_s: float = 1800.0,
        intervals: int | None = None,
        answer_within_s: float = 30.0,
        name: str = "single queue",
    ) -> CenterModel:
        """One queue, one agent pool (FCFS): the classroom case.

        ``calls_per_interval`` and ``agents`` are per interval (a number repeats over ``intervals``).
        """
        if isinstance(calls_per_interval, (int, float)):
            calls = (float(calls_per_interval),) * (intervals or 1)
        else:
            calls = tuple(float(c) for c in calls_per_interval)
        n = len(calls)
        if isinstance(agents, (int, float)):
            staff = [int(agents)] * n
        else:
            staff = [int(a) for a in agents]
        steps: list[tuple[float, int]] = []
        for i, a in enumerate(staff):
            if not steps or steps[-1][1] != a:
                steps.append((i * interval_s, a))
        return cls(
            interval_s=float(interval_s),
            call_types=(CallType("calls", handle_time=handle_time, patience=patience),),
            arrivals=(ArrivalStream("calls", calls),),
            agent_groups=(AgentGroup("agents", staffing=tuple(steps)),),
            answer_within_s=float(answer_within_s),
            name=name,
        )
