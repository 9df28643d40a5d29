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

The whole contact center (issue 3) plugs into the same story:

* **Skills and priorities.** A group's skills carry priorities (1 first). A freed agent takes the
  live caller waiting longest in the queues of its best-priority skills that have one; an arriving
  caller goes to an idle agent of the group for which that skill has the best priority (a
  Cantonese-only agent before a bilingual generalist with Cantonese at priority 2), then the agent idle
  longest among all the groups at that priority (so a group listed first is not kept busier).
* **Sites.** ``Routing("pooled")``: one queue per skill, any site's agents at once.
  ``Routing("site_first", overflow_after_s=N)``: one queue per (skill, caller's site); a caller is
  offered to their own site's agents, and after waiting N seconds to every site's (call sharing):
  a freed agent at another site takes them once ``now − queue entry ≥ N`` (still longest-waiting
  first among the eligible heads), and a timed event at entry + N hands them to an agent already
  idle at another site (:class:`NetworkRouter`). Opening hours: agents of a site are on the roster
  only within ``[Site.opens_s, Site.closes_s)`` (their staffing is zeroed outside; the scenario
  compiler already does that, so for presets this changes nothing). Callers of a closed site are
  still accepted; site first, they overflow after N seconds.
* **Transfers and hand-offs.** Each visit of a caller to a queue is a *leg*. When an agent's call
  ends, with ``Transfer.probability`` the caller joins another call type's queue as a new leg of the
  same contact (new handle time and patience, drawn from the ``transfer_*`` streams), or, with
  ``to_call_type=None``, is handed to the back office (``back_office_done_s`` = end + back_office_s,
  no agent). The contacts log keeps one row per caller (``transfers``, ``final_call_type``,
  ``queue``, ``final_outcome``); :attr:`SimulationResult.legs` has one row per leg.
* **Self-service.** With ``menu_containment`` p, a caller is resolved by the voice menu
  with probability p after ``menu_time_s`` and never queues (outcome ``self_service``).
* **Call-backs.** A caller who joins a queue when :meth:`NetworkRouter.predicted_wait_s` exceeds
  ``Callback.offer_when_wait_exceeds_s`` is offered a call-back and accepts with ``acceptance_share``:
  they keep their place but no longer hang up; the agent whose turn it is calls them back
  (outcome ``callback``, answered when called back).
* **Shifts.** Staffing steps per group (opening hours applied); a call in progress is finished
  before the agent leaves, whatever the agent's skills and site.

The single-queue classroom case keeps its fast path (:class:`Router`, no per-call checks for
features it does not use): the network router and the transfer-aware agent loop are chosen only
when the model uses site-first routing, call-backs or transfers.

Time per simulated call does not grow with the size of the center: idle agents wait in a deque
per agent group, queues are deques, and the log is a set of preallocated lists turned into one
DataFrame at the end.
"""

from __future__ import annotations

import math
import warnings as _warnings
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from ccsim.errors import CcsimInputError, CcsimWarning, OverloadWarning, check_number
from ccsim.simulation.model import AgentGroup, CenterModel

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

OUTCOMES: tuple[str, ...] = ("answered", "abandoned", "unanswered", "self_service", "callback")
"""Every caller ends in exactly one of these (the categories of ``contacts['outcome']``).

*self_service*: resolved by the voice menu, never queued; *callback*: accepted a call-back offer and
was called back by an agent (answered at the call-back time)."""
ANSWERED, ABANDONED, UNANSWERED, SELF_SERVICE, CALLBACK = 0, 1, 2, 3, 4

STREAMS: dict[str, int] = {
    "arrivals": 0,
    "handle_time": 1,
    "patience": 2,
    "self_service": 3,
    "transfer": 4,
    "transfer_handle_time": 5,
    "transfer_patience": 6,
    "callback": 7,
}
"""Spawn key of each random stream within a run. New streams get new numbers; never renumber."""

AGENT_STATES: tuple[str, ...] = ("available", "busy")

MAX_EXPECTED_CALLS = 5_000_000
"""Most calls :func:`simulate` accepts in one run: the expected offered calls over the horizon (the sum
of every arrival stream's ``calls_per_interval``). Each call costs a few hundred bytes of log, so this
keeps one run to a few gigabytes at most; a larger model raises :class:`~ccsim.errors.CcsimInputError`."""


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

    __slots__ = (
        "_give_up_s",
        "overflow_levels",
        "overflow_servers",
        "server_levels",
        "servers",
        "site",
        "skill",
        "waiting",
    )

    def __init__(self, skill: str, give_up_s: list[float], site: int = -1):
        self.skill = skill
        self.site = site
        """Index of the callers' site for site-first routing; -1: one queue for every site (pooled)."""
        self.waiting: deque[int] = deque()
        self.servers: list[Group] = []
        """Agent groups offered a caller on arrival (with this skill; site first: at the queue's site), best skill priority first."""
        self.overflow_servers: list[Group] = []
        """Site first: groups with this skill at the other sites, offered a caller once overflow opens."""
        self.server_levels: list[list[Group]] = []
        """``servers`` split by skill priority, best first: within a level the agent idle longest answers."""
        self.overflow_levels: list[list[Group]] = []
        """``overflow_servers`` split by skill priority, best first."""
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

    __slots__ = ("duty_start_s", "group", "id", "idle_since_s", "offer", "on_duty", "rostered")

    def __init__(self, agent_id: int, group: Group):
        self.id = agent_id
        self.group = group
        self.rostered = False
        """On the roster now (staffing says so); an agent may still be on duty finishing a call."""
        self.on_duty = False
        """Its on-duty process is running."""
        self.offer: Offer | None = None
        self.duty_start_s = 0.0
        self.idle_since_s = 0.0
        """When the agent last became idle (waiting for a caller), seconds."""


class Group:
    """Agents with the same skills at one site; ``idle`` is a deque, the agent idle longest first."""

    __slots__ = ("agents", "idle", "index", "levels", "on_roster", "site", "spec", "staffing")

    def __init__(self, index: int, spec: AgentGroup, first_id: int, size: int, staffing=None, site: int = 0):
        self.index = index
        self.spec = spec
        self.agents = [Agent(first_id + k, self) for k in range(size)]
        self.idle: deque[Agent] = deque()
        self.levels: list = []
        """Queues of this group's skills, grouped by skill priority, best first (network router: (queue, remote) pairs)."""
        self.staffing: tuple[tuple[float, int], ...] = spec.staffing if staffing is None else staffing
        """Agents on the roster as (time_s, agents) steps: the group's staffing, zero while its site is closed."""
        self.site = site
        self.on_roster = 0

    @property
    def rostered(self) -> int:
        return sum(a.rostered for a in self.agents)


def longest_idle(level: list[Group]) -> Group | None:
    """The group, among ``level`` (groups with the same skill priority), whose next idle agent has been idle longest; None if nobody is idle."""
    if len(level) == 1:
        return level[0] if level[0].idle else None
    best: Group | None = None
    since = math.inf
    for group in level:
        if group.idle:
            s = group.idle[0].idle_since_s
            if s < since:
                best, since = group, s
    return best


class Router:
    """Decides which idle agent takes an arriving caller, and which waiting caller a freed agent takes."""

    def __init__(
        self,
        queues: list[Queue],
        queue_entry_s: list[float],
        handle_s: list[float],
        answer_s: list[float],
        agent_of: list[int],
    ):
        self.queues = queues
        self._entry = queue_entry_s
        self._handle = handle_s
        self._answer_s = answer_s
        self._agent_of = agent_of

    def caller_arrives(self, contact: int, queue: Queue) -> None:
        """Offer the caller to an idle agent with the skill (best skill priority first, then idle longest), else queue them."""
        for level in queue.server_levels:
            group = longest_idle(level)
            if group is not None:
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


class NetworkRouter(Router):
    """The router for site-first routing (overflow after N seconds) and call-back offers.

    Site first: a caller waits in the queue of (skill, their site); on arrival they are offered to
    idle agents at their own site only; a freed agent takes, among the heads of its skills' queues
    at the best priority level, the longest-waiting caller who is eligible (own site: always; other
    sites: waited at least ``overflow_after_s``). A caller still waiting when overflow opens is
    offered at that moment to an idle agent at another site (one timed event per queued caller).
    Callers answered out of line this way stay in their deque as tombstones (give-up time −∞)
    that the queue drops lazily, so no deque is ever searched.
    """

    def __init__(self, sim: _Simulation):
        super().__init__(list(sim.queues.values()), sim._queue_entry, sim._handle, sim._answer_s, sim._agent_of)
        self.env = sim.env
        self._give_up = sim._give_up
        self._leg_type = sim._leg_type
        self.site_first = sim.model.routing.mode == "site_first"
        self.overflow_after_s = float(sim.model.routing.overflow_after_s) if self.site_first else 0.0
        self.callback = sim.model.callback
        self.skill_queues: dict[str, list[Queue]] = {}
        for queue in sim.queues.values():
            self.skill_queues.setdefault(queue.skill, []).append(queue)
        self.skill_groups = {
            skill: list(dict.fromkeys(g for q in queues for g in q.servers + q.overflow_servers))
            for skill, queues in self.skill_queues.items()
        }
        self.mean_handle_s = [ct.handle_time.mean_s for ct in sim.model.call_types]
        self.callback_offered: set[int] = set()
        self.callback_accepted: set[int] = set()
        rng = stream_generator(sim.ss, "callback")
        self._accept_draw = _Draws(rng.random)

    def _answer(self, contact: int, group: Group, now: float) -> None:
        agent = group.idle.popleft()  # the agent idle longest
        self._answer_s[contact] = now
        self._agent_of[contact] = agent.id
        agent.offer.accept(contact, self._handle[contact])  # type: ignore[union-attr]

    def caller_arrives(self, contact: int, queue: Queue) -> None:
        """Offer the caller to an idle agent (own site first), else queue them, offer a call-back and schedule overflow."""
        now = self._entry[contact]
        for level in queue.server_levels:
            group = longest_idle(level)
            if group is not None:
                self._answer(contact, group, now)
                return
        if self.site_first and self.overflow_after_s <= 0:
            for level in queue.overflow_levels:
                group = longest_idle(level)
                if group is not None:
                    self._answer(contact, group, now)
                    return
        queue.join(contact)
        if self.callback is not None:
            self._offer_callback(contact, queue)
        if self.site_first and self.overflow_after_s > 0 and queue.overflow_servers:
            due = now + self.overflow_after_s
            if self._give_up[contact] > due:
                env = self.env
                event = env.timeout(max(due - env.now, 0.0), (contact, queue))
                event.callbacks.append(self._overflow)

    def predicted_wait_s(self, contact: int, queue: Queue) -> float:
        """Predicted wait of a caller who just joined ``queue`` (seconds).

        (callers in the skill's queues ahead of them + 1) × the call type's mean handle time /
        agents on the roster with the skill (any site, any priority); ∞ when nobody with the skill
        is on duty. Callers ahead who already hung up but are not yet cleared from the queue count.
        """
        ahead = sum(len(q.waiting) for q in self.skill_queues[queue.skill]) - 1
        on = sum(g.on_roster for g in self.skill_groups[queue.skill])
        if on <= 0:
            return math.inf
        return (ahead + 1) * self.mean_handle_s[self._leg_type[contact]] / on

    def _offer_callback(self, contact: int, queue: Queue) -> None:
        cb = self.callback
        if self.predicted_wait_s(contact, queue) > cb.offer_when_wait_exceeds_s:  # type: ignore[union-attr]
            self.callback_offered.add(contact)
            if self._accept_draw() < cb.acceptance_share:  # type: ignore[union-attr]
                self.callback_accepted.add(contact)
                self._give_up[contact] = math.inf  # keeps their place and no longer hangs up

    def _overflow(self, event: simpy.Event) -> None:
        contact, queue = event.value
        now = self.env.now
        if self._agent_of[contact] >= 0 or self._give_up[contact] <= now:
            return  # answered or hung up already
        for level in queue.overflow_levels:
            group = longest_idle(level)
            if group is not None:
                self._give_up[contact] = -math.inf  # tombstone: the queue drops it when it reaches the head
                self._answer(contact, group, now)
                return

    def next_caller(self, agent: Agent, now: float) -> int:
        """Best skill priority first, then the longest-waiting eligible caller (other sites: waited ≥ overflow_after_s); -1 if none."""
        entry = self._entry
        after = self.overflow_after_s
        for level in agent.group.levels:
            best: Queue | None = None
            best_entry = math.inf
            for queue, remote in level:
                contact = queue.head(now)
                if contact >= 0:
                    e = entry[contact]
                    if remote and now - e < after:
                        continue
                    if e < best_entry:
                        best, best_entry = queue, e
            if best is not None:
                return best.waiting.popleft()
        return -1


class _Draws:
    """Numbers of one random stream drawn in batches on demand (for draws whose count is known only during the run)."""

    __slots__ = ("_buffer", "_next", "_sample")

    def __init__(self, sample, batch: int = 256):
        self._sample = lambda: sample(batch).tolist()
        self._buffer: list[float] = []
        self._next = 0

    def __call__(self) -> float:
        if self._next >= len(self._buffer):
            self._buffer = self._sample()
            self._next = 0
        value = self._buffer[self._next]
        self._next += 1
        return value


# ---------------------------------------------------------------------------------------------
# result


@dataclass
class SimulationResult:
    """What one run produced: the per-contact log and the agents' time on duty. Times in seconds.

    ``contacts``: one row per caller, in arrival order, never one per transfer. Columns
    ``contact_id``, ``call_type`` (the type the caller arrived with), ``site`` (the caller's),
    ``interval`` (arrival interval index), ``arrival_s``, ``queue_entry_s``; then the caller's first
    queue (first leg): ``answer_s`` (NaN if not answered), ``abandon_s`` (NaN unless abandoned),
    ``end_s`` (that call finished, hung up, or cut off), ``wait_s`` (seconds in the queue),
    ``handle_time_s`` (NaN if not answered), ``outcome`` (Categorical :data:`OUTCOMES`), ``agent``
    (id, -1 if none), ``agent_group`` (name, missing if none), ``served_site`` (the agent's site),
    ``overflowed`` (answered by an agent at another site), ``skill`` (needed by ``call_type``);
    then where the contact ended: ``queue`` (skill queue of the final leg; missing if self-served),
    ``tier`` (of the final leg's call type), ``transfers`` (moves to another queue),
    ``handoff`` (handed to the back office), ``back_office_done_s`` (NaN unless handed off),
    ``callback_offered`` (on any leg), ``final_call_type``, ``final_outcome``, ``final_end_s``.
    Self-served callers: ``queue_entry_s`` = ``end_s`` = when the menu resolved them, wait 0.

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
    _legs: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def legs(self) -> pd.DataFrame:
        """One row per visit of a caller to a queue (a *leg*); a transfer starts a new leg of the same contact.

        Columns ``leg_id``, ``contact_id``, ``leg`` (0 = first), ``call_type`` and ``queue`` (skill) of
        the leg, ``site`` (the caller's), ``queue_entry_s``, ``answer_s``, ``abandon_s``, ``end_s``,
        ``wait_s``, ``handle_time_s``, ``outcome`` (answered, abandoned, unanswered, callback),
        ``agent``, ``agent_group``, ``served_site``, ``overflowed``, ``callback_offered``,
        ``transferred`` (moved on to another queue), ``handoff`` (handed to the back office).
        Self-served callers never queue and have no leg. Without transfers, the contacts' first legs.
        """
        if self._legs is None:
            self._legs = _legs_from_contacts(self.contacts)
        return self._legs

    def busy_calls(self) -> pd.DataFrame:
        """The answered legs (``agent``, ``agent_group``, ``served_site``, ``answer_s``, ``end_s``): when each agent was busy."""
        source = self.contacts if self._legs is None else self._legs
        return source[source["agent"] >= 0]

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


_LEG_COLUMNS = (
    "contact_id",
    "call_type",
    "queue",
    "site",
    "queue_entry_s",
    "answer_s",
    "abandon_s",
    "end_s",
    "wait_s",
    "handle_time_s",
    "outcome",
    "agent",
    "agent_group",
    "served_site",
    "overflowed",
    "callback_offered",
)


def _legs_from_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    c = contacts[contacts["outcome"] != "self_service"]
    legs = c[[col for col in _LEG_COLUMNS if col in c]].reset_index(drop=True)
    legs.insert(0, "leg_id", legs["contact_id"].to_numpy())
    legs.insert(2, "leg", np.zeros(len(legs), dtype=np.int64))
    legs["transferred"] = np.zeros(len(legs), dtype=bool)
    legs["handoff"] = c["handoff"].to_numpy() if "handoff" in c else np.zeros(len(legs), dtype=bool)
    return legs


def _agent_states(result: SimulationResult) -> pd.DataFrame:
    answered = result.busy_calls()
    busy_by_agent: dict[int, list[tuple[float, float]]] = {}
    for agent, start, end in zip(
        answered["agent"].to_numpy(), answered["answer_s"].to_numpy(), answered["end_s"].to_numpy()
    ):
        busy_by_agent.setdefault(int(agent), []).append((float(start), float(end)))
    for spans in busy_by_agent.values():
        spans.sort()
    rows: list[tuple[int, str, str, str, float, float]] = []
    for agent, group, site, duty_start, duty_end in result.on_duty[
        ["agent", "agent_group", "site", "start_s", "end_s"]
    ].itertuples(index=False):
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
                f"call_types[{i}].skill",
                ct.required_skill,
                f"a skill some agent group has ({', '.join(sorted(skills))})",
            )
        check_number(f"call_types[{i}].menu_containment", ct.menu_containment, low=0, high=1)
        check_number(f"call_types[{i}].menu_time_s", ct.menu_time_s, low=0)
        total = 0.0
        for k, t in enumerate(ct.transfers):
            check_number(f"call_types[{i}].transfers[{k}].probability", t.probability, low=0, high=1)
            check_number(f"call_types[{i}].transfers[{k}].back_office_s", t.back_office_s, low=0)
            if t.to_call_type is not None and t.to_call_type not in names:
                raise CcsimInputError(
                    f"call_types[{i}].transfers[{k}].to_call_type",
                    t.to_call_type,
                    f"None (back office) or one of {', '.join(names)}",
                )
            total += t.probability
        if total > 1 + 1e-9:
            raise CcsimInputError(f"call_types[{i}].transfers probabilities", round(total, 6), "a total of at most 1")
    # certain transfers (probability 1) that come back to where they started would never end
    for ct in model.call_types:
        seen, current = {ct.name}, ct
        while (
            len(current.transfers) == 1 and current.transfers[0].probability >= 1 and current.transfers[0].to_call_type
        ):
            current = model.call_type(current.transfers[0].to_call_type)
            if current.name in seen:
                raise CcsimInputError(
                    f"call type {ct.name!r} transfers", "a loop with probability 1", "transfers that end"
                )
            seen.add(current.name)
    if model.routing.mode not in ("pooled", "site_first"):
        raise CcsimInputError("routing.mode", model.routing.mode, "'pooled' or 'site_first'")
    check_number("routing.overflow_after_s", model.routing.overflow_after_s, low=0)
    for i, site in enumerate(model.sites):
        check_number(f"sites[{i}].opens_s", site.opens_s, low=0)
        if site.closes_s is not None:
            check_number(f"sites[{i}].closes_s", site.closes_s, low=site.opens_s)
    if model.callback is not None:
        check_number("callback.offer_when_wait_exceeds_s", model.callback.offer_when_wait_exceeds_s, low=0)
        check_number("callback.acceptance_share", model.callback.acceptance_share, low=0, high=1)


def _open_staffing(
    staffing: tuple[tuple[float, int], ...], opens_s: float, closes_s: float | None
) -> tuple[tuple[float, int], ...]:
    """Staffing steps with zero agents outside the site's opening hours ``[opens_s, closes_s)``."""
    closes = math.inf if closes_s is None else closes_s
    if opens_s <= 0 and math.isinf(closes):
        return staffing
    points = sorted({0.0, *(t for t, _ in staffing), opens_s, *(() if math.isinf(closes) else (closes,))})
    steps: list[tuple[float, int]] = []
    for t in points:
        on = 0
        for start, n in staffing:
            if start <= t:
                on = n
            else:
                break
        on = on if opens_s <= t < closes else 0
        if not steps or steps[-1][1] != on:
            steps.append((t, int(on)))
    return tuple(steps)


class _Simulation:
    """One run: builds the callers, queues, agents and router, runs the SimPy processes, writes the log.

    Every visit of a caller to a queue is a *leg*, identified by an integer: leg ``i < n`` is
    contact ``i``'s first leg; a transfer appends a new leg (same contact) to the per-leg lists.
    """

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
        self.has_transfers = any(ct.transfers for ct in model.call_types)
        self.networked = model.routing.mode == "site_first" or model.callback is not None
        self._draw_callers()
        self._build_center()

    # -- callers, drawn up front in vectorised batches -----------------------------------------
    def _draw_callers(self) -> None:
        model = self.model
        type_index = {ct.name: k for k, ct in enumerate(model.call_types)}
        site_names = list(
            dict.fromkeys(
                [s.name for s in model.sites] + [a.site for a in model.arrivals] + [g.site for g in model.agent_groups]
            )
        )
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
        self_served = np.zeros(n, dtype=bool)
        for k, ct in enumerate(model.call_types):
            mine = np.flatnonzero(self.type_code == k)
            handle[mine] = ct.handle_time.sample(stream_generator(self.ss, "handle_time", k), mine.size)
            if ct.patience is not None:
                patience[mine] = ct.patience.sample(stream_generator(self.ss, "patience", k), mine.size)
            menu[mine] = ct.menu_time_s
            if ct.menu_containment > 0:
                self_served[mine] = stream_generator(self.ss, "self_service", k).random(mine.size) < ct.menu_containment
        self.handle_s = handle
        self.patience_s = patience
        self.self_served = self_served
        self.queue_entry_s = self.arrival_s + menu
        self.give_up_s = self.queue_entry_s + patience

    # -- queues, agents, router ---------------------------------------------------------------
    def _build_center(self) -> None:
        model = self.model
        site_first = model.routing.mode == "site_first"
        skills = list(dict.fromkeys(ct.required_skill for ct in model.call_types))
        self._queue_entry = self.queue_entry_s.tolist()
        self._handle = self.handle_s.tolist()
        self._answer_s = [math.nan] * self.n
        self._agent_of = [-1] * self.n
        self._give_up = self.give_up_s.tolist()
        self._leg_type = self.type_code.tolist()
        self._leg_contact: list[int] | None = None
        self._leg_next: list[int] | None = None
        self.handoffs: dict[int, float] = {}
        """Leg → back office done time, seconds, for legs handed off to the back office."""
        give_up = self._give_up
        n_sites = len(self.site_names)
        if site_first:
            self.queues = {(s, i): Queue(s, give_up, i) for s in skills for i in range(n_sites)}
        else:
            self.queues = {(s, -1): Queue(s, give_up) for s in skills}
        site_info = {s.name: s for s in model.sites}
        self.groups: list[Group] = []
        first = 0
        for j, spec in enumerate(model.agent_groups):
            site = site_info.get(spec.site)
            staffing = spec.staffing if site is None else _open_staffing(spec.staffing, site.opens_s, site.closes_s)
            size = max((n for t, n in staffing if t < self.horizon_s), default=0)
            group = Group(j, spec, first, size, staffing, self.site_names.index(spec.site))
            first += size
            self.groups.append(group)
        for group in self.groups:
            priority = dict(group.spec.skills) if group.spec.skills else {s: 1 for s in skills}
            for p in sorted(set(priority.values())):
                mine = [s for s in skills if priority.get(s) == p]
                if not mine:
                    continue
                if site_first:
                    group.levels.append([(self.queues[s, i], i != group.site) for s in mine for i in range(n_sites)])
                elif self.networked:
                    group.levels.append([(self.queues[s, -1], False) for s in mine])
                else:
                    group.levels.append([self.queues[s, -1] for s in mine])
        for (skill, site), queue in self.queues.items():
            ranked = []
            for group in self.groups:
                priority = dict(group.spec.skills) if group.spec.skills else {skill: 1}
                if skill in priority:
                    ranked.append((priority[skill], group.index, group))
            ranked.sort(key=lambda r: r[:2])
            queue.servers = [g for _, _, g in ranked if site < 0 or g.site == site]
            queue.overflow_servers = [g for _, _, g in ranked if site >= 0 and g.site != site]
            for groups, levels in (
                (queue.servers, queue.server_levels),
                (queue.overflow_servers, queue.overflow_levels),
            ):
                for p in sorted({p for p, _, g in ranked if g in groups}):
                    levels.append([g for q, _, g in ranked if q == p and g in groups])
        self.agents = [a for g in self.groups for a in g.agents]
        site_key = (lambda i: i) if site_first else (lambda i: -1)
        self.queue_of_type_site = [
            [self.queues[ct.required_skill, site_key(i)] for i in range(n_sites)] for ct in model.call_types
        ]
        if self.networked:
            self.router: Router = NetworkRouter(self)
        else:
            self.router = Router(
                list(self.queues.values()), self._queue_entry, self._handle, self._answer_s, self._agent_of
            )
        if self.has_transfers:
            self._leg_contact = list(range(self.n))
            self._leg_next = [-1] * self.n
            self._transfers = [
                [
                    (
                        t.probability,
                        -1 if t.to_call_type is None else [c.name for c in model.call_types].index(t.to_call_type),
                        t.back_office_s,
                    )
                    for t in ct.transfers
                ]
                for ct in model.call_types
            ]
            self._transfer_draw = [
                _Draws(stream_generator(self.ss, "transfer", k).random) for k in range(len(model.call_types))
            ]
            self._transfer_handle = []
            self._transfer_patience = []
            for k, ct in enumerate(model.call_types):
                rng_h = stream_generator(self.ss, "transfer_handle_time", k)
                self._transfer_handle.append(_Draws(lambda size, d=ct.handle_time, r=rng_h: d.sample(r, size)))
                if ct.patience is None:
                    self._transfer_patience.append(None)
                else:
                    rng_p = stream_generator(self.ss, "transfer_patience", k)
                    self._transfer_patience.append(_Draws(lambda size, d=ct.patience, r=rng_p: d.sample(r, size)))
        self.duty_spans: list[tuple[int, float, float]] = []

    # -- processes ----------------------------------------------------------------------------
    def callers_arrive(self) -> Iterator[simpy.Event]:
        """Callers come out of the voice menu into the queue of their skill (and site), in order of queue entry."""
        env = self.env
        qts = self.queue_of_type_site
        queue_of = [qts[k][i] for k, i in zip(self.type_code.tolist(), self.site_code.tolist())]
        entry = self._queue_entry
        caller_arrives = self.router.caller_arrives
        order = np.argsort(self.queue_entry_s, kind="stable")
        if self.self_served.any():
            order = order[~self.self_served[order]]  # resolved by the voice menu: never queue
        for contact in order.tolist():
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
                agent.idle_since_s = now
                idle.append(agent)
                # resumes when the call the router offered has ended (the router logs the answer),
                # or at once, with None, when taken off the roster while idle
                yield agent.offer
        agent.on_duty = False
        self.duty_spans.append((agent.id, agent.duty_start_s, env.now))

    def agent_on_duty_with_transfers(self, agent: Agent) -> Iterator[simpy.Event]:
        """As :meth:`agent_on_duty`, and when a call ends the caller may be transferred or handed off (:meth:`call_ended`)."""
        env = self.env
        next_caller = self.router.next_caller
        idle = agent.group.idle
        answer_s, agent_of, handle = self._answer_s, self._agent_of, self._handle
        call_ended = self.call_ended
        while agent.rostered:
            now = env.now
            leg = next_caller(agent, now)
            if leg >= 0:
                answer_s[leg] = now
                agent_of[leg] = agent.id
                yield env.timeout(handle[leg])
            else:
                agent.offer = Offer(env)
                agent.idle_since_s = now
                idle.append(agent)
                leg = yield agent.offer
                if leg is None:
                    continue
            call_ended(leg)
        agent.on_duty = False
        self.duty_spans.append((agent.id, agent.duty_start_s, env.now))

    def call_ended(self, leg: int) -> None:
        """After handling: with each transfer's probability the caller joins another call type's queue (a new leg) or is handed off."""
        k = self._leg_type[leg]
        transfers = self._transfers[k]
        if not transfers:
            return
        u = self._transfer_draw[k]()
        cumulative = 0.0
        for probability, to, back_office_s in transfers:
            cumulative += probability
            if u < cumulative:
                break
        else:
            return
        now = self.env.now
        if to < 0:
            self.handoffs[leg] = now + back_office_s
            return
        leg_contact, leg_next = self._leg_contact, self._leg_next
        contact = leg_contact[leg]  # type: ignore[index]
        new = len(leg_contact)  # type: ignore[arg-type]
        leg_contact.append(contact)  # type: ignore[union-attr]
        leg_next.append(-1)  # type: ignore[union-attr]
        leg_next[leg] = new  # type: ignore[index]
        self._leg_type.append(to)
        self._queue_entry.append(now)
        self._handle.append(self._transfer_handle[to]())
        patience = self._transfer_patience[to]
        self._give_up.append(now + patience() if patience is not None else math.inf)
        self._answer_s.append(math.nan)
        self._agent_of.append(-1)
        self.router.caller_arrives(new, self.queue_of_type_site[to][int(self.site_code[contact])])

    def roster(self, group: Group, agents: int) -> None:
        """Set how many of the group's agents are on the roster: the first ``agents`` of them."""
        group.on_roster = min(agents, len(group.agents))
        process = self.agent_on_duty_with_transfers if self.has_transfers else self.agent_on_duty
        for k, agent in enumerate(group.agents):
            if k < agents and not agent.rostered:
                agent.rostered = True
                if not agent.on_duty:
                    agent.on_duty = True
                    agent.duty_start_s = self.env.now
                    self.env.process(process(agent))
            elif k >= agents and agent.rostered:
                agent.rostered = False  # a busy agent leaves after the call in progress
                if agent.offer is not None and not agent.offer.triggered:
                    group.idle.remove(agent)
                    agent.offer.succeed(None)

    def staffing_plan(self, group: Group) -> Iterator[simpy.Event]:
        """Agents join when staffing rises and leave (when idle, or after their call) when it falls."""
        env = self.env
        for time_s, agents in group.staffing:
            if time_s <= 0 or time_s >= self.horizon_s:
                continue
            yield env.timeout(time_s - env.now)
            self.roster(group, int(agents))

    # -- run -----------------------------------------------------------------------------------
    def run(self) -> SimulationResult:
        env = self.env
        for group in self.groups:
            self.roster(group, int(_agents_at(group.staffing, 0.0)))
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
        model, n, cutoff = self.model, self.n, self.cutoff_s
        # per leg (leg i < n is contact i's first leg)
        answer = np.asarray(self._answer_s, dtype=float)
        agent = np.asarray(self._agent_of, dtype=np.int64)
        entry = np.asarray(self._queue_entry, dtype=float) if self.has_transfers else self.queue_entry_s
        handle_all = np.asarray(self._handle, dtype=float) if self.has_transfers else self.handle_s
        give_up = np.asarray(self._give_up, dtype=float) if (self.has_transfers or self.networked) else self.give_up_s
        legs_n = answer.size
        answered = agent >= 0
        abandoned = ~answered & (give_up <= cutoff)
        outcome = np.full(legs_n, UNANSWERED, dtype=np.int8)
        outcome[answered] = ANSWERED
        outcome[abandoned] = ABANDONED
        outcome[:n][self.self_served] = SELF_SERVICE  # never queued
        callback_offered = np.zeros(legs_n, dtype=bool)
        if isinstance(self.router, NetworkRouter):
            accepted = np.fromiter(self.router.callback_accepted, dtype=np.int64)
            outcome[accepted[answered[accepted]]] = CALLBACK
            callback_offered[np.fromiter(self.router.callback_offered, dtype=np.int64)] = True
        handle = np.where(answered, handle_all, np.nan)
        abandon = np.where(abandoned, give_up, np.nan)
        end = np.where(answered, answer + handle_all, np.where(abandoned, give_up, cutoff))
        wait = np.maximum(np.where(answered, answer - entry, end - entry), 0.0)
        group_of_agent = np.array([a.group.index for a in self.agents], dtype=np.int64)
        site_of_group = np.array([g.site for g in self.groups], dtype=np.int64)
        group_code = np.where(answered, group_of_agent[np.where(answered, agent, 0)] if len(self.agents) else -1, -1)
        served_site = np.where(answered, site_of_group[np.where(answered, group_code, 0)], -1)
        leg_type = np.asarray(self._leg_type, dtype=np.int64) if self.has_transfers else self.type_code.astype(np.int64)
        leg_contact = (
            np.asarray(self._leg_contact, dtype=np.int64) if self.has_transfers else np.arange(n, dtype=np.int64)
        )
        leg_site = self.site_code.astype(np.int64)[leg_contact]
        handoff_leg = np.zeros(legs_n, dtype=bool)
        back_office = np.full(legs_n, np.nan)
        if self.handoffs:
            keys = np.fromiter(self.handoffs.keys(), dtype=np.int64)
            handoff_leg[keys] = True
            back_office[keys] = np.fromiter(self.handoffs.values(), dtype=float)
        # per contact: the first leg, plus where the contact ended up (its final leg)
        first = slice(0, n)
        c_outcome, c_answer, c_abandon = outcome[first].copy(), answer[first].copy(), abandon[first].copy()
        c_end, c_wait, c_handle = end[first].copy(), wait[first].copy(), handle[first].copy()
        c_agent, c_group, c_served = agent[first].copy(), group_code[first].copy(), served_site[first].copy()
        final = np.arange(n, dtype=np.int64)
        if legs_n > n:
            np.maximum.at(final, leg_contact[n:], np.arange(n, legs_n, dtype=np.int64))
        transfers = (
            (np.bincount(leg_contact, minlength=n) - 1).astype(np.int64) if legs_n > n else np.zeros(n, dtype=np.int64)
        )
        f_outcome, f_end, f_type = outcome[final], end[final], leg_type[final]
        c_offered = callback_offered[first].copy()
        if legs_n > n:
            np.logical_or.at(c_offered, leg_contact[n:], callback_offered[n:])
        served = self.self_served
        skills = list(dict.fromkeys(ct.required_skill for ct in model.call_types))
        skill_of_type = np.array([skills.index(ct.required_skill) for ct in model.call_types], dtype=np.int64)
        queue_code = skill_of_type[f_type]
        if served.any():
            c_outcome[served] = f_outcome[served] = SELF_SERVICE
            c_answer[served] = c_abandon[served] = c_handle[served] = np.nan
            c_end[served] = f_end[served] = self.queue_entry_s[served]
            c_wait[served] = 0.0
            c_agent[served] = c_group[served] = c_served[served] = -1
            queue_code = np.where(served, -1, queue_code)
        tiers = list(dict.fromkeys(ct.tier for ct in model.call_types))
        tier_of_type = np.array([tiers.index(ct.tier) for ct in model.call_types], dtype=np.int64)
        type_names = [ct.name for ct in model.call_types]
        group_names = [g.name for g in model.agent_groups]
        outcomes = list(OUTCOMES)
        intervals = model.intervals
        interval = np.minimum((self.arrival_s // model.interval_s).astype(np.int64), max(intervals - 1, 0))
        contacts = pd.DataFrame(
            {
                "contact_id": np.arange(n, dtype=np.int64),
                "call_type": pd.Categorical.from_codes(self.type_code, categories=type_names),
                "site": pd.Categorical.from_codes(self.site_code, categories=self.site_names),
                "interval": interval,
                "arrival_s": self.arrival_s,
                "queue_entry_s": self.queue_entry_s,
                "answer_s": c_answer,
                "abandon_s": c_abandon,
                "end_s": c_end,
                "wait_s": c_wait,
                "handle_time_s": c_handle,
                "outcome": pd.Categorical.from_codes(c_outcome, categories=outcomes),
                "agent": c_agent,
                "agent_group": pd.Categorical.from_codes(c_group, categories=group_names),
                "served_site": pd.Categorical.from_codes(c_served, categories=self.site_names),
                "overflowed": (c_served >= 0) & (c_served != self.site_code),
                "skill": pd.Categorical.from_codes(skill_of_type[self.type_code], categories=skills),
                "queue": pd.Categorical.from_codes(queue_code, categories=skills),
                "tier": pd.Categorical.from_codes(tier_of_type[f_type], categories=tiers),
                "transfers": transfers,
                "handoff": handoff_leg[final],
                "back_office_done_s": back_office[final],
                "callback_offered": c_offered,
                "final_call_type": pd.Categorical.from_codes(f_type, categories=type_names),
                "final_outcome": pd.Categorical.from_codes(f_outcome, categories=outcomes),
                "final_end_s": f_end,
            }
        )
        legs = None
        if self.has_transfers:
            queued = np.ones(legs_n, dtype=bool)
            queued[:n] = ~served
            nxt = np.asarray(self._leg_next, dtype=np.int64)
            leg_number = [0] * legs_n  # each contact's legs numbered 0, 1, ... in order
            counter = [0] * n
            for i, c in enumerate(leg_contact[n:].tolist()):
                counter[c] += 1
                leg_number[n + i] = counter[c]
            legs = pd.DataFrame(
                {
                    "leg_id": np.arange(legs_n, dtype=np.int64),
                    "contact_id": leg_contact,
                    "leg": np.asarray(leg_number, dtype=np.int64),
                    "call_type": pd.Categorical.from_codes(leg_type, categories=type_names),
                    "queue": pd.Categorical.from_codes(skill_of_type[leg_type], categories=skills),
                    "site": pd.Categorical.from_codes(leg_site, categories=self.site_names),
                    "queue_entry_s": entry,
                    "answer_s": answer,
                    "abandon_s": abandon,
                    "end_s": end,
                    "wait_s": wait,
                    "handle_time_s": handle,
                    "outcome": pd.Categorical.from_codes(outcome, categories=outcomes),
                    "agent": agent,
                    "agent_group": pd.Categorical.from_codes(group_code, categories=group_names),
                    "served_site": pd.Categorical.from_codes(served_site, categories=self.site_names),
                    "overflowed": (served_site >= 0) & (served_site != leg_site),
                    "callback_offered": callback_offered,
                    "transferred": nxt >= 0,
                    "handoff": handoff_leg,
                }
            )[queued].reset_index(drop=True)
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
        on_duty = pd.DataFrame(
            {
                "agent": span_agent,
                "agent_group": pd.Categorical.from_codes(span_group, categories=group_names),
                "site": pd.Categorical.from_codes(
                    site_of_group[span_group] if spans else span_group, categories=self.site_names
                ),
                "start_s": np.array([s[1] for s in spans], dtype=float),
                "end_s": np.array([s[2] for s in spans], dtype=float),
            }
        )
        staffed = seconds_per_interval(
            on_duty["start_s"].to_numpy(), on_duty["end_s"].to_numpy(), model.interval_s, intervals
        )
        result = SimulationResult(
            contacts=contacts,
            on_duty=on_duty,
            staffed_s_per_interval=staffed,
            model=model,
            seed=self.seed,
            horizon_s=self.horizon_s,
            end_s=float(end_s),
            _legs=legs,
        )
        unanswered = int((outcome == UNANSWERED).sum())
        message = overload_message(model, [unanswered], staffed_s=float(staffed.sum()))
        if message:
            result.warnings.append(message)
            result.overload = message
        return result


def _agents_at(staffing: tuple[tuple[float, int], ...], time_s: float) -> int:
    on = 0
    for start, n in staffing:
        if start <= time_s:
            on = n
        else:
            break
    return on


def _staffing_label(model: CenterModel) -> str:
    constant = all(len({n for t, n in g.staffing if t < model.horizon_s}) <= 1 for g in model.agent_groups)
    if constant:
        total = sum(g.agents_at(0.0) for g in model.agent_groups)
        return f"{total:,} agent" + ("" if total == 1 else "s")
    return "the agents on duty"


def planned_staffed_s(model: CenterModel) -> float:
    """Agent-seconds on the roster during the horizon by the staffing plan (steps anywhere, sites' opening hours applied)."""
    sites = {s.name: s for s in model.sites}
    horizon = model.horizon_s
    total = 0.0
    for g in model.agent_groups:
        site = sites.get(g.site)
        steps = g.staffing if site is None else _open_staffing(g.staffing, site.opens_s, site.closes_s)
        for k, (start, n) in enumerate(steps):
            end = steps[k + 1][0] if k + 1 < len(steps) else horizon
            total += n * max(0.0, min(end, horizon) - min(start, horizon))
    return total


def demand_ratio(model: CenterModel, staffed_s: float | None = None) -> float:
    """Offered workload (expected calls × mean handle time, seconds) over agent-seconds on duty during the horizon.

    Above 1 the agents cannot keep up even if they never rest. Calls the voice menu resolves are
    left out; transferred calls add the handle time of every queue they visit (assuming all are
    answered). ``staffed_s`` defaults to the staffing plan's agent-seconds.
    """
    index = {ct.name: k for k, ct in enumerate(model.call_types)}
    queued = [0.0] * len(model.call_types)
    for stream in model.arrivals:
        ct = model.call_types[index[stream.call_type]]
        queued[index[stream.call_type]] += sum(stream.calls_per_interval) * (1.0 - ct.menu_containment)
    visits = list(queued)
    wave = list(queued)
    for _ in range(50):  # transfers: calls moving on to other queues, wave after wave
        moved = [0.0] * len(wave)
        for k, ct in enumerate(model.call_types):
            for t in ct.transfers:
                if t.to_call_type is not None and t.to_call_type in index:
                    moved[index[t.to_call_type]] += wave[k] * t.probability
        if sum(moved) <= 1e-9 * max(sum(visits), 1.0):
            break
        visits = [v + m for v, m in zip(visits, moved)]
        wave = moved
    work = sum(v * ct.handle_time.mean_s for v, ct in zip(visits, model.call_types))
    if staffed_s is None:
        staffed_s = planned_staffed_s(model)
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


def _check_size(model: CenterModel) -> None:
    """Refuse a run expected to offer more than :data:`MAX_EXPECTED_CALLS` calls (it would exhaust memory)."""
    expected = sum(float(np.sum(a.calls_per_interval)) for a in model.arrivals)
    if expected > MAX_EXPECTED_CALLS:
        raise CcsimInputError(
            f"arrivals calls_per_interval (expected calls over the {model.horizon_s / 3600:g}-hour horizon)",
            round(expected),
            f"at most {MAX_EXPECTED_CALLS:,} expected calls in one run (fewer calls per interval or fewer intervals)",
        )


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
    and issues an :class:`OverloadWarning`. An invalid model (e.g. transfer probabilities adding
    up to more than 1) raises :class:`~ccsim.errors.CcsimInputError`, and so does a model expected to
    offer more than :data:`MAX_EXPECTED_CALLS` calls over its horizon (it would not fit in memory).

    Example: two sites, the second with nobody on duty; its callers are shared after 60 s::

        >>> from ccsim.simulation.distributions import Exponential
        >>> from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel, Routing, Site
        >>> model = CenterModel(
        ...     interval_s=1800,
        ...     call_types=(CallType("calls", Exponential(240), Exponential(600)),),
        ...     arrivals=(ArrivalStream("calls", (30, 30), "A"), ArrivalStream("calls", (10, 10), "B")),
        ...     agent_groups=(AgentGroup("a", ((0, 12),), site="A"), AgentGroup("b", ((0, 0),), site="B")),
        ...     sites=(Site("A"), Site("B")),
        ...     routing=Routing("site_first", overflow_after_s=60),
        ... )
        >>> c = simulate(model, seed=1).contacts
        >>> from_b = c[(c["site"] == "B") & (c["agent"] >= 0)]
        >>> bool(from_b["overflowed"].all()) and bool((from_b["wait_s"] >= 60 - 1e-9).all())
        True
    """
    if not isinstance(model, CenterModel):
        raise CcsimInputError("model", type(model).__name__, "a ccsim.simulation.model.CenterModel")
    _check_model(model)
    _check_size(model)
    result = _Simulation(model, seed, max_drain_s).run()
    for message in result.warnings:
        _warnings.warn(message, OverloadWarning if message == result.overload else CcsimWarning, stacklevel=2)
    return result
