"""Member-journey KPIs on hand-made issue and contact tables: every key computed by hand, FCR's look-back edge.

The tables have the columns of the engine contract (``result.issues``, and ``issue_id`` / ``contact_seq``
in the contacts log), so these checks hold whatever engine made them; tests/test_journey_runs.py checks
real runs.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ccsim.errors import CcsimInputError
from ccsim.metrics.journeys import (
    JOURNEY_BY,
    JOURNEY_KEYS,
    fcr_estimate,
    has_journeys,
    journey_kpis,
    journey_kpis_from,
    no_journey_kpis,
)
from ccsim.metrics.registry import KPIS
from ccsim.simulation.members import DAY_S

NAN = math.nan
H = 3600.0


def issue_table() -> pd.DataFrame:
    """Five issues, followed for 40 days (every 30-day window fits).

    0: answered, resolved in 10 minutes, no more calls.
    1: answered, agent marked resolved, but the member called again 2 days later (2 more calls); a
       warm transfer and a back-office hand-off; resolved on day 5.
    2: answered, not resolved on the call (a consult), next call 31 days later: outside the window.
    3: first call abandoned; one redial; still open.
    4: answered, left unresolved, no more calls before the end; open.
    """
    return pd.DataFrame(
        {
            "issue_id": [0, 1, 2, 3, 4],
            "member_id": [10, 11, 12, 13, 14],
            "persona": pd.Categorical(["adult", "adult", "senior", "senior", "adult"], categories=["adult", "senior"]),
            "reason": ["billing", "claims", "billing", "claims", "billing"],
            "call_type": ["general", "claims", "general", "claims", "general"],
            "site": ["east", "east", "west", "west", "west"],
            "day": [0, 0, 1, 1, 2],
            "opened_s": [0.0, H, DAY_S, DAY_S + H, 2 * DAY_S],
            "contacts": [1, 3, 2, 2, 1],
            "transfers": [0, 1, 0, 0, 0],
            "consults": [0, 0, 1, 0, 0],
            "back_office_handoffs": [0, 1, 0, 0, 0],
            "member_minutes": [10.0, 30.0, 20.0, 5.0, 15.0],
            "first_contact_answered": [True, True, True, False, True],
            "resolved_on_first_contact": [True, True, False, False, False],
            "next_contact_s": [NAN, H + 2 * DAY_S, DAY_S + 31 * DAY_S, DAY_S + H + 1800, NAN],
            "resolved_s": [600.0, H + 5 * DAY_S, 32 * DAY_S, NAN, NAN],
            "days_to_resolution": [600 / DAY_S, 5.0, 31.0, NAN, NAN],
            "status": pd.Categorical(
                ["resolved", "resolved", "resolved", "open", "open"], categories=["resolved", "open"]
            ),
        }
    )


def contact_table(issues: pd.DataFrame) -> pd.DataFrame:
    """Each issue's contacts, numbered 1, 2, ... (contact_seq)."""
    rows = [(i, s) for i, n in zip(issues["issue_id"], issues["contacts"], strict=True) for s in range(1, n + 1)]
    return pd.DataFrame(rows, columns=["issue_id", "contact_seq"])


HORIZON_S = 40 * DAY_S


def test_every_key_by_hand():
    issues = issue_table()
    k = journey_kpis_from(issues, contact_table(issues), horizon_s=HORIZON_S, window_days=30)
    assert list(k) == list(JOURNEY_KEYS)
    resolved_days = [600 / DAY_S, 5.0, 31.0]
    expected = {
        "issues": 5,
        "fcr": 3 / 4,  # answered 0, 1, 2, 4; only issue 1 called again within 30 days
        "fcr_window_days": 30.0,
        "fcr_agent_reported": 2 / 4,  # 0 and 1 marked resolved
        "repeat_contact_rate": 4 / 9,  # 9 contacts, 4 of them not an issue's first
        "contacts_per_issue": 9 / 5,
        "handoffs_per_100_issues": 100 * 2 / 5,  # issue 1's warm transfer and hand-off
        "consults_per_100_issues": 100 * 1 / 5,
        "member_minutes_per_issue": 80 / 5,
        "days_to_resolution_mean": sum(resolved_days) / 3,
        "days_to_resolution_median": 5.0,
        "days_to_resolution_p90": 5.0 + 0.8 * (31.0 - 5.0),  # 90 % of the way over 3 values: 1.8 → between 2nd and 3rd
        "open_issues": 2,
        "open_issue_share": 2 / 5,
    }
    for key, value in expected.items():
        assert k[key] == pytest.approx(value, rel=1e-12), key
    assert isinstance(k["issues"], int) and isinstance(k["open_issues"], int)


def test_by_site_by_hand():
    issues = issue_table()
    t = journey_kpis_from(issues, contact_table(issues), horizon_s=HORIZON_S, by="site")
    assert list(t.index) == ["east", "west"] and t.index.name == "site" and list(t.columns) == list(JOURNEY_KEYS)
    east, west = t.loc["east"], t.loc["west"]
    assert (east["issues"], west["issues"]) == (2, 3)
    assert (east["fcr"], west["fcr"]) == (0.5, 1.0)
    assert (east["fcr_agent_reported"], west["fcr_agent_reported"]) == (1.0, 0.0)
    assert east["repeat_contact_rate"] == pytest.approx(2 / 4) and west["repeat_contact_rate"] == pytest.approx(2 / 5)
    assert east["contacts_per_issue"] == 2.0 and west["contacts_per_issue"] == pytest.approx(5 / 3)
    assert (east["handoffs_per_100_issues"], west["handoffs_per_100_issues"]) == (100.0, 0.0)
    assert west["consults_per_100_issues"] == pytest.approx(100 / 3)
    assert east["member_minutes_per_issue"] == 20.0 and west["member_minutes_per_issue"] == pytest.approx(40 / 3)
    low = 600 / DAY_S
    assert east["days_to_resolution_mean"] == pytest.approx((low + 5) / 2)
    assert east["days_to_resolution_p90"] == pytest.approx(low + 0.9 * (5 - low))
    assert west["days_to_resolution_median"] == west["days_to_resolution_p90"] == 31.0
    assert (east["open_issues"], west["open_issues"]) == (0, 2) and west["open_issue_share"] == pytest.approx(2 / 3)


def test_by_persona_day_and_reason_add_up_to_the_whole():
    issues = issue_table()
    contacts = contact_table(issues)
    for by in JOURNEY_BY:
        t = journey_kpis_from(issues, contacts, horizon_s=HORIZON_S, by=by)
        assert t["issues"].sum() == 5 and t["open_issues"].sum() == 2, by
        assert (t["contacts_per_issue"] * t["issues"]).sum() == pytest.approx(9), by
        assert t.index.name == by
    by_persona = journey_kpis_from(issues, contacts, horizon_s=HORIZON_S, by="persona")
    assert list(by_persona.index) == ["adult", "senior"]
    assert by_persona.loc["senior", "fcr"] == 1.0  # issue 2 only (3 was not answered)
    assert by_persona.loc["adult", "fcr"] == pytest.approx(2 / 3)  # 0, 1, 4
    by_day = journey_kpis_from(issues, contacts, horizon_s=HORIZON_S, by="day")
    assert list(by_day.index) == [0, 1, 2]
    assert math.isnan(by_day.loc[2, "days_to_resolution_mean"])  # issue 4 is open
    assert by_day.loc[1, "repeat_contact_rate"] == pytest.approx(2 / 4)


def test_a_contact_exactly_w_days_later_is_within_the_window():
    issues = pd.DataFrame(
        {
            "opened_s": [0.0, 0.0],
            "next_contact_s": [30 * DAY_S, 30 * DAY_S + 1],
            "first_contact_answered": [True, True],
        }
    )
    assert fcr_estimate(issues, horizon_s=31 * DAY_S, window_days=30) == 0.5


def test_kaplan_meier_by_hand_when_windows_do_not_fit():
    """W = 10 days, calls stop on day 12. Gaps (days; * = a further contact): A 3*, B none (followed 12),
    C none (followed 7), D 4*, E none (followed 4, still at risk at 4), F 9*.
    At 3: 6 at risk, 1 → 5/6; at 4: 5 at risk (B, C, D, E, F), 1 → 4/5; at 9: B, F at risk, 1 → 1/2. S = 1/3."""
    opened = np.array([0, 0, 5, 6, 8, 1]) * DAY_S
    gap = np.array([3, NAN, NAN, 4, NAN, 9]) * DAY_S
    issues = pd.DataFrame({"opened_s": opened, "next_contact_s": opened + gap, "first_contact_answered": True})
    assert fcr_estimate(issues, horizon_s=12 * DAY_S, window_days=10) == pytest.approx(1 / 3, rel=1e-12)
    # the plain share would have said 3/6: the issues followed briefly count as resolved too soon
    # calls stop on day 8 (F's call on day 10 never happened): the longest follow-up is 8 days, less than
    # W - 1 day, and the flat estimate past it would be a guess: no data
    early = issues.assign(next_contact_s=np.where(issues["next_contact_s"] < 8 * DAY_S, issues["next_contact_s"], NAN))
    assert math.isnan(fcr_estimate(early, horizon_s=8 * DAY_S, window_days=10))
    # calls stop on day 9 = W - 1 day: B is followed 9 days. E (followed 1 day) is no longer at risk at 3,
    # D is censored at 3 (still at risk): A's call is the only one, 1 of 5 at risk
    assert fcr_estimate(early, horizon_s=9 * DAY_S, window_days=10) == pytest.approx(4 / 5, rel=1e-12)
    unanswered = issues.assign(first_contact_answered=False)
    assert math.isnan(fcr_estimate(unanswered, horizon_s=12 * DAY_S, window_days=10))


def kaplan_meier_reference(opened, next_contact, horizon_s, window_s):
    """A textbook product-limit estimate, one event time at a time (the check of the vectorised one)."""
    gap = next_contact - opened
    event = ~np.isnan(gap) & (gap <= window_s)
    time = np.where(event, gap, np.minimum(horizon_s - opened, window_s))
    s = 1.0
    for t in sorted(set(time[event])):
        s *= 1 - (event & (time == t)).sum() / (time >= t).sum()
    return s


@pytest.mark.parametrize("seed", range(5))
def test_kaplan_meier_is_the_plain_share_when_every_window_fits(seed):
    rng = np.random.default_rng(seed)
    n = 2000
    opened = rng.uniform(0, 20 * DAY_S, n)
    gap = np.where(rng.random(n) < 0.3, rng.exponential(10 * DAY_S, n), NAN)
    horizon = 50 * DAY_S
    next_contact = np.where(opened + gap < horizon, opened + gap, NAN)
    issues = pd.DataFrame({"opened_s": opened, "next_contact_s": next_contact, "first_contact_answered": True})
    plain = float(np.mean(~(next_contact - opened <= 30 * DAY_S)))
    assert fcr_estimate(issues, horizon_s=horizon, window_days=30) == plain  # exactly
    assert kaplan_meier_reference(opened, next_contact, horizon, 30 * DAY_S) == pytest.approx(plain, rel=1e-12)
    # calls stop earlier: some windows no longer fit; the vectorised estimate is still the textbook one
    early = 35 * DAY_S
    cut = np.where(next_contact < early, next_contact, NAN)
    issues = issues.assign(next_contact_s=cut)
    km = fcr_estimate(issues, horizon_s=early, window_days=30)
    assert km == pytest.approx(kaplan_meier_reference(opened, cut, early, 30 * DAY_S), rel=1e-12)
    naive = float(np.mean(~(cut - opened <= 30 * DAY_S)))
    assert km < naive  # issues followed less than 30 days no longer count as resolved
    assert abs(km - plain) < 0.05  # and the estimate recovers the full-window share


def test_journey_kpis_reads_the_result_and_its_window():
    issues = issue_table()
    journeys = SimpleNamespace(lookback_days=1.0)
    result = SimpleNamespace(
        issues=issues, contacts=contact_table(issues), horizon_s=HORIZON_S, model=SimpleNamespace(journeys=journeys)
    )
    assert has_journeys(result)
    k = journey_kpis(result)
    # with a 1-day window, issue 1's call 2 days later is outside it: every answered first contact counts
    assert k["fcr_window_days"] == 1.0 and k["fcr"] == 1.0 and k["fcr_agent_reported"] == 0.5
    assert journey_kpis(result, by="site").loc["east", "fcr"] == 1.0
    no = SimpleNamespace(
        issues=None, contacts=contact_table(issues), horizon_s=HORIZON_S, model=SimpleNamespace(journeys=None)
    )
    assert not has_journeys(no)
    with pytest.raises(CcsimInputError, match=r"^result: .*journeys"):
        journey_kpis(no)
    with pytest.raises(CcsimInputError, match=r"^by: 'agent_group' is not allowed; use None or one of site, day"):
        journey_kpis(result, by="agent_group")
    assert no_journey_kpis() == dict.fromkeys(JOURNEY_KEYS)


def test_an_empty_group_of_issues_has_no_rates():
    issues = issue_table().iloc[:0]
    k = journey_kpis_from(issues, contact_table(issues), horizon_s=HORIZON_S)
    assert k["issues"] == 0 and k["open_issues"] == 0
    assert all(math.isnan(k[key]) for key in JOURNEY_KEYS if key not in ("issues", "open_issues", "fcr_window_days"))


def test_every_key_is_in_the_registry_with_a_definition():
    for key in JOURNEY_KEYS:
        k = KPIS[key]
        assert k.definition and k.label and k.css
    assert [k for k in KPIS if k in JOURNEY_KEYS] == list(JOURNEY_KEYS)
    assert "Kaplan–Meier" in KPIS["fcr"].definition and "W days" in KPIS["fcr"].definition
    assert "did not hold" in KPIS["fcr_agent_reported"].definition
    assert KPIS["member_minutes_per_issue"].format(12.34) == "12.3 min"
    assert KPIS["days_to_resolution_p90"].format(4.26) == "4.3 days"
    assert KPIS["days_to_resolution_mean"].axis_label == "Days to resolution (mean) (days)"
