"""Every random number of a run flows from one seed: one named stream per purpose and item.

One :class:`numpy.random.SeedSequence` per run, and one Generator per stream (arrivals per arrival
stream, handle time per call type, patience per call type, ...) derived from it by a fixed spawn
key (:data:`STREAMS`), so changing the patience never moves an arrival.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ccsim.errors import check_number

STREAMS: dict[str, int] = {
    "arrivals": 0,
    "handle_time": 1,
    "patience": 2,
    "self_service": 3,
    "transfer": 4,
    "transfer_handle_time": 5,
    "transfer_patience": 6,
    "callback": 7,
    "persona": 8,
    "reason": 9,
    "journey_menu": 10,
    "journey_handle_time": 11,
    "journey_patience": 12,
    "journey_outcome": 13,
    "journey_delay": 14,
    "journey_time": 15,
    "back_office": 16,
    "redial": 17,
}
"""Spawn key of each random stream within a run. New streams get new numbers; never renumber."""


def seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """The run's seed sequence: ``seed`` itself, or one built from a whole number of at least 0."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    value = check_number("seed", seed, low=0, integer=True)
    return np.random.SeedSequence(int(value))


def stream_generator(seed: int | np.random.SeedSequence, stream: str, index: int = 0) -> np.random.Generator:
    """The Generator of one random ``stream`` (a key of :data:`STREAMS`) for item ``index`` (call type, arrival stream).

    Built from the run's seed sequence by an explicit spawn key, so it does not depend on how many
    children were spawned from ``seed`` before, and adding a stream never shifts another's numbers.

    >>> a = stream_generator(7, "patience", 1).random()
    >>> b = stream_generator(7, "patience", 1).random()
    >>> a == b, a == stream_generator(7, "handle_time", 1).random()
    (True, False)
    """
    ss = seed_sequence(seed)
    key = (*ss.spawn_key, STREAMS[stream], index)
    return np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=key, pool_size=ss.pool_size))


class Draws:
    """Numbers of one random stream drawn in batches on demand, for draws whose count is known only during the run.

    ``sample(size)`` returns ``size`` numbers (e.g. ``generator.random``); calling the object gives the next one.
    """

    __slots__ = ("_batch", "_buffer", "_next", "_sample")

    def __init__(self, sample: Callable[[int], np.ndarray], batch: int = 256):
        self._sample = sample
        self._batch = batch
        self._buffer: list[float] = []
        self._next = 0

    def __call__(self) -> float:
        if self._next >= len(self._buffer):
            self._buffer = self._sample(self._batch).tolist()
            self._next = 0
        value = self._buffer[self._next]
        self._next += 1
        return value
