"""Network speed: one day of the ``member_services_network`` preset against a plain SimPy single queue, same process.

The preset: three sites sharing calls (site first, overflow after 20 s), 13 agent groups with
language and specialist skills at priorities, transfers to claims and back-office hand-offs, about
30,000 calls in 13 hours. The baseline is the textbook SimPy model (``simpy.Resource``, one process
per caller, ``req | env.timeout(patience)``) with the same number of calls over the same hours,
as many agents as the preset has on duty on average, the same mean handle time (exponential) and
exponential patience of 300 s; it appends a tuple per caller to a list (no DataFrame). Both are run
interleaved, several repeats; the figure is the median CPU time (``time.process_time``) per call.
Target: ccsim on the network ≤ 2 × the plain single queue per call.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from plain_simpy import plain_simpy  # benchmarks/plain_simpy.py, the shared baseline

from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

PRESET = "member_services_network"
PATIENCE_S = 300.0
REPEATS = 5


def network_model() -> CenterModel:
    return load_preset(PRESET).to_model()


def plain_queue(calls: int, agents: int, horizon_s: float, aht_s: float, seed: int) -> int:
    """The textbook single queue (:func:`plain_simpy.plain_simpy`) with ``calls`` Poisson arrivals over ``horizon_s``. Returns calls simulated."""
    rng = np.random.default_rng(seed)
    arrivals = np.sort(rng.random(calls) * horizon_s)
    gaps = np.diff(arrivals, prepend=0.0).tolist()
    handle = rng.exponential(aht_s, calls).tolist()
    patience = rng.exponential(PATIENCE_S, calls).tolist()
    return plain_simpy(gaps, handle, patience, agents)


def baseline_size(model: CenterModel) -> tuple[int, int, float, float]:
    """(calls, agents, horizon_s, aht_s) of the plain model matching ``model``: expected calls, mean agents on duty, mean AHT."""
    calls = sum(sum(a.calls_per_interval) for a in model.arrivals)
    work = sum(sum(a.calls_per_interval) * model.call_type(a.call_type).handle_time.mean_s for a in model.arrivals)
    staffed = sum(g.agents_at(k * model.interval_s) for g in model.agent_groups for k in range(model.intervals))
    agents = round(staffed / model.intervals)
    return round(calls), int(agents), model.horizon_s, work / calls


def run(repeats: int = REPEATS) -> list[dict]:
    model = network_model()
    calls, agents, horizon_s, aht_s = baseline_size(model)

    def ours(seed: int) -> float:
        t0 = time.process_time()
        n = len(simulate(model, seed).contacts)
        return (time.process_time() - t0) / n

    def plain(seed: int) -> float:
        t0 = time.process_time()
        n = plain_queue(calls, agents, horizon_s, aht_s, seed)
        return (time.process_time() - t0) / n

    ours(999), plain(999)  # warm up both
    o_times, p_times = [], []
    for r in range(repeats):
        o_times.append(ours(r))
        p_times.append(plain(r))
    o, p = statistics.median(o_times), statistics.median(p_times)
    name = f"network, {PRESET}"
    return [
        dict(benchmark=name, measure="calls in the day (expected)", value=calls, target="", met=""),
        dict(benchmark=name, measure="plain model agents (mean on duty)", value=agents, target="", met=""),
        dict(benchmark=name, measure="ccsim µs per call", value=round(o * 1e6, 2), target="", met=""),
        dict(
            benchmark=name, measure="plain SimPy single queue µs per call", value=round(p * 1e6, 2), target="", met=""
        ),
        dict(
            benchmark=name, measure="ccsim network / plain SimPy", value=round(o / p, 3), target="≤ 2", met=o / p <= 2.0
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
