"""Lab 00's facilitator guide: its timing table adds up, and the numbers its primer and key quote are ccsim's."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from ccsim.labs.cases import classroom_case, guarantees
from ccsim.labs.queue import compute_queue

LESSON = Path(__file__).resolve().parents[1] / "lessons" / "00_start_here.md"


def flat(text: str) -> str:
    return " ".join(text.split())


def timing_rows(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the rest of the row) of the guide's timing table."""
    section = text.split("## Timing", 1)[1].split("\n## ", 1)[0]
    return [(int(a), int(b), rest) for a, b, rest in re.findall(r"^\| (\d+)–(\d+) \|(.*)$", section, flags=re.M)]


def check_timing(text: str) -> None:
    """The rows follow each other from 0 to the header's total; exercise minutes and teaching add up to it."""
    rows = timing_rows(text)
    assert rows and rows[0][0] == 0
    for (_, end, _), (start, _, _) in itertools.pairwise(rows):
        assert start == end, rows
    header = re.search(r"Teaching: (\d+) min · Exercises: (\d+) min · Total: (\d+) min", text)
    assert header, "the guide's first line gives teaching, exercise and total minutes"
    teaching, exercises, total = map(int, header.groups())
    assert rows[-1][1] == total == teaching + exercises
    exercise = sum(b - a for a, b, rest in rows if "**exercise**" in rest)
    assert exercise == exercises, (exercise, exercises)
    for a, b, rest in rows:
        m = re.search(r"\*\*exercise\*\* \((\d+)\)", rest)
        if m:
            assert int(m.group(1)) == b - a, rest


def test_timing_table_adds_up():
    check_timing(LESSON.read_text(encoding="utf-8"))


def test_primer_and_key_quote_ccsims_numbers():
    text = flat(LESSON.read_text(encoding="utf-8"))
    c, g = classroom_case(), guarantees()
    assert f"{c.agents} agents, {c.hours:g} hours, {c.calls_per_hour:g} calls an hour, {c.aht_s:g} s per call" in text
    assert f"after {c.patience_s / 60:g} minutes" in text
    ea = compute_queue({})["erlang_a"]
    assert re.search(
        rf"abandonment \({100 * ea['abandonment_rate']:.1f}%\) and busy occupancy \({100 * ea['occupancy']:.0f}%\)",
        text,
    )
    assert f"ASA {ea['asa_s']:.0f} s" in text
    assert g["abandonment_rate"].met(ea["abandonment_rate"]) is False and g["occupancy"].met(ea["occupancy"]) is False
    assert f"kept at most {100 * g['occupancy'].value:.0f}%" in text


def test_guide_never_calls_occupancy_a_guarantee():
    text = flat(LESSON.read_text(encoding="utf-8")).lower()
    assert "occupancy is a target, not a guarantee" in text or "a target, not a guarantee" in text
    for wrong in ("occupancy guarantee", "guaranteed occupancy", "occupancy: 85%", "guarantees include occupancy"):
        assert wrong not in text, wrong
