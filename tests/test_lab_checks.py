"""The lab checks themselves (tests/lab_checks.py) fail on a wrong number: a check that cannot fail is no check."""

from __future__ import annotations

import dataclasses

import pytest
from lab_checks import Expected, check_panel, classroom_targets, queue_expected

from ccsim.labs.cases import classroom_case
from ccsim.labs.queue import queue_panel

FORMULAS = ("erlang_a", "erlang_c")


@pytest.fixture(scope="module")
def panel():
    return queue_panel(controls=("agents", "answer_within_s"), sources=FORMULAS)


@pytest.fixture
def expected(panel) -> Expected:
    panel.reset()
    want = queue_expected(panel, classroom_case(), sources=FORMULAS)
    check_panel(panel, want)  # right as it is: each test below breaks one thing
    return want


def test_swapped_erlang_curves_fail(panel, expected):
    swapped = {r"^Erlang A\b": r"^Erlang C\b", r"^Erlang C\b": r"^Erlang A\b"}
    lines = [dataclasses.replace(c, name=swapped.get(c.name, c.name)) for c in expected.lines]
    with pytest.raises(AssertionError, match="Erlang"):
        check_panel(panel, dataclasses.replace(expected, lines=lines))


def test_a_wrong_tile_value_fails(panel, expected):
    tiles = dict(expected.tiles)
    c_value = tiles[("service_level", "erlang_c")].value
    tiles[("service_level", "erlang_a")] = dataclasses.replace(tiles[("service_level", "erlang_a")], value=c_value)
    with pytest.raises(AssertionError, match=r"tile \(service_level, erlang_a\)"):
        check_panel(panel, dataclasses.replace(expected, tiles=tiles))


def test_a_target_with_another_threshold_fails(panel, expected):
    tiles = dict(expected.tiles)
    key = ("service_level", "erlang_a")
    tiles[key] = dataclasses.replace(tiles[key], target=classroom_targets(20.0)["service_level"])
    with pytest.raises(AssertionError, match="target"):
        check_panel(panel, dataclasses.replace(expected, tiles=tiles))


def test_nothing_goes_unchecked(panel, expected):
    with pytest.raises(AssertionError, match="nobody checked"):
        check_panel(panel, dataclasses.replace(expected, lines=expected.lines[1:]))
    tiles = dict(expected.tiles)
    tiles.pop(("occupancy", "erlang_c"))
    with pytest.raises(AssertionError, match="expectations for"):
        check_panel(panel, dataclasses.replace(expected, tiles=tiles))


def test_a_wrong_caption_number_fails(panel, expected):
    numbers = list(expected.caption_numbers or ())
    numbers[-1] += 5  # Erlang C's service level, five points off
    with pytest.raises(AssertionError, match="caption"):
        check_panel(panel, dataclasses.replace(expected, caption_numbers=tuple(numbers)))


def test_a_message_after_the_update_fails(panel, expected):
    panel.message.warning("Something to know.")
    with pytest.raises(AssertionError, match="message area"):
        check_panel(panel, expected)
    panel.message.clear()
