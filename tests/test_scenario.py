"""Tests for ccsim.scenario: presets, compile steps, one-sentence errors, generated input, README examples."""

from __future__ import annotations

import copy
import math
import re
import tomllib
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsim.errors import CcsimInputError, ScenarioError
from ccsim.scenario import (
    CallType,
    Horizon,
    Scenario,
    data_dir,
    list_presets,
    load_preset,
    load_profile,
    load_scenario,
)
from ccsim.simulation import model as m
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal

HERE = Path(__file__).parent
TWO_SITES = HERE / "data" / "two_sites.toml"
BAD = HERE / "data" / "bad_scenarios"
SCENARIOS = data_dir() / "scenarios"


def total_calls(model: m.CenterModel) -> float:
    """Expected calls over the horizon, all streams."""
    return sum(sum(a.calls_per_interval) for a in model.arrivals)


def calls_of(model: m.CenterModel, call_type: str, interval: int) -> float:
    return sum(a.calls_per_interval[interval] for a in model.arrivals if a.call_type == call_type)


def on_duty(model: m.CenterModel, time_s: float, groups=None) -> int:
    return sum(g.agents_at(time_s) for g in model.agent_groups if groups is None or g.name in groups)


# ----------------------------------------------------------------------------------------------
# presets


def test_list_presets_names_the_four_presets():
    assert set(list_presets()) >= {
        "classroom",
        "member_services_network",
        "open_enrollment_surge",
        "public_hotline_24h",
    }


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_loads_validates_and_compiles(name):
    s = load_preset(name)
    model = s.to_model()
    assert isinstance(model, m.CenterModel)
    assert model.intervals == s.intervals
    assert model.horizon_s == pytest.approx(s.horizon.hours * 3600)
    assert all(len(a.calls_per_interval) == s.intervals for a in model.arrivals)
    skills = {sk for g in model.agent_groups for sk, _ in g.skills}
    assert all(ct.required_skill in skills for ct in model.call_types)
    for g in model.agent_groups:
        assert g.staffing[0][0] == 0.0
        times = [t for t, _ in g.staffing]
        assert times == sorted(times) and all(t < model.horizon_s for t in times)
    assert load_preset(f"{name}.toml") == s


def test_unknown_preset_is_one_sentence():
    with pytest.raises(ScenarioError, match=r"^preset: 'nope' is not allowed; use one of classroom, ") as e:
        load_preset("nope")
    assert "\n" not in str(e.value)


def test_classroom_is_the_facts_case():
    """facts.md: one 8-hour day, 50 agents, AHT 400 s, 0.95 load, mean patience 300 s."""
    model = load_preset("classroom").to_model()
    assert model.intervals == 16 and model.interval_s == 1800
    (ct,) = model.call_types
    assert ct.handle_time == Exponential(400) and ct.patience == Exponential(300)
    assert model.agent_groups[0].staffing == ((0.0, 50),)
    for i in range(model.intervals):
        load = calls_of(model, "calls", i) * 400 / model.interval_s
        assert load / 50 == pytest.approx(0.95)
    same = m.CenterModel.single_queue([213.75] * 16, 50, Exponential(400), Exponential(300))
    assert model.arrivals[0].calls_per_interval == same.arrivals[0].calls_per_interval


def test_network_preset_has_three_sites_and_about_30000_calls():
    s = load_preset("member_services_network")
    model = s.to_model()
    assert [(x.name, x.utc_offset_h) for x in model.sites] == [("Pacific", -8), ("Mountain", -7), ("Eastern", -5)]
    assert total_calls(model) == pytest.approx(30000, rel=1e-9)
    assert model.routing.mode == "site_first" and model.routing.overflow_after_s > 0
    # bilingual English/Spanish agents at every site; small Cantonese, Mandarin, TTY pools
    for site in ("Pacific", "Mountain", "Eastern"):
        assert any(g.site == site and {"english", "spanish"} <= {k for k, _ in g.skills} for g in model.agent_groups)
    for skill in ("cantonese", "mandarin", "tty", "claims", "medicare"):
        assert any(ct.required_skill == skill for ct in model.call_types)
    assert {ct.tier for ct in model.call_types} == {"generalist", "specialist"}
    back = [t for ct in model.call_types for t in ct.transfers if t.to_call_type is None]
    assert back and all(t.back_office_s == 3 * 86400 for t in back)
    t = s.targets
    assert (
        t.service_level_share,
        t.answer_within_s,
        t.abandonment_share_max,
        t.asa_s_max,
        t.aht_s_max,
        t.occupancy_share,
    ) == (0.80, 30, 0.03, 30, 400, 0.85)
    # mean AHT over the direct mix stays under the 400 s guarantee
    aht = sum(c.volume_share * c.handle_time.mean_s for c in s.call_types)
    assert aht < t.aht_s_max


def test_network_shrinkage_and_site_hours_compile_as_documented():
    s = load_preset("member_services_network")
    model = s.to_model()
    # Mountain closes 18:00 MT and Eastern 20:00 ET: both 17:00 Pacific, 11 h after the 06:00 start.
    sites = {x.name: x for x in model.sites}
    assert sites["Pacific"].closes_s is None
    assert sites["Mountain"].closes_s == sites["Eastern"].closes_s == 11 * 3600
    for spec, g in zip(s.agent_groups, model.agent_groups):
        for i, scheduled in enumerate(spec.headcount_per_interval):
            t = (i + 0.5) * model.interval_s
            site = sites[g.site]
            open_now = site.closes_s is None or t < site.closes_s
            expected = math.floor(scheduled * (1 - spec.shrinkage_share) + 0.5) if open_now else 0
            assert g.agents_at(t) == expected, (g.name, i)
    # after 17:00 Pacific every call arrives at the Pacific site
    last = model.intervals - 1
    assert sum(a.calls_per_interval[last] for a in model.arrivals if a.site != "Pacific") == 0
    assert sum(a.calls_per_interval[0] for a in model.arrivals if a.site == "Eastern") == pytest.approx(
        0.3 * sum(a.calls_per_interval[0] for a in model.arrivals)
    )


def test_network_staffing_meets_erlang_a_per_pool():
    """The sizing comment in the preset: every pool's on-duty agents meet 80/30, ASA 30 s, 3% abandonment (Erlang A)."""
    staffing = pytest.importorskip("ccsim.analytics.staffing")
    s = load_preset("member_services_network")
    model = s.to_model()
    for ct in model.call_types:
        inbound = [(o, t.probability) for o in model.call_types for t in o.transfers if t.to_call_type == ct.name]
        groups = [g.name for g in model.agent_groups if (ct.required_skill, 1) in g.skills]
        for i in range(0, model.intervals, 3):
            calls = calls_of(model, ct.name, i) + sum(p * calls_of(model, o.name, i) for o, p in inbound)
            need = staffing.required_agents(
                calls,
                model.interval_s,
                ct.handle_time.mean_s,
                answer_within_s=30,
                target_sl=0.8,
                max_asa_s=30,
                max_abandon=0.03,
                patience_s=ct.patience.mean_s,
            ).agents
            assert on_duty(model, (i + 0.5) * model.interval_s, groups) >= need, (ct.name, i)


def test_surge_preset_triples_the_network_with_the_same_staff():
    net, surge = load_preset("member_services_network"), load_preset("open_enrollment_surge")
    assert surge.arrivals.surge_multiplier == 3
    mn, ms = net.to_model(), surge.to_model()
    assert total_calls(ms) == pytest.approx(3 * total_calls(mn))
    assert ms.agent_groups == mn.agent_groups and ms.call_types == mn.call_types
    assert surge.name == "open_enrollment_surge" and net.name == "member_services_network"


def test_public_hotline_preset():
    s = load_preset("public_hotline_24h")
    model = s.to_model()
    assert model.intervals == 48 and model.horizon_s == 86400
    assert model.callback is not None and 0 < model.callback.acceptance_share < 1
    assert all(ct.menu_containment > 0 and ct.menu_time_s > 0 for ct in model.call_types)
    elderly = model.call_type("care_access_elderly")
    assert elderly.handle_time.mean_s > max(ct.handle_time.mean_s for ct in model.call_types if ct is not elderly)
    assert total_calls(model) == pytest.approx(2000)
    # shifts → staffing steps: recompute on-duty agents from the shift table (local time = horizon time here)
    for spec, g in zip(s.agent_groups, model.agent_groups):
        for minute in range(5, 1440, 30):
            scheduled = 0
            for sh in spec.shifts:
                h, mi = map(int, sh.start.split(":"))
                start = h * 60 + mi
                if not start <= minute < start + sh.hours * 60:
                    continue
                on_break = any(
                    int(b.start[:2]) * 60 + int(b.start[3:])
                    <= minute
                    < int(b.start[:2]) * 60 + int(b.start[3:]) + b.length_min
                    for b in sh.breaks
                )
                scheduled += 0 if on_break else sh.headcount
            assert g.agents_at(minute * 60) == math.floor(scheduled * 0.7 + 0.5), (g.name, minute)


# ----------------------------------------------------------------------------------------------
# compile steps on a small two-site scenario


def test_two_sites_compile_steps():
    s = load_scenario(TWO_SITES)
    model = s.to_model()
    east, west = model.sites
    # West opens 06:00 at UTC-8 = 09:00 East, one hour into the 08:00 East horizon; closes 13:00 = 16:00 East.
    assert (east.opens_s, east.closes_s) == (0.0, None)
    assert (west.opens_s, west.closes_s) == (3600.0, None)
    # interval 0 (08:00-08:30 East): West closed, all calls at East; interval 2: the 60/40 split
    per_interval = 2000 / 16
    for i, east_share in ((0, 1.0), (1, 1.0), (2, 0.6), (15, 0.6)):
        assert calls_of(model, "english", i) == pytest.approx(per_interval * 0.7)
        got = sum(a.calls_per_interval[i] for a in model.arrivals if a.site == "East")
        assert got == pytest.approx(per_interval * east_share)
    groups = {g.name: g for g in model.agent_groups}
    assert groups["east_bilingual"].staffing == ((0.0, 15),)  # 20 × (1 − 0.25)
    assert groups["east_bilingual"].skills == (("spanish", 1), ("english", 2))
    # shifts (West local): 06:00-10:00 ×10 with a 15-min break at 08:00, and 07:00-13:00 ×6
    assert groups["west_english"].staffing == (
        (0.0, 0),
        (3600.0, 10),
        (7200.0, 16),
        (10800.0, 6),
        (11700.0, 16),
        (18000.0, 6),
    )
    english = model.call_type("english")
    assert english.handle_time == Lognormal(400, 1.0)
    assert english.transfers == (m.Transfer(0.05, "spanish"), m.Transfer(0.1, None, 2 * 86400.0))
    assert model.call_type("spanish").handle_time == Fixed(420) and model.call_type("spanish").patience is None
    tty = model.call_type("tty")
    assert (tty.menu_containment, tty.menu_time_s) == (0.2, 45)
    assert model.routing == m.Routing("site_first", 30.0)
    assert model.callback == m.Callback(120.0, 0.5)


def test_site_split_defaults_to_even_and_closed_hours_zero_the_staff(tmp_path):
    d = tomllib.loads(TWO_SITES.read_text())
    del d["arrivals"]["site_volume_share"]
    d["agent_groups"][1] = {"name": "west_all_day", "site": "West", "skills": ["english", "tty"], "headcount": 8}
    model = Scenario.from_dict(d).to_model()
    assert sum(a.calls_per_interval[5] for a in model.arrivals if a.site == "West") == pytest.approx(2000 / 16 / 2)
    assert model.agent_groups[1].staffing == ((0.0, 0), (3600.0, 8))


def test_calls_per_interval_and_surge():
    d = tomllib.loads(TWO_SITES.read_text())
    d["arrivals"] = {"calls_per_interval": [float(i) for i in range(16)], "surge_multiplier": 2.5}
    model = Scenario.from_dict(d).to_model()
    assert [sum(a.calls_per_interval[i] for a in model.arrivals) for i in range(16)] == pytest.approx(
        [2.5 * i for i in range(16)]
    )


def test_headcount_per_interval_becomes_steps():
    d = tomllib.loads(TWO_SITES.read_text())
    d["agent_groups"][0] = {
        "name": "east",
        "site": "East",
        "skills": ["english", "spanish"],
        "headcount_per_interval": [10] * 4 + [12] * 12,
        "shrinkage_share": 0.5,
    }
    model = Scenario.from_dict(d).to_model()
    assert model.agent_groups[0].staffing == ((0.0, 5), (7200.0, 6))


# ----------------------------------------------------------------------------------------------
# errors: the bad scenario files


BAD_FILES = sorted(BAD.glob("*.toml"))


def test_there_are_at_least_a_dozen_bad_scenarios():
    assert len(BAD_FILES) >= 12


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_scenario_gives_its_one_sentence(path):
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: ")
    expected = first.removeprefix("# expect: ").replace("{file}", str(path))
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    msg = str(e.value)
    assert msg == expected
    assert "\n" not in msg and "validation error" not in msg.lower()
    assert isinstance(e.value, CcsimInputError)
    field = msg.split(": ", 1)[0]
    if field != str(path):
        assert e.value.field == field


def test_field_path_value_and_allowed_are_attributes():
    with pytest.raises(ScenarioError) as e:
        load_scenario(BAD / "negative_headcount.toml")
    assert (e.value.field, e.value.value) == ("agent_groups[0].headcount", -3)
    assert "0 to 5000" in e.value.allowed


def test_missing_file_is_one_sentence(tmp_path):
    p = tmp_path / "nowhere.toml"
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: no such scenario file"


def test_toml_text_syntax_error():
    with pytest.raises(ScenarioError, match=r"^<text>: not valid TOML \(line 1, column 5: "):
        Scenario.from_toml("a = = 1")


def test_python_construction_gives_scenario_errors_not_pydantic():
    with pytest.raises(ScenarioError, match=r"^hours: -1 is not allowed; use a number above 0 and at most 24$"):
        Horizon(hours=-1)
    with pytest.raises(ScenarioError, match=r"^handle_time: missing; "):
        CallType(name="x", volume_share=1)
    ok = CallType(name="x", volume_share=1, handle_time={"kind": "fixed", "mean_s": 60})
    assert ok.required_skill == "x"
    d = tomllib.loads(TWO_SITES.read_text())
    assert Scenario(**d) == Scenario.from_dict(d)
    d["call_types"][0]["volume_share"] = "lots"
    with pytest.raises(
        ScenarioError, match=r"^call_types\[0\]\.volume_share: 'lots' is not allowed; use a number from 0 to 1$"
    ):
        Scenario(**d)


def test_scenarios_are_read_only():
    s = load_preset("classroom")
    with pytest.raises(ScenarioError, match=r"^name: 'x' is not allowed; use a changed copy instead"):
        s.name = "x"
    assert s.name == "classroom"


def test_odd_keys_are_quoted_in_the_one_line_message():
    d = tomllib.loads(TWO_SITES.read_text())
    d["sites"][0]["bad\nkey"] = 1
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d)
    assert str(e.value).startswith("sites[0]['bad\\nkey']: unknown field; ")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    "horizon, message",
    [
        (
            {"hours": 7e-282},
            "hours: 7e-282 is not allowed; use at least one 30-minute interval (0.5 h) or a shorter interval_min",
        ),
        ({"hours": 8, "interval_min": 7e-282}, "interval_min: 7e-282 is not allowed; use a number from 1 to 1440"),
    ],
)
def test_degenerate_horizons_are_refused(horizon, message):
    with pytest.raises(ScenarioError) as e:
        Horizon(**horizon)
    assert str(e.value) == message


def test_updated_revalidates():
    s = load_preset("classroom")
    surge = s.updated({"arrivals": {"surge_multiplier": 3}})
    assert total_calls(surge.to_model()) == pytest.approx(3 * total_calls(s.to_model()))
    assert s.arrivals.surge_multiplier == 1
    with pytest.raises(ScenarioError, match=r"^arrivals\.surge_multiplier: 0 is not allowed"):
        s.updated({"arrivals": {"surge_multiplier": 0}})


def test_extends_a_file_beside_the_scenario(tmp_path):
    (tmp_path / "base.toml").write_text(TWO_SITES.read_text())
    (tmp_path / "child.toml").write_text('extends = "base.toml"\nname = "child"\n[arrivals]\ncalls_per_day = 4000\n')
    child = load_scenario(tmp_path / "child.toml")
    assert child.name == "child" and child.arrivals.calls_per_day == 4000
    assert child.arrivals.site_volume_share == {"East": 0.6, "West": 0.4}  # tables merge key by key
    (tmp_path / "orphan.toml").write_text('extends = "missing.toml"\n')
    with pytest.raises(ScenarioError, match=r"^extends: 'missing.toml' is not allowed; use a scenario file beside"):
        load_scenario(tmp_path / "orphan.toml")


def test_profile_beside_the_scenario_and_bad_profiles(tmp_path):
    d = tomllib.loads(TWO_SITES.read_text())
    rows = "\n".join(f"{8 + i // 2:02d}:{30 * (i % 2):02d},{i + 1}" for i in range(16))
    (tmp_path / "ramp.csv").write_text("interval_start,share\n" + rows + "\n")
    d["arrivals"]["profile"] = "ramp.csv"
    model = Scenario.from_dict(d, base_dir=tmp_path).to_model()
    weights = list(range(1, 17))
    assert [sum(a.calls_per_interval[i] for a in model.arrivals) for i in range(16)] == pytest.approx(
        [2000 * w / sum(weights) for w in weights]
    )
    (tmp_path / "late.csv").write_text("interval_start,share\n" + rows.replace("08:00", "07:00") + "\n")
    d["arrivals"]["profile"] = "late.csv"
    with pytest.raises(
        ScenarioError, match=r"^arrivals\.profile: 'late.csv' is not allowed; use a profile whose row 1 starts at 08:00"
    ):
        Scenario.from_dict(d, base_dir=tmp_path)
    (tmp_path / "neg.csv").write_text("interval_start,share\n08:00,-1\n")
    with pytest.raises(ScenarioError, match=r"neg.csv line 2 share: '-1' is not allowed; use a number of at least 0"):
        load_profile("neg.csv", tmp_path)


def test_certain_transfer_loops_are_refused():
    d = tomllib.loads(TWO_SITES.read_text())
    d["call_types"][0]["transfers"] = [{"to_call_type": "spanish", "probability": 1.0}]
    d["call_types"][1]["transfers"] = [{"to_call_type": "english", "probability": 1.0}]
    with pytest.raises(
        ScenarioError,
        match=r"^call_types\[0\]\.transfers\[0\]\.probability: 1\.0 is not allowed; "
        r"use a probability below 1 on a transfer loop \(english → spanish → english",
    ):
        Scenario.from_dict(d)
    d["call_types"][1]["transfers"][0]["probability"] = 0.5  # a loop that ends: allowed
    assert Scenario.from_dict(d).to_model().call_type("spanish").transfers[0].probability == 0.5


def test_calls_when_no_site_is_open_are_refused():
    d = tomllib.loads(TWO_SITES.read_text())
    d["sites"][0]["opens"] = "09:00"
    d["agent_groups"][1]["shifts"] = [{"start": "06:00", "hours": 4, "headcount": 10}]
    with pytest.raises(
        ScenarioError, match=r"^arrivals: 125 calls are expected in interval 0 \(08:00\) when no site is open"
    ):
        Scenario.from_dict(d)


def test_profiles_readme_names_every_profile():
    text = (data_dir() / "profiles" / "README.md").read_text()
    for p in (data_dir() / "profiles").glob("*.csv"):
        assert p.name in text
        rows = load_profile(p.name)
        assert sum(s for _, s in rows) == pytest.approx(1, abs=1e-6)


# ----------------------------------------------------------------------------------------------
# README: every TOML example validates


def readme_examples() -> list[str]:
    text = (SCENARIOS / "README.md").read_text()
    return re.findall(r"```toml\n(.*?)```", text, flags=re.S)


def test_readme_has_examples():
    assert len(readme_examples()) >= 2


@pytest.mark.parametrize("i", range(len(readme_examples())))
def test_readme_example_validates_and_compiles(i):
    s = Scenario.from_toml(readme_examples()[i], base_dir=SCENARIOS, source=f"README example {i}")
    assert isinstance(s.to_model(), m.CenterModel)


def test_readme_python_example_runs(capsys):
    text = (SCENARIOS / "README.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    exec(compile(code, "data/scenarios/README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines()[-1] == "16 1800.0 10260.0"


def test_readme_documents_every_field():
    text = (SCENARIOS / "README.md").read_text()
    from ccsim import scenario as sc

    for cls in (
        sc.Scenario,
        sc.Horizon,
        sc.Site,
        sc.TimeDistribution,
        sc.Transfer,
        sc.CallType,
        sc.Arrivals,
        sc.Break,
        sc.Shift,
        sc.AgentGroup,
        sc.Routing,
        sc.Callback,
        sc.Targets,
    ):
        for field in cls.model_fields:
            assert f"`{field}`" in text, (cls.__name__, field)


# ----------------------------------------------------------------------------------------------
# generated input: a Scenario or one ScenarioError, never anything else


@st.composite
def valid_dicts(draw):
    interval_min = draw(st.sampled_from([15, 30, 60]))
    n = draw(st.integers(1, 24))
    hours = n * interval_min / 60
    k = draw(st.integers(1, 4))
    weights = draw(st.lists(st.integers(1, 20), min_size=k, max_size=k))
    shares = [w / sum(weights) for w in weights]
    names = [f"type{i}" for i in range(k)]
    call_types = []
    for i in range(k):
        ct = {
            "name": names[i],
            "volume_share": shares[i],
            "handle_time": {
                "kind": draw(st.sampled_from(["exponential", "fixed"])),
                "mean_s": draw(st.floats(1, 3600)),
            },
        }
        if draw(st.booleans()):
            ct["patience"] = {"kind": "lognormal", "mean_s": draw(st.floats(1, 3600)), "cv": draw(st.floats(0.1, 3))}
        if k > 1 and draw(st.booleans()):
            ct["transfers"] = [
                {"to_call_type": names[(i + 1) % k], "probability": draw(st.floats(0, 0.5))},
                {"back_office_days": draw(st.floats(0, 30)), "probability": draw(st.floats(0, 0.5))},
            ]
        call_types.append(ct)
    groups = [
        {
            "name": "all",
            "skills": names,
            "headcount": draw(st.integers(0, 200)),
            "shrinkage_share": draw(st.floats(0, 0.95)),
        }
    ]
    if draw(st.booleans()):
        groups.append(
            {
                "name": "per_interval",
                "skills": {names[0]: 2},
                "headcount_per_interval": draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)),
            }
        )
    if draw(st.booleans()):
        arrivals = {"calls_per_day": draw(st.floats(0, 1e5)), "surge_multiplier": draw(st.floats(0.5, 5))}
    else:
        arrivals = {"calls_per_interval": draw(st.lists(st.floats(0, 1e3), min_size=n, max_size=n))}
    return {
        "name": "generated",
        "horizon": {
            "start": draw(st.sampled_from(["00:00", "07:30", "08:00"])),
            "hours": hours,
            "interval_min": interval_min,
        },
        "call_types": call_types,
        "arrivals": arrivals,
        "agent_groups": groups,
        "routing": {"mode": draw(st.sampled_from(["pooled", "site_first"]))},
    }


@given(valid_dicts())
@settings(max_examples=60, deadline=None)
def test_generated_valid_scenarios_compile_and_keep_their_volume(d):
    s = Scenario.from_dict(d)
    model = s.to_model()
    a = d["arrivals"]
    expected = a["calls_per_day"] * a["surge_multiplier"] if "calls_per_day" in a else sum(a["calls_per_interval"])
    assert total_calls(model) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    g = model.agent_groups[0]
    spec = d["agent_groups"][0]
    assert g.staffing == ((0.0, math.floor(spec["headcount"] * (1 - spec["shrinkage_share"]) + 0.5)),)


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(10**20, 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["08:00", "24:00", "25:00", "flat", "pooled", "english", "exponential", "", "\x00"]),
    st.sampled_from([1e-300, 7e-282, 1e300, -0.0, 0, 1, 0.5, 24, 1440, 5000, 5001]),
    st.lists(st.integers(-5, 5), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


FILE_DICTS = [
    tomllib.loads(TWO_SITES.read_text()),
    tomllib.loads((SCENARIOS / "public_hotline_24h.toml").read_text()),
    tomllib.loads((SCENARIOS / "member_services_network.toml").read_text()),
]


@given(st.one_of(valid_dicts(), st.sampled_from(FILE_DICTS)), st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_scenarios_give_a_scenario_or_one_scenario_error(d, data):
    d = copy.deepcopy(d)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(d) if p]
        path = data.draw(st.sampled_from(paths))
        parent = d
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["replace", "delete", "unknown"]))
        if action == "replace":
            parent[path[-1]] = data.draw(JUNK)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(min_size=1, max_size=8))] = data.draw(JUNK)
    try:
        s = Scenario.from_dict(d)
    except ScenarioError as e:
        msg = str(e)
        assert msg and "\n" not in msg and "pydantic" not in msg
        return
    assert isinstance(s.to_model(), m.CenterModel)


# ----------------------------------------------------------------------------------------------
# engine properties on compiled scenarios (where the engine supports them)


def _simulate(model, seed):
    from ccsim.simulation.engine import simulate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overload warnings are the engine's business; tested there
        return simulate(model, seed)


def _assert_conserved(result):
    c = result.contacts
    counts = c["outcome"].value_counts()
    assert int(counts.sum()) == len(c) == c["contact_id"].nunique()
    queued = c[c["outcome"] != "self_service"]
    assert int(counts.get("abandoned", 0)) == int(c["abandon_s"].notna().sum())
    assert (queued["wait_s"] >= 0).all()
    # every expected caller is accounted for, per call type, in the legs too
    legs = result.legs
    assert set(legs["contact_id"]) <= set(c["contact_id"])
    assert len(legs) == len(queued) + int(c["transfers"].sum())


def test_classroom_reruns_identically_and_conserves_callers():
    model = load_preset("classroom").to_model()
    r1, r2 = _simulate(model, 7), _simulate(model, 7)
    pd.testing.assert_frame_equal(r1.contacts, r2.contacts)
    _assert_conserved(r1)
    c = r1.contacts
    assert int(c["outcome"].eq("answered").sum()) == int(c["answer_s"].notna().sum())


def test_network_meets_its_guarantees_overall_on_a_normal_day():
    """The sizing check by simulation: one seeded day of the full network (site-first routing with
    overflow, site hours, transfers and hand-offs) meets every guarantee overall, occupancy included;
    the mean of a few seeded days meets every guarantee at every site."""
    from ccsim.metrics.kpis import summary
    from ccsim.metrics.scorecard import ALL, replicate_by_site, scorecard

    model = load_preset("member_services_network").to_model()
    r = _simulate(model, 1)
    _assert_conserved(r)
    s = summary(r, answer_within_s=30)
    assert s["calls"] == pytest.approx(30000, rel=0.03)
    assert s["transfers_per_contact"] > 0 and s["handoffs"] > 0
    card = scorecard(r)
    overall = card[card["site"] == ALL]
    assert list(overall["metric"]) == ["service_level", "abandonment_rate", "asa_s", "aht_s", "occupancy"]
    assert overall["met"].all(), overall[["metric", "result", "status"]].to_string()
    assert s["occupancy"] <= 0.85

    days = scorecard(replicate_by_site(model, 4, seed=1, workers=1))
    assert set(days["site"]) == {ALL, "Pacific", "Mountain", "Eastern"}
    assert days["met"].all(), days.loc[~days["met"], ["site", "metric", "result"]].to_string()


def _scaled_down(d: dict, most_calls: float = 1500.0) -> dict:
    """``d`` with at most ``most_calls`` expected calls, so the engine property test stays quick."""
    d = copy.deepcopy(d)
    a = d["arrivals"]
    if "calls_per_day" in a:
        a["calls_per_day"] = min(a["calls_per_day"], most_calls / a["surge_multiplier"])
    else:
        total = sum(a["calls_per_interval"])
        if total > most_calls:
            a["calls_per_interval"] = [c * most_calls / total for c in a["calls_per_interval"]]
    return d


@given(valid_dicts(), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_scenarios_simulate_conserve_callers_and_rerun_identically(d, seed):
    model = Scenario.from_dict(_scaled_down(d)).to_model()
    r1 = _simulate(model, seed)
    _assert_conserved(r1)
    expected_types = {a.call_type for a in model.arrivals if sum(a.calls_per_interval) > 0}
    assert set(r1.contacts["call_type"].astype(str)) <= expected_types
    r2 = _simulate(model, seed)
    pd.testing.assert_frame_equal(r1.contacts, r2.contacts)


@pytest.mark.parametrize("name", ["open_enrollment_surge", "public_hotline_24h"])
def test_other_presets_simulate_and_conserve_callers(name):
    _assert_conserved(_simulate(load_preset(name).to_model(), 3))


def test_public_hotline_day_has_call_backs_self_service_and_a_busy_line():
    """The preset exists to show the voice menu and the voice-message call-back: on a seeded day
    some callers finish in the menu (about its share), waits pass the call-back threshold so some
    callers are called back, every caller is accounted for, and the line is busy but working."""
    from ccsim.metrics.kpis import summary

    model = load_preset("public_hotline_24h").to_model()
    r = _simulate(model, 1)
    _assert_conserved(r)
    c, s = r.contacts, summary(r)
    expected_menu = sum(
        sum(a.calls_per_interval) * model.call_type(a.call_type).menu_containment for a in model.arrivals
    )  # about 400 of 2,000
    assert s["self_service"] == pytest.approx(expected_menu, rel=0.25)
    assert s["self_service"] == int(c["outcome"].eq("self_service").sum())
    assert s["callbacks"] > 0 and s["callbacks"] == int(c["outcome"].eq("callback").sum())
    called_back = c[c["outcome"] == "callback"]
    assert called_back["callback_offered"].all() and called_back["answer_s"].notna().all()
    # every caller: in the menu, or queued and then answered, called back, abandoned or unanswered
    assert len(c) == s["self_service"] + s["calls"]
    assert set(c["outcome"]) <= {"self_service", "answered", "callback", "abandoned", "unanswered"}
    occupancy = [summary(_simulate(model, seed))["occupancy"] for seed in (1, 2, 3)]
    assert 0.65 <= sum(occupancy) / 3 <= 0.90


def test_module_docstring_example():
    import doctest

    from ccsim.scenario import schema as scenario

    result = doctest.testmod(scenario)
    assert result.attempted > 0 and result.failed == 0


def test_service_level_definitions_match_ccsim_service_level():
    from typing import get_args

    from ccsim.analytics.service_level import SLDefinition
    from ccsim.scenario import Targets

    allowed = set(get_args(Targets.model_fields["service_level_definition"].annotation))
    assert allowed == {d.value for d in SLDefinition}


def test_profile_error_names_the_line_of_the_file_comments_included(tmp_path):
    (tmp_path / "p.csv").write_text(
        "# a comment\n# another\ninterval_start,share\n08:00,0.5\n\n08:30,lots\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as e:
        load_profile("p.csv", tmp_path)
    assert str(e.value).startswith("p.csv line 6 share: 'lots' is not allowed")
