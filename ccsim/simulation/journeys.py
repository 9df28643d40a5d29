"""Members' journeys during a run: what each answered call does to the member's issue, and when they call again.

The story (a :class:`~ccsim.simulation.members.Journeys` spec on the model turns it on):

* Every caller the arrival process brings is a **member with a new issue**: a persona and a reason
  drawn from their shares among those that use the caller's call type. The persona scales the
  caller's handle time, patience and voice-menu containment.
* **After an answered call** (:meth:`JourneyRun.call_ended`) one draw decides, with the call type's
  chances: a warm transfer (a new leg, as without journeys), a back-office hand-off (resolved after
  a processing delay), a consult (the agent stays on the line until an agent of the consulted
  call type has taken the consult; the consulted call type's handle time), resolved, or
  unresolved.
* **The member calls again** as a new contact of the same issue: after an unresolved call, after
  hanging up (a redial), on days waiting for a back office (a chase), or now and then even after
  the issue was resolved (a recontact, which reopens it). Delays count from the end of the contact
  before, so an issue's contacts never overlap; a return while no site takes calls moves to the
  next time one does (:class:`CallingHours`), and one after the horizon is never made.

Times in seconds after the horizon start.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from ccsim.simulation.calling_hours import CallingHours
from ccsim.simulation.logs import floats, ints, small_ints
from ccsim.simulation.members import DAY_S, Journeys, Persona, Reason
from ccsim.simulation.randomness import Draws, stream_generator

if TYPE_CHECKING:
    from ccsim.simulation.arrivals import Callers
    from ccsim.simulation.distributions import Distribution
    from ccsim.simulation.logs import LegLog
    from ccsim.simulation.model import CenterModel
    from ccsim.simulation.queues import Queue

LEG_RESULTS: tuple[str, ...] = (
    "resolved",
    "consulted",
    "transferred",
    "back_office",
    "unresolved",
    "chased",
    "abandoned",
    "unanswered",
    "self_service",
    "consult",
)
"""What a leg (and, for its final leg, a contact) did for the member's issue.

*resolved*: the agent resolved it; *consulted*: resolved after a consult on the line; *transferred*:
moved on to another queue; *back_office*: handed off; *unresolved*: not resolved, the member may call
again; *chased*: the member called about an issue still waiting for the back office; *abandoned*,
*unanswered*, *self_service*: as the outcome; *consult*: the leg of an agent consulting another."""
(
    RESOLVED,
    CONSULTED,
    TRANSFERRED,
    BACK_OFFICE,
    UNRESOLVED,
    CHASED,
    ABANDONED_R,
    UNANSWERED_R,
    SELF_SERVICE_R,
    CONSULT,
) = range(10)

CONTACT_KINDS: tuple[str, ...] = ("first", "redial", "repeat", "chase", "recontact")
"""Why a contact was made: an issue's first contact; a redial after hanging up; a repeat after an unresolved
call; a chase of a back-office hand-off; a recontact after the issue was resolved."""
FIRST, REDIAL, REPEAT, CHASE, RECONTACT = range(5)

_ROUTE_TRANSFER, _ROUTE_BACK_OFFICE, _ROUTE_CONSULT = 0, 1, 2
_AHEAD_S = 3600.0
"""Members due to call further ahead than this wait outside SimPy's event queue until the hour they call in."""
_Route = tuple[float, int, int, Any, float, float]
"""(cumulative probability, route kind, call type index, back-office draws or seconds, resolves_share, max_hold_s)."""


def _draws(distribution: Distribution, rng: np.random.Generator) -> Draws:
    return Draws(lambda size: distribution.sample(rng, size))


def draw_members(
    model: CenterModel, spec: Journeys, seed: np.random.SeedSequence, callers: Callers
) -> tuple[np.ndarray, np.ndarray]:
    """Each first caller's persona and reason (indices into the spec's tuples); their persona's factors applied to ``callers`` in place."""
    n = callers.n
    persona = np.zeros(n, dtype=np.int64)
    reason = np.zeros(n, dtype=np.int64)
    for k, ct in enumerate(model.call_types):
        mine = np.flatnonzero(callers.call_type == k)
        for stream, items, out in (
            ("persona", spec.personas_for(ct.name), persona),
            ("reason", spec.reasons_for(ct.name), reason),
        ):
            shares = np.array([x.share for x in items], dtype=float)
            every: tuple[Persona | Reason, ...] = spec.personas if stream == "persona" else spec.reasons
            codes = np.array([every.index(x) for x in items])
            out[mine] = codes[
                stream_generator(seed, stream, k).choice(len(items), size=mine.size, p=shares / shares.sum())
            ]
    factors = {f: np.array([getattr(p, f) for p in spec.personas]) for f in ("handle_time_factor", "patience_factor")}
    callers.handle_s = callers.handle_s * factors["handle_time_factor"][persona]
    callers.patience_s = callers.patience_s * factors["patience_factor"][persona]
    containment = np.array([ct.menu_containment for ct in model.call_types])[callers.call_type]
    containment = np.minimum(1.0, containment * np.array([p.menu_containment_factor for p in spec.personas])[persona])
    callers.self_served = stream_generator(seed, "journey_menu", 0).random(n) < containment
    callers.give_up_s = callers.queue_entry_s + callers.patience_s
    return persona, reason


class JourneyRun:
    """The members' side of one run: each contact's issue, the outcome of every answered call, the calls made again.

    ``contacts`` lists grow as members call again (a first caller ``c < n`` is contact ``c`` and opens issue ``c``).
    """

    def __init__(
        self,
        model: CenterModel,
        spec: Journeys,
        seed: np.random.SeedSequence,
        env: simpy.Environment,
        legs: LegLog,
        callers: Callers,
        members: tuple[np.ndarray, np.ndarray],
        queue_table: list[list[Queue]],
        caller_arrives: Callable[[int, Queue], None],
    ):
        assert legs.contact is not None
        self.spec = spec
        self.model, self.env, self.legs = model, env, legs
        self.horizon_s = model.horizon_s
        self.persona = small_ints(members[0])
        self.reason = small_ints(members[1])
        self.persona_reason = small_ints(members[0] * len(spec.reasons) + members[1])
        self._contact = legs.contact
        self._call_type = legs.call_type
        n = callers.n
        # per contact
        self.issue = ints(np.arange(n))
        self.kind = small_ints(np.full(n, FIRST))
        self.arrival_s = floats(callers.arrival_s)
        self.site = small_ints(callers.site)
        self.self_served = small_ints(callers.self_served)
        self.first_leg = ints(np.arange(n))
        # per issue
        self.issue_type = small_ints(callers.call_type)
        self.resolved_s = floats(np.where(callers.self_served, callers.queue_entry_s, math.nan))
        self.back_office_until = floats(np.full(n, -math.inf))
        # per leg
        self.result = small_ints(np.full(n, -1))
        self.consult_legs: dict[int, simpy.Event] = {}
        self._queue_table = queue_table
        self._caller_arrives = caller_arrives
        self._due: dict[int, list[tuple[float, int, int, int]]] = {}
        """Hour → (time_s, issue, kind, site) of the members due to call in it, put aside (see :meth:`_schedule`)."""
        self._set_up_draws(model, seed)
        self.hours = CallingHours(model, callers.site_names, Draws(stream_generator(seed, "journey_time").random))

    def _set_up_draws(self, model: CenterModel, seed: np.random.SeedSequence) -> None:
        spec = self.spec
        p = spec.personas
        self._handle_factor = [x.handle_time_factor for x in p]
        self._patience_factor = [x.patience_factor for x in p]
        self._menu_factor = [x.menu_containment_factor for x in p]
        self._resolution_factor = [x.resolution_factor * r.resolution_factor for x in p for r in spec.reasons]
        """Per persona and reason (``persona × reasons + reason``): the factor on a call type's chance of resolving."""
        self._return_factor = [x.return_factor for x in p]
        names = [c.name for c in model.call_types]
        self._routes: list[list[_Route]] = []
        """Per call type: (cumulative probability, route kind, call type index, back-office draws or seconds, resolves_share, max_hold_s)."""
        self._handle, self._patience, self._outcome = [], [], []
        self._resolves = [ct.resolves for ct in model.call_types]
        self._stays = [max(0.0, 1 - sum(t.probability for t in ct.transfers)) for ct in model.call_types]
        self._routed = [1.0 - x for x in self._stays]
        for k, ct in enumerate(model.call_types):
            routes, cumulative = [], 0.0
            for j, t in enumerate(ct.transfers):
                cumulative += t.probability
                if t.to_call_type is None:
                    office: Any = t.back_office_s
                    if t.back_office is not None:
                        office = _draws(t.back_office, stream_generator(seed, "back_office", 64 * k + j))
                    routes.append((cumulative, _ROUTE_BACK_OFFICE, -1, office, 1.0, 0.0))
                else:
                    kind = _ROUTE_CONSULT if t.consult else _ROUTE_TRANSFER
                    routes.append((cumulative, kind, names.index(t.to_call_type), 0.0, t.resolves_share, t.max_hold_s))
            self._routes.append(routes)
            self._handle.append(_draws(ct.handle_time, stream_generator(seed, "journey_handle_time", k)))
            self._patience.append(
                None if ct.patience is None else _draws(ct.patience, stream_generator(seed, "journey_patience", k))
            )
            self._outcome.append(Draws(stream_generator(seed, "journey_outcome", k).random))
        self._menu = [(ct.menu_time_s, ct.menu_containment) for ct in model.call_types]
        self._u = Draws(stream_generator(seed, "redial").random)
        self._delays = {
            kind: _draws(dist, stream_generator(seed, "journey_delay", kind))
            for kind, dist in (
                (REDIAL, spec.redial_delay),
                (REPEAT, spec.return_delay),
                (RECONTACT, spec.recontact_delay),
            )
        }
        self._chase_rng = stream_generator(seed, "journey_delay", CHASE)
        self._redial = [min(1.0, spec.redial_share * f) for f in self._return_factor]
        self._recontact = [min(1.0, spec.recontact_share * f) for f in self._return_factor]
        self._recontacts = spec.recontact_share > 0
        self._return = [min(1.0, spec.return_share * f) for f in self._return_factor]

    def release(self) -> None:
        """Empty the per-contact and per-issue records in place once the log has copied them."""
        for values in (self.issue, self.kind, self.arrival_s, self.site, self.self_served, self.first_leg,
                       self.issue_type, self.resolved_s, self.back_office_until, self.result,
                       self.persona, self.reason, self.persona_reason):  # fmt: skip
            del values[:]

    # -- contacts ---------------------------------------------------------------------------------

    def hung_up(self, leg: int) -> None:
        """A queue dropped ``leg`` (its give-up time passed): the member may call again, timed from when they hung up.

        Queues drop callers who hung up when an agent or a caller next looks at them (no event per caller),
        so in a center where nothing happens for longer than the delay (e.g. overnight) the next contact
        starts from then instead.
        """
        legs = self.legs
        if legs.agent_of[leg] >= 0 or leg in legs.consults:
            return  # answered out of line by the routing policy, or an agent's consult
        give_up = legs.give_up_s[leg]
        issue = self.issue[legs.contact[leg]]  # type: ignore[index]  # journeys track contacts
        if self.back_office_until[issue] > give_up:
            self._next_chase(issue, give_up)
        elif self._u() < self._redial[self.persona[issue]]:
            self._call_again(issue, REDIAL, give_up)

    def _call_again(self, issue: int, kind: int, since_s: float | None = None) -> None:
        """The member of ``issue`` calls again (``kind``) after that kind's delay from ``since_s`` (default now), not before now."""
        now = self.env.now
        at = (now if since_s is None else since_s) + self._delays[kind]()
        placed = self.hours.place(at if at > now else now, self.site[issue])  # first caller c opened issue c: c's site
        if placed is not None:
            self._schedule(issue, kind, *placed)

    def _schedule(self, issue: int, kind: int, time_s: float, site: int) -> None:
        """The member of ``issue`` calls at ``time_s``: a timeout now if it is within the hour, else one put aside till then.

        A month has thousands of members due to call days ahead; kept out of SimPy's event queue until
        their hour comes, they do not slow every other event down.
        """
        now = self.env.now
        if time_s - now < _AHEAD_S:
            timer = self.env.timeout(time_s - now, (issue, kind, site))
            timer.callbacks.append(self._arrive)
            return
        hour = int(time_s // _AHEAD_S)
        due = self._due.get(hour)
        if due is None:
            due = self._due[hour] = []
            wake = self.env.timeout(hour * _AHEAD_S - now, hour)
            wake.callbacks.append(self._release)
        due.append((time_s, issue, kind, site))

    def _release(self, event: simpy.Event) -> None:
        """The hour has come: the members put aside for it get their timeouts."""
        now = self.env.now
        hour: int = event.value  # type: ignore[assignment]  # set by _schedule
        for time_s, issue, kind, site in self._due.pop(hour):
            timer = self.env.timeout(time_s - now, (issue, kind, site))
            timer.callbacks.append(self._arrive)

    def _arrive(self, event: simpy.Event) -> None:
        """A member calls again: a new contact, through the voice menu into the queue of the issue's call type."""
        issue, kind, site = event.value  # type: ignore[misc]  # set by _schedule
        now = self.env.now
        if kind == RECONTACT:
            self.resolved_s[issue] = math.nan  # reopened
        k = self.issue_type[issue]
        persona = self.persona[issue]
        menu_s, containment = self._menu[k]
        served = containment > 0 and self._u() < containment * self._menu_factor[persona]
        patience = self._patience[k]
        entry = now + menu_s
        give_up = entry + patience() * self._patience_factor[persona] if patience is not None else math.inf
        contact = len(self.issue)
        handle = self._handle[k]() * self._handle_factor[persona] * self.spec.repeat_handle_time_factor
        leg = self.legs.add_first(contact, k, entry, handle, give_up)
        self.issue.append(issue)
        self.kind.append(kind)
        self.arrival_s.append(now)
        self.site.append(site)
        self.self_served.append(served)
        self.first_leg.append(leg)
        self.result.append(-1)
        if served:
            self.result[leg] = SELF_SERVICE_R
            if self.back_office_until[issue] > now:
                self._next_chase(issue)
            elif math.isnan(self.resolved_s[issue]):
                self.resolved_s[issue] = entry
            return
        queue = self._queue_table[k][site]
        if menu_s > 0:
            timer = self.env.timeout(menu_s, (leg, queue))
            timer.callbacks.append(lambda e: self._caller_arrives(*e.value))
        else:
            self._caller_arrives(leg, queue)

    def _next_chase(self, issue: int, since_s: float | None = None) -> None:
        """The member of an issue waiting for the back office may call to chase it on a later day than ``since_s`` (default now)."""
        share = min(1.0, self.spec.chase_share_per_day * self._return_factor[self.persona[issue]])
        if share <= 0:
            return
        since = self.env.now if since_s is None else since_s
        day = max(int(since // DAY_S) + int(self._chase_rng.geometric(share)), int(self.env.now // DAY_S) + 1)
        placed = self.hours.on_day(day, self.site[issue])
        if placed is not None and placed[0] < self.back_office_until[issue]:
            self._schedule(issue, CHASE, *placed)

    # -- after a call ------------------------------------------------------------------------------

    def call_ended(self, leg: int) -> simpy.Event | None:
        """After an agent handled ``leg``: what happens to the issue. Returns the event a consulting agent waits for, else None."""
        if self.consult_legs:
            hold = self.consult_legs.pop(leg, None)
            if hold is not None:  # a consult ended: the agent who asked for it goes on
                self.result[leg] = CONSULT
                if not hold.triggered:
                    hold.succeed(True)
                return None
        contact = self._contact[leg]
        issue = self.issue[contact]
        if self.kind[contact] == CHASE:  # the back office has the issue: the agent can only tell where it stands
            self._chase_answered(leg, issue)
            return None
        k = self._call_type[leg]
        u = self._outcome[k]()
        routes = self._routes[k]
        if routes and u < routes[-1][0]:
            return self._route(leg, issue, u, routes)
        routed, stays = self._routed[k], self._stays[k]
        chance = self._resolves[k] * self._resolution_factor[self.persona_reason[issue]]
        if chance > stays:
            chance = stays
        # given the outcome, where u fell within its share is a fresh uniform number: it decides what the member does next
        if u < routed + chance:  # the common case, written out: resolved
            self.result[leg] = RESOLVED
            self.resolved_s[issue] = self.env.now
            if self._recontacts and (u - routed) / chance < self._recontact[self.persona[issue]]:
                self._call_again(issue, RECONTACT)
        else:
            self._unresolved(leg, issue, (u - routed - chance) / (1.0 - routed - chance))
        return None

    def _route(self, leg: int, issue: int, u: float, routes: list[_Route]) -> simpy.Event | None:
        """The call moves on: a warm transfer, a back-office hand-off or a consult (the first route whose share holds ``u``)."""
        for cumulative, kind, to, office, resolves, max_hold in routes:
            if u < cumulative:
                if kind == _ROUTE_TRANSFER:
                    self._transfer(leg, issue, to)
                elif kind == _ROUTE_BACK_OFFICE:
                    self._hand_off(leg, issue, office if isinstance(office, float) else office())
                else:
                    return self._consult(leg, issue, to, resolves, max_hold)
                break
        return None

    def _chase_answered(self, leg: int, issue: int) -> None:
        if self.back_office_until[issue] > self.env.now:
            self.result[leg] = CHASED
            self._next_chase(issue)
        else:
            self.result[leg] = RESOLVED  # done while they waited: the member hears it is

    def _resolved(self, leg: int, issue: int, result: int, u: float) -> None:
        """The issue is resolved; with the recontact chance (against uniform ``u``) the member calls again anyway."""
        self.result[leg] = result
        self.resolved_s[issue] = self.env.now
        if u < self._recontact[self.persona[issue]]:
            self._call_again(issue, RECONTACT)

    def _unresolved(self, leg: int, issue: int, u: float) -> None:
        """The issue stays open; with the return chance (against uniform ``u``) the member calls again."""
        self.result[leg] = UNRESOLVED
        if u < self._return[self.persona[issue]]:
            self._call_again(issue, REPEAT)

    def _transfer(self, leg: int, issue: int, to: int) -> None:
        self.result[leg] = TRANSFERRED
        persona, now = self.persona[issue], self.env.now
        patience = self._patience[to]
        give_up = now + patience() * self._patience_factor[persona] if patience is not None else math.inf
        new = self.legs.add(leg, to, now, self._handle[to]() * self._handle_factor[persona], give_up)
        self.result.append(-1)
        self._caller_arrives(new, self._queue_table[to][self.site[self.legs.contact[new]]])  # type: ignore[index]

    def _hand_off(self, leg: int, issue: int, delay_s: float) -> None:
        self.result[leg] = BACK_OFFICE
        done = self.env.now + delay_s
        self.legs.handoffs[leg] = done
        self.back_office_until[issue] = done
        self.resolved_s[issue] = done
        self._next_chase(issue)

    def _consult(self, leg: int, issue: int, to: int, resolves: float, max_hold_s: float) -> simpy.Event:
        """The agent stays on the line and asks an agent of call type ``to``; the call ends when the consult does."""
        env, legs = self.env, self.legs
        start = env.now
        consult = legs.add_consult(leg, to, start, self._handle[to](), start + max_hold_s)
        self.result.append(-1)
        hold = env.event()
        self.consult_legs[consult] = hold
        timer = env.timeout(max_hold_s)

        def nobody_answered(_: simpy.Event) -> None:
            if not hold.triggered and legs.agent_of[consult] < 0:
                hold.succeed(False)  # the consulting agent gives up waiting; the consult leg hangs up now

        timer.callbacks.append(nobody_answered)

        def consult_over(event: simpy.Event) -> None:
            self.consult_legs.pop(consult, None)
            legs.handle_s[leg] += env.now - start  # the agent and the member were on the line throughout
            u = self._u()
            if event.value and u < resolves:
                self._resolved(leg, issue, CONSULTED, u / resolves)
            else:
                self._unresolved(leg, issue, self._u())

        hold.callbacks.append(consult_over)
        self._caller_arrives(consult, self._queue_table[to][self.site[legs.contact[leg]]])  # type: ignore[index]
        return hold
