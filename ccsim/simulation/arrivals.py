"""Callers: drawn up front in vectorised batches, then let into their queues as a SimPy process.

Arrivals are a Poisson process whose rate is constant within each interval. Each caller spends
the call type's ``menu_time_s`` in the voice menu, which resolves them with probability
``menu_containment`` (they never queue); the others join the queue at ``queue_entry_s``, and the
patience clock starts then: a caller hangs up at ``give_up_s = queue_entry_s + patience``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from ccsim.simulation.model import CenterModel
from ccsim.simulation.queues import Queue
from ccsim.simulation.randomness import stream_generator


@dataclass
class Callers:
    """Every caller of one run, in order of arrival; times in seconds, one entry per caller."""

    arrival_s: np.ndarray
    call_type: np.ndarray
    """Index of the caller's call type in ``model.call_types``."""
    site: np.ndarray
    """Index of the caller's site in ``site_names``."""
    site_names: list[str]
    """The model's sites, then any other site an arrival stream or agent group names."""
    handle_s: np.ndarray
    """Handle time the caller's first call would take."""
    patience_s: np.ndarray
    """Seconds the caller waits in the queue before hanging up (∞: never)."""
    self_served: np.ndarray
    """Resolved by the voice menu; never queues."""
    queue_entry_s: np.ndarray
    """Out of the voice menu (into the queue, or resolved by it)."""
    give_up_s: np.ndarray
    """When the caller would hang up: queue entry + patience."""

    @property
    def n(self) -> int:
        return int(self.arrival_s.size)


def site_names(model: CenterModel) -> list[str]:
    """The run's sites: the model's, then any other site an arrival stream or agent group names."""
    names = [s.name for s in model.sites] + [a.site for a in model.arrivals] + [g.site for g in model.agent_groups]
    return list(dict.fromkeys(names))


def draw_callers(model: CenterModel, seed: np.random.SeedSequence) -> Callers:
    """Draw every caller of a run: arrival times per stream, then per call type handle time, patience and self-service."""
    type_index = {ct.name: k for k, ct in enumerate(model.call_types)}
    sites = site_names(model)
    times, types, at_site = [], [], []
    for i, stream in enumerate(model.arrivals):
        rng = stream_generator(seed, "arrivals", i)
        calls = np.asarray(stream.calls_per_interval, dtype=float)
        counts = rng.poisson(calls)
        starts = np.repeat(np.arange(calls.size) * model.interval_s, counts)
        t = np.sort(starts + rng.random(starts.size) * model.interval_s)
        times.append(t)
        types.append(np.full(t.size, type_index[stream.call_type], dtype=np.int32))
        at_site.append(np.full(t.size, sites.index(stream.site), dtype=np.int32))
    arrival = np.concatenate(times)
    order = np.argsort(arrival, kind="stable")
    call_type = np.concatenate(types)[order]
    n = arrival.size
    handle = np.empty(n)
    patience = np.full(n, np.inf)
    menu = np.zeros(n)
    self_served = np.zeros(n, dtype=bool)
    for k, ct in enumerate(model.call_types):
        mine = np.flatnonzero(call_type == k)
        handle[mine] = ct.handle_time.sample(stream_generator(seed, "handle_time", k), mine.size)
        if ct.patience is not None:
            patience[mine] = ct.patience.sample(stream_generator(seed, "patience", k), mine.size)
        menu[mine] = ct.menu_time_s
        if ct.menu_containment > 0:
            self_served[mine] = stream_generator(seed, "self_service", k).random(mine.size) < ct.menu_containment
    arrival_s = arrival[order]
    queue_entry_s = arrival_s + menu
    return Callers(
        arrival_s=arrival_s,
        call_type=call_type,
        site=np.concatenate(at_site)[order],
        site_names=sites,
        handle_s=handle,
        patience_s=patience,
        self_served=self_served,
        queue_entry_s=queue_entry_s,
        give_up_s=queue_entry_s + patience,
    )


def callers_arrive(
    env: simpy.Environment,
    callers: Callers,
    entry: Sequence[float],
    queue_of: list[Queue],
    caller_arrives: Callable[[int, Queue], None],
) -> Generator[simpy.Event, Any, None]:
    """The process letting callers out of the voice menu (at ``entry[caller]``) into their queue (``queue_of[caller]``), in order."""
    order = np.argsort(callers.queue_entry_s, kind="stable")
    if callers.self_served.any():
        order = order[~callers.self_served[order]]  # resolved by the voice menu: never queue
    for start in range(0, order.size, 8192):  # a few thousand at a time: a month has a million callers
        for contact in order[start : start + 8192].tolist():
            delay = entry[contact] - env.now
            yield env.timeout(delay if delay > 0 else 0.0)
            caller_arrives(contact, queue_of[contact])
