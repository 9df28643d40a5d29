"""What per-call records say about a center: handle time, patience, staffing and the observed service.

Methods (each number's rule; times in seconds):

- **Observed service**: service level = calls answered within 30 s over calls offered; ASA = mean
  wait of the answered calls; abandonment = abandoned over offered.
- **Handle time**: mean and coefficient of variation (standard deviation over mean) of the answered
  calls' ``handle_s``; the distribution is the one a scenario accepts that fits best: fixed when the
  cv is below 0.05, else exponential or lognormal, whichever has the higher maximum log-likelihood
  (the scenario keeps the measured mean and cv).
- **Patience**: exponential, estimated by maximum likelihood with right censoring: a caller who hung
  up after waiting w showed patience w; an answered caller who waited w showed patience of more than
  w (censored). The estimate is abandoned calls over the total waiting time of all callers
  (mean patience = total wait / abandoned); the Kaplan–Meier curve of the same data gives the
  median patience as a check on the exponential's shape (an exponential's median is 0.69 × its mean).
- **Agents on the phones**: agents seen in the records overstate staffing (an agent who took one call
  in an interval may have spent the rest on other work), so the staffing is what the waits imply:
  for each weekday and interval of the day, pooled over its open days, the fewest agents, at least
  the handled work (handle seconds answered in the interval over its length), with whom Erlang A
  (the interval's mean calls, the measured handle time and patience) answers at least the observed
  share within 30 s (an observed 100% counts as 1 − 0.5 / calls: the fewest agents consistent with it),
  interpolated between whole agents. Erlang A is a steady state with exponential handle times; the
  calibrated scenario's day has peaks and its own handle-time shape, so
  :func:`ccsim.calibration.calibrated.fit_staffing` then scales every interval by one factor, found
  by bisection on simulations of the scenario, so its service level matches the observed one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.calibration.profile import Profile, profile_from_counts
from ccsim.calibration.records import CallRecords
from ccsim.scenario.fields import WEEKDAYS

__all__ = [
    "ANSWER_WITHIN_S",
    "INTERVAL_MIN",
    "Calibration",
    "HandleFit",
    "calibrate",
    "fit_handle_time",
    "patience_mle",
]

ANSWER_WITHIN_S = 30.0
INTERVAL_MIN = 30
"""Intervals of the calibrated scenario, minutes."""
PATIENCE_METHOD = (
    "exponential maximum likelihood with the answered callers' waits as right-censored observations "
    "(abandoned calls over total waiting time); Kaplan-Meier median as a check"
)
STAFFING_METHOD = (
    "per weekday and interval of the day: the fewest agents, at least the handled work, with whom Erlang A "
    "(the interval's calls, the measured handle time and patience) answers the observed share within 30 s; "
    "then one factor for every interval, found by simulating the scenario, so its service level matches the observed"
)


@dataclass
class HandleFit:
    """Handle time: measured mean and cv of the answered calls, and the kind that fits (seconds)."""

    mean_s: float
    cv: float
    kind: str
    loglik_per_call: dict[str, float] = field(default_factory=dict)

    def table(self) -> dict[str, Any]:
        """The scenario's ``handle_time`` table."""
        if self.kind == "lognormal":
            return {"kind": "lognormal", "mean_s": round(self.mean_s, 1), "cv": round(self.cv, 3)}
        return {"kind": self.kind, "mean_s": round(self.mean_s, 1)}


def fit_handle_time(handle_s: np.ndarray) -> HandleFit:
    """Mean, cv and best-fitting kind (fixed, exponential or lognormal) of handle times above 0 (seconds)."""
    x = handle_s[handle_s > 0]
    mean = float(x.mean())
    cv = float(x.std(ddof=1) / mean) if len(x) > 1 else 0.0
    if cv < 0.05:
        return HandleFit(mean, cv, "fixed")
    logs = np.log(x)
    sigma = float(logs.std())
    ll_exp = -(math.log(mean) + 1.0)
    ll_logn = -float(logs.mean()) - math.log(max(sigma, 1e-12)) - 0.5 * math.log(2 * math.pi) - 0.5
    kind = "lognormal" if ll_logn > ll_exp else "exponential"
    return HandleFit(mean, cv, kind, {"exponential": ll_exp, "lognormal": ll_logn})


def patience_mle(wait_s: np.ndarray, answered: np.ndarray) -> float | None:
    """Mean patience (s), exponential MLE with answered waits censored: total wait of all callers / abandoned calls; None with no abandons."""
    abandoned = int((~answered).sum())
    if abandoned == 0:
        return None
    return float(wait_s.sum() / abandoned)


def km_median(wait_s: np.ndarray, answered: np.ndarray) -> float | None:
    """The Kaplan–Meier median patience (s), or None when fewer than half the callers' patience ran out in the data."""
    from scipy.stats import CensoredData, ecdf

    if answered.all():
        return None
    data = CensoredData(uncensored=wait_s[~answered], right=wait_s[answered])
    sf = ecdf(data).sf
    below = np.flatnonzero(sf.probabilities <= 0.5)
    return float(sf.quantiles[below[0]]) if len(below) else None


@dataclass
class Calibration:
    """What :func:`calibrate` measured and estimated; see the module docstring for the methods."""

    calls: int
    days: int
    profile: Profile
    handle: HandleFit
    patience_mean_s: float | None
    patience_median_km_s: float | None
    service_level: float
    asa_s: float
    abandonment_rate: float
    agents: list[float]
    """Agents on the phones per interval of the day, mean over the open days."""
    staff_factors: dict[str, float]
    """Weekday → agents that weekday over the mean day (like the calls' weekday factors)."""
    agents_seen: list[float] | None
    """Distinct agents answering in each interval of the day, mean over the open days (None without ``agent``)."""
    staffed_mean: float
    seen_mean: float | None
    name: str = ""
    day_calls: list[int] = field(default_factory=list)
    """Calls offered on each day (0 = the first date)."""
    day_within: list[int] = field(default_factory=list)
    """Calls answered within 30 s on each day."""
    staffing_scale: float = 1.0
    """The factor applied to the Erlang A staffing so a simulation matches the observed service level (1: none)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON keys of ``ccsim calibrate``."""
        p = self.profile
        return {
            "calls": self.calls,
            "days": self.days,
            "open_days": p.open_days,
            "first_day": p.first_day,
            "handle_time": {"mean_s": self.handle.mean_s, "cv": self.handle.cv, "kind": self.handle.kind},
            "patience_mean_s": self.patience_mean_s,
            "patience_method": PATIENCE_METHOD,
            "patience_median_km_s": self.patience_median_km_s,
            "service_level": self.service_level,
            "answer_within_s": ANSWER_WITHIN_S,
            "asa_s": self.asa_s,
            "abandonment_rate": self.abandonment_rate,
            "calls_per_day_mean": p.calls_per_day_mean,
            "weekday_factors": p.weekday_factors,
            "interval_min": p.interval_min,
            "profile": p.to_json()["profile"],
            "agents": [
                {"time": p.time(k), "on_phones": a, "seen": None if self.agents_seen is None else self.agents_seen[k]}
                for k, a in enumerate(self.agents)
            ],
            "agents_on_phones_mean": self.staffed_mean,
            "agents_seen_mean": self.seen_mean,
            "staffing_method": STAFFING_METHOD,
            "staffing_scale": self.staffing_scale,
        }


def _fewest_agents(calls: float, work: float, aht: float, patience: float | None, target: float) -> float:
    """Agents (at least the work, in Erlangs) whose Erlang A (or C) service level reaches ``target``, interpolated
    between the last whole number short of it and the first that reaches it."""
    interval_s = INTERVAL_MIN * 60.0

    def sl(n: int) -> float:
        if patience is None:
            if n <= calls * aht / interval_s:
                return 0.0
            return erlang_c(calls, interval_s, aht, n, answer_within_s=ANSWER_WITHIN_S).service_level
        return erlang_a(calls, interval_s, aht, n, patience, answer_within_s=ANSWER_WITHIN_S).service_level

    lo = max(1, math.floor(work))
    if sl(lo) >= target:
        return float(lo)
    hi = lo + 1
    while sl(hi) < target and hi < 100_000:
        lo, hi = hi, lo + 2 * (hi - lo) + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if sl(mid) < target else (lo, mid)
    below, above = sl(lo), sl(hi)
    return lo + (target - below) / (above - below) if above > below else float(hi)


def _agents_by_weekday(
    r: CallRecords, p: Profile, aht: float, patience: float | None, open_days: np.ndarray
) -> np.ndarray:
    """Agents on the phones for each weekday (rows, Monday first; NaN without open days) and interval of the profile."""
    lo = p.start_min // INTERVAL_MIN
    n = len(p.calls_mean)
    slot = np.floor(r.minute / INTERVAL_MIN).astype(np.int64) - lo
    weekday = (WEEKDAYS.index(p.first_weekday) + r.day) % 7
    keep = open_days[r.day] & (slot >= 0) & (slot < n)
    key = (weekday * n + slot)[keep]
    within = (r.answered & (r.wait_s <= ANSWER_WITHIN_S))[keep]
    calls = np.bincount(key, minlength=7 * n).reshape(7, n)
    ok = np.bincount(key, weights=within, minlength=7 * n).reshape(7, n)
    work = np.bincount(key, weights=np.where(r.answered, r.handle_s, 0.0)[keep], minlength=7 * n).reshape(7, n)
    day_weekday = (WEEKDAYS.index(p.first_weekday) + np.arange(len(open_days))) % 7
    n_days = np.bincount(day_weekday[open_days], minlength=7)
    out = np.full((7, n), np.nan)
    for w in range(7):
        if n_days[w] == 0:
            continue
        for s in range(n):
            c = calls[w, s]
            if c == 0:
                out[w, s] = 0.0
                continue
            target = min(ok[w, s] / c, 1.0 - 0.5 / c)
            out[w, s] = _fewest_agents(
                c / n_days[w], work[w, s] / n_days[w] / (INTERVAL_MIN * 60.0), aht, patience, target
            )
    return out


def _agents_seen(r: CallRecords, p: Profile, open_days: np.ndarray) -> list[float] | None:
    if r.agent is None:
        return None
    lo = p.start_min // INTERVAL_MIN
    n = len(p.calls_mean)
    slot = np.floor(r.minute / INTERVAL_MIN).astype(np.int64) - lo
    keep = r.answered & (slot >= 0) & (slot < n)
    frame = pd.DataFrame({"day": r.day[keep], "slot": slot[keep], "agent": r.agent[keep]})
    distinct = frame.groupby(["day", "slot"])["agent"].nunique()
    grid = np.zeros((len(open_days), n))
    grid[distinct.index.get_level_values(0), distinct.index.get_level_values(1)] = distinct.to_numpy()
    return [float(x) for x in grid[open_days].mean(axis=0)]


def calibrate(r: CallRecords) -> Calibration:
    """Measure and estimate everything :class:`Calibration` holds from per-call records."""
    calls = np.ones(len(r))
    p = profile_from_counts(r.minute, r.day, calls, INTERVAL_MIN, r.first_day)
    handle = fit_handle_time(r.handle_s[r.answered])
    patience = patience_mle(r.wait_s, r.answered)
    open_days = np.ones(p.days, dtype=bool)
    open_days[[d - 1 for d in p.closed_days]] = False
    by_weekday = _agents_by_weekday(r, p, handle.mean_s, patience, open_days)
    day_weekday = (WEEKDAYS.index(p.first_weekday) + np.arange(p.days)) % 7
    n_days = np.bincount(day_weekday[open_days], minlength=7).astype(float)
    present = n_days > 0
    template = (np.nan_to_num(by_weekday[present]) * n_days[present, None]).sum(axis=0) / n_days.sum()
    day_total = template.sum()
    staff_factors: dict[str, float] = {
        WEEKDAYS[w]: float(np.nansum(by_weekday[w]) / day_total) for w in range(7) if present[w] and day_total > 0
    }
    seen = _agents_seen(r, p, open_days)
    within = r.answered & (r.wait_s <= ANSWER_WITHIN_S)
    answered = r.answered
    n = len(r)
    return Calibration(
        calls=n,
        days=p.days,
        profile=p,
        handle=handle,
        patience_mean_s=patience,
        patience_median_km_s=km_median(r.wait_s, answered),
        service_level=float(within.sum() / n),
        asa_s=float(r.wait_s[answered].mean()) if answered.any() else math.nan,
        abandonment_rate=float((~answered).sum() / n),
        agents=[float(a) for a in template],
        staff_factors=staff_factors,
        agents_seen=seen,
        staffed_mean=float(template.mean()),
        seen_mean=None if seen is None else float(np.mean(seen)),
        name=r.name,
        day_calls=[int(x) for x in np.bincount(r.day, minlength=p.days)],
        day_within=[int(x) for x in np.bincount(r.day, weights=within, minlength=p.days)],
    )
