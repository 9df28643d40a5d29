"""Lab 04's questions: each applies an idea of the lab to a new situation; every number and every answer is
computed by ccsim (quick-size runs of :mod:`ccsim.labs.lab04_cases`, the full presets of
:func:`ccsim.labs.lab04_story.preset_run`)."""

from __future__ import annotations

import numpy as np

from ccsim.labs.lab04_cases import design_values, difference_runs, mean_ci, run_design
from ccsim.labs.lab04_story import preset_run
from ccsim.views.quiz import Question

__all__ = [
    "AHT_CHANGE",
    "BACK_OFFICE_CHANGE",
    "CONSULT_CHANGE",
    "TRANSFER_CHANGE",
    "one_and_done_questions",
]

TRANSFER_CHANGE = {"design": "before", "transfer_pct": 25, "resolve_pct": 47}
"""Question 1: the before line, transferring 25% of calls instead of 10% (the rep resolves 15 points fewer)."""
BACK_OFFICE_CHANGE = {"design": "before", "back_office_days": 3}
"""Question 2: the before line with only the back office faster (26 → 3 days)."""
CONSULT_CHANGE = {"design": "after", "consult_min": 5.0}
"""Question 4: the after line with a 5-minute consult instead of 4, three quick runs of each."""
AHT_CHANGE = ("before", "after")
"""Question 5: the full presets."""


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _transfer_question(seed: int) -> Question:
    base, _ = run_design(design_values("before"), "quick", seed)
    more, _ = run_design(TRANSFER_CHANGE, "quick", seed)
    contacts_up = more["contacts_per_issue"] > base["contacts_per_issue"]
    hours_up = more["agent_hours_per_100_issues"] > base["agent_hours_per_100_issues"]
    options = (
        "Both rise: more members queue twice, and a specialist spends time on each transfer",
        "Both fall: the reps get through their calls faster",
        "Contacts per issue rise, but agent-hours fall",
        "Contacts per issue fall, but agent-hours rise",
    )
    answer = {(True, True): 0, (False, False): 1, (True, False): 2, (False, True): 3}[(contacts_up, hours_up)]
    return Question(
        "A supervisor on the before line asks reps to warm-transfer every billing question they cannot answer at "
        f"once: transfers go from {design_values('before')['transfer_pct']}% to {TRANSFER_CHANGE['transfer_pct']}% "
        f"of answered calls and reps resolve {TRANSFER_CHANGE['resolve_pct']}% instead of "
        f"{design_values('before')['resolve_pct']}%. What happens to contacts per issue and to agent-hours "
        "per 100 issues?",
        options,
        answer=answer,
        explanation=(
            f"Quick preview: contacts per issue {base['contacts_per_issue']:.2f} → {more['contacts_per_issue']:.2f}, "
            f"agent-hours per 100 issues {base['agent_hours_per_100_issues']:.1f} → "
            f"{more['agent_hours_per_100_issues']:.1f}, hand-offs per 100 issues "
            f"{base['handoffs_per_100_issues']:.0f} → {more['handoffs_per_100_issues']:.0f}. A transfer does not "
            "make the work go away: it adds a second wait for the member and a second call for a specialist."
        ),
        hint="Not quite. Where does a transferred member go next, and who talks to them there?",
    )


def _back_office_question(seed: int) -> Question:
    base, _ = run_design(design_values("before"), "quick", seed)
    fast, _ = run_design(BACK_OFFICE_CHANGE, "quick", seed)
    up = fast["fcr"] > base["fcr"] + 0.005
    down = fast["fcr"] < base["fcr"] - 0.005
    return Question(
        "Only the back office changes: Membership Administration works a hand-off in 3 days instead of 26, and "
        "the reps work exactly as before. What happens to first-contact resolution (30-day look-back)?",
        (
            f"It rises from {_pct(base['fcr'])} to {_pct(fast['fcr'])}: fewer members call again to chase",
            "It stays the same: the back office never takes the first call",
            f"It falls from {_pct(base['fcr'])} to {_pct(fast['fcr'])}",
        ),
        answer=0 if up else (2 if down else 1),
        explanation=(
            f"Quick preview: FCR {_pct(base['fcr'])} → {_pct(fast['fcr'])}, days to resolution "
            f"{base['days_to_resolution_mean']:.1f} → {fast['days_to_resolution_mean']:.1f}. With a 30-day "
            "look-back, any call within 30 days counts against the first one, and a member who waits weeks "
            "for the back office calls to chase it."
        ),
        hint="Not quite. What does a member do while a hand-off waits 26 days? Does that call fall in the 30 days?",
    )


def _fcr_question(seed: int) -> Question:
    k = preset_run("before", seed)[0]
    agent, look = k["fcr_agent_reported"], k["fcr"]
    lower = agent < look
    return Question(
        f"On the before line the reps marked {_pct(agent)} of first calls resolved, but first-contact resolution with "
        f"a 30-day look-back is {_pct(look)}. Which explains the gap?",
        (
            "Reps marked hand-offs and open issues unresolved, yet some of those members did not call again within "
            "30 days",
            "Some calls the reps marked resolved were not: those members called again within 30 days",
            "The two numbers count different members, so they cannot be compared",
        ),
        answer=0 if lower else 1,
        explanation=(
            f"Agent-reported {_pct(agent)}, look-back {_pct(look)}. The look-back FCR measures what the member did "
            "(no further call within 30 days), not what the rep marked; the two differ both ways, and here "
            + ("hand-offs that did not bring the member back weigh more." if lower else "resolutions that did not hold weigh more.")
        ),
        hint="Not quite. Which number is higher here? What could make the member-side number higher?",
    )  # fmt: skip


def _ci_question(seed: int) -> Question:
    runs = difference_runs(3, "quick", seed, designs=(design_values("after"), CONSULT_CHANGE))
    mean, low, high = (100 * x for x in mean_ci(runs["difference"]["service_level"]))
    real = low > 0 or high < 0
    return Question(
        f"A team tries a {CONSULT_CHANGE['consult_min']:g}-minute consult instead of "
        f"{design_values('after')['consult_min']:g} on the after line, 3 quick runs of each. Service level "
        f"changes by {mean:+.1f} points, 95% interval {low:+.1f} to {high:+.1f}. What can the team say?",
        (
            "The change is real: the interval leaves out zero",
            "It could be luck: the interval includes zero, so run more or test longer before deciding",
        ),
        answer=0 if real else 1,
        explanation=(
            "A 95% interval that includes zero means the runs cannot tell the change from random variation; one "
            "that leaves zero out means the change is very unlikely to be luck."
        ),
        hint="Not quite. Is zero inside the interval?",
    )


def _aht_question(seed: int) -> Question:
    b, a = (preset_run(d, seed)[0] for d in AHT_CHANGE)
    more = a["agent_hours_per_100_issues"] > b["agent_hours_per_100_issues"]
    return Question(
        f"After 'one and done' the average handle time is {a['aht_s']:.0f} s, over the 400 s target (before: "
        f"{b['aht_s']:.0f} s). Does the center now spend more agent-hours per 100 member issues?",
        (
            "No: fewer calls per issue more than pay for the longer calls",
            "Yes: longer calls always cost more agent time",
        ),
        answer=1 if more else 0,
        explanation=(
            f"Agent-hours per 100 issues {b['agent_hours_per_100_issues']:.1f} → {a['agent_hours_per_100_issues']:.1f} "
            f"(contacts per issue {b['contacts_per_issue']:.2f} → {a['contacts_per_issue']:.2f}), consults included. "
            "Handle time is per call; the member and the center live per issue."
        ),
        hint="Not quite. Count the calls per issue, not the minutes per call.",
    )


def one_and_done_questions(seed: int = 1) -> list[Question]:
    """Lab 04's five questions, options shuffled (the same order for the same ``seed``)."""
    rng = np.random.default_rng(seed)
    makers = (_transfer_question, _back_office_question, _fcr_question, _ci_question, _aht_question)
    return [make(seed).shuffled(rng) for make in makers]
