"""Engine speed: ccsim's time per simulated call against a plain textbook SimPy model, same process.

One 8-hour day, AHT 400 s exponential, patience 300 s exponential, load 0.95 × agents, at 50, 400
and 1,000 agents. Both models are run interleaved, several repeats each; the median time per call
is compared. ccsim's time includes drawing the callers and building the contacts DataFrame; the
plain model draws its numbers up front too and only appends tuples to a list (no DataFrame), so
the comparison is, if anything, tilted towards it. Times are CPU seconds of this process
(``time.process_time``): on a shared machine other people's work then slows neither side.
Targets: ccsim ≤ 1.2 × the plain model at every size; ccsim per call at 1,000 agents ≤ 1.3 × at 50.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from plain_simpy import plain_simpy  # benchmarks/plain_simpy.py, the shared baseline

from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

AHT_S = 400.0
PATIENCE_S = 300.0
HOURS = 8
INTERVAL_S = 1800.0
SIZES = (50, 400, 1000)
REPEATS = 7


def day_model(agents: int) -> CenterModel:
    """The benchmark day: constant staffing, offered load 0.95 × agents erlangs."""
    calls = 0.95 * agents / AHT_S * INTERVAL_S
    return CenterModel.single_queue(
        calls,
        agents,
        Exponential(AHT_S),
        Exponential(PATIENCE_S),
        interval_s=INTERVAL_S,
        intervals=int(HOURS * 3600 / INTERVAL_S),
    )


def plain_day(agents: int, seed: int) -> int:
    """The textbook model (:func:`plain_simpy.plain_simpy`) on the benchmark day, its numbers drawn up front. Returns calls simulated."""
    rng = np.random.default_rng(seed)
    rate = 0.95 * agents / AHT_S
    horizon = HOURS * 3600.0
    n = int(rate * horizon * 1.2) + 100
    gaps = rng.exponential(1 / rate, n).tolist()
    handle = rng.exponential(AHT_S, n).tolist()
    patience = rng.exponential(PATIENCE_S, n).tolist()
    return plain_simpy(gaps, handle, patience, agents, horizon)


def ccsim_run(agents: int, seed: int) -> int:
    return len(simulate(day_model(agents), seed).contacts)


def time_per_call(fn, agents: int, seed: int) -> float:
    """CPU seconds per simulated call of one run of ``fn``."""
    t0 = time.process_time()
    calls = fn(agents, seed)
    return (time.process_time() - t0) / calls


def run(repeats: int = REPEATS) -> list[dict]:
    rows: list[dict] = []
    ours: dict[int, list[float]] = {a: [] for a in SIZES}
    plain: dict[int, list[float]] = {a: [] for a in SIZES}
    for agents in SIZES:  # warm up both (imports, caches)
        ccsim_run(agents, 999)
        plain_day(agents, 999)
    # interleave sizes and models within each repeat, so a change in the machine's load hits all alike
    for r in range(repeats):
        for agents in SIZES:
            ours[agents].append(time_per_call(ccsim_run, agents, r))
            plain[agents].append(time_per_call(plain_day, agents, r))
    per_call: dict[int, float] = {}
    for agents in SIZES:
        o, p = statistics.median(ours[agents]), statistics.median(plain[agents])
        per_call[agents] = o
        rows.append(
            dict(
                benchmark=f"engine, {agents} agents",
                measure="ccsim µs per call",
                value=round(o * 1e6, 2),
                target="",
                met="",
            )
        )
        rows.append(
            dict(
                benchmark=f"engine, {agents} agents",
                measure="plain SimPy µs per call",
                value=round(p * 1e6, 2),
                target="",
                met="",
            )
        )
        rows.append(
            dict(
                benchmark=f"engine, {agents} agents",
                measure="ccsim / plain SimPy",
                value=round(o / p, 3),
                target="≤ 1.2",
                met=o / p <= 1.2,
            )
        )
    growth = per_call[SIZES[-1]] / per_call[SIZES[0]]
    rows.append(
        dict(
            benchmark="engine scaling",
            measure=f"ccsim per call, {SIZES[-1]} / {SIZES[0]} agents",
            value=round(growth, 3),
            target="≤ 1.3",
            met=growth <= 1.3,
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
