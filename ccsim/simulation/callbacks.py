"""Call-back offers: a caller who has to queue when the predicted wait is long may ask to be called back.

A caller who joins a queue when :meth:`Callbacks.predicted_wait_s` exceeds
``Callback.offer_when_wait_exceeds_s`` is offered a call-back and accepts with probability
``acceptance_share``: they keep their place but no longer hang up; the agent whose turn it is
calls them back (outcome ``callback``, answered when called back). The engine hands
:meth:`Callbacks.join` to the routing policy as the way a caller joins a queue.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ccsim.simulation.randomness import Draws, stream_generator

if TYPE_CHECKING:
    from ccsim.simulation.agents import Group
    from ccsim.simulation.logs import LegLog
    from ccsim.simulation.model import CenterModel
    from ccsim.simulation.queues import Queue


class Callbacks:
    """Offers call-backs to queued callers and remembers who was offered one and who accepted."""

    def __init__(
        self, model: CenterModel, queues: list[Queue], groups: list[Group], legs: LegLog, seed: np.random.SeedSequence
    ):
        assert model.callback is not None
        self.threshold_s = float(model.callback.offer_when_wait_exceeds_s)
        self.acceptance_share = float(model.callback.acceptance_share)
        self.skill_queues: dict[str, list[Queue]] = {}
        for queue in queues:
            self.skill_queues.setdefault(queue.skill, []).append(queue)
        self.skill_groups = {skill: [g for g in groups if skill in g.priorities] for skill in self.skill_queues}
        self.mean_handle_s = [ct.handle_time.mean_s for ct in model.call_types]
        self._call_type = legs.call_type
        self._give_up = legs.give_up_s
        self.offered: set[int] = set()
        """Legs offered a call-back."""
        self.accepted: set[int] = set()
        """Legs whose caller accepted the offer."""
        self._accept_draw = Draws(stream_generator(seed, "callback").random)

    def predicted_wait_s(self, leg: int, queue: Queue) -> float:
        """Predicted wait of a caller who just joined ``queue``, seconds.

        (callers in the skill's queues ahead of them + 1) × the call type's mean handle time /
        agents on the roster with the skill (any site, any priority); ∞ when nobody with the skill
        is on duty. Callers ahead who already hung up but are not yet cleared from the queue count.
        """
        ahead = sum(len(q.waiting) for q in self.skill_queues[queue.skill]) - 1
        on = sum(g.on_roster for g in self.skill_groups[queue.skill])
        if on <= 0:
            return math.inf
        return (ahead + 1) * self.mean_handle_s[self._call_type[leg]] / on

    def join(self, leg: int, queue: Queue) -> None:
        """The caller joins ``queue`` and, if the predicted wait is long, is offered a call-back."""
        queue.waiting.append(leg)
        if self.predicted_wait_s(leg, queue) > self.threshold_s:
            self.offered.add(leg)
            if self._accept_draw() < self.acceptance_share:
                self.accepted.add(leg)
                self._give_up[leg] = math.inf  # keeps their place and no longer hangs up
