"""KPIs computed from a simulation's logs, overall or per interval, call type, site or agent group.

Every KPI names its definition (times in seconds, rates 0–1, T = ``answer_within_s``):

* ``calls`` – callers offered (every caller who arrived during the horizon).
* ``answered``, ``abandoned``, ``unanswered`` – callers by outcome (they add up to ``calls``);
  *unanswered* callers were still waiting when the drain time after the day ran out.
* ``service_level`` – under the named :class:`~ccsim.service_level.SLDefinition`
  (default *offered*: answered within T / offered). A caller answered after exactly T counts as within T;
  *short abandons* are callers who hung up after waiting at most T.
* ``asa_s`` – average speed of answer: mean wait of answered callers.
* ``abandonment_rate`` – abandoned / offered.
* ``aht_s`` – average handle time (talk plus wrap-up) of answered calls.
* ``occupancy`` – seconds agents spent handling calls / seconds agents were on duty, both counted
  within the interval (a call crossing an interval boundary is split between intervals). Overall:
  over the horizon only (the time to empty the queue after the day is left out).
* ``p_wait`` – share of offered callers who waited more than 0 seconds (the Erlang "probability of waiting").
* ``mean_wait_s`` – mean wait of all offered callers (answered, abandoned and unanswered: the time each spent in the queue).
* ``max_wait_s`` – longest wait of any offered caller.

Example::

    >>> from ccsim.model import CenterModel
    >>> from ccsim.distributions import Exponential
    >>> from ccsim.engine import simulate
    >>> result = simulate(CenterModel.single_queue(100, 14, Exponential(180), Exponential(120), intervals=2), seed=1)
    >>> s = summary(result, answer_within_s=20)
    >>> s["calls"] == s["answered"] + s["abandoned"] + s["unanswered"]
    True
    >>> list(kpis(result, by="interval").index)
    [0, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import SimulationResult, seconds_per_interval
from .errors import CcsimInputError, check_number
from .service_level import SLDefinition, parse_sl_definition, service_level_from_counts

__all__ = ["BY", "KPI_NAMES", "kpis", "summary"]

KPI_NAMES: tuple[str, ...] = (
    "calls",
    "answered",
    "abandoned",
    "unanswered",
    "service_level",
    "asa_s",
    "abandonment_rate",
    "aht_s",
    "occupancy",
    "p_wait",
    "mean_wait_s",
    "max_wait_s",
)
"""The KPI columns of :func:`kpis` and keys of :func:`summary`, in order."""

BY: tuple[str, ...] = ("interval", "call_type", "site", "agent_group")
"""What :func:`kpis` can break the figures down by (besides ``None``: one row, "all")."""

_COUNTS = ("calls", "answered", "abandoned", "unanswered")


def _caller_table(result: SimulationResult, answer_within_s: float) -> pd.DataFrame:
    c = result.contacts
    outcome = c["outcome"]
    answered = (outcome == "answered").to_numpy()
    abandoned = (outcome == "abandoned").to_numpy()
    wait = c["wait_s"].to_numpy()
    return pd.DataFrame(
        {
            "calls": np.ones(len(c), dtype=np.int64),
            "answered": answered.astype(np.int64),
            "abandoned": abandoned.astype(np.int64),
            "unanswered": (outcome == "unanswered").to_numpy().astype(np.int64),
            "answered_within": (answered & (wait <= answer_within_s)).astype(np.int64),
            "abandoned_within": (abandoned & (wait <= answer_within_s)).astype(np.int64),
            "waited": (wait > 0).astype(np.int64),
            "wait_s": wait,
            "answered_wait_s": np.where(answered, wait, np.nan),
            "handle_time_s": c["handle_time_s"].to_numpy(),
        },
        index=c.index,
    )


def _aggregate(table: pd.DataFrame, keys: object | None, sl: SLDefinition) -> pd.DataFrame:
    """Caller-side KPIs per group of ``keys`` (None: one group)."""
    sums = ["calls", "answered", "abandoned", "unanswered", "answered_within", "abandoned_within", "waited"]
    if keys is None:
        s = table[sums].sum().to_frame().T
        m = table[["answered_wait_s", "handle_time_s", "wait_s"]].mean().to_frame().T
        mx = table[["wait_s"]].max().to_frame().T
        s.index = m.index = mx.index = pd.Index(["all"])
    else:
        g = table.groupby(keys, observed=False, sort=True)
        s = g[sums].sum()
        m = g[["answered_wait_s", "handle_time_s", "wait_s"]].mean()
        mx = g[["wait_s"]].max()
    out = pd.DataFrame(index=s.index)
    for name in _COUNTS:
        out[name] = s[name].astype(np.int64)
    offered = s["calls"].to_numpy(dtype=float)
    out["service_level"] = [
        service_level_from_counts(offered=o, answered=a, answered_within=aw, abandoned_within=bw, definition=sl)
        for o, a, aw, bw in zip(offered, s["answered"], s["answered_within"], s["abandoned_within"])
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["asa_s"] = m["answered_wait_s"].to_numpy()
        out["abandonment_rate"] = np.where(offered > 0, s["abandoned"].to_numpy() / np.where(offered > 0, offered, 1), np.nan)
        out["aht_s"] = m["handle_time_s"].to_numpy()
        out["occupancy"] = np.nan
        out["p_wait"] = np.where(offered > 0, s["waited"].to_numpy() / np.where(offered > 0, offered, 1), np.nan)
    out["mean_wait_s"] = m["wait_s"].to_numpy()
    out["max_wait_s"] = mx["wait_s"].to_numpy()
    return out


def _busy_s_per_interval(contacts: pd.DataFrame, interval_s: float, intervals: int) -> np.ndarray:
    a = contacts[contacts["agent"] >= 0]
    return seconds_per_interval(a["answer_s"].to_numpy(), a["end_s"].to_numpy(), interval_s, intervals)


def _staffed_s_per_interval(on_duty: pd.DataFrame, interval_s: float, intervals: int) -> np.ndarray:
    return seconds_per_interval(on_duty["start_s"].to_numpy(), on_duty["end_s"].to_numpy(), interval_s, intervals)


def _ratio(busy: float, staffed: float) -> float:
    return float(busy) / float(staffed) if staffed > 0 else float("nan")


def kpis(
    result: SimulationResult,
    *,
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition = "offered",
    by: str | None = None,
) -> pd.DataFrame:
    """KPIs (columns :data:`KPI_NAMES`, definitions in the module docstring) of one simulation run.

    ``by``: None → one row, indexed "all"; ``"interval"`` → one row per interval of the horizon
    (callers by the interval they arrived in; occupancy from the time worked and staffed within it);
    ``"call_type"`` / ``"site"`` → callers of each call type / calling each site (occupancy only by
    site: the agents at that site); ``"agent_group"`` → the calls each group answered (``answered``,
    ``asa_s``, ``aht_s``, ``occupancy``; offered-based figures are NaN because callers are offered to
    the center, not to a group). ``answer_within_s`` (T, seconds) defaults to the model's.
    """
    if not isinstance(result, SimulationResult):
        raise CcsimInputError("result", type(result).__name__, "a SimulationResult from ccsim.engine.simulate")
    model = result.model
    t = model.answer_within_s if answer_within_s is None else check_number("answer_within_s", answer_within_s, low=0)
    sl = parse_sl_definition(sl_definition)
    if by is not None and by not in BY:
        raise CcsimInputError("by", by, f"None or one of {', '.join(BY)}")
    table = _caller_table(result, t)
    contacts, interval_s, intervals = result.contacts, model.interval_s, model.intervals
    if by is None:
        out = _aggregate(table, None, sl)
        busy = _busy_s_per_interval(contacts, interval_s, intervals).sum()
        out["occupancy"] = _ratio(busy, result.staffed_s_per_interval.sum())
    elif by == "interval":
        key = pd.Categorical(contacts["interval"].to_numpy(), categories=range(intervals))
        out = _aggregate(table, key, sl)
        out.index = pd.Index(range(intervals), name="interval")
        busy = _busy_s_per_interval(contacts, interval_s, intervals)
        staffed = result.staffed_s_per_interval
        with np.errstate(invalid="ignore", divide="ignore"):
            out["occupancy"] = np.where(staffed > 0, busy / np.where(staffed > 0, staffed, 1), np.nan)
    elif by in ("call_type", "site"):
        out = _aggregate(table, contacts[by], sl)
        out.index.name = by
        if by == "site":
            agent_site = _agent_site(result)
            for site in out.index:
                mine = contacts[(contacts["agent"] >= 0) & (agent_site.reindex(contacts["agent"]).to_numpy() == site)]
                busy = _busy_s_per_interval(mine, interval_s, intervals).sum()
                staffed = _staffed_s_per_interval(result.on_duty[result.on_duty["site"] == site], interval_s, intervals).sum()
                out.loc[site, "occupancy"] = _ratio(busy, staffed)
    else:  # agent_group
        answered_by = contacts["agent_group"]
        out = _aggregate(table, answered_by, sl)
        out.index.name = by
        for name in ("calls", "abandoned", "unanswered"):
            out[name] = out[name].astype(float)
        for name in ("calls", "abandoned", "unanswered", "service_level", "abandonment_rate", "p_wait", "mean_wait_s", "max_wait_s"):
            out[name] = np.nan
        for group in out.index:
            busy = _busy_s_per_interval(contacts[answered_by == group], interval_s, intervals).sum()
            staffed = _staffed_s_per_interval(result.on_duty[result.on_duty["agent_group"] == group], interval_s, intervals).sum()
            out.loc[group, "occupancy"] = _ratio(busy, staffed)
    out = out[list(KPI_NAMES)]
    out.attrs.update(answer_within_s=t, sl_definition=sl.value)
    return out


def _agent_site(result: SimulationResult) -> pd.Series:
    duty = result.on_duty.drop_duplicates("agent")
    return pd.Series(duty["site"].astype(str).to_numpy(), index=duty["agent"].to_numpy())


def summary(
    result: SimulationResult,
    *,
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition = "offered",
) -> dict[str, float]:
    """The overall KPIs of one run as ``{name: value}`` (definitions in the module docstring)."""
    row = kpis(result, answer_within_s=answer_within_s, sl_definition=sl_definition).iloc[0]
    return {name: float(row[name]) for name in KPI_NAMES}
