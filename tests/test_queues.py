"""Queues: first come, first served, callers who hung up dropped lazily, callers answered out of line skipped."""

from __future__ import annotations

import math

from ccsim.simulation.queues import Queue, build_queues


def test_head_drops_callers_who_hung_up_and_keeps_the_first_still_on_the_line():
    give_up = [10.0, 20.0, 30.0]
    q = Queue(0, "english", give_up)
    for leg in (0, 1, 2):
        q.join(leg)
    assert q.head(5.0) == 0 and list(q.waiting) == [0, 1, 2]  # looking does not remove
    assert q.head(20.0) == 2 and list(q.waiting) == [2]  # gave up at 10 and exactly at 20
    assert q.next_live(25.0) == 2 and not q.waiting
    assert q.head(25.0) == -1 and q.next_live(25.0) == -1


def test_next_live_takes_callers_in_order_of_joining():
    q = Queue(0, "english", [math.inf] * 3)
    for leg in (2, 0, 1):
        q.join(leg)
    assert [q.next_live(0.0) for _ in range(4)] == [2, 0, 1, -1]


def test_a_caller_answered_elsewhere_is_skipped_when_reached():
    give_up = [math.inf, math.inf, math.inf]
    q = Queue(0, "english", give_up)
    for leg in (0, 1, 2):
        q.join(leg)
    q.answered_elsewhere(1)
    assert give_up[1] == -math.inf and len(q.waiting) == 3  # not searched for now
    assert q.next_live(0.0) == 0 and q.head(0.0) == 2 and list(q.waiting) == [2]


def test_one_queue_per_skill_or_per_skill_and_site():
    pooled = build_queues(["a", "b"], 3, [], per_site=False)
    assert list(pooled) == [("a", -1), ("b", -1)]
    assert [q.index for q in pooled.values()] == [0, 1] and pooled["b", -1].skill == "b"
    per_site = build_queues(["a", "b"], 2, [], per_site=True)
    assert list(per_site) == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]
    assert [q.index for q in per_site.values()] == [0, 1, 2, 3]
    assert per_site["b", 1].site == 1 and per_site["b", 1].skill == "b"


def test_a_caller_whose_give_up_time_is_now_has_hung_up_for_both_lookups():
    give_up = [10.0, 20.0]
    q = Queue(0, "calls", give_up)
    q.join(0)
    q.join(1)
    assert q.next_live(10.0) == 1  # caller 0 hung up at 10 s, the very moment an agent got free
    q.join(0)
    assert q.head(10.0) == -1 and not q.waiting
