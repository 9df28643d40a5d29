"""KPIs computed from a simulation's logs, overall or per interval, call type, site or agent group.

Every KPI names its definition (times in seconds, rates 0–1, T = ``answer_within_s``):

* ``calls`` – callers offered to the queues: every caller who arrived during the horizon, except those
  the voice menu resolved (``self_service``). Each caller counts once, however often transferred:
  the figures below describe each caller's first queue (the contacts log's first leg).
* ``answered``, ``abandoned``, ``unanswered`` – callers by outcome (they add up to ``calls``);
  *answered* includes callers called back (outcome *callback*: an accepted call-back is a kept
  promise, not an abandon); *unanswered* callers were still waiting when the drain time after the day ran out.
* ``service_level`` – under the named :class:`~ccsim.analytics.service_level.SLDefinition`
  (default *offered*: answered within T / offered). A caller answered after exactly T counts as within T;
  *short abandons* are callers who hung up after waiting at most T. A called-back caller's wait is the
  time from joining the queue to being called back, so call-backs rarely count as within T.
* ``asa_s`` – average speed of answer: mean wait of answered callers (call-backs included, as above).
* ``abandonment_rate`` – abandoned / offered.
* ``aht_s`` – average handle time (talk plus wrap-up) of answered calls (by agent group: of every
  leg, transferred-in calls included, that the group answered).
* ``occupancy`` – seconds agents spent handling calls (every leg, transferred calls included) /
  seconds agents were on duty, both counted within the interval (a call crossing an interval
  boundary is split between intervals). Overall: over the horizon only (the time to empty the
  queue after the day is left out). By site: the agents at that site; by agent group: that group's agents.
* ``p_wait`` – share of offered callers who waited more than 0 seconds (the Erlang "probability of waiting").
* ``mean_wait_s`` – mean wait of all offered callers (answered, abandoned and unanswered: the time each spent in the queue).
* ``max_wait_s`` – longest wait of any offered caller.
* ``self_service`` – callers resolved by the voice menu (never queued; not in ``calls``).
* ``callbacks`` – callers called back after accepting a call-back offer (also counted in ``answered``).
* ``transfers_per_contact`` – transfers to another queue / offered callers.
* ``handoffs`` – contacts handed off to a back office after their last call.

Example::

    >>> from ccsim.simulation.model import CenterModel
    >>> from ccsim.simulation.distributions import Exponential
    >>> from ccsim.simulation.engine import simulate
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

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition, service_level_from_counts
from ccsim.errors import CcsimInputError, check_number
from ccsim.simulation.engine import SimulationResult, seconds_per_interval

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
    "self_service",
    "callbacks",
    "transfers_per_contact",
    "handoffs",
)
"""The KPI columns of :func:`kpis` and keys of :func:`summary`, in the order of :data:`ccsim.metrics.registry.KPIS`
(where each has its label, unit and definition)."""

BY: tuple[str, ...] = ("interval", "call_type", "site", "agent_group", "queue")
"""What :func:`kpis` can break the figures down by (besides ``None``: one row, "all")."""

_COUNTS = ("calls", "answered", "abandoned", "unanswered")


def _caller_table(log: pd.DataFrame, answer_within_s: float) -> pd.DataFrame:
    """Per-row indicators of the contacts log (or the legs log) that the KPIs add up."""
    outcome = log["outcome"]
    callback = (outcome == "callback").to_numpy()
    answered = (outcome == "answered").to_numpy() | callback
    abandoned = (outcome == "abandoned").to_numpy()
    self_served = (outcome == "self_service").to_numpy()
    queued = ~self_served
    wait = np.where(queued, log["wait_s"].to_numpy(dtype=float), np.nan)
    # older logs (or logs made by hand) may lack the transfer columns: no transfers then
    if "transfers" in log:
        transfers = log["transfers"].to_numpy()
    elif "transferred" in log:
        transfers = log["transferred"].to_numpy().astype(np.int64)
    else:
        transfers = np.zeros(len(log), dtype=np.int64)
    handoffs = log["handoff"].to_numpy().astype(np.int64) if "handoff" in log else np.zeros(len(log), dtype=np.int64)
    return pd.DataFrame(
        {
            "calls": queued.astype(np.int64),
            "answered": answered.astype(np.int64),
            "abandoned": abandoned.astype(np.int64),
            "unanswered": (outcome == "unanswered").to_numpy().astype(np.int64),
            "answered_within": (answered & (wait <= answer_within_s)).astype(np.int64),
            "abandoned_within": (abandoned & (wait <= answer_within_s)).astype(np.int64),
            "waited": (wait > 0).astype(np.int64),
            "self_service": self_served.astype(np.int64),
            "callbacks": callback.astype(np.int64),
            "transfers": np.asarray(transfers, dtype=np.int64),
            "handoffs": handoffs,
            "wait_s": wait,
            "answered_wait_s": np.where(answered, wait, np.nan),
            "handle_time_s": log["handle_time_s"].to_numpy(),
        },
        index=log.index,
    )


def _aggregate(table: pd.DataFrame, keys: pd.Series | None, sl: SLDefinition) -> pd.DataFrame:
    """Caller-side KPIs per group of ``keys`` (None: one group)."""
    sums = [
        "calls",
        "answered",
        "abandoned",
        "unanswered",
        "answered_within",
        "abandoned_within",
        "waited",
        "self_service",
        "callbacks",
        "transfers",
        "handoffs",
    ]
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
        for o, a, aw, bw in zip(offered, s["answered"], s["answered_within"], s["abandoned_within"], strict=True)
    ]
    safe = np.where(offered > 0, offered, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["asa_s"] = m["answered_wait_s"].to_numpy()
        out["abandonment_rate"] = np.where(offered > 0, s["abandoned"].to_numpy() / safe, np.nan)
        out["aht_s"] = m["handle_time_s"].to_numpy()
        out["occupancy"] = np.nan
        out["p_wait"] = np.where(offered > 0, s["waited"].to_numpy() / safe, np.nan)
    out["mean_wait_s"] = m["wait_s"].to_numpy()
    out["max_wait_s"] = mx["wait_s"].to_numpy()
    out["self_service"] = s["self_service"].astype(np.int64)
    out["callbacks"] = s["callbacks"].astype(np.int64)
    out["transfers_per_contact"] = np.where(offered > 0, s["transfers"].to_numpy() / safe, np.nan)
    out["handoffs"] = s["handoffs"].astype(np.int64)
    return out


def _busy_s_per_interval(calls: pd.DataFrame, interval_s: float, intervals: int) -> np.ndarray:
    a = calls[calls["agent"] >= 0]
    return seconds_per_interval(a["answer_s"].to_numpy(), a["end_s"].to_numpy(), interval_s, intervals)


def _staffed_s_per_interval(on_duty: pd.DataFrame, interval_s: float, intervals: int) -> np.ndarray:
    return seconds_per_interval(on_duty["start_s"].to_numpy(), on_duty["end_s"].to_numpy(), interval_s, intervals)


def _ratio(busy: float, staffed: float) -> float:
    return float(busy) / float(staffed) if staffed > 0 else float("nan")


_OFFERED_BASED = (
    "calls",
    "abandoned",
    "unanswered",
    "service_level",
    "abandonment_rate",
    "p_wait",
    "mean_wait_s",
    "max_wait_s",
    "self_service",
    "transfers_per_contact",
)
"""KPIs counted over callers offered to the center: not defined for an agent group."""


def _by_interval(result: SimulationResult, table: pd.DataFrame, sl: SLDefinition) -> pd.DataFrame:
    """Callers by the interval they arrived in; occupancy from the time worked and staffed within each interval."""
    model, contacts = result.model, result.contacts
    key = pd.Series(
        pd.Categorical(contacts["interval"].to_numpy(), categories=range(model.intervals)), index=contacts.index
    )
    out = _aggregate(table, key, sl)
    out.index = pd.Index(range(model.intervals), name="interval")
    busy = _busy_s_per_interval(result.busy_calls(), model.interval_s, model.intervals)
    staffed = result.staffed_s_per_interval
    with np.errstate(invalid="ignore", divide="ignore"):
        out["occupancy"] = np.where(staffed > 0, busy / np.where(staffed > 0, staffed, 1), np.nan)
    return out


def _site_occupancy(result: SimulationResult, sites: list[str]) -> list[float]:
    """Occupancy of the agents at each site (calls counted where they were served)."""
    model, busy_calls = result.model, result.busy_calls()
    if "served_site" in busy_calls:
        served_site = busy_calls["served_site"].astype(str).to_numpy()
    else:
        duty = result.on_duty.drop_duplicates("agent")
        site_of = pd.Series(duty["site"].astype(str).to_numpy(), index=duty["agent"].to_numpy())
        served_site = site_of.reindex(busy_calls["agent"].to_numpy()).to_numpy()
    out = []
    for site in sites:
        busy = _busy_s_per_interval(busy_calls[served_site == site], model.interval_s, model.intervals).sum()
        on_duty = result.on_duty[result.on_duty["site"] == site]
        out.append(_ratio(busy, _staffed_s_per_interval(on_duty, model.interval_s, model.intervals).sum()))
    return out


def _by_agent_group(result: SimulationResult, t: float, sl: SLDefinition) -> pd.DataFrame:
    """Every leg each group answered (transferred-in calls included); offered-based KPIs NaN."""
    model, legs, busy_calls = result.model, result.legs, result.busy_calls()
    out = _aggregate(_caller_table(legs, t), legs["agent_group"], sl)
    out.index.name = "agent_group"
    for name in _OFFERED_BASED:
        out[name] = np.nan
    for group in out.index:
        busy = _busy_s_per_interval(busy_calls[busy_calls["agent_group"] == group], model.interval_s, model.intervals)
        on_duty = result.on_duty[result.on_duty["agent_group"] == group]
        staffed = _staffed_s_per_interval(on_duty, model.interval_s, model.intervals)
        out.loc[group, "occupancy"] = _ratio(busy.sum(), staffed.sum())
    return out


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
    site: the agents at that site); ``"agent_group"`` → the calls (legs, transferred-in calls included) each
    group answered (``answered``, ``callbacks``, ``handoffs``, ``asa_s``, ``aht_s``, ``occupancy``;
    offered-based figures are NaN because callers are offered to the center, not to a group);
    ``"queue"`` → every call offered to each skill queue (:attr:`~ccsim.simulation.engine.SimulationResult.legs`:
    a transferred caller counts in each queue it joins; ``transfers_per_contact`` is then the share of
    the queue's calls transferred onwards; occupancy NaN, as agents may serve several queues). ``answer_within_s`` (T, seconds) defaults to the model's.
    """
    if not isinstance(result, SimulationResult):
        raise CcsimInputError(
            "result", type(result).__name__, "a SimulationResult from ccsim.simulation.engine.simulate"
        )
    model = result.model
    t = model.answer_within_s if answer_within_s is None else check_number("answer_within_s", answer_within_s, low=0)
    sl = parse_sl_definition(sl_definition)
    if by is not None and by not in BY:
        raise CcsimInputError("by", by, f"None or one of {', '.join(BY)}")
    table = _caller_table(result.contacts, t)
    if by is None:
        out = _aggregate(table, None, sl)
        busy = _busy_s_per_interval(result.busy_calls(), model.interval_s, model.intervals).sum()
        out["occupancy"] = _ratio(busy, result.staffed_s_per_interval.sum())
    elif by == "interval":
        out = _by_interval(result, table, sl)
    elif by in ("call_type", "site"):
        out = _aggregate(table, result.contacts[by], sl)
        out.index.name = by
        if by == "site":
            out["occupancy"] = _site_occupancy(result, list(out.index))
    elif by == "queue":  # every leg offered to each skill queue, transferred-in calls included
        legs = result.legs
        out = _aggregate(_caller_table(legs, t), legs["queue"], sl)
        out.index.name = by
        out["self_service"] = np.nan
    else:
        out = _by_agent_group(result, t, sl)
    out = out[list(KPI_NAMES)]
    out.attrs.update(answer_within_s=t, sl_definition=sl.value)
    return out


def summary(
    result: SimulationResult,
    *,
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition = "offered",
) -> dict[str, float]:
    """The overall KPIs of one run as ``{name: value}`` (definitions in the module docstring)."""
    row = kpis(result, answer_within_s=answer_within_s, sl_definition=sl_definition).iloc[0]
    return {name: float(row[name]) for name in KPI_NAMES}
