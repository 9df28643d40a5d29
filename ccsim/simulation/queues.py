"""Queues of callers waiting for a skill: first come, first served, with lazy abandonment."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, MutableSequence


class Queue:
    """Callers waiting for one skill (and, with site-first routing, one site), in order of queue entry.

    ``waiting`` holds leg ids (a caller's visit to a queue) in order of queue entry. A caller whose
    give-up time has passed stays in it until someone looks at the head (:meth:`head`,
    :meth:`next_live`), which drops them; their outcome (abandoned at their give-up time) is
    settled when the log is built, so hanging up needs no event of its own.
    """

    __slots__ = ("_give_up_s", "hung_up", "index", "site", "skill", "waiting")

    def __init__(self, index: int, skill: str, give_up_s: MutableSequence[float], site: int = -1):
        self.index = index
        """Position in the run's list of queues."""
        self.skill = skill
        self.site = site
        """Index of the callers' site (one queue per skill and site); -1: one queue for every site."""
        self.waiting: deque[int] = deque()
        self._give_up_s = give_up_s
        self.hung_up: Callable[[int], None] | None = None
        """Told of each leg dropped from the queue because its give-up time passed (members' journeys: they may redial).
        Also of legs marked :meth:`answered_elsewhere`; it tells them apart by whether an agent took them."""

    def __repr__(self) -> str:
        return f"Queue({self.skill!r}, site={self.site}, waiting={len(self.waiting)})"

    def join(self, leg: int) -> None:
        """The caller joins the end of the queue."""
        self.waiting.append(leg)

    def head(self, now: float) -> int:
        """The longest-waiting caller still on the line at ``now`` (left in the queue), or -1."""
        waiting, give_up = self.waiting, self._give_up_s
        while waiting:
            leg = waiting[0]
            if give_up[leg] > now:
                return leg
            waiting.popleft()  # hung up before anyone was free: abandoned at give_up_s
            if self.hung_up is not None:
                self.hung_up(leg)
        return -1

    def next_live(self, now: float) -> int:
        """Take the longest-waiting caller still on the line at ``now`` off the queue, or -1."""
        waiting, give_up = self.waiting, self._give_up_s
        while waiting:
            leg = waiting.popleft()
            if give_up[leg] > now:
                return leg
            if self.hung_up is not None:
                self.hung_up(leg)
        return -1

    def answered_elsewhere(self, leg: int) -> None:
        """Mark a waiting caller who was answered without leaving the deque; :meth:`head` drops them when reached.

        Lets a router answer a caller out of line without searching the deque.
        """
        self._give_up_s[leg] = -math.inf


def build_queues(
    skills: list[str], sites: int, give_up_s: MutableSequence[float], *, per_site: bool
) -> dict[tuple[str, int], Queue]:
    """One queue per skill (key ``(skill, -1)``), or with ``per_site`` one per skill and site (key ``(skill, site)``)."""
    keys = [(s, i) for s in skills for i in range(sites)] if per_site else [(s, -1) for s in skills]
    return {key: Queue(k, key[0], give_up_s, key[1]) for k, key in enumerate(keys)}
