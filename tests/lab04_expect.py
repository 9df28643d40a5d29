"""What lab 04 must show, computed without the lab's code: the presets changed by hand through
``Scenario.updated``, simulated with :func:`ccsim.simulation.engine.simulate`, measured with
:func:`ccsim.metrics.journeys.journey_kpis`, :func:`ccsim.metrics.kpis.summary` and pandas on the logs.

The rules the lab states (docstrings of ``ccsim.labs.lab04_cases``), written again here from the presets:
the quick size has a fifth of the members and of each agent group (rounded, at least 1) over 31 days; a
warm transfer goes to the before line's billing specialists (on the after line they are added); the rep
resolves the given share unless the other paths leave less; the back office's mean days apply to every
back-office hand-off; the consult's mean length is the rapid resolution call type's handle time.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate

PRESETS = {"before": "one_and_done_before", "after": "one_and_done_after"}
DEFAULTS = {
    "before": {"transfer_pct": 10, "consult_min": 4.0, "resolve_pct": 62, "back_office_days": 26},
    "after": {"transfer_pct": 0, "consult_min": 4.0, "resolve_pct": 74, "back_office_days": 3},
}
"""The controls of each line, read off data/scenarios/one_and_done_*.toml by a person."""


def _settings(params: dict[str, Any]) -> dict[str, Any]:
    design = params.get("design", "before")
    return {"design": design, **DEFAULTS[design], **params}


def scenario(params: dict[str, Any], size: str = "quick"):
    p = _settings(params)
    base = load_preset(PRESETS[p["design"]])
    data = base.model_dump(mode="python")
    before = load_preset(PRESETS["before"]).model_dump(mode="python")
    cts = {ct["name"]: dict(ct) for ct in data["call_types"]}
    groups = [dict(g) for g in data["agent_groups"]]
    if p["transfer_pct"] and "billing_specialist" not in cts:
        cts["billing_specialist"] = next(ct for ct in before["call_types"] if ct["name"] == "billing_specialist")
        groups.append(next(g for g in before["agent_groups"] if g["name"] == "billing_specialists"))
    days = float(p["back_office_days"])
    for name, ct in cts.items():
        kept = []
        for t in ct["transfers"]:
            if t.get("to_call_type"):
                continue
            if t.get("back_office"):
                t = {**t, "back_office": {**t["back_office"], "mean_days": days}}
            kept.append(t)
        if name == "membership" and p["transfer_pct"]:
            kept = [{"to_call_type": "billing_specialist", "probability": p["transfer_pct"] / 100}, *kept]
        ct["transfers"] = kept
        if name == "membership":
            ct["resolution_share"] = min(p["resolve_pct"] / 100, 1 - sum(t["probability"] for t in kept))
        if name == "rapid_resolution":
            ct["handle_time"] = {**ct["handle_time"], "mean_s": 60 * float(p["consult_min"])}
    changes: dict[str, Any] = {"call_types": list(cts.values())}
    if size == "quick":
        for g in groups:
            g["headcount"] = max(1, round(g["headcount"] / 5))
        changes.update(arrivals={"calls_per_day": data["arrivals"]["calls_per_day"] / 5}, horizon={"days": 31})
    changes["agent_groups"] = groups
    return base.updated(changes)


def kpis_of(result) -> dict[str, float]:
    out = {k: float(v) for k, v in summary(result).items()}
    out.update({k: float(v) for k, v in journey_kpis(result).items()})
    legs = result.legs
    busy = legs.loc[legs["outcome"].astype(str) == "answered", "handle_time_s"].sum()
    out["agent_hours_per_100_issues"] = float(busy) / 3600 / len(result.issues) * 100
    return out


@functools.lru_cache(maxsize=32)
def _run(key: tuple, size: str, seed: int):
    result = simulate(scenario(dict(key), size).to_model(), seed)
    return kpis_of(result), result


def run(params: dict[str, Any], size: str = "quick", seed: int = 1):
    """(KPIs, SimulationResult) of ``params`` at ``size``."""
    return _run(tuple(sorted(_settings(params).items())), size, seed)


STEPS = ("resolved", "resolved_after_transfer", "consulted", "back_office", "chased", "unresolved", "hung_up")


def paths(result, top: int = 4) -> pd.DataFrame:
    """Contacts per 100 issues by contact number (capped at ``top``) and how each ended."""
    c = result.contacts
    out = pd.DataFrame(0.0, index=range(1, top + 1), columns=list(STEPS))
    for seq, outcome, transfers in zip(c["contact_seq"], c["issue_outcome"].astype(str), c["transfers"], strict=True):
        if outcome == "resolved":
            step = "resolved_after_transfer" if transfers > 0 else "resolved"
        elif outcome in ("abandoned", "unanswered"):
            step = "hung_up"
        elif outcome in ("consulted", "back_office", "chased"):
            step = outcome
        else:
            step = "unresolved"
        out.loc[min(int(seq), top), step] += 1
    return out * 100 / len(result.issues)


def ci(x: np.ndarray) -> tuple[float, float, float]:
    from scipy import stats

    x = np.asarray(x, dtype=float)
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


def difference(replications: int, size: str, seed: int = 1, first=None, second=None) -> dict[str, pd.DataFrame]:
    """``replications`` paired runs (child seeds of ``seed``) of two settings (default: before, after)."""
    first, second = first or {"design": "before"}, second or {"design": "after"}
    models = [scenario(p, size).to_model() for p in (first, second)]
    runs: list[list[dict[str, float]]] = [[], []]
    for ss in np.random.SeedSequence(seed).spawn(replications):
        for j, m in enumerate(models):
            runs[j].append(kpis_of(simulate(m, ss)))
    b, a = pd.DataFrame(runs[0]), pd.DataFrame(runs[1])
    return {"before": b, "after": a, "difference": a - b}
