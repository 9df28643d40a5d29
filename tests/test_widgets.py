"""Widgets: panels built, controls moved in code, tiles and messages checked (no browser needed)."""

from __future__ import annotations

import html
import re
import warnings

import ipywidgets as widgets
import pytest

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition
from ccsim.errors import CcsimInputError
from ccsim.scenario import load_preset
from ccsim.views import widgets as w

FORMULA_CONTROLS = ("agents", "calls_per_hour", "aht_s", "patience_s", "answer_within_s", "sl_definition")


def classes(widget: widgets.Widget) -> set[str]:
    return set(widget._dom_classes)


def walk(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


@pytest.fixture(scope="module")
def formula_panel():
    """Lab 01's panel without the simulation (fast): Erlang A and C tiles and the figure."""
    return w.queue_panel(controls=FORMULA_CONTROLS, sources=("erlang_a", "erlang_c"))


@pytest.fixture(scope="module")
def sim_panel():
    """Lab 01's panel with a 1-day simulation that re-runs on every change, no figure."""
    return w.queue_panel(controls=("agents", "days"), days=1, auto_days=1, figure=False)


# ---------------------------------------------------------------- the classroom case and targets


def test_classroom_case_is_the_preset():
    model = load_preset("classroom").to_model()
    case = w.CLASSROOM
    assert case.agents == model.agent_groups[0].agents_at(0)
    assert case.calls_per_interval == pytest.approx(model.arrivals[0].calls_per_interval[0])
    assert case.aht_s == model.call_types[0].handle_time.mean_s
    assert case.patience_s == model.call_types[0].patience.mean_s
    assert case.intervals == model.intervals
    assert case.load_erlangs == pytest.approx(case.calls_per_interval / case.interval_s * case.aht_s)


def test_guarantees_are_the_presets_targets():
    t = load_preset("classroom").targets
    g = w.GUARANTEES
    assert g["service_level"].value == t.service_level_share and g["service_level"].answer_within_s == t.answer_within_s
    assert g["asa_s"].value == t.asa_s_max and g["abandonment_rate"].value == t.abandonment_share_max
    assert g["occupancy"].value == t.occupancy_share
    assert w.CLASSROOM.sl_definition == t.service_level_definition


def test_tile_targets_are_the_scorecards_targets():
    from ccsim.metrics.scorecard import targets_from

    kpi_targets = targets_from(load_preset("classroom").targets)
    assert all(t.kpi_target in kpi_targets for t in w.GUARANTEES.values())
    twenty = w.queue_targets({"answer_within_s": 20})["service_level"]
    assert twenty.answer_within_s == 20 and twenty.text == "target 80% in 20 s"


def test_target_met_and_words():
    sl = w.Target("service_level", 0.8, "at_least", answer_within_s=30)
    assert sl.met(0.81) is True and sl.met(0.79) is False and sl.met(float("nan")) is None
    assert sl.text == "target 80% in 30 s"
    asa = w.Target("asa_s", 30.0, "at_most")
    assert asa.met(29.0) is True and asa.met(31.0) is False
    assert asa.text == "target at most 30 s"
    assert w.GUARANTEES["abandonment_rate"].text == "target at most 3%"


def test_target_words_agree_with_judging_at_the_threshold():
    # a value equal to the threshold is met, so the words must not say "under"
    for kpi in ("asa_s", "abandonment_rate"):
        t = w.GUARANTEES[kpi]
        assert t.met(t.value) is True
        tile = w.KpiTile(kpi, "erlang_a", t).update(t.value)
        assert "under" not in tile.text and "at most" in tile.text and "met ✓" in tile.text


# ---------------------------------------------------------------- pieces


def test_controls_have_stable_css_classes_and_report_on_release():
    makers = {
        "ccsim-agents": w.agents_slider,
        "ccsim-calls": w.calls_slider,
        "ccsim-aht": w.aht_slider,
        "ccsim-patience": w.patience_slider,
        "ccsim-answer-within": w.answer_within_slider,
        "ccsim-days": w.days_slider,
    }
    for css, make in makers.items():
        control = make()
        assert css in classes(control)
        assert control.continuous_update is False
        assert control.description  # labelled
    dd = w.sl_definition_dropdown()
    assert "ccsim-sl-definition" in classes(dd)
    assert [label for label, _ in dd.options] == [d.label for d in SLDefinition]
    assert "ccsim-run" in classes(w.run_button())


def test_tile_says_value_target_and_met_in_words():
    tile = w.KpiTile("service_level", "simulation", w.GUARANTEES["service_level"])
    assert {"ccsim-kpi", "ccsim-kpi-service-level", "ccsim-source-simulation"} <= classes(tile.widget)
    tile.update(0.823)
    assert tile.met is True
    assert tile.text.startswith("Service level 82%")
    assert "target 80% in 30 s" in tile.text and "met" in tile.text
    assert "ccsim-met" in classes(tile.widget) and "ccsim-missed" not in classes(tile.widget)
    tile.update(0.5)
    assert tile.met is False and "missed" in tile.text
    assert "ccsim-missed" in classes(tile.widget) and "ccsim-met" not in classes(tile.widget)
    assert "missed" in tile.widget.value  # the words are in the widget, not only the colour
    tile.pending("press Run")
    assert tile.value is None and tile.met is None and "press Run" in tile.widget.value


def test_asa_tile_says_endless_when_the_queue_never_clears():
    tile = w.KpiTile("asa_s", "erlang_c", w.GUARANTEES["asa_s"]).update(float("inf"))
    assert "endless" in tile.text and tile.met is False


def test_message_area_shows_one_sentence_for_bad_input():
    area = w.MessageArea()
    area.error(CcsimInputError("agents", -3, "a whole number from 1 to 100"))
    assert area.kind == "error"
    assert "agents: -3 is not allowed; use a whole number from 1 to 100" in area.text
    assert area.details.value == "" and area.details.layout.display == "none"
    assert "ccsim-message" in classes(area.html) and "ccsim-error-details" in classes(area.details)


def test_message_area_hides_the_traceback_in_collapsed_details():
    area = w.MessageArea()
    try:
        {}["missing"]
    except KeyError as exc:
        area.error(exc)
    assert "Traceback" not in area.text and "KeyError" not in area.text
    assert area.details.value.startswith("<details>") and "<details open" not in area.details.value
    assert "KeyError" in area.details.value
    area.clear()
    assert area.text == "" and area.details.layout.display == "none"


def test_figure_area_shows_png_and_caption():
    from ccsim.views import plots

    area = w.FigureArea()
    curve = plots.erlang_curve(100, 1800, 180, range(8, 16), patience_s=120)
    area.show(plots.staffing_curve(curve), alt="a staffing curve")
    assert area.png.startswith(b"\x89PNG") and area.image.value == area.png
    assert "a staffing curve" in area.caption.value
    assert any("ccsim-figure" in classes(x) for x in walk(area.widget))


# ---------------------------------------------------------------- the lab-01 panel


def test_panel_numbers_are_the_formulas(formula_panel):
    formula_panel.reset()
    c = w.CLASSROOM
    ea = erlang_a(c.calls_per_interval, c.interval_s, c.aht_s, c.agents, c.patience_s, c.answer_within_s)
    ec = erlang_c(c.calls_per_interval, c.interval_s, c.aht_s, c.agents, c.answer_within_s)
    assert formula_panel.results["erlang_a"]["service_level"] == pytest.approx(ea.service_level)
    assert formula_panel.results["erlang_c"]["asa_s"] == pytest.approx(ec.asa_s)
    assert formula_panel.tile("service_level", "erlang_a").value == pytest.approx(ea.service_level)


def test_more_agents_raise_service_level_and_lower_occupancy(formula_panel):
    formula_panel.set(agents=45)
    low = {s: dict(formula_panel.results[s]) for s in ("erlang_a", "erlang_c")}
    sl_tile = formula_panel.tile("service_level", "erlang_a")
    text_low, met_low = sl_tile.text, sl_tile.met
    formula_panel.set(agents=58)
    high = formula_panel.results
    for s in ("erlang_a", "erlang_c"):
        assert high[s]["service_level"] > low[s]["service_level"]
        assert high[s]["occupancy"] < low[s]["occupancy"]
    assert met_low is False and sl_tile.met is True
    assert sl_tile.text != text_low
    formula_panel.reset()


def test_erlang_c_is_far_below_erlang_a_when_callers_hang_up(formula_panel):
    formula_panel.reset()
    r = formula_panel.results
    assert r["erlang_c"]["service_level"] < r["erlang_a"]["service_level"] - 0.2
    formula_panel.set(patience_s=1800)  # patient callers: the formulas come closer
    r2 = formula_panel.results
    assert (
        r2["erlang_a"]["service_level"] - r2["erlang_c"]["service_level"]
        < r["erlang_a"]["service_level"] - r["erlang_c"]["service_level"]
    )
    formula_panel.reset()


def test_too_few_agents_for_erlang_c_shows_endless_wait_in_words(formula_panel):
    formula_panel.set(agents=40)  # load is 47.5 Erlangs
    asa = formula_panel.tile("asa_s", "erlang_c")
    assert "endless" in asa.text and asa.met is False
    assert formula_panel.results["notes"]["erlang_c"]
    assert formula_panel.tile("asa_s", "erlang_a").value < float("inf")
    formula_panel.reset()


def test_answer_within_changes_the_target_words(formula_panel):
    formula_panel.set(answer_within_s=20)
    assert "target 80% in 20 s" in formula_panel.tile("service_level", "erlang_a").text
    formula_panel.reset()
    assert "target 80% in 30 s" in formula_panel.tile("service_level", "erlang_a").text


def test_sl_definition_dropdown_changes_the_erlang_a_service_level(formula_panel):
    formula_panel.set(sl_definition="offered")
    offered = formula_panel.results["erlang_a"]["service_level"]
    formula_panel.set(sl_definition="answered")
    answered = formula_panel.results["erlang_a"]["service_level"]
    assert answered > offered  # abandoned callers leave the denominator
    formula_panel.reset()


def test_bad_value_shows_one_sentence_and_changes_nothing(formula_panel):
    formula_panel.reset()
    before = formula_panel.results
    updates = formula_panel.updates
    formula_panel.set(agents=0)  # no exception escapes
    assert formula_panel.message.kind == "error"
    text = formula_panel.message.text
    assert "agents" in text and "0" in text and "20" in text and "100" in text
    assert text.count(".") <= 1 and "\n" not in text
    assert formula_panel.controls["agents"].value == w.CLASSROOM.agents
    assert formula_panel.results is before and formula_panel.updates == updates
    formula_panel.set(nonsense=3)
    assert "control" in formula_panel.message.text and "agents" in formula_panel.message.text
    formula_panel.set(sl_definition="fastest")
    assert "sl_definition" in formula_panel.message.text
    formula_panel.reset()
    assert formula_panel.message.kind == ""


def test_css_classes_of_the_lab_01_panel():
    panel = w.queue_panel(controls=FORMULA_CONTROLS + ("days",), days=1, auto_days=1)
    found = set().union(*(classes(x) for x in walk(panel.widget)))
    expected = {
        "ccsim-panel",
        "ccsim-agents",
        "ccsim-calls",
        "ccsim-aht",
        "ccsim-patience",
        "ccsim-answer-within",
        "ccsim-sl-definition",
        "ccsim-days",
        "ccsim-run",
        "ccsim-progress",
        "ccsim-message",
        "ccsim-error-details",
        "ccsim-tiles",
        "ccsim-figure",
        "ccsim-figure-caption",
        "ccsim-kpi-service-level",
        "ccsim-kpi-asa",
        "ccsim-kpi-abandonment",
        "ccsim-kpi-occupancy",
        "ccsim-source-simulation",
        "ccsim-source-erlang-a",
        "ccsim-source-erlang-c",
    }
    assert expected <= found, expected - found
    # the first .ccsim-kpi-service-level in the page (what the browser test reads) is the simulation
    first = next(x for x in walk(panel.widget) if "ccsim-kpi-service-level" in classes(x))
    assert "ccsim-source-simulation" in classes(first)
    assert re.search(r"\d+%", panel.tile("service_level", "simulation").text)


def test_simulation_reruns_by_itself_for_few_days(sim_panel):
    sim_panel.set(agents=44)
    low = sim_panel.results["simulation"]["service_level"]
    sim_panel.set(agents=58)
    high = sim_panel.results["simulation"]["service_level"]
    assert high > low
    assert sim_panel.tile("service_level", "simulation").value == pytest.approx(high)
    sim_panel.reset()


def test_many_days_wait_for_run_and_say_so(sim_panel):
    sim_panel.set(days=3)  # above auto_days=1
    tile = sim_panel.tile("service_level", "simulation")
    assert tile.value is None and "Run" in tile.text
    assert "simulation" not in sim_panel.results
    assert sim_panel.progress.layout.visibility == "hidden"
    seen = []
    sim_panel.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    sim_panel.run_button.click()
    assert tile.value is not None and re.search(r"\d+%", tile.text)
    assert len(sim_panel.results["simulation_runs"]) == 3
    assert max(seen) == 3
    notes = sim_panel.results["notes"]["simulation"]
    assert set(notes) == {"service_level", "asa_s", "abandonment_rate", "occupancy"}
    assert all("3 simulated days" in n for n in notes.values())
    # each tile states the confidence interval of its own KPI, in its own unit
    lo, hi = sim_panel.results["simulation_range"]["asa_s"]
    assert f"{lo:.0f} s to {hi:.0f} s" in notes["asa_s"]
    assert notes["asa_s"] in sim_panel.tile("asa_s", "simulation").widget.value
    assert notes["service_level"] != notes["occupancy"]
    sim_panel.reset()


def test_same_settings_same_days():
    a = w.simulate_queue({"days": 2}, seed=7)["simulation_runs"]
    b = w.simulate_queue({"days": 2}, seed=7)["simulation_runs"]
    c = w.simulate_queue({"days": 2}, seed=8)["simulation_runs"]
    assert a["service_level"].tolist() == b["service_level"].tolist()
    assert a["service_level"].tolist() != c["service_level"].tolist()


def test_overload_is_a_sentence_not_a_warning(sim_panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping the panel would raise here
        sim_panel.set(agents=20)
    assert sim_panel.message.kind == "warning"
    assert "can handle" in sim_panel.message.text
    sim_panel.reset()
    assert sim_panel.message.kind == ""


def test_any_other_error_is_kind_and_collapsed():
    def compute(params):
        if params["agents"] > 50:
            raise ZeroDivisionError("boom")
        return {"erlang_a": {"service_level": params["agents"] / 100}}

    panel = w.WhatIfPanel(
        {"agents": w.agents_slider(50)},
        compute,
        tiles=[w.KpiTile("service_level", "erlang_a", w.GUARANTEES["service_level"])],
    )
    assert panel.tiles[0].value == pytest.approx(0.5)
    panel.set(agents=60)  # must not raise
    assert panel.message.kind == "error"
    assert "went wrong" in panel.message.text and "boom" not in panel.message.text
    assert "ZeroDivisionError" in panel.message.details.value
    assert panel.tiles[0].value is None
    panel.set(agents=40)
    assert panel.message.kind == "" and panel.tiles[0].value == pytest.approx(0.4)


def test_input_error_from_compute_shows_its_sentence():
    def compute(params):
        raise CcsimInputError("patience_s", params["agents"], "a number above 0")

    panel = w.WhatIfPanel({"agents": w.agents_slider(50)}, compute)
    assert panel.message.text.endswith("patience_s: 50 is not allowed; use a number above 0")
    assert panel.message.details.value == ""


def test_figure_follows_the_agents(formula_panel):
    formula_panel.set(agents=48)
    png_48, alt_48 = formula_panel.figure_area.png, formula_panel.figure_area.alt
    formula_panel.set(agents=56)
    assert formula_panel.figure_area.png != png_48
    assert "48 agents" in alt_48 and "56 agents" in formula_panel.figure_area.alt
    formula_panel.reset()


def test_panel_displays_as_its_widget(formula_panel):
    bundle = formula_panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_day_spread_panel_simulates_the_days_once_built():
    panel = w.day_spread_panel(days=4)
    runs = panel.results["simulation_runs"]
    assert len(runs) == 4 and runs["service_level"].between(0, 1).all()
    assert panel.figure_area.png.startswith(b"\x89PNG")
    assert "4 simulated days" in panel.figure_area.alt
    panel.set(agents=55)
    assert panel.figure_area.png == b"" and "Run" in panel.tiles[0].text
    panel.run()
    assert panel.results["simulation"]["service_level"] > runs["service_level"].mean()


def test_kit_map_marks_the_labs_that_exist(tmp_path):
    (tmp_path / "00_start_here.ipynb").write_text("{}")
    (tmp_path / "01_queues_and_service_level.ipynb").write_text("{}")
    table = w.kit_map(tmp_path)
    assert "ccsim-kit-map" in classes(table)
    assert table.ready == ["00", "01"]
    assert table.value.count("ready ✓") == 2 and table.value.count("coming later") == len(w.LABS) - 2


def test_documented_examples():
    import doctest

    assert doctest.testmod(w).failed == 0


def test_erlang_c_abandonment_tile_says_not_modelled_without_a_verdict(formula_panel):
    formula_panel.set(agents=40)  # Erlang C: endless wait; its abandonment is 0 only by assumption
    try:
        tile = formula_panel.tile("abandonment_rate", "erlang_c")
        assert "not modelled" in tile.text and "nobody hangs up" in tile.text
        assert "met" not in tile.text and "missed" not in tile.text and "0.0%" not in tile.text
        assert tile.met is None
        assert "ccsim-no-target" in classes(tile.widget)
        assert {"ccsim-kpi", "ccsim-kpi-abandonment", "ccsim-source-erlang-c"} <= classes(tile.widget)
        assert not classes(tile.widget) & {"ccsim-met", "ccsim-missed"}
        # Erlang A still judges abandonment against the target
        assert formula_panel.tile("abandonment_rate", "erlang_a").met in (True, False)
    finally:
        formula_panel.reset()


def test_several_messages_all_show_one_per_line():
    sentences = ["First thing to know.", "Second thing to know.", "Third thing to know."]

    def compute(params):
        return {"erlang_a": {"service_level": 0.5}, "messages": sentences}

    panel = w.WhatIfPanel({"agents": w.agents_slider(50)}, compute)
    assert panel.message.kind == "warning"
    assert panel.message.text.split("\n") == ["⚠ " + s for s in sentences]
    assert all(s in panel.message.html.value for s in sentences)
    assert panel.message.html.value.count("<br>") == 2


@pytest.mark.parametrize("definition", [d.value for d in SLDefinition])
def test_case_card_names_the_cases_service_level_definition(definition):
    from dataclasses import replace

    card = w.case_card(replace(w.CLASSROOM, sl_definition=definition, answer_within_s=20))
    label = SLDefinition(definition).label.replace("T", "20 s")
    assert html.escape(label) in card.value
    if definition != "offered":
        assert "over all calls offered" not in card.value


def test_case_card_shows_the_case_in_words():
    card = w.case_card(w.CLASSROOM)
    assert "ccsim-case" in classes(card)
    c = w.CLASSROOM
    assert f"{c.calls_per_hour:g} an hour" in card.value
    assert f"{c.load_erlangs:g} Erlangs" in card.value
    assert f"{c.load_erlangs / c.agents:.0%}" in card.value


def test_staffing_curve_figure_is_a_static_picture():
    fig = w.staffing_curve_figure(w.CLASSROOM, agents=range(44, 57))
    image = next(x for x in walk(fig) if isinstance(x, widgets.Image))
    assert bytes(image.value).startswith(b"\x89PNG")
    caption = next(x for x in walk(fig) if "ccsim-figure-caption" in classes(x))
    assert "44 agents" in caption.value and "56 agents" in caption.value


def test_try_it_panel_starts_short_of_the_target():
    panel = w.try_it_panel(below=6)
    assert panel.params == {"agents": w.CLASSROOM.agents - 6}
    sl = panel.tile("service_level", "erlang_a")
    assert sl.met is False
    panel.set(agents=w.CLASSROOM.agents + 5)
    assert sl.met is True
    panel.reset()
    assert panel.params == {"agents": w.CLASSROOM.agents - 6} and sl.met is False


def test_preset_dropdown_lists_the_presets():
    from ccsim.scenario import list_presets

    dd = w.preset_dropdown()
    assert "ccsim-preset" in classes(dd)
    assert list(dd.options) == list_presets() and dd.value == "classroom"


def test_panel_without_a_threshold_slider_judges_with_the_cases_threshold():
    from dataclasses import replace

    case = replace(w.CLASSROOM, answer_within_s=20.0)
    panel = w.try_it_panel(case)
    tile = panel.tile("service_level", "erlang_a")
    assert "in 20 s" in tile.text
    assert tile.value == pytest.approx(w.compute_queue(panel.params, case)["erlang_a"]["service_level"])


@pytest.mark.parametrize("hours, intervals", [(8.0, 16), (8.25, 17), (0.1, 1), (0.5, 1), (0.6, 2)])
def test_case_intervals_round_up_like_the_cli(hours, intervals):
    from dataclasses import replace

    from ccsim.cli import INTERVAL_S

    case = replace(w.CLASSROOM, hours=hours)
    assert case.interval_s == INTERVAL_S and case.intervals == intervals
    assert w.queue_model({}, case).intervals == intervals


def test_case_from_a_model_without_patience_is_one_sentence():
    from ccsim.simulation.distributions import Exponential
    from ccsim.simulation.model import CenterModel

    no_hang_ups = CenterModel.single_queue(100, 50, Exponential(400), None, intervals=4)
    with pytest.raises(CcsimInputError) as info:
        w.QueueCase.from_model(no_hang_ups)
    assert "patience" in info.value.field and "Erlang A" in str(info.value) and "\n" not in str(info.value)
    with_patience = CenterModel.single_queue(100, 50, Exponential(400), Exponential(300), intervals=4)
    assert w.QueueCase.from_model(with_patience).patience_s == 300


def test_lab_01_figure_after_slider_moves_is_the_same_picture_as_on_first_draw():
    panel = w.queue_panel(controls=("agents", "days"), days=2, auto_days=2)
    first = panel.figure_area.png
    assert first.startswith(b"\x89PNG")
    panel.set(agents=w.CLASSROOM.agents + 3)
    moved = panel.figure_area.png
    assert moved != first and f"with {w.CLASSROOM.agents + 3} agents" in panel.figure_area.alt
    panel.set(agents=w.CLASSROOM.agents)  # back: same numbers (same seed), so the very same picture
    assert panel.figure_area.png == first
