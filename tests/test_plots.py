"""Figures: the right data on labelled axes, targets and markers, no pyplot figure left open."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.views import plots

CALLS, IV, AHT, PAT = 213.75, 1800.0, 400.0, 300.0
TARGETS = {"service_level": 0.8, "asa_s": 30.0, "abandonment_rate": 0.03, "occupancy": 0.85}


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


@pytest.fixture(scope="module")
def curve():
    return plots.erlang_curve(CALLS, IV, AHT, range(40, 66), patience_s=PAT, answer_within_s=30)


def test_erlang_curve_matches_the_formulas(curve):
    assert len(curve) == 2 * 26 and set(curve["source"]) == {"erlang_a", "erlang_c"}
    row = curve[(curve.source == "erlang_a") & (curve.agents == 52)].iloc[0]
    m = erlang_a(CALLS, IV, AHT, 52, PAT, 30)
    assert row.service_level == pytest.approx(m.service_level) and row.abandonment_rate == pytest.approx(
        m.abandonment_rate
    )
    row = curve[(curve.source == "erlang_c") & (curve.agents == 45)].iloc[0]
    assert math.isinf(row.asa_s) and row.asa_s == erlang_c(CALLS, IV, AHT, 45, 30).asa_s
    a = curve[curve.source == "erlang_a"].sort_values("agents")
    assert (np.diff(a["service_level"]) > 0).all() and (np.diff(a["occupancy"]) < 0).all()


def test_erlang_curve_rejects_unknown_models():
    from ccsim.errors import CcsimInputError

    for agents in ([50], []):  # refused even with no agent counts to compute
        with pytest.raises(CcsimInputError) as info:
            plots.erlang_curve(CALLS, IV, AHT, agents, patience_s=PAT, models=("erlang_c", "erlang_z"))
        assert info.value.field == "models[1]" and info.value.value == "erlang_z"
        assert "erlang_c or erlang_a" in str(info.value)


def test_agents_around_covers_the_load_and_the_current_value():
    agents = plots.agents_around(47.5, 50)
    assert agents[0] < 47.5 < agents[-1] and 50 in agents
    assert agents == list(range(agents[0], agents[-1] + 1))
    assert 90 in plots.agents_around(47.5, 90) and plots.agents_around(0.5)[0] == 1


def test_staffing_curve_has_four_labelled_panels_targets_and_now(curve):
    fig = plots.staffing_curve(curve, targets=TARGETS, current_agents=50)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 4
    ylabels = [ax.get_ylabel() for ax in axes]
    assert any("(%)" in y for y in ylabels) and any("seconds" in y for y in ylabels)
    assert all(ax.get_xlabel() == "Agents on the phones" for ax in axes[2:])
    t = texts(fig)
    for target_text in ("target 80%", "target 30 s", "target 3%", "target 85%"):
        assert target_text in t
    assert t.count("now: 50") == 4
    legend = [x.get_text() for x in fig.legends[0].get_texts()]
    assert any("Erlang A" in x for x in legend) and any("Erlang C" in x for x in legend)
    # never colour alone: each source has its own marker
    markers = {line.get_label(): line.get_marker() for line in axes[0].get_lines() if "Erlang" in line.get_label()}
    assert len(set(markers.values())) == 2


def test_staffing_curve_cuts_endless_asa_and_says_so(curve):
    fig = plots.staffing_curve(curve, targets=TARGETS, kpis=("asa_s",))
    ax = fig.axes[0]
    assert "cut at 300 s" in ax.get_ylabel()
    assert ax.get_ylim()[1] == pytest.approx(300 * 1.02)
    erlang_c_line = next(line for line in ax.get_lines() if "Erlang C" in line.get_label())
    y = np.asarray(erlang_c_line.get_ydata(), dtype=float)
    assert np.isnan(y).any() and np.nanmax(y) <= 300


def test_staffing_curve_draws_simulation_with_its_range(curve):
    sim = pd.DataFrame(
        [
            {
                "source": "simulation",
                "agents": 50,
                "service_level": 0.82,
                "service_level_low": 0.78,
                "service_level_high": 0.86,
                "asa_s": 11.0,
                "abandonment_rate": 0.04,
                "occupancy": 0.9,
            }
        ]
    )
    fig = plots.staffing_curve(pd.concat([sim, curve]), kpis=("service_level",))
    legend = [x.get_text() for x in fig.legends[0].get_texts()]
    assert "Simulation (95% confidence interval)" in legend


def test_day_spread_marks_met_and_missed_days_differently():
    runs = pd.DataFrame({"service_level": [0.85, 0.75, 0.9, 0.79, 0.81]})
    fig = plots.day_spread(runs, target=0.8, references={"erlang_a": 0.82, "erlang_c": 0.48})
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    met = next(v for k, v in lines.items() if k.startswith("day met"))
    missed = next(v for k, v in lines.items() if k.startswith("day missed"))
    assert len(met.get_xdata()) == 3 and len(missed.get_xdata()) == 2
    assert met.get_marker() != missed.get_marker()
    assert "(3 of 5)" in met.get_label() and "(2 of 5)" in missed.get_label()
    assert any(k.startswith("Erlang C") and k.endswith("48%") for k in lines)
    assert "from 75 to 90%" in ax.get_title()
    assert ax.get_ylabel() == "Service level (%)"


def test_interval_profile_shows_clock_time():
    df = pd.DataFrame({"service_level": np.linspace(0.6, 0.9, 16)})
    fig = plots.interval_profile(df, target=0.8, interval_s=1800, opens_h=8)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "08:00" and labels[-1] == "16:00"
    assert ax.get_lines()[0].get_ydata()[-1] == pytest.approx(90)


def test_figures_are_png_and_never_left_open_in_pyplot(curve):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    png = plots.fig_to_png(plots.staffing_curve(curve, targets=TARGETS, current_agents=50))
    plots.day_spread(pd.DataFrame({"service_level": [0.8, 0.9]}))
    assert png.startswith(b"\x89PNG")
    assert plt.get_fignums() == before


def _with_sim(curve: pd.DataFrame, agents: int, sl: float, abandon: float = 0.04) -> pd.DataFrame:
    sim = pd.DataFrame(
        [
            {
                "source": "simulation",
                "agents": agents,
                "service_level": sl,
                "service_level_low": sl - 0.05,
                "service_level_high": sl + 0.05,
                "asa_s": 11.0,
                "asa_s_low": 8.0,
                "asa_s_high": 14.0,
                "abandonment_rate": abandon,
                "abandonment_rate_low": abandon - 0.01,
                "abandonment_rate_high": abandon + 0.01,
                "occupancy": 0.9,
                "occupancy_low": 0.88,
                "occupancy_high": 0.92,
            }
        ]
    )
    return pd.concat([sim, curve], ignore_index=True)


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)))


def test_staffing_curve_png_blits_the_same_picture_as_a_fresh_draw(curve):
    draw = plots.StaffingCurvePNG()
    draw(_with_sim(curve, 52, 0.9), targets=TARGETS, current_agents=52)
    kept = draw._fig
    moved = draw(_with_sim(curve, 49, 0.7), targets=TARGETS, current_agents=49)
    assert draw._fig is kept  # the static part was reused, only the moving artists redrawn
    fresh = plots.StaffingCurvePNG()(_with_sim(curve, 49, 0.7), targets=TARGETS, current_agents=49)
    assert np.array_equal(_pixels(moved), _pixels(fresh))
    before = plots.StaffingCurvePNG()(_with_sim(curve, 52, 0.9), targets=TARGETS, current_agents=52)
    assert not np.array_equal(_pixels(moved), _pixels(before))
    assert len(draw._fig.axes[0].containers) == 1  # old simulation error bars do not pile up


def test_staffing_curve_png_matches_the_figure_without_moving_parts(curve):
    png = plots.StaffingCurvePNG()(curve, targets=TARGETS)
    assert np.array_equal(_pixels(png), _pixels(plots.fig_to_png(plots.staffing_curve(curve, targets=TARGETS))))


def test_staffing_curve_png_redraws_when_limits_or_curve_change(curve):
    draw = plots.StaffingCurvePNG()
    draw(_with_sim(curve, 50, 0.8), targets=TARGETS, current_agents=50)
    kept = draw._fig
    high = _with_sim(curve, 50, 0.8, abandon=0.5)  # above every formula value: the abandonment axis grows
    png = draw(high, targets=TARGETS, current_agents=50)
    assert draw._fig is not kept
    assert np.array_equal(_pixels(png), _pixels(plots.StaffingCurvePNG()(high, targets=TARGETS, current_agents=50)))
    kept = draw._fig
    draw(_with_sim(curve, 50, 0.8), targets={**TARGETS, "service_level": 0.9}, current_agents=50)
    assert draw._fig is not kept


def test_every_line_is_named_for_checks(curve):
    fig = plots.staffing_curve(_with_sim(curve, 50, 0.8), targets=TARGETS, current_agents=50)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_gid() for ax in axes] == ["service_level", "asa_s", "abandonment_rate", "occupancy"]
    for ax in axes:
        gids = sorted(str(line.get_gid()) for line in ax.lines)
        assert gids == sorted(
            ["erlang_a", "erlang_c", "now", "simulation", "simulation-high", "simulation-low", "target"]
        ), (ax.get_gid(), gids)
        low = next(line for line in ax.lines if line.get_gid() == "simulation-low")
        high = next(line for line in ax.lines if line.get_gid() == "simulation-high")
        assert low.get_ydata()[0] < high.get_ydata()[0]  # matplotlib draws the lower cap first
        assert [c.get_gid() for c in ax.collections] == ["simulation-ci"]
    spread = plots.day_spread(
        pd.DataFrame({"service_level": [0.85, 0.75]}), target=0.8, references={"erlang_a": 0.82}
    ).axes[0]
    assert spread.get_gid() == "service_level"
    assert sorted(line.get_gid() for line in spread.lines) == [
        "day-met",
        "day-missed",
        "days-mean",
        "reference-erlang_a",
        "target",
    ]


def test_axis_words_come_from_the_registry(curve):
    from ccsim.metrics.registry import KPIS

    fig = plots.staffing_curve(curve, kpis=("service_level", "abandonment_rate", "occupancy"))
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        k = KPIS[ax.get_gid()]
        assert ax.get_title() == k.label and ax.get_ylabel() == k.axis_label
    profile = plots.interval_profile(pd.DataFrame({"asa_s": [10.0, 20.0]}), kpi="asa_s", target=30)
    assert profile.axes[0].get_ylabel() == KPIS["asa_s"].axis_label
    assert "target 30 s" in texts(profile)


def test_erlang_a_needs_a_patience():
    from ccsim.errors import CcsimInputError

    with pytest.raises(CcsimInputError) as info:
        plots.erlang_curve(CALLS, IV, AHT, [50])
    assert info.value.field == "patience_s" and "Erlang A" in str(info.value)
    only_c = plots.erlang_curve(CALLS, IV, AHT, [50], models=("erlang_c",))
    assert list(only_c["source"]) == ["erlang_c"]


def test_day_spread_judges_lower_is_better_kpis_the_other_way():
    runs = pd.DataFrame({"asa_s": [10.0, 40.0, 25.0]})
    ax = plots.day_spread(runs, kpi="asa_s", target=30.0).axes[0]
    lines = {line.get_gid(): line for line in ax.lines}
    assert list(lines["day-met"].get_ydata()) == [10.0, 25.0] and list(lines["day-missed"].get_ydata()) == [40.0]
