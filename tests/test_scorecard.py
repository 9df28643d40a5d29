"""Scorecard: targets from one place, T from the target, met/missed per site and overall, replications with CI."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import kpis, summary
from ccsim.metrics.registry import ENDLESS, KPIS, NO_DATA
from ccsim.metrics.replications import confidence_summary, replicate
from ccsim.metrics.scorecard import (
    ALL,
    COLUMNS,
    DEFAULT_TARGETS,
    Target,
    format_value,
    replicate_by_site,
    scorecard,
    scorecard_text,
    targets_from,
)
from ccsim.scenario import Targets, load_scenario
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"


@pytest.fixture(scope="module")
def two_sites():
    return load_scenario(TWO_SITES)


@pytest.fixture(scope="module")
def two_sites_result(two_sites):
    return simulate(two_sites.to_model(), seed=3)


def queue(answer_within_s: float = 30.0) -> CenterModel:
    # busy enough that many callers wait between 10 and 30 s
    return CenterModel.single_queue(
        200, 47, Exponential(400), Exponential(300), intervals=4, answer_within_s=answer_within_s
    )


def test_default_targets_are_the_guarantees_in_facts_and_come_from_the_scenario_schema():
    by_metric = {t.metric: t for t in DEFAULT_TARGETS}
    assert list(by_metric) == ["service_level", "abandonment_rate", "asa_s", "aht_s", "occupancy"]
    assert (by_metric["service_level"].threshold, by_metric["service_level"].answer_within_s) == (0.80, 30.0)
    assert by_metric["abandonment_rate"].threshold == 0.03 and by_metric["asa_s"].threshold == 30.0
    assert by_metric["aht_s"].threshold == 400.0 and by_metric["occupancy"].threshold == 0.85
    assert by_metric["service_level"].direction == "at least"
    assert {by_metric[k].direction for k in ("abandonment_rate", "asa_s", "aht_s", "occupancy")} == {"at most"}
    assert targets_from(Targets()) == DEFAULT_TARGETS


def test_target_met_counts_equal_as_met_and_missing_as_no_verdict():
    at_least = Target("service_level", "SL", 0.8, "at least", "%")
    at_most = Target("asa_s", "ASA", 30.0, "at most", "s")
    assert at_least.met(0.8) and at_least.met(0.81) and not at_least.met(0.79)
    assert at_most.met(30.0) and at_most.met(2.0) and not at_most.met(30.01)
    assert at_least.met(float("nan")) is None and at_most.met(None) is None
    assert at_most.met(float("inf")) is False  # an endless ASA is a miss, not missing data
    assert at_least.text == "at least 80 %" and at_most.text == "at most 30 s"
    assert Target("abandonment_rate", "A", 0.025, "at most", "%").text == "at most 2.5 %"


def test_format_value():
    assert format_value(0.8192, "%") == "81.9 %"
    assert format_value(24.34, "s") == "24.3 s"
    assert format_value(0.8192, "%", 0.0123) == "81.9 ± 1.2 %"
    # the registry's words, as in the labs' tiles
    assert format_value(float("nan"), "%") == NO_DATA and format_value(float("inf"), "s") == ENDLESS
    assert format_value(None, "s") == NO_DATA
    # next to its target a value never looks equal to it when it is not
    assert format_value(0.85004, "%", threshold=0.85) == "85.004 %"
    assert format_value(0.8504, "%", threshold=0.85) == "85.04 %"
    assert format_value(0.85, "%", threshold=0.85) == "85.0 %"
    assert format_value(0.86, "%", threshold=0.85) == "86.0 %"
    assert format_value(29.96, "s", threshold=30) == "29.96 s"


def test_one_site_gives_the_overall_block_with_the_kpis_of_the_run():
    result = simulate(queue(), seed=5)
    card = scorecard(result)
    assert tuple(card.columns) == COLUMNS
    assert list(card["site"].unique()) == [ALL]
    s = summary(result, answer_within_s=30)
    for row in card.itertuples():
        assert row.result == pytest.approx(s[row.metric])
        target = next(t for t in DEFAULT_TARGETS if t.metric == row.metric)
        assert bool(row.met) == target.met(row.result)
        assert row.status == ("met" if row.met else "missed")
    assert card.attrs["answer_within_s"] == 30 and card.attrs["sl_definition"] == "offered"


def test_service_level_threshold_comes_from_the_target_not_the_model():
    result = simulate(queue(answer_within_s=10), seed=5)
    card = scorecard(result)
    sl = float(card.loc[card["metric"] == "service_level", "result"].iloc[0])
    assert sl == pytest.approx(summary(result, answer_within_s=30)["service_level"])
    assert sl != pytest.approx(summary(result)["service_level"])  # the model's 10 s gives another number
    # given explicitly, the caller's T wins and the label says so
    card20 = scorecard(result, answer_within_s=20)
    row = card20[card20["metric"] == "service_level"].iloc[0]
    assert row["result"] == pytest.approx(summary(result, answer_within_s=20)["service_level"])
    assert row["label"] == "Service level (20 s)"


def test_a_scenarios_targets_table_is_used(two_sites, two_sites_result):
    targets = two_sites.targets.model_copy(
        update={
            "service_level_share": 0.5,
            "answer_within_s": 60.0,
            "service_level_definition": "answered",
            "aht_s_max": 450.0,
        }
    )
    card = scorecard(two_sites_result, targets)
    sl = card[(card["site"] == ALL) & (card["metric"] == "service_level")].iloc[0]
    assert sl["target"] == 0.5 and sl["label"] == "Service level (60 s)"
    assert sl["result"] == pytest.approx(
        summary(two_sites_result, answer_within_s=60, sl_definition="answered")["service_level"]
    )
    assert card.attrs["sl_definition"] == "answered"
    aht = card[(card["site"] == ALL) & (card["metric"] == "aht_s")].iloc[0]
    assert aht["target"] == 450.0
    # a whole Scenario works too and means its own targets table
    assert scorecard(two_sites_result, two_sites).equals(scorecard(two_sites_result, two_sites.targets))


def test_per_site_blocks_match_the_kpis_by_site(two_sites_result):
    card = scorecard(two_sites_result)
    assert list(dict.fromkeys(card["site"])) == [ALL, "East", "West"]
    by_site = kpis(two_sites_result, by="site", answer_within_s=30)
    for row in card[card["site"] != ALL].itertuples():
        want = float(by_site.loc[row.site, row.metric])
        assert row.result == pytest.approx(want)
    assert len(card) == 3 * len(DEFAULT_TARGETS)
    only_all = scorecard(two_sites_result, by=None)
    assert list(only_all["site"].unique()) == [ALL]
    pd.testing.assert_frame_equal(
        only_all.reset_index(drop=True), card[card["site"] == ALL].reset_index(drop=True), check_like=True
    )


def test_by_call_type_has_no_occupancy_verdict(two_sites_result):
    card = scorecard(two_sites_result, by="call_type")
    names = {ct.name for ct in two_sites_result.model.call_types}
    assert "call_type" in card.columns and set(card["call_type"]) == {ALL} | names
    occ = card[(card["metric"] == "occupancy") & (card["call_type"] != ALL)]
    assert occ["result"].isna().all() and occ["met"].isna().all() and set(occ["status"]) == {"no data"}


def test_replications_by_site_agree_with_replicate_and_confidence_summary(two_sites):
    model = two_sites.to_model()
    reps = replicate_by_site(model, 4, seed=7, targets=two_sites)
    plain = replicate(model, 4, seed=7, progress=False)
    overall = reps.runs.xs(ALL, level=1)
    np.testing.assert_allclose(overall["service_level"].to_numpy(), plain.runs["service_level"].to_numpy())
    card = scorecard(reps, two_sites)
    assert {"ci95", "met_share"} <= set(card.columns)
    assert list(dict.fromkeys(card["site"])) == [ALL, "East", "West"]
    east = confidence_summary(reps.runs.xs("East", level=1))
    row = card[(card["site"] == "East") & (card["metric"] == "asa_s")].iloc[0]
    assert row["result"] == pytest.approx(east.loc["asa_s", "mean"]) and row["ci95"] == pytest.approx(
        east.loc["asa_s", "ci95"]
    )
    aht = reps.runs.xs("West", level=1)["aht_s"].to_numpy()
    row = card[(card["site"] == "West") & (card["metric"] == "aht_s")].iloc[0]
    assert row["met_share"] == pytest.approx(np.mean(aht <= 400))
    # the overall-only ReplicationResult gives the same overall block
    from_plain = scorecard(plain, two_sites)
    assert list(from_plain["site"].unique()) == [ALL]
    np.testing.assert_allclose(from_plain["result"].to_numpy(), card[card["site"] == ALL]["result"].to_numpy())


def test_any_executor_gives_the_same_numbers():
    model = queue()
    a = replicate_by_site(model, 3, seed=2)
    with ThreadPoolExecutor(2) as pool:
        b = replicate_by_site(model, 3, seed=2, executor=pool)
    pd.testing.assert_frame_equal(a.runs, b.runs)
    assert a.replications == 3


def test_a_process_pool_gives_the_same_numbers():
    from concurrent.futures import ProcessPoolExecutor

    model = queue()
    with ProcessPoolExecutor(2) as pool:
        b = replicate_by_site(model, 2, seed=4, executor=pool)
    pd.testing.assert_frame_equal(replicate_by_site(model, 2, seed=4).runs, b.runs)


def test_replications_run_with_another_threshold_are_refused():
    rep = replicate(queue(), 2, seed=1, progress=False, answer_within_s=20)
    with pytest.raises(CcsimInputError) as e:
        scorecard(rep)
    assert "20 s" in str(e.value) and "\n" not in str(e.value)
    assert scorecard(rep, answer_within_s=20)["ci95"].notna().all()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(result="nope"), "result"),
        (dict(by="agent"), "by"),
        (dict(targets=42), "targets"),
        (dict(answer_within_s=-1), "answer_within_s"),
        (dict(sl_definition="soon"), "sl_definition"),
    ],
)
def test_bad_input_is_one_sentence(kwargs, field):
    result = kwargs.pop("result", None) or simulate(queue(), seed=1)
    with pytest.raises(CcsimInputError) as e:
        scorecard(result, **kwargs)
    assert e.value.field == field and "\n" not in str(e.value)


def test_text_has_a_block_per_site_with_values_and_words(two_sites_result):
    card = scorecard(two_sites_result)
    text = scorecard_text(card)
    lines = text.splitlines()
    assert lines[0] == "All sites" and "East" in lines and "West" in lines
    for row in card.itertuples():
        assert format_value(row.result, row.unit, threshold=row.target) in text
    body = [ln for ln in lines if ln.startswith("  ") and "metric" not in ln]
    assert len(body) == len(card)
    assert [ln.split()[-1] for ln in body] == list(card["status"])


def test_text_with_replications_shows_plus_minus_and_runs_met():
    card = scorecard(replicate_by_site(queue(), 3, seed=2))
    text = scorecard_text(card)
    assert "mean ± 95% CI" in text and "runs met" in text and text.count("±") >= len(card) + 1


def test_target_labels_and_units_are_the_registrys():
    for target in targets_from(Targets(answer_within_s=20)):
        k = KPIS[target.metric]
        assert target.unit == k.unit
        expected = f"{k.label} (20 s)" if target.metric == "service_level" else k.label
        assert target.label == expected


def test_scorecard_carries_the_results_sentences():
    overloaded = simulate(CenterModel.single_queue(400, 10, Exponential(400), None, intervals=2), seed=1)
    assert overloaded.warnings, "10 agents cannot take 400 calls of 400 s per half hour"
    assert scorecard(overloaded).attrs["warnings"] == tuple(overloaded.warnings)
    reps = replicate_by_site(CenterModel.single_queue(400, 10, Exponential(400), None, intervals=2), 2, seed=1)
    assert isinstance(reps.warnings, tuple) and scorecard(reps).attrs["warnings"] == reps.warnings
    assert scorecard(simulate(queue(), seed=1)).attrs["warnings"] == ()


# ----------------------------------------------------------------------------------------------
# member journeys: the FCR row


@pytest.fixture(scope="module")
def two_sites_members(two_sites):
    """The two-site scenario over 4 days with members who call again (a 2-day look-back)."""
    scenario = two_sites.updated(
        {
            "horizon": {"days": 4},
            "journeys": {"lookback_days": 2, "redial_share": 0.5, "return_share": 0.9, "recontact_share": 0.05},
            "targets": {"fcr_share": 0.9},
        }
    )
    return scenario, simulate(scenario.to_model(), seed=5)


def test_fcr_row_per_site_and_overall_with_journeys(two_sites_members):
    from ccsim.metrics.journeys import journey_kpis

    scenario, result = two_sites_members
    card = scorecard(result, scenario)
    fcr = card[card["metric"] == "fcr"].set_index("site")
    assert list(fcr.index) == [ALL, "East", "West"]
    assert list(card[card["site"] == ALL]["metric"])[-1] == "fcr"  # after the guarantees
    assert set(fcr["target"]) == {0.9} and set(fcr["direction"]) == {"at least"} and set(fcr["unit"]) == {"%"}
    assert fcr.loc[ALL, "result"] == journey_kpis(result)["fcr"]
    by_site = journey_kpis(result, by="site")
    for site in ("East", "West"):
        assert fcr.loc[site, "result"] == by_site.loc[site, "fcr"]
        assert fcr.loc[site, "status"] == ("met" if by_site.loc[site, "fcr"] >= 0.9 else "missed")
    assert fcr.loc[ALL, "label"] == "First-contact resolution"
    assert "First-contact resolution" in scorecard_text(card)
    # the default target is 85 %; a list of targets is taken as it is (no FCR row added)
    default = scorecard(result)
    assert default[default["metric"] == "fcr"]["target"].tolist() == [0.85] * 3
    assert "fcr" not in set(scorecard(result, list(DEFAULT_TARGETS))["metric"])


def test_no_fcr_row_without_journeys(two_sites_result):
    assert "fcr" not in set(scorecard(two_sites_result)["metric"])
    fcr_only = [Target("fcr", "First-contact resolution", 0.85, "at least", "%")]
    card = scorecard(two_sites_result, fcr_only, by=None)
    assert list(card["status"]) == ["no data"]  # asked for, but the run has no member journeys


def test_fcr_row_from_replications_is_the_mean_of_the_runs(two_sites_members):
    from ccsim.metrics.journeys import JOURNEY_KEYS, journey_kpis

    scenario, _ = two_sites_members
    model = scenario.to_model()
    reps = replicate_by_site(model, 3, seed=2, targets=scenario, workers=1)
    card = scorecard(reps, scenario)
    fcr = card[card["metric"] == "fcr"].set_index("site")
    seeds = np.random.SeedSequence(2).spawn(3)
    runs = [simulate(model, ss) for ss in seeds]
    assert fcr.loc[ALL, "result"] == pytest.approx(np.mean([journey_kpis(r)["fcr"] for r in runs]), rel=1e-12)
    west = [journey_kpis(r, by="site").loc["West", "fcr"] for r in runs]
    assert fcr.loc["West", "result"] == pytest.approx(np.mean(west), rel=1e-12)
    assert fcr.loc["West", "met_share"] == pytest.approx(np.mean([w >= 0.9 for w in west]))
    overall = replicate(model, 3, seed=2, progress=False, workers=1)
    assert list(overall.runs.columns)[-len(JOURNEY_KEYS) :] == list(JOURNEY_KEYS)
    assert overall.summary.loc["fcr", "mean"] == pytest.approx(fcr.loc[ALL, "result"], rel=1e-12)
    assert overall.summary.loc["fcr", "ci95"] > 0
    assert list(scorecard(overall, scenario)["metric"])[-1] == "fcr"
