"""Lab 00 (ccsim.labs.lab00_start_here): the try-it panel shows ccsim's numbers at every slider position
(tests/lab_checks.py) and starts short of the target; the questions' answers are ccsim's."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from lab_checks import Queue, check_panel, classroom_targets, queue_expected

from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import classroom_case
from ccsim.labs.lab00_start_here import start_here_questions, try_it_panel

TRY_IT = {
    "sources": ("erlang_a",),
    "kpis": ("service_level", "asa_s", "abandonment_rate", "occupancy"),
    "figure": False,
}


def fewest_agents(case) -> int:
    target = classroom_targets(case.answer_within_s)["service_level"].threshold
    return required_agents(
        case.calls_per_interval,
        case.interval_s,
        case.aht_s,
        answer_within_s=case.answer_within_s,
        target_sl=target,
        patience_s=case.patience_s,
    ).agents


@pytest.mark.parametrize("agents", [None, 20, 47, 49, 50, 51, 63, 100])
def test_try_it_panel_shows_ccsims_numbers(agents):
    case = classroom_case()
    panel = try_it_panel()
    if agents is not None:
        panel.set(agents=agents)
    check_panel(panel, queue_expected(panel, case, **TRY_IT))


def test_try_it_panel_starts_short_of_the_target_and_resets_there():
    case = classroom_case()
    panel = try_it_panel(below=6)
    assert panel.params == {"agents": case.agents - 6}
    sl = panel.tile("service_level", "erlang_a")
    assert sl.met is False
    need = fewest_agents(case)
    panel.set(agents=need - 1)
    assert sl.met is False
    panel.set(agents=need)
    assert sl.met is True
    panel.reset()
    assert panel.params == {"agents": case.agents - 6} and sl.met is False


def test_try_it_panel_judges_with_the_cases_threshold():
    case = replace(classroom_case(), answer_within_s=20.0)
    panel = try_it_panel(case)
    assert "in 20 s" in panel.tile("service_level", "erlang_a").text
    check_panel(panel, queue_expected(panel, case, **TRY_IT))


def test_questions_answers_agree_with_ccsim():
    case = classroom_case()
    qs = start_here_questions()
    need = fewest_agents(case)
    assert qs[1].options[qs[1].answer] == f"{need} agents"
    assert qs[1].options == tuple(sorted(qs[1].options, key=lambda s: int(s.split()[0])))
    right = qs[0].options[qs[0].answer]
    assert "Restart Kernel" in right and "reload the page" in right  # JupyterLab's menu and the workshop view
    assert "reload" in qs[0].explanation
    assert qs[2].options[qs[2].answer].startswith("The share of calls answered within 30 seconds")
    for q in qs:
        assert len(set(q.options)) == len(q.options) >= 3 and q.prompt and q.explanation and q.hint


def test_try_it_names_busy_occupancy_a_target_not_a_guarantee():
    tile = try_it_panel().tile("occupancy", "erlang_a")
    assert tile.label == "Busy occupancy"
    assert "not a guarantee" in tile.text and "guaranteed" not in tile.text


def test_all_tiles_question_reads_every_tile_at_the_fewest_agents():
    case = classroom_case()
    need = fewest_agents(case)
    q = start_here_questions()[3]
    m = Queue.of(case, {}).erlang_a(need)
    targets = classroom_targets(case.answer_within_s)
    missed = [k for k in ("asa_s", "abandonment_rate", "occupancy") if not targets[k].met(getattr(m, k))]
    right = q.options[q.answer]
    assert f"With {need} agents" in q.prompt
    assert right.startswith("No") == bool(missed)
    assert ("abandonment" in right) == ("abandonment_rate" in missed)
    assert ("busy occupancy" in right) == ("occupancy" in missed)
    assert f"{100 * m.abandonment_rate:.1f}%" in q.explanation and f"{100 * m.occupancy:.0f}%" in q.explanation
    assert len(set(q.options)) == len(q.options) >= 3


def test_questions_are_shuffled_from_the_seed():
    assert [q.options for q in start_here_questions(seed=2)] == [q.options for q in start_here_questions(seed=2)]
    assert len({tuple(q.options for q in start_here_questions(seed=s)) for s in range(6)}) > 1


@pytest.mark.parametrize("calls_per_hour", [2.0, 20.0])
def test_agent_count_options_are_at_least_one_for_tiny_cases(calls_per_hour):
    from ccsim.labs.lab01_queues import queue_questions

    tiny = replace(classroom_case(), agents=2, calls_per_hour=calls_per_hour)
    runs = pd.DataFrame({"service_level": [0.7, 0.9, 0.85]})
    for q in (queue_questions(tiny, runs=runs)[1], start_here_questions(tiny)[1]):
        counts = [int(o.split()[0]) for o in q.options]
        assert min(counts) >= 1 and len(set(counts)) == len(counts) == 4, q.options
