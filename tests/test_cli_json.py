"""One vocabulary on the command line: erlang, staff, simulate and run name the same things the same way.

Each command's ``--json`` has every key of ``REPORT_KEYS`` at its top level and a ``ci95`` object with
the same keys (null without replications). The same case gives the same numbers under the same key:
the formula's service level lies within the simulation's confidence interval, the staffing answer is
the Erlang answer for that many agents, and the classroom scenario agrees with Erlang A.
"""

from __future__ import annotations

import math

import pytest
from cli_helpers import run_json

from ccsim.metrics.kpis import KPI_NAMES
from ccsim.metrics.registry import KPIS, REPORT_KEYS
from ccsim.scenario import load_preset

INTERVALS = 16  # 8 hours of 30-minute intervals
CASE = ["--aht", "180", "--patience", "300", "--answer-within", "20"]
ERLANG = ["erlang", "--calls", "100", "--interval", "1800", "--agents", "13", *CASE]
SIMULATE = ["simulate", "--calls-per-hour", "200", "--agents", "13", "--hours", "8", "--replications", "20", *CASE]
STAFF = ["staff", "--calls", "100", "--interval", "1800", "--target-sl", "0.8", "--shrinkage", "0.3", *CASE]
RATES = ("service_level", "asa_s", "abandonment_rate", "p_wait", "occupancy", "aht_s")
COUNTS = ("calls", "answered", "abandoned")
WIDEN = 1.5
"""The formulas describe a queue that has run forever; a simulated day starts empty, which biases it a
little (fewer waits): the comparisons allow 1.5 times the 95% half-width."""


def all_four(capsys) -> dict[str, dict]:
    return {
        "erlang": run_json(capsys, *ERLANG),
        "staff": run_json(capsys, *STAFF),
        "simulate": run_json(capsys, *SIMULATE, "--seed", "1"),
        "run": run_json(capsys, "run", "classroom", "--replications", "3"),
    }


def test_every_command_has_the_report_keys_at_the_top_and_the_same_ci95_shape(capsys):
    for command, d in all_four(capsys).items():
        assert set(REPORT_KEYS) | {"ci95", "command", "model", "sl_definition", "answer_within_s", "warnings"} <= set(
            d
        ), command
        assert d["command"] == command
        assert "asa" not in d and "kpis" not in d, f"{command}: old names"
        kpi_keys = [k for k in d if k in KPIS]
        assert kpi_keys == [k for k in KPIS if k in kpi_keys], f"{command}: KPIs not in the registry's order"
        if command in ("erlang", "staff"):
            assert d["ci95"] is None
        else:
            assert list(d["ci95"]) == kpi_keys, command
            assert set(KPI_NAMES) <= set(d), f"{command}: a simulation reports every KPI"
        for key in ("service_level", "abandonment_rate", "p_wait", "occupancy"):
            assert 0 <= d[key] <= 1, f"{command}: {key} is a fraction 0-1, got {d[key]}"
        assert isinstance(d["warnings"], list)


def within(sim: float, half: float, formula: float) -> bool:
    return abs(sim - formula) <= WIDEN * half


def test_erlang_and_simulate_mean_the_same_by_each_key(capsys):
    erlang, sim = run_json(capsys, *ERLANG), run_json(capsys, *SIMULATE, "--seed", "1")
    assert erlang["model"] == sim["formula"]["model"] == "erlang_a"
    assert erlang["agents"] == sim["agents"] == 13 and erlang["scheduled_agents"] is sim["scheduled_agents"] is None
    for key in RATES:
        assert within(sim[key], sim["ci95"][key], erlang[key]), (key, sim[key], sim["ci95"][key], erlang[key])
        assert sim["formula"][key] == pytest.approx(erlang[key]), key
    for key in COUNTS:  # erlang counts one interval; simulate counts the whole day
        assert within(sim[key], sim["ci95"][key], INTERVALS * erlang[key]), key
        assert sim["formula"][key] == pytest.approx(INTERVALS * erlang[key]), key
    assert erlang["answered"] + erlang["abandoned"] == pytest.approx(erlang["calls"])


def test_staff_reports_what_erlang_says_for_its_agents(capsys):
    staff = run_json(capsys, *STAFF)
    erlang = run_json(capsys, *[w if w != "13" else str(staff["agents"]) for w in ERLANG])
    assert staff["service_level"] >= 0.8 and staff["scheduled_agents"] >= staff["agents"] / 0.7
    for key in REPORT_KEYS:
        if key != "scheduled_agents":
            assert staff[key] == pytest.approx(erlang[key]), key


def test_run_classroom_agrees_with_erlang_a_for_its_numbers(capsys):
    scenario = load_preset("classroom")
    model = scenario.to_model()
    (stream,) = model.arrivals
    (call_type,) = model.call_types
    calls = stream.calls_per_interval[0]
    assert set(stream.calls_per_interval) == {calls}, "the classroom is a flat day"
    erlang = run_json(
        capsys,
        "erlang",
        "--calls",
        calls,
        "--interval",
        model.interval_s,
        "--aht",
        call_type.handle_time.mean_s,
        "--agents",
        50,
        "--patience",
        call_type.patience.mean_s,
        "--answer-within",
        30,
    )
    run = run_json(capsys, "run", "classroom", "--replications", "20")
    assert run["agents"] == erlang["agents"] == 50 and run["hours_simulated"] * 2 == len(stream.calls_per_interval)
    for key in ("service_level", "asa_s", "abandonment_rate", "p_wait", "aht_s"):
        assert within(run[key], run["ci95"][key], erlang[key]), (key, run[key], run["ci95"][key], erlang[key])
    for key in COUNTS:
        assert within(run[key], run["ci95"][key], len(stream.calls_per_interval) * erlang[key]), key
    # occupancy: the simulated day starts with idle agents, so it runs a point or two below the formula
    assert math.isclose(run["occupancy"], erlang["occupancy"], abs_tol=0.03)
