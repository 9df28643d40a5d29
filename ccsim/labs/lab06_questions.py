"""Lab 06's questions: each applies an idea of the lab to a new situation; every number computed by ccsim."""

from __future__ import annotations

from ccsim.labs.lab06_network import PERSONA_WORDS, way_outcomes
from ccsim.labs.lab06_pooling import SmallQueueCase, pooling_numbers, small_queue_numbers
from ccsim.labs.lab06_skills import QUEUES, skills_numbers
from ccsim.metrics.groups import row_numbers
from ccsim.views.quiz import Question

__all__ = ["CHOICES", "routing_questions"]


def _pooling_question() -> Question:
    n = pooling_numbers(4, 60, 300)
    pooled, apart = n["agents_pooled"], n["agents_separate"]
    options = (
        f"{pooled:.0f} agents in one pooled queue instead of {apart:.0f} kept apart",
        f"{apart:.0f} agents either way: the calls are the same",
        f"More than {apart:.0f}: one big queue is harder to run",
    )
    return Question(
        "A plan runs four small sites, each with 60 calls an hour and a handle time of 300 s. It wants 80% of "
        "callers answered within 30 s. By Erlang C, how many agents does it need if the four sites share one queue?",
        options,
        answer=0,
        explanation=(
            f"Each site alone needs {n['agents_site']:.0f} agents ({apart:.0f} in all); pooled, {pooled:.0f} are enough "
            f"({100 * n['saved_share']:.0f}% fewer), because a free agent anywhere can take the next caller."
        ),
        hint="Not quite. When one site is swamped, are the others' free agents any use to its callers?",
    )


def _small_question() -> Question:
    case = SmallQueueCase(calls_per_hour=3, aht_s=600)
    n = small_queue_numbers(3, 600, case)
    options = (
        f"About {100 * n['occupancy_apart']:.0f}% of their time: most of it waiting for a call",
        f"About {100 * n['occupancy_shared']:.0f}% of their time, like everyone else",
        "All of their time: a small team is always busy",
    )
    return Question(
        "A plan opens a Vietnamese line: 3 calls an hour, 600 s each. Kept apart, it needs "
        f"{n['agents_apart']:.0f} dedicated agents to answer 80% within 30 s (Erlang C). How busy will they be?",
        options,
        answer=0,
        explanation=(
            f"The calls are {n['load']:.1f} agents' worth of work spread over {n['agents_apart']:.0f} agents: busy "
            f"{100 * n['occupancy_apart']:.0f}% of the time. Shared with a pool of {n['agents_big']:.0f}, the same calls "
            f"need only {n['agents_shared_extra']:.0f} more."
        ),
        hint="Not quite. Divide the work (calls × handle time) by the agents it takes to answer quickly.",
    )


def _members_question() -> Question:
    table = way_outcomes("separate", 0.0)["by_persona"]
    worst = str(table["service_level"].idxmin())
    keys = ("tty_user", "adult", "senior", "spanish_speaker")
    if worst not in keys:
        keys = (worst, *keys[1:])
    options = tuple(PERSONA_WORDS[p] for p in keys)
    r = row_numbers(table, worst)
    within, calls, sl, hung_up = (r[c] for c in ("answered_within", "calls", "service_level", "abandoned"))
    return Question(
        "Suppose the three sites stopped sharing calls (each answers only its own callers). Which members would "
        "suffer most?",
        options,
        answer=keys.index(worst),
        explanation=(
            f"{PERSONA_WORDS[worst]}: {within:,.0f} of {calls:,.0f} calls answered within 30 s ({100 * sl:.0f}%) and "
            f"{hung_up:,.0f} hung up on the simulated day. Their queue is small and its agents all sit at one site, so "
            "members who call the other sites wait for agents who are not there."
        ),
        hint="Not quite. Look at the table by kind of member: whose agents are all at one site?",
    )


CHOICES = {
    "two cross-trained reps (Cantonese and Mandarin first)": (2, "chinese", False, False, "pooled"),
    "two cross-trained reps who take English first": (2, "english", False, False, "pooled"),
    "language and TTY reps take English when free": (0, "chinese", False, True, "pooled"),
}
"""The three changes the cross-training question compares (arguments of :func:`skills_numbers`)."""


def _cross_question() -> Question:
    small = {k: row_numbers(skills_numbers(*args), "cantonese")["service_level"] for k, args in CHOICES.items()}
    best = max(small, key=small.__getitem__)
    base = row_numbers(skills_numbers(0, "chinese", False, False, "pooled"), "cantonese")["service_level"]
    return Question(
        f"On the skill-matrix afternoon, the Cantonese queue answers {100 * base:.0f}% within 30 s. You may change one "
        "thing. Which lifts the Cantonese queue most?",
        tuple(CHOICES),
        answer=list(CHOICES).index(best),
        explanation=(
            "Cantonese within 30 s: "
            + "; ".join(f"{k}: {100 * v:.0f}%" for k, v in small.items())
            + ". Two extra people who can take the small queue, and do so first, are what helps it; reps who take "
            "English first are rarely free when a Cantonese caller rings."
        ),
        hint="Not quite. Who is free when a Cantonese caller rings, and what do they take first?",
    )


def routing_questions() -> list[Question]:
    """Four application questions: pooling sites, a small queue kept apart, who suffers when sites stop sharing, cross-training."""
    assert set(QUEUES) >= {"cantonese"}
    return [_pooling_question(), _small_question(), _members_question(), _cross_question()]
