"""KPIs from logs: exact figures on a hand-made log, consistency on simulated days, bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import KPI_NAMES, kpis, summary
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.engine import OUTCOMES, SimulationResult, simulate
from ccsim.simulation.model import CenterModel


def hand_made_result() -> SimulationResult:
    """Two 100-second intervals, one agent on duty all along, T = 20 s, six callers:

    0: arrives 0, answered at once, handles 50 s (busy 0-50)
    1: arrives 10, waits 40, answered at 50, handles 100 (busy 50-150, crosses the boundary)
    2: arrives 20, hangs up after 5 s (short abandon)
    3: arrives 30, hangs up after 60 s
    4: arrives 150, answered at once, handles 30 (busy 150-180)
    5: arrives 160, waits 20 exactly, answered at 180, handles 10 (busy 180-190)
    """
    model = CenterModel.single_queue([4, 2], 1, Fixed(50), Exponential(60), interval_s=100, answer_within_s=20)
    arrival = np.array([0, 10, 20, 30, 150, 160.0])
    answer = np.array([0, 50, np.nan, np.nan, 150, 180])
    abandon = np.array([np.nan, np.nan, 25, 90, np.nan, np.nan])
    handle = np.array([50, 100, np.nan, np.nan, 30, 10])
    wait = np.array([0, 40, 5, 60, 0, 20.0])
    end = np.where(np.isnan(answer), abandon, answer + handle)
    outcome = ["answered", "answered", "abandoned", "abandoned", "answered", "answered"]
    agent = np.array([0, 0, -1, -1, 0, 0])
    contacts = pd.DataFrame(
        {
            "contact_id": np.arange(6),
            "call_type": pd.Categorical(["calls"] * 6),
            "site": pd.Categorical(["main"] * 6),
            "interval": (arrival // 100).astype(np.int64),
            "arrival_s": arrival,
            "queue_entry_s": arrival,
            "answer_s": answer,
            "abandon_s": abandon,
            "end_s": end,
            "wait_s": wait,
            "handle_time_s": handle,
            "outcome": pd.Categorical(outcome, categories=list(OUTCOMES)),
            "agent": agent,
            "agent_group": pd.Categorical.from_codes(np.where(agent >= 0, 0, -1), categories=["agents"]),
        }
    )
    on_duty = pd.DataFrame(
        {
            "agent": [0],
            "agent_group": pd.Categorical(["agents"]),
            "site": pd.Categorical(["main"]),
            "start_s": [0.0],
            "end_s": [200.0],
        }
    )
    return SimulationResult(
        contacts=contacts,
        on_duty=on_duty,
        staffed_s_per_interval=np.array([100.0, 100.0]),
        model=model,
        seed=0,
        horizon_s=200.0,
        end_s=200.0,
    )


def result_from_callers(
    callers: list[tuple[float, str, float, float]],
    answer_within_s: float = 20.0,
    *,
    agents: list[int] | None = None,
    call_types: list[str] | None = None,
    transfers: list[int] | None = None,
    handoffs: list[bool] | None = None,
) -> SimulationResult:
    """A one-interval (1000 s) result from (arrival_s, outcome, wait_s, handle_time_s) per caller.

    Two agents: agent 3 (group "generalists", site "east") on duty 0–400 s and 500–1000 s (a split
    shift), agent 7 ("specialists", "west") on duty all along. Answered and called-back callers are
    served by ``agents[i]`` (default agent 3). The log has no ``served_site`` column, as logs written
    before sites were served across do not. Row labels start at 100 (the KPIs must not rely on them).
    """
    n = len(callers)
    arrival = np.array([c[0] for c in callers], dtype=float)
    outcome = [c[1] for c in callers]
    wait = np.array([c[2] for c in callers], dtype=float)
    served = np.array([o in ("answered", "callback") for o in outcome], dtype=bool)
    handle = np.where(served, [c[3] for c in callers], np.nan)
    answer = np.where(served, arrival + wait, np.nan)
    abandon = np.where(np.array(outcome) == "abandoned", arrival + wait, np.nan)
    agent = np.where(served, agents or [3] * n, -1)
    types = call_types or ["calls"] * n
    contacts = pd.DataFrame(
        {
            "contact_id": np.arange(n),
            "call_type": pd.Categorical(types),
            "site": pd.Categorical(["east"] * n),
            "interval": np.zeros(n, dtype=np.int64),
            "arrival_s": arrival,
            "queue_entry_s": arrival,
            "answer_s": answer,
            "abandon_s": abandon,
            "end_s": np.where(served, answer + handle, arrival + wait),
            "wait_s": wait,
            "handle_time_s": handle,
            "outcome": pd.Categorical(outcome, categories=list(OUTCOMES)),
            "agent": agent,
            "agent_group": pd.Categorical.from_codes(
                np.select([agent == 3, agent == 7], [0, 1], -1), categories=["generalists", "specialists"]
            ),
            "queue": pd.Categorical(types),
            "transfers": np.array(transfers or [0] * n, dtype=np.int64),
            "handoff": np.array(handoffs or [False] * n, dtype=bool),
        },
        index=pd.RangeIndex(100, 100 + n),
    )
    on_duty = pd.DataFrame(
        {
            "agent": [3, 7, 3],
            "agent_group": pd.Categorical(["generalists", "specialists", "generalists"]),
            "site": pd.Categorical(["east", "west", "east"]),
            "start_s": [0.0, 0.0, 500.0],
            "end_s": [400.0, 1000.0, 1000.0],
        }
    )
    model = CenterModel.single_queue(
        [n], 2, Fixed(1), Exponential(60), interval_s=1000, answer_within_s=answer_within_s
    )
    return SimulationResult(
        contacts=contacts,
        on_duty=on_duty,
        staffed_s_per_interval=np.array([1900.0]),
        model=model,
        seed=0,
        horizon_s=1000.0,
        end_s=1000.0,
    )


# Every outcome, T = 20 s: (arrival_s, outcome, wait_s, handle_time_s), with transfers and hand-offs below.
MIXED_DAY = [
    (0.0, "answered", 0.0, 100.0),
    (10.0, "answered", 30.0, 200.0),  # transferred once
    (100.0, "callback", 400.0, 50.0),  # called back after 400 s; handed off
    (120.0, "abandoned", 0.5, 0.0),  # short abandon, after half a second
    (130.0, "abandoned", 45.0, 0.0),
    (140.0, "unanswered", 500.0, 0.0),
    (150.0, "self_service", 0.0, 0.0),
    (160.0, "self_service", 0.0, 0.0),
    (600.0, "answered", 20.0, 60.0),  # exactly T; transferred twice, handed off
]
MIXED_TRANSFERS = [0, 1, 0, 0, 0, 0, 0, 0, 2]
MIXED_HANDOFFS = [False, False, True, False, False, False, False, False, True]
MIXED_AGENTS = [3, 7, 3, 3, 3, 3, 3, 3, 7]  # agent 7 (specialists, west) takes callers 1 and 8


def mixed_day() -> SimulationResult:
    return result_from_callers(MIXED_DAY, agents=MIXED_AGENTS, transfers=MIXED_TRANSFERS, handoffs=MIXED_HANDOFFS)


def test_every_kpi_of_a_log_with_every_outcome():
    s = summary(mixed_day())
    expected = {
        "calls": 7,  # self-served callers never queue
        "answered": 4,  # the called-back caller counts as answered
        "abandoned": 2,
        "unanswered": 1,
        "service_level": 2 / 7,  # waits 0 and exactly 20 within T; 30 and the call-back's 400 not
        "asa_s": (0 + 30 + 400 + 20) / 4,
        "abandonment_rate": 2 / 7,
        "aht_s": (100 + 200 + 50 + 60) / 4,
        "occupancy": (100 + 200 + 50 + 60) / 1900,
        "p_wait": 6 / 7,  # half a second is a wait
        "mean_wait_s": (0 + 30 + 400 + 0.5 + 45 + 500 + 20) / 7,  # self-served callers' zero waits left out
        "max_wait_s": 500,
        "self_service": 2,
        "callbacks": 1,
        "transfers_per_contact": 3 / 7,
        "handoffs": 2,
    }
    assert list(s) == list(expected)
    for name, value in expected.items():
        assert s[name] == pytest.approx(value, rel=1e-12), name
    for definition, value in [
        ("exclude_short_abandons", 2 / 6),
        ("answered", 2 / 4),
        ("answered_or_abandoned_within", 3 / 7),
    ]:
        assert summary(mixed_day(), sl_definition=definition)["service_level"] == pytest.approx(value, rel=1e-12)


def test_kpis_by_site_and_by_agent_group_split_the_agents_time():
    by_site = kpis(mixed_day(), by="site")
    # callers all call the east site; each site's occupancy is its own agent's busy time over its time on duty
    assert list(by_site.index) == ["east"] and by_site.index.name == "site"
    assert by_site.loc["east", "calls"] == 7
    assert by_site.loc["east", "occupancy"] == pytest.approx((100 + 50) / 900, rel=1e-12)  # split shift: 900 s
    by_group = kpis(mixed_day(), by="agent_group")
    assert list(by_group.index) == ["generalists", "specialists"] and by_group.index.name == "agent_group"
    assert by_group["answered"].tolist() == [2, 2]
    assert by_group["aht_s"].tolist() == pytest.approx([(100 + 50) / 2, (200 + 60) / 2], rel=1e-12)
    assert by_group["asa_s"].tolist() == pytest.approx([(0 + 400) / 2, (30 + 20) / 2], rel=1e-12)
    assert by_group["occupancy"].tolist() == pytest.approx([150 / 900, 260 / 1000], rel=1e-12)
    assert by_group["callbacks"].tolist() == [1, 0] and by_group["handoffs"].tolist() == [1, 1]
    for name in ("calls", "abandoned", "service_level", "abandonment_rate", "p_wait", "transfers_per_contact"):
        assert by_group[name].isna().all(), name


def test_kpis_by_call_type_group_the_callers():
    # claims and billing alternate, claims first (the rows must come out sorted), and one TTY caller
    types = ["claims", "billing"] * 4 + ["tty"]
    result = result_from_callers(MIXED_DAY, agents=MIXED_AGENTS, call_types=types, transfers=MIXED_TRANSFERS)
    k = kpis(result, by="call_type")
    assert list(k.index) == ["billing", "claims", "tty"] and k.index.name == "call_type"
    # billing: callers 1, 3, 5, 7 (self-served); claims: 0, 2, 4, 6 (self-served); tty: 8
    assert k["calls"].tolist() == [3, 3, 1] and k["self_service"].tolist() == [1, 1, 0]
    assert k["answered"].tolist() == [1, 2, 1] and k["abandoned"].tolist() == [1, 1, 0]
    assert k["unanswered"].tolist() == [1, 0, 0] and k["callbacks"].tolist() == [0, 1, 0]
    assert k["service_level"].tolist() == pytest.approx([0 / 3, 1 / 3, 1 / 1], abs=1e-12)
    # a call type with a single caller still has rates
    assert k["abandonment_rate"].tolist() == pytest.approx([1 / 3, 1 / 3, 0 / 1], abs=1e-12)
    assert k["p_wait"].tolist() == pytest.approx([3 / 3, 2 / 3, 1 / 1], abs=1e-12)
    assert k["transfers_per_contact"].tolist() == pytest.approx([1 / 3, 0 / 3, 2 / 1], abs=1e-12)
    assert k["max_wait_s"].tolist() == [500, 400, 20]
    assert k["occupancy"].isna().all()  # agents serve every call type: no per-type occupancy
    counts = ["calls", "answered", "abandoned", "unanswered"]
    assert (k[counts].sum() == kpis(result)[counts].iloc[0]).all()


def test_counts_are_whole_numbers():
    for by in (None, "interval", "call_type", "site", "queue"):
        k = kpis(mixed_day(), by=by)
        for name in ("calls", "answered", "abandoned", "unanswered", "callbacks", "handoffs"):
            assert k[name].dtype == np.int64, (by, name)
    assert kpis(mixed_day())["self_service"].dtype == np.int64


def test_a_log_naming_the_serving_site_splits_occupancy_the_same_way():
    """Logs from the engine name the site of the agent who answered; the figures are the same as from the roster."""
    plain = mixed_day()
    served = plain.contacts["agent"].map({3: "east", 7: "west"}).astype("category")
    named = dataclasses.replace(plain, contacts=plain.contacts.assign(served_site=served))
    assert kpis(named, by="site")["occupancy"].tolist() == pytest.approx([150 / 900], rel=1e-12)
    assert kpis(named, by="site").equals(kpis(plain, by="site"))


def test_kpis_by_queue_count_every_leg():
    k = kpis(mixed_day(), by="queue")
    assert list(k.index) == ["calls"] and k.index.name == "queue"
    assert k.loc["calls", "calls"] == 7 and k.loc["calls", "answered"] == 4
    assert math.isnan(k.loc["calls", "self_service"]) and math.isnan(k.loc["calls", "occupancy"])


def test_a_log_without_transfer_or_handoff_columns_counts_none():
    full = result_from_callers(MIXED_DAY, transfers=MIXED_TRANSFERS, handoffs=MIXED_HANDOFFS)
    bare = dataclasses.replace(full, contacts=full.contacts.drop(columns=["transfers", "handoff"]))
    s = summary(bare)
    assert s["transfers_per_contact"] == 0.0 and s["handoffs"] == 0.0 and s["calls"] == 7
    # an older log marks a transferred caller with a yes/no "transferred" column instead
    older = full.contacts.drop(columns=["transfers"]).assign(transferred=[c > 0 for c in MIXED_TRANSFERS])
    s = summary(dataclasses.replace(full, contacts=older))
    assert s["transfers_per_contact"] == pytest.approx(2 / 7, rel=1e-12) and s["handoffs"] == 2


# 25 callers answered within T = 20 s (waits 0, 0.8, ..., 20: the last exactly T), 2 who hang up after exactly T.
ANSWERED_WITHIN_T = [(10.0 * i, "answered", 20.0 * i / 24, 5.0) for i in range(25)]
ABANDONED_AT_T = [(300.0, "abandoned", 20.0, 0.0), (310.0, "abandoned", 20.0, 0.0)]


@pytest.mark.parametrize(
    "definition, expected",
    [
        ("offered", 25 / 27),
        ("exclude_short_abandons", 25 / 25),  # a strict "< T" for abandons would give 25 / 27 = 0.926
        ("answered", 25 / 25),
        ("answered_or_abandoned_within", 27 / 27),  # and "< T" would give 25 / 27 here too
    ],
)
def test_a_caller_hanging_up_after_exactly_t_abandoned_within_t(definition, expected):
    result = result_from_callers(ANSWERED_WITHIN_T + ABANDONED_AT_T)
    assert summary(result, sl_definition=definition)["service_level"] == pytest.approx(expected, abs=1e-12)
    by_queue = kpis(result, sl_definition=definition, by="queue")
    assert by_queue["service_level"].tolist() == pytest.approx([expected], abs=1e-12)


def test_just_past_t_is_not_within_t():
    later = float(np.nextafter(20.0, 30.0))
    callers = [*ANSWERED_WITHIN_T, (300.0, "abandoned", later, 0.0), (310.0, "answered", later, 5.0)]
    result = result_from_callers(callers)
    assert summary(result, sl_definition="offered")["service_level"] == pytest.approx(25 / 27, abs=1e-12)
    assert summary(result, sl_definition="exclude_short_abandons")["service_level"] == pytest.approx(25 / 27, abs=1e-12)
    assert summary(result, sl_definition="answered")["service_level"] == pytest.approx(25 / 26, abs=1e-12)
    assert summary(result, sl_definition="answered_or_abandoned_within")["service_level"] == pytest.approx(
        25 / 27, abs=1e-12
    )
    # and a threshold of exactly that wait takes both in
    s = summary(result, answer_within_s=later, sl_definition="answered_or_abandoned_within")
    assert s["service_level"] == 1.0


def test_overall_kpis_of_a_hand_made_log():
    s = summary(hand_made_result())
    assert list(s) == list(KPI_NAMES)
    assert s["calls"] == 6 and s["answered"] == 4 and s["abandoned"] == 2 and s["unanswered"] == 0
    assert s["service_level"] == pytest.approx(3 / 6)  # answered within 20 s (wait 0, 0, 20) over offered
    assert s["asa_s"] == pytest.approx((0 + 40 + 0 + 20) / 4)
    assert s["abandonment_rate"] == pytest.approx(2 / 6)
    assert s["aht_s"] == pytest.approx((50 + 100 + 30 + 10) / 4)
    assert s["occupancy"] == pytest.approx(190 / 200)
    assert s["p_wait"] == pytest.approx(4 / 6)
    assert s["mean_wait_s"] == pytest.approx((0 + 40 + 5 + 60 + 0 + 20) / 6)
    assert s["max_wait_s"] == 60


@pytest.mark.parametrize(
    "definition, expected",
    [
        ("offered", 3 / 6),
        ("exclude_short_abandons", 3 / 5),
        ("answered", 3 / 4),
        ("answered_or_abandoned_within", 4 / 6),
    ],
)
def test_each_service_level_definition(definition, expected):
    assert summary(hand_made_result(), sl_definition=definition)["service_level"] == pytest.approx(expected)


def test_answer_within_overrides_the_models_threshold():
    assert summary(hand_made_result(), answer_within_s=45)["service_level"] == pytest.approx(4 / 6)
    assert summary(hand_made_result(), answer_within_s=0)["service_level"] == pytest.approx(2 / 6)


def test_per_interval_kpis_split_busy_time_across_the_boundary():
    k = kpis(hand_made_result(), by="interval")
    assert list(k.index) == [0, 1] and k.index.name == "interval"
    assert list(k["calls"]) == [4, 2]
    assert list(k["abandoned"]) == [2, 0]
    assert k["occupancy"].tolist() == pytest.approx([100 / 100, 90 / 100])  # 0-50, 50-100 | 100-150, 150-190
    assert k["service_level"].tolist() == pytest.approx([1 / 4, 2 / 2])
    assert k["asa_s"].tolist() == pytest.approx([20, 10])
    assert k.attrs == {"answer_within_s": 20, "sl_definition": "offered"}


def test_by_agent_group_reports_only_what_a_group_owns():
    k = kpis(hand_made_result(), by="agent_group")
    row = k.loc["agents"]
    assert row["answered"] == 4 and row["aht_s"] == pytest.approx(47.5)
    assert row["occupancy"] == pytest.approx(190 / 200)
    assert math.isnan(row["service_level"]) and math.isnan(row["calls"])


def simulated_day():
    m = CenterModel.single_queue(
        [80, 160, 120, 40], [10, 14, 12, 6], Exponential(180), Exponential(150), interval_s=1800
    )
    return simulate(m, 21)


def test_per_interval_figures_add_up_to_the_day():
    result = simulated_day()
    day = kpis(result)
    per = kpis(result, by="interval")
    for name in ("calls", "answered", "abandoned", "unanswered"):
        assert per[name].sum() == day.loc["all", name]
    assert day.loc["all", "max_wait_s"] == per["max_wait_s"].max()
    staffed = result.staffed_s_per_interval
    plan = np.array([10, 14, 12, 6]) * 1800
    # agents taken off the roster while busy stay on duty to finish their call
    assert np.allclose(staffed[:2], plan[:2])
    assert (staffed[2:] >= plan[2:]).all() and (staffed[2:] < np.array([14, 12]) * 1800).all()
    assert day.loc["all", "occupancy"] == pytest.approx((per["occupancy"] * staffed).sum() / staffed.sum())
    assert ((per["occupancy"] > 0) & (per["occupancy"] <= 1)).all()
    c = result.contacts
    assert day.loc["all", "asa_s"] == pytest.approx(c.loc[c["outcome"] == "answered", "wait_s"].mean())
    by_type = kpis(result, by="call_type")
    assert by_type.loc["calls", "calls"] == day.loc["all", "calls"]


@pytest.mark.filterwarnings("error")
def test_empty_interval_has_zero_calls_and_no_rates():
    m = CenterModel.single_queue([30, 0], 3, Fixed(60), None, interval_s=900)
    result = simulate(m, 0)
    k = kpis(result, by="interval")
    assert k.loc[1, "calls"] == 0
    for name in (
        "service_level",
        "asa_s",
        "abandonment_rate",
        "p_wait",
        "aht_s",
        "mean_wait_s",
        "transfers_per_contact",
    ):
        assert math.isnan(k.loc[1, name]), name
    # the only work in interval 1 is calls spilling over from interval 0: the part of each after 900 s
    c = result.contacts
    spill = (c["end_s"].clip(lower=900) - c["answer_s"].clip(lower=900)).sum()
    assert k.loc[1, "occupancy"] == pytest.approx(spill / result.staffed_s_per_interval[1], rel=1e-12)
    assert k.loc[0, "calls"] == k.loc[0, "answered"] == len(c)  # nobody hangs up (no patience given)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(by="week"),
            "by: 'week' is not allowed; use None or one of interval, call_type, site, agent_group, queue",
        ),
        (
            dict(sl_definition="within"),
            "sl_definition: 'within' is not allowed; use one of offered, exclude_short_abandons, answered, "
            "answered_or_abandoned_within",
        ),
        (dict(answer_within_s=-1), "answer_within_s: -1 is not allowed; use a number of at least 0"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_field(kwargs, message):
    with pytest.raises(CcsimInputError) as err:
        kpis(hand_made_result(), **kwargs)
    assert str(err.value) == message


def test_something_else_than_a_result_is_named():
    with pytest.raises(CcsimInputError) as err:
        kpis("log")  # type: ignore[arg-type]
    assert (err.value.field, err.value.value) == ("result", "str")
    assert err.value.allowed.startswith("a SimulationResult from ")
    with pytest.raises(CcsimInputError, match=r"^result: 'DataFrame' is not allowed"):
        summary(mixed_day().contacts)  # type: ignore[arg-type]


def test_row_labels_of_the_log_do_not_matter():
    """The mixed day's log is labelled 100, 101, ...: grouping by interval must follow the rows, not the labels."""
    day = kpis(mixed_day())
    per = kpis(mixed_day(), by="interval")
    assert list(per.index) == [0]
    for name in KPI_NAMES:
        assert per.loc[0, name] == pytest.approx(day.loc["all", name], rel=1e-12, nan_ok=True), name


@pytest.mark.filterwarnings("error")
def test_an_interval_nobody_staffs_has_no_occupancy_and_no_numpy_warnings():
    result = dataclasses.replace(mixed_day(), staffed_s_per_interval=np.array([0.0]))
    per = kpis(result, by="interval")
    assert math.isnan(per.loc[0, "occupancy"]) and per.loc[0, "calls"] == 7
    assert math.isnan(summary(result)["occupancy"])
    # half a second on duty is still time on duty
    result = dataclasses.replace(mixed_day(), staffed_s_per_interval=np.array([0.5]))
    assert kpis(result, by="interval").loc[0, "occupancy"] == pytest.approx(410 / 0.5, rel=1e-12)
