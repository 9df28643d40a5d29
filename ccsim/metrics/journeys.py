"""Member-journey KPIs: what happened to members' issues over days, not to single calls.

Each member calls with one *issue*; an issue may take several *contacts* (calls) before it is
resolved. The figures, with the issue table (``result.issues``, one row per issue) and the contacts
log of a run with journeys (``CenterModel.journeys`` set); times inside in seconds, W = the model's
``journeys.lookback_days``:

* ``issues`` – issues opened during the run (one per member's first contact).
* ``fcr`` – first-contact resolution with a look-back window of W days: over the issues whose first
  contact an agent answered, the share with **no further contact within W days** of that first
  contact's arrival (``next_contact_s - opened_s > W``). What the member did, not what the agent
  marked. An issue opened less than W days before the run stopped taking calls (``result.horizon_s``)
  was followed for less than W days: its window does not fit. Rather than count it as resolved
  (too high) or leave it out (the late days lost), the share is a Kaplan–Meier (life-table)
  estimate of P(no further contact within W days), each issue followed from its first contact until
  its next contact or the end of the calls, whichever comes first. When every window fits this is
  exactly the plain share; it is how a 30-day run still gives a 30-day FCR. Past the longest
  follow-up the estimate stays flat (no more repeat contacts are assumed), which is fair for at most
  a day (:data:`FCR_FLAT_DAYS`: calls come in by day); when no issue of a group was followed for at
  least W minus that day (e.g. by day: issues opened on the last days of a run), FCR is NaN ("no data").
* ``fcr_window_days`` – W, the look-back window in days.
* ``fcr_agent_reported`` – over the same issues, the share the agent marked resolved at the end of
  the first contact (``resolved_on_first_contact``). The two differ both ways: it counts a resolution
  that did not hold (the member called again within W days) as resolved, and an issue the agent left
  unresolved as unresolved even when the member did not call again within W days (gave up, or came
  back later). ``fcr_agent_reported - fcr`` is the first share less the second.
* ``repeat_contact_rate`` – contacts that were not an issue's first (``contact_seq > 1``: redials,
  returns, chases, recontacts) over all contacts.
* ``contacts_per_issue`` – contacts (calls, including self-served ones) per issue.
* ``handoffs_per_100_issues`` – warm transfers plus back-office hand-offs per 100 issues.
* ``consults_per_100_issues`` – consults (the agent stays on the line with a specialist) per 100 issues.
* ``member_minutes_per_issue`` – minutes a member spent in the voice menu, waiting and talking, per issue.
* ``days_to_resolution_mean``, ``_median``, ``_p90`` – days from the first contact's arrival to the
  resolution, over resolved issues (the 90th percentile interpolates linearly between issues).
* ``open_issues``, ``open_issue_share`` – issues still open when the run ended, as a count and a share of issues.

By site, day, persona, reason or call type: the issue's, which are those of its first contact.

Example::

    >>> import pandas as pd
    >>> issues = pd.DataFrame({"issue_id": [0, 1], "opened_s": [0.0, 0.0], "next_contact_s": [float("nan"), 3600.0],
    ...     "first_contact_answered": [True, True], "resolved_on_first_contact": [True, True]})
    >>> fcr_estimate(issues, horizon_s=40 * 86400.0, window_days=30)
    0.5
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError, check_number
from ccsim.simulation.members import DAY_S

__all__ = [
    "FCR_FLAT_DAYS",
    "JOURNEY_BY",
    "JOURNEY_KEYS",
    "fcr_estimate",
    "has_journeys",
    "journey_kpis",
    "journey_kpis_from",
    "no_journey_kpis",
]

JOURNEY_KEYS: tuple[str, ...] = (
    "issues",
    "fcr",
    "fcr_window_days",
    "fcr_agent_reported",
    "repeat_contact_rate",
    "contacts_per_issue",
    "handoffs_per_100_issues",
    "consults_per_100_issues",
    "member_minutes_per_issue",
    "days_to_resolution_mean",
    "days_to_resolution_median",
    "days_to_resolution_p90",
    "open_issues",
    "open_issue_share",
)
"""The keys of :func:`journey_kpis`, in the order of :data:`ccsim.metrics.registry.KPIS`."""

JOURNEY_BY: tuple[str, ...] = ("site", "day", "persona", "reason", "call_type")
"""What :func:`journey_kpis` can break the figures down by (the issue's, i.e. its first contact's)."""

_COUNT_KEYS = ("issues", "open_issues")

FCR_FLAT_DAYS = 1.0
"""How many days short of the window the longest follow-up may be, the FCR estimate staying flat
beyond it; shorter follow-up gives NaN."""


def has_journeys(result: Any) -> bool:
    """Whether ``result`` (a SimulationResult) comes from a model with member journeys (it has an issue table)."""
    return getattr(result, "issues", None) is not None and getattr(result.model, "journeys", None) is not None


def no_journey_kpis() -> dict[str, Any]:
    """Every journey key with None: what a report says for a run without journeys."""
    return dict.fromkeys(JOURNEY_KEYS)


def fcr_estimate(issues: pd.DataFrame, *, horizon_s: float, window_days: float) -> float:
    """Kaplan–Meier estimate of the share of answered first contacts with no further contact within ``window_days``.

    ``issues`` needs ``opened_s``, ``next_contact_s`` (NaN when none followed) and
    ``first_contact_answered``; each issue is followed from ``opened_s`` to ``horizon_s`` seconds (when the
    run stopped taking calls). When every issue was followed for at least the window, this is exactly
    the plain share; NaN when no first contact was answered, or when no issue was followed for at least
    the window less :data:`FCR_FLAT_DAYS`.
    """
    answered = issues[issues["first_contact_answered"].to_numpy(dtype=bool)]
    n = len(answered)
    if n == 0:
        return math.nan
    window_s = float(window_days) * DAY_S
    opened = answered["opened_s"].to_numpy(dtype=float)
    gap = answered["next_contact_s"].to_numpy(dtype=float) - opened  # NaN: no further contact
    event = ~np.isnan(gap) & (gap <= window_s)
    follow = horizon_s - opened
    if bool((follow >= window_s).all()):  # every window fits: the plain share
        return float(n - int(event.sum())) / n
    if float(follow.max()) < window_s - FCR_FLAT_DAYS * DAY_S:  # the estimate would stay flat too long
        return math.nan
    time = np.where(event, gap, np.minimum(follow, window_s))
    ordered = np.sort(time)
    times, deaths = np.unique(time[event], return_counts=True)
    at_risk = n - np.searchsorted(ordered, times, side="left")  # censored at t are still at risk at t
    return float(np.prod(1.0 - deaths / at_risk))


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if flags.size else math.nan


def _group_kpis(issues: pd.DataFrame, seq: np.ndarray, horizon_s: float, window_days: float) -> dict[str, Any]:
    """The journey KPIs of one group of issues and the ``contact_seq`` of their contacts."""
    n = len(issues)
    per100 = 100.0 / n if n else math.nan
    answered = issues["first_contact_answered"].to_numpy(dtype=bool)
    days = issues["days_to_resolution"].to_numpy(dtype=float)
    days = days[~np.isnan(days)]
    open_ = int((issues["status"].astype(str) == "open").sum())
    handoffs = issues["transfers"].sum() + issues["back_office_handoffs"].sum()
    return {
        "issues": n,
        "fcr": fcr_estimate(issues, horizon_s=horizon_s, window_days=window_days),
        "fcr_window_days": float(window_days),
        "fcr_agent_reported": _share(issues["resolved_on_first_contact"].to_numpy(dtype=bool)[answered]),
        "repeat_contact_rate": _share(seq > 1),
        "contacts_per_issue": float(issues["contacts"].mean()) if n else math.nan,
        "handoffs_per_100_issues": float(handoffs) * per100,
        "consults_per_100_issues": float(issues["consults"].sum()) * per100,
        "member_minutes_per_issue": float(issues["member_minutes"].mean()) if n else math.nan,
        "days_to_resolution_mean": float(days.mean()) if days.size else math.nan,
        "days_to_resolution_median": float(np.median(days)) if days.size else math.nan,
        "days_to_resolution_p90": float(np.percentile(days, 90)) if days.size else math.nan,
        "open_issues": open_,
        "open_issue_share": open_ / n if n else math.nan,
    }


@overload
def journey_kpis_from(
    issues: pd.DataFrame, contacts: pd.DataFrame, *, horizon_s: float, window_days: float = ..., by: None = None
) -> dict[str, Any]: ...
@overload
def journey_kpis_from(
    issues: pd.DataFrame, contacts: pd.DataFrame, *, horizon_s: float, window_days: float = ..., by: str
) -> pd.DataFrame: ...
def journey_kpis_from(
    issues: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    horizon_s: float,
    window_days: float = 30.0,
    by: str | None = None,
) -> dict[str, Any] | pd.DataFrame:
    """:func:`journey_kpis` from the tables themselves: the issue table, the contacts log (``issue_id``,
    ``contact_seq``), ``horizon_s`` (seconds: when calls stopped) and the look-back ``window_days``."""
    check_number("window_days", window_days, low=0, low_open=True)
    if by is not None and by not in JOURNEY_BY:
        raise CcsimInputError("by", by, f"None or one of {', '.join(JOURNEY_BY)}")
    seq = contacts["contact_seq"].to_numpy()
    if by is None:
        return _group_kpis(issues, seq, horizon_s, window_days)
    group_of = pd.Series(issues[by].to_numpy(), index=issues["issue_id"].to_numpy())
    contact_group = group_of.reindex(contacts["issue_id"].to_numpy()).to_numpy()
    keys = issues[by]
    names = list(keys.cat.categories) if isinstance(keys.dtype, pd.CategoricalDtype) else sorted(set(keys))
    rows = {}
    for name in names:
        mine = (keys == name).to_numpy()
        if not mine.any():
            continue
        rows[name] = _group_kpis(issues[mine], seq[contact_group == name], horizon_s, window_days)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(JOURNEY_KEYS))
    out.index.name = by
    for key in _COUNT_KEYS:
        out[key] = out[key].astype(np.int64)
    return out


@overload
def journey_kpis(result: Any, by: None = None) -> dict[str, Any]: ...
@overload
def journey_kpis(result: Any, by: str) -> pd.DataFrame: ...
def journey_kpis(result: Any, by: str | None = None) -> dict[str, Any] | pd.DataFrame:
    """The member-journey KPIs of one run with journeys (keys :data:`JOURNEY_KEYS`, definitions in the module docstring).

    ``by`` None → ``{key: value}``; ``"site"``, ``"day"``, ``"persona"``, ``"reason"`` or ``"call_type"`` → a DataFrame
    with one row per group (the issue's, i.e. its first contact's) and the keys as columns. FCR uses the
    model's look-back window (``journeys.lookback_days``) and a Kaplan–Meier estimate for issues opened
    less than the window before the calls stopped (see :func:`fcr_estimate`).
    """
    if not has_journeys(result):
        raise CcsimInputError(
            "result",
            "a run without member journeys",
            "a SimulationResult of a model with journeys (CenterModel.journeys)",
        )
    return journey_kpis_from(
        result.issues,
        result.contacts,
        horizon_s=float(result.horizon_s),
        window_days=float(result.model.journeys.lookback_days),
        by=by,
    )
