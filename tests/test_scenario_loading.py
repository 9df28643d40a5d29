"""Tests for ccsim.scenario.loading: the data folder, presets, TOML files, ``extends`` and intraday profiles."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

import ccsim
from ccsim.errors import ScenarioError
from ccsim.scenario import Scenario, data_dir, list_presets, load_preset, load_profile, load_scenario
from ccsim.scenario.loading import MAX_EXTENDS_DEPTH

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"
RAMP = "\n".join(f"{8 + i // 2:02d}:{30 * (i % 2):02d},{i + 1}" for i in range(16))
"""16 half-hour rows from 08:00 (the two-site horizon) with weights 1 to 16."""


def refused(call, message: str) -> ScenarioError:
    """``call()`` raises one ScenarioError whose sentence is exactly ``message``."""
    with pytest.raises(ScenarioError) as e:
        call()
    assert str(e.value) == message
    assert "\n" not in str(e.value)
    return e.value


def interval_totals(s: Scenario) -> list[float]:
    model = s.to_model()
    return [sum(a.calls_per_interval[i] for a in model.arrivals) for i in range(model.intervals)]


# ----------------------------------------------------------------------------------------------
# the data folder: package data in a wheel, data/ beside ccsim/ in a checkout


def fake_package(root: Path, monkeypatch) -> Path:
    """Point ``ccsim.__file__`` into ``root/ccsim`` (as if the package were installed there)."""
    pkg = root / "ccsim"
    pkg.mkdir(parents=True)
    monkeypatch.setattr(ccsim, "__file__", str(pkg / "__init__.py"))
    return pkg


def test_data_dir_is_the_checkout_folder_beside_the_package():
    assert data_dir() == Path(ccsim.__file__).resolve().parent.parent / "data"
    assert (data_dir() / "scenarios" / "classroom.toml").is_file()


def test_data_dir_prefers_package_data_then_the_checkout_else_one_sentence(tmp_path, monkeypatch):
    root = tmp_path.resolve() / "site-packages"
    pkg = fake_package(root, monkeypatch)
    refused(
        data_dir,
        f"data_dir: the kit's data folder is missing (neither {pkg / 'data'} nor {root / 'data'} exists); "
        "reinstall ccsim (pip install .) or use a checkout of the kit",
    )
    (root / "data").mkdir()
    assert data_dir() == root / "data"
    (pkg / "data").mkdir()
    assert data_dir() == pkg / "data"


def test_presets_and_profiles_come_from_package_data_when_installed(tmp_path, monkeypatch):
    pkg = fake_package(tmp_path.resolve(), monkeypatch)
    for sub, name in (("scenarios", "member_services_network.toml"), ("profiles", "weekday_double_peak_0600_1900.csv")):
        (pkg / "data" / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(__file__).parents[1] / "data" / sub / name, pkg / "data" / sub / name)
    assert list_presets() == ["member_services_network"]
    s = load_preset("member_services_network")
    assert s.arrivals.profile == "weekday_double_peak_0600_1900.csv" and len(s.profile_shares) == s.intervals


# ----------------------------------------------------------------------------------------------
# presets and files


def test_unknown_preset_names_the_presets():
    refused(lambda: load_preset("nope"), f"preset: 'nope' is not allowed; use one of {', '.join(list_presets())}")


def test_missing_file_is_one_sentence(tmp_path):
    p = tmp_path / "nowhere.toml"
    refused(lambda: load_scenario(p), f"{p}: no such scenario file")
    refused(lambda: load_scenario(tmp_path), f"{tmp_path}: no such scenario file")  # a folder
    refused(lambda: load_scenario("a\x00b.toml"), "a\x00b.toml: no such scenario file")


def test_a_file_that_is_not_utf8_cannot_be_read(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes('name = "Centre médical"\n'.encode("latin-1"))
    refused(lambda: load_scenario(p), f"{p}: cannot be read (UnicodeDecodeError)")


def test_toml_text_syntax_error():
    refused(lambda: Scenario.from_toml("a = = 1"), "<text>: not valid TOML (line 1, column 5: Invalid value)")
    refused(
        lambda: Scenario.from_toml("a = = 1", source="mine.toml"),
        "mine.toml: not valid TOML (line 1, column 5: Invalid value)",
    )


def test_from_dict_and_updated_want_tables():
    refused(lambda: Scenario.from_dict([1, 2]), "scenario: [1, 2] is not allowed; use a table of scenario fields")
    s = load_scenario(TWO_SITES)
    refused(lambda: s.updated("more"), "changes: 'more' is not allowed; use a table of scenario fields to change")


# ----------------------------------------------------------------------------------------------
# extends


def test_extends_a_file_beside_the_scenario(tmp_path):
    (tmp_path / "base.toml").write_text(TWO_SITES.read_text())
    (tmp_path / "child.toml").write_text('extends = "base.toml"\nname = "child"\n[arrivals]\ncalls_per_day = 4000\n')
    child = load_scenario(tmp_path / "child.toml")
    assert child.name == "child" and child.arrivals.calls_per_day == 4000
    assert child.arrivals.site_volume_share == {"East": 0.6, "West": 0.4}  # tables merge key by key


def test_extends_a_preset_by_name_from_anywhere(tmp_path):
    (tmp_path / "busy.toml").write_text('extends = "classroom"\n[arrivals]\nsurge_multiplier = 2\n')
    busy = load_scenario(tmp_path / "busy.toml")
    assert busy.arrivals.surge_multiplier == 2 and busy.call_types == load_preset("classroom").call_types
    assert Scenario.from_dict({"extends": "classroom.toml"}) == load_preset("classroom")


def test_extends_that_names_nothing_is_refused(tmp_path):
    (tmp_path / "orphan.toml").write_text('extends = "missing.toml"\n')
    refused(
        lambda: load_scenario(tmp_path / "orphan.toml"),
        f"extends: 'missing.toml' is not allowed; use a scenario file beside this one or a preset ({', '.join(list_presets())})",
    )
    for bad in (5, "", "  "):
        refused(
            lambda bad=bad: Scenario.from_dict({"extends": bad}),
            f"extends: {bad!r} is not allowed; use the file name of another scenario, e.g. 'member_services_network.toml'",
        )


def test_extends_loops_through_two_files_are_refused(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    refused(
        lambda: load_scenario(tmp_path / "a.toml"),
        "extends: 'a.toml' is not allowed; use a scenario that does not extend itself (directly or in a loop)",
    )


def test_extends_chains_are_at_most_five_deep(tmp_path):
    """f0 extends f1 extends ... f{k}; f{k} is the two-site scenario. Five extends load, six do not."""
    assert MAX_EXTENDS_DEPTH == 5
    (tmp_path / "f6.toml").write_text(TWO_SITES.read_text())
    (tmp_path / "f5.toml").write_text(TWO_SITES.read_text())
    for k in range(5):
        (tmp_path / f"f{k}.toml").write_text(f'extends = "f{k + 1}.toml"\nname = "f{k}"\n')
    assert load_scenario(tmp_path / "f0.toml").name == "f0"  # f0 → f1 → ... → f5: five extends
    (tmp_path / "f5.toml").write_text('extends = "f6.toml"\n')
    refused(
        lambda: load_scenario(tmp_path / "f0.toml"),
        "extends: 'f6.toml' is not allowed; use at most 5 nested extends (this one would be number 6)",
    )


# ----------------------------------------------------------------------------------------------
# profiles


def test_profile_beside_a_scenario_file_elsewhere(tmp_path):
    (tmp_path / "ramp.csv").write_text("interval_start,share\n" + RAMP + "\n")
    text = TWO_SITES.read_text().replace("calls_per_day = 2000", 'calls_per_day = 2000\nprofile = "ramp.csv"')
    (tmp_path / "center.toml").write_text(text)
    s = load_scenario(tmp_path / "center.toml")
    assert interval_totals(s) == pytest.approx([2000 * w / 136 for w in range(1, 17)])  # 1 + ... + 16 = 136
    assert Scenario.from_dict(tomllib.loads(text), base_dir=tmp_path) == s
    refused(
        lambda: Scenario.from_dict(tomllib.loads(text)),  # no folder given: only data/profiles/ is searched
        "arrivals.profile: 'ramp.csv' is not allowed; use 'flat' or a CSV in data/profiles/ "
        f"({', '.join(sorted(p.name for p in (data_dir() / 'profiles').glob('*.csv')))}) or beside the scenario",
    )


def test_a_profile_beside_the_scenario_wins_over_data_profiles(tmp_path):
    name = "weekday_double_peak_0600_1900.csv"  # 26 rows in data/profiles/: too many for this horizon
    (tmp_path / name).write_text("interval_start,share\n" + RAMP + "\n")
    d = tomllib.loads(TWO_SITES.read_text())
    d["arrivals"]["profile"] = name
    assert interval_totals(Scenario.from_dict(d, base_dir=tmp_path))[-1] == pytest.approx(2000 * 16 / 136)


def test_flat_profile_spreads_calls_evenly():
    d = tomllib.loads(TWO_SITES.read_text())
    d["arrivals"]["profile"] = "flat"
    assert interval_totals(Scenario.from_dict(d)) == pytest.approx([2000 / 16] * 16)


def test_profile_rows_follow_the_horizon(tmp_path):
    d = tomllib.loads(TWO_SITES.read_text())
    (tmp_path / "late.csv").write_text("interval_start,share\n" + RAMP.replace("08:30", "08:45") + "\n")
    d["arrivals"]["profile"] = "late.csv"
    refused(
        lambda: Scenario.from_dict(d, base_dir=tmp_path),
        "arrivals.profile: 'late.csv' is not allowed; use a profile whose row 2 starts at 08:30 (it starts at 08:45); "
        "rows follow the horizon from 08:00 every 30 min",
    )


def test_a_bad_profile_row_is_named_under_arrivals_profile(tmp_path):
    d = tomllib.loads(TWO_SITES.read_text())
    (tmp_path / "neg.csv").write_text("interval_start,share\n08:00,-1\n")
    d["arrivals"]["profile"] = "neg.csv"
    refused(
        lambda: Scenario.from_dict(d, base_dir=tmp_path),
        "arrivals.profile: neg.csv line 2 share: '-1' is not allowed; use a number of at least 0",
    )


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("time,share\n08:00,1\n", "use a CSV with the columns interval_start,share", id="columns"),
        pytest.param("", "use a CSV with the columns interval_start,share", id="empty_file"),
        pytest.param(
            "interval_start,share\n",
            "use a profile with at least one row and shares adding up to more than 0",
            id="no_rows",
        ),
        pytest.param(
            "interval_start,share\n08:00,0\n08:30,0\n",
            "use a profile with at least one row and shares adding up to more than 0",
            id="all_zero",
        ),
    ],
)
def test_profile_file_rules(tmp_path, text, message):
    (tmp_path / "p.csv").write_text(text)
    refused(lambda: load_profile("p.csv", tmp_path), f"arrivals.profile: 'p.csv' is not allowed; {message}")


@pytest.mark.parametrize(
    "row, message",
    [
        pytest.param("08:00,-1", "line 2 share: '-1' is not allowed; use a number of at least 0", id="negative"),
        pytest.param("08:00,lots", "line 2 share: 'lots' is not allowed; use a number of at least 0", id="text"),
        pytest.param("08:00,nan", "line 2 share: 'nan' is not allowed; use a number of at least 0", id="nan"),
        pytest.param("08:00,inf", "line 2 share: 'inf' is not allowed; use a number of at least 0", id="inf"),
        pytest.param("08:00", "line 2 share: None is not allowed; use a number of at least 0", id="no_share"),
        pytest.param(
            "8h00,1",
            "line 2 interval_start: '8h00' is not allowed; use a time of day as 'HH:MM' from '00:00' to '24:00'",
            id="bad_time",
        ),
    ],
)
def test_profile_row_rules(tmp_path, row, message):
    (tmp_path / "p.csv").write_text(f"interval_start,share\n{row}\n")
    refused(lambda: load_profile("p.csv", tmp_path), f"p.csv {message}")


def test_a_profile_that_is_not_utf8_cannot_be_read(tmp_path):
    (tmp_path / "p.csv").write_bytes("# Médecine générale\ninterval_start,share\n08:00,1\n".encode("latin-1"))
    refused(
        lambda: load_profile("p.csv", tmp_path),
        "arrivals.profile: 'p.csv' is not allowed; use a readable CSV file (UnicodeDecodeError)",
    )


def test_profile_error_names_the_line_of_the_file_comments_included(tmp_path):
    (tmp_path / "p.csv").write_text("# a comment\n# another\ninterval_start,share\n08:00,0.5\n\n08:30,lots\n")
    refused(
        lambda: load_profile("p.csv", tmp_path), "p.csv line 6 share: 'lots' is not allowed; use a number of at least 0"
    )


def test_profiles_readme_names_every_profile():
    text = (data_dir() / "profiles" / "README.md").read_text()
    for p in (data_dir() / "profiles").glob("*.csv"):
        assert p.name in text
        rows = load_profile(p.name)
        assert sum(s for _, s in rows) == pytest.approx(1, abs=1e-6)
