"""The scorecard: each guarantee and target against its level, met or missed, per site and for all sites.

The plan's performance guarantees (shared/reference/facts.md; money at risk): service level 80%
answered within 30 s, abandonment < 3%, ASA < 30 s (and, with member journeys, first-contact
resolution 85%). Targets without a guarantee: AHT < 400 s and occupancy. Column ``guaranteed`` says
which is which (:data:`ccsim.metrics.targets.GUARANTEED_METRICS`); :func:`scorecard_text` marks the
guarantees with an asterisk, as the plan's dashboard does.
The numbers live in one place, :class:`ccsim.scenario.Targets` (its defaults, or a scenario's
``[targets]`` table); :func:`targets_from` turns them into :class:`Target` rows and
:data:`DEFAULT_TARGETS` is ``targets_from(Targets())`` (both in :mod:`ccsim.metrics.targets`).
A run with member journeys gets one more row, first-contact resolution *at least*
``targets.fcr_share`` (default 85 %; the look-back FCR of :mod:`ccsim.metrics.journeys`), per site too.

How each is judged (a value equal to the threshold counts as met, as in the labs' tiles):

* service level, *at least* the share (T and the service-level definition come from the target,
  not from the model);
* abandonment, ASA and AHT, *at most* the threshold;
* occupancy: the scorecard's ``occupancy`` is **busy occupancy** (the industry's: talk and after-call
  work over logged-in time), a target kept *at most* the level, never a guarantee. Above it agents
  have no breathing room between calls (burnout, turnover at $10,000–20,000 a leaver) and queues
  grow fast; below it is a cost question, not a broken promise (the same rule as
  ``ccsim staff --max-occupancy``). The plan's own "occupancy 85%" is a different measure, in-seat
  occupancy (waiting, talking or wrapping up over *scheduled* time, :mod:`ccsim.metrics.occupancy`),
  something to reach; lab 03 shows the two side by side.

Sites: callers count at the site they called (``contacts['site']``), wherever they were answered;
occupancy counts the agents at that site. With one site the scorecard has only the "all" block.

Example::

    >>> from ccsim.scenario import load_preset
    >>> from ccsim.simulation.engine import simulate
    >>> result = simulate(load_preset("classroom").to_model(), seed=1)
    >>> card = scorecard(result)
    >>> list(card["metric"])
    ['service_level', 'abandonment_rate', 'asa_s', 'aht_s', 'occupancy']
    >>> sorted(set(card["status"]) - {"met", "missed"})
    []
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition
from ccsim.errors import CcsimInputError, check_number
from ccsim.metrics.journeys import JOURNEY_KEYS, has_journeys, journey_kpis
from ccsim.metrics.kpis import KPI_NAMES, kpis
from ccsim.metrics.registry import format_quantity
from ccsim.metrics.replications import (
    ProgressFn,
    ReplicationResult,
    check_run_inputs,
    confidence_summary,
    run_seeded,
    unique_sentences,
)
from ccsim.metrics.targets import DEFAULT_TARGETS, Target, fcr_target, target_text, targets_from
from ccsim.simulation.engine import SimulationResult, simulate
from ccsim.simulation.model import CenterModel

__all__ = [
    "ALL",
    "COLUMNS",
    "DEFAULT_TARGETS",
    "SiteReplications",
    "Target",
    "fcr_target",
    "format_value",
    "replicate_by_site",
    "scorecard",
    "scorecard_text",
    "target_text",
    "targets_from",
]

ALL = "all"
"""The ``site`` value of the overall block (shown as "All sites")."""

COLUMNS: tuple[str, ...] = (
    "site",
    "metric",
    "label",
    "target",
    "direction",
    "unit",
    "result",
    "met",
    "status",
    "guaranteed",
)
"""Columns of :func:`scorecard` (replications add ``ci95`` and ``met_share``)."""


def format_value(value: float | None, unit: str, ci95: float | None = None, *, threshold: float | None = None) -> str:
    """``value`` for people: '81.9 %' (a fraction shown as percent), '24.3 s', '81.9 ± 1.2 %' with ``ci95``.

    The registry's words (:func:`ccsim.metrics.registry.format_quantity`): 'no data' when missing,
    'endless' for an infinite wait. With ``threshold``, a value that would look equal to it gets
    more digits ('85.04 %', not '85.0 %' next to "missed" for a target of at most 85 %).
    """
    return format_quantity(value, unit, ci95=ci95, threshold=threshold)


def _targets(targets: object | None) -> tuple[Target, ...]:
    if targets is None:
        return DEFAULT_TARGETS
    if isinstance(targets, (list, tuple)) and all(isinstance(t, Target) for t in targets):
        if not targets:
            raise CcsimInputError("targets", "[]", "at least one Target")
        names = (*KPI_NAMES, *JOURNEY_KEYS)
        bad = [t.metric for t in targets if t.metric not in names]
        if bad:
            raise CcsimInputError("targets", bad[0], f"a KPI name ({', '.join(names)})")
        return tuple(targets)
    return targets_from(targets)


def _with_fcr(ts: tuple[Target, ...], targets: object | None, model: CenterModel | None) -> tuple[Target, ...]:
    """``ts`` plus the FCR target when the model has member journeys (unless the targets are an explicit list)."""
    if getattr(model, "journeys", None) is None or isinstance(targets, (list, tuple)):
        return ts
    if any(x.metric == "fcr" for x in ts):
        return ts
    return (*ts, fcr_target(targets))


def _sl_settings(
    targets: Sequence[Target],
    answer_within_s: float | None,
    sl_definition: str | SLDefinition | None,
    model: CenterModel | None,
) -> tuple[float, str]:
    """T (seconds) and the SL definition: given here, else the service-level target's, else the model's T and 'offered'."""
    sl_target = next((t for t in targets if t.metric == "service_level"), None)
    if answer_within_s is not None:
        t = check_number("answer_within_s", answer_within_s, low=0)
    elif sl_target is not None and sl_target.answer_within_s is not None:
        t = sl_target.answer_within_s
    else:
        t = model.answer_within_s if model is not None else 30.0
    if sl_definition is None:
        sl_definition = (sl_target.sl_definition if sl_target is not None else None) or "offered"
    return float(t), parse_sl_definition(sl_definition).value


def _with_t(targets: Sequence[Target], t: float, sl: str) -> tuple[Target, ...]:
    """The targets with the service-level label and T set to the T actually used."""
    return tuple(x.with_answer_within_s(t, sl) for x in targets)


def _group_name(by: str | None) -> str:
    if by not in (None, "site", "call_type"):
        raise CcsimInputError("by", by, "'site', 'call_type' or None")
    return by or "site"


def _groups_wanted(model: CenterModel, by: str | None) -> bool:
    """Whether to show a block per group: per site only when there is more than one site."""
    if by is None:
        return False
    if by == "site":
        return len(model.sites) > 1
    return len(model.call_types) > 1


# ----------------------------------------------------------------------------------------------
# per-group KPI tables of one run


def _kpi_table(result: SimulationResult, t: float, sl: str, by: str | None) -> pd.DataFrame:
    """KPIs of one run indexed by group name, the overall row (:data:`ALL`) first."""
    overall = kpis(result, answer_within_s=t, sl_definition=sl)
    overall.index = pd.Index([ALL])
    journeys = has_journeys(result)
    if journeys:  # the member-journey KPIs as more columns
        overall = overall.assign(**journey_kpis(result))
    if not _groups_wanted(result.model, by):
        return overall
    per = kpis(result, answer_within_s=t, sl_definition=sl, by=by)
    per.index = pd.Index([str(i) for i in per.index])
    if journeys:
        per_journey = journey_kpis(result, by=str(by))
        per_journey.index = pd.Index([str(i) for i in per_journey.index])
        per = per.join(per_journey)
    return pd.concat([overall, per])


# ----------------------------------------------------------------------------------------------
# replications per site


@dataclass
class SiteReplications:
    """KPIs of N seeded runs for each site (or call type) and overall.

    ``runs``: index (``replication``, group), the overall group named :data:`ALL`, columns
    :data:`ccsim.metrics.kpis.KPI_NAMES`. Replication *i* used ``SeedSequence(seed).spawn(replications)[i]``,
    as :func:`ccsim.metrics.replications.replicate` does, so the overall rows equal its runs.
    """

    runs: pd.DataFrame
    model: CenterModel
    seed: int
    answer_within_s: float
    sl_definition: str
    by: str | None = "site"
    warnings: tuple[str, ...] = ()
    """Plain sentences from the runs (an overloaded center, callers still waiting at the end), each once."""

    @property
    def replications(self) -> int:
        return int(self.runs.index.get_level_values("replication").nunique())

    def summary(self) -> pd.DataFrame:
        """Mean, ci95 (t-based half-width), low, high, std per (group, kpi)."""
        parts = {g: confidence_summary(_group_runs(self.runs, g)) for g in self.groups}
        return pd.concat(parts, names=[_group_name(self.by), "kpi"])

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(self.runs.index.get_level_values(1)))


def _group_runs(runs: pd.DataFrame, group: str) -> pd.DataFrame:
    """The rows of one group of a (replication, group) table, indexed by replication."""
    out = runs.xs(group, level=1)
    assert isinstance(out, pd.DataFrame)
    return out


def _site_runs(
    model: CenterModel, seeds: list[np.random.SeedSequence], t: float, sl: str, by: str | None
) -> list[tuple[pd.DataFrame, list[str]]]:
    """Worker task: simulate ``model`` with each seed → (KPI table, warning sentences) per seed."""
    out = []
    for ss in seeds:
        result = simulate(model, ss)
        out.append((_kpi_table(result, t, sl, by), list(result.warnings)))
    return out


def replicate_by_site(
    model: CenterModel,
    replications: int = 30,
    seed: int = 1,
    *,
    targets: object | None = None,
    by: str | None = "site",
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | ProgressFn = False,
) -> SiteReplications:
    """Run ``model`` ``replications`` times from ``seed`` and keep the KPIs per site (or call type) and overall.

    T and the service-level definition come from ``targets`` (default :data:`DEFAULT_TARGETS`: 30 s,
    offered) unless given. ``executor``: any :class:`concurrent.futures.Executor` (used, not shut
    down); default: this process for small jobs or ``workers=1``, else a process pool of ``workers``
    (default: all CPUs), as :func:`ccsim.metrics.replications.run_seeded` decides. ``progress`` shows a tqdm bar
    (or is called as ``progress(done, replications)``).
    """
    n, seed, workers = check_run_inputs(model, replications, seed, workers, executor)
    _group_name(by)
    t, sl = _sl_settings(_targets(targets), answer_within_s, sl_definition, model)
    collected = run_seeded(_site_runs, model, n, seed, t, sl, by, workers=workers, executor=executor, progress=progress)
    runs = pd.concat({i: table for i, (table, _) in enumerate(collected)}, names=["replication", _group_name(by)])
    messages = unique_sentences(ws for _, ws in collected)
    return SiteReplications(
        runs=runs, model=model, seed=seed, answer_within_s=t, sl_definition=sl, by=by, warnings=messages
    )


# ----------------------------------------------------------------------------------------------
# the scorecard


def _rows(group_col: str, groups: Iterable[str], targets: Sequence[Target], value, ci=None, share=None) -> pd.DataFrame:
    rows = []
    for g in groups:
        for x in targets:
            v = value(g, x.metric)
            met = x.met(v)
            row = {
                group_col: g,
                "metric": x.metric,
                "label": x.label,
                "target": x.threshold,
                "direction": x.direction,
                "unit": x.unit,
                "result": v,
                "met": pd.NA if met is None else met,
                "status": "no data" if met is None else ("met" if met else "missed"),
                "guaranteed": x.guaranteed,
            }
            if ci is not None:
                row["ci95"] = ci(g, x.metric)
                row["met_share"] = share(g, x)
            rows.append(row)
    df = pd.DataFrame(rows)
    df["met"] = df["met"].astype("boolean")
    df["result"] = df["result"].astype(float)
    return df


def scorecard(
    result: SimulationResult | ReplicationResult | SiteReplications,
    targets: object | None = None,
    *,
    by: str | None = "site",
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition | None = None,
) -> pd.DataFrame:
    """Each target against the result, one row per (site, metric), the overall block (site :data:`ALL`) first.

    Columns :data:`COLUMNS`: ``site`` (or ``call_type`` with ``by="call_type"``), ``metric`` (a KPI
    name), ``label``, ``target`` (fraction or seconds), ``direction`` ("at least"/"at most"),
    ``unit``, ``result``, ``met`` (nullable bool: NA when there is no number, e.g. no call answered),
    ``status`` ("met", "missed" or "no data"), ``guaranteed`` (True for the plan's guarantees, False for
    targets without one: AHT and busy occupancy). From replications: ``result`` is the mean over runs,
    plus ``ci95`` (half-width of its 95% confidence interval) and ``met_share`` (share of runs
    meeting the target); met/missed judge the mean. ``attrs``: ``answer_within_s``, ``sl_definition``,
    ``by`` and ``warnings`` (the result's sentences, e.g. an overloaded center). A :class:`~ccsim.metrics.replications.ReplicationResult`
    keeps overall KPIs only, so it gives the overall block only; use :func:`replicate_by_site` for sites.

    ``targets``: None (:data:`DEFAULT_TARGETS`), a list of :class:`Target`, a scenario's
    :class:`~ccsim.scenario.Targets` or a :class:`~ccsim.scenario.Scenario`. Service level uses the
    target's T and definition unless ``answer_within_s`` (seconds) / ``sl_definition`` are given.
    ``by``: "site" (a block per site when the model has more than one), "call_type", or None (overall only).
    A result with member journeys gets a first-contact resolution row too (:func:`~ccsim.metrics.targets.fcr_target`,
    from ``targets``' ``fcr_share``), unless ``targets`` is a list of :class:`Target`.
    """
    ts = _targets(targets)
    if isinstance(result, (SimulationResult, SiteReplications, ReplicationResult)):
        ts = _with_fcr(ts, targets, result.model)
    group_col = _group_name(by)
    if isinstance(result, SimulationResult):
        t, sl = _sl_settings(ts, answer_within_s, sl_definition, result.model)
        ts = _with_t(ts, t, sl)
        table = _kpi_table(result, t, sl, by)
        values = table.to_dict("index")
        df = _rows(group_col, table.index, ts, lambda g, k: float(values[g].get(k, math.nan)))
    elif isinstance(result, (SiteReplications, ReplicationResult)):
        t, sl = _sl_settings(ts, answer_within_s, sl_definition, result.model)
        if not math.isclose(t, result.answer_within_s) or sl != result.sl_definition:
            raise CcsimInputError(
                "answer_within_s",
                f"{t:g} s ({sl})",
                f"the T and definition the replications were run with ({result.answer_within_s:g} s, {result.sl_definition})",
            )
        ts = _with_t(ts, t, sl)
        if isinstance(result, SiteReplications):
            if _group_name(result.by) != group_col:
                raise CcsimInputError("by", by, f"{result.by!r}, as the replications were run")
            summ, runs, groups = result.summary(), result.runs, result.groups
            per_run = {g: _group_runs(runs, g) for g in groups}
        else:
            summ = pd.concat({ALL: result.summary}, names=[group_col, "kpi"])
            groups, per_run = [ALL], {ALL: result.runs}

        def share(g: str, x: Target) -> float:
            if x.metric not in per_run[g]:
                return math.nan
            judged = [j for j in (x.met(v) for v in per_run[g][x.metric]) if j is not None]
            return float(np.mean(judged)) if judged else math.nan

        means, halves = summ["mean"].to_dict(), summ["ci95"].to_dict()
        df = _rows(
            group_col,
            groups,
            ts,
            lambda g, k: float(means.get((g, k), math.nan)),
            ci=lambda g, k: float(halves.get((g, k), math.nan)),
            share=share,
        )
    else:
        raise CcsimInputError(
            "result", type(result).__name__, "a SimulationResult, a ReplicationResult or a SiteReplications"
        )
    df.attrs.update(answer_within_s=t, sl_definition=sl, by=group_col, warnings=tuple(result.warnings))
    return df


def _group_title(name: str) -> str:
    return "All sites" if name == ALL else str(name)


def scorecard_text(df: pd.DataFrame) -> str:
    """The scorecard as a plain table for a terminal: a block per site ("All sites" first), one line per metric."""
    group_col = df.attrs.get("by") or ("site" if "site" in df.columns else df.columns[0])
    has_ci = "ci95" in df.columns
    header = ["metric", "target", "mean ± 95% CI" if has_ci else "result", "status"]
    if has_ci:
        header.append("runs met")
    lines: list[str] = []
    blocks = []
    for g in dict.fromkeys(df[group_col]):
        rows = []
        for r in df[df[group_col] == g].itertuples(index=False):
            r = r._asdict()
            cells = [
                r["label"] + (" *" if r.get("guaranteed", False) else ""),
                target_text(r["direction"], r["target"], r["unit"]),
                format_value(r["result"], r["unit"], r["ci95"] if has_ci else None, threshold=r["target"]),
                r["status"],
            ]
            if has_ci:
                cells.append("-" if not math.isfinite(r["met_share"]) else f"{100 * r['met_share']:.0f} %")
            rows.append(cells)
        blocks.append((_group_title(g), rows))
    widths = [max(len(header[i]), *(len(row[i]) for _, rows in blocks for row in rows)) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return (
            "  "
            + "   ".join(
                [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
            ).rstrip()
        )

    for title, rows in blocks:
        if lines:
            lines.append("")
        lines.append(title)
        lines.append(line(header))
        lines.extend(line(row) for row in rows)
    if "guaranteed" in df.columns:
        lines.append("")
        lines.append("* guaranteed by the plan; the others are targets, not guarantees")
    return "\n".join(lines)
