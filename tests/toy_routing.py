"""A toy routing policy for the tests, registered as ``newest_first``: last come, first served.

It uses only the :class:`~ccsim.simulation.routing.RoutingView` and ignores skill priorities: an
arriving caller goes to the agent idle longest among every group with the skill; a free agent
takes the caller who joined most recently, across the queues of all its skills. ``with
toy_routing.registered():`` registers it for the block only, so other tests see the built-in
policies alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from ccsim.simulation.agents import Agent
from ccsim.simulation.queues import Queue
from ccsim.simulation.routing import RoutingView, longest_idle, register_routing, unregister_routing

NAME = "newest_first"


class NewestFirst:
    """Newest caller first: the caller who joined last is answered first."""

    per_site_queues: ClassVar[bool] = False

    def __init__(self, view: RoutingView):
        self.view = view
        self._servers = [[g for g in view.groups if q.skill in g.priorities] for q in view.queues]
        self._queues = [[q for q in view.queues if q.skill in g.priorities] for g in view.groups]

    def caller_arrives(self, leg: int, queue: Queue) -> None:
        group = longest_idle(self._servers[queue.index])
        if group is None:
            self.view.join(leg, queue)
        else:
            self.view.answer(leg, group, self.view.now)

    def agent_free(self, agent: Agent, now: float) -> int:
        give_up, entry = self.view.give_up_s, self.view.queue_entry_s
        best: Queue | None = None
        newest = -math.inf
        for queue in self._queues[agent.group.index]:
            waiting = queue.waiting
            while waiting and give_up[waiting[-1]] <= now:
                waiting.pop()  # hung up before anyone was free: abandoned at their give-up time
            if waiting and entry[waiting[-1]] > newest:
                best, newest = queue, entry[waiting[-1]]
        return -1 if best is None else best.waiting.pop()


@contextmanager
def registered() -> Iterator[type[NewestFirst]]:
    """Register :class:`NewestFirst` as ``newest_first`` for the ``with`` block, then remove it."""
    register_routing(NAME)(NewestFirst)
    try:
        yield NewestFirst
    finally:
        unregister_routing(NAME)
