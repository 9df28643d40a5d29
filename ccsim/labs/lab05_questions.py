"""Lab 05's questions: each applies an idea of the lab to a new situation; every number computed by ccsim."""

from __future__ import annotations

from ccsim.analytics.staffing import required_agents, scheduled_agents
from ccsim.labs.lab05_forecast import sample_forecast
from ccsim.labs.lab05_shifts import trap_numbers
from ccsim.views.quiz import Question

__all__ = ["staffing_questions"]


def _shrinkage_question() -> Question:
    need, shrink = 30, 0.41
    right = scheduled_agents(need, shrink)
    return Question(
        f"A small Medicare line needs {need} agents on the phones at 10:00. Shrinkage is 41% (breaks, training, "
        "absence, vacation, off-phone work). How many people must be scheduled for that half hour?",
        (f"{right}", f"{round(need * 1.41)}", f"{need}"),
        answer=0,
        explanation=(
            f"Only 59 of every 100 scheduled hours are on the phones, so {need} ÷ 0.59 = {need / 0.59:.1f}, "
            f"rounded up to {right}. Adding 41% ({need} × 1.41 ≈ {round(need * 1.41)}) falls short: the 41% is a "
            "share of the scheduled time, not of the time on the phones."
        ),
        hint="Not quite. Of every 100 scheduled hours, how many are spent on the phones?",
    )


def _trap_question() -> Question:
    n = trap_numbers(180, 60)
    return Question(
        f"A line gets 180 calls every 30 minutes at 400 s each: {n['load']:.0f} Erlangs of work. Callers hang up "
        f"after about a minute. Erlang A says {n['agents_a']:.0f} agents meet 80% in 30 s. What does that tell you?",
        (
            f"The target is met only because {100 * n['abandonment_a']:.0f}% of the callers hang up; agents are "
            f"busy {100 * n['occupancy_a']:.0f}% of the time",
            "The formula found a clever way to save agents without harm",
            f"{n['agents_a']:.0f} agents can do {n['load']:.0f} agents' worth of work if they work faster",
        ),
        answer=0,
        explanation=(
            f"Fewer agents than the Erlangs of work can only keep up because callers leave: about "
            f"{100 * n['abandonment_a']:.0f} of every 100 hang up, far above the 3% guarantee. That is the "
            f"efficiency trap; Erlang C (nobody hangs up) asks for {n['agents_c']:.0f}."
        ),
        hint="Not quite. Who does the work the missing agents would have done?",
    )


def _surge_question() -> Question:
    f = sample_forecast()
    peak = max(f.calls)
    usual = required_agents(peak, f.interval_s, 400, answer_within_s=30, target_sl=0.8, patience_s=300).agents
    triple = required_agents(3 * peak, f.interval_s, 400, answer_within_s=30, target_sl=0.8, patience_s=300).agents
    ratio = triple / usual
    return Question(
        f"In the usual peak quarter hour ({peak:.0f} calls) Erlang A asks for {usual} agents on the phones. Open "
        "enrollment brings three times the calls. To keep 80% answered in 30 s, how many agents are needed then?",
        (
            f"A bit less than three times as many: {triple}",
            f"Exactly three times as many: {3 * usual}",
            f"More than three times as many: {3 * usual + 10}",
        ),
        answer=0 if triple < 3 * usual else 1,
        explanation=(
            f"Erlang A asks for {triple}, {ratio:.1f} times as many: a bigger queue uses its agents a little more "
            "efficiently. Still nearly three times the staff, and each of them needs 1 ÷ 0.59 people on the schedule."
        ),
        hint="Not quite. Work it out with the open-enrollment panel: big queues are a little more efficient.",
    )


def staffing_questions() -> list[Question]:
    """The lab's quiz: shrinkage, the efficiency trap, open enrollment."""
    return [_shrinkage_question(), _trap_question(), _surge_question()]
