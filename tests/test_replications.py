"""Replications: seeds per replication, same numbers on every executor, confidence intervals, bad input."""

from __future__ import annotations

import math
import warnings
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ccsim.errors import CcsimInputError, CcsimWarning
from ccsim.metrics.kpis import KPI_NAMES, summary
from ccsim.metrics.replications import ReplicationResult, confidence_summary, replicate, unique_sentences
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel


def small_model() -> CenterModel:
    return CenterModel.single_queue(
        60, 9, Exponential(180), Exponential(120), interval_s=1800, intervals=2, answer_within_s=20
    )


class SubmitOnly:
    """The smallest executor: only ``submit``, returning a concurrent.futures.Future (like dask's client executor)."""

    def __init__(self):
        self.submitted = 0

    def submit(self, fn, *args):
        self.submitted += 1
        future: Future = Future()
        future.set_result(fn(*args))
        return future


def test_replication_i_uses_the_ith_spawned_seed():
    model = small_model()
    rep = replicate(model, replications=4, seed=7, progress=False)
    assert isinstance(rep, ReplicationResult)
    assert list(rep.runs.columns) == list(KPI_NAMES)
    assert list(rep.runs.index) == [0, 1, 2, 3]
    children = np.random.SeedSequence(7).spawn(4)
    for i in (0, 3):
        assert rep.runs.loc[i].to_dict() == pytest.approx(summary(simulate(model, children[i])), nan_ok=True)
    assert rep.runs["calls"].nunique() > 1  # different seeds, different days


def test_same_numbers_whatever_the_executor_or_worker_count():
    model = small_model()
    base = replicate(model, replications=6, seed=3, progress=False, workers=1)
    with ThreadPoolExecutor(3) as pool:
        threaded = replicate(model, replications=6, seed=3, progress=False, executor=pool)
    minimal = SubmitOnly()
    tiny = replicate(model, replications=6, seed=3, progress=False, executor=minimal)
    assert minimal.submitted >= 1
    with ProcessPoolExecutor(2) as pool:
        processes = replicate(model, replications=6, seed=3, progress=False, executor=pool, workers=2)
    for other in (threaded, tiny, processes):
        pd.testing.assert_frame_equal(base.runs, other.runs)
        pd.testing.assert_frame_equal(base.summary, other.summary)


def test_summary_is_mean_and_t_based_95_percent_interval():
    rep = replicate(small_model(), replications=8, seed=2, progress=False)
    s = rep.summary
    assert list(s.columns) == ["mean", "ci95", "low", "high", "std"]
    assert list(s.index) == list(KPI_NAMES)
    x = rep.runs["service_level"].to_numpy()
    half = stats.t.ppf(0.975, 7) * x.std(ddof=1) / math.sqrt(8)
    row = s.loc["service_level"]
    assert row["mean"] == pytest.approx(x.mean())
    assert row["ci95"] == pytest.approx(half)
    assert row["low"] == pytest.approx(x.mean() - half) and row["high"] == pytest.approx(x.mean() + half)
    assert row["std"] == pytest.approx(x.std(ddof=1))


def test_confidence_summary_leaves_out_nan_runs_and_needs_two_runs_for_an_interval():
    s = confidence_summary(pd.DataFrame({"asa_s": [1.0, np.nan, 3.0], "one": [np.nan, 2.0, np.nan]}))
    assert s.loc["asa_s", "mean"] == 2.0
    assert s.loc["asa_s", "ci95"] == pytest.approx(stats.t.ppf(0.975, 1) * math.sqrt(2) / math.sqrt(2))
    assert s.loc["one", "mean"] == 2.0 and math.isnan(s.loc["one", "ci95"])


def test_one_replication_has_a_mean_but_no_interval():
    rep = replicate(small_model(), replications=1, progress=False)
    assert len(rep.runs) == 1
    assert math.isnan(rep.summary.loc["calls", "ci95"])


def test_progress_bar_counts_every_run_and_can_be_turned_off(monkeypatch):
    bars = []

    class RecordingBar:
        def __init__(self, total, **kwargs):
            self.total, self.n, self.closed = total, 0, False
            bars.append(self)

        def update(self, k):
            self.n += k

        def close(self):
            self.closed = True

    monkeypatch.setattr("tqdm.auto.tqdm", RecordingBar)
    replicate(small_model(), replications=3, seed=1, progress=True)
    assert len(bars) == 1 and bars[0].total == 3 and bars[0].n == 3 and bars[0].closed
    replicate(small_model(), replications=3, seed=1, progress=False)
    assert len(bars) == 1


def test_progress_callback_hears_each_run_in_this_process():
    calls = []
    rep = replicate(
        small_model(), replications=3, seed=1, workers=1, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert rep.runs.equals(replicate(small_model(), replications=3, seed=1, progress=False).runs)


def test_overloaded_runs_give_one_summarised_sentence_in_the_result_and_no_python_warning():
    model = CenterModel.single_queue(10 * 20 / 400 * 1800, 20, Exponential(400), None, intervals=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rep = replicate(model, replications=3, seed=1, progress=False)
    assert isinstance(rep.warnings, tuple) and len(rep.warnings) == 1
    assert rep.warnings[0].startswith("Demand is 10.0 times what 20 agents can handle; in 3 of 3 runs ")
    assert [str(w.message) for w in caught if issubclass(w.category, CcsimWarning)] == []
    assert (rep.runs["unanswered"] > 0).all()


def test_unique_sentences_keeps_the_first_of_each_in_order():
    assert unique_sentences([["b", "a"], [], ["a", "c", "b"]]) == ("b", "a", "c")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(replications=0), "replications"),
        (dict(replications=2.5), "replications"),
        (dict(replications=100_001), "replications"),
        (dict(replications="5"), "replications"),
        (dict(workers=0), "workers"),
        (dict(seed=-2), "seed"),
        (dict(executor="pool"), "executor"),
        (dict(sl_definition="nope"), "sl_definition"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_field(kwargs, field):
    with pytest.raises(CcsimInputError) as err:
        replicate(small_model(), progress=False, **kwargs)
    assert str(err.value).startswith(f"{field}: ")


def test_kpi_options_reach_the_runs():
    model = small_model()
    a = replicate(model, replications=2, progress=False, answer_within_s=0, sl_definition="answered")
    children = np.random.SeedSequence(1).spawn(2)
    expected = summary(simulate(model, children[0]), answer_within_s=0, sl_definition="answered")["service_level"]
    assert a.runs.loc[0, "service_level"] == pytest.approx(expected)


def test_a_dask_distributed_client_works_unchanged():
    """Any concurrent.futures.Executor works, so a dask.distributed client works as it is."""
    import distributed  # a test dependency (pyproject [test], environment.yml)

    model = CenterModel.single_queue(100, 14, Exponential(180), Exponential(300), intervals=4)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = replicate(model, 6, seed=3, executor=client.get_executor(), progress=False)
    here = replicate(model, 6, seed=3, workers=1, progress=False)
    pd.testing.assert_frame_equal(on_dask.runs, here.runs)
    pd.testing.assert_frame_equal(on_dask.summary, here.summary)


def test_overload_from_staffing_that_changes_within_an_interval_is_said_in_a_sentence():
    # 10 agents for the first quarter hour of each half hour, none for the second: the plan's demand ratio
    # counts the agent-seconds actually rostered, so the replications' warning is the overload sentence, never ""
    from ccsim.simulation.engine import demand_ratio
    from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType

    steps = tuple((k * 900.0, 10 if k % 2 == 0 else 0) for k in range(8))
    model = CenterModel(
        interval_s=1800,
        call_types=(CallType("c", Exponential(300), Exponential(60)),),
        arrivals=(ArrivalStream("c", (40.0,) * 4),),
        agent_groups=(AgentGroup("g", steps),),
    )
    assert demand_ratio(model) == pytest.approx(40 * 4 * 300 / (10 * 900 * 4))
    rep = replicate(model, 3, 1, progress=False)
    assert rep.warnings and all(w.startswith("Demand is 1.3 times") for w in rep.warnings)
