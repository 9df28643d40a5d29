"""Tests for members' journeys in a scenario: [journeys], personas files, delays, consults, back offices, resolution."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ccsim.errors import ScenarioError
from ccsim.scenario import Delay, Journeys, Scenario, data_dir, load_preset
from ccsim.simulation import members as mm
from ccsim.simulation import model as m
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"
NETWORK_CALL_TYPES = ["general_english", "general_spanish", "cantonese", "mandarin", "tty", "claims", "medicare"]


def two_sites() -> dict:
    return tomllib.loads(TWO_SITES.read_text())


def scenario(d: dict, base_dir: Path = TWO_SITES.parent) -> Scenario:
    return Scenario.from_dict(d, base_dir=base_dir)


def error_of(d: dict, base_dir: Path = TWO_SITES.parent) -> str:
    with pytest.raises(ScenarioError) as e:
        scenario(d, base_dir)
    return str(e.value)


# ----------------------------------------------------------------------------------------------
# delays


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ({"kind": "exponential", "mean_s": 90}, Exponential(90.0)),
        ({"kind": "exponential", "mean_min": 20}, Exponential(1200.0)),
        ({"kind": "fixed", "mean_hours": 2}, Fixed(7200.0)),
        ({"kind": "lognormal", "mean_days": 26, "cv": 0.8}, Lognormal(26 * 86400.0, 0.8)),
        ({"kind": "lognormal", "mean_days": 3}, Lognormal(3 * 86400.0, 1.0)),
    ],
)
def test_a_delay_is_seconds_whatever_unit_it_is_given_in(given, want):
    assert Delay(**given).to_distribution() == want


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"kind": "exponential"}, "mean_s: missing; give exactly one of mean_s, mean_min, mean_hours or mean_days"),
        (
            {"kind": "exponential", "mean_s": 60, "mean_days": 1},
            "mean_days: 1 is not allowed together with mean_s; give exactly one of mean_s, mean_min, mean_hours or mean_days",
        ),
        (
            {"kind": "exponential", "mean_days": 366},
            "mean_days: 366 is not allowed; use a number above 0 and at most 365",
        ),
        ({"kind": "fixed", "mean_hours": 0}, "mean_hours: 0 is not allowed; use a number above 0 and at most 8760"),
        (
            {"kind": "exponential", "mean_min": 5, "cv": 2},
            "cv: 2.0 is not allowed; use 1 or leave it out for an exponential (or kind = 'lognormal')",
        ),
        (
            {"kind": "gamma", "mean_s": 5},
            "kind: 'gamma' is not allowed; use one of 'exponential', 'lognormal', 'fixed'",
        ),
    ],
)
def test_bad_delays(given, message):
    with pytest.raises(ScenarioError) as e:
        Delay(**given)
    assert str(e.value) == message


# ----------------------------------------------------------------------------------------------
# transfers: warm, consult, back office; resolution


def with_english(transfers: list, **more) -> dict:
    """two_sites with English's transfers; tty answered by its own group (so English may consult it)."""
    d = two_sites()
    d["agent_groups"][1]["skills"] = ["english"]
    d["agent_groups"].append({"name": "tty_team", "site": "East", "skills": ["tty"], "headcount": 2})
    d["call_types"][0]["transfers"] = transfers
    d["call_types"][0].update(more)
    return d


def test_consults_back_offices_and_resolution_compile_to_the_engine():
    d = with_english(
        [
            {"to_call_type": "spanish", "probability": 0.05},
            {"consult_with": "tty", "probability": 0.1, "resolves_share": 0.93, "max_hold_s": 120},
            {"consult_with": "tty", "probability": 0.02},
            {"back_office": {"kind": "lognormal", "mean_days": 26, "cv": 0.8}, "probability": 0.1},
            {"back_office_days": 3, "probability": 0.03},
        ],
        resolution_share=0.6,
    )
    model = scenario(d).to_model()
    english = model.call_type("english")
    assert english.transfers == (
        m.Transfer(0.05, "spanish"),
        m.Transfer(0.1, "tty", consult=True, resolves_share=0.93, max_hold_s=120.0),
        m.Transfer(0.02, "tty", consult=True, resolves_share=1.0, max_hold_s=300.0),
        m.Transfer(0.1, None, back_office=Lognormal(26 * 86400.0, 0.8)),
        m.Transfer(0.03, None, back_office_s=3 * 86400.0),
    )
    assert english.resolution_share == 0.6 and english.resolves == 0.6
    assert [t.requeues for t in english.transfers] == [True, False, False, False, False]
    assert model.call_type("spanish").resolution_share is None


def test_resolution_share_may_take_everything_the_transfers_leave():
    d = with_english([{"back_office_days": 2, "probability": 0.25}], resolution_share=0.75)
    assert scenario(d).to_model().call_type("english").resolves == 0.75
    d = with_english([{"back_office_days": 2, "probability": 0.25}], resolution_share=0.76)
    assert error_of(d) == (
        "call_types[0].resolution_share: 0.76 is not allowed; use a number from 0 to 0.75 (1 minus the transfers' probabilities)"
    )


@pytest.mark.parametrize(
    ("transfer", "message"),
    [
        (
            {"probability": 0.1},
            "call_types[0].transfers[0].to_call_type: missing; give to_call_type (a warm transfer), "
            "consult_with (a consult) or back_office_days or back_office (a back-office hand-off)",
        ),
        (
            {"consult_with": "tty", "back_office_days": 3, "probability": 0.1},
            "call_types[0].transfers[0].back_office_days: 3.0 is not allowed together with consult_with; "
            "use one of to_call_type, consult_with, back_office_days or back_office",
        ),
        (
            {"back_office_days": 3, "back_office": {"kind": "fixed", "mean_days": 3}, "probability": 0.1},
            "call_types[0].transfers[0].back_office: Shown",
        ),
        (
            {"to_call_type": "tty", "max_hold_s": 60, "probability": 0.1},
            "call_types[0].transfers[0].max_hold_s: 60.0 is not allowed; use it only on a consult (with consult_with), or leave it out",
        ),
        (
            {"consult_with": "tty", "max_hold_s": 4000, "probability": 0.1},
            "call_types[0].transfers[0].max_hold_s: 4000 is not allowed; use a number from 0 to 3600",
        ),
        (
            {"consult_with": "tty", "resolves_share": 1.2, "probability": 0.1},
            "call_types[0].transfers[0].resolves_share: 1.2 is not allowed; use a number from 0 to 1",
        ),
        (
            {"consult_with": "english", "probability": 0.1},
            "call_types[0].transfers[0].consult_with: 'english' is not allowed; use another call type (spanish, tty)",
        ),
        (
            {"consult_with": "spanish", "probability": 0.1},
            "call_types[0].transfers[0].consult_with: 'spanish' is not allowed; use a call type that no agent group "
            "answering 'english' also answers ('east_bilingual' answers both)",
        ),
    ],
)
def test_bad_transfers(transfer, message):
    got = error_of(with_english([transfer]))
    if message.endswith("Shown"):  # two back offices: the second is named, shown shortened
        assert got.startswith("call_types[0].transfers[0].back_office: ")
        assert got.endswith(
            "is not allowed together with back_office_days; use one of to_call_type, consult_with, back_office_days or back_office"
        )
    else:
        assert got == message


def test_a_consulted_call_type_consults_no_one_itself():
    d = with_english([{"consult_with": "tty", "probability": 0.1}])
    d["call_types"][2]["transfers"] = [{"consult_with": "spanish", "probability": 0.1}]
    assert error_of(d) == (
        "call_types[0].transfers[0].consult_with: 'tty' is not allowed; use a call type that consults no one itself"
    )


def test_consults_do_not_count_as_transfer_loops():
    d = with_english([{"consult_with": "tty", "probability": 1.0}])
    d["call_types"][2]["transfers"] = [{"to_call_type": "english", "probability": 1.0}]
    model = scenario(d).to_model()  # english always consults tty, tty always transfers to english: it ends
    assert model.call_type("english").transfers[0].consult


# ----------------------------------------------------------------------------------------------
# [journeys]


def test_journeys_off_by_default_and_the_fcr_target():
    s = scenario(two_sites())
    assert s.journeys is None and s.people is None and s.to_model().journeys is None
    assert s.targets.fcr_share == 0.85


def test_journeys_with_defaults_compile_to_the_engines_defaults():
    d = two_sites()
    d["journeys"] = {}
    j = scenario(d).to_model().journeys
    assert j == mm.Journeys()
    assert [p.name for p in j.personas] == ["member"] and [r.name for r in j.reasons] == ["general"]


def test_journeys_inline_compile_field_by_field():
    d = two_sites()
    d["journeys"] = {
        "lookback_days": 28,
        "redial_share": 0.5,
        "redial_delay": {"kind": "exponential", "mean_min": 20},
        "return_share": 0.8,
        "return_delay": {"kind": "lognormal", "mean_days": 2, "cv": 1.5},
        "recontact_share": 0.03,
        "recontact_delay": {"kind": "fixed", "mean_hours": 48},
        "chase_share_per_day": 0.05,
        "personas": [
            {"name": "adult", "share": 0.7, "call_types": ["english", "tty"]},
            {
                "name": "senior",
                "share": 0.3,
                "handle_time_factor": 1.3,
                "patience_factor": 1.5,
                "menu_containment_factor": 0.6,
                "resolution_factor": 0.9,
                "return_factor": 1.2,
            },
        ],
        "reasons": [{"name": "billing", "share": 0.6}, {"name": "claims", "share": 0.4, "resolution_factor": 0.8}],
    }
    j = scenario(d).to_model().journeys
    assert j == mm.Journeys(
        personas=(
            mm.Persona("adult", 0.7, ("english", "tty")),
            mm.Persona("senior", 0.3, (), 1.3, 1.5, 0.6, 0.9, 1.2),
        ),
        reasons=(mm.Reason("billing", 0.6), mm.Reason("claims", 0.4, (), 0.8)),
        redial_share=0.5,
        redial_delay=Exponential(1200.0),
        return_share=0.8,
        return_delay=Lognormal(2 * 86400.0, 1.5),
        recontact_share=0.03,
        recontact_delay=Fixed(48 * 3600.0),
        chase_share_per_day=0.05,
        lookback_days=28.0,
    )
    assert [p.name for p in j.personas_for("spanish")] == ["senior"]


def test_personas_file_from_the_data_folder_and_inline_lists_replace_its_own():
    s = load_preset("member_services_month")
    personas, reasons = s.people
    file = tomllib.loads((data_dir() / "personas" / "health_plan_members.toml").read_text())
    assert [p.name for p in personas] == [p["name"] for p in file["personas"]]
    assert [r.name for r in reasons] == [r["name"] for r in file["reasons"]]
    model = s.to_model()
    assert model.journeys is not None and len(model.journeys.personas) == len(file["personas"])
    mine = s.updated({"journeys": {"reasons": [{"name": "anything", "share": 1.0}]}})
    assert [r.name for r in mine.people[1]] == ["anything"]
    assert [p.name for p in mine.people[0]] == [p["name"] for p in file["personas"]]
    assert mine != s


def test_the_health_plan_personas_cover_every_network_call_type():
    file = tomllib.loads((data_dir() / "personas" / "health_plan_members.toml").read_text())
    for kind in ("personas", "reasons"):
        assert sum(x["share"] for x in file[kind]) == pytest.approx(1)
        used = {c for x in file[kind] for c in x.get("call_types", [])}
        assert used == set(NETWORK_CALL_TYPES), kind
    # handle-time factors average about 1 on each general queue, weighted by share (the file's note)
    for ct in ("general_english", "general_spanish", "claims"):
        ps = [p for p in file["personas"] if ct in p["call_types"]]
        mean = sum(p["share"] * p.get("handle_time_factor", 1) for p in ps) / sum(p["share"] for p in ps)
        assert mean == pytest.approx(1, abs=0.02), ct


def test_personas_file_beside_the_scenario(tmp_path):
    (tmp_path / "ours.toml").write_text(
        'personas = [{ name = "a", share = 1 }]\nreasons = [{ name = "r", share = 0.5 }, { name = "s", share = 0.5 }]\n'
    )
    d = two_sites()
    d["extends"] = str(TWO_SITES)
    d = {"extends": str(TWO_SITES), "journeys": {"personas_file": "ours"}}
    s = scenario(d, tmp_path)
    assert [r.name for r in s.people[1]] == ["r", "s"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'personas = [{ name = "a", share = 1.4 }]\nreasons = [{ name = "r", share = 1 }]\n',
            "ours.toml personas[0].share: 1.4 is not allowed; use a number from 0 to 1",
        ),
        (
            'personas = [{ name = "a", share = 1, colour = "red" }]\nreasons = [{ name = "r", share = 1 }]\n',
            "ours.toml personas[0].colour: unknown field; allowed fields are name, share, call_types, "
            "handle_time_factor, patience_factor, menu_containment_factor, resolution_factor, return_factor",
        ),
        (
            'personas = [{ name = "a", share = 1 }]\n',
            "ours.toml reasons: missing; it is required (a list of tables with name, share, call_types, resolution_factor)",
        ),
        (
            'personas = [{ name = "a", share = 1, call_types = ["claims"] }]\nreasons = [{ name = "r", share = 1 }]\n',
            "ours personas[0].call_types[0]: 'claims' is not allowed; use one of the call types (english, spanish, tty)",
        ),
        (
            'personas = [{ name = "a", share = 0.5 }, { name = "a", share = 0.5 }]\nreasons = [{ name = "r", share = 1 }]\n',
            "ours.toml personas[1].name: 'a' is not allowed; use a name not used by another entry",
        ),
    ],
)
def test_bad_personas_files_name_the_file(tmp_path, text, message):
    (tmp_path / "ours.toml").write_text(text)
    d = {"extends": str(TWO_SITES), "journeys": {"personas_file": "ours"}}
    assert error_of(d, tmp_path) == message


def test_a_personas_file_that_is_not_toml(tmp_path):
    (tmp_path / "ours.toml").write_text("personas = [\n")
    d = {"extends": str(TWO_SITES), "journeys": {"personas_file": "ours.toml"}}
    assert error_of(d, tmp_path).startswith(f"{tmp_path / 'ours.toml'}: not valid TOML (")


@pytest.mark.parametrize(
    ("journeys", "message"),
    [
        ({"lookback_days": 0}, "journeys.lookback_days: 0 is not allowed; use a number above 0 and at most 366"),
        ({"chase_share_per_day": -0.1}, "journeys.chase_share_per_day: -0.1 is not allowed; use a number from 0 to 1"),
        (
            {"return_delay": {"kind": "exponential", "mean_weeks": 1}},
            "journeys.return_delay.mean_weeks: unknown field; allowed fields are kind, mean_s, mean_min, mean_hours, mean_days, cv",
        ),
        (
            {"personas": [{"name": "a", "share": 1, "handle_time_factor": 0}]},
            "journeys.personas[0].handle_time_factor: 0 is not allowed; use a number above 0 and at most 10",
        ),
        (
            {"personas": [{"name": "a", "share": 1, "return_factor": 11}]},
            "journeys.personas[0].return_factor: 11 is not allowed; use a number from 0 to 10",
        ),
        (
            {"reasons": [{"name": "a", "share": 0.5}]},
            "journeys.reasons: shares add up to 0.5, which is not allowed; use shares that add up to 1",
        ),
        (
            {"personas": [{"name": "a", "share": 1, "call_types": ["english"]}]},
            "journeys.personas: no persona with a share above 0 uses call type 'spanish'; add 'spanish' to the "
            "call_types of one (or leave its call_types empty for every call type)",
        ),
        (
            {"personas": [{"name": "a", "share": 0.0}, {"name": "b", "share": 1.0, "call_types": ["english"]}]},
            "journeys.personas: no persona with a share above 0 uses call type 'spanish'; add 'spanish' to the "
            "call_types of one (or leave its call_types empty for every call type)",
        ),
        (
            {"reasons": [{"name": "a", "share": 1, "call_types": ["english", "klingon"]}]},
            "journeys.reasons[0].call_types[1]: 'klingon' is not allowed; use one of the call types (english, spanish, tty)",
        ),
        ({"personas_file": ""}, "journeys.personas_file: '' is not allowed; use text of at least 1 character"),
    ],
)
def test_bad_journeys(journeys, message):
    d = two_sites()
    d["journeys"] = journeys
    assert error_of(d) == message


def test_journeys_table_alone_checks_its_lists():
    assert Journeys(personas=[{"name": "a", "share": 1}]).personas[0].name == "a"
    with pytest.raises(ScenarioError, match=r"^personas\[1\]\.name: 'a' is not allowed"):
        Journeys(personas=[{"name": "a", "share": 0.5}, {"name": "a", "share": 0.5}])


def test_every_validated_journeys_scenario_compiles_to_a_model_the_engine_accepts():
    for name in ("member_services_month", "one_and_done_before", "one_and_done_after"):
        s = load_preset(name)
        model = s.to_model()
        assert model.journeys is not None
        model.journeys.check_call_types([c.name for c in model.call_types])
        assert s.to_model(days=2).journeys == model.journeys
