"""Lab 05, part 1: from a forecast to agents per interval, and shrinkage.

The forecast is the intraday profile ``ccsim profile`` measures in ``data/samples/acd_intervals.csv`` (mean
calls per 15 minutes of the open days, 08:00–18:00), or any other :class:`~ccsim.calibration.profile.Profile`.
Handle time 400 s and patience 300 s are the classroom case's; the target is 80% answered within 30 s.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np

from ccsim.analytics.staffing import required_agents, scheduled_agents
from ccsim.calibration.profile import Profile, read_profile
from ccsim.errors import CcsimInputError
from ccsim.labs.cases import guarantees
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel
from ccsim.views.plots.schedule import needs_figure
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider

__all__ = [
    "AHT_S",
    "PATIENCE_S",
    "SHRINKAGE_PARTS",
    "Forecast",
    "calibrated_forecast",
    "interval_sl",
    "needs",
    "needs_panel",
    "profile_summary",
    "sample_forecast",
    "shrinkage_numbers",
    "shrinkage_panel",
    "sim_kpis",
    "simulate_day",
]

AHT_S = 400.0
"""Handle time (talk plus wrap-up), seconds: the plan's target (facts.md: AHT < 400 s)."""
PATIENCE_S = 300.0
"""Mean patience of the classroom case, seconds."""
TARGET_SL, ANSWER_WITHIN_S = 0.8, 30.0
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "acd_intervals.csv"
CALL_RECORDS = SAMPLE.with_name("call_records.csv")


@dataclass(frozen=True)
class Forecast:
    """Calls per interval of one day: what the staffing is planned for."""

    calls: tuple[float, ...]
    interval_s: float
    start_min: int
    """Minute of the day of the first interval."""

    def time(self, k: int) -> str:
        m = self.start_min + k * int(self.interval_s // 60)
        return f"{m // 60:02d}:{m % 60:02d}"

    @property
    def times(self) -> list[str]:
        return [self.time(k) for k in range(len(self.calls))]

    @classmethod
    def from_profile(cls, p: Profile) -> Forecast:
        return cls(tuple(float(c) for c in p.calls_mean), 60.0 * p.interval_min, p.start_min)

    def scaled(self, factor: float) -> Forecast:
        return Forecast(tuple(c * factor for c in self.calls), self.interval_s, self.start_min)


@functools.lru_cache(maxsize=1)
def sample_forecast() -> Forecast:
    """The sample ACD export's profile (``ccsim profile data/samples/acd_intervals.csv``) as a forecast."""
    return Forecast.from_profile(sample_profile())


def sample_profile() -> Profile:
    """What ``ccsim profile data/samples/acd_intervals.csv`` measures."""
    if not SAMPLE.is_file():
        raise CcsimInputError("sample file", str(SAMPLE), "the kit's data/samples/acd_intervals.csv")
    return read_profile(SAMPLE)


def profile_summary(p: Profile | None = None) -> widgets.HTML:
    """A few plain sentences on a profile: days covered, calls a day, the busiest interval, weekday factors."""
    p = p or sample_profile()
    days = ", ".join(f"{d} {100 * v:.0f}%" for d, v in p.weekday_factors.items())
    w = widgets.HTML(
        f"<p>The export covers <b>{p.days} days</b> ({p.open_days} open, the rest closed), about "
        f"<b>{p.calls_per_day_mean:,.0f} calls a day</b>, in intervals of {p.interval_min} minutes from "
        f"{p.time(0)} to {p.time(len(p.calls_mean) - 1)}. The busiest interval is <b>{p.peak['time']}</b> with "
        f"{p.peak['calls_mean']:.0f} calls on average. Each weekday against the average day: {days}.</p>"
    )
    w.add_class("ccsim-profile-summary")
    return w


def calibrated_forecast(path: str | Path = CALL_RECORDS) -> tuple[Forecast, float, float]:
    """A center's own per-call records (``ccsim calibrate``) as a forecast, with its handle time and patience (s)."""
    from ccsim.calibration import calibrate, read_records

    c = calibrate(read_records(path))
    patience = c.patience_mean_s if c.patience_mean_s is not None else PATIENCE_S
    return Forecast.from_profile(c.profile), float(c.handle.mean_s), float(patience)


def needs(f: Forecast, aht_s: float = AHT_S, patience_s: float = PATIENCE_S) -> dict[str, list[Any]]:
    """Per interval: the work in Erlangs, the fewest agents meeting 80% in 30 s by Erlang C and Erlang A, and each
    formula's service level (``sl_c``, ``sl_a``) and Erlang A's abandonment (``abandon_a``) with those agents."""
    load, c, a, trap, sl_c, sl_a, ab_a = [], [], [], [], [], [], []
    for calls in f.calls:
        rc = required_agents(calls, f.interval_s, aht_s, answer_within_s=ANSWER_WITHIN_S, target_sl=TARGET_SL)
        ra = required_agents(
            calls, f.interval_s, aht_s, answer_within_s=ANSWER_WITHIN_S, target_sl=TARGET_SL, patience_s=patience_s
        )
        load.append(calls * aht_s / f.interval_s)
        c.append(float(rc.agents))
        a.append(float(ra.agents))
        trap.append(ra.warning or "")
        sl_c.append(rc.metrics.service_level)
        sl_a.append(ra.metrics.service_level)
        ab_a.append(ra.metrics.abandonment_rate)
    return {"load": load, "erlang_c": c, "erlang_a": a, "trap": trap, "sl_c": sl_c, "sl_a": sl_a, "abandon_a": ab_a}


def _weighted(calls: Sequence[float], shares: Sequence[float]) -> float:
    """A day's share from each interval's share, weighted by the interval's calls."""
    return sum(c * x for c, x in zip(calls, shares, strict=True)) / sum(calls)


def _model(f: Forecast, agents: Sequence[float] | np.ndarray, aht_s: float, patience_s: float) -> CenterModel:
    return CenterModel.single_queue(
        list(f.calls),
        [int(x) for x in agents],
        Exponential(aht_s),
        Exponential(patience_s),
        interval_s=f.interval_s,
        answer_within_s=ANSWER_WITHIN_S,
        name="lab 05 day",
    )


def interval_sl(contacts, intervals: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per interval of arrival: callers, answered within 30 s, hung up (from a simulation's contacts)."""
    k = contacts["interval"].to_numpy(dtype=int)
    offered = np.bincount(k, minlength=intervals)[:intervals].astype(float)
    answered = contacts["outcome"].to_numpy() == "answered"
    fast = answered & (contacts["wait_s"].to_numpy(dtype=float) <= ANSWER_WITHIN_S + 1e-9)
    hung = contacts["outcome"].to_numpy() == "abandoned"
    within = np.bincount(k[fast], minlength=intervals)[:intervals].astype(float)
    gone = np.bincount(k[hung], minlength=intervals)[:intervals].astype(float)
    return offered, within, gone


def simulate_day(
    f: Forecast,
    agents: Sequence[float] | np.ndarray,
    days: int = 5,
    *,
    aht_s: float = AHT_S,
    patience_s: float = PATIENCE_S,
    seed: int = 1,
    progress: ProgressFn | None = None,
) -> dict[str, np.ndarray]:
    """Simulate ``days`` days with ``agents`` on the phones per interval: per day and interval the callers, the
    answered within 30 s and the hung up (arrays days × intervals); day *i* uses ``SeedSequence(seed).spawn(days)[i]``."""
    model = _model(f, agents, aht_s, patience_s)
    n = len(f.calls)
    out = {k: np.zeros((days, n)) for k in ("offered", "within", "abandoned")}
    for i, s in enumerate(np.random.SeedSequence(seed).spawn(days)):
        offered, within, gone = interval_sl(simulate(model, s).contacts, n)
        out["offered"][i], out["within"][i], out["abandoned"][i] = offered, within, gone
        if progress is not None:
            progress(i + 1, days)
    return out


def sim_kpis(sim: dict[str, np.ndarray]) -> dict[str, float]:
    calls = float(sim["offered"].sum())
    return {
        "service_level": float(sim["within"].sum()) / calls,
        "abandonment_rate": float(sim["abandoned"].sum()) / calls,
        "abandoned": float(sim["abandoned"].sum()) / len(sim["offered"]),
    }


def needs_panel(
    *,
    title: str = "",
    forecast: Forecast | None = None,
    aht_s: float = AHT_S,
    patience_s: float = PATIENCE_S,
    days: int = 5,
) -> WhatIfPanel:
    """Forecast → agents on the phones per interval by Erlang C and Erlang A; Run: simulate the Erlang A staffing."""
    f0 = forecast or sample_forecast()
    controls = {
        "volume_pct": slider("ccsim-volume", "Calls (% of the forecast)", 100, 50, 300, 10),
        "aht_s": slider("ccsim-aht", "Handle time (s)", int(round(aht_s / 10) * 10), 200, 800, 10),
        "patience_s": slider("ccsim-patience", "Patience (s)", int(round(patience_s / 10) * 10), 30, 900, 10),
    }

    def compute(p: Params) -> Results:
        f = f0.scaled(p["volume_pct"] / 100)
        n = needs(f, p["aht_s"], p["patience_s"])
        hours = f.interval_s / 3600
        out: Results = {"needs": n, "forecast": f, "messages": [t for t in n["trap"] if t][:1]}
        for name in ("erlang_c", "erlang_a"):
            peak = max(n[name])
            out[name] = {"agents": peak, "scheduled_agents": float(scheduled_agents(int(peak), 0.41))}
            out["notes"] = out.get("notes", {}) | {
                name: {"agents": f"at the peak; {sum(n[name]) * hours:,.0f} agent-hours on the phones a day"}
            }
        out["erlang_c"]["service_level"] = _weighted(f.calls, n["sl_c"])
        out["erlang_a"]["service_level"] = _weighted(f.calls, n["sl_a"])
        out["erlang_a"]["abandonment_rate"] = _weighted(f.calls, n["abandon_a"])
        return out

    def sim(p: Params, progress: ProgressFn) -> Results:
        f = f0.scaled(p["volume_pct"] / 100)
        s = simulate_day(f, needs(f, p["aht_s"], p["patience_s"])["erlang_a"], days, aht_s=p["aht_s"],
                         patience_s=p["patience_s"], progress=progress)  # fmt: skip
        return {"simulation": sim_kpis(s), "sim": s}

    def figure(p: Params, r: Results):
        n, f = r["needs"], r["forecast"]
        return needs_figure(f.times, n["load"], n["erlang_c"], n["erlang_a"], int(f.interval_s // 60))

    g = guarantees()
    tiles = [
        KpiTile("agents", "erlang_c", source_name="Erlang C (nobody hangs up)"),
        KpiTile("agents", "erlang_a", source_name="Erlang A (callers hang up)"),
        KpiTile("scheduled_agents", "erlang_c", source_name="Erlang C, 41% shrinkage"),
        KpiTile("scheduled_agents", "erlang_a", source_name="Erlang A, 41% shrinkage"),
        KpiTile("service_level", "erlang_c", g["service_level"], source_name="Erlang C, the day"),
        KpiTile("service_level", "erlang_a", g["service_level"], source_name="Erlang A, the day"),
        KpiTile("service_level", "simulation", g["service_level"], source_name="Simulated days, Erlang A staffing"),
        KpiTile("abandonment_rate", "erlang_a", g["abandonment_rate"], source_name="Erlang A, the day"),
        KpiTile("abandonment_rate", "simulation", g["abandonment_rate"], source_name="Simulated days"),
    ]
    return WhatIfPanel(
        controls,
        compute,
        tiles=tiles,
        figure=figure,
        simulate=sim,
        auto_simulate=False,
        title=title,
        run_label=f"Simulate {days} days",
        figure_height="360px",
    )


# ---------------------------------------------------------------------------------------------- shrinkage

SHRINKAGE_PARTS = {
    "breaks_pct": ("Breaks and lunch (%)", 12.0),
    "training_pct": ("Training and coaching (%)", 9.0),
    "absence_pct": ("Absence (%)", 5.5),
    "vacation_pct": ("Vacation and holidays (%)", 8.5),
    "offphone_pct": ("Off-phone work (%)", 6.0),
}
"""An assumed split of the plan's 41% shrinkage (only the 41% total and the 5.5% absenteeism are facts)."""


def shrinkage_numbers(on_phones: int, parts: dict[str, float]) -> dict[str, float]:
    """Shrinkage (share), on-line share and agents to schedule for ``on_phones`` on the phones."""
    shrink = sum(parts.values()) / 100
    if shrink >= 0.95:
        raise CcsimInputError("shrinkage", f"{100 * shrink:.0f}%", "below 95%: somebody has to be on the phones")
    return {
        "shrinkage": shrink,
        "online": 1 - shrink,
        "scheduled_agents": float(scheduled_agents(on_phones, shrink)),
        "agents": float(on_phones),
    }


def shrinkage_panel(*, title: str = "") -> WhatIfPanel:
    """The 41% of scheduled time off the phones, part by part (an assumed split), and the schedule it needs."""
    controls = {"on_phones": slider("ccsim-on-phones", "Needed on the phones", 50, 10, 120, 1)}
    for name, (label, value) in SHRINKAGE_PARTS.items():
        controls[name] = slider(
            f"ccsim-{name.replace('_', '-')}", label, value, 0.0, 30.0, 0.5, integer=False, readout_format=".1f"
        )
    words = widgets.HTML()
    words.add_class("ccsim-shrinkage-words")

    def compute(p: Params) -> Results:
        n = shrinkage_numbers(p["on_phones"], {k: p[k] for k in SHRINKAGE_PARTS})
        sched = n["scheduled_agents"]
        words.value = (
            f"<p>Shrinkage {100 * n['shrinkage']:.1f}%: of every 100 scheduled hours, {100 * n['online']:.1f} are "
            f"on the phones. To have <b>{p['on_phones']} on the phones</b>, schedule <b>{sched:.0f} people</b>; "
            f"the other {sched - p['on_phones']:.0f} are on breaks, in training, absent, on vacation or doing "
            f"off-phone work at any moment. {html.escape('(The split is assumed; only the 41% total is a fact.)')}</p>"
        )
        return {"schedule": {"scheduled_agents": sched, "agents": n["agents"]}, "numbers": n}

    tiles = [
        KpiTile("agents", "schedule", source_name="On the phones"),
        KpiTile("scheduled_agents", "schedule", source_name="To schedule, after shrinkage"),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title, extra=[words])
