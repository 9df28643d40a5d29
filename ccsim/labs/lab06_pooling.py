"""Lab 06, part 1: why pooling needs fewer agents, and why small queues suffer most when kept apart.

* :func:`pooling_numbers` / :func:`pooling_panel`: facts.md's pooling case recomputed by Erlang C
  (80% answered within 30 s): three sites, each 90 calls an hour, handle time 400 s, answered each
  at its own site or from one pooled queue; the agents each way, and the service level of the same
  agents kept apart or pooled. Instant.
* :func:`small_queue_numbers` / :func:`small_queue_panel`: a small queue (TTY, Cantonese, Mandarin)
  kept apart needs many agents for its work and leaves them idle; the same calls shared with a big
  pool need far fewer extra agents. Instant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ccsim.analytics.erlang import erlang_c
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import guarantees
from ccsim.views.widgets import KpiTile, Params, Results, WhatIfPanel, slider

__all__ = [
    "POOL",
    "SMALL",
    "PoolCase",
    "SmallQueueCase",
    "pooling_numbers",
    "pooling_panel",
    "small_queue_numbers",
    "small_queue_panel",
]


@dataclass(frozen=True)
class PoolCase:
    """facts.md ("Queueing facts", pooling): sites, calls an hour at each site, handle time."""

    sites: int = 3
    calls_per_hour: float = 90.0
    aht_s: float = 400.0


POOL = PoolCase()


@dataclass(frozen=True)
class SmallQueueCase:
    """A small queue (a TTY line: few calls, long typed conversations) beside a big English pool."""

    calls_per_hour: float = 4.0
    aht_s: float = 900.0
    big_calls_per_hour: float = 270.0
    """The big pool: the three sites of :data:`POOL` together (3 × 90 calls an hour)."""
    big_aht_s: float = 400.0


SMALL = SmallQueueCase()

_HOUR = 3600.0


def _sl_target() -> tuple[float, float]:
    sl = guarantees()["service_level"]
    return float(sl.answer_within_s or 30.0), sl.value


def _need(calls_per_hour: float, aht_s: float) -> int:
    t, target = _sl_target()
    if calls_per_hour <= 0:
        return 0
    return required_agents(calls_per_hour, _HOUR, aht_s, answer_within_s=t, target_sl=target).agents


def _sl(calls_per_hour: float, aht_s: float, agents: int) -> float:
    t, _ = _sl_target()
    return erlang_c(calls_per_hour, _HOUR, aht_s, agents, answer_within_s=t).service_level


def pooling_numbers(sites: int, calls_per_hour: float, aht_s: float) -> dict[str, float]:
    """Agents by Erlang C (80% within 30 s) for ``sites`` sites kept apart and pooled, and the service level of the same agents both ways.

    >>> n = pooling_numbers(3, 90, 400)
    >>> n["agents_site"], n["agents_separate"], n["agents_pooled"]
    (14.0, 42.0, 35.0)
    """
    per_site = _need(calls_per_hour, aht_s)
    pooled = _need(sites * calls_per_hour, aht_s)
    separate = sites * per_site
    return {
        "sites": float(sites),
        "load_site": calls_per_hour * aht_s / _HOUR,
        "agents_site": float(per_site),
        "agents_separate": float(separate),
        "agents_pooled": float(pooled),
        "saved": float(separate - pooled),
        "saved_share": (separate - pooled) / separate if separate else 0.0,
        "sl_separate": _sl(calls_per_hour, aht_s, per_site),
        "sl_pooled_same_agents": _sl(sites * calls_per_hour, aht_s, separate),
        "sl_pooled": _sl(sites * calls_per_hour, aht_s, pooled),
    }


def pooling_panel(case: PoolCase = POOL, *, title: str = "") -> WhatIfPanel:
    """Sites, calls an hour at each site and handle time → agents kept apart vs pooled, and the same agents' service level both ways."""
    controls = {
        "sites": slider("ccsim-sites", "Sites", case.sites, 1, 6, 1, tooltip="How many sites answer calls"),
        "calls_per_hour": slider(
            "ccsim-site-calls", "Calls an hour per site", case.calls_per_hour, 10, 300, 5, tooltip="At each site"
        ),
        "aht_s": slider("ccsim-aht", "Handle time (s)", case.aht_s, 120, 900, 10, tooltip="Talk plus wrap-up"),
    }

    def compute(params: Params) -> Results:
        n = pooling_numbers(int(params["sites"]), float(params["calls_per_hour"]), float(params["aht_s"]))
        sites = int(n["sites"])
        apart = f"{sites} × {n['agents_site']:.0f} = {n['agents_separate']:.0f} agents, each site alone"
        pooled = (
            f"{n['saved']:.0f} fewer than {n['agents_separate']:.0f} kept apart ({100 * n['saved_share']:.0f}% fewer)"
        )
        return {
            "separate": {"agents": n["agents_separate"], "service_level": n["sl_separate"]},
            "pooled": {"agents": n["agents_pooled"], "service_level": n["sl_pooled_same_agents"]},
            "notes": {
                "separate": {"agents": apart, "service_level": f"{n['agents_site']:.0f} agents at each site"},
                "pooled": {
                    "agents": pooled,
                    "service_level": f"the same {n['agents_separate']:.0f} agents answering one queue",
                },
            },
            "numbers": n,
        }

    sl = guarantees()["service_level"]
    tiles = [
        KpiTile("agents", "separate", source_name="Erlang C: each site answers its own calls"),
        KpiTile("agents", "pooled", source_name="Erlang C: one queue, any site answers"),
        KpiTile("service_level", "separate", sl, source_name="Erlang C: each site answers its own calls"),
        KpiTile("service_level", "pooled", sl, source_name="Erlang C: one queue, any site answers"),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title)


def small_queue_numbers(calls_per_hour: float, aht_s: float, case: SmallQueueCase = SMALL) -> dict[str, float]:
    """A small queue kept apart (its own agents, Erlang C, 80% within 30 s) vs its calls shared with the big pool.

    Shared: the extra agents the big pool needs to take the small queue's calls too (one queue, the
    handle time weighted by calls). Busy occupancy: work over agents.

    >>> n = small_queue_numbers(4, 900)
    >>> n["agents_apart"], n["load"]
    (3.0, 1.0)
    """
    load = calls_per_hour * aht_s / _HOUR
    apart = _need(calls_per_hour, aht_s)
    big_load = case.big_calls_per_hour * case.big_aht_s / _HOUR
    big = _need(case.big_calls_per_hour, case.big_aht_s)
    calls = case.big_calls_per_hour + calls_per_hour
    mixed_aht = (case.big_calls_per_hour * case.big_aht_s + calls_per_hour * aht_s) / calls
    shared = _need(calls, mixed_aht)
    return {
        "load": load,
        "agents_apart": float(apart),
        "occupancy_apart": load / apart if apart else math.nan,
        "agents_big": float(big),
        "agents_shared_extra": float(shared - big),
        "occupancy_shared": (big_load + load) / shared,
    }


def small_queue_panel(case: SmallQueueCase = SMALL, *, title: str = "") -> WhatIfPanel:
    """Calls an hour and handle time of a small queue → agents and busy occupancy kept apart vs shared with a big pool."""
    controls = {
        "calls_per_hour": slider(
            "ccsim-small-calls", "Calls an hour (small queue)", case.calls_per_hour, 1, 60, 1, tooltip="e.g. TTY"
        ),
        "aht_s": slider("ccsim-small-aht", "Handle time (s)", case.aht_s, 120, 1200, 30, tooltip="Talk plus wrap-up"),
    }

    def compute(params: Params) -> Results:
        n = small_queue_numbers(float(params["calls_per_hour"]), float(params["aht_s"]), case)
        work = f"{n['load']:.1f} agents' worth of work"
        return {
            "apart": {"agents": n["agents_apart"], "occupancy": n["occupancy_apart"]},
            "with_big_pool": {"agents": n["agents_shared_extra"], "occupancy": n["occupancy_shared"]},
            "notes": {
                "apart": {"agents": work, "occupancy": "the rest of the time they wait for a call"},
                "with_big_pool": {
                    "agents": f"extra agents in a pool of {n['agents_big']:.0f} ({case.big_calls_per_hour:.0f} calls an hour)",
                    "occupancy": "the whole shared pool",
                },
            },
            "numbers": n,
        }

    occ = guarantees()["occupancy"]
    tiles = [
        KpiTile("agents", "apart", source_name="Erlang C: the small queue kept apart"),
        KpiTile("agents", "with_big_pool", source_name="Erlang C: shared with a big pool"),
        KpiTile("occupancy", "apart", occ, source_name="Erlang C: the small queue kept apart"),
        KpiTile("occupancy", "with_big_pool", occ, source_name="Erlang C: shared with a big pool"),
    ]
    return WhatIfPanel(controls, compute, tiles=tiles, title=title)
