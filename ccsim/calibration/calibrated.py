"""The calibrated scenario: a TOML text ``ccsim run`` accepts, and its simulation set beside the records.

The scenario has one call type and one agent group. Its day is the records' day in 30-minute
intervals (``arrivals.calls_per_interval``: mean calls per interval over the open days;
``agent_groups[0].headcount_per_interval``: the agents on the phones the waits imply, no shrinkage),
repeated for the days the records cover with the calls' and the agents' weekday factors; weekdays
with no calls are closed, other days with no calls are closed days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ccsim.calibration.estimate import ANSWER_WITHIN_S, PATIENCE_METHOD, STAFFING_METHOD, Calibration
from ccsim.metrics.kpis import summary
from ccsim.scenario import Scenario
from ccsim.scenario.fields import WEEKDAYS, Weekday
from ccsim.scenario.tables import MAX_DAYS
from ccsim.simulation.engine import simulate

__all__ = ["COMPARED", "Comparison", "compare", "fit_staffing", "scenario_toml"]

COMPARED = ("calls", "service_level", "asa_s", "abandonment_rate", "aht_s")
"""The numbers set side by side: observed in the records, simulated from the calibrated scenario."""


def _value(v: Any) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v - round(v)) > 1e-9 else f"{v:.1f}"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def _closures(c: Calibration, days: int) -> tuple[list[Weekday], list[int]]:
    """Weekdays with no open day (closed weekdays) and the other days with no calls (closed days), within ``days``."""
    p = c.profile
    first = WEEKDAYS.index(p.first_weekday)
    closed_weekdays = [w for w in WEEKDAYS if w not in p.weekday_factors]
    closed_days = [d for d in p.closed_days if d <= days and WEEKDAYS[(first + d - 1) % 7] not in closed_weekdays]
    return closed_weekdays, closed_days


def scenario_toml(c: Calibration, source: str) -> str:
    """The calibrated scenario as TOML text (see the module docstring); it validates as a :class:`Scenario`."""
    p = c.profile
    days = min(p.days, MAX_DAYS)
    closed_weekdays, closed_days = _closures(c, days)
    horizon: dict[str, Any] = {
        "start": p.time(0),
        "hours": p.hours,
        "interval_min": p.interval_min,
        "days": days,
        "first_weekday": p.first_weekday,
    }
    if closed_weekdays:
        horizon["closed_weekdays"] = closed_weekdays
    if closed_days:
        horizon["closed_days"] = closed_days
    call_type: dict[str, Any] = {"name": "calls", "volume_share": 1.0, "handle_time": c.handle.table()}
    if c.patience_mean_s is not None:
        call_type["patience"] = {"kind": "exponential", "mean_s": round(min(c.patience_mean_s, 86400.0), 1)}
    headcount = [math.floor(a + 0.5) for a in c.agents]
    lines = [
        f"# Calibrated by `ccsim calibrate {source}`: {c.calls:,} calls over {c.days} days from {p.first_day}"
        f"{f' (simulated: the first {days})' if days < p.days else ''}.",
        f"# Observed: service level {c.service_level:.1%} within {ANSWER_WITHIN_S:g} s, ASA {c.asa_s:.1f} s, "
        f"abandonment {c.abandonment_rate:.2%}.",
        f"# Patience: {PATIENCE_METHOD}.",
        f"# Agents on the phones: {STAFFING_METHOD}.",
        'name = "calibrated"',
        f'description = "{c.calls:,} calls from {Path(source).name}, {c.days} days from {p.first_day}"',
        "",
        "[horizon]",
        *(f"{k} = {_value(v)}" for k, v in horizon.items()),
        "",
        "[[call_types]]",
        *(f"{k} = {_value(v)}" for k, v in call_type.items()),
        "",
        "[arrivals]",
        f"calls_per_interval = {_value([round(x, 3) for x in p.calls_mean])}",
        f"weekday_factors = {_value({k: round(v, 4) for k, v in p.weekday_factors.items()})}",
        "",
        "[[agent_groups]]",
        'name = "agents"',
        'skills = ["calls"]',
        f"headcount_per_interval = {_value(headcount)}",
        f"weekday_factors = {_value({k: round(v, 4) for k, v in c.staff_factors.items()})}",
        "",
        "[targets]",
        f"answer_within_s = {ANSWER_WITHIN_S:g}",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Comparison:
    """Observed (the records) and simulated (the calibrated scenario, one run) numbers, keys :data:`COMPARED`."""

    observed: dict[str, float]
    simulated: dict[str, float]
    seed: int
    days: int

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "days": self.days, "observed": self.observed, "simulated": self.simulated}


def compare(c: Calibration, toml: str, seed: int = 1) -> Comparison:
    """Simulate the calibrated scenario once (``seed``) and set its service level, ASA, abandonment and AHT beside the records'."""
    scenario = Scenario.from_toml(toml, source="calibrated scenario")
    result = simulate(scenario.to_model(), seed=seed)
    s = summary(result, answer_within_s=ANSWER_WITHIN_S)
    observed = {
        "calls": float(c.calls),
        "service_level": c.service_level,
        "asa_s": c.asa_s,
        "abandonment_rate": c.abandonment_rate,
        "aht_s": c.handle.mean_s,
    }
    simulated = {k: float(s[k]) for k in COMPARED}
    return Comparison(observed, simulated, seed, scenario.horizon.days)


FIT_CALLS = 200_000
"""About how many calls each simulation of the staffing fit covers: all the days, or the first days up to this many."""


def _simulated_sl(c: Calibration, scale: float, days: int, seed: int) -> float:
    scaled = replace(c, agents=[a * scale for a in c.agents], staffing_scale=scale)
    scenario = Scenario.from_toml(scenario_toml(scaled, "records"), source="calibrated scenario")
    if scenario.horizon.days > days:
        closed = [d for d in scenario.horizon.closed_days if d <= days]
        scenario = scenario.updated({"horizon": {"days": days, "closed_days": closed}})
    return float(summary(simulate(scenario.to_model(), seed=seed), answer_within_s=ANSWER_WITHIN_S)["service_level"])


def fit_staffing(c: Calibration, seed: int = 0, steps: int = 8) -> Calibration:
    """``c`` with every interval's agents scaled by one factor (0.75–1.25, bisection over ``steps`` simulations with
    ``seed`` of all days, or of the first days holding about :data:`FIT_CALLS` calls) whose simulated service level
    comes closest to the records' on those days."""
    per_day = max(1.0, c.profile.calls_per_day_mean)
    days = max(1, min(c.days, MAX_DAYS, int(FIT_CALLS // per_day)))
    offered = sum(c.day_calls[:days])
    target = sum(c.day_within[:days]) / offered if offered else c.service_level
    lo, hi = 0.75, 1.25
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _simulated_sl(c, mid, days, seed) < target else (lo, mid)
    scale = (lo + hi) / 2
    agents = [a * scale for a in c.agents]
    return replace(c, agents=agents, staffing_scale=scale, staffed_mean=sum(agents) / len(agents))
