"""The log of a run: per-leg lists written while it runs, then the contacts, legs and on-duty DataFrames.

Every visit of a caller to a queue is a *leg*, identified by an integer: leg ``i < n`` is contact
``i``'s first leg; a transfer appends a new leg of the same contact. Outcomes are settled when the
log is built: a leg with an agent was answered (``callback`` if the caller had accepted a
call-back), one whose give-up time passed before the cut-off was abandoned at that time, and the
rest were still waiting at the cut-off (*unanswered*).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.simulation.arrivals import Callers
from ccsim.simulation.members import DAY_S
from ccsim.simulation.model import CenterModel
from ccsim.simulation.result import ABANDONED, ANSWERED, CALLBACK, OUTCOMES, SELF_SERVICE, UNANSWERED


def floats(values: np.ndarray) -> array[float]:
    """A growable array of float64 holding ``values``: 8 bytes an item, where a list of floats takes 32."""
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return out


def ints(values: np.ndarray) -> array[int]:
    """A growable array of int64 holding ``values``."""
    out = array("q")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
    return out


def small_ints(values: np.ndarray) -> array[int]:
    """A growable array of int32 holding ``values`` (codes, small counts)."""
    out = array("i")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int32).tobytes())
    return out


class LegLog:
    """Per-leg arrays the run writes as it goes (seconds); ``contact`` and ``next_leg`` only when the model transfers.

    They are :class:`array.array` rather than lists: a month of a whole network has a million legs, and
    the log reads them as NumPy arrays without copying.
    """

    __slots__ = (
        "agent_of",
        "answer_s",
        "call_type",
        "consults",
        "contact",
        "give_up_s",
        "handle_s",
        "handoffs",
        "n",
        "next_leg",
        "queue_entry_s",
    )

    def __init__(self, callers: Callers, *, transfers: bool):
        n = self.n = callers.n
        self.queue_entry_s = floats(callers.queue_entry_s)
        self.handle_s = floats(callers.handle_s)
        self.give_up_s = floats(callers.give_up_s)
        self.answer_s = floats(np.full(n, np.nan))
        self.agent_of = ints(np.full(n, -1))
        """Id of the agent who answered, -1 if nobody."""
        self.call_type = ints(callers.call_type)
        self.contact = ints(np.arange(n)) if transfers else None
        self.next_leg = ints(np.full(n, -1)) if transfers else None
        """The leg a transfer started, -1 if none."""
        self.handoffs: dict[int, float] = {}
        """Leg → when the back office is done, for legs handed off to the back office."""
        self.consults: set[int] = set()
        """Legs of an agent consulting another (the member does not queue for them)."""

    def add(self, previous: int, call_type: int, now: float, handle_s: float, give_up_s: float) -> int:
        """Start a new leg of ``previous``'s contact entering the queue at ``now``; returns its id."""
        assert self.contact is not None and self.next_leg is not None
        new = len(self.contact)
        self.contact.append(self.contact[previous])
        self.next_leg.append(-1)
        self.next_leg[previous] = new
        self.call_type.append(call_type)
        self.queue_entry_s.append(now)
        self.handle_s.append(handle_s)
        self.give_up_s.append(give_up_s)
        self.answer_s.append(math.nan)
        self.agent_of.append(-1)
        return new

    def add_first(self, contact: int, call_type: int, entry_s: float, handle_s: float, give_up_s: float) -> int:
        """Start the first leg of a new ``contact`` (a member calling again) entering the queue at ``entry_s``; returns its id."""
        assert self.contact is not None and self.next_leg is not None
        new = len(self.contact)
        self.contact.append(contact)
        self.next_leg.append(-1)
        self._append(call_type, entry_s, handle_s, give_up_s)
        return new

    def add_consult(self, previous: int, call_type: int, now: float, handle_s: float, give_up_s: float) -> int:
        """A consult asked for during ``previous``: a leg of the same contact, in the consulted call type's queue."""
        assert self.contact is not None and self.next_leg is not None
        new = len(self.contact)
        self.contact.append(self.contact[previous])
        self.next_leg.append(-1)
        self._append(call_type, now, handle_s, give_up_s)
        self.consults.add(new)
        return new

    def _append(self, call_type: int, entry_s: float, handle_s: float, give_up_s: float) -> None:
        self.call_type.append(call_type)
        self.queue_entry_s.append(entry_s)
        self.handle_s.append(handle_s)
        self.give_up_s.append(give_up_s)
        self.answer_s.append(math.nan)
        self.agent_of.append(-1)

    def release(self) -> None:
        """Empty every per-leg array in place once the log has copied what it needs (a month's run holds millions)."""
        for name in (
            "queue_entry_s",
            "handle_s",
            "give_up_s",
            "answer_s",
            "agent_of",
            "call_type",
            "contact",
            "next_leg",
        ):
            values = getattr(self, name)
            if values is not None:
                del values[:]

    def contact_of(self, leg: int) -> int:
        return leg if self.contact is None else self.contact[leg]


@dataclass
class Names:
    """The categories of the log's Categorical columns, and codes mapping call types to skills and tiers."""

    call_types: list[str]
    groups: list[str]
    sites: list[str]
    skills: list[str]
    skill_of_type: np.ndarray
    tiers: list[str]
    tier_of_type: np.ndarray

    @classmethod
    def of(cls, model: CenterModel, sites: list[str]) -> Names:
        skills = list(dict.fromkeys(ct.required_skill for ct in model.call_types))
        tiers = list(dict.fromkeys(ct.tier for ct in model.call_types))
        return cls(
            call_types=[ct.name for ct in model.call_types],
            groups=[g.name for g in model.agent_groups],
            sites=sites,
            skills=skills,
            skill_of_type=np.array([skills.index(ct.required_skill) for ct in model.call_types], dtype=np.int64),
            tiers=tiers,
            tier_of_type=np.array([tiers.index(ct.tier) for ct in model.call_types], dtype=np.int64),
        )


@dataclass
class LegArrays:
    """The per-leg log as arrays once the run is over (NaN / -1 where a value does not apply)."""

    outcome: np.ndarray
    queue_entry_s: np.ndarray
    answer_s: np.ndarray
    abandon_s: np.ndarray
    end_s: np.ndarray
    wait_s: np.ndarray
    handle_s: np.ndarray
    agent: np.ndarray
    group: np.ndarray
    served_site: np.ndarray
    call_type: np.ndarray
    contact: np.ndarray
    site: np.ndarray
    callback_offered: np.ndarray
    handoff: np.ndarray
    back_office_s: np.ndarray
    transferred: np.ndarray
    consult: np.ndarray
    """A consult leg (an agent consulting another; the member does not queue)."""


def leg_arrays(
    legs: LegLog,
    callers: Callers,
    cutoff_s: float,
    agent_group: np.ndarray,
    group_site: np.ndarray,
    callbacks: tuple[set[int], set[int]] | None,
) -> LegArrays:
    """Settle every leg's outcome and times. ``agent_group``: group of each agent id; ``group_site``: site of each group; ``callbacks``: (offered, accepted) legs."""
    n = legs.n
    answer = np.asarray(legs.answer_s, dtype=float)
    agent = np.asarray(legs.agent_of, dtype=np.int64)
    more = answer.size > n  # transfers added legs: the lists have grown
    entry = np.asarray(legs.queue_entry_s, dtype=float) if more else callers.queue_entry_s
    handle_all = np.asarray(legs.handle_s, dtype=float) if more else callers.handle_s
    # give-up times change only for callers who accepted a call-back (and for answered legs, where they do not count)
    give_up = np.asarray(legs.give_up_s, dtype=float) if more or callbacks is not None else callers.give_up_s
    count = answer.size
    answered = agent >= 0
    abandoned = ~answered & (give_up <= cutoff_s)
    outcome = np.full(count, UNANSWERED, dtype=np.int8)
    outcome[answered] = ANSWERED
    outcome[abandoned] = ABANDONED
    outcome[:n][callers.self_served] = SELF_SERVICE  # never queued
    offered = np.zeros(count, dtype=bool)
    if callbacks is not None:
        accepted = np.fromiter(callbacks[1], dtype=np.int64)
        outcome[accepted[answered[accepted]]] = CALLBACK
        offered[np.fromiter(callbacks[0], dtype=np.int64)] = True
    end = np.where(answered, answer + handle_all, np.where(abandoned, give_up, cutoff_s))
    group = np.where(answered, agent_group[np.where(answered, agent, 0)] if agent_group.size else -1, -1)
    contact = np.arange(n, dtype=np.int64) if legs.contact is None else np.asarray(legs.contact, dtype=np.int64)
    handoff = np.zeros(count, dtype=bool)
    back_office = np.full(count, np.nan)
    if legs.handoffs:
        keys = np.fromiter(legs.handoffs.keys(), dtype=np.int64)
        handoff[keys] = True
        back_office[keys] = np.fromiter(legs.handoffs.values(), dtype=float)
    consult = np.zeros(count, dtype=bool)
    if legs.consults:
        consult[np.fromiter(legs.consults, dtype=np.int64)] = True
    return LegArrays(
        outcome=outcome,
        queue_entry_s=entry,
        answer_s=answer,
        abandon_s=np.where(abandoned, give_up, np.nan),
        end_s=end,
        wait_s=np.where(answered, answer - entry, end - entry),
        handle_s=np.where(answered, handle_all, np.nan),
        agent=agent,
        group=group,
        served_site=np.where(answered, group_site[np.where(answered, group, 0)], -1),
        call_type=np.asarray(legs.call_type, dtype=np.int64),
        contact=contact,
        site=callers.site.astype(np.int64)[contact],
        callback_offered=offered,
        handoff=handoff,
        back_office_s=back_office,
        transferred=np.zeros(count, dtype=bool) if legs.next_leg is None else np.asarray(legs.next_leg) >= 0,
        consult=consult,
    )


def _cat(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories)  # type: ignore[call-overload]  # stubs want an Index; a list is faster


def contacts_frame(model: CenterModel, callers: Callers, a: LegArrays, names: Names) -> pd.DataFrame:
    """One row per caller: the first leg, and where the contact ended (its final leg)."""
    n = callers.n
    first = slice(0, n)
    c_outcome, c_answer, c_abandon = a.outcome[first].copy(), a.answer_s[first].copy(), a.abandon_s[first].copy()
    c_end, c_wait, c_handle = a.end_s[first].copy(), a.wait_s[first].copy(), a.handle_s[first].copy()
    c_agent, c_group, c_served = a.agent[first].copy(), a.group[first].copy(), a.served_site[first].copy()
    final = np.arange(n, dtype=np.int64)
    c_offered = a.callback_offered[first].copy()
    transfers = np.zeros(n, dtype=np.int64)
    if a.outcome.size > n:
        later = np.arange(n, a.outcome.size, dtype=np.int64)
        calls = later[~a.consult[n:]]  # a consult is not where the contact went
        np.maximum.at(final, a.contact[calls], calls)
        np.logical_or.at(c_offered, a.contact[later], a.callback_offered[n:])
        transfers = (np.bincount(a.contact[~a.consult], minlength=n) - 1).astype(np.int64)
    f_outcome, f_end, f_type = a.outcome[final], a.end_s[final], a.call_type[final]
    queue_code = names.skill_of_type[f_type]
    served = callers.self_served
    if served.any():
        c_outcome[served] = f_outcome[served] = SELF_SERVICE
        c_answer[served] = c_abandon[served] = c_handle[served] = np.nan
        c_end[served] = f_end[served] = callers.queue_entry_s[served]
        c_wait[served] = 0.0
        c_agent[served] = c_group[served] = c_served[served] = -1
        queue_code = np.where(served, -1, queue_code)
    interval = np.minimum((callers.arrival_s // model.interval_s).astype(np.int64), max(model.intervals - 1, 0))
    outcomes = list(OUTCOMES)
    return pd.DataFrame(
        copy=False,
        data={
            "contact_id": np.arange(n, dtype=np.int64),
            "call_type": _cat(callers.call_type, names.call_types),
            "site": _cat(callers.site, names.sites),
            "interval": interval,
            "day": (callers.arrival_s // DAY_S).astype(np.int64),
            "arrival_s": callers.arrival_s,
            "queue_entry_s": callers.queue_entry_s,
            "answer_s": c_answer,
            "abandon_s": c_abandon,
            "end_s": c_end,
            "wait_s": c_wait,
            "handle_time_s": c_handle,
            "outcome": _cat(c_outcome, outcomes),
            "agent": c_agent,
            "agent_group": _cat(c_group, names.groups),
            "served_site": _cat(c_served, names.sites),
            "overflowed": (c_served >= 0) & (c_served != callers.site),
            "skill": _cat(names.skill_of_type[callers.call_type], names.skills),
            "queue": _cat(queue_code, names.skills),
            "tier": _cat(names.tier_of_type[f_type], names.tiers),
            "transfers": transfers,
            "handoff": a.handoff[final],
            "back_office_done_s": a.back_office_s[final],
            "callback_offered": c_offered,
            "final_call_type": _cat(f_type, names.call_types),
            "final_outcome": _cat(f_outcome, outcomes),
            "final_end_s": f_end,
        },
    )


def legs_frame(callers: Callers, a: LegArrays, names: Names) -> pd.DataFrame:
    """One row per leg that queued (self-served callers have none), each contact's legs numbered 0, 1, ... in order."""
    n, count = callers.n, a.outcome.size
    queued = np.ones(count, dtype=bool)
    queued[:n] = ~callers.self_served
    leg_number = [0] * count
    counter = [0] * n
    for i, c in enumerate(a.contact[n:].tolist()):
        counter[c] += 1
        leg_number[n + i] = counter[c]
    return pd.DataFrame(
        {
            "leg_id": np.arange(count, dtype=np.int64),
            "contact_id": a.contact,
            "leg": np.asarray(leg_number, dtype=np.int64),
            "call_type": _cat(a.call_type, names.call_types),
            "queue": _cat(names.skill_of_type[a.call_type], names.skills),
            "site": _cat(a.site, names.sites),
            "queue_entry_s": a.queue_entry_s,
            "answer_s": a.answer_s,
            "abandon_s": a.abandon_s,
            "end_s": a.end_s,
            "wait_s": a.wait_s,
            "handle_time_s": a.handle_s,
            "outcome": _cat(a.outcome, list(OUTCOMES)),
            "agent": a.agent,
            "agent_group": _cat(a.group, names.groups),
            "served_site": _cat(a.served_site, names.sites),
            "overflowed": (a.served_site >= 0) & (a.served_site != a.site),
            "callback_offered": a.callback_offered,
            "transferred": a.transferred,
            "handoff": a.handoff,
        }
    )[queued].reset_index(drop=True)


def on_duty_frame(
    spans: list[tuple[int, float, float]], agent_group: np.ndarray, group_site: np.ndarray, names: Names
) -> pd.DataFrame:
    """One row per span on duty: ``agent``, ``agent_group``, ``site``, ``start_s``, ``end_s``."""
    agent = np.array([s[0] for s in spans], dtype=np.int64)
    group = agent_group[agent] if spans else np.empty(0, dtype=np.int64)
    return pd.DataFrame(
        {
            "agent": agent,
            "agent_group": _cat(group, names.groups),
            "site": _cat(group_site[group] if spans else group, names.sites),
            "start_s": np.array([s[1] for s in spans], dtype=float),
            "end_s": np.array([s[2] for s in spans], dtype=float),
        }
    )
