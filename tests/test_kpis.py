"""KPIs from logs: exact figures on a hand-made log, consistency on simulated days, bad input."""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import ccsim.metrics.kpis
from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import KPI_NAMES, kpis, summary
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.engine import OUTCOMES, OverloadWarning, SimulationResult, simulate
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OverloadWarning)
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


def test_empty_interval_has_zero_calls_and_no_rates():
    m = CenterModel.single_queue([30, 0], 3, Fixed(60), None, interval_s=900)
    k = kpis(simulate(m, 0), by="interval")
    assert k.loc[1, "calls"] == 0
    assert math.isnan(k.loc[1, "service_level"]) and math.isnan(k.loc[1, "asa_s"])
    assert k.loc[1, "occupancy"] < 0.2  # only calls spilling over from interval 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(by="week"), "by"),
        (dict(sl_definition="within"), "sl_definition"),
        (dict(answer_within_s=-1), "answer_within_s"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_field(kwargs, field):
    with pytest.raises(CcsimInputError) as err:
        kpis(hand_made_result(), **kwargs)
    assert str(err.value).startswith(f"{field}: ")
    with pytest.raises(CcsimInputError, match="result"):
        kpis("log")  # type: ignore[arg-type]


def test_docstring_example_runs():
    assert doctest.testmod(ccsim.metrics.kpis, raise_on_error=False).failed == 0
