"""Tests for ccsim.scenario as a whole: presets, bad scenario files, README examples, generated input, simulated days.

The parts have their own test modules: test_scenario_{loading,fields,tables,checks,clock,compile,messages}.py.
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ccsim.errors import CcsimInputError, ScenarioError
from ccsim.scenario import Scenario, data_dir, list_presets, load_preset, load_scenario
from ccsim.simulation import model as m
from ccsim.simulation.distributions import Exponential

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


def test_list_presets_names_the_presets():
    assert set(list_presets()) >= {
        "classroom",
        "member_services_network",
        "member_services_month",
        "one_and_done_after",
        "one_and_done_before",
        "open_enrollment_surge",
        "public_hotline_24h",
    }


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_loads_validates_and_compiles(name):
    s = load_preset(name)
    model = s.to_model()
    assert isinstance(model, m.CenterModel)
    assert model.intervals == s.intervals
    assert model.horizon_s == pytest.approx(s.horizon_s)
    assert s.horizon_s == pytest.approx((s.horizon.days - 1) * 86400 + s.horizon.hours * 3600)
    assert all(len(a.calls_per_interval) == s.intervals for a in model.arrivals)
    skills = {sk for g in model.agent_groups for sk, _ in g.skills}
    assert all(ct.required_skill in skills for ct in model.call_types)
    for g in model.agent_groups:
        assert g.staffing[0][0] == 0.0
        times = [t for t, _ in g.staffing]
        assert times == sorted(times) and all(t < model.horizon_s for t in times)
    assert load_preset(f"{name}.toml") == s


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
    for spec, g in zip(s.agent_groups, model.agent_groups, strict=True):
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
    for spec, g in zip(s.agent_groups, model.agent_groups, strict=True):
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


def test_updated_revalidates():
    s = load_preset("classroom")
    surge = s.updated({"arrivals": {"surge_multiplier": 3}})
    assert total_calls(surge.to_model()) == pytest.approx(3 * total_calls(s.to_model()))
    assert s.arrivals.surge_multiplier == 1
    with pytest.raises(ScenarioError, match=r"^arrivals\.surge_multiplier: 0 is not allowed"):
        s.updated({"arrivals": {"surge_multiplier": 0}})


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
        sc.Delay,
        sc.Journeys,
        sc.Persona,
        sc.Reason,
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
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


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
# generated input with exactly one known breakage: the error names that rule's field


def _hhmm(minutes: int) -> str:
    return f"{minutes % 1440 // 60:02d}:{minutes % 60:02d}"


def _start_min(d: dict) -> int:
    h, mi = d["horizon"]["start"].split(":")
    return int(h) * 60 + int(mi)


def _day_min(d: dict) -> int:
    return round(d["horizon"]["hours"] * 60)


def _n(d: dict) -> int:
    return round(d["horizon"]["hours"] * 60 / d["horizon"]["interval_min"])


def _break_after_shift(d, draw):
    start, length = _start_min(d), _day_min(d)
    late = draw(st.integers(1, 14))  # the break ends this many minutes after the shift
    brk = {"start": _hhmm(start + length - 15 + late), "length_min": 15}
    shift = {"start": _hhmm(start), "hours": length / 60, "headcount": 3, "breaks": [brk]}
    d["agent_groups"].append({"name": "shifted", "skills": [d["call_types"][0]["name"]], "shifts": [shift]})
    return rf"agent_groups\[{len(d['agent_groups']) - 1}\]\.shifts\[0\]\.breaks\[0\]\.start"


def _break_before_shift(d, draw):
    start, length = _start_min(d), _day_min(d)
    brk = {"start": _hhmm(start - draw(st.integers(1, 14))), "length_min": 15}
    shift = {"start": _hhmm(start), "hours": length / 60, "headcount": 3, "breaks": [brk]}
    d["agent_groups"].append({"name": "shifted", "skills": [d["call_types"][0]["name"]], "shifts": [shift]})
    return rf"agent_groups\[{len(d['agent_groups']) - 1}\]\.shifts\[0\]\.breaks\[0\]\.start"


def _shift_past_the_horizon(d, draw):
    assume(_day_min(d) <= 23 * 60)
    hours = _day_min(d) / 60 + draw(st.sampled_from([0.25, 0.5, 1]))
    shift = {"start": d["horizon"]["start"], "hours": hours, "headcount": 3}
    d["agent_groups"].append({"name": "shifted", "skills": [d["call_types"][0]["name"]], "shifts": [shift]})
    return rf"agent_groups\[{len(d['agent_groups']) - 1}\]\.shifts\[0\]\.start"


def _negative_headcount(d, draw):
    d["agent_groups"][0]["headcount"] = draw(st.integers(-1000, -1))
    return r"agent_groups\[0\]\.headcount"


def _too_many_agents(d, draw):
    d["agent_groups"][0]["headcount"] = draw(st.integers(5001, 10**6))
    return r"agent_groups\[0\]\.headcount"


def _shrinkage_above(d, draw):
    d["agent_groups"][0]["shrinkage_share"] = draw(st.floats(0.951, 10))
    return r"agent_groups\[0\]\.shrinkage_share"


def _two_staffing_kinds(d, draw):
    d["agent_groups"][0]["headcount_per_interval"] = [1] * _n(d)
    return r"agent_groups\[0\]\.headcount_per_interval"


def _per_interval_wrong_length(d, draw):
    n = _n(d)
    size = draw(st.integers(0, 30).filter(lambda k: k != n))
    d["agent_groups"].append(
        {"name": "extra", "skills": [d["call_types"][0]["name"]], "headcount_per_interval": [1] * size}
    )
    return rf"agent_groups\[{len(d['agent_groups']) - 1}\]\.headcount_per_interval"


def _volume_shares_off(d, draw):
    share = d["call_types"][0]["volume_share"]
    d["call_types"][0]["volume_share"] = share - draw(st.floats(2e-6, share))  # off by more than the 1e-6 allowed
    return r"call_types"


def _unknown_skill(d, draw):
    i = draw(st.integers(0, len(d["call_types"]) - 1))
    d["call_types"][i]["skill"] = "klingon"
    return rf"call_types\[{i}\]\.skill"


def _duplicate_call_type(d, draw):
    d["call_types"].append(copy.deepcopy(d["call_types"][-1]))
    return rf"call_types\[{len(d['call_types']) - 1}\]\.name"


def _transfers_above_one(d, draw):
    p = draw(st.floats(0.51, 1))
    d["call_types"][0]["transfers"] = [{"back_office_days": 1, "probability": p}] * 2
    return r"call_types\[0\]\.transfers"


def _transfer_to_nowhere(d, draw):
    d["call_types"][0]["transfers"] = [{"to_call_type": "nowhere", "probability": draw(st.floats(0, 1))}]
    return r"call_types\[0\]\.transfers\[0\]\.to_call_type"


def _certain_transfer_loop(d, draw):
    names = [c["name"] for c in d["call_types"]]
    assume(len(names) > 1)
    for i, c in enumerate(d["call_types"]):
        c["transfers"] = [{"to_call_type": names[(i + 1) % len(names)], "probability": 1.0}]
    return r"call_types\[0\]\.transfers\[0\]\.probability"


def _fixed_time_with_cv(d, draw):
    d["call_types"][0]["handle_time"] = {"kind": "fixed", "mean_s": 60, "cv": draw(st.floats(0.01, 20))}
    return r"call_types\[0\]\.handle_time\.cv"


def _mean_not_above_zero(d, draw):
    d["call_types"][0]["handle_time"]["mean_s"] = draw(st.floats(-1e6, 0))
    return r"call_types\[0\]\.handle_time\.mean_s"


def _hours_above_24(d, draw):
    d["horizon"]["hours"] = draw(st.floats(24.001, 1e6))
    return r"horizon\.hours"


def _missing_hours(d, draw):
    del d["horizon"]["hours"]
    return r"horizon\.hours"


def _interval_does_not_divide(d, draw):
    im = draw(st.sampled_from([7, 11, 13]))
    assume(_day_min(d) % im != 0)
    d["horizon"]["interval_min"] = im
    return r"horizon\.interval_min"


def _bad_start_time(d, draw):
    d["horizon"]["start"] = draw(st.sampled_from(["25:00", "8.30", "08:60", "24:30", "", "noon"]))
    return r"horizon\.start"


def _calls_per_interval_wrong_length(d, draw):
    n = _n(d)
    size = draw(st.integers(1, 30).filter(lambda k: k != n))
    d["arrivals"] = {"calls_per_interval": [1.0] * size}
    return r"arrivals\.calls_per_interval"


def _two_arrival_sources(d, draw):
    d["arrivals"] = {"calls_per_day": 100.0, "calls_per_interval": [1.0] * _n(d)}
    return r"arrivals\.calls_per_interval"


def _profile_without_calls_per_day(d, draw):
    d["arrivals"] = {"calls_per_interval": [1.0] * _n(d), "profile": "flat"}
    return r"arrivals\.profile"


def _calls_while_closed(d, draw):
    im = d["horizon"]["interval_min"]
    d["sites"] = [{"name": "only", "opens": _hhmm(_start_min(d) + im), "closes": "24:00"}]
    d["arrivals"] = {"calls_per_interval": [draw(st.floats(0.01, 100))] * _n(d)}
    return r"arrivals"


def _group_at_an_unknown_site(d, draw):
    d["agent_groups"][0]["site"] = "Atlantis"
    return r"agent_groups\[0\]\.site"


def _unknown_routing_mode(d, draw):
    d["routing"]["mode"] = draw(st.sampled_from(["random", "Pooled", "", "site first"]))
    return r"routing\.mode"


def _acceptance_above_one(d, draw):
    d["callback"] = {"offer_when_wait_exceeds_s": 60, "acceptance_share": draw(st.floats(1.001, 100))}
    return r"callback\.acceptance_share"


def _unknown_field(d, draw):
    table = draw(st.sampled_from(["horizon", "arrivals", "routing"]))
    d[table]["agnets"] = 1
    return rf"{table}\.agnets"


BREAKAGES = [
    _acceptance_above_one,
    _bad_start_time,
    _break_after_shift,
    _break_before_shift,
    _calls_per_interval_wrong_length,
    _calls_while_closed,
    _certain_transfer_loop,
    _duplicate_call_type,
    _fixed_time_with_cv,
    _group_at_an_unknown_site,
    _hours_above_24,
    _interval_does_not_divide,
    _mean_not_above_zero,
    _missing_hours,
    _negative_headcount,
    _per_interval_wrong_length,
    _profile_without_calls_per_day,
    _shift_past_the_horizon,
    _shrinkage_above,
    _too_many_agents,
    _transfer_to_nowhere,
    _transfers_above_one,
    _two_arrival_sources,
    _two_staffing_kinds,
    _unknown_field,
    _unknown_routing_mode,
    _unknown_skill,
    _volume_shares_off,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__.lstrip("_") for b in BREAKAGES])
@given(valid_dicts(), st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_one_breakage_is_reported_by_its_own_rule(breakage, d, data):
    Scenario.from_dict(d)  # valid before the breakage
    field = breakage(d, data.draw)
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d)
    assert re.fullmatch(field, e.value.field), str(e.value)
    assert str(e.value).startswith(f"{e.value.field}: ") and "\n" not in str(e.value)


# ----------------------------------------------------------------------------------------------
# engine properties on compiled scenarios (where the engine supports them)


def _simulate(model, seed):
    from ccsim.simulation.engine import simulate

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
    overflow, site hours, transfers and hand-offs) meets every guarantee and target overall, busy occupancy
    (a target, not a guarantee) included; the mean of a few seeded days meets every one at every site."""
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
