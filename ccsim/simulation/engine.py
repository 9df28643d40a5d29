"""The simulation engine: callers, queues, agents and a routing policy as SimPy processes → a per-contact log.

The story of one simulated day (:func:`simulate`):

* **Callers arrive** (:mod:`~ccsim.simulation.arrivals`), a Poisson process whose rate is constant
  within each interval, spend ``menu_time_s`` in the voice menu (which may resolve them), then join
  the queue for the skill their call type needs. Their patience clock starts in the queue.
* **The routing policy** (:mod:`~ccsim.simulation.routing`, chosen by ``Routing.mode``) hands an
  arriving caller to an idle agent with the skill, or queues them; when an agent is free it picks
  the caller the agent takes. ``pooled``: one queue per skill, any site; ``site_first``: the
  caller's own site first, every site after ``overflow_after_s``.
* **Agents** (:mod:`~ccsim.simulation.agents`) work their time on duty: take a waiting caller or
  wait to be offered one, handle the call, repeat. When staffing falls an agent leaves when idle,
  or after the call in progress. Sites' opening hours zero their agents' staffing outside them.
* **Callers hang up** when their patience runs out: the give-up time is known when they join, so
  a queue drops them lazily when someone looks at its head (:mod:`~ccsim.simulation.queues`).
* **Call-backs** (:mod:`~ccsim.simulation.callbacks`): a caller who queues when the predicted wait
  is long may accept a call-back, keeping their place without hanging up.
* **Transfers** (:mod:`~ccsim.simulation.transfers`): after a call a caller may join another call
  type's queue (a new *leg* of the same contact) or be handed to the back office.
* **After the horizon** no more callers arrive; the agents on duty at the end stay until the queue
  is empty, for at most ``max_drain_s`` seconds. Anyone still waiting then is *unanswered*.
* **The log** (:mod:`~ccsim.simulation.logs`) is built at the end: one row per contact, one per leg,
  one per span on duty, in a :class:`~ccsim.simulation.result.SimulationResult`; an overloaded
  center adds a sentence to its ``warnings`` (:mod:`~ccsim.simulation.overload`).

Every random number flows from the seed, one named stream per purpose
(:mod:`~ccsim.simulation.randomness`). Time per simulated call does not grow with the size of the
center: idle agents wait in a deque per group, queues are deques, the log is lists turned into
DataFrames once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from ccsim.errors import CcsimInputError, CcsimWarning, OverloadWarning, check_number
from ccsim.simulation.agents import Workforce, build_groups
from ccsim.simulation.arrivals import callers_arrive, draw_callers
from ccsim.simulation.callbacks import Callbacks
from ccsim.simulation.issue_log import add_journey_columns, issues_frame, leg_results, reorder
from ccsim.simulation.journeys import JourneyRun, draw_members
from ccsim.simulation.logs import LegLog, Names, contacts_frame, leg_arrays, legs_frame, on_duty_frame
from ccsim.simulation.members import Journeys
from ccsim.simulation.model import CenterModel
from ccsim.simulation.overload import MAX_EXPECTED_CALLS, check_size, demand_ratio, overload_message, planned_staffed_s
from ccsim.simulation.queues import Queue, build_queues
from ccsim.simulation.randomness import STREAMS, seed_sequence, stream_generator
from ccsim.simulation.result import AGENT_STATES, OUTCOMES, UNANSWERED, SimulationResult
from ccsim.simulation.routing import RoutingPolicy, RoutingView, routing_policy
from ccsim.simulation.staffing import seconds_per_interval
from ccsim.simulation.transfers import Transfers

__all__ = [
    "AGENT_STATES",
    "MAX_EXPECTED_CALLS",
    "OUTCOMES",
    "STREAMS",
    "CcsimWarning",
    "OverloadWarning",
    "SimulationResult",
    "demand_ratio",
    "overload_message",
    "planned_staffed_s",
    "seconds_per_interval",
    "simulate",
    "stream_generator",
]


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
    (and sets ``result.overload``). A model expected to offer more than :data:`MAX_EXPECTED_CALLS`
    calls over its horizon (it would not fit in memory) raises :class:`~ccsim.errors.CcsimInputError`.

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
    check_size(model)
    return _Day(model, seed, max_drain_s).run()


class _Day:
    """One run: draw the callers, set up queues, agents and the routing policy, let the day happen, write the log."""

    def __init__(self, model: CenterModel, seed: int | np.random.SeedSequence, max_drain_s: float | None):
        self.model = model
        self.seed = seed
        self.ss = seed_sequence(seed)
        self.horizon_s = model.horizon_s
        if max_drain_s is None:
            max_drain_s = max(2 * self.horizon_s, 3600.0)
        self.cutoff_s = self.horizon_s + check_number("max_drain_s", max_drain_s, low=0)
        self.env = simpy.Environment()
        self.callers = draw_callers(model, self.ss)
        consults = any(t.consult for ct in model.call_types for t in ct.transfers)
        self.spec = model.journeys or (Journeys() if consults else None)
        """Members' journeys; a model with consults but no journeys runs with the default spec (no one calls again)."""
        self.members = None if self.spec is None else draw_members(model, self.spec, self.ss, self.callers)
        self.legs = LegLog(
            self.callers, transfers=self.spec is not None or any(ct.transfers for ct in model.call_types)
        )
        self.journeys: JourneyRun | None = None
        self._set_up_center()

    def _set_up_center(self) -> None:
        """Queues, agent groups, call-backs, the routing policy and the transfers, wired together."""
        model, env, legs = self.model, self.env, self.legs
        policy: type[RoutingPolicy] = routing_policy(model.routing.mode)
        skills = list(dict.fromkeys(ct.required_skill for ct in model.call_types))
        sites = self.callers.site_names
        self.queues = build_queues(skills, len(sites), legs.give_up_s, per_site=policy.per_site_queues)
        self.groups = build_groups(model, sites, skills, self.horizon_s)
        queue_list = list(self.queues.values())
        self.callbacks = (
            Callbacks(model, queue_list, self.groups, legs, self.ss) if model.callback is not None else None
        )
        self.workforce = Workforce(env, self.groups, legs, self.horizon_s)
        view = RoutingView(
            routing=model.routing,
            queues=tuple(queue_list),
            groups=tuple(self.groups),
            skills=tuple(skills),
            queue_entry_s=legs.queue_entry_s,
            give_up_s=legs.give_up_s,
            agent_of=legs.agent_of,
            clock=lambda: env.now,
            answer=self.workforce.answer,
            join=_join if self.callbacks is None else self.callbacks.join,
            call_later=self._call_later,
        )
        self.router = policy(view)
        self.workforce.agent_free = self.router.agent_free
        self._site_of = self.callers.site.tolist()
        self._queue_table = [
            [self.queues.get((ct.required_skill, -1)) or self.queues[ct.required_skill, i] for i in range(len(sites))]
            for ct in model.call_types
        ]
        """Per call type and caller's site: the queue the caller joins."""
        if self.spec is not None and self.members is not None:
            self.journeys = JourneyRun(
                model, self.spec, self.ss, env, legs, self.callers, self.members, self._queue_table,
                self.router.caller_arrives,
            )  # fmt: skip
            self.workforce.call_ended = self.journeys.call_ended
            for queue in queue_list:
                queue.hung_up = self.journeys.hung_up
        elif legs.contact is not None:
            transfers = Transfers(model, self.ss, legs, lambda: env.now, self.queue_of, self.router.caller_arrives)
            self.workforce.call_ended = transfers.call_ended

    def queue_of(self, call_type: int, contact: int) -> Queue:
        """The queue a caller of ``call_type`` (index) joins: their skill's (at their site, if queues are per site)."""
        return self._queue_table[call_type][self._site_of[contact]]

    def _call_later(self, delay_s: float, callback: Callable[[Any], None], value: Any) -> None:
        event = self.env.timeout(delay_s, value)
        event.callbacks.append(lambda e: callback(e.value))

    def run(self) -> SimulationResult:
        """The day: agents on duty, callers arriving until the horizon, then the drain, then the log."""
        env = self.env
        self._start()
        if self.horizon_s > 0:
            env.run(until=self.horizon_s)
        # drain: no more arrivals; agents on duty stay until the queue is empty, up to the cut-off
        cutoff, peek, step = self.cutoff_s, env.peek, env.step
        while peek() <= cutoff:
            step()
        cut = any(q.head(cutoff) >= 0 for q in self.queues.values())  # someone still on the line
        return self._result(cutoff if cut else max(env.now, self.horizon_s))

    def _start(self) -> None:
        """Agents on duty, and the process letting the callers into their queues."""
        callers = self.callers
        self.workforce.start()
        table = self._queue_table
        queue_of = [table[k][i] for k, i in zip(callers.call_type.tolist(), self._site_of, strict=True)]
        self.env.process(
            callers_arrive(self.env, callers, self.legs.queue_entry_s, queue_of, self.router.caller_arrives)
        )

    def _result(self, end_s: float) -> SimulationResult:
        model, callers, legs = self.model, self.callers, self.legs
        names = Names.of(model, callers.site_names)
        agent_group = np.array([a.group.index for a in self.workforce.agents], dtype=np.int64)
        group_site = np.array([g.site for g in self.groups], dtype=np.int64)
        offers = None if self.callbacks is None else (self.callbacks.offered, self.callbacks.accepted)
        ordered = None
        if self.journeys is not None:  # contacts made again were appended: back into arrival order
            ordered = reorder(legs, self.journeys, callers, offers)
            legs, callers, offers = ordered.legs, ordered.callers, ordered.offers
            self.callers = self.members = self._site_of = None  # type: ignore[assignment]  # a month's worth, copied
        arrays = leg_arrays(legs, callers, self.cutoff_s, agent_group, group_site, offers)
        answered = arrays.agent >= 0
        spans = self.workforce.final_spans(end_s, arrays.agent[answered], arrays.end_s[answered])
        on_duty = on_duty_frame(spans, agent_group, group_site, names)
        staffed = seconds_per_interval(
            on_duty["start_s"].to_numpy(), on_duty["end_s"].to_numpy(), model.interval_s, model.intervals
        )
        contacts = contacts_frame(model, callers, arrays, names)
        legs_log = None if legs.contact is None else legs_frame(callers, arrays, names)
        issues = None
        if self.journeys is not None and ordered is not None:
            results = leg_results(ordered, arrays)
            add_journey_columns(contacts, legs_log, self.journeys, ordered, arrays, results)
            issues = issues_frame(
                contacts, self.journeys, ordered, arrays, results, (names.call_types, names.sites), float(end_s)
            )
        result = SimulationResult(
            contacts=contacts,
            on_duty=on_duty,
            staffed_s_per_interval=staffed,
            model=model,
            seed=self.seed,
            horizon_s=self.horizon_s,
            end_s=float(end_s),
            issues=issues,
            _legs=legs_log,
        )
        unanswered = int((arrays.outcome == UNANSWERED).sum())
        message = overload_message(model, [unanswered], staffed_s=float(staffed.sum()))
        if message:
            result.warnings.append(message)
            result.overload = message
        return result


def _join(leg: int, queue: Queue) -> None:
    """The caller waits at the end of ``queue`` (no call-backs in this model)."""
    queue.waiting.append(leg)
