"""The baseline of the speed benchmarks: the textbook SimPy single queue.

``simpy.Resource(capacity=agents)``, one process per caller, ``yield req | env.timeout(patience)``,
then ``env.timeout(handle)``; it appends a tuple per caller to a list (no DataFrame). The caller's
numbers are drawn by the benchmark and passed in, so each benchmark keeps its own arrivals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import simpy


def plain_simpy(
    gaps_s: Sequence[float],
    handle_s: Sequence[float],
    patience_s: Sequence[float],
    agents: int,
    horizon_s: float = math.inf,
) -> int:
    """Caller *i* arrives ``gaps_s[i]`` seconds after caller *i − 1* (the first after 0) until ``horizon_s``,
    waits up to ``patience_s[i]``, is served for ``handle_s[i]`` seconds. Returns the calls simulated."""
    env = simpy.Environment()
    staff = simpy.Resource(env, capacity=agents)
    log: list[tuple[int, float, float, bool]] = []

    def caller(i: int):
        arrive = env.now
        with staff.request() as req:
            got = yield req | env.timeout(patience_s[i])
            if req in got:
                log.append((i, arrive, env.now - arrive, True))
                yield env.timeout(handle_s[i])
            else:
                log.append((i, arrive, env.now - arrive, False))

    def source():
        for i in range(len(gaps_s)):
            yield env.timeout(gaps_s[i])
            if env.now >= horizon_s:
                return
            env.process(caller(i))

    env.process(source())
    env.run()
    return len(log)
