"""The ccsim command line: numbers, JSON keys, exit codes, and one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run, run_json

from ccsim.analytics.erlang import erlang_a, erlang_c

REPO = Path(__file__).resolve().parents[1]
ERLANG_C_14 = [
    "erlang",
    "--calls",
    "100",
    "--interval",
    "1800",
    "--aht",
    "180",
    "--agents",
    "14",
    "--answer-within",
    "20",
]


def test_erlang_c_table_shows_the_vector_numbers(capsys):
    code, out, err = run(capsys, *ERLANG_C_14)
    assert code == 0 and err == ""
    assert "Erlang C" in out
    assert "17.4 %" in out and "88.8 %" in out and "7.8 s" in out and "71.4 %" in out


def test_erlang_c_json_matches_the_vectors(capsys):
    d = run_json(capsys, *ERLANG_C_14)
    assert d["model"] == "erlang_c" and d["sl_definition"] == "offered" and d["agents"] == 14
    assert d["p_wait"] == pytest.approx(0.1741319, abs=5e-6)
    assert d["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert d["asa_s"] == pytest.approx(7.83594, abs=5e-5)
    assert d["occupancy"] == pytest.approx(0.7142857, abs=5e-7)
    assert d["abandonment_rate"] == 0 and d["abandoned"] == 0 and d["calls"] == 100
    assert {
        "p_wait",
        "service_level",
        "asa_s",
        "abandonment_rate",
        "occupancy",
        "agents",
        "calls",
        "abandoned",
        "model",
        "sl_definition",
    } <= set(d)


def test_erlang_a_with_patience_and_definition(capsys):
    d = run_json(
        capsys,
        "erlang",
        "--calls",
        "100",
        "--aht",
        "180",
        "--agents",
        "13",
        "--patience",
        "300",
        "--sl-definition",
        "answered",
    )
    m = erlang_a(100, 1800, 180, 13, 300, 20, sl_definition="answered")
    assert d["model"] == "erlang_a" and d["sl_definition"] == "answered"
    assert d["service_level"] == pytest.approx(m.service_level) and d["abandonment_rate"] == pytest.approx(
        0.025, abs=1e-3
    )
    assert d["abandoned"] == pytest.approx(100 * m.abandonment_rate)


def test_unstable_queue_is_null_in_json_and_explained_on_stderr(capsys):
    code, out, err = run(capsys, "erlang", "--calls", "100", "--aht", "180", "--agents", "10", "--json")
    d = json.loads(out)
    assert code == 0 and d["asa_s"] is None and d["service_level"] == 0 and d["p_wait"] == 1
    assert err.count("\n") == 1 and "unstable" in err


def test_staff_finds_the_vector_staffing(capsys):
    code, out, err = run(
        capsys,
        "staff",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--answer-within",
        "20",
        "--target-sl",
        "0.8",
        "--shrinkage",
        "0.3",
    )
    assert code == 0 and err == ""
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in out.splitlines()[1:3]}
    assert list(lines.values()) == ["14", "20"]
    d = run_json(
        capsys,
        "staff",
        "--calls",
        "25",
        "--interval",
        "600",
        "--aht",
        "180",
        "--target-sl",
        "0.8",
        "--shrinkage",
        "0.3",
    )
    assert (d["agents"], d["scheduled_agents"], d["binding"]) == (11, 16, ["--target-sl"])


def test_staff_with_every_target(capsys):
    d = run_json(
        capsys,
        "staff",
        "--calls",
        "100",
        "--aht",
        "180",
        "--target-sl",
        "0.8",
        "--max-asa",
        "5",
        "--max-occupancy",
        "0.85",
        "--max-abandon",
        "0.03",
        "--patience",
        "300",
        "--shrinkage",
        "0.3",
    )
    assert d["model"] == "erlang_a"
    assert d["service_level"] >= 0.8 and d["asa_s"] <= 5 and d["occupancy"] <= 0.85 and d["abandonment_rate"] <= 0.03
    fewer = erlang_a(100, 1800, 180, d["agents"] - 1, 300, 20)
    assert fewer.service_level < 0.8 or fewer.asa_s > 5 or fewer.occupancy > 0.85 or fewer.abandonment_rate > 0.03
    assert d["scheduled_agents"] >= d["agents"] / 0.7


BAD = [
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "-3"], "--agents", "-3"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "abc"], "--agents", "abc"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "-3e2"], "--agents", "-3e2"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "2.5"], "--agents", "2.5"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "5001"], "--agents", "5001"),
    (["erlang", "--calls", "100", "--aht", "180"], "--agents", None),
    (["erlang", "--calls", "100", "--aht", "180", "--agents"], "--agents", None),
    (["erlang", "--calls", "-1", "--aht", "180", "--agents", "3"], "--calls", "-1"),
    (["erlang", "--calls", "100", "--aht", "0", "--agents", "3"], "--aht", "0"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--interval", "nan"], "--interval", "nan"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--patience", "0"], "--patience", "0"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--answer-within", "-5"], "--answer-within", "-5"),
    (
        ["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--sl-definition", "fast"],
        "--sl-definition",
        "fast",
    ),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--bogus", "1"], "--bogus", None),
    (["staff", "--calls", "100", "--aht", "180", "--target-sl", "80"], "--target-sl", "80"),
    (["staff", "--calls", "100", "--aht", "180", "--target-sl", "0.8", "--shrinkage", "1"], "--shrinkage", "1"),
    (["staff", "--calls", "100", "--aht", "180"], "--target-sl", None),
    (["staff", "--calls", "1e5", "--aht", "180", "--target-sl", "0.8"], "--target-sl", "0.8"),
    # sizes that would exhaust memory or time are refused before any work starts
    (["staff", "--calls", "1e9", "--aht", "180", "--target-sl", "0.8"], "--calls", "1e9"),
    (["erlang", "--calls", "1e9", "--aht", "180", "--agents", "3"], "--calls", "1e9"),
    (["erlang", "--calls", "100", "--aht", "1e12", "--agents", "3"], "--aht", "1e12"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--interval", "1e12"], "--interval", "1e12"),
    (["erlang", "--calls", "100", "--aht", "180", "--agents", "3", "--patience", "inf"], "--patience", "inf"),
    (["simulate", "--calls-per-hour", "1e8", "--aht", "100", "--agents", "2"], "--calls-per-hour", "1e8"),
    (["simulate", "--calls-per-hour", "10", "--aht", "100", "--agents", "2", "--hours", "1e9"], "--hours", "1e9"),
    (["simulate", "--calls-per-hour", "10", "--aht", "100", "--agents", "1e7"], "--agents", "1e7"),
    (
        ["simulate", "--calls-per-hour", "900000", "--aht", "100", "--agents", "2", "--hours", "8"],
        "--calls-per-hour",
        "900000",
    ),
    (
        ["simulate", "--calls-per-hour", "10", "--aht", "100", "--agents", "2", "--replications", "0"],
        "--replications",
        "0",
    ),
    (["simulate", "--calls-per-hour", "10", "--aht", "100", "--agents", "2", "--hours", "0"], "--hours", "0"),
    (["simulate", "--calls-per-hour", "10", "--aht", "100", "--agents", "2", "--seed", "-1"], "--seed", "-1"),
    (["simulate", "--aht", "100", "--agents", "2"], "--calls-per-hour", None),
    (["forecast"], "command", "forecast"),
    ([], "command", None),
]


@pytest.mark.parametrize("argv, flag, value", BAD, ids=[" ".join(b[0][-2:]) or "no-args" for b in BAD])
def test_bad_input_is_one_line_naming_the_flag(capsys, argv, flag, value):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    line = err.strip()
    assert line.startswith(f"{flag}") or f" {flag}" in line.split(";")[0], line
    if value is not None:
        assert value in line
    assert "Traceback" not in err and "usage:" not in err


def test_help_exits_zero(capsys):
    code, out, _ = run(capsys, "erlang", "--help")
    assert code == 0 and "--answer-within" in out and "--patience" in out


def test_python_dash_m_ccsim_json():
    proc = subprocess.run(
        [sys.executable, "-m", "ccsim", *ERLANG_C_14, "--json"], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert proc.returncode == 0 and proc.stderr == ""
    d = json.loads(proc.stdout)
    assert d["service_level"] == pytest.approx(erlang_c(100, 1800, 180, 14, 20).service_level)


SIM = [
    "simulate",
    "--calls-per-hour",
    "200",
    "--aht",
    "180",
    "--agents",
    "12",
    "--hours",
    "1",
    "--replications",
    "4",
    "--seed",
    "7",
    "--answer-within",
    "20",
]


def test_simulate_json_has_kpis_and_ci(capsys):
    pytest.importorskip("ccsim.metrics.replications")
    d = run_json(capsys, *SIM, "--patience", "300")
    keys = ["p_wait", "service_level", "asa_s", "abandonment_rate", "occupancy", "calls", "abandoned"]
    assert d["model"] == "simulation" and d["agents"] == 12 and d["replications"] == 4
    assert set(keys) <= set(d) and set(keys) <= set(d["ci95"])
    assert 150 < d["calls"] < 250  # about 200 calls offered in one hour
    for key in ("p_wait", "service_level", "abandonment_rate", "occupancy"):
        assert 0 <= d[key] <= 1 and d["ci95"][key] >= 0
    assert d["formula"]["model"] == "erlang_a"
    assert d["hours_simulated"] == 1.0


def test_simulate_is_reproducible_and_seed_matters(capsys):
    pytest.importorskip("ccsim.metrics.replications")
    first, again = run_json(capsys, *SIM), run_json(capsys, *SIM)
    other = run_json(capsys, *SIM[:-4], "--seed", "8", "--answer-within", "20")
    assert first == again
    assert other["calls"] != first["calls"] or other["asa_s"] != first["asa_s"]


def test_simulate_partial_hours_round_up_to_whole_intervals(capsys):
    pytest.importorskip("ccsim.metrics.replications")
    d = run_json(
        capsys,
        "simulate",
        "--calls-per-hour",
        "60",
        "--aht",
        "60",
        "--agents",
        "3",
        "--hours",
        "0.6",
        "--replications",
        "2",
    )
    assert d["hours_simulated"] == 1.0


def test_simulate_table_and_overload_warning(capsys):
    pytest.importorskip("ccsim.metrics.replications")
    code, out, err = run(
        capsys,
        "simulate",
        "--calls-per-hour",
        "400",
        "--aht",
        "180",
        "--agents",
        "5",
        "--hours",
        "0.5",
        "--replications",
        "2",
    )
    assert code == 0
    assert "simulation (mean ± 95% CI)" in out and "Erlang C formula" in out
    assert err.strip(), "a heavily overloaded center without hang-ups should warn"
    assert "Traceback" not in err and all(line.strip() for line in err.splitlines())


def test_size_limits_are_written_out_plainly(capsys):
    code, out, err = run(capsys, "erlang", "--calls", "1e9", "--aht", "180", "--agents", "3")
    assert code == 2 and out == "" and "from 0 to 1,000,000" in err and "e+" not in err
    code, _, err = run(capsys, "simulate", "--aht", "100", "--agents", "2")
    assert code == 2 and "1,000,000" in err and "e+" not in err


def test_an_input_error_no_flag_check_caught_is_still_one_sentence_naming_the_flag(capsys, monkeypatch):
    from ccsim.cli import formulas
    from ccsim.errors import CcsimInputError

    def refuses(args):
        raise CcsimInputError("patience_s", 0, "a number above 0")

    monkeypatch.setattr(formulas, "cmd_erlang", refuses)
    code, out, err = run(capsys, *ERLANG_C_14)
    assert (code, out, err) == (2, "", "--patience: 0 is not allowed; use a number above 0\n")


def test_ctrl_c_stops_with_one_word_and_code_130(capsys, monkeypatch):
    from ccsim.cli import formulas

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(formulas, "cmd_erlang", interrupted)
    assert run(capsys, *ERLANG_C_14) == (130, "", "Stopped.\n")


def test_a_flag_without_its_value_names_what_it_takes(capsys):
    code, _, err = run(capsys, *ERLANG_C_14, "--sl-definition")
    assert code == 2 and err.startswith("--sl-definition: no value given; use one of offered|")


def test_json_has_plain_numbers_and_null_for_missing_or_infinite():
    import numpy as np

    from ccsim.cli.output import json_ready

    ready = json_ready({"a": np.int64(3), "b": np.float64("inf"), "c": (1.5, float("nan")), "d": True, "e": "x"})
    assert ready == {"a": 3, "b": None, "c": [1.5, None], "d": True, "e": "x"}
    assert type(ready["a"]) is int
    assert json.loads(json.dumps(ready, allow_nan=False)) == ready
