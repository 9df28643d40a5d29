"""The widget toolkit (ccsim.views.widgets): controls, targets, tiles, messages, figure area and the
what-if panel, moved in code (no browser needed). Lab panels are tested in tests/test_lab_*.py."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from ccsim.analytics.service_level import SLDefinition
from ccsim.errors import CcsimInputError
from ccsim.metrics.registry import KPIS
from ccsim.metrics.scorecard import targets_from
from ccsim.views import plots
from ccsim.views import widgets as w

SL_TARGET = w.Target("service_level", 0.8, "at_least", answer_within_s=30)


def classes(widget: widgets.Widget) -> set[str]:
    return set(widget._dom_classes)


def walk(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def share_panel(**kwargs) -> w.WhatIfPanel:
    """A panel whose 'service level' is agents / 100: easy to reason about."""

    def compute(params):
        return {"erlang_a": {"service_level": params["agents"] / 100}}

    return w.WhatIfPanel(
        {"agents": w.agents_slider(50)}, compute, tiles=[w.KpiTile("service_level", "erlang_a", SL_TARGET)], **kwargs
    )


# ---------------------------------------------------------------- targets


def test_target_met_and_words():
    assert SL_TARGET.met(0.81) is True and SL_TARGET.met(0.79) is False and SL_TARGET.met(float("nan")) is None
    assert SL_TARGET.text == "target 80% in 30 s"
    asa = w.Target("asa_s", 30.0, "at_most")
    assert asa.met(29.0) is True and asa.met(31.0) is False and asa.met(float("inf")) is False
    assert asa.text == "target at most 30 s"
    assert w.Target("abandonment_rate", 0.03, "at_most").text == "target at most 3%"
    assert w.Target("occupancy", 0.85, "at_most").text == "target 85% or less, not a guarantee"
    assert w.Target("occupancy", 0.85, "at_least").text == "target 85% or more, not a guarantee"
    assert SL_TARGET.with_answer_within_s(20).text == "target 80% in 20 s"


def test_target_words_come_from_the_registry():
    for kpi in ("service_level", "asa_s", "abandonment_rate", "occupancy"):
        t = w.Target(kpi, 0.5, "at_most").kpi_target
        assert t.label == KPIS[kpi].label and t.unit == KPIS[kpi].unit
    with pytest.raises(CcsimInputError, match="kpi"):
        w.Target("calls", 100, "at_most")  # a count: no tile target
    with pytest.raises(CcsimInputError, match="kpi"):
        w.Target("no_such_kpi", 1, "at_most")


@pytest.mark.parametrize("kpi", ["asa_s", "abandonment_rate", "occupancy"])
def test_target_words_agree_with_judging_at_the_threshold(kpi):
    # a value equal to the threshold is met, so the words must not say "under"
    t = w.guarantees_from(None)[kpi]
    assert t.met(t.value) is True
    tile = w.KpiTile(kpi, "erlang_a", t).update(t.value)
    assert "under" not in tile.text and "met ✓" in tile.text and tile.met is True


def test_guarantees_from_wraps_the_scorecards_targets():
    rows = {t.metric: t for t in targets_from(None)}
    g = w.guarantees_from(None)
    assert set(g) == set(w.TILE_KPIS)
    assert all(g[k].kpi_target == rows[k] for k in g)


# ---------------------------------------------------------------- controls


def test_controls_have_stable_css_classes_and_report_on_release():
    makers = {
        "ccsim-agents": lambda: w.agents_slider(50),
        "ccsim-calls": lambda: w.calls_slider(427.5),
        "ccsim-aht": lambda: w.aht_slider(400),
        "ccsim-patience": lambda: w.patience_slider(300),
        "ccsim-answer-within": lambda: w.answer_within_slider(30),
        "ccsim-days": w.days_slider,
    }
    for css, make in makers.items():
        control = make()
        assert css in classes(control) and "ccsim-control" in classes(control)
        assert control.continuous_update is False
        assert control.description
    assert w.calls_slider(427.5).value == 427.5 and w.aht_slider(400).value == 400
    dd = w.sl_definition_dropdown()
    assert "ccsim-sl-definition" in classes(dd)
    assert [label for label, _ in dd.options] == [d.plain for d in SLDefinition]
    assert w.sl_definition_dropdown("answered").value == "answered"
    assert "ccsim-run" in classes(w.run_button())


def test_preset_dropdown_lists_the_presets():
    from ccsim.scenario import list_presets

    dd = w.preset_dropdown()
    assert "ccsim-preset" in classes(dd)
    assert list(dd.options) == list_presets() and dd.value == "classroom"
    assert w.preset_dropdown("nowhere", names=["a", "b"]).value == "a"


# ---------------------------------------------------------------- tiles


def test_tile_value_words():
    assert w.tile_value("service_level", 0.823) == "82%"
    assert w.tile_value("abandonment_rate", 0.0312) == "3.1%" and w.tile_value("abandonment_rate", 0.125) == "12%"
    assert w.tile_value("asa_s", 12.4) == "12 s" and w.tile_value("asa_s", float("inf")) == "endless"
    assert w.tile_value("occupancy", None) == "no data" and w.tile_value("occupancy", float("nan")) == "no data"


def test_tile_says_value_target_and_met_in_words():
    tile = w.KpiTile("service_level", "simulation", SL_TARGET)
    assert {"ccsim-kpi", "ccsim-kpi-service-level", "ccsim-source-simulation", "ccsim-pending"} <= classes(tile.widget)
    tile.update(0.823, note="average of 5 simulated days")
    assert tile.met is True and tile.note == "average of 5 simulated days"
    assert tile.text == "Service level 82% — target 80% in 30 s — met ✓"
    assert "ccsim-met" in classes(tile.widget) and not classes(tile.widget) & {"ccsim-missed", "ccsim-pending"}
    assert "average of 5 simulated days" in tile.widget.value
    tile.update(0.5)
    assert tile.met is False and tile.text == "Service level 50% — target 80% in 30 s — missed ✗"
    assert "ccsim-missed" in classes(tile.widget) and "ccsim-met" not in classes(tile.widget)
    assert "missed" in tile.widget.value  # the words are in the widget, not only the colour
    tile.pending("press Run")
    assert tile.value is None and tile.met is None and "press Run" in tile.widget.value
    assert "ccsim-pending" in classes(tile.widget) and "ccsim-missed" not in classes(tile.widget)


def test_tile_css_and_label_come_from_the_registry():
    for kpi in ("service_level", "asa_s", "abandonment_rate", "occupancy", "p_wait"):
        tile = w.KpiTile(kpi, "erlang_a")
        assert f"ccsim-kpi-{KPIS[kpi].css}" in classes(tile.widget)
        assert tile.update(0.5).text.startswith(KPIS[kpi].label)
        assert tile.met is None and "no target" in tile.text


def test_asa_tile_says_endless_when_the_queue_never_clears():
    tile = w.KpiTile("asa_s", "erlang_c", w.Target("asa_s", 30.0, "at_most")).update(float("inf"))
    assert "endless" in tile.text and tile.met is False


def test_erlang_c_abandonment_tile_says_not_modelled_without_a_verdict():
    tile = w.KpiTile("abandonment_rate", "erlang_c", w.Target("abandonment_rate", 0.03, "at_most")).update(0.0)
    assert "not modelled" in tile.text and "nobody hangs up" in tile.text
    assert "met" not in tile.text and "missed" not in tile.text and "0.0%" not in tile.text
    assert tile.met is None
    assert "ccsim-no-target" in classes(tile.widget) and not classes(tile.widget) & {"ccsim-met", "ccsim-missed"}
    # Erlang A's abandonment is a result: judged against the same target
    judged = w.KpiTile("abandonment_rate", "erlang_a", w.Target("abandonment_rate", 0.03, "at_most"))
    assert judged.update(0.04).met is False and judged.update(0.02).met is True


# ---------------------------------------------------------------- message and figure areas


def test_message_area_shows_one_sentence_for_bad_input():
    area = w.MessageArea()
    area.error(CcsimInputError("agents", -3, "a whole number from 1 to 100"))
    assert area.kind == "error"
    assert area.text == "⚠ agents: -3 is not allowed; use a whole number from 1 to 100"
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
    assert area.kind == "" and area.text == "" and area.details.layout.display == "none"


def test_figure_area_shows_png_caption_and_keeps_the_figure():
    area = w.FigureArea()
    curve = plots.erlang_curve(100, 1800, 180, range(8, 16), patience_s=120)
    fig = plots.staffing_curve(curve)
    area.show(fig, alt="a staffing curve")
    assert area.png.startswith(b"\x89PNG") and area.image.value == area.png
    assert area.figure is fig and "a staffing curve" in area.caption.value
    assert any("ccsim-figure" in classes(x) for x in walk(area.widget))
    area.show(b"\x89PNG fake", "bytes", fig)
    assert area.png == b"\x89PNG fake" and area.figure is fig and area.alt == "bytes"
    area.clear()
    assert area.png == b"" and area.figure is None and area.caption.value == ""
    assert "application/vnd.jupyter.widget-view+json" in w.show_figure(fig, "static")._repr_mimebundle_()


# ---------------------------------------------------------------- the panel


def test_panel_updates_tiles_on_every_change_and_resets():
    panel = share_panel()
    tile = panel.tile("service_level", "erlang_a")
    assert tile.value == pytest.approx(0.5) and tile.met is False
    panel.controls["agents"].value = 85  # as a learner moving the slider
    assert tile.value == pytest.approx(0.85) and tile.met is True and panel.updates == 2
    panel.set(agents=70)
    assert tile.value == pytest.approx(0.7) and panel.params == {"agents": 70}
    panel.reset()
    assert panel.params == {"agents": 50} and tile.value == pytest.approx(0.5)
    with pytest.raises(KeyError):
        panel.tile("service_level", "simulation")
    assert "application/vnd.jupyter.widget-view+json" in panel._repr_mimebundle_()


def test_bad_value_shows_one_sentence_and_changes_nothing():
    panel = share_panel()
    before, updates = panel.results, panel.updates
    panel.set(agents=0)  # no exception escapes
    assert panel.message.kind == "error"
    assert panel.message.text == "⚠ agents: 0 is not allowed; use a whole number from 20 to 100"
    assert panel.controls["agents"].value == 50
    assert panel.results is before and panel.updates == updates
    panel.set(nonsense=3)
    assert panel.message.text == "⚠ control: 'nonsense' is not allowed; use one of agents"
    panel.set(agents=60)
    assert panel.message.kind == "" and panel.tiles[0].value == pytest.approx(0.6)


def test_dropdown_values_are_checked_too():
    def compute(params):
        return {"erlang_a": {"service_level": 0.9}}

    panel = w.WhatIfPanel({"sl_definition": w.sl_definition_dropdown()}, compute)
    panel.set(sl_definition="fastest")
    assert panel.message.kind == "error" and "sl_definition: 'fastest'" in panel.message.text
    assert panel.params == {"sl_definition": "offered"}


def test_any_other_error_is_kind_and_collapsed():
    def compute(params):
        if params["agents"] > 50:
            raise ZeroDivisionError("boom")
        return {"erlang_a": {"service_level": params["agents"] / 100}}

    panel = w.WhatIfPanel(
        {"agents": w.agents_slider(50)}, compute, tiles=[w.KpiTile("service_level", "erlang_a", SL_TARGET)]
    )
    assert panel.tiles[0].value == pytest.approx(0.5)
    panel.set(agents=60)  # must not raise
    assert panel.message.kind == "error"
    assert "went wrong" in panel.message.text and "boom" not in panel.message.text
    assert "ZeroDivisionError" in panel.message.details.value
    assert panel.tiles[0].value is None and "not available" in panel.tiles[0].text
    panel.set(agents=40)
    assert panel.message.kind == "" and panel.tiles[0].value == pytest.approx(0.4)


def test_input_error_from_compute_shows_its_sentence():
    def compute(params):
        raise CcsimInputError("patience_s", params["agents"], "a number above 0")

    panel = w.WhatIfPanel({"agents": w.agents_slider(50)}, compute)
    assert panel.message.text == "⚠ patience_s: 50 is not allowed; use a number above 0"
    assert panel.message.details.value == ""


def test_results_messages_all_show_one_per_line():
    sentences = ["First thing to know.", "Second thing to know.", "Third thing to know."]

    def compute(params):
        return {"erlang_a": {"service_level": 0.5}, "messages": sentences}

    panel = w.WhatIfPanel({"agents": w.agents_slider(50)}, compute)
    assert panel.message.kind == "warning"
    assert panel.message.text.split("\n") == ["⚠ " + s for s in sentences]
    assert all(s in panel.message.html.value for s in sentences)
    assert panel.message.html.value.count("<br>") == 2


def test_targets_function_overrides_the_tiles_own_target():
    panel = share_panel(targets=lambda p: {"service_level": w.Target("service_level", 0.4, "at_least")})
    assert panel.tiles[0].met is True and "target 40%" in panel.tiles[0].text


def test_simulation_waits_for_run_then_shows_with_progress():
    calls = []

    def simulate(params, progress):
        calls.append(dict(params))
        for day in (1, 2, 3):
            progress(day, 3)
        return {"simulation": {"service_level": params["agents"] / 200}, "notes": {"simulation": "3 days"}}

    panel = share_panel(simulate=simulate, auto_simulate=False)
    panel.tiles.append(w.KpiTile("service_level", "simulation", SL_TARGET))
    panel.refresh()
    sim_tile = panel.tile("service_level", "simulation")
    assert sim_tile.value is None and "press Run" in sim_tile.text and not calls
    seen = []
    panel.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    panel.run_button.click()
    assert calls == [{"agents": 50}] and seen[-1] == 3 and panel.progress.layout.visibility == "hidden"
    assert sim_tile.value == pytest.approx(0.25) and sim_tile.note == "3 days"
    panel.set(agents=60)  # the simulation is no longer current: its tile says so
    assert sim_tile.value is None and "simulation" not in panel.results
    panel.run()
    assert sim_tile.value == pytest.approx(0.3) and len(calls) == 2


def test_auto_simulation_reruns_only_when_the_settings_change():
    runs = []

    def simulate(params, progress):
        runs.append(params["agents"])
        return {"simulation": {"service_level": 0.9}}

    panel = share_panel(simulate=simulate, auto_simulate=lambda p: p["agents"] < 80)
    assert runs == [50]
    panel.refresh()
    assert runs == [50]  # same settings: kept
    panel.set(agents=60)
    panel.set(agents=90)  # above the auto limit: waits for Run
    assert runs == [50, 60] and "simulation" not in panel.results


def test_figure_function_may_return_png_alt_and_figure():
    curve = plots.erlang_curve(100, 1800, 180, range(8, 16), patience_s=120)
    fig = plots.staffing_curve(curve)
    png = plots.fig_to_png(fig)

    def figure(params, results):
        return (png, f"{params['agents']} agents", fig) if params["agents"] < 60 else None

    panel = share_panel(figure=figure)
    area = panel.figure_area
    assert area.png == png and area.figure is fig and area.alt == "50 agents"
    panel.set(agents=70)
    assert area.png == b"" and area.figure is None


def test_css_classes_of_a_panel():
    panel = share_panel(simulate=lambda p, progress: {}, figure=lambda p, r: None, title="Try it")
    found = set().union(*(classes(x) for x in walk(panel.widget)))
    expected = {
        "ccsim-panel",
        "ccsim-agents",
        "ccsim-run",
        "ccsim-progress",
        "ccsim-message",
        "ccsim-error-details",
        "ccsim-tiles",
        "ccsim-figure",
        "ccsim-figure-caption",
        "ccsim-kpi-service-level",
        "ccsim-source-erlang-a",
    }
    assert expected <= found, expected - found


def test_toolkit_knows_no_lab():
    import ccsim.views.widgets as toolkit

    assert not [name for name in dir(toolkit) if name in ("CLASSROOM", "GUARANTEES", "queue_panel", "kit_map")]
