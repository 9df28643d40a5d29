"""Lab 02's questions: apply "averages hide people" to new situations; every number simulated by ccsim.

:func:`callers_questions` uses the Monday and the month of :mod:`ccsim.labs.lab02_members` (the month is
simulated if no panel has done so) and one more Monday with fewer Mandarin agents.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim.labs.lab02_callers_shoes import month_results, queue_table
from ccsim.labs.lab02_members import PERSONAS, SEED, call_figures, issue_table, network_run, staffed_scenario
from ccsim.views.quiz import Question, number_options

__all__ = ["MANDARIN_STAFF_SHARE", "callers_questions", "mandarin_short_day"]

MANDARIN_STAFF_SHARE = 0.7
"""The Mandarin agents on the day of question 2, as a share of the plan."""


def _share(n: int, total: int) -> str:
    return f"{n:,} of {total:,} ({100 * n / total:.1f}%)" if total else "none"


def _tty_question(day: pd.DataFrame, everyone_wait_s: float) -> Question:
    tty: Any = day.loc["TTY"]
    eng: Any = day.loc["English"]
    tty_share = tty["waited_1_min"] / tty["members"]
    eng_share = eng["waited_1_min"] / eng["members"]
    answer = 0 if tty_share > eng_share else (1 if eng_share > tty_share else 2)
    return Question(
        "A TTY user and an English-speaking member call at the same moment on a Monday like the one you simulated. "
        "Who is more likely to wait more than a minute?",
        (
            "The TTY user: theirs is a small queue with few agents, and typed calls are long",
            "The English speaker: the English queue has far more callers",
            f"Neither: the average wait of every caller is {everyone_wait_s:.0f} s, so nobody waits long",
        ),
        answer=answer,
        explanation=(
            f"On the simulated Monday {_share(int(tty['waited_1_min']), int(tty['members']))} TTY users waited more "
            f"than a minute, against {_share(int(eng['waited_1_min']), int(eng['members']))} English callers. "
            f"A few busy agents leave no one free for the next caller; a big queue almost always has someone free."
        ),
        hint="Not quite. Look at the table of members by queue: which queue has people who waited more than a minute?",
    )


def mandarin_short_day() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members of the Mandarin queue on the Monday as planned and with :data:`MANDARIN_STAFF_SHARE` of its agents
    (:func:`ccsim.labs.lab02_members.issue_table` rows; the short day is simulated here and not kept)."""
    from ccsim.simulation.engine import simulate

    plan = issue_table(network_run(1))
    short = issue_table(simulate(staffed_scenario(1, ("mandarin",), MANDARIN_STAFF_SHARE).to_model(), SEED))
    return plan[plan["call_type"] == "mandarin"], short[short["call_type"] == "mandarin"]


def _mandarin_question() -> Question:
    plan, short = mandarin_short_day()
    before = int((plan["longest_wait_s"] > 60).sum())
    after = int((short["longest_wait_s"] > 60).sum())
    options = number_options(after, before, max(0, after // 3), after * 3, low=0)
    return Question(
        f"A flu week: the Mandarin queue has {100 * MANDARIN_STAFF_SHARE:.0f}% of its planned agents all Monday, "
        f"while every other queue is fully staffed. About how many Mandarin speakers wait more than a minute "
        f"(as planned: {before})?",
        tuple(f"{k} members" for k in options),
        answer=options.index(after),
        explanation=(
            f"The simulation says {after} of {len(short):,} Mandarin speakers (as planned: {before} of {len(plan):,}). "
            f"The network's overall figures barely move, because Mandarin speakers are about 1.5% of the callers: "
            f"the averages hide them."
        ),
        hint="Not quite. A small queue has little slack: what happens when a third of its agents are missing?",
    )


def _month_question(month: dict) -> Question:
    w = month["worst"]
    sl = month["simulation"]["service_level"]
    return Question(
        f"The month answered {100 * sl:.0f}% of calls within 30 s, above the 80% guarantee. What was the worst open "
        f"day like for the members who called that day?",
        (
            f"Worse than the month: {100 * w['service_level']:.0f}% answered within 30 s, and "
            f"{int(w['waited_1_min']):,} members with a new issue waited more than a minute",
            f"The same as the month: {100 * sl:.0f}% answered within 30 s",
            "Every member was answered within 30 s, because the guarantee was met",
        ),
        answer=0,
        explanation=(
            f"Day {int(w['day'])} ({w['weekday']}) answered {100 * w['service_level']:.0f}% within 30 s; "
            f"{int(w['hung_up']):,} members hung up at least once. The contract is judged over the month; members "
            f"live it one day, one call at a time."
        ),
        hint="Not quite. Look at the month's figure: are all days at the month's line?",
    )


def _repeat_question(month_table: pd.DataFrame) -> Question:
    names = ("new_member", "adult", "senior", "spanish_speaker")
    share = {n: float((month_table.loc[month_table["persona"] == n, "calls"] >= 2).mean()) for n in names}
    best = max(names, key=lambda n: share[n])
    parts = ", ".join(f"{PERSONAS[n].plural} {100 * share[n]:.1f}%" for n in names)
    return Question(
        "Over the month, which kind of member is most likely to call more than once about the same issue?",
        tuple(PERSONAS[n].plural[0].upper() + PERSONAS[n].plural[1:] for n in names),
        answer=names.index(best),
        explanation=(
            f"Members who called twice or more about one issue: {parts}. Members still learning the plan leave "
            f"more calls unsettled, and each repeat call is a member's time as well as an agent's."
        ),
        hint="Not quite. Who has the most to learn about the plan, and so more questions left open after a call?",
    )


def callers_questions(seed: int = 1) -> list[Question]:
    """Lab 02's questions, every number from ccsim's simulated Monday and month (options shuffled with ``seed``)."""
    day = queue_table(1)
    everyone = call_figures(network_run(1).contacts)
    month = month_results(30)
    month_table = issue_table(network_run(30))
    rng = np.random.default_rng(seed)
    return [
        _tty_question(day, everyone["mean_wait_s"]).shuffled(rng),
        _mandarin_question(),
        _month_question(month).shuffled(rng),
        _repeat_question(month_table).shuffled(rng),
    ]
