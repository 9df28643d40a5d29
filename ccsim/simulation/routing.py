"""How callers find agents: routing policies, registered by name, behind one small protocol.

A policy is a class registered with :func:`register_routing`; ``Routing(mode=name)`` in the model
(or ``routing.mode`` in a scenario) picks it. The engine builds one instance per run with a
:class:`RoutingView`, the only part of the run a policy may see or change, and calls two methods:

* ``caller_arrives(leg, queue)``: a caller leaves the voice menu (or is transferred) into ``queue``;
  hand them to an idle agent with :meth:`RoutingView.answer`, or queue them with
  :meth:`RoutingView.join` (which also offers a call-back when the model has them).
* ``agent_free(agent, now) -> leg``: ``agent`` has finished a call or come on duty; take a waiting
  caller off a queue and return their leg id, or return -1 and the agent waits idle (in
  ``agent.group.idle``) until a later ``caller_arrives`` answers with them.

Two policies come built in: ``pooled`` (any skilled agent at any site; the single-queue fast path)
and ``site_first`` (the caller's own site first, every site after ``overflow_after_s``).

A new policy is a class with ``per_site_queues`` and those two methods, registered by name
(``tests/toy_routing.py`` has a complete one, newest caller first)::

    @register_routing("newest_first")
    class NewestFirst:
        per_site_queues = False
        def __init__(self, view: RoutingView): ...
        def caller_arrives(self, leg: int, queue: Queue) -> None: ...
        def agent_free(self, agent: Agent, now: float) -> int: ...

Registering, looking up and removing a policy by name (the built-in ones stay)::

    >>> @register_routing("doc_example")
    ... class DocExample(PooledRouting):
    ...     '''Pooled routing under another name.'''
    >>> routing_policy("doc_example").__name__, {"doc_example", "pooled", "site_first"} <= set(routing_names())
    ('DocExample', True)
    >>> unregister_routing("doc_example")
    >>> "doc_example" in routing_names()
    False
"""

from __future__ import annotations

import math
from collections.abc import Callable, MutableSequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from ccsim.errors import CcsimInputError

if TYPE_CHECKING:
    from ccsim.simulation.agents import Agent, Group
    from ccsim.simulation.model import Routing
    from ccsim.simulation.queues import Queue

__all__ = [
    "PooledRouting",
    "RoutingPolicy",
    "RoutingView",
    "SiteFirstRouting",
    "longest_idle",
    "register_routing",
    "routing_names",
    "routing_policy",
    "unregister_routing",
]


class RoutingView:
    """What a routing policy may see and do during one run (nothing else of the run is its business).

    Read: ``routing`` (the model's :class:`~ccsim.simulation.model.Routing` settings), ``queues``
    (every :class:`~ccsim.simulation.queues.Queue`, by ``queue.index``), ``groups`` (every agent
    :class:`~ccsim.simulation.agents.Group`, by ``group.index``; ``group.idle`` holds its idle agents,
    idle longest first), ``skills`` (every skill a call type needs), ``queue_entry_s`` and
    ``give_up_s`` (per leg, seconds; a leg is one caller's visit to one queue), ``agent_of`` (per
    leg: the answering agent's id, -1 while unanswered) and :attr:`now` (the clock, seconds).
    Act: :meth:`answer`, :meth:`join`, :meth:`call_later`.
    """

    __slots__ = (
        "_call_later",
        "_clock",
        "agent_of",
        "answer",
        "give_up_s",
        "groups",
        "join",
        "queue_entry_s",
        "queues",
        "routing",
        "skills",
    )

    def __init__(
        self,
        *,
        routing: Routing,
        queues: tuple[Queue, ...],
        groups: tuple[Group, ...],
        skills: tuple[str, ...],
        queue_entry_s: MutableSequence[float],
        give_up_s: MutableSequence[float],
        agent_of: MutableSequence[int],
        clock: Callable[[], float],
        answer: Callable[[int, Group, float], None],
        join: Callable[[int, Queue], None],
        call_later: Callable[[float, Callable[[Any], None], Any], None],
    ):
        self.routing = routing
        self.queues = queues
        self.groups = groups
        self.skills = skills
        self.queue_entry_s = queue_entry_s
        self.give_up_s = give_up_s
        self.agent_of = agent_of
        self._clock = clock
        self.answer = answer
        """``answer(leg, group, now)``: the group's agent idle longest answers the caller at ``now``."""
        self.join = join
        """``join(leg, queue)``: the caller waits in ``queue`` (and is offered a call-back if due)."""
        self._call_later = call_later

    @property
    def now(self) -> float:
        """The simulation clock, seconds."""
        return self._clock()

    def call_later(self, delay_s: float, callback: Callable[[Any], None], value: Any) -> None:
        """Call ``callback(value)`` after ``delay_s`` seconds of simulated time."""
        self._call_later(delay_s, callback, value)


class RoutingPolicy(Protocol):
    """The protocol of a routing policy (see the module docstring)."""

    per_site_queues: ClassVar[bool]
    """True: one queue per (skill, caller's site); False: one queue per skill."""

    def __init__(self, view: RoutingView) -> None: ...

    def caller_arrives(self, leg: int, queue: Queue) -> None:
        """Answer the caller with an idle agent (:meth:`RoutingView.answer`) or queue them (:meth:`RoutingView.join`)."""

    def agent_free(self, agent: Agent, now: float) -> int:
        """Take the caller the free ``agent`` answers off a queue and return their leg id, or -1 if none."""


_REGISTRY: dict[str, type[RoutingPolicy]] = {}
_BUILT_IN = ("pooled", "site_first")

P = TypeVar("P", bound=type)


def register_routing(name: str) -> Callable[[P], P]:
    """Class decorator: register a routing policy under ``name`` (the value of ``Routing.mode``)."""
    if not isinstance(name, str) or not name.strip():
        raise CcsimInputError("routing policy name", name, "a non-empty name")

    def register(cls: P) -> P:
        missing = [m for m in ("caller_arrives", "agent_free") if not callable(getattr(cls, m, None))]
        if missing:
            raise CcsimInputError(
                f"routing policy {name!r}",
                cls.__name__,
                f"a class with methods caller_arrives and agent_free (missing {', '.join(missing)})",
            )
        known = _REGISTRY.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise CcsimInputError("routing policy name", name, f"a name not yet taken (it is {known.__qualname__}'s)")
        _REGISTRY[name] = cls
        return cls

    return register


def unregister_routing(name: str) -> None:
    """Remove the policy registered under ``name`` with :func:`register_routing` (the built-in ones stay)."""
    removable = [n for n in routing_names() if n not in _BUILT_IN]
    if name not in removable:
        allowed = (
            "one of " + ", ".join(map(repr, removable)) if removable else "a name registered with register_routing"
        )
        raise CcsimInputError("routing policy name", name, f"{allowed} ('pooled' and 'site_first' are built in)")
    del _REGISTRY[name]


def routing_policy(name: str) -> type[RoutingPolicy]:
    """The policy class registered under ``name``."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise CcsimInputError("routing.mode", name, "one of " + ", ".join(repr(n) for n in routing_names())) from None


def routing_names() -> tuple[str, ...]:
    """The registered routing policy names, sorted."""
    return tuple(sorted(_REGISTRY))


def longest_idle(level: list[Group]) -> Group | None:
    """The group among ``level`` (groups at one skill priority) whose next idle agent has been idle longest; None if nobody is idle."""
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


T = TypeVar("T")


def _by_priority(items: list[T], priority: Callable[[T], int | None]) -> list[list[T]]:
    """``items`` with a priority (None: left out), split by it, best (1) first; order kept within a level."""
    ranked: dict[int, list[T]] = {}
    for item in items:
        p = priority(item)
        if p is not None:
            ranked.setdefault(p, []).append(item)
    return [ranked[p] for p in sorted(ranked)]


def priority_levels(groups: list[Group], skill: str) -> list[list[Group]]:
    """The ``groups`` that have ``skill``, split by the skill's priority in each, best (1) first; group order kept within a level."""
    return _by_priority(groups, lambda group: group.priorities.get(skill))


def skill_levels(group: Group, skills: tuple[str, ...]) -> list[list[str]]:
    """The group's skills split by priority, best first (skills in the order of ``skills``)."""
    return _by_priority(list(skills), group.priorities.get)


@register_routing("pooled")
class PooledRouting:
    """Any skilled agent at any site: one queue per skill.

    An arriving caller goes to an idle agent of the groups with the skill at the best priority,
    the agent idle longest among them. A free agent takes, among its skills at its best priority
    that has a caller, the caller waiting longest (first come, first served across those queues).
    """

    per_site_queues: ClassVar[bool] = False

    def __init__(self, view: RoutingView):
        self.view = view
        self._entry = view.queue_entry_s
        self._answer = view.answer
        self._join = view.join
        groups = list(view.groups)
        self._servers = [priority_levels(groups, q.skill) for q in view.queues]
        """Per queue: groups with the skill by priority level, best first."""
        queue_of = {q.skill: q for q in view.queues}
        self._levels = [[[queue_of[s] for s in level] for level in skill_levels(g, view.skills)] for g in groups]
        """Per group: the queues of its skills by priority level, best first."""

    def caller_arrives(self, leg: int, queue: Queue) -> None:
        """Offer the caller to an idle agent with the skill (best priority, then idle longest), else queue them."""
        for level in self._servers[queue.index]:
            group = longest_idle(level)
            if group is not None:
                self._answer(leg, group, self._entry[leg])
                return
        self._join(leg, queue)

    def agent_free(self, agent: Agent, now: float) -> int:
        """Best skill priority first, then the caller waiting longest across those queues; -1 if none."""
        for level in self._levels[agent.group.index]:
            if len(level) == 1:
                leg = level[0].next_live(now)
                if leg >= 0:
                    return leg
                continue
            best: Queue | None = None
            best_entry = math.inf
            for queue in level:
                leg = queue.head(now)
                if leg >= 0 and self._entry[leg] < best_entry:
                    best, best_entry = queue, self._entry[leg]
            if best is not None:
                return best.waiting.popleft()
        return -1


@register_routing("site_first")
class SiteFirstRouting:
    """The caller's own site first; after ``overflow_after_s`` seconds, any site's agents (call sharing).

    One queue per (skill, caller's site). On arrival a caller is offered to idle agents at their own
    site only (at once to every site if ``overflow_after_s`` is 0). A free agent takes, among the
    heads of its skills' queues at its best priority level, the caller waiting longest who is
    eligible (own site: always; other sites: waited at least ``overflow_after_s``). A caller still
    waiting when overflow opens is offered then to an idle agent at another site (one timed event
    per queued caller); answered out of line, they stay in their deque until it reaches them.
    """

    per_site_queues: ClassVar[bool] = True

    def __init__(self, view: RoutingView):
        self.view = view
        self.overflow_after_s = float(view.routing.overflow_after_s)
        self._entry = view.queue_entry_s
        self._give_up = view.give_up_s
        self._answer = view.answer
        self._join = view.join
        groups = list(view.groups)
        self._own = [priority_levels([g for g in groups if g.site == q.site], q.skill) for q in view.queues]
        """Per queue: groups at the queue's site with the skill, by priority level."""
        self._other = [priority_levels([g for g in groups if g.site != q.site], q.skill) for q in view.queues]
        """Per queue: groups at other sites with the skill, by priority level (offered once overflow opens)."""
        by_skill: dict[str, list[Queue]] = {}
        for q in view.queues:
            by_skill.setdefault(q.skill, []).append(q)
        self._levels = [
            [[(q, q.site != g.site) for s in level for q in by_skill[s]] for level in skill_levels(g, view.skills)]
            for g in groups
        ]
        """Per group: (queue, at another site) pairs of its skills by priority level, best first."""

    def caller_arrives(self, leg: int, queue: Queue) -> None:
        """Offer the caller to an idle agent at their site (any site if overflow is immediate), else queue them and time the overflow."""
        now = self._entry[leg]
        for level in self._own[queue.index]:
            group = longest_idle(level)
            if group is not None:
                self._answer(leg, group, now)
                return
        after = self.overflow_after_s
        if after <= 0:
            for level in self._other[queue.index]:
                group = longest_idle(level)
                if group is not None:
                    self._answer(leg, group, now)
                    return
        self._join(leg, queue)
        if after > 0 and self._other[queue.index] and self._give_up[leg] > now + after:
            view = self.view
            view.call_later(max(now + after - view.now, 0.0), self._overflow, (leg, queue))

    def _overflow(self, value: tuple[int, Queue]) -> None:
        leg, queue = value
        view = self.view
        now = view.now
        if view.agent_of[leg] >= 0 or self._give_up[leg] <= now:
            return  # answered or hung up already
        for level in self._other[queue.index]:
            group = longest_idle(level)
            if group is not None:
                queue.answered_elsewhere(leg)
                self._answer(leg, group, now)
                return

    def agent_free(self, agent: Agent, now: float) -> int:
        """Best skill priority first, then the longest-waiting eligible caller (other sites: waited ≥ overflow_after_s); -1 if none."""
        entry = self._entry
        after = self.overflow_after_s
        for level in self._levels[agent.group.index]:
            best: Queue | None = None
            best_entry = math.inf
            for queue, remote in level:
                leg = queue.head(now)
                if leg >= 0:
                    e = entry[leg]
                    if remote and now - e < after:
                        continue
                    if e < best_entry:
                        best, best_entry = queue, e
            if best is not None:
                return best.waiting.popleft()
        return -1
