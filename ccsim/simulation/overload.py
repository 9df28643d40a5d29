"""Can the agents keep up? Demand against staffing, the overload sentence, and the size limit of one run."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ccsim.errors import CcsimInputError
from ccsim.simulation.model import CenterModel
from ccsim.simulation.staffing import Steps, agents_at, staffed_s

MAX_EXPECTED_CALLS = 5_000_000
"""Most calls :func:`~ccsim.simulation.engine.simulate` accepts in one run: the expected offered calls over the horizon (the sum
of every arrival stream's ``calls_per_interval``). Each call costs a few hundred bytes of log, so this
keeps one run to a few gigabytes at most; a larger model raises :class:`~ccsim.errors.CcsimInputError`."""


def check_size(model: CenterModel) -> None:
    """Refuse a run expected to offer more than :data:`MAX_EXPECTED_CALLS` calls (it would exhaust memory)."""
    expected = sum(float(np.sum(a.calls_per_interval)) for a in model.arrivals)
    if expected > MAX_EXPECTED_CALLS:
        raise CcsimInputError(
            f"arrivals calls_per_interval (expected calls over the {model.horizon_s / 3600:g}-hour horizon)",
            round(expected),
            f"at most {MAX_EXPECTED_CALLS:,} expected calls in one run (fewer calls per interval or fewer intervals)",
        )


def _planned_steps(model: CenterModel) -> list[Steps]:
    """Each agent group's staffing steps, its site's opening hours applied."""
    sites = {s.name: s for s in model.sites}
    steps: list[Steps] = []
    for g in model.agent_groups:
        site = sites.get(g.site)
        steps.append(g.staffing if site is None else site.while_open(g.staffing))
    return steps


def planned_staffed_s(model: CenterModel) -> float:
    """Agent-seconds on the roster during the horizon by the staffing plan (steps anywhere, sites' opening hours applied)."""
    return sum((staffed_s(steps, model.horizon_s) for steps in _planned_steps(model)), 0.0)


def demand_ratio(model: CenterModel, staffed_s: float | None = None) -> float:
    """Offered workload (expected calls × mean handle time, seconds) over agent-seconds on duty during the horizon.

    Above 1 the agents cannot keep up even if they never rest. Calls the voice menu resolves are
    left out; transferred calls add the handle time of every queue they visit (assuming all are
    answered). ``staffed_s`` defaults to the staffing plan's agent-seconds.
    """
    index = {ct.name: k for k, ct in enumerate(model.call_types)}
    queued = [0.0] * len(model.call_types)
    for stream in model.arrivals:
        ct = model.call_types[index[stream.call_type]]
        queued[index[stream.call_type]] += sum(stream.calls_per_interval) * (1.0 - ct.menu_containment)
    visits = list(queued)
    wave = list(queued)
    for _ in range(50):  # transfers: calls moving on to other queues, wave after wave
        moved = [0.0] * len(wave)
        for k, ct in enumerate(model.call_types):
            for t in ct.transfers:
                if t.to_call_type is not None:
                    moved[index[t.to_call_type]] += wave[k] * t.probability
        if sum(moved) <= 1e-9 * max(sum(visits), 1.0):
            break
        visits = [v + m for v, m in zip(visits, moved, strict=True)]
        wave = moved
    work = sum(v * ct.handle_time.mean_s for v, ct in zip(visits, model.call_types, strict=True))
    if staffed_s is None:
        staffed_s = planned_staffed_s(model)
    if staffed_s <= 0:
        return math.inf if work > 0 else 0.0
    return work / staffed_s


def _staffing_label(model: CenterModel) -> str:
    """How the overload sentence names the staffing: the head count if no group's roster changes during the horizon."""
    total = 0
    for steps in _planned_steps(model):
        at_start = agents_at(steps, 0.0)
        if any(n != at_start for t, n in steps if 0 < t < model.horizon_s):
            return "the agents on duty"
        total += at_start
    return f"{total:,} agent" + ("" if total == 1 else "s")


def overload_message(model: CenterModel, unanswered: Sequence[int], *, staffed_s: float | None = None) -> str:
    """The plain-sentence overload warning for one run (``unanswered`` = [count]) or many runs; "" if none is due.

    Due when demand exceeds what the agents on duty can handle, or when any caller was still
    waiting when the drain time ran out.
    """
    ratio = demand_ratio(model, staffed_s)
    counts = [int(u) for u in unanswered]
    waiting = max(counts, default=0)
    if ratio <= 1.0 and waiting == 0:
        return ""
    if math.isinf(ratio):
        head = "Calls arrive but no agents are on duty"
    elif ratio > 1.0:
        head = f"Demand is {ratio:.1f} times what {_staffing_label(model)} can handle"
    else:
        head = "The agents could not empty the queue in the time allowed after the day"
    if waiting == 0:
        if math.isinf(ratio):
            return head + ", so every caller hangs up."
        return head + "; expect long waits and many callers hanging up."
    if len(counts) == 1:
        callers = "1 caller was" if waiting == 1 else f"{waiting:,} callers were"
        return f"{head}; {callers} still waiting when the day ended."
    hit = sum(c > 0 for c in counts)
    low = min(c for c in counts if c > 0)
    spread = f"{low:,}" if low == waiting else f"{low:,} to {waiting:,}"
    return f"{head}; in {hit} of {len(counts)} runs {spread} callers were still waiting when the day ended."
