"""The simulation engine: callers, queues, agents and a router as SimPy processes → a per-contact log.

The story of one simulated day:

* **Callers arrive** (a Poisson process whose rate is constant within each interval), spend
  ``menu_time_s`` in the voice menu, then join the queue for the skill their call type needs.
* **The router** hands an arriving caller to an idle agent who has the skill (the group that has
  the skill at the best priority first, then the agent idle longest); if nobody is free the
  caller waits in the queue, first come, first served.
* **Agents** work their time on duty: take the longest-waiting caller from the queues of their
  skills (best skill priority first), handle the call, and repeat; when no caller waits they wait
  to be offered one. When staffing falls an agent leaves when idle, or after the call in progress.
* **Callers hang up** when their patience runs out. The give-up time (queue entry + patience) is
  known when the caller joins, so abandonment needs no event of its own: when an agent looks at a
  queue, callers at its head whose give-up time has passed are taken off as having hung up at
  that time (exact for first-come-first-served queues).
* **After the horizon** no more callers arrive; the agents on duty at the end stay until the queue
  is empty, for at most ``max_drain_s`` seconds. Anyone still waiting then is *unanswered*.

Randomness: one :class:`numpy.random.SeedSequence` per run, and one Generator per stream
(arrivals per arrival stream, handle time per call type, patience per call type) derived from it
by a fixed spawn key (see :data:`STREAMS`), so changing the patience never moves an arrival.
Handle times and patience are drawn in vectorised batches before the run, one per contact.

Extending (skills are already pooled across groups): the router's two questions, which idle agent
takes an arriving caller (:meth:`Router.caller_arrives`) and which waiting caller a freed agent
takes (:meth:`Router.next_caller`), are where site-first routing and overflow after N seconds go;
transfers and back-office hand-offs continue a contact where the agent's call ends in
:meth:`_Simulation.agent_on_duty`; shifts are staffing step functions (:meth:`_Simulation.staffing_plan`);
new random draws get a new entry in :data:`STREAMS`.

Time per simulated call does not grow with the size of the center: idle agents wait in a deque
per agent group, queues are deques, and the log is a set of preallocated lists turned into one
DataFrame at the end.
"""

from __future__ import annotations

import math
import warnings as _warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np
import pandas as pd
import simpy

from .errors import CcsimInputError, check_number
from .model import AgentGroup, CenterModel

__all__ = [
    "OUTCOMES",
    "STREAMS",
    "CcsimWarning",
    "OverloadWarning",
    "SimulationResult",
    "seconds_per_interval",
    "simulate",
    "stream_generator",
]

OUTCOMES: tuple[str, ...] = ("answered", "abandoned", "unanswered")
"""Every caller ends in exactly one of these (the categories of ``contacts['outcome']``)."""
ANSWERED, ABANDONED, UNANSWERED = 0, 1, 2

STREAMS: dict[str, int] = {"arrivals": 0, "handle_time": 1, "patience": 2}
"""Spawn key of each random stream within a run. New streams get new numbers; never renumber."""

AGENT_STATES: tuple[str, ...] = ("available", "busy")


class CcsimWarning(UserWarning):
    """Base class of the warnings ccsim issues (plain sentences, meant for a learner)."""


class OverloadWarning(CcsimWarning):
    """Demand exceeds what the agents on duty can handle, or callers were still waiting at the end."""


# ---------------------------------------------------------------------------------------------
# randomness


def _seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    value = check_number("seed", seed, low=0, integer=True)
    return np.random.SeedSequence(int(value))


def stream_generator(seed: int | np.random.SeedSequence, stream: str, index: int = 0) -> np.random.Generator:
    """The Generator of one random ``stream`` (a key of :data:`STREAMS`) for item ``index`` (call type, arrival stream).

    Built from the run's seed sequence by an explicit spawn key, so it does not depend on how many
    children were spawned from ``seed`` before, and adding a stream never shifts another's numbers.
    """
    ss = _seed_sequence(seed)
    key = tuple(ss.spawn_key) + (STREAMS[stream], index)
    return np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=key, pool_size=ss.pool_size))


# ---------------------------------------------------------------------------------------------
# time bookkeeping


def seconds_per_interval(start_s: np.ndarray, end_s: np.ndarray, interval_s: float, intervals: int) -> np.ndarray:
    """Seconds that the spans ``[start_s, end_s)`` cover within each interval ``[k·interval_s, (k+1)·interval_s)``.

    Spans crossing a boundary are split across intervals; time outside ``[0, intervals·interval_s)``
    is left out. O(n log n), no per-span Python loop.
    """
    start = np.sort(np.asarray(start_s, dtype=float))
    end = np.sort(np.asarray(end_s, dtype=float))
    edges = np.arange(intervals + 1, dtype=float) * interval_s

    def covered_before(t: np.ndarray) -> np.ndarray:
        # total of min(end, t) - min(start, t) over all spans = Σ_{start<t}(t-start) - Σ_{end<t}(t-end)
        cs = np.concatenate(([0.0], np.cumsum(start)))
        ce = np.concatenate(([0.0], np.cumsum(end)))
        ks = np.searchsorted(start, t, side="left")
        ke = np.searchsorted(end, t, side="left")
        return (ks * t - cs[ks]) - (ke * t - ce[ke])

    return np.diff(covered_before(edges))


# ---------------------------------------------------------------------------------------------
# the moving parts


class Queue:
    """Callers waiting for one skill, first come first served, with lazy abandonment.

    ``waiting`` holds contact ids in order of queue entry; callers whose give-up time has passed
    stay in it until an agent looks at the head (:meth:`next_live`), which drops them. Their
    outcome (abandoned at their give-up time) is settled when the log is built.
    """

    __slots__ = ("skill", "waiting", "servers", "_give_up_s")

    def __init__(self, skill: str, give_up_s: list[float]):
        self.skill = skill
        self.waiting: deque[int] = deque()
        self.servers: list[Group] = []
        """Agent groups with this skill, best skill priority first (then in model order)."""
        self._give_up_s = give_up_s

    def join(self, contact: int) -> None:
        self.waiting.append(contact)

    def head(self, now: float) -> int:
        """The longest-waiting caller still on the line at ``now`` (not removed), or -1."""
        waiting, give_up = self.waiting, self._give_up_s
        while waiting:
            contact = waiting[0]
            if give_up[contact] > now:
                return contact
            waiting.popleft()  # hung up before anyone was free: abandoned at give_up_s
        return -1

    def next_live(self, now: float) -> int:
        """Take the longest-waiting caller still on the line at ``now`` off the queue, or -1."""
        waiting, give_up = self.waiting, self._give_up_s
        while waiting:
            contact = waiting.popleft()
            if give_up[contact] > now:
                return contact
        return -1


class Offer(simpy.Event):
    """What an idle agent waits for: a caller to answer.

    The router accepts it on the agent's behalf with the caller's id, and it fires when that call
    ends, so a call offered to an idle agent costs one event, as a call taken from the queue does
    (SimPy's own Timeout is built the same way: a value, then scheduled after a delay).
    """

    def accept(self, contact: int, handle_s: float) -> None:
        self._ok = True
        self._value = contact
        self.env.schedule(self, simpy.events.NORMAL, handle_s)


class Agent:
    """One agent: an id, the group, whether rostered on duty, and the event an idle agent waits on."""

    __slots__ = ("id", "group", "rostered", "on_duty", "offer", "duty_start_s")

    def __init__(self, agent_id: int, group: "Group"):
        self.id = agent_id
        self.group = group
        self.rostered = False
        """On the roster now (staffing says so); an agent may still be on duty finishing a call."""
        self.on_duty = False
        """Its on-duty process is running."""
        self.offer: Offer | None = None
        self.duty_start_s = 0.0


class Group:
    """Agents with the same skills at one site; ``idle`` is a deque, the agent idle longest first."""

    __slots__ = ("index", "spec", "agents", "idle", "levels")

    def __init__(self, index: int, spec: AgentGroup, first_id: int, size: int):
        self.index = index
        self.spec = spec
        self.agents = [Agent(first_id + k, self) for k in range(size)]
        self.idle: deque[Agent] = deque()
        self.levels: list[list[Queue]] = []
        """Queues of this group's skills, grouped by skill priority, best first."""

    @property
    def rostered(self) -> int:
        return sum(a.rostered for a in self.agents)


class Router:
    """Decides which idle agent takes an arriving caller, and which waiting caller a freed agent takes."""

    def __init__(
        self, queues: list[Queue], queue_entry_s: list[float], handle_s: list[float], answer_s: list[float], agent_of: list[int]
    ):
        self.queues = queues
        self._entry = queue_entry_s
        self._handle = handle_s
        self._answer_s = answer_s
        self._agent_of = agent_of

    def caller_arrives(self, contact: int, queue: Queue) -> None:
        """Offer the caller to an idle agent with the skill (best skill priority first), else queue them."""
        for group in queue.servers:
            if group.idle:
                agent = group.idle.popleft()  # the agent idle longest
                self._answer_s[contact] = self._entry[contact]
                self._agent_of[contact] = agent.id
                agent.offer.accept(contact, self._handle[contact])  # type: ignore[union-attr]
                return
        queue.join(contact)

    def next_caller(self, agent: Agent, now: float) -> int:
        """The caller a freed agent takes: best skill priority first, then the one waiting longest; -1 if none."""
        for level in agent.group.levels:
            if len(level) == 1:
                contact = level[0].next_live(now)
                if contact >= 0:
                    return contact
                continue
            best: Queue | None = None
            best_entry = math.inf
            for queue in level:
                contact = queue.head(now)
                if contact >= 0 and self._entry[contact] < best_entry:
                    best, best_entry = queue, self._entry[contact]
            if best is not None:
                return best.waiting.popleft()
        return -1


# ---------------------------------------------------------------------------------------------
# result


@dataclass
class SimulationResult:
    """What one run produced: the per-contact log and the agents' time on duty. Times in seconds.

    ``contacts``: one row per caller, in arrival order, columns ``contact_id``, ``call_type``,
    ``site`` (the caller's), ``interval`` (arrival interval index), ``arrival_s``, ``queue_entry_s``,
    ``answer_s`` (NaN if not answered), ``abandon_s`` (NaN unless abandoned), ``end_s`` (call
    finished, hung up, or cut off), ``wait_s`` (seconds in the queue), ``handle_time_s`` (NaN if not
    answered), ``outcome`` (Categorical: answered, abandoned, unanswered), ``agent`` (id, -1 if
    none), ``agent_group`` (name, missing if none).

    ``on_duty``: one row per span of time an agent was on duty (``agent``, ``agent_group``,
    ``site``, ``start_s``, ``end_s``). ``staffed_s_per_interval``: agent-seconds on duty in each
    interval of the horizon, so occupancy = busy seconds / staffed seconds.
    """

    contacts: pd.DataFrame
    on_duty: pd.DataFrame
    staffed_s_per_interval: np.ndarray
    model: CenterModel
    seed: int | np.random.SeedSequence
    horizon_s: float
    end_s: float
    """When the run ended: the last call finished, or the drain time ran out."""
    warnings: list[str] = field(default_factory=list)
    overload: str = ""
    """The :class:`OverloadWarning` sentence (also in ``warnings``), or "" if the center kept up."""
    _agent_states: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def overloaded(self) -> bool:
        return bool(self.overload)

    @property
    def interval_s(self) -> float:
        return self.model.interval_s

    def agent_states(self) -> pd.DataFrame:
        """Each agent's states over time: ``agent``, ``agent_group``, ``site``, ``state`` (available, busy), ``start_s``, ``end_s``.

        Built on first use from the contacts and the on-duty spans; busy spans are answered calls
        (answer to end), available spans are the rest of the time on duty.
        """
        if self._agent_states is None:
            self._agent_states = _agent_states(self)
        return self._agent_states


def _agent_states(result: SimulationResult) -> pd.DataFrame:
    c = result.contacts
    answered = c[c["agent"] >= 0]
    busy_by_agent: dict[int, list[tuple[float, float]]] = {}
    for agent, start, end in zip(
        answered["agent"].to_numpy(), answered["answer_s"].to_numpy(), answered["end_s"].to_numpy()
    ):
        busy_by_agent.setdefault(int(agent), []).append((float(start), float(end)))
    for spans in busy_by_agent.values():
        spans.sort()
    rows: list[tuple[int, str, str, str, float, float]] = []
    for agent, group, site, duty_start, duty_end in result.on_duty[["agent", "agent_group", "site", "start_s", "end_s"]].itertuples(
        index=False
    ):
        t = duty_start
        for start, end in busy_by_agent.get(int(agent), ()):
            if end <= duty_start or start >= duty_end:
                continue
            if start > t:
                rows.append((agent, group, site, "available", t, start))
            rows.append((agent, group, site, "busy", start, end))
            t = end
        if duty_end > t:
            rows.append((agent, group, site, "available", t, duty_end))
    df = pd.DataFrame(rows, columns=["agent", "agent_group", "site", "state", "start_s", "end_s"])
    df["state"] = pd.Categorical(df["state"], categories=list(AGENT_STATES))
    df["agent"] = df["agent"].astype(np.int64)
    return df.sort_values(["agent", "start_s"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the simulation


class _Unsupported(NotImplementedError):
    pass


def _check_supported(model: CenterModel) -> None:
    """Raise NotImplementedError naming any model feature this engine does not simulate yet."""
    for ct in model.call_types:
        if ct.transfers:
            raise _Unsupported(f"call type {ct.name!r}: transfers and back-office hand-offs are not simulated yet")
        if ct.self_service_containment > 0:
            raise _Unsupported(f"call type {ct.name!r}: voice-menu self-service (self_service_containment > 0) is not simulated yet")
    if model.callback is not None:
        raise _Unsupported("call-backs (CenterModel.callback) are not simulated yet")
    if model.routing.mode != "pooled":
        raise _Unsupported(f"routing mode {model.routing.mode!r} (site first, overflow after N seconds) is not simulated yet")
    for site in model.sites:
        if site.opens_s > 0 or (site.closes_s is not None and site.closes_s < model.horizon_s):
            raise _Unsupported(f"site {site.name!r}: opening hours (opens_s/closes_s) are not simulated yet; use staffing")


def _check_model(model: CenterModel) -> None:
    check_number("interval_s", model.interval_s, low=0, low_open=True)
    check_number("answer_within_s", model.answer_within_s, low=0)
    names = [ct.name for ct in model.call_types]
    if not model.arrivals:
        raise CcsimInputError("arrivals", (), "at least one arrival stream")
    for i, stream in enumerate(model.arrivals):
        if stream.call_type not in names:
            raise CcsimInputError(f"arrivals[{i}].call_type", stream.call_type, f"one of {', '.join(names)}")
        calls = np.asarray(stream.calls_per_interval, dtype=float)
        if calls.size and (not np.all(np.isfinite(calls)) or np.any(calls < 0)):
            bad = next(c for c in stream.calls_per_interval if not (math.isfinite(c) and c >= 0))
            raise CcsimInputError(f"arrivals[{i}].calls_per_interval", bad, "numbers of calls of at least 0")
    if not model.agent_groups:
        raise CcsimInputError("agent_groups", (), "at least one agent group")
    for j, group in enumerate(model.agent_groups):
        for k, (_, n) in enumerate(group.staffing):
            check_number(f"agent_groups[{j}].staffing[{k}] agents", n, low=0, integer=True)
    skills = {s for g in model.agent_groups for s, _ in g.skills}
    all_skills = any(not g.skills for g in model.agent_groups)
    for i, ct in enumerate(model.call_types):
        if not all_skills and ct.required_skill not in skills:
            raise CcsimInputError(
                f"call_types[{i}].skill", ct.required_skill, f"a skill some agent group has ({', '.join(sorted(skills))})"
            )


class _Simulation:
    """One run: builds the callers, queues, agents and router, runs the SimPy processes, writes the log."""

    def __init__(self, model: CenterModel, seed: int | np.random.SeedSequence, max_drain_s: float | None):
        self.model = model
        self.seed = seed
        self.ss = _seed_sequence(seed)
        self.horizon_s = model.horizon_s
        if max_drain_s is None:
            max_drain_s = max(2 * self.horizon_s, 3600.0)
        self.max_drain_s = check_number("max_drain_s", max_drain_s, low=0)
        self.cutoff_s = self.horizon_s + self.max_drain_s
        self.env = simpy.Environment()
        self._draw_callers()
        self._build_center()

    # -- callers, drawn up front in vectorised batches -----------------------------------------
    def _draw_callers(self) -> None:
        model = self.model
        type_index = {ct.name: k for k, ct in enumerate(model.call_types)}
        site_names = [s.name for s in model.sites]
        for stream in model.arrivals:
            if stream.site not in site_names:
                site_names.append(stream.site)
        times, types, sites = [], [], []
        for i, stream in enumerate(model.arrivals):
            rng = stream_generator(self.ss, "arrivals", i)
            calls = np.asarray(stream.calls_per_interval, dtype=float)
            counts = rng.poisson(calls)
            starts = np.repeat(np.arange(calls.size) * model.interval_s, counts)
            t = np.sort(starts + rng.random(starts.size) * model.interval_s)
            times.append(t)
            types.append(np.full(t.size, type_index[stream.call_type], dtype=np.int32))
            sites.append(np.full(t.size, site_names.index(stream.site), dtype=np.int32))
        arrival = np.concatenate(times) if times else np.empty(0)
        order = np.argsort(arrival, kind="stable")
        self.arrival_s = arrival[order]
        self.type_code = np.concatenate(types)[order]
        self.site_code = np.concatenate(sites)[order]
        self.site_names = site_names
        n = self.n = self.arrival_s.size
        handle = np.empty(n)
        patience = np.full(n, np.inf)
        menu = np.zeros(n)
        for k, ct in enumerate(model.call_types):
            mine = np.flatnonzero(self.type_code == k)
            handle[mine] = ct.handle_time.sample(stream_generator(self.ss, "handle_time", k), mine.size)
            if ct.patience is not None:
                patience[mine] = ct.patience.sample(stream_generator(self.ss, "patience", k), mine.size)
            menu[mine] = ct.menu_time_s
        self.handle_s = handle
        self.patience_s = patience
        self.queue_entry_s = self.arrival_s + menu
        self.give_up_s = self.queue_entry_s + patience

    # -- queues, agents, router ---------------------------------------------------------------
    def _build_center(self) -> None:
        model = self.model
        skills = list(dict.fromkeys(ct.required_skill for ct in model.call_types))
        self._queue_entry = self.queue_entry_s.tolist()
        self._handle = self.handle_s.tolist()
        self._answer_s = [math.nan] * self.n
        self._agent_of = [-1] * self.n
        give_up = self.give_up_s.tolist()
        self.queues = {s: Queue(s, give_up) for s in skills}
        self.groups: list[Group] = []
        first = 0
        for j, spec in enumerate(model.agent_groups):
            size = max((n for t, n in spec.staffing if t < self.horizon_s), default=0)
            group = Group(j, spec, first, size)
            first += size
            priority = dict(spec.skills) if spec.skills else {s: 1 for s in skills}
            for p in sorted(set(priority.values())):
                level = [self.queues[s] for s in skills if priority.get(s) == p]
                if level:
                    group.levels.append(level)
            self.groups.append(group)
        for skill, queue in self.queues.items():
            ranked = []
            for group in self.groups:
                priority = dict(group.spec.skills) if group.spec.skills else {skill: 1}
                if skill in priority:
                    ranked.append((priority[skill], group.index, group))
            queue.servers = [g for _, _, g in sorted(ranked, key=lambda r: r[:2])]
        self.agents = [a for g in self.groups for a in g.agents]
        self.router = Router(list(self.queues.values()), self._queue_entry, self._handle, self._answer_s, self._agent_of)
        self.duty_spans: list[tuple[int, float, float]] = []

    # -- processes ----------------------------------------------------------------------------
    def callers_arrive(self) -> Iterator[simpy.Event]:
        """Callers come out of the voice menu into the queue of their skill, in order of queue entry."""
        env = self.env
        queue_of_type = [self.queues[ct.required_skill] for ct in self.model.call_types]
        queue_of = [queue_of_type[k] for k in self.type_code.tolist()]
        entry = self._queue_entry
        caller_arrives = self.router.caller_arrives
        order = np.argsort(self.queue_entry_s, kind="stable").tolist()
        for contact in order:
            delay = entry[contact] - env.now
            yield env.timeout(delay if delay > 0 else 0.0)
            caller_arrives(contact, queue_of[contact])

    def agent_on_duty(self, agent: Agent) -> Iterator[simpy.Event]:
        """An agent's time on duty: take the longest-waiting caller or wait to be offered one, handle the call, repeat."""
        env = self.env
        next_caller = self.router.next_caller
        idle = agent.group.idle
        answer_s, agent_of, handle = self._answer_s, self._agent_of, self._handle
        while agent.rostered:
            now = env.now
            contact = next_caller(agent, now)
            if contact >= 0:
                answer_s[contact] = now
                agent_of[contact] = agent.id
                yield env.timeout(handle[contact])
            else:
                agent.offer = Offer(env)
                idle.append(agent)
                # resumes when the call the router offered has ended (the router logs the answer),
                # or at once, with None, when taken off the roster while idle
                yield agent.offer
        agent.on_duty = False
        self.duty_spans.append((agent.id, agent.duty_start_s, env.now))

    def roster(self, group: Group, agents: int) -> None:
        """Set how many of the group's agents are on the roster: the first ``agents`` of them."""
        for k, agent in enumerate(group.agents):
            if k < agents and not agent.rostered:
                agent.rostered = True
                if not agent.on_duty:
                    agent.on_duty = True
                    agent.duty_start_s = self.env.now
                    self.env.process(self.agent_on_duty(agent))
            elif k >= agents and agent.rostered:
                agent.rostered = False  # a busy agent leaves after the call in progress
                if agent.offer is not None and not agent.offer.triggered:
                    group.idle.remove(agent)
                    agent.offer.succeed(None)

    def staffing_plan(self, group: Group) -> Iterator[simpy.Event]:
        """Agents join when staffing rises and leave (when idle, or after their call) when it falls."""
        env = self.env
        for time_s, agents in group.spec.staffing:
            if time_s <= 0 or time_s >= self.horizon_s:
                continue
            yield env.timeout(time_s - env.now)
            self.roster(group, int(agents))

    # -- run -----------------------------------------------------------------------------------
    def run(self) -> SimulationResult:
        env = self.env
        for group in self.groups:
            self.roster(group, int(group.spec.agents_at(0.0)))
            env.process(self.staffing_plan(group))
        env.process(self.callers_arrive())
        if self.horizon_s > 0:
            env.run(until=self.horizon_s)
        # drain: no more arrivals; agents on duty stay until the queue is empty, up to the cut-off
        cutoff, peek, step = self.cutoff_s, env.peek, env.step
        while peek() <= cutoff:
            step()
        cut = any(q.head(cutoff) >= 0 for q in self.queues.values())  # someone still on the line
        end_s = cutoff if cut else max(env.now, self.horizon_s)
        return self._result(end_s)

    def _result(self, end_s: float) -> SimulationResult:
        model, n = self.model, self.n
        answer = np.asarray(self._answer_s, dtype=float)
        agent = np.asarray(self._agent_of, dtype=np.int64)
        answered = agent >= 0
        abandoned = ~answered & (self.give_up_s <= self.cutoff_s)
        outcome = np.full(n, UNANSWERED, dtype=np.int8)
        outcome[answered] = ANSWERED
        outcome[abandoned] = ABANDONED
        handle = np.where(answered, self.handle_s, np.nan)
        abandon = np.where(abandoned, self.give_up_s, np.nan)
        end = np.where(answered, answer + self.handle_s, np.where(abandoned, self.give_up_s, self.cutoff_s))
        wait = np.where(answered, answer - self.queue_entry_s, end - self.queue_entry_s)
        wait = np.maximum(wait, 0.0)
        group_of_agent = np.array([a.group.index for a in self.agents], dtype=np.int64)
        group_code = np.where(answered, group_of_agent[np.where(answered, agent, 0)] if len(self.agents) else -1, -1)
        group_names = [g.name for g in model.agent_groups]
        intervals = model.intervals
        interval = np.minimum((self.arrival_s // model.interval_s).astype(np.int64), max(intervals - 1, 0))
        contacts = pd.DataFrame(
            {
                "contact_id": np.arange(n, dtype=np.int64),
                "call_type": pd.Categorical.from_codes(self.type_code, categories=[ct.name for ct in model.call_types]),
                "site": pd.Categorical.from_codes(self.site_code, categories=self.site_names),
                "interval": interval,
                "arrival_s": self.arrival_s,
                "queue_entry_s": self.queue_entry_s,
                "answer_s": answer,
                "abandon_s": abandon,
                "end_s": end,
                "wait_s": wait,
                "handle_time_s": handle,
                "outcome": pd.Categorical.from_codes(outcome, categories=list(OUTCOMES)),
                "agent": agent,
                "agent_group": pd.Categorical.from_codes(group_code, categories=group_names),
            }
        )
        # agents still on duty at the end: until the end, or until their last call ends
        last_end = np.full(len(self.agents), -math.inf)
        if answered.any():
            np.maximum.at(last_end, agent[answered], end[answered])
        spans = list(self.duty_spans)
        for a in self.agents:
            if a.on_duty:
                spans.append((a.id, a.duty_start_s, max(end_s, float(last_end[a.id]))))
        spans.sort()
        span_agent = np.array([s[0] for s in spans], dtype=np.int64)
        span_group = group_of_agent[span_agent] if spans else np.empty(0, dtype=np.int64)
        sites = list(dict.fromkeys([s.name for s in model.sites] + [g.site for g in model.agent_groups]))
        group_site = np.array([sites.index(g.site) for g in model.agent_groups], dtype=np.int64)
        on_duty = pd.DataFrame(
            {
                "agent": span_agent,
                "agent_group": pd.Categorical.from_codes(span_group, categories=group_names),
                "site": pd.Categorical.from_codes(group_site[span_group] if spans else span_group, categories=sites),
                "start_s": np.array([s[1] for s in spans], dtype=float),
                "end_s": np.array([s[2] for s in spans], dtype=float),
            }
        )
        staffed = seconds_per_interval(on_duty["start_s"].to_numpy(), on_duty["end_s"].to_numpy(), model.interval_s, intervals)
        result = SimulationResult(
            contacts=contacts,
            on_duty=on_duty,
            staffed_s_per_interval=staffed,
            model=model,
            seed=self.seed,
            horizon_s=self.horizon_s,
            end_s=float(end_s),
        )
        unanswered = int((outcome == UNANSWERED).sum())
        message = overload_message(model, [unanswered], staffed_s=float(staffed.sum()))
        if message:
            result.warnings.append(message)
            result.overload = message
        return result


def _staffing_label(model: CenterModel) -> str:
    constant = all(len({n for t, n in g.staffing if t < model.horizon_s}) <= 1 for g in model.agent_groups)
    if constant:
        total = sum(g.agents_at(0.0) for g in model.agent_groups)
        return f"{total:,} agent" + ("" if total == 1 else "s")
    return "the agents on duty"


def demand_ratio(model: CenterModel, staffed_s: float | None = None) -> float:
    """Offered workload (expected calls × mean handle time, seconds) over agent-seconds on duty during the horizon.

    Above 1 the agents cannot keep up even if they never rest. ``staffed_s`` defaults to the
    staffing plan's agent-seconds.
    """
    work = 0.0
    for stream in model.arrivals:
        work += sum(stream.calls_per_interval) * model.call_type(stream.call_type).handle_time.mean_s
    if staffed_s is None:
        staffed_s = 0.0
        for g in model.agent_groups:
            for k in range(model.intervals):
                staffed_s += g.agents_at(k * model.interval_s) * model.interval_s
    if staffed_s <= 0:
        return math.inf if work > 0 else 0.0
    return work / staffed_s


def overload_message(model: CenterModel, unanswered: Sequence[int], *, staffed_s: float | None = None) -> str:
    """The plain-sentence overload warning for one run (``unanswered`` = [count]) or many runs; "" if none is due.

    Due when demand exceeds what the agents on duty can handle, or when any caller was still
    waiting when the drain time ran out.
    """
    ratio = demand_ratio(model, staffed_s)
    counts = [int(u) for u in unanswered]
    waiting = max(counts, default=0)
    if ratio <= 1.0 and waiting == 0:
        return ""
    if math.isinf(ratio):
        head = "Calls arrive but no agents are on duty"
    elif ratio > 1.0:
        head = f"Demand is {ratio:.1f} times what {_staffing_label(model)} can handle"
    else:
        head = "The agents could not empty the queue in the time allowed after the day"
    if waiting == 0:
        if math.isinf(ratio):
            return head + ", so every caller hangs up."
        return head + "; expect long waits and many callers hanging up."
    if len(counts) == 1:
        return f"{head}; {waiting:,} caller{'' if waiting == 1 else 's'} were still waiting when the day ended."
    hit = sum(c > 0 for c in counts)
    low = min(c for c in counts if c > 0)
    spread = f"{low:,}" if low == waiting else f"{low:,} to {waiting:,}"
    return f"{head}; in {hit} of {len(counts)} runs {spread} callers were still waiting when the day ended."


def simulate(
    model: CenterModel,
    seed: int | np.random.SeedSequence = 0,
    *,
    max_drain_s: float | None = None,
) -> SimulationResult:
    """Simulate ``model`` once with ``seed`` (a whole number or a SeedSequence) → :class:`SimulationResult`.

    Arrivals stop at the horizon; the agents on duty then stay until the queue is empty, for at
    most ``max_drain_s`` seconds (default: twice the horizon, at least an hour). Callers still
    waiting then are *unanswered*. An overloaded center adds a sentence to ``result.warnings``
    and issues an :class:`OverloadWarning`. Features the engine does not simulate yet
    (transfers, call-backs, self-service, site-first routing, opening hours) raise NotImplementedError.
    """
    if not isinstance(model, CenterModel):
        raise CcsimInputError("model", type(model).__name__, "a ccsim.model.CenterModel")
    _check_supported(model)
    _check_model(model)
    result = _Simulation(model, seed, max_drain_s).run()
    for message in result.warnings:
        _warnings.warn(message, OverloadWarning if message == result.overload else CcsimWarning, stacklevel=2)
    return result
