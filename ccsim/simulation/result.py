"""What one run produced: :class:`SimulationResult`, the per-contact log and the agents' time on duty."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ccsim.simulation.model import CenterModel

OUTCOMES: tuple[str, ...] = ("answered", "abandoned", "unanswered", "self_service", "callback")
"""Every caller ends in exactly one of these (the categories of ``contacts['outcome']``).

*self_service*: resolved by the voice menu, never queued; *callback*: accepted a call-back offer and
was called back by an agent (answered at the call-back time)."""
ANSWERED, ABANDONED, UNANSWERED, SELF_SERVICE, CALLBACK = 0, 1, 2, 3, 4
"""Codes of :data:`OUTCOMES`, in order."""

AGENT_STATES: tuple[str, ...] = ("available", "busy")


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
    Self-served callers: ``queue_entry_s`` = ``end_s`` = when the menu resolved them, wait 0. ``day``: the day of
    the arrival (0 = the first; days are 86,400 s from the horizon start). With members' journeys
    (:mod:`ccsim.simulation.journeys`) also ``member_id``, ``issue_id``, ``contact_seq`` (1 = the issue's first
    contact), ``contact_kind`` (first, redial, repeat, chase, recontact), ``reason``, ``persona`` and
    ``issue_outcome`` (what the contact did for the issue, :data:`~ccsim.simulation.journeys.LEG_RESULTS`); the
    legs then have ``consult`` (an agent consulting another: not a caller) and ``result``.

    ``on_duty``: one row per span of time an agent was on duty (``agent``, ``agent_group``,
    ``site``, ``start_s``, ``end_s``). ``staffed_s_per_interval``: agent-seconds on duty in each
    interval of the horizon, so occupancy = busy seconds / staffed seconds.

    ``warnings``: plain sentences about the run (the overload sentence among them); ``overload``:
    that sentence, or "" if the center kept up.
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
    """The overload sentence (also in ``warnings``), or "" if the center kept up."""
    issues: pd.DataFrame | None = None
    """With members' journeys, one row per member issue; None without. Columns ``issue_id``, ``member_id`` (each
    member has one issue in a run, so the two are equal), ``persona``, ``reason``, ``call_type`` and ``site`` (of
    the first contact), ``day`` (opened on), ``opened_s``, ``contacts``, ``redials``, ``transfers`` (warm),
    ``consults``, ``back_office_handoffs``, the member's minutes over every contact: ``menu_min``,
    ``waiting_min``, ``talking_min`` (incl. holding for a consult) and ``member_minutes`` (their sum);
    ``first_contact_answered`` (by an agent), ``resolved_on_first_contact`` (the agent resolved it in the first
    contact: agent-reported), ``next_contact_s`` (arrival of the second contact, NaN if none), ``resolved_s``
    (NaN while open at the end), ``days_to_resolution`` and ``status`` (resolved, open)."""
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
        answered["agent"].to_numpy(), answered["answer_s"].to_numpy(), answered["end_s"].to_numpy(), strict=True
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
