"""`ccsim run --days N` and member journeys on the command line: journey KPIs at the JSON's top level, the
FCR row of the scorecard, the "Member journeys" block, and --out DIR writing contacts, legs and issues
all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run, run_json

from ccsim.cli.args import RULES
from ccsim.metrics.journeys import JOURNEY_KEYS, journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.metrics.registry import KPIS
from ccsim.scenario import load_preset, load_scenario
from ccsim.scenario.tables import MAX_DAYS
from ccsim.simulation.engine import simulate

REPO = Path(__file__).resolve().parents[1]
JOURNEYS = """
[journeys]
lookback_days = 3
redial_share = 0.5
return_share = 0.8
recontact_share = 0.05
"""


@pytest.fixture(scope="module")
def journeys_file(tmp_path_factory) -> Path:
    """The classroom preset with members who call again (a 3-day look-back), as a scenario file."""
    path = tmp_path_factory.mktemp("scenarios") / "classroom_members.toml"
    text = (REPO / "data" / "scenarios" / "classroom.toml").read_text()
    path.write_text(text.replace('name = "classroom"', 'name = "classroom_members"', 1) + JOURNEYS)
    return path


def test_days_rule_is_the_scenarios():
    assert RULES["--days"]["high"] == MAX_DAYS and RULES["--days"]["low"] == 1


@pytest.mark.parametrize("value", ["0", "93", "2.5", "abc", "-1"])
def test_bad_days_is_one_sentence(capsys, value):
    code, out, err = run(capsys, "run", "classroom", "--days", value)
    assert code == 2 and out == ""
    assert err == f"--days: {value} is not allowed; use a whole number from 1 to 92\n"


def test_days_the_scenario_cannot_take_is_its_sentence(capsys, tmp_path):
    text = (REPO / "data" / "scenarios" / "classroom.toml").read_text()
    path = tmp_path / "odd.toml"  # 35-minute intervals fit a 7-hour day, not 24 hours
    path.write_text(text.replace("interval_min = 30", "interval_min = 35").replace("hours = 8", "hours = 7"))
    assert run(capsys, "run", path)[0] == 0
    code, out, err = run(capsys, "run", path, "--days", "3")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("--days 3: horizon.interval_min: 35 is not allowed; use ") and "24 hours" in err


def test_days_sets_the_horizon_and_one_day_changes_nothing(capsys):
    plain = run_json(capsys, "run", "classroom", "--seed", "4")
    assert run_json(capsys, "run", "classroom", "--seed", "4", "--days", "1") == plain
    assert plain["days"] == 1 and all(plain[k] is None for k in JOURNEY_KEYS)
    three = run_json(capsys, "run", "classroom", "--seed", "4", "--days", "3")
    model = load_preset("classroom").updated({"horizon": {"days": 3}}).to_model()
    s = summary(simulate(model, seed=4), answer_within_s=30)
    assert three["days"] == 3 and three["calls"] == s["calls"] and three["service_level"] == s["service_level"]
    assert three["calls"] > 2.5 * plain["calls"]
    assert three["hours_simulated"] == pytest.approx(model.horizon_s / 3600)


def test_replications_without_journeys_have_null_journey_keys_in_ci95_too(capsys):
    d = run_json(capsys, "run", "classroom", "--replications", "2")
    assert all(d[k] is None and d["ci95"][k] is None for k in JOURNEY_KEYS)
    assert [k for k in d if k in KPIS] == list(d["ci95"])


def test_journey_keys_are_top_level_and_the_python_apis(capsys, journeys_file):
    d = run_json(capsys, "run", journeys_file, "--days", "5", "--seed", "3")
    result = simulate(load_scenario(journeys_file).updated({"horizon": {"days": 5}}).to_model(), seed=3)
    expected = journey_kpis(result)
    assert "kpis" not in d and d["days"] == 5
    for key in JOURNEY_KEYS:
        assert d[key] == pytest.approx(expected[key], rel=1e-12), key
    assert d["fcr_window_days"] == 3.0 and 0 < d["fcr"] < 1 and 0 < d["repeat_contact_rate"] < 1
    assert d["contacts_per_issue"] > 1 and d["open_issues"] >= 0
    fcr = [r for r in d["scorecard"] if r["metric"] == "fcr"]
    assert len(fcr) == 1 and fcr[0]["target"] == 0.85 and fcr[0]["direction"] == "at least"
    assert fcr[0]["result"] == pytest.approx(expected["fcr"]) and fcr[0]["status"] == (
        "met" if d["fcr"] >= 0.85 else "missed"
    )
    kpi_keys = [k for k in d if k in KPIS]
    assert kpi_keys == [k for k in KPIS if k in kpi_keys]


def test_replications_with_journeys_give_mean_and_ci95(capsys, journeys_file):
    d = run_json(capsys, "run", journeys_file, "--days", "4", "--replications", "3", "--workers", "1")
    for key in ("fcr", "repeat_contact_rate", "contacts_per_issue", "days_to_resolution_mean"):
        assert d[key] is not None and d["ci95"][key] is not None and d["ci95"][key] >= 0, key
    seeds = np.random.SeedSequence(1).spawn(3)
    model = load_scenario(journeys_file).updated({"horizon": {"days": 4}}).to_model()
    fcrs = [journey_kpis(simulate(model, ss))["fcr"] for ss in seeds]
    assert d["fcr"] == pytest.approx(np.mean(fcrs), rel=1e-12)
    assert [k for k in d if k in KPIS] == list(d["ci95"])


def test_table_has_a_member_journeys_block_only_with_journeys(capsys, journeys_file):
    code, out, err = run(capsys, "run", journeys_file, "--days", "4")
    assert code == 0, err
    assert "Scenario classroom_members: 1 run of 4 days, seed 1;" in out.splitlines()[0]
    block = out[out.index("Member journeys") :]
    assert "(FCR: no further contact within 3 days)" in block.splitlines()[0]
    for label in (
        "First-contact resolution",
        "Repeat contacts",
        "Contacts per issue",
        "Days to resolution (90th percentile)",
    ):
        assert label in block, label
    assert "First-contact resolution" in out[: out.index("Member journeys")]  # the scorecard's FCR row
    code, out, _ = run(capsys, "run", "classroom")
    assert code == 0 and "Member journeys" not in out and "First-contact" not in out


def test_out_folder_gets_contacts_legs_and_issues(capsys, tmp_path, journeys_file):
    folder = tmp_path / "results"
    d = run_json(capsys, "run", journeys_file, "--days", "3", "--seed", "2", "--out", folder)
    result = simulate(load_scenario(journeys_file).updated({"horizon": {"days": 3}}).to_model(), seed=2)
    assert sorted(p.name for p in folder.iterdir()) == ["contacts.csv", "issues.csv", "legs.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]  # no temporary folder left
    contacts, legs, issues = (pd.read_csv(folder / f"{n}.csv") for n in ("contacts", "legs", "issues"))
    assert list(contacts.columns) == list(result.contacts.columns) and len(contacts) == len(result.contacts)
    assert len(legs) == len(result.legs) and len(issues) == len(result.issues)
    np.testing.assert_allclose(issues["opened_s"], result.issues["opened_s"])
    assert d["log"] == {
        "path": str(folder),
        "contacts": len(result.contacts),
        "replication": 1,
        "files": ["contacts.csv", "legs.csv", "issues.csv"],
        "legs": len(result.legs),
        "issues": len(result.issues),
    }
    code, _, err = run(capsys, "run", journeys_file, "--days", "3", "--seed", "2", "--out", folder)
    assert code == 0 and f"issues to {folder}" in err and "(contacts.csv, legs.csv, issues.csv)" in err


def test_out_folder_without_journeys_has_no_issues_file(capsys, tmp_path):
    folder = tmp_path / "classroom_logs"
    d = run_json(capsys, "run", "classroom", "--out", folder)
    assert sorted(p.name for p in folder.iterdir()) == ["contacts.csv", "legs.csv"]
    assert d["log"]["issues"] is None and d["log"]["files"] == ["contacts.csv", "legs.csv"]


def _fail_on_second_table(monkeypatch):
    calls = []

    def half_then_fail(self, f, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            f.write("leg_id,contact_id\n0,0\n")
            raise OSError(28, "No space left on device")
        return original(self, f, **kwargs)

    original = pd.DataFrame.to_csv
    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)


def test_interrupted_out_folder_leaves_nothing(capsys, tmp_path, monkeypatch):
    _fail_on_second_table(monkeypatch)
    code, stdout, err = run(capsys, "run", "classroom", "--out", tmp_path / "new")
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert err.startswith(f"--out: cannot write {tmp_path / 'new'} (No space left on device)")
    assert list(tmp_path.iterdir()) == []  # no folder, no temporary folder


def test_interrupted_out_into_an_existing_folder_keeps_the_old_files(capsys, tmp_path, monkeypatch):
    (tmp_path / "contacts.csv").write_text("old contacts\n")
    (tmp_path / "mine.txt").write_text("not ccsim's\n")
    _fail_on_second_table(monkeypatch)
    code, _, err = run(capsys, "run", "classroom", "--out", tmp_path)
    assert code == 2 and "No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv", "mine.txt"]
    assert (tmp_path / "contacts.csv").read_text() == "old contacts\n"
    monkeypatch.undo()
    code, _, _ = run(capsys, "run", "classroom", "--out", tmp_path)
    assert code == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv", "legs.csv", "mine.txt"]
    assert (tmp_path / "mine.txt").read_text() == "not ccsim's\n"
    assert len(pd.read_csv(tmp_path / "contacts.csv")) == len(
        simulate(load_preset("classroom").to_model(), seed=1).contacts
    )


def test_out_folder_inside_a_missing_folder_is_refused_before_simulating(capsys, tmp_path):
    code, out, err = run(capsys, "run", "classroom", "--out", tmp_path / "no" / "such")
    assert code == 2 and out == ""
    assert (
        err
        == f"--out: {tmp_path / 'no' / 'such'} is not allowed; use a folder in a folder that exists ({tmp_path / 'no'} does not)\n"
    )


def test_json_is_one_object(capsys, journeys_file):
    code, out, _ = run(capsys, "run", journeys_file, "--days", "2", "--json")
    assert code == 0 and isinstance(json.loads(out), dict)


@pytest.mark.parametrize(("days", "said"), [(2, True), (3, False)])
def test_a_run_too_short_for_the_look_back_says_how_many_days_fcr_needs(capsys, journeys_file, days, said):
    """A 3-day look-back needs members followed about 3 days: 2 days leave FCR with no data, and the table says why."""
    code, out, _ = run(capsys, "run", journeys_file, "--days", days)
    assert code == 0
    assert ("First-contact resolution needs members followed for 3 days: run at least 3 days (--days 3)" in out) is said
