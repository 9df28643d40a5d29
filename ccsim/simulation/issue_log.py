"""The log of a run with members' journeys: contacts in arrival order with their issue, and one row per issue.

During a run, contacts made again get the next free ids and their legs are appended; here the legs
are put back in the order the log builders of :mod:`ccsim.simulation.logs` expect (each contact's
first leg first, contacts in order of arrival), then the journey columns and the ``issues`` table
are added. Times in seconds (minutes and days where the column name says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.simulation.arrivals import Callers
from ccsim.simulation.journeys import (
    ABANDONED_R,
    BACK_OFFICE,
    CONSULT,
    CONSULTED,
    CONTACT_KINDS,
    LEG_RESULTS,
    REDIAL,
    RESOLVED,
    SELF_SERVICE_R,
    UNANSWERED_R,
    UNRESOLVED,
    JourneyRun,
)
from ccsim.simulation.logs import LegArrays, LegLog, _cat
from ccsim.simulation.members import DAY_S
from ccsim.simulation.result import ABANDONED, ANSWERED, CALLBACK, SELF_SERVICE, UNANSWERED

ISSUE_STATUSES: tuple[str, ...] = ("resolved", "open")
"""Where an issue stands at the end of the run."""


@dataclass
class Reordered:
    """The run's legs and contacts in log order, and where each came from."""

    legs: LegLog
    callers: Callers
    contact_order: np.ndarray
    """Old contact id of each contact in log order."""
    leg_order: np.ndarray
    """Old leg id of each leg in log order."""
    offers: tuple[set[int], set[int]] | None
    issue: np.ndarray
    """Each contact's issue, in log order."""
    kind: np.ndarray
    """Each contact's :data:`~ccsim.simulation.journeys.CONTACT_KINDS` code, in log order."""
    result: np.ndarray
    """Each leg's result code as the run left it (-1: not settled by a call), in log order."""
    persona: np.ndarray
    """Each issue's persona (index into the spec's personas)."""
    reason: np.ndarray
    resolved_s: np.ndarray
    """When each issue was resolved, NaN if it was not (or was reopened)."""


def reorder(legs: LegLog, run: JourneyRun, callers: Callers, offers: tuple[set[int], set[int]] | None) -> Reordered:
    """Contacts in order of arrival, each one's first leg at its own index, the other legs after them in the order they began."""
    assert legs.contact is not None and legs.next_leg is not None
    arrival = np.array(run.arrival_s, dtype=float)  # copies: the run's arrays are emptied below
    order = np.argsort(arrival, kind="stable")
    n = order.size
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    first_leg = np.array(run.first_leg, dtype=np.int64)
    count = len(legs.contact)
    is_first = np.zeros(count, dtype=bool)
    is_first[first_leg] = True
    perm = np.concatenate([first_leg[order], np.flatnonzero(~is_first)])
    inv = np.empty(count, dtype=np.int64)
    inv[perm] = np.arange(count)
    new = LegLog.__new__(LegLog)
    new.n = n
    for name in ("queue_entry_s", "handle_s", "give_up_s", "answer_s"):
        setattr(new, name, np.asarray(getattr(legs, name), dtype=float)[perm])
    new.agent_of = np.asarray(legs.agent_of, dtype=np.int64)[perm]
    new.call_type = np.asarray(legs.call_type, dtype=np.int64)[perm]
    new.contact = rank[np.asarray(legs.contact, dtype=np.int64)][perm]
    nxt = np.asarray(legs.next_leg, dtype=np.int64)[perm]
    new.next_leg = np.where(nxt >= 0, inv[np.maximum(nxt, 0)], -1)  # type: ignore[assignment]  # arrays from here on
    new.handoffs = {int(inv[k]): v for k, v in legs.handoffs.items()}
    new.consults = {int(inv[k]) for k in legs.consults}
    entry, handle, give_up = new.queue_entry_s, new.handle_s, new.give_up_s
    ordered = Callers(
        arrival_s=arrival[order],
        call_type=np.asarray(new.call_type[:n], dtype=np.int32),
        site=np.asarray(run.site, dtype=np.int32)[order],
        site_names=callers.site_names,
        handle_s=np.asarray(handle[:n]),
        patience_s=np.asarray(give_up[:n]) - np.asarray(entry[:n]),
        self_served=np.asarray(run.self_served, dtype=bool)[order],
        queue_entry_s=np.asarray(entry[:n]),
        give_up_s=np.asarray(give_up[:n]),
    )
    moved = None if offers is None else ({int(inv[k]) for k in offers[0]}, {int(inv[k]) for k in offers[1]})
    record = Reordered(
        new,
        ordered,
        order,
        perm,
        moved,
        issue=np.asarray(run.issue, dtype=np.int64)[order],
        kind=np.asarray(run.kind, dtype=np.int64)[order],
        result=np.asarray(run.result, dtype=np.int64)[perm],
        persona=np.asarray(run.persona, dtype=np.int64),
        reason=np.asarray(run.reason, dtype=np.int64),
        resolved_s=np.asarray(run.resolved_s, dtype=float).copy(),
    )
    legs.release()
    run.release()
    return record


def leg_results(r: Reordered, a: LegArrays) -> np.ndarray:
    """Each leg's :data:`~ccsim.simulation.journeys.LEG_RESULTS` code, in log order; legs no call settled get their outcome's."""
    result = r.result.copy()
    unset = result < 0
    by_outcome = np.full(a.outcome.size, UNRESOLVED, dtype=np.int64)  # answered but still on the line at the cut-off
    by_outcome[a.outcome == ABANDONED] = ABANDONED_R
    by_outcome[a.outcome == UNANSWERED] = UNANSWERED_R
    by_outcome[a.outcome == SELF_SERVICE] = SELF_SERVICE_R
    result[unset] = by_outcome[unset]
    result[a.consult] = CONSULT  # answered or not, a consult leg is an agent's, not a caller's
    return result


def final_legs(a: LegArrays, n: int) -> np.ndarray:
    """Each contact's final leg (its last leg that is not a consult), in log order."""
    final = np.arange(n, dtype=np.int64)
    later = np.arange(n, a.outcome.size, dtype=np.int64)
    later = later[~a.consult[n:]]
    np.maximum.at(final, a.contact[later], later)
    return final


def add_journey_columns(
    contacts: pd.DataFrame, legs: pd.DataFrame | None, run: JourneyRun, r: Reordered, a: LegArrays, result: np.ndarray
) -> None:
    """Contacts gain member_id, issue_id, contact_seq, contact_kind, reason, persona, issue_outcome; legs gain consult and result."""
    spec = run.spec
    n = r.callers.n
    issue = r.issue
    seq = np.ones(n, dtype=np.int32)
    by_issue = np.argsort(issue, kind="stable")  # contacts of each issue together, in order of arrival
    sorted_issue = issue[by_issue]
    starts = np.r_[True, sorted_issue[1:] != sorted_issue[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq[by_issue] = np.arange(n) - run_start + 1
    contacts["member_id"] = issue
    contacts["issue_id"] = issue
    contacts["contact_seq"] = seq
    contacts["contact_kind"] = _cat(r.kind, list(CONTACT_KINDS))
    contacts["reason"] = _cat(r.reason[issue], [x.name for x in spec.reasons])
    contacts["persona"] = _cat(r.persona[issue], [x.name for x in spec.personas])
    contacts["issue_outcome"] = _cat(result[final_legs(a, n)], list(LEG_RESULTS))
    if legs is not None:
        queued = np.ones(a.outcome.size, dtype=bool)
        queued[:n] = ~r.callers.self_served
        legs["consult"] = a.consult[queued]
        legs["result"] = _cat(result[queued], list(LEG_RESULTS))


def issues_frame(
    contacts: pd.DataFrame,
    run: JourneyRun,
    r: Reordered,
    a: LegArrays,
    result: np.ndarray,
    names: tuple[list[str], list[str]],
    end_s: float,
) -> pd.DataFrame:
    """One row per issue (see :attr:`~ccsim.simulation.result.SimulationResult.issues`); ``names``: call types and sites."""
    spec = run.spec
    issues = r.resolved_s.size
    issue = contacts["issue_id"].to_numpy()
    seq = contacts["contact_seq"].to_numpy()
    first = np.flatnonzero(seq == 1)  # in arrival order, so issue ids 0, 1, ... in order
    first = first[np.argsort(issue[first], kind="stable")]
    leg_issue = issue[a.contact]
    call = ~a.consult & (a.outcome != SELF_SERVICE)

    def per_issue(mask: np.ndarray | None, index: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        if mask is not None:
            index = index[mask]
            weights = None if weights is None else weights[mask]
        return np.bincount(index, weights=weights, minlength=issues)

    answered = (a.outcome == ANSWERED) | (a.outcome == CALLBACK)
    menu_min = per_issue(None, issue, (contacts["queue_entry_s"] - contacts["arrival_s"]).to_numpy() / 60)
    waiting_min = per_issue(call, leg_issue, a.wait_s / 60)
    talking_min = per_issue(call & answered, leg_issue, np.nan_to_num(a.handle_s) / 60)
    next_contact = np.full(issues, math.nan)
    second = np.flatnonzero(seq == 2)
    next_contact[issue[second]] = contacts["arrival_s"].to_numpy()[second]
    opened = contacts["arrival_s"].to_numpy()[first]
    resolved = r.resolved_s
    resolved[~(resolved <= end_s)] = math.nan
    outcome_first = contacts["outcome"].cat.codes.to_numpy()[first]
    kinds = contacts["contact_kind"].cat.codes.to_numpy()
    return pd.DataFrame(
        copy=False,
        data={
            "issue_id": np.arange(issues, dtype=np.int64),
            "member_id": np.arange(issues, dtype=np.int64),
            "persona": _cat(r.persona, [x.name for x in spec.personas]),
            "reason": _cat(r.reason, [x.name for x in spec.reasons]),
            "call_type": _cat(contacts["call_type"].cat.codes.to_numpy()[first], names[0]),
            "site": _cat(contacts["site"].cat.codes.to_numpy()[first], names[1]),
            "day": (opened // DAY_S).astype(np.int32),
            "opened_s": opened,
            "contacts": per_issue(None, issue).astype(np.int32),
            "redials": per_issue(kinds == REDIAL, issue).astype(np.int32),
            "transfers": per_issue(None, issue, contacts["transfers"].to_numpy()).astype(np.int32),
            "consults": per_issue(a.consult, leg_issue).astype(np.int32),
            "back_office_handoffs": per_issue(result == BACK_OFFICE, leg_issue).astype(np.int32),
            "menu_min": menu_min,
            "waiting_min": waiting_min,
            "talking_min": talking_min,
            "member_minutes": menu_min + waiting_min + talking_min,
            "first_contact_answered": (outcome_first == ANSWERED) | (outcome_first == CALLBACK),
            "resolved_on_first_contact": np.isin(
                contacts["issue_outcome"].cat.codes.to_numpy()[first], [RESOLVED, CONSULTED]
            ),
            "next_contact_s": next_contact,
            "resolved_s": resolved,
            "days_to_resolution": (resolved - opened) / DAY_S,
            "status": _cat(np.where(np.isnan(resolved), 1, 0), list(ISSUE_STATUSES)),
        },
    )
