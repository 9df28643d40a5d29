"""Lab 02's numbers: the network's members, one simulated day or month, counted as people.

No widgets here (the panels are in :mod:`ccsim.labs.lab02_callers_shoes`). The case is the
``member_services_month`` preset (three sites, language and TTY queues, members who call again) with a
40-second voice menu in front of every queue; :func:`network_run` simulates its first day (a Monday) or
the whole month, with the agents of one persona's queues scaled, and keeps the last few runs.

    >>> PERSONAS["tty_user"].words
    'a TTY user (a member with hearing loss who types)'
"""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError, check_number

if TYPE_CHECKING:
    from ccsim.scenario import Scenario
    from ccsim.simulation.engine import SimulationResult

__all__ = [
    "MENU_TIME_S",
    "PERSONAS",
    "Persona",
    "call_figures",
    "callers_scenario",
    "gap_words",
    "issue_table",
    "issues_of",
    "journey",
    "member_contacts",
    "member_legs",
    "network_run",
    "people_counts",
    "persona_skills",
    "persona_slice",
    "pick_member",
    "staffed_scenario",
]

PRESET = "member_services_month"
MENU_TIME_S = 40.0
"""Seconds every caller spends in the voice menu before joining a queue (the lab adds it to the preset)."""
SEED = 1
DAY_S = 86_400.0
MINUTE_S, FIVE_MINUTES_S = 60.0, 300.0
KEEP_RUNS = 3
"""How many simulated runs :func:`network_run` keeps (a month holds about 600,000 calls)."""


@dataclass(frozen=True)
class Persona:
    """A kind of member, in plain words: ``words`` ('an elderly member ...'), ``plural`` for counts."""

    name: str
    words: str
    plural: str


PERSONAS: dict[str, Persona] = {
    p.name: p
    for p in (
        Persona("senior", "an elderly member (65 or older, some hard of hearing)", "elderly members"),
        Persona("cantonese_speaker", "a Cantonese-speaking member", "Cantonese speakers"),
        Persona("mandarin_speaker", "a Mandarin-speaking member", "Mandarin speakers"),
        Persona("tty_user", "a TTY user (a member with hearing loss who types)", "TTY users"),
        Persona("new_member", "a new member in the first months of the plan", "new members"),
        Persona("spanish_speaker", "a Spanish-speaking member", "Spanish speakers"),
        Persona("adult", "a working-age member who speaks English", "working-age English speakers"),
    )
}
"""The personas of ``data/personas/health_plan_members.toml``, in the order the picker shows them."""


@functools.cache
def callers_scenario() -> Scenario:
    """The lab's case: ``member_services_month`` with a :data:`MENU_TIME_S` voice menu on every call type."""
    from ccsim.scenario import load_preset

    s = load_preset(PRESET)
    types = [dict(c, menu_time_s=MENU_TIME_S) for c in s.model_dump(mode="python")["call_types"]]
    return s.updated({"call_types": types})


def persona_skills(persona: str) -> tuple[str, ...]:
    """The skills of the queues ``persona`` calls (e.g. ``('cantonese',)``), as the scenario names them."""
    s = callers_scenario()
    if persona not in PERSONAS or s.people is None:
        raise CcsimInputError("persona", persona, "one of " + ", ".join(PERSONAS))
    types = next(p for p in s.people[0] if p.name == persona).call_types
    return tuple(sorted({str(c.skill) for c in s.call_types if c.name in types}))


def _primary_skill(skills: Any) -> str:
    if isinstance(skills, dict):
        return min(skills, key=lambda k: (skills[k], k))
    return str(next(iter(skills)))


def staffed_scenario(days: int, skills: tuple[str, ...] = (), staff_share: float = 1.0) -> Scenario:
    """The case over ``days`` days, every agent group whose first skill is in ``skills`` scheduled × ``staff_share``
    (each half-hour rounded to whole agents)."""
    s = callers_scenario()
    changes: dict[str, Any] = {"horizon": {"days": int(days)}}
    if staff_share != 1.0 and skills:
        groups = s.model_dump(mode="python")["agent_groups"]
        for g in groups:
            if _primary_skill(g["skills"]) in skills:
                g["headcount_per_interval"] = [round(h * staff_share) for h in g["headcount_per_interval"]]
        changes["agent_groups"] = groups
    return s.updated(changes)


def issues_of(result: SimulationResult) -> pd.DataFrame:
    """``result.issues``: the run must have members' journeys (the lab's case has)."""
    if result.issues is None:
        raise CcsimInputError("result", "a run without member journeys", "a run of the lab's case")
    return result.issues


def _f(x: Any) -> float:
    return float(x)


_RUNS: OrderedDict[tuple, SimulationResult] = OrderedDict()


def run_key(days: int, skills: tuple[str, ...] = (), staff_share: float = 1.0) -> tuple:
    """The key :func:`network_run` keeps a run under (the plan's staffing is one run for every persona)."""
    share = round(float(staff_share), 4)
    return (int(days), tuple(skills) if share != 1.0 else (), share)


def has_run(days: int, skills: tuple[str, ...] = (), staff_share: float = 1.0) -> bool:
    """Whether :func:`network_run` has this run already (then it answers at once)."""
    return run_key(days, skills, staff_share) in _RUNS


def network_run(days: int = 1, skills: tuple[str, ...] = (), staff_share: float = 1.0) -> SimulationResult:
    """The network over ``days`` days (1: its first day, a Monday; 30: the month), seed 1, with the agent groups
    of ``skills`` scheduled × ``staff_share``; the last :data:`KEEP_RUNS` runs are kept."""
    from ccsim.simulation.engine import simulate

    check_number("days", days, low=1, high=30, integer=True)
    check_number("staff_share", staff_share, low=0.25, high=2.0)
    key = run_key(days, skills, staff_share)
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    result = simulate(staffed_scenario(days, key[1], key[2]).to_model(), SEED)
    persona_slice(result, next(iter(PERSONAS)))  # every persona's figures, while the learner waits for Run anyway
    _RUNS[key] = result
    while len(_RUNS) > KEEP_RUNS:
        _RUNS.popitem(last=False)
    return result


# ---------------------------------------------------------------------------------------------- members as people


def _issue_of_legs(result: SimulationResult) -> pd.DataFrame:
    """The callers' legs (consults left out: an agent on the line, not a member) with their issue."""
    legs = result.legs
    if "consult" in legs.columns:
        legs = legs[~legs["consult"].to_numpy(dtype=bool)]
    issue = pd.Series(result.contacts["issue_id"].to_numpy(), index=result.contacts["contact_id"].to_numpy())
    return legs.assign(issue_id=issue.reindex(legs["contact_id"].to_numpy()).to_numpy())


def issue_table(result: SimulationResult) -> pd.DataFrame:
    """One row per member's issue: ``persona``, ``call_type`` (first queue), ``longest_wait_s`` (the longest
    single wait in a queue, any call), ``hung_up`` (hung up at least once), ``calls`` (contacts), ``day``,
    ``handoffs`` (warm transfers plus back-office hand-offs).

    Kept on the result (computed once per run)."""
    cached = result.__dict__.get("_lab02_issues")
    if cached is not None:
        return cached
    legs = _issue_of_legs(result)
    by_issue = legs.groupby("issue_id", sort=True)
    longest = by_issue["wait_s"].max()
    hung = (legs["outcome"] == "abandoned").groupby(legs["issue_id"]).any()
    issues = issues_of(result)
    ids = issues["issue_id"].to_numpy()
    table = pd.DataFrame(
        {
            "issue_id": ids,
            "persona": issues["persona"].array,  # categorical, as in the log: no Python string per member
            "call_type": issues["call_type"].array,
            "day": issues["day"].to_numpy(),
            "calls": issues["contacts"].to_numpy(),
            "longest_wait_s": longest.reindex(ids).fillna(0.0).to_numpy(dtype=float),
            "hung_up": hung.reindex(ids).fillna(False).to_numpy(dtype=bool),
            "handoffs": (issues["transfers"] + issues["back_office_handoffs"]).to_numpy(),
        }
    )
    result.__dict__["_lab02_issues"] = table
    return table


PEOPLE_COLUMNS = ("members", "waited_1_min", "waited_5_min", "hung_up", "called_twice")
"""Counts of members (issues): all, waited more than a minute once, more than five minutes, hung up, called 2+ times."""


def people_counts(table: pd.DataFrame) -> dict[str, int]:
    """:data:`PEOPLE_COLUMNS` of the members in ``table`` (rows of :func:`issue_table`)."""
    wait = table["longest_wait_s"].to_numpy(dtype=float)
    return {
        "members": len(table),
        "waited_1_min": int((wait > MINUTE_S).sum()),
        "waited_5_min": int((wait > FIVE_MINUTES_S).sum()),
        "hung_up": int(table["hung_up"].sum()),
        "called_twice": int((table["calls"].to_numpy() >= 2).sum()),
    }


def call_figures(contacts: pd.DataFrame, answer_within_s: float = 30.0) -> dict[str, float]:
    """The guaranteed figures of these callers, counted as :mod:`ccsim.metrics.kpis` counts them (callers offered
    to a queue; each caller's first queue): ``calls``, ``service_level`` (answered within T over offered),
    ``asa_s``, ``abandonment_rate``, ``mean_wait_s``, ``max_wait_s``."""
    offered = contacts[(contacts["outcome"] != "self_service").to_numpy()]
    outcome = offered["outcome"]
    wait = offered["wait_s"].to_numpy(dtype=float)
    answered = ((outcome == "answered") | (outcome == "callback")).to_numpy()
    n = len(offered)
    return {
        "calls": float(n),
        "service_level": float((answered & (wait <= answer_within_s)).sum()) / n if n else math.nan,
        "asa_s": float(wait[answered].mean()) if answered.any() else math.nan,
        "abandonment_rate": float((outcome == "abandoned").sum()) / n if n else math.nan,
        "mean_wait_s": float(wait.mean()) if n else math.nan,
        "max_wait_s": float(wait.max()) if n else math.nan,
    }


def _persona_slices(result: SimulationResult) -> dict[str, tuple[pd.DataFrame, dict[str, float]]]:
    """Every persona's :func:`issue_table` rows and :func:`call_figures`, in one pass over the run."""
    table = issue_table(result)
    contacts = result.contacts
    persona = contacts["persona"]
    names = list(persona.cat.categories) if isinstance(persona.dtype, pd.CategoricalDtype) else sorted(set(persona))
    codes = persona.cat.codes.to_numpy() if isinstance(persona.dtype, pd.CategoricalDtype) else None
    rows = {name: idx for name, idx in table.groupby("persona", sort=False).indices.items()}
    out = {}
    for i, name in enumerate(names):
        mine = codes == i if codes is not None else persona.to_numpy() == name
        out[str(name)] = (table.iloc[rows.get(name, [])], call_figures(contacts[mine]))
    return out


def persona_slice(result: SimulationResult, persona: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """The :func:`issue_table` rows of ``persona`` and the :func:`call_figures` of their calls (every persona's
    computed once per run, when first asked for)."""
    if "_lab02_personas" not in result.__dict__:
        result.__dict__["_lab02_personas"] = _persona_slices(result)
    slices = result.__dict__["_lab02_personas"]
    if persona not in slices:
        raise CcsimInputError("persona", persona, "a kind of member who called in this run")
    return slices[persona]


# ---------------------------------------------------------------------------------------------- one member


WHOSE = ("random", "longest_wait", "most_calls", "handed_on")
"""Which member of a persona :func:`pick_member` draws: any at random, one of the ten who waited longest, one of
the ten with the most calls, any of those transferred or handed to a back office."""


def _draw(ids: np.ndarray, draw: int) -> int:
    order = np.random.default_rng([SEED, draw // len(ids)]).permutation(len(ids))
    return int(ids[order[draw % len(ids)]])


def pick_member(table: pd.DataFrame, persona: str, draw: int = 0, whose: str = "random") -> int:
    """The issue id of one member of ``persona`` in ``table`` (rows of :func:`issue_table`).

    ``draw`` 0, 1, 2, ...: another member each time ("show me another member"), the same for the same draw."""
    if whose not in WHOSE:
        raise CcsimInputError("whose", whose, "one of " + ", ".join(WHOSE))
    mine = table[(table["persona"] == persona).to_numpy()]
    if mine.empty:
        raise CcsimInputError("persona", persona, "a kind of member who called in this run")
    if whose == "random":
        return _draw(mine["issue_id"].to_numpy(), int(draw))
    if whose == "handed_on":
        handed = mine[mine["handoffs"].to_numpy() > 0]
        if handed.empty:
            who = PERSONAS[persona].plural if persona in PERSONAS else persona
            raise CcsimInputError(
                "Which member",
                "transferred or handed on",
                f"another choice: none of the {who} in this run was transferred or handed to the back office",
            )
        return _draw(handed["issue_id"].to_numpy(), int(draw))
    column = "longest_wait_s" if whose == "longest_wait" else "calls"
    top = mine.sort_values([column, "issue_id"], ascending=[False, True], kind="mergesort").head(10)
    return int(top["issue_id"].iloc[int(draw) % len(top)])


def member_contacts(result: SimulationResult, issue_id: int) -> pd.DataFrame:
    """The contacts of one member's issue, in order (``contact_seq``)."""
    c = result.contacts
    return c[c["issue_id"].to_numpy() == issue_id].sort_values("contact_seq")


def member_legs(result: SimulationResult, issue_id: int) -> pd.DataFrame:
    """The member's queue visits (legs, consults left out), by contact and leg."""
    ids = member_contacts(result, issue_id)["contact_id"].to_numpy()
    legs = result.legs
    mine = legs[np.isin(legs["contact_id"].to_numpy(), ids)]
    if "consult" in mine.columns:
        mine = mine[~mine["consult"].to_numpy(dtype=bool)]
    return mine.sort_values(["contact_id", "leg"])


@dataclass(frozen=True)
class Journey:
    """One member's issue, ready to draw and to tell: a row per call (``labels``, ``notes``), the
    ``segments`` and ``hangups`` of :func:`ccsim.views.plots.journey.member_timeline`, and the totals."""

    issue_id: int
    persona: str
    reason: str
    labels: tuple[str, ...]
    notes: tuple[str, ...]
    segments: pd.DataFrame
    hangups: pd.DataFrame
    transfers: pd.DataFrame
    """Where a call moved to another queue: ``row``, ``at_min``."""
    calls: int
    wait_s: float
    """Seconds waiting in queues, every call added up."""
    longest_wait_s: float
    talk_s: float
    hung_up: int
    """Times the member hung up while waiting."""
    days_to_settle: float
    """Days from the first call to the issue's resolution; NaN while it is still open."""


def _clock(arrival_s: float, day: int) -> str:
    h = callers_scenario().horizon
    start_h, start_m = (int(v) for v in h.start.split(":"))
    minutes = start_h * 60 + start_m + int((arrival_s - day * DAY_S) // 60)
    return f"{h.weekday(day)} (day {day + 1}) {minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _after(outcome: str, gap_s: float | None, resolved_s: float, end_s: float) -> str:
    """What happened after one call, in words."""
    later = "" if gap_s is None else f"; called again {gap_words(gap_s)} later"
    if outcome == "resolved":
        return "settled" + later
    if outcome == "back_office":
        settled = math.isfinite(resolved_s)
        return "back office took it" + (f"; settled {gap_words(resolved_s - end_s)} later" if settled else "") + later
    if outcome in ("abandoned", "unanswered"):
        return "hung up" + later
    if outcome == "chased":
        return "asked about the back office" + later
    return "not settled" + later


def gap_words(seconds: float) -> str:
    """A stretch of time as a person says it: '6 min', '3.5 hours', '2.1 days'."""
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < DAY_S:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / DAY_S:.1f} days"


def journey(result: SimulationResult, issue_id: int) -> Journey:
    """The journey of issue ``issue_id`` in ``result``: each call's voice menu, waits and talks, and what came next."""
    contacts = member_contacts(result, issue_id)
    if contacts.empty:
        raise CcsimInputError("issue_id", issue_id, "an issue of this run")
    legs = member_legs(result, issue_id)
    all_issues = issues_of(result)
    issue = all_issues[all_issues["issue_id"].to_numpy() == issue_id].iloc[0]
    seg: list[tuple[int, str, float, float]] = []
    hangs: list[tuple[int, float]] = []
    labels, notes = [], []
    waits: list[float] = []
    moves: list[tuple[int, float]] = []
    arrivals = contacts["arrival_s"].to_numpy(dtype=float)
    for row, c in enumerate(contacts.itertuples(index=False)):
        a = _f(c.arrival_s)
        mine = legs[legs["contact_id"].to_numpy() == c.contact_id]
        seg.append((row, "menu", 0.0, (_f(c.queue_entry_s) - a) / 60.0))
        for leg in mine.itertuples(index=False):
            answered = math.isfinite(_f(leg.answer_s))
            stop = _f(leg.answer_s) if answered else _f(leg.end_s)
            waits.append(_f(leg.wait_s))
            if int(_f(leg.leg)) > 0:  # a transfer: this call moved to another queue here
                moves.append((row, (_f(leg.queue_entry_s) - a) / 60.0))
            seg.append((row, "waiting", (_f(leg.queue_entry_s) - a) / 60.0, (stop - a) / 60.0))
            if answered:
                seg.append((row, "talking", (_f(leg.answer_s) - a) / 60.0, (_f(leg.end_s) - a) / 60.0))
            elif str(leg.outcome) == "abandoned":
                hangs.append((row, (stop - a) / 60.0))
        end = _f(c.final_end_s)
        gap = float(arrivals[row + 1]) - end if row + 1 < len(arrivals) else None
        labels.append(f"Call {row + 1} · {_clock(a, int(_f(c.day)))}")
        moved = int(_f(c.transfers))
        note = _after(str(c.issue_outcome), gap, _f(issue["resolved_s"]), end)
        notes.append((f"transferred{'' if moved == 1 else f' {moved} times'}; " if moved else "") + note)
    segments = pd.DataFrame(seg, columns=["row", "kind", "start_min", "end_min"])
    talking = segments[segments["kind"] == "talking"]
    return Journey(
        issue_id=int(issue_id),
        persona=str(issue["persona"]),
        reason=str(issue["reason"]),
        labels=tuple(labels),
        notes=tuple(notes),
        segments=segments,
        hangups=pd.DataFrame(hangs, columns=["row", "at_min"]),
        transfers=pd.DataFrame(moves, columns=["row", "at_min"]),
        calls=len(contacts),
        wait_s=float(sum(waits)),
        longest_wait_s=max(waits, default=0.0),
        talk_s=60.0 * float((talking["end_min"] - talking["start_min"]).sum()),
        hung_up=len(hangs),
        days_to_settle=_f(issue["days_to_resolution"]),
    )
