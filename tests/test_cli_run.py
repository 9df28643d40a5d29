"""`ccsim run`: every preset, the same numbers as the Python API, --json shape, atomic --out, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run, run_json

from ccsim.cli import output, write_csv_atomic
from ccsim.errors import ScenarioError
from ccsim.metrics.journeys import JOURNEY_KEYS
from ccsim.metrics.kpis import KPI_NAMES
from ccsim.metrics.registry import REPORT_KEYS
from ccsim.metrics.replications import replicate
from ccsim.metrics.scorecard import ALL, format_value, scorecard
from ccsim.scenario import list_presets, load_preset, load_scenario
from ccsim.simulation.engine import simulate

REPO = Path(__file__).resolve().parents[1]
BAD_DIR = Path(__file__).parent / "data" / "bad_scenarios"


def n_sites(name: str) -> int:
    return len(load_preset(name).to_model().sites)


def fewer_days(name: str, calls: float = 60_000) -> list[str]:
    """``--days`` flags that keep a long preset under about ``calls`` expected calls (a fast test), else []."""
    scenario = load_preset(name)
    model = scenario.to_model()
    expected = sum(sum(a.calls_per_interval) for a in model.arrivals)
    if expected <= calls:
        return []
    return ["--days", str(max(1, int(scenario.horizon.days * calls / expected)))]


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_runs_with_replications(capsys, name):
    d = run_json(capsys, "run", name, "--replications", "2", "--seed", "3", *fewer_days(name))
    sites = n_sites(name)
    blocks = 1 + (sites if sites > 1 else 0)
    assert d["scenario"] == load_preset(name).name and d["replications"] == 2 and d["seed"] == 3
    metrics = 5 + (load_preset(name).to_model().journeys is not None)  # the FCR row with member journeys
    assert len(d["scorecard"]) == metrics * blocks
    assert [r["metric"] for r in d["scorecard"]][5:metrics] == ["fcr"][: metrics - 5]
    assert {r["status"] for r in d["scorecard"]} <= {"met", "missed", "no data"}
    assert set(KPI_NAMES) <= set(d) and set(KPI_NAMES) <= set(d["ci95"])
    assert all("ci95" in r and "met_share" in r for r in d["scorecard"])


@pytest.mark.parametrize("name", ["classroom", "member_services_network"])
def test_table_shows_the_numbers_of_the_python_api(capsys, name):
    code, out, err = run(capsys, "run", name, "--seed", "5")
    assert code == 0 and "Traceback" not in err
    scenario = load_preset(name)
    card = scorecard(simulate(scenario.to_model(), seed=5), scenario)
    lines = out.splitlines()
    assert lines[0].startswith(f"Scenario {scenario.name}: 1 simulated day") and "seed 5" in lines[0]
    assert "All sites" in lines
    for row in card.itertuples():
        title = "All sites" if row.site == ALL else row.site
        block = lines[lines.index(title) :]
        line = next(ln for ln in block if ln.strip().startswith(row.label))
        assert format_value(row.result, row.unit, threshold=row.target) in line and line.split()[-1] == row.status


def test_json_shape_and_values_match_the_api(capsys):
    d = run_json(capsys, "run", "classroom", "--seed", "4")
    assert {
        "command",
        "model",
        "scenario",
        "source",
        "seed",
        "replications",
        "days",
        "answer_within_s",
        "sl_definition",
        "hours_simulated",
        "scorecard",
        "ci95",
        "warnings",
        "log",
        *REPORT_KEYS,
        *KPI_NAMES,
        *JOURNEY_KEYS,
    } == set(d)
    assert d["days"] == 1 and all(d[k] is None for k in JOURNEY_KEYS)  # no member journeys
    assert d["command"] == "run" and d["hours_simulated"] == 8 and d["agents"] == 50
    assert d["ci95"] is None and d["log"] is None and d["answer_within_s"] == 30 and d["sl_definition"] == "offered"
    scenario = load_preset("classroom")
    card = scorecard(simulate(scenario.to_model(), seed=4), scenario)
    assert [r["metric"] for r in d["scorecard"]] == list(card["metric"])
    assert [r["result"] for r in d["scorecard"]] == pytest.approx(list(card["result"]))
    assert [r["met"] for r in d["scorecard"]] == [bool(m) for m in card["met"]]
    row = d["scorecard"][0]
    assert set(row) == {
        "site",
        "metric",
        "label",
        "target",
        "direction",
        "unit",
        "result",
        "met",
        "status",
        "guaranteed",
    }
    assert isinstance(row["met"], bool) and row["site"] == "all"


def test_replications_use_the_replicate_seeds(capsys):
    d = run_json(capsys, "run", "classroom", "--replications", "3", "--seed", "9")
    rep = replicate(load_preset("classroom").to_model(), 3, seed=9, progress=False)
    assert d["calls"] == pytest.approx(rep.summary.loc["calls", "mean"])
    assert d["ci95"]["service_level"] == pytest.approx(rep.summary.loc["service_level", "ci95"])


def test_same_seed_same_output_other_seed_other_numbers(capsys):
    a = run_json(capsys, "run", "classroom", "--seed", "11")
    b = run_json(capsys, "run", "classroom", "--seed", "11")
    c = run_json(capsys, "run", "classroom", "--seed", "12")
    assert a == b and a["calls"] != c["calls"]


def test_scenario_file_path_works_and_equals_the_preset(capsys):
    by_path = run_json(capsys, "run", REPO / "data" / "scenarios" / "classroom.toml")
    by_name = run_json(capsys, "run", "classroom")
    assert by_path["scorecard"] == by_name["scorecard"]


def test_out_writes_one_row_per_contact(capsys, tmp_path):
    out = tmp_path / "contacts.csv"
    code, _, err = run(capsys, "run", "classroom", "--seed", "2", "--out", out)
    assert code == 0
    written = pd.read_csv(out)
    contacts = simulate(load_preset("classroom").to_model(), seed=2).contacts
    assert len(written) == len(contacts) and list(written.columns) == list(contacts.columns)
    assert written["contact_id"].is_unique
    np.testing.assert_allclose(written["wait_s"].to_numpy(), contacts["wait_s"].to_numpy())
    assert f"Wrote {len(contacts):,} contacts to {out}." in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv"]  # no temporary file left


def test_out_with_replications_writes_the_first_replication(capsys, tmp_path):
    out = tmp_path / "log.csv"
    d = run_json(capsys, "run", "classroom", "--replications", "3", "--seed", "6", "--out", out)
    first = simulate(load_preset("classroom").to_model(), np.random.SeedSequence(6).spawn(3)[0]).contacts
    written = pd.read_csv(out)
    assert len(written) == len(first) and d["log"] == {"path": str(out), "contacts": len(first), "replication": 1}
    code, _, err = run(capsys, "run", "classroom", "--replications", "3", "--seed", "6", "--out", out)
    assert code == 0
    assert "(replication 1 of 3)" in err


def test_failed_write_leaves_no_partial_file_and_keeps_the_old_one(capsys, tmp_path, monkeypatch):
    out = tmp_path / "contacts.csv"
    out.write_text("old contents\n")

    def half_then_fail(self, f, **kwargs):
        f.write("contact_id,call_type\n0,calls\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    code, stdout, err = run(capsys, "run", "classroom", "--out", out)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("--out: cannot write") and "No space left on device" in err
    assert out.read_text() == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv"]


def test_unwritable_folder_is_one_sentence_and_leaves_nothing(capsys, tmp_path):
    if os.geteuid() == 0:  # root writes anywhere a mode allows nothing; /sys refuses even root
        folder = Path("/sys")
        if not folder.is_dir():
            pytest.skip("no /sys to stand for an unwritable folder")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
    before = set(os.listdir(folder))
    code, stdout, err = run(capsys, "run", "classroom", "--out", folder / "contacts.csv")
    assert code == 2 and stdout == "" and err.count("\n") == 1 and err.startswith("--out: cannot write")
    assert set(os.listdir(folder)) == before


def test_write_csv_atomic_cleans_up_on_interrupt(tmp_path, monkeypatch):
    frame = pd.DataFrame({"a": [1, 2]})
    path = write_csv_atomic(frame, tmp_path / "x.csv")
    assert pd.read_csv(path).equals(frame)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # the usual permissions, not mkstemp's 0600

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_csv_atomic(pd.DataFrame({"a": [3]}), tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"] and pd.read_csv(path).equals(frame)


BAD_FILES = [
    "negative_headcount.toml",
    "unknown_skill.toml",
    "bad_toml_syntax.toml",
    "shares_do_not_add_up.toml",
    "unknown_field.toml",
]


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_scenario_file_is_the_scenario_error_sentence(capsys, name):
    path = BAD_DIR / name
    assert path.is_file(), f"{name} is missing from the bad-scenario fixtures in {BAD_DIR}"
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    code, out, err = run(capsys, "run", path)
    assert code == 2 and out == "" and err == str(e.value) + "\n"
    assert "Traceback" not in err


BAD_ARGS = [
    (["run", "no/such/file.toml"], "scenario", "no/such/file.toml"),
    (["run", "not_a_preset"], "scenario", "not_a_preset"),
    (["run"], "scenario", None),
    (["run", "classroom", "--replications", "0"], "--replications", "0"),
    (["run", "classroom", "--seed", "abc"], "--seed", "abc"),
    (["run", "classroom", "--seed", "-1"], "--seed", "-1"),
    (["run", "classroom", "--workers", "0"], "--workers", "0"),
    (["run", "classroom", "--bogus"], "--bogus", None),
    (["run", "classroom", "--out"], "--out", None),
    (["run", "classroom", "--out", "no/such/folder/x.csv"], "--out", "no/such/folder/x.csv"),
]


@pytest.mark.parametrize("argv, flag, value", BAD_ARGS, ids=[" ".join(a[0][1:]) or "none" for a in BAD_ARGS])
def test_bad_arguments_are_one_line_naming_the_flag(capsys, argv, flag, value):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(flag), err
    if value is not None:
        assert value in err
    assert "Traceback" not in err and "usage:" not in err


def test_out_that_is_a_folder_named_csv_or_a_file_named_otherwise_is_refused_before_simulating(capsys, tmp_path):
    (tmp_path / "a.csv").mkdir()
    (tmp_path / "notes").write_text("mine\n")
    for target in (tmp_path / "a.csv", tmp_path / "notes"):
        code, out, err = run(capsys, "run", "classroom", "--out", target)
        assert code == 2 and out == "" and err.startswith(f"--out: {target} is not allowed") and err.count("\n") == 1
    assert (tmp_path / "notes").read_text() == "mine\n" and not any((tmp_path / "a.csv").iterdir())


def test_help_names_the_presets(capsys):
    code, out, _ = run(capsys, "run", "--help")
    assert code == 0 and "ccsim run classroom" in out
    for name in list_presets():
        assert name in out


def test_python_dash_m_ccsim_run():
    proc = subprocess.run(
        [sys.executable, "-m", "ccsim", "run", "classroom", "--seed", "1"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert "All sites" in proc.stdout and "Service level (30 s)" in proc.stdout


def test_readme_example_is_what_ccsim_run_classroom_prints(capsys):
    lines = (REPO / "README.md").read_text().splitlines()
    start = lines.index("$ ccsim run classroom") + 1
    shown = []
    for line in lines[start:]:
        if line.startswith(("$", "```")) or line.strip() == "...":
            break
        shown.append(line)
    assert len([ln for ln in shown if ln.strip()]) >= 4
    code, out, _ = run(capsys, "run", "classroom")
    assert code == 0 and out.splitlines()[: len(shown)] == shown


def test_a_closed_pipe_gives_no_traceback():
    # like `ccsim run ... | head -1`: the reader is gone before the scorecard is printed
    proc = subprocess.Popen(
        [sys.executable, "-m", "ccsim", "run", "classroom"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 1
