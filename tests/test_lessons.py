"""The facilitator guides quote numbers ccsim gives; these tests recompute them so a guide cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccsim.widgets import CLASSROOM, compute_queue, simulate_queue

LESSON_01 = Path(__file__).resolve().parents[1] / "lessons" / "01_queues_and_service_level.md"


def _table(text: str, header_start: str) -> dict[str, list[str]]:
    """Rows of the markdown table whose header starts with ``header_start``: first cell -> other cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def _number(cell: str) -> float:
    return float(re.match(r"[-\d.]+", cell).group())


@pytest.fixture(scope="module")
def quoted() -> dict[str, list[str]]:
    return _table(LESSON_01.read_text(encoding="utf-8"), f"| {CLASSROOM.agents} agents |")


@pytest.fixture(scope="module")
def computed() -> dict[str, dict[str, float]]:
    formulas = compute_queue({})
    sim = simulate_queue({"days": 5}, seed=1)
    return {
        "Simulation, average of 5 days": sim["simulation"],
        "Erlang A": formulas["erlang_a"],
        "Erlang C": formulas["erlang_c"],
    }


@pytest.mark.parametrize("row", ["Simulation, average of 5 days", "Erlang A", "Erlang C"])
def test_lesson_01_numbers_table_matches_ccsim(quoted, computed, row):
    sl, asa, abandon, occupancy = quoted[row]
    got = computed[row]
    # The guide rounds to whole percent / seconds (abandonment to 0.1 percent).
    assert _number(sl) == round(100 * got["service_level"])
    assert _number(asa) == round(got["asa_s"])
    assert _number(abandon) == pytest.approx(round(100 * got["abandonment_rate"], 1), abs=0.051)
    assert _number(occupancy) == round(100 * got["occupancy"])


def test_lesson_01_quoted_erlang_a_points_match_ccsim():
    text = LESSON_01.read_text(encoding="utf-8")
    points = re.findall(r"(\d+) agents: Erlang A (\d+)% \(occupancy (\d+)%\)", text)
    assert len(points) >= 2, "the guide quotes Erlang A at other staffing levels"
    for agents, sl, occupancy in points:
        got = compute_queue({"agents": int(agents)})["erlang_a"]
        assert int(sl) == round(100 * got["service_level"]), agents
        assert int(occupancy) == round(100 * got["occupancy"]), agents
