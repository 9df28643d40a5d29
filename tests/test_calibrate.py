"""``ccsim calibrate``: per-call records of a simulated center → its numbers back, a scenario that reproduces them; bad files."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from cli_helpers import run, run_json

from ccsim.calibration.estimate import fit_handle_time, patience_mle
from ccsim.calibration.synthetic import call_records
from ccsim.scenario import Scenario
from ccsim.simulation.engine import simulate

CENTER = """
name = "truth"
[horizon]
start = "08:00"
hours = 4
interval_min = 30
days = 7
first_weekday = "Mon"
closed_weekdays = ["Sat", "Sun"]
[[call_types]]
name = "calls"
volume_share = 1.0
handle_time = { kind = "lognormal", mean_s = 300, cv = 0.8 }
PATIENCE
[arrivals]
calls_per_interval = [60, 100, 120, 110, 90, 80, 70, 50]
weekday_factors = { Mon = 1.2 }
[[agent_groups]]
name = "agents"
skills = ["calls"]
headcount_per_interval = [12, 19, 22, 21, 17, 16, 14, 11]
weekday_factors = { Mon = 1.2 }
"""
TRUE_AGENTS = sum([12, 19, 22, 21, 17, 16, 14, 11]) / 8 * (1.2 + 4) / 5


def records_file(tmp_path, patience: str = 'patience = { kind = "exponential", mean_s = 200 }', seed: int = 7):
    s = Scenario.from_toml(CENTER.replace("PATIENCE", patience))
    rows = call_records(simulate(s.to_model(), seed=seed))
    path = tmp_path / "calls.csv"
    rows.to_csv(path, index=False)
    return path, rows


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cal")
    path, rows = records_file(tmp)
    return path, rows


def test_calibrate_finds_the_center_back(calibrated, capsys):
    path, rows = calibrated
    out = run_json(capsys, "calibrate", path)
    answered = rows["outcome"] == "answered"
    assert out["calls"] == len(rows) and out["days"] == 5 and out["open_days"] == 5
    assert out["service_level"] == pytest.approx((answered & (rows["wait_s"] <= 30)).mean())
    assert out["asa_s"] == pytest.approx(rows.loc[answered, "wait_s"].mean())
    assert out["abandonment_rate"] == pytest.approx((~answered).mean())
    assert out["handle_time"]["mean_s"] == pytest.approx(300, rel=0.05)
    assert out["handle_time"]["cv"] == pytest.approx(0.8, rel=0.1)
    assert out["handle_time"]["kind"] == "lognormal"
    assert out["patience_mean_s"] == pytest.approx(200, rel=0.2)
    assert "censored" in out["patience_method"]
    # staffing from the waits, not from the people named: within 10% of the truth; the names overstate it
    assert out["agents_on_phones_mean"] == pytest.approx(TRUE_AGENTS, rel=0.1)
    assert out["agents_seen_mean"] > 1.3 * out["agents_on_phones_mean"]
    assert out["weekday_factors"]["Mon"] == pytest.approx(1.2 / 1.04, rel=0.08)
    cmp = out["comparison"]
    assert cmp["simulated"]["service_level"] == pytest.approx(out["service_level"], abs=0.04)
    assert cmp["simulated"]["abandonment_rate"] == pytest.approx(out["abandonment_rate"], abs=0.015)
    assert cmp["simulated"]["asa_s"] == pytest.approx(out["asa_s"], abs=5)


def test_out_writes_a_scenario_ccsim_run_accepts(calibrated, tmp_path, capsys):
    path, rows = calibrated
    toml = tmp_path / "mine.toml"
    code, text, err = run(capsys, "calibrate", path, "--out", toml)
    assert code == 0 and "beside the records" in text and "ccsim run" in err
    assert "agents seen" in text and "Erlang A" in text
    ran = run_json(capsys, "run", toml)
    assert ran["days"] == 5
    assert ran["calls"] == pytest.approx(len(rows), rel=0.05)


def test_column_names_of_your_own(calibrated, tmp_path, capsys):
    _, rows = calibrated
    theirs = tmp_path / "theirs.csv"
    rows.rename(columns={"arrival": "CallStart", "wait_s": "QueueSec"}).drop(columns="agent").to_csv(
        theirs, index=False
    )
    out = run_json(capsys, "calibrate", theirs, "--column", "arrival=CallStart", "--column", "wait_s=QueueSec")
    assert out["calls"] == len(rows) and out["agents_seen_mean"] is None
    code, _, err = run(capsys, "calibrate", theirs, "--column", "arrival=CallStart")
    assert code == 2 and "no column 'wait_s'" in err and "--column wait_s=THEIRS" in err
    code, _, err = run(capsys, "calibrate", theirs, "--column", "start=CallStart")
    assert code == 2 and err.startswith("--column: start=CallStart is not allowed; use NAME=THEIRS")


def test_no_hang_ups_means_no_patience_and_the_scenario_still_runs(tmp_path, capsys):
    path, _ = records_file(tmp_path, patience="")
    out_toml = tmp_path / "s.toml"
    out = run_json(capsys, "calibrate", path, "--out", out_toml)
    assert out["patience_mean_s"] is None and out["abandonment_rate"] == 0
    assert "patience" not in out_toml.read_text().split("[[call_types]]")[1].split("[arrivals]")[0]
    assert run_json(capsys, "run", out_toml)["abandoned"] == 0


def test_patience_is_the_censored_exponential_estimate():
    import numpy as np

    wait = np.array([10.0, 20.0, 30.0, 40.0])
    answered = np.array([True, False, True, False])
    assert patience_mle(wait, answered) == 50.0  # 100 s of waiting, 2 hang-ups
    assert patience_mle(wait, np.ones(4, bool)) is None
    fit = fit_handle_time(np.full(10, 120.0))
    assert fit.kind == "fixed" and fit.mean_s == 120


HEAD = "arrival,outcome,wait_s,handle_s\n"
BAD = {
    "unknown outcome": (
        HEAD + "2026-03-02 08:00:01,answered,0,100\n2026-03-02 08:00:05,hung up,3,\n",
        "calls.csv line 3, column outcome: 'hung up'",
    ),
    "text in wait": (HEAD + "2026-03-02 08:00:01,answered,soon,100\n", "calls.csv line 2, column wait_s: 'soon'"),
    "negative handle": (HEAD + "2026-03-02 08:00:01,answered,0,-100\n", "calls.csv line 2, column handle_s: '-100'"),
    "unsorted": (
        HEAD + "2026-03-02 08:00:05,answered,0,100\n2026-03-02 08:00:01,answered,0,100\n",
        "calls.csv line 3, column arrival",
    ),
    "missing column": (
        "arrival,outcome,handle_s\n2026-03-02 08:00:01,answered,100\n",
        "calls.csv line 1: no column 'wait_s'",
    ),
    "empty": ("", "calls.csv: the file is empty"),
    "binary": (b"PK\x03\x04\x00\x00binary", "calls.csv: the file holds binary data"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_records_exit_2_with_one_sentence(tmp_path, capsys, case):
    text, start = BAD[case]
    f = tmp_path / "calls.csv"
    f.write_bytes(text if isinstance(text, bytes) else text.encode())
    code, out, err = run(capsys, "calibrate", f)
    assert code == 2 and out == ""
    assert err.startswith(start), err
    assert err.count("\n") == 1


def test_same_second_arrivals_and_blank_handle_of_abandoned_calls_are_fine(tmp_path, capsys):
    f = tmp_path / "calls.csv"
    lines = [HEAD.strip()]
    t = pd.Timestamp("2026-03-02 08:00")
    for k in range(300):
        when = (t + pd.Timedelta(seconds=20 * (k // 2))).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{when},abandoned,{k % 50}," if k % 10 == 0 else f"{when},answered,{k % 7},{200 + k}")
    f.write_text("\n".join(lines) + "\n")
    out = json.loads(run(capsys, "calibrate", f, "--json")[1])
    assert out["calls"] == 300 and out["abandonment_rate"] == pytest.approx(0.1)
