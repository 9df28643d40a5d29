"""Lab 04's case: the "one and done" line before and after (the ``one_and_done_before`` / ``_after`` presets),
the lab's controls turned into scenario changes, and the numbers each run gives.

A *design* is one of the presets; the controls change its membership line: the share of answered
calls warm-transferred to a billing specialist, the consult's length, the share the rep resolves on
the call, and the back office's mean processing days. :func:`design_scenario` builds the scenario at
one of two sizes (:data:`SIZES`): ``"quick"`` (one month, 1 in 5 of the members and of the reps: what
a slider runs, in about a tenth of a second) and ``"full"`` (the preset: 60 days, about 110,000 issues).
Nothing is read when this module is imported.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError, check_number

if TYPE_CHECKING:
    from ccsim.scenario import Scenario
    from ccsim.simulation.engine import SimulationResult

__all__ = [
    "CONTROLS",
    "DESIGNS",
    "KPIS",
    "SIZES",
    "consult_pct",
    "design_kpis",
    "design_scenario",
    "design_values",
    "difference_runs",
    "mean_ci",
    "preset",
    "resolve_limit",
    "run_design",
]

DESIGNS: dict[str, str] = {"before": "one_and_done_before", "after": "one_and_done_after"}
"""Design → preset name."""
SIZES: dict[str, tuple[float, int | None]] = {"quick": (0.2, 31), "full": (1.0, None)}
"""Size → (share of members and reps, days; None: the preset's 60)."""
KPIS: tuple[str, ...] = (
    "fcr",
    "handoffs_per_100_issues",
    "contacts_per_issue",
    "days_to_resolution_mean",
    "aht_s",
    "agent_hours_per_100_issues",
    "service_level",
)
"""The lab's tiles, in order (``agent_hours_per_100_issues`` from :mod:`ccsim.metrics.paths`, the rest from
the registry)."""
CONTROLS: tuple[str, ...] = ("design", "transfer_pct", "consult_min", "resolve_pct", "back_office_days")
_MEMBERSHIP, _BILLING, _RAPID = "membership", "billing_specialist", "rapid_resolution"


@functools.cache
def preset(design: str) -> Scenario:
    """The preset of ``design`` ("before" or "after"), loaded once."""
    from ccsim.scenario import load_preset

    if design not in DESIGNS:
        raise CcsimInputError("design", design, "before or after")
    return load_preset(DESIGNS[design])


def _call_type(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((ct for ct in data["call_types"] if ct["name"] == name), None)


def _transfer(ct: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((t for t in ct["transfers"] if t.get(kind)), None)


@functools.cache
def _design_values(design: str) -> tuple[tuple[str, Any], ...]:
    data = preset(design).model_dump(mode="python")
    ct = _call_type(data, _MEMBERSHIP)
    assert ct is not None
    rapid = _call_type(data, _RAPID) or _call_type(preset("after").model_dump(mode="python"), _RAPID)
    assert rapid is not None
    warm, back = _transfer(ct, "to_call_type"), _transfer(ct, "back_office")
    assert back is not None
    return (
        ("design", design),
        ("transfer_pct", round(100 * (warm["probability"] if warm else 0.0))),
        ("consult_min", float(rapid["handle_time"]["mean_s"]) / 60.0),
        ("resolve_pct", round(100 * float(ct["resolution_share"]))),
        ("back_office_days", round(float(back["back_office"]["mean_days"]))),
    )


def consult_pct(design: str) -> int:
    """The share of answered calls the rep consults on in ``design``'s preset, in percent (0: no consults).

    >>> consult_pct("after"), consult_pct("before")
    (12, 0)
    """
    ct = _call_type(preset(design).model_dump(mode="python"), _MEMBERSHIP)
    assert ct is not None
    consult = _transfer(ct, "consult_with")
    return round(100 * float(consult["probability"])) if consult else 0


def design_values(design: str) -> dict[str, Any]:
    """The controls' values of ``design`` as its preset has them (percent, minutes, days).

    >>> design_values("before")
    {'design': 'before', 'transfer_pct': 10, 'consult_min': 4.0, 'resolve_pct': 62, 'back_office_days': 26}
    """
    return dict(_design_values(design))


def _check(params: dict[str, Any]) -> dict[str, Any]:
    p = design_values(str(params.get("design", "before")))
    p.update(params)
    check_number("transfer_pct", p["transfer_pct"], low=0, high=40)
    check_number("consult_min", p["consult_min"], low=0.5, high=20)
    check_number("resolve_pct", p["resolve_pct"], low=20, high=98)
    check_number("back_office_days", p["back_office_days"], low=1, high=40)
    return p


def _membership_changes(ct: dict[str, Any], p: dict[str, Any]) -> tuple[float, list[dict[str, Any]]]:
    transfers = []
    for t in ct["transfers"]:
        t = dict(t)
        if t.get("to_call_type"):
            continue
        if t.get("back_office"):
            t["back_office"] = dict(t["back_office"], mean_days=float(p["back_office_days"]))
        transfers.append(t)
    if p["transfer_pct"] > 0:
        transfers.insert(0, {"to_call_type": _BILLING, "probability": p["transfer_pct"] / 100.0})
    passed_on = sum(float(t["probability"]) for t in transfers)
    resolve = min(p["resolve_pct"] / 100.0, max(0.0, 1.0 - passed_on))
    return resolve, transfers


def resolve_limit(params: dict[str, Any]) -> str:
    """A sentence when the rep cannot resolve ``resolve_pct`` of calls because the other paths take more; else ''."""
    p = _check(params)
    data = preset(p["design"]).model_dump(mode="python")
    ct = _call_type(data, _MEMBERSHIP)
    assert ct is not None
    resolve, _ = _membership_changes(ct, p)
    if resolve >= p["resolve_pct"] / 100.0 - 1e-9:
        return ""
    return (
        f"Each answered call is resolved, transferred, consulted or handed off: with these settings "
        f"{100 * (1 - resolve):.0f}% are passed on, so the rep can resolve at most {100 * resolve:.0f}% "
        f"(the simulation uses {100 * resolve:.0f}%, not {p['resolve_pct']:.0f}%)."
    )


def design_scenario(params: dict[str, Any], size: str = "quick") -> Scenario:
    """The scenario of ``params`` (the controls; missing ones from the design's preset) at ``size``."""
    if size not in SIZES:
        raise CcsimInputError("size", size, "quick or full")
    p = _check(params)
    data = preset(p["design"]).model_dump(mode="python")
    before = preset("before").model_dump(mode="python")
    share, days = SIZES[size]
    call_types, groups = [dict(ct) for ct in data["call_types"]], [dict(g) for g in data["agent_groups"]]
    if p["transfer_pct"] > 0 and _call_type(data, _BILLING) is None:  # the after line, with transfers again
        billing = _call_type(before, _BILLING)
        assert billing is not None
        call_types.append(billing)
        groups.append(next(g for g in before["agent_groups"] if _BILLING in g["skills"]))
    for ct in call_types:
        if ct["name"] == _MEMBERSHIP:
            ct["resolution_share"], ct["transfers"] = _membership_changes(ct, p)
        elif ct["name"] == _RAPID:
            ct["handle_time"] = dict(ct["handle_time"], mean_s=60.0 * float(p["consult_min"]))
        elif ct["transfers"]:
            ct["transfers"] = [
                dict(t, back_office=dict(t["back_office"], mean_days=float(p["back_office_days"])))
                if t.get("back_office")
                else t
                for t in ct["transfers"]
            ]
    for g in groups:
        g["headcount"] = max(1, round(g["headcount"] * share))
    changes: dict[str, Any] = {"call_types": call_types, "agent_groups": groups}
    changes["arrivals"] = {"calls_per_day": data["arrivals"]["calls_per_day"] * share}
    if days is not None:
        changes["horizon"] = {"days": days}
    return preset(p["design"]).updated(changes)


def design_kpis(result: SimulationResult) -> dict[str, float]:
    """The lab's KPIs (:data:`KPIS`) and every journey KPI of one run."""
    from ccsim.metrics.journeys import journey_kpis
    from ccsim.metrics.kpis import summary
    from ccsim.metrics.paths import agent_hours_per_100_issues

    out = {k: float(v) for k, v in summary(result).items()}
    out.update({k: float(v) for k, v in journey_kpis(result).items()})
    out["agent_hours_per_100_issues"] = agent_hours_per_100_issues(result)
    return out


def run_design(params: dict[str, Any], size: str = "quick", seed: int = 1) -> tuple[dict[str, float], Any]:
    """Simulate ``params`` at ``size`` with ``seed`` → (:func:`design_kpis`, the SimulationResult)."""
    from ccsim.simulation.engine import simulate

    result = simulate(design_scenario(params, size).to_model(), seed)
    return design_kpis(result), result


def difference_runs(
    replications: int,
    size: str = "quick",
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    designs: Sequence[dict[str, Any]] = ({"design": "before"}, {"design": "after"}),
) -> dict[str, pd.DataFrame]:
    """``replications`` runs of each of the two ``designs`` (controls; default: the two presets) at ``size``.

    Replication *i* of both uses ``SeedSequence(seed).spawn(replications)[i]`` (the same random members
    for both: a paired comparison). Returns ``{"before": runs of the first, "after": runs of the second,
    "difference": after − before}``, one row per replication and a column per KPI of :func:`design_kpis`.
    """
    if len(designs) != 2:
        raise CcsimInputError("designs", len(designs), "two sets of controls: before and after")
    from ccsim.simulation.engine import simulate

    n = int(check_number("replications", replications, low=2, high=100, integer=True))
    seeds = np.random.SeedSequence(int(seed)).spawn(n)
    models = [design_scenario(d, size).to_model() for d in designs]
    rows: list[list[dict[str, float]]] = [[] for _ in designs]
    for i, ss in enumerate(seeds):
        for j, model in enumerate(models):
            rows[j].append(design_kpis(simulate(model, ss)))
            if progress is not None:
                progress(i * len(models) + j + 1, n * len(models))
    out = {name: pd.DataFrame(r).rename_axis("replication") for name, r in zip(("before", "after"), rows, strict=True)}
    out["difference"] = out["after"] - out["before"]
    return out


def mean_ci(x: pd.Series) -> tuple[float, float, float]:
    """Mean and t-based 95% confidence interval (low, high) of ``x`` (NaNs left out)."""
    from ccsim.metrics.replications import confidence_summary

    s = confidence_summary(pd.DataFrame({"x": x.astype(float)}))
    mean, low, high = (float(v) for v in s.loc["x", ["mean", "low", "high"]].to_numpy(dtype=float))
    return mean, (low if math.isfinite(low) else mean), (high if math.isfinite(high) else mean)
