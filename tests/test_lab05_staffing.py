"""Lab 05 · What-if staffing: every tile of every panel against numbers computed independently (ccsim's
Erlang formulas, the profile reader and the simulation engine, not the lab's code), the figures' lines, the
efficiency-trap sentence, bad values and the quiz."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from lab_checks import TileCheck, check_tiles, classes, classroom_targets, walk

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.calibration import read_profile
from ccsim.labs.lab05_forecast import needs_panel, shrinkage_panel
from ccsim.labs.lab05_questions import staffing_questions
from ccsim.labs.lab05_shifts import SHIFTS, enrollment_panel, shift_panel, trap_panel
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "acd_intervals.csv"
T = classroom_targets(30)


def fewest(calls: float, interval_s: float, aht: float, patience: float | None) -> int:
    """Smallest agents with 80% answered within 30 s (Erlang C: a stable queue too), by counting up."""
    n = 1
    while True:
        m = (
            erlang_c(calls, interval_s, aht, n, 30)
            if patience is None
            else erlang_a(calls, interval_s, aht, n, patience, 30)
        )
        if m.stable and m.service_level >= 0.8 - 1e-12:
            return n
        n += 1


@pytest.fixture(scope="module")
def calls() -> list[float]:
    return list(read_profile(SAMPLE).calls_mean)


def day(calls: list[float], agents: list[int], model: str, kpi: str) -> float:
    """A formula's day: each interval's share weighted by its calls."""

    def one(x: float, n: int):
        return erlang_c(x, 900, 400, n, 30) if model == "c" else erlang_a(x, 900, 400, n, 300, 30)

    return sum(x * getattr(one(x, n), kpi) for x, n in zip(calls, agents, strict=True)) / sum(calls)


def scheduled(n: float) -> float:
    return float(math.ceil(n / 0.59 - 1e-9))


def simulated(calls: list[float], agents: list[int], days: int = 5) -> dict[str, np.ndarray]:
    model = CenterModel.single_queue(calls, agents, Exponential(400.0), Exponential(300.0), interval_s=900.0)
    out = {k: np.zeros((days, len(calls))) for k in ("offered", "within", "gone")}
    for i, s in enumerate(np.random.SeedSequence(1).spawn(days)):
        c = simulate(model, s).contacts
        k = c["interval"].to_numpy()
        fast = (c["outcome"] == "answered").to_numpy() & (c["wait_s"].to_numpy() <= 30 + 1e-9)
        out["offered"][i] = np.bincount(k, minlength=len(calls))
        out["within"][i] = np.bincount(k[fast], minlength=len(calls))
        out["gone"][i] = np.bincount(k[(c["outcome"] == "abandoned").to_numpy()], minlength=len(calls))
    return out


def test_needs_panel_tiles_and_simulation(calls):
    p = needs_panel()
    c = [fewest(x, 900, 400, None) for x in calls]
    a = [fewest(x, 900, 400, 300) for x in calls]
    assert (max(c), max(a)) == (39, 36)
    expected = {
        ("agents", "erlang_c"): TileCheck(max(c), None, "Erlang C", note_numbers=(round(sum(c) / 4),)),
        ("agents", "erlang_a"): TileCheck(max(a), None, "Erlang A", note_numbers=(round(sum(a) / 4),)),
        ("scheduled_agents", "erlang_c"): TileCheck(scheduled(max(c)), None, "Erlang C, 41%"),
        ("scheduled_agents", "erlang_a"): TileCheck(scheduled(max(a)), None, "Erlang A, 41%"),
        ("service_level", "erlang_c"): TileCheck(
            day(calls, c, "c", "service_level"), T["service_level"], "Erlang C, the day"
        ),
        ("service_level", "erlang_a"): TileCheck(
            day(calls, a, "a", "service_level"), T["service_level"], "Erlang A, the day"
        ),
        ("abandonment_rate", "erlang_a"): TileCheck(
            day(calls, a, "a", "abandonment_rate"), T["abandonment_rate"], "Erlang A, the day"
        ),
        ("service_level", "simulation"): TileCheck(None, T["service_level"], "Simulated"),
        ("abandonment_rate", "simulation"): TileCheck(None, T["abandonment_rate"], "Simulated"),
    }
    check_tiles(p.tiles, expected)
    assert p.message.kind == ""
    fig = p.figure_area.figure
    lines = {ln.get_gid(): ln for ln in fig.axes[0].get_lines()}
    assert list(lines["erlang_a"].get_ydata()) == a and list(lines["erlang_c"].get_ydata()) == c
    assert np.allclose(lines["load"].get_ydata(), np.asarray(calls) * 400 / 900)
    p.run()
    s = simulated(calls, a)
    expected[("service_level", "simulation")] = TileCheck(
        s["within"].sum() / s["offered"].sum(), T["service_level"], "Simulated"
    )
    expected[("abandonment_rate", "simulation")] = TileCheck(
        s["gone"].sum() / s["offered"].sum(), T["abandonment_rate"], "Simulated"
    )
    check_tiles(p.tiles, expected)


def test_needs_panel_at_three_times_the_calls(calls):
    p = needs_panel().set(volume_pct=300)
    assert p.results["erlang_a"]["agents"] == max(fewest(3 * x, 900, 400, 300) for x in calls) == 101


def test_shrinkage_panel_50_on_the_phones_means_85_on_the_schedule():
    p = shrinkage_panel()
    check_tiles(p.tiles, {
        ("agents", "schedule"): TileCheck(50, None, "On the phones"),
        ("scheduled_agents", "schedule"): TileCheck(85, None, "To schedule"),
    })  # fmt: skip
    (words,) = [w for w in walk(p.widget) if "ccsim-shrinkage-words" in classes(w)]
    assert "Shrinkage 41.0%" in words.value and "schedule <b>85 people</b>" in words.value
    p.set(training_pct=0)
    assert p.results["schedule"]["scheduled_agents"] == math.ceil(50 / (1 - 0.32) - 1e-9)
    p.set(breaks_pct=30, training_pct=30, absence_pct=30, vacation_pct=30, offphone_pct=30)
    assert "shrinkage" in p.message.text.lower() and p.message.kind == "error"


def _coverage(calls_n: int, shifts, break_min: float) -> np.ndarray:
    on = np.zeros(calls_n)
    for start, hours, agents in shifts:
        h, m = map(int, start.split(":"))
        first, length = (h * 60 + m - 480) / 15, hours * 4
        for k in range(calls_n):
            if first <= k < first + length:
                on[k] += agents
                if first + length / 4 <= k < first + 3 * length / 4:
                    on[k] -= agents * (break_min / 15) / (length / 2)
    return np.round(np.maximum(on, 0))


def _day(calls, on):
    within = gone = 0.0
    for x, a in zip(calls, on, strict=True):
        m = erlang_a(x, 900, 400, int(a), 300, 30)
        within += x * m.service_level
        gone += x * m.abandonment_rate
    return within / sum(calls), gone


def test_shift_panel_coverage_tiles_and_heat_map(calls):
    p = shift_panel()
    shifts = [(s, h, a) for _n, s, h, a in SHIFTS]
    on = _coverage(len(calls), shifts, 60)
    need = [fewest(x, 900, 400, 300) for x in calls]
    sl, gone = _day(calls, on)
    short = int(np.sum(on < np.asarray(need)))
    assert (short, round(100 * sl), round(gone)) == (18, 68, 187)
    expected = {
        ("scheduled_agents", "shifts"): TileCheck(38, None, "Your shifts", note_numbers=(288, short, 40)),
        ("service_level", "erlang_a"): TileCheck(sl, T["service_level"], "Erlang A formula"),
        ("abandoned", "erlang_a"): TileCheck(gone, None, "Erlang A formula", note_numbers=(round(sum(calls)),)),
        ("service_level", "simulation"): TileCheck(None, T["service_level"], "5 simulated days"),
        ("abandoned", "simulation"): TileCheck(None, None, "5 simulated days"),
    }
    check_tiles(p.tiles, expected)
    ax = p.figure_area.figure.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.get_lines()}
    assert list(lines["coverage"].get_ydata()) == list(on) and list(lines["need"].get_ydata()) == need
    p.run()
    s = simulated(calls, [int(x) for x in on])
    expected[("service_level", "simulation")] = TileCheck(
        s["within"].sum() / s["offered"].sum(), T["service_level"], "5 simulated days"
    )
    expected[("abandoned", "simulation")] = TileCheck(s["gone"].sum() / 5, None, "5 simulated days")
    check_tiles(p.tiles, expected)
    heat = [im for a in p.figure_area.figure.axes for im in a.get_images() if im.get_gid() == "heat"]
    assert len(heat) == 1 and np.allclose(np.asarray(heat[0].get_array()), 100 * s["within"] / s["offered"])
    p.set(a_agents=20)
    assert p.results["erlang_a"]["service_level"] > sl and "simulation" not in p.results
    p.set(a_start="25:00")
    assert p.message.kind == "error" and p.params["a_start"] == "08:00"


def test_enrollment_panel_three_times_the_calls(calls):
    usual = [fewest(x, 900, 400, 300) for x in calls]
    p = enrollment_panel().set(volume_pct=300)
    triple = [3 * x for x in calls]
    sl, gone = _day(triple, usual)
    check_tiles(p.tiles, {
        ("service_level", "erlang_a"): TileCheck(sl, T["service_level"], "Erlang A formula"),
        ("abandonment_rate", "erlang_a"): TileCheck(gone / sum(triple), T["abandonment_rate"], "Erlang A formula"),
        ("abandoned", "erlang_a"): TileCheck(gone, None, "Erlang A formula"),
    })  # fmt: skip
    assert round(gone) == 3725 and round(sum(triple)) == 5961
    p.set(extra_pct=180)
    sl2, _ = _day(triple, [math.floor(a * 2.8 + 1e-9) for a in usual])
    assert p.results["erlang_a"]["service_level"] == pytest.approx(sl2) and sl2 >= 0.8


def test_trap_panel_says_so_in_one_sentence():
    p = trap_panel()
    assert p.message.kind == "" and p.results["erlang_a"]["agents"] == fewest(225, 1800, 400, 300) == 52
    p.set(patience_s=60)
    assert p.results["erlang_a"]["agents"] == fewest(225, 1800, 400, 60) == 46
    assert (
        p.message.text.count("Efficiency trap") == 1 and "46 agents are fewer than the 50.0 Erlangs" in p.message.text
    )
    check_tiles(p.tiles, {
        ("agents", "erlang_c"): TileCheck(56, None, "Erlang C"),
        ("agents", "erlang_a"): TileCheck(46, None, "Erlang A"),
        ("occupancy", "erlang_c"): TileCheck(erlang_c(225, 1800, 400, 56, 30).occupancy, None, "Busy occupancy, Erlang C"),
        ("occupancy", "erlang_a"): TileCheck(erlang_a(225, 1800, 400, 46, 60, 30).occupancy, None, "Busy occupancy, Erlang A"),
        ("service_level", "erlang_a"): TileCheck(erlang_a(225, 1800, 400, 46, 60, 30).service_level, T["service_level"], "Erlang A"),
        ("abandonment_rate", "erlang_a"): TileCheck(erlang_a(225, 1800, 400, 46, 60, 30).abandonment_rate, T["abandonment_rate"], "Erlang A"),
    })  # fmt: skip


def test_quiz_answers_are_computed():
    q = staffing_questions()
    assert q[0].options[q[0].answer] == "51"
    assert q[1].options[q[1].answer].startswith("The target is met only because 12%")
    assert q[2].options[q[2].answer] == "A bit less than three times as many: 101"
