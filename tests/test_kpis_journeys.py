"""Member-journey KPIs on real runs: the issue table and the contacts log agree, and FCR's look-back edge works.

The hand-made tables of tests/test_journey_kpis.py check each formula; here the engine's own logs go
through them: contacts add up per issue, days to resolution are the issue's times, and the
Kaplan–Meier FCR of a run cut short recovers the FCR the longer run measured with every window fitting.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim.metrics.journeys import JOURNEY_KEYS, fcr_estimate, journey_kpis
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.members import DAY_S

JOURNEYS = {"lookback_days": 3, "redial_share": 0.6, "return_share": 0.9, "recontact_share": 0.1}


@pytest.fixture(scope="module")
def run12():
    """The classroom over 12 days with members who call again (3-day look-back; returns after ~2 days)."""
    scenario = load_preset("classroom").updated(
        {
            "horizon": {"days": 12},
            "journeys": JOURNEYS,
            "call_types": [
                {
                    "name": "calls",
                    "volume_share": 1.0,
                    "handle_time": {"kind": "exponential", "mean_s": 240},
                    "patience": {"kind": "exponential", "mean_s": 300},
                    "resolution_share": 0.8,
                }
            ],
        }
    )
    return simulate(scenario.to_model(), seed=7)


def test_issue_table_and_contacts_log_agree(run12):
    issues, contacts = run12.issues, run12.contacts
    k = journey_kpis(run12)
    assert list(k) == list(JOURNEY_KEYS) and k["issues"] == len(issues)
    assert issues["contacts"].sum() == len(contacts)  # every contact belongs to one issue
    repeats = (contacts["contact_seq"] > 1).sum()
    assert k["repeat_contact_rate"] == repeats / len(contacts)
    assert repeats == len(contacts) - len(issues)  # each issue has exactly one first contact
    assert k["contacts_per_issue"] == pytest.approx(len(contacts) / len(issues))
    assert 0.05 < k["repeat_contact_rate"] < 0.5
    resolved = issues[issues["status"] == "resolved"]
    np.testing.assert_allclose(
        resolved["days_to_resolution"], (resolved["resolved_s"] - resolved["opened_s"]) / DAY_S, rtol=1e-12
    )
    assert k["open_issues"] + len(resolved) == len(issues)
    assert k["days_to_resolution_median"] <= k["days_to_resolution_p90"]
    # an issue's next contact is its second contact's arrival
    second = contacts[contacts["contact_seq"] == 2].set_index("issue_id")["arrival_s"]
    np.testing.assert_allclose(issues.set_index("issue_id").loc[second.index, "next_contact_s"], second)
    assert issues["next_contact_s"].notna().sum() == len(second)
    # the two FCRs differ both ways: marked resolved but the member called again within W (recontacts), and
    # not marked resolved but no further contact within W (the member gave up, or returned later)
    fits = issues[issues["first_contact_answered"] & (issues["opened_s"] <= run12.horizon_s - 3 * DAY_S)]
    again = (fits["next_contact_s"] - fits["opened_s"] <= 3 * DAY_S).to_numpy()
    marked = fits["resolved_on_first_contact"].to_numpy()
    assert (marked & again).sum() > 0 and (~marked & ~again).sum() > 0
    assert 0.5 < k["fcr"] < 1 and 0.5 < k["fcr_agent_reported"] < 1


def test_by_day_and_persona_add_up(run12):
    k = journey_kpis(run12)
    by_day = journey_kpis(run12, by="day")
    assert list(by_day.index) == list(range(12)) and by_day["issues"].sum() == k["issues"]
    assert by_day["open_issues"].sum() == k["open_issues"]
    # the last days' issues were followed for less than W - 1 day: no FCR for them
    last = run12.horizon_s
    followed = (last - by_day.index.to_numpy() * DAY_S) / DAY_S
    assert by_day["fcr"].isna().tolist() == (followed < 2.0).tolist()  # W - 1 day = 2 days
    assert by_day["fcr"].iloc[:10].notna().all() and by_day["fcr"].iloc[-1:].isna().all()
    persona = journey_kpis(run12, by="persona")
    assert persona["issues"].sum() == k["issues"]


def test_fcr_of_a_run_cut_short_recovers_the_full_window_share(run12):
    """Cut the 12-day run after day 5: issues of its last 3 days no longer have their whole window.
    Their Kaplan–Meier FCR is close to the plain share the full run measured for the same issues,
    while counting every issue without a further contact yet as resolved would be too high."""
    issues, w = run12.issues, 3 * DAY_S
    cut = 5 * DAY_S + 16 * 3600.0  # day 5's calls stop at 16:00
    early = issues[issues["opened_s"] < cut].copy()
    truth = early[early["first_contact_answered"]]
    full = float(np.mean(~(truth["next_contact_s"] - truth["opened_s"] <= w)))  # every window fits in 12 days
    early["next_contact_s"] = early["next_contact_s"].where(early["next_contact_s"] < cut)
    km = fcr_estimate(early, horizon_s=cut, window_days=3)
    answered = early[early["first_contact_answered"]]
    naive = float(np.mean(~(answered["next_contact_s"] - answered["opened_s"] <= w)))
    assert abs(km - full) < 0.015, (km, full)
    assert naive - full > 2 * abs(km - full), (naive, km, full)
    # and with the whole run the estimate uses the same rule: all windows of days 0-8 fit
    assert not math.isnan(journey_kpis(run12)["fcr"])
