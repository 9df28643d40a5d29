"""Agents and their groups, and the SimPy processes of their working day.

An agent on duty takes a waiting caller (the routing policy's ``agent_free`` says which), handles
the call, and repeats; when nobody waits the agent joins the group's idle line and waits to be
offered a caller. Staffing steps put agents on the roster and take them off: an idle agent
leaves at once, a busy one after the call in progress.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from ccsim.simulation.staffing import Steps, agents_at

if TYPE_CHECKING:
    from ccsim.simulation.logs import LegLog
    from ccsim.simulation.model import AgentGroup, CenterModel


class Offer(simpy.Event):
    """What an idle agent waits for: a caller to answer.

    :meth:`accept` gives it the caller's leg id, and it fires when that call ends, so a call offered
    to an idle agent costs one event, as a call taken from the queue does (SimPy's own Timeout is
    built the same way: a value, then scheduled after a delay). It fires with None when the agent
    is taken off the roster while idle.
    """

    def accept(self, leg: int, handle_s: float) -> None:
        """Answer the caller of ``leg`` now; the event fires after ``handle_s`` seconds, when the call ends."""
        self._ok = True
        self._value = leg
        self.env.schedule(self, simpy.events.NORMAL, handle_s)


class Agent:
    """One agent: an id, the group, whether rostered and on duty, and the offer an idle agent waits on."""

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
    """Agents with the same skills at one site; ``idle`` holds its idle agents, the one idle longest first."""

    __slots__ = ("agents", "idle", "index", "on_roster", "priorities", "site", "spec", "staffing")

    def __init__(
        self,
        index: int,
        spec: AgentGroup,
        first_id: int,
        size: int,
        staffing: Steps,
        site: int,
        priorities: dict[str, int],
    ):
        self.index = index
        self.spec = spec
        self.agents = [Agent(first_id + k, self) for k in range(size)]
        self.idle: deque[Agent] = deque()
        self.staffing = staffing
        """Agents on the roster as (time_s, agents) steps: the group's staffing, zero while its site is closed."""
        self.site = site
        """Index of the group's site in the run's site names."""
        self.priorities = priorities
        """Skill → priority (1 first) for every skill the group answers."""
        self.on_roster = 0

    def __repr__(self) -> str:
        return f"Group({self.spec.name!r}, idle={len(self.idle)}, on_roster={self.on_roster})"


def build_groups(model: CenterModel, site_names: list[str], skills: list[str], horizon_s: float) -> list[Group]:
    """The run's agent groups: opening hours applied to staffing, as many agents as the most ever on duty before ``horizon_s``."""
    sites = {s.name: s for s in model.sites}
    groups: list[Group] = []
    first = 0
    for j, spec in enumerate(model.agent_groups):
        site = sites.get(spec.site)
        staffing = spec.staffing if site is None else site.while_open(spec.staffing)
        size = max((n for t, n in staffing if t < horizon_s), default=0)
        priorities = dict(spec.skills) if spec.skills else dict.fromkeys(skills, 1)
        groups.append(Group(j, spec, first, size, staffing, site_names.index(spec.site), priorities))
        first += size
    return groups


class Workforce:
    """The agents of one run as SimPy processes, answering callers through the routing policy's ``agent_free``.

    ``call_ended(leg)``, if given, runs after every call (transfers, hand-offs, members' issues); when it returns
    an event (a consult) the agent stays busy until it fires.
    """

    def __init__(
        self,
        env: simpy.Environment,
        groups: list[Group],
        legs: LegLog,
        horizon_s: float,
        call_ended: Callable[[int], simpy.Event | None] | None = None,
    ):
        self.env = env
        self.groups = groups
        self.agents = [a for g in groups for a in g.agents]
        self.legs = legs
        self.horizon_s = horizon_s
        self.call_ended = call_ended
        self.agent_free: Callable[[Agent, float], int] = lambda agent, now: -1
        """Set to the routing policy's ``agent_free`` before :meth:`start`."""
        self.duty_spans: list[tuple[int, float, float]] = []
        """(agent, start_s, end_s) of every finished span on duty."""
        self.answer = self._answerer()

    def _answerer(self) -> Callable[[int, Group, float], None]:
        answer_s, agent_of, handle_s = self.legs.answer_s, self.legs.agent_of, self.legs.handle_s

        def answer(leg: int, group: Group, now: float) -> None:
            """The group's agent idle longest answers the caller of ``leg`` at ``now``."""
            agent = group.idle.popleft()
            answer_s[leg] = now
            agent_of[leg] = agent.id
            agent.offer.accept(leg, handle_s[leg])  # type: ignore[union-attr]  # every idle agent has an offer

        return answer

    def start(self) -> None:
        """Put the agents on duty at time 0 on the roster and start each group's staffing plan."""
        for group in self.groups:
            self.roster(group, agents_at(group.staffing, 0.0))
            self.env.process(self.staffing_plan(group))

    def staffing_plan(self, group: Group) -> Generator[simpy.Event, Any, None]:
        """Agents join when staffing rises and leave (when idle, or after their call) when it falls."""
        env = self.env
        for time_s, agents in group.staffing:
            if time_s <= 0 or time_s >= self.horizon_s:
                continue
            yield env.timeout(time_s - env.now)
            self.roster(group, int(agents))

    def roster(self, group: Group, agents: int) -> None:
        """Set how many of the group's agents are on the roster: the first ``agents`` of them."""
        group.on_roster = min(agents, len(group.agents))
        process = self.on_duty if self.call_ended is None else self.on_duty_with_transfers
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

    def on_duty(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """An agent's time on duty: take a waiting caller or wait to be offered one, handle the call, repeat."""
        env = self.env
        agent_free = self.agent_free
        idle = agent.group.idle
        answer_s, agent_of, handle = self.legs.answer_s, self.legs.agent_of, self.legs.handle_s
        while agent.rostered:
            now = env.now
            leg = agent_free(agent, now)
            if leg >= 0:
                answer_s[leg] = now
                agent_of[leg] = agent.id
                yield env.timeout(handle[leg])
            else:
                agent.offer = Offer(env)
                agent.idle_since_s = now
                idle.append(agent)
                # resumes when the call the router offered has ended (the router logged the answer),
                # or at once, with None, when taken off the roster while idle
                yield agent.offer
        self._off_duty(agent)

    def on_duty_with_transfers(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """As :meth:`on_duty`, and when a call ends the caller may move on, or the agent consult another (``call_ended``)."""
        env = self.env
        agent_free = self.agent_free
        idle = agent.group.idle
        answer_s, agent_of, handle = self.legs.answer_s, self.legs.agent_of, self.legs.handle_s
        call_ended: Callable[[int], simpy.Event | None] = self.call_ended  # type: ignore[assignment]  # chosen only when set
        while agent.rostered:
            now = env.now
            leg = agent_free(agent, now)
            if leg >= 0:
                answer_s[leg] = now
                agent_of[leg] = agent.id
                yield env.timeout(handle[leg])
            else:
                agent.offer = Offer(env)
                agent.idle_since_s = now
                idle.append(agent)
                offered: int | None = yield agent.offer
                if offered is None:
                    continue
                leg = offered
            hold = call_ended(leg)
            if hold is not None:
                yield hold  # a consult: the agent stays on the line until it is over
        self._off_duty(agent)

    def _off_duty(self, agent: Agent) -> None:
        agent.on_duty = False
        self.duty_spans.append((agent.id, agent.duty_start_s, self.env.now))

    def final_spans(self, end_s: float, agent: np.ndarray, call_end_s: np.ndarray) -> list[tuple[int, float, float]]:
        """Every span on duty, sorted: the finished ones, and those of agents still on duty at ``end_s``.

        ``agent`` and ``call_end_s``: who answered each answered leg and when that call ended. An
        agent still on duty is counted until ``end_s`` or the end of their last call, whichever is later.
        """
        last_end = np.full(len(self.agents), -math.inf)
        if agent.size:
            np.maximum.at(last_end, agent, call_end_s)
        spans = list(self.duty_spans)
        spans += [(a.id, a.duty_start_s, max(end_s, float(last_end[a.id]))) for a in self.agents if a.on_duty]
        return sorted(spans)
