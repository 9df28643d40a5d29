"""The single-queue panel of labs 00 and 01 (ccsim.labs.queue): every tile and every line of its staffing
curve agree with ccsim's formulas and simulation (tests/lab_checks.py), in each source mode and at several
settings; the panel's behaviour (auto simulation, Run, overload sentences) as a learner meets it."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import replace

import pytest
from lab_checks import check_panel, classes, queue_expected, walk

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.labs.cases import classroom_case
from ccsim.labs.queue import QUEUE_CONTROLS, SIM_KPIS, compute_queue, queue_panel, simulate_queue

FORMULAS = ("erlang_a", "erlang_c")
FORMULA_CONTROLS = tuple(c for c in QUEUE_CONTROLS if c != "days")


@pytest.fixture(scope="module")
def case():
    return classroom_case()


@pytest.fixture(scope="module")
def formula_panel():
    """Lab 01's panel without the simulation (fast): Erlang A and C tiles and the figure."""
    return queue_panel(controls=FORMULA_CONTROLS, sources=FORMULAS)


@pytest.fixture(scope="module")
def full_panel():
    """Lab 01's panel as the notebook builds it: simulation, Erlang A and C, every control, 5 days."""
    return queue_panel()


# ---------------------------------------------------------------- every number against ccsim


FORMULA_SETTINGS = [
    {},
    {"agents": 45},  # Erlang C cannot keep up: endless wait, not-modelled abandonment
    {"agents": 58, "calls_per_hour": 380.0},
    {"aht_s": 320, "patience_s": 900, "answer_within_s": 20},
    {"answer_within_s": 60, "sl_definition": "answered"},
    {"agents": 52, "sl_definition": "exclude_short_abandons", "patience_s": 60},
    {"agents": 100, "calls_per_hour": 50.0},
]


@pytest.mark.parametrize(
    "settings", FORMULA_SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "case"
)
def test_formula_panel_shows_ccsims_numbers(formula_panel, case, settings):
    formula_panel.reset()
    formula_panel.set(**settings)
    check_panel(formula_panel, queue_expected(formula_panel, case, sources=FORMULAS))


@pytest.mark.parametrize(
    "settings",
    [{}, {"agents": 53, "days": 3}, {"agents": 48, "aht_s": 380, "answer_within_s": 20, "sl_definition": "answered"}],
    ids=["case", "53 agents 3 days", "T 20 answered"],
)
def test_full_panel_shows_ccsims_numbers(full_panel, case, settings):
    full_panel.reset()
    full_panel.set(**settings)
    assert full_panel.results.get("simulation") is not None  # few days: simulated by itself
    check_panel(full_panel, queue_expected(full_panel, case))


def test_many_days_wait_for_run_then_show_ccsims_numbers(full_panel, case):
    full_panel.reset()
    full_panel.set(days=7)  # above auto_days=5
    expected = queue_expected(full_panel, case)
    assert all(expected.tiles[(k, "simulation")].value is None for k in SIM_KPIS)
    check_panel(full_panel, expected)  # formulas shown, simulation tiles pending, no simulation point drawn
    full_panel.run()
    check_panel(full_panel, queue_expected(full_panel, case))
    full_panel.reset()


def test_simulation_only_panel_shows_ccsims_numbers(case):
    panel = queue_panel(controls=("agents", "days"), sources=("simulation",), days=2, auto_days=2, figure=False)
    panel.set(agents=54)
    check_panel(panel, queue_expected(panel, case, sources=("simulation",), figure=False))


def test_panel_on_another_case_shows_that_cases_numbers():
    calm = replace(classroom_case(), agents=30, calls_per_hour=200.0, aht_s=300.0, patience_s=600.0, answer_within_s=20)
    panel = queue_panel(calm, controls=("agents",), sources=FORMULAS)
    check_panel(panel, queue_expected(panel, calm, sources=FORMULAS))
    assert "in 20 s" in panel.tile("service_level", "erlang_a").text
    panel.set(agents=25)
    check_panel(panel, queue_expected(panel, calm, sources=FORMULAS))


# ---------------------------------------------------------------- behaviour


def test_compute_queue_is_erlang_a_and_c(case):
    r = compute_queue({"agents": 47})
    ea = erlang_a(case.calls_per_interval, case.interval_s, case.aht_s, 47, case.patience_s, case.answer_within_s)
    ec = erlang_c(case.calls_per_interval, case.interval_s, case.aht_s, 47, case.answer_within_s)
    assert r["erlang_a"] == {
        k: getattr(ea, k) for k in ("service_level", "asa_s", "abandonment_rate", "occupancy", "p_wait")
    }
    assert math.isinf(r["erlang_c"]["asa_s"]) and ec.asa_s == r["erlang_c"]["asa_s"]  # 47 < 47.5 Erlangs
    assert r["notes"]["erlang_c"].startswith("The work needs more agents")
    assert r["load_erlangs"] == pytest.approx(case.load_erlangs)
    assert compute_queue({"agents": 60})["notes"] == {}


def test_more_agents_raise_service_level_and_lower_occupancy(formula_panel):
    formula_panel.reset()
    formula_panel.set(agents=45)
    low = {s: dict(formula_panel.results[s]) for s in FORMULAS}
    sl_tile = formula_panel.tile("service_level", "erlang_a")
    met_low = sl_tile.met
    formula_panel.set(agents=58)
    for s in FORMULAS:
        assert formula_panel.results[s]["service_level"] > low[s]["service_level"]
        assert formula_panel.results[s]["occupancy"] < low[s]["occupancy"]
    assert met_low is False and sl_tile.met is True
    formula_panel.reset()


def test_erlang_c_is_far_below_erlang_a_when_callers_hang_up(formula_panel):
    formula_panel.reset()
    r = formula_panel.results
    gap = r["erlang_a"]["service_level"] - r["erlang_c"]["service_level"]
    assert gap > 0.2
    formula_panel.set(patience_s=1800)  # patient callers: the formulas come closer
    r2 = formula_panel.results
    assert 0 < r2["erlang_a"]["service_level"] - r2["erlang_c"]["service_level"] < gap
    formula_panel.reset()


def test_sl_definition_dropdown_changes_the_erlang_a_service_level(formula_panel):
    formula_panel.reset()
    offered = formula_panel.results["erlang_a"]["service_level"]
    formula_panel.set(sl_definition="answered")
    assert formula_panel.results["erlang_a"]["service_level"] > offered  # abandoned callers leave the denominator
    formula_panel.reset()


def test_unknown_control_is_one_sentence():
    from ccsim.errors import CcsimInputError

    with pytest.raises(CcsimInputError, match="controls: 'staff'"):
        queue_panel(controls=("agents", "staff"))


def test_css_classes_of_the_lab_01_panel(full_panel):
    found = set().union(*(classes(x) for x in walk(full_panel.widget)))
    for css in ("ccsim-calls", "ccsim-aht", "ccsim-patience", "ccsim-answer-within", "ccsim-sl-definition"):
        assert css in found
    for kpi_css in ("service-level", "asa", "abandonment", "occupancy"):
        assert f"ccsim-kpi-{kpi_css}" in found
    # the first .ccsim-kpi-service-level in the page (what the browser test reads) is the simulation
    first = next(x for x in walk(full_panel.widget) if "ccsim-kpi-service-level" in classes(x))
    assert "ccsim-source-simulation" in classes(first)


def test_simulation_notes_state_each_kpis_interval_in_its_unit(full_panel):
    full_panel.reset()
    full_panel.set(days=3)
    notes = full_panel.results["notes"]["simulation"]
    assert set(notes) == set(SIM_KPIS)
    lo, hi = full_panel.results["simulation_range"]["asa_s"]
    assert notes["asa_s"] == f"average of 3 simulated days; 95% confidence interval {lo:.0f} s to {hi:.0f} s"
    assert full_panel.tile("asa_s", "simulation").note == notes["asa_s"]
    full_panel.reset()


def test_same_settings_same_days():
    a = simulate_queue({"days": 2}, seed=7)["simulation_runs"]
    b = simulate_queue({"days": 2}, seed=7)["simulation_runs"]
    c = simulate_queue({"days": 2}, seed=8)["simulation_runs"]
    assert a["service_level"].tolist() == b["service_level"].tolist()
    assert a["service_level"].tolist() != c["service_level"].tolist()
    assert a["day"].tolist() == [1, 2]


def test_overload_is_a_sentence_in_the_message_area():
    panel = queue_panel(controls=("agents", "days"), days=1, auto_days=1, figure=False)
    panel.set(agents=20)
    assert panel.message.kind == "warning"
    assert re.fullmatch(r"⚠ Demand is [\d.]+ times what 20 agents can handle; .*", panel.message.text.split("\n")[0])
    assert panel.message.text.split("\n")[0].removeprefix("⚠ ") in panel.results["messages"]
    panel.reset()
    assert panel.message.kind == ""


def test_overload_warns_nowhere_but_the_message_area():
    # the library reports through results' warnings only; nothing may escape to the notebook's stderr
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        panel = queue_panel(controls=("agents", "days"), days=1, auto_days=1, figure=False)
        panel.set(agents=20)
    assert panel.message.kind == "warning"


def test_figure_follows_the_agents(formula_panel):
    formula_panel.reset()
    formula_panel.set(agents=48)
    png_48, alt_48 = formula_panel.figure_area.png, formula_panel.figure_area.alt
    formula_panel.set(agents=56)
    assert formula_panel.figure_area.png != png_48
    assert "48 agents" in alt_48 and "56 agents" in formula_panel.figure_area.alt
    formula_panel.reset()


def test_figure_after_slider_moves_is_the_same_picture_as_on_first_draw():
    panel = queue_panel(controls=("agents", "days"), days=2, auto_days=2)
    first = panel.figure_area.png
    panel.set(agents=classroom_case().agents + 3)
    assert panel.figure_area.png != first
    panel.set(agents=classroom_case().agents)  # back: same numbers (same seed), so the very same picture
    assert panel.figure_area.png == first
