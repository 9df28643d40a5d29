"""What the engine simulates: plain frozen dataclasses, checked when built, times in seconds.

A :class:`CenterModel` is built by :mod:`ccsim.scenario` (from TOML or Python) or, for the single
queue of the core labs, by :meth:`CenterModel.single_queue`. The engine reads nothing else. Each
class checks its fields when built and raises :class:`~ccsim.errors.CcsimInputError` (one sentence
naming the field) for a bad value, so a model that exists is valid and the engine checks nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ccsim.errors import CcsimInputError, check_number
from ccsim.simulation.distributions import Distribution
from ccsim.simulation.members import Journeys
from ccsim.simulation.routing import routing_policy
from ccsim.simulation.staffing import Steps, agents_at, open_at, open_staffing

TRANSFER_TOLERANCE = 1e-9
"""Transfer probabilities of one call type may add up to 1 plus this much; from 1 minus this much on, a transfer is certain."""


def _named(kind: str, name: str, attribute: str) -> str:
    """The field name in an error about ``attribute`` of the ``kind`` called ``name``, e.g. ``call type 'billing' menu_time_s``."""
    return f"{kind} {name!r} {attribute}"


@dataclass(frozen=True)
class Site:
    """A contact-center site: its UTC offset (for display) and its opening hours, one block ``[opens_s, closes_s)``.

    Hours never wrap past midnight: ``closes_s`` is at least ``opens_s``, both counted from the
    start of the horizon (the scenario turns local hours into this one block).

    >>> east = Site("East", opens_s=3600.0, closes_s=7200.0)
    >>> east.is_open(3599.0), east.is_open(3600.0), east.is_open(7200.0), Site("main").is_open(86400.0)
    (False, True, False, True)
    """

    name: str
    utc_offset_h: float = 0.0
    opens_s: float = 0.0
    """Opening time, seconds from the start of the horizon."""
    closes_s: float | None = None
    """Closing time, seconds from the start of the horizon; None: open the whole horizon."""

    def __post_init__(self) -> None:
        check_number(_named("site", self.name, "utc_offset_h"), self.utc_offset_h, low=-24, high=24)
        check_number(_named("site", self.name, "opens_s"), self.opens_s, low=0)
        if self.closes_s is not None:
            check_number(_named("site", self.name, "closes_s"), self.closes_s, low=self.opens_s)

    def is_open(self, time_s: float) -> bool:
        """Whether the site is open ``time_s`` seconds after the horizon start (a site without hours always is)."""
        return open_at(time_s, self.opens_s, self.closes_s)

    def while_open(self, staffing: Steps) -> Steps:
        """The ``staffing`` steps with nobody on duty while the site is closed."""
        return open_staffing(staffing, self.opens_s, self.closes_s)


@dataclass(frozen=True)
class Transfer:
    """After handling, a call of one type moves on with ``probability``: a warm transfer, a consult or a back-office hand-off.

    * ``to_call_type`` given: a **warm transfer**, the caller joins that call type's queue, keeping
      their history (a new leg of the same contact);
    * ``to_call_type`` given and ``consult``: a **consult**, the agent stays on the line and reaches
      an agent of that call type's skill, who is held for that call type's handle time; the caller
      never queues again. After the consult the issue is resolved with ``resolves_share``. If no one
      answers within ``max_hold_s`` the agent ends the call unresolved;
    * ``to_call_type=None``: a **back-office hand-off**, done ``back_office_s`` seconds after the call
      ended, or after a delay drawn from ``back_office`` when given (no agent).
    """

    probability: float
    to_call_type: str | None = None
    back_office_s: float = 0.0
    back_office: Distribution | None = None
    """Back-office processing time, seconds, drawn per hand-off; None: ``back_office_s`` every time."""
    consult: bool = False
    resolves_share: float = 1.0
    """After a consult, the chance the issue is resolved."""
    max_hold_s: float = 300.0
    """Longest an agent waits for a consult to be answered, seconds."""

    def __post_init__(self) -> None:
        check_number("transfer probability", self.probability, low=0, high=1)
        check_number("transfer back_office_s", self.back_office_s, low=0)
        check_number("transfer resolves_share", self.resolves_share, low=0, high=1)
        check_number("transfer max_hold_s", self.max_hold_s, low=0)
        if self.back_office is not None and not isinstance(self.back_office, Distribution):
            raise CcsimInputError("transfer back_office", self.back_office, "None or " + _DISTRIBUTION)
        if self.consult and self.to_call_type is None:
            raise CcsimInputError(
                "transfer consult", "without to_call_type", "a consult naming the call type consulted"
            )

    @property
    def requeues(self) -> bool:
        """The caller joins another queue (a warm transfer; not a consult or a back-office hand-off)."""
        return self.to_call_type is not None and not self.consult


@dataclass(frozen=True)
class CallType:
    """A kind of call: its handle time, the callers' patience and the skill needed to answer it."""

    name: str
    handle_time: Distribution
    """Talk plus wrap-up time of one call, seconds."""
    patience: Distribution | None = None
    """How long a caller waits in the queue before hanging up, seconds (the clock starts after the voice menu); None: callers never hang up."""
    skill: str | None = None
    """Skill an agent needs to answer; None means the call type's own name."""
    tier: str = "generalist"
    menu_containment: float = 0.0
    """Probability the voice menu resolves the call with no agent (0–1)."""
    menu_time_s: float = 0.0
    """Seconds a caller spends in the voice menu before self-service ends or the queue begins."""
    transfers: tuple[Transfer, ...] = ()
    resolution_share: float | None = None
    """With journeys: chance an answered call resolves the member's issue; the rest of what no transfer,
    consult or hand-off takes is left unresolved. None: every call not moved on resolves."""

    def __post_init__(self) -> None:
        if not isinstance(self.handle_time, Distribution):
            raise CcsimInputError(_named("call type", self.name, "handle_time"), self.handle_time, _DISTRIBUTION)
        if self.patience is not None and not isinstance(self.patience, Distribution):
            raise CcsimInputError(_named("call type", self.name, "patience"), self.patience, "None or " + _DISTRIBUTION)
        check_number(_named("call type", self.name, "menu_containment"), self.menu_containment, low=0, high=1)
        check_number(_named("call type", self.name, "menu_time_s"), self.menu_time_s, low=0)
        total = sum(t.probability for t in self.transfers)
        if total > 1 + TRANSFER_TOLERANCE:
            raise CcsimInputError(
                _named("call type", self.name, "transfers probabilities"), round(total, 9), "a total of at most 1"
            )
        if self.resolution_share is not None:
            check_number(
                _named("call type", self.name, "resolution_share"),
                self.resolution_share,
                low=0,
                high=max(0.0, 1 - total) + TRANSFER_TOLERANCE,
            )

    @property
    def resolves(self) -> float:
        """Chance an answered call resolves the issue outright (journeys): ``resolution_share``, or all that stays."""
        stays = max(0.0, 1 - sum(t.probability for t in self.transfers))
        return stays if self.resolution_share is None else min(self.resolution_share, stays)

    @property
    def required_skill(self) -> str:
        return self.skill or self.name


_DISTRIBUTION = "a Distribution of seconds (Exponential, Lognormal or Fixed)"


@dataclass(frozen=True)
class AgentGroup:
    """Agents at one site with the same skills; staffing is a step function over time."""

    name: str
    staffing: tuple[tuple[float, int], ...]
    """(time_s, agents on duty from that time on), sorted by time; nobody is on duty before the first step."""
    skills: tuple[tuple[str, int], ...] = ()
    """(skill, priority) pairs; priority 1 is served first. Empty: every skill at priority 1."""
    site: str = "main"
    tier: str = "generalist"

    def __post_init__(self) -> None:
        previous = 0.0  # steps start at 0 or later, in order of time
        for k, (time_s, agents) in enumerate(self.staffing):
            where = _named("agent group", self.name, f"staffing[{k}]")
            previous = check_number(f"{where} time_s", time_s, low=previous)
            check_number(f"{where} agents", agents, low=0, integer=True)
        for k, (_, priority) in enumerate(self.skills):
            check_number(_named("agent group", self.name, f"skills[{k}] priority"), priority, low=1, integer=True)

    def agents_at(self, time_s: float) -> int:
        """Agents on duty at ``time_s`` seconds."""
        return agents_at(self.staffing, time_s)


@dataclass(frozen=True)
class ArrivalStream:
    """Poisson arrivals of one call type at one site; the rate is constant within an interval."""

    call_type: str
    calls_per_interval: tuple[float, ...]
    """Expected calls in each interval of the horizon."""
    site: str = "main"

    def __post_init__(self) -> None:
        for k, calls in enumerate(self.calls_per_interval):
            check_number(f"arrivals of {self.call_type!r} at {self.site!r} calls_per_interval[{k}]", calls, low=0)


@dataclass(frozen=True)
class Routing:
    """How calls find agents: ``mode`` names a registered routing policy (:mod:`ccsim.simulation.routing`).

    ``pooled``: any skilled agent at any site. ``site_first``: only the caller's own site for
    ``overflow_after_s`` seconds, then any site (call sharing).
    """

    mode: str = "pooled"
    overflow_after_s: float = 0.0

    def __post_init__(self) -> None:
        routing_policy(self.mode)  # a registered name, else one sentence naming the known ones
        check_number("routing.overflow_after_s", self.overflow_after_s, low=0)


@dataclass(frozen=True)
class Callback:
    """Offer a call-back when the predicted wait exceeds ``offer_when_wait_exceeds_s``; the caller keeps their place."""

    offer_when_wait_exceeds_s: float
    acceptance_share: float = 1.0
    """Probability a caller accepts the offer (0–1)."""

    def __post_init__(self) -> None:
        check_number("callback.offer_when_wait_exceeds_s", self.offer_when_wait_exceeds_s, low=0)
        check_number("callback.acceptance_share", self.acceptance_share, low=0, high=1)


@dataclass(frozen=True)
class CenterModel:
    """Everything the engine needs for one simulated day (or any horizon); checked when built."""

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
    journeys: Journeys | None = None
    """Members, issues and repeat contacts (:mod:`ccsim.simulation.members`); None: calls only, as before."""

    def __post_init__(self) -> None:
        check_number("interval_s", self.interval_s, low=0, low_open=True)
        check_number("answer_within_s", self.answer_within_s, low=0)
        for what, items in (("call_types", self.call_types), ("agent_groups", self.agent_groups)):
            if not items:
                raise CcsimInputError(what, (), f"at least one {what[:-1].replace('_', ' ')}")
        for what, names in (
            ("call_types", [c.name for c in self.call_types]),
            ("agent_groups", [g.name for g in self.agent_groups]),
            ("sites", [s.name for s in self.sites]),
        ):
            k = first_repeat(names)
            if k >= 0:
                raise CcsimInputError(f"{what} names", names[k], "a name used only once")
        if not self.arrivals:
            raise CcsimInputError("arrivals", (), "at least one arrival stream")
        names = [ct.name for ct in self.call_types]
        for i, stream in enumerate(self.arrivals):
            if stream.call_type not in names:
                raise CcsimInputError(f"arrivals[{i}].call_type", stream.call_type, f"one of {', '.join(names)}")
        _check_skills(self)
        _check_transfers(self)
        if self.journeys is not None:
            if not isinstance(self.journeys, Journeys):
                raise CcsimInputError(
                    "journeys", type(self.journeys).__name__, "None or a ccsim.simulation.members.Journeys"
                )
            self.journeys.check_call_types(names)

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


def first_repeat(names: Sequence[str]) -> int:
    """Index of the first name used earlier in ``names`` (the model and the scenario want each name once); -1 if none.

    >>> first_repeat(["East", "West", "East"]), first_repeat(["East", "West"])
    (2, -1)
    """
    seen: set[str] = set()
    for k, name in enumerate(names):
        if name in seen:
            return k
        seen.add(name)
    return -1


def _check_skills(model: CenterModel) -> None:
    """Every call type's skill must be one some agent group has (a group with no skills listed has them all)."""
    if any(not g.skills for g in model.agent_groups):
        return
    skills = {s for g in model.agent_groups for s, _ in g.skills}
    for i, ct in enumerate(model.call_types):
        if ct.required_skill not in skills:
            raise CcsimInputError(
                f"call_types[{i}].skill",
                ct.required_skill,
                f"a skill some agent group has ({', '.join(sorted(skills))})",
            )


def _check_transfers(model: CenterModel) -> None:
    """Transfers go to known call types, and certain transfers (probability 1) never come back around."""
    names = [ct.name for ct in model.call_types]
    for i, ct in enumerate(model.call_types):
        for k, t in enumerate(ct.transfers):
            if t.to_call_type is not None and t.to_call_type not in names:
                raise CcsimInputError(
                    f"call_types[{i}].transfers[{k}].to_call_type",
                    t.to_call_type,
                    f"None (back office) or one of {', '.join(names)}",
                )
    _check_consults(model)
    loop = certain_transfer_loop(model.call_types)
    if loop:
        name = model.call_types[loop[0][0]].name
        raise CcsimInputError(f"call type {name!r} transfers", "a loop with probability 1", "transfers that end")


def _check_consults(model: CenterModel) -> None:
    """A consulted call type consults no one itself, and no agent group answers both sides (an agent cannot consult itself)."""
    for i, ct in enumerate(model.call_types):
        for k, t in enumerate(ct.transfers):
            if not t.consult:
                continue
            where = f"call_types[{i}].transfers[{k}].to_call_type"
            target = model.call_type(t.to_call_type or "")
            if any(u.consult for u in target.transfers):
                raise CcsimInputError(where, target.name, "a call type that consults no one itself")
            for g in model.agent_groups:
                if _answers(g, ct.required_skill) and _answers(g, target.required_skill):
                    raise CcsimInputError(
                        where,
                        target.name,
                        f"a call type that no agent group answering {ct.name!r} also answers ({g.name!r} answers both)",
                    )


def _answers(group: AgentGroup, skill: str) -> bool:
    return not group.skills or any(s == skill for s, _ in group.skills)


class _TransferLike(Protocol):
    @property
    def probability(self) -> float: ...
    @property
    def to_call_type(self) -> str | None: ...


class _CallTypeLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def transfers(self) -> Sequence[_TransferLike]: ...


def certain_transfer_loop(call_types: Sequence[_CallTypeLike]) -> list[tuple[int, int]]:
    """One loop of transfers that nobody leaves, as (call type index, transfer index) steps; empty if none.

    A call type's calls end when its transfers to other queues add up to less than 1 (within
    :data:`TRANSFER_TOLERANCE`: some calls end there or go to a back office), or when one of its
    transfers leads to a call type whose calls end; the others would transfer on for ever. The
    model (:class:`CenterModel`) and the scenario both refuse such transfers with this rule.
    Every ``to_call_type`` must name one of ``call_types``.
    """
    ends = {
        c.name for c in call_types if sum(t.probability for t in c.transfers if _requeues(t)) < 1 - TRANSFER_TOLERANCE
    }
    grew = True
    while grew:
        grew = False
        for c in call_types:
            if c.name not in ends and any(
                t.to_call_type in ends and t.probability > 0 and _requeues(t) for t in c.transfers
            ):
                ends.add(c.name)
                grew = True
    stuck = [i for i, c in enumerate(call_types) if c.name not in ends]
    if not stuck:
        return []
    index = {c.name: i for i, c in enumerate(call_types)}
    path: list[tuple[int, int]] = []
    seen: list[int] = []
    i = stuck[0]
    while i not in seen:  # every stuck call type transfers to another stuck one: follow until a repeat
        transfers = call_types[i].transfers
        j = next(
            j
            for j, t in enumerate(transfers)
            if t.probability > 0 and _requeues(t) and t.to_call_type and t.to_call_type not in ends
        )
        path.append((i, j))
        seen.append(i)
        i = index[transfers[j].to_call_type or ""]
    return path[seen.index(i) :]


def _requeues(t: _TransferLike) -> bool:
    """A warm transfer (the caller queues again), not a consult or a back-office hand-off."""
    return bool(t.to_call_type) and not getattr(t, "consult", False)
