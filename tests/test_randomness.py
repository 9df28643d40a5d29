"""Random streams: one seed, one named stream per purpose and item, independent of one another."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.errors import CcsimInputError
from ccsim.simulation.randomness import STREAMS, Draws, seed_sequence, stream_generator


def test_a_stream_depends_only_on_the_seed_the_stream_and_the_item():
    first = stream_generator(3, "patience", 1).random(5)
    assert np.array_equal(first, stream_generator(3, "patience", 1).random(5))
    assert np.array_equal(first, stream_generator(np.random.SeedSequence(3), "patience", 1).random(5))
    others = [
        stream_generator(4, "patience", 1),
        stream_generator(3, "patience", 0),
        stream_generator(3, "handle_time", 1),
    ]
    for rng in others:
        assert not np.array_equal(first, rng.random(5))


def test_spawning_children_from_the_seed_does_not_move_a_stream():
    ss = np.random.SeedSequence(8)
    before = stream_generator(ss, "arrivals", 0).random(3)
    ss.spawn(4)
    assert np.array_equal(before, stream_generator(ss, "arrivals", 0).random(3))


def test_stream_numbers_are_distinct():
    assert len(set(STREAMS.values())) == len(STREAMS)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_a_seed_is_a_whole_number_of_at_least_0(seed):
    with pytest.raises(CcsimInputError, match=r"^seed: "):
        seed_sequence(seed)


def test_draws_in_batches_give_the_same_numbers_as_one_draw():
    draws = Draws(np.random.default_rng(5).random, batch=3)
    got = [draws() for _ in range(8)]
    assert got == np.random.default_rng(5).random(9)[:8].tolist()
