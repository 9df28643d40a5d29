"""After a call: the caller may be transferred to another call type's queue, or handed off to the back office.

With ``Transfer.probability`` the caller joins another call type's queue as a new *leg* of the
same contact (new handle time and patience, drawn from the ``transfer_*`` streams; the patience
clock restarts in the new queue), or, with ``to_call_type=None``, is handed to the back office,
done ``back_office_s`` seconds after the call ended (no agent).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ccsim.simulation.randomness import Draws, stream_generator

if TYPE_CHECKING:
    from ccsim.simulation.distributions import Distribution
    from ccsim.simulation.logs import LegLog
    from ccsim.simulation.model import CenterModel
    from ccsim.simulation.queues import Queue


def _sampler(distribution: Distribution, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
    """``size`` → that many draws of ``distribution`` from ``rng``."""
    return lambda size: distribution.sample(rng, size)


class Transfers:
    """Draws where each caller goes after a call, and sends transferred callers on as new legs."""

    def __init__(
        self,
        model: CenterModel,
        seed: np.random.SeedSequence,
        legs: LegLog,
        clock: Callable[[], float],
        queue_of: Callable[[int, int], Queue],
        caller_arrives: Callable[[int, Queue], None],
    ):
        names = [c.name for c in model.call_types]
        self._routes = [
            [
                (t.probability, -1 if t.to_call_type is None else names.index(t.to_call_type), t.back_office_s)
                for t in ct.transfers
            ]
            for ct in model.call_types
        ]
        """Per call type: (probability, call type index or -1 for the back office, back_office_s)."""
        self._draw = [Draws(stream_generator(seed, "transfer", k).random) for k in range(len(names))]
        self._handle: list[Draws] = []
        self._patience: list[Draws | None] = []
        for k, ct in enumerate(model.call_types):
            rng_h = stream_generator(seed, "transfer_handle_time", k)
            self._handle.append(Draws(_sampler(ct.handle_time, rng_h)))
            if ct.patience is None:
                self._patience.append(None)
            else:
                rng_p = stream_generator(seed, "transfer_patience", k)
                self._patience.append(Draws(_sampler(ct.patience, rng_p)))
        self.legs = legs
        self._clock = clock
        self._queue_of = queue_of
        self._caller_arrives = caller_arrives

    def call_ended(self, leg: int) -> None:  # never holds the agent (no consults without journeys)
        """After handling ``leg``: with each transfer's probability the caller joins another queue (a new leg) or is handed off."""
        legs = self.legs
        k = legs.call_type[leg]
        routes = self._routes[k]
        if not routes:
            return
        u = self._draw[k]()
        cumulative = 0.0
        for route in routes:
            cumulative += route[0]
            if u < cumulative:
                break
        else:
            return  # no transfer drawn: the caller is done
        _, to, back_office_s = route
        now = self._clock()
        if to < 0:
            legs.handoffs[leg] = now + back_office_s
            return
        patience = self._patience[to]
        give_up_s = now + patience() if patience is not None else math.inf
        new = legs.add(leg, to, now, self._handle[to](), give_up_s)
        self._caller_arrives(new, self._queue_of(to, legs.contact_of(new)))
