"""Lab 03's questions: each applies an idea of the lab to a new situation; every number computed by ccsim."""

from __future__ import annotations

import numpy as np

from ccsim.analytics.service_level import SLDefinition
from ccsim.labs.lab03_definitions import SL_WORDS, service_level_four_ways
from ccsim.labs.lab03_rushing import RUSH, rush_numbers
from ccsim.labs.lab03_scorecard import adherence_numbers
from ccsim.metrics.occupancy import busy_over_scheduled, in_seat_occupancy
from ccsim.views.quiz import Question

__all__ = ["trade_off_questions"]


def _rush_question() -> Question:
    base = rush_numbers(0.0, RUSH.fcr, RUSH.repeat_longer)
    new = rush_numbers(0.2, 0.65, RUSH.repeat_longer)
    more = new["agents_c"] > base["agents_c"]
    options = (
        f"More agents: {new['agents_c']:.0f} instead of {base['agents_c']:.0f}",
        f"Fewer agents: about {0.8 * base['agents_c']:.0f}, since every call is 20% shorter",
        f"The same {base['agents_c']:.0f} agents",
    )
    return Question(
        "Another line tries a bigger shortcut: calls 20% shorter, but first-contact resolution falls from 85% to 65% "
        "(300 new issues every 30 minutes, repeat calls 30% longer). By Erlang C, how many agents does it need?",
        options,
        answer=0 if more else 1,
        explanation=(
            f"Each issue now takes {new['contacts_per_issue']:.2f} calls instead of {base['contacts_per_issue']:.2f}: "
            f"{new['calls']:.0f} calls every 30 minutes instead of {base['calls']:.0f}, a workload of "
            f"{new['load_erlangs']:.0f} Erlangs instead of {base['load_erlangs']:.0f}. Shorter calls that do not "
            f"resolve bring the members back."
        ),
        hint="Not quite. Count the calls, not just their length: how many times does each member call now?",
    )


def _sl_question() -> Question:
    n = service_level_four_ways()
    sl = n["service_level"]
    best = max(sl, key=sl.get)
    options = tuple(SL_WORDS[d.value][0] for d in SLDefinition)
    return Question(
        f"A center's scorecard must show the highest service level it honestly can. On the simulated day of "
        f"{n['calls']:,.0f} callers, {n['abandoned']:,.0f} hung up. Which way of counting gives the highest number?",
        options,
        answer=[d.value for d in SLDefinition].index(best),
        explanation=(
            "The four results that day: "
            + "; ".join(f"{SL_WORDS[d][0]} {100 * v:.0f}%" for d, v in sl.items())
            + ". Leaving hung-up callers out of the count flatters the number: always ask which definition a report uses."
        ),
        hint="Not quite. Which way of counting leaves the callers who hung up out of the picture entirely?",
    )


def _occupancy_question() -> Question:
    seat = in_seat_occupancy(480, 30)
    busy = 0.93
    whole = busy_over_scheduled(busy, seat)
    return Question(
        f"A rep is scheduled 480 minutes, spends 30 of them in a meeting and is busy with calls {100 * busy:.0f}% of "
        f"the time at the phone. What does the plan's in-seat occupancy say?",
        (
            f"{100 * seat:.0f}%: at the phone {480 - 30} of 480 minutes, target 85% reached",
            f"{100 * busy:.0f}%: the share of time at the phone spent busy with calls",
            f"{100 * whole:.0f}%: on calls over the whole shift",
        ),
        answer=0,
        explanation=(
            f"The plan's occupancy counts waiting for a call too: {100 * seat:.0f}% reaches its 85% target. "
            f"The industry's busy occupancy is {100 * busy:.0f}%: almost no breathing room between calls. Same "
            f"word, different numbers; name which one a report shows."
        ),
        hint="Not quite. The plan's occupancy counts waiting for a call, being on a call and wrap-up, over scheduled time.",
    )


def _adherence_question() -> Question:
    n = adherence_numbers(1)
    extra = n["late_less"] - n["late_full"]
    right = f"About {extra:.0f} more callers wait past 30 s or hang up after it"
    return Question(
        f"At a busy quarter hour ({n['calls']:.0f} callers), one of the 50 agents takes a personal call for "
        f"15 minutes. What happens to the callers in those 15 minutes (Erlang A)?",
        (right, "Nothing noticeable: one agent in fifty is 2%", "Every caller waits 15 minutes longer"),
        answer=0,
        explanation=(
            f"Service level in that quarter hour falls from {100 * n['sl_full']:.0f}% to {100 * n['sl_less']:.0f}%; "
            f"about {n['late_less']:.0f} callers are answered late or hang up after 30 s instead of "
            f"{n['late_full']:.0f}. Near full load one agent matters far more than 2%: that is why adherence is "
            f"on the scorecard."
        ),
        hint="Not quite. Remember lab 01: near full load the last few agents matter most.",
    )


def trade_off_questions(seed: int = 3) -> list[Question]:
    """Lab 03's questions, options shuffled from ``seed``."""
    rng = np.random.default_rng(seed)
    return [q.shuffled(rng) for q in (_rush_question(), _sl_question(), _occupancy_question(), _adherence_question())]
