"""The facilitator guides quote numbers ccsim gives; these tests recompute them so a guide cannot drift.

Also: lab 00's how-to text works in both JupyterLab (menus) and the workshop view (Voila, no menus)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import classroom_case, guarantees
from ccsim.labs.lab00_start_here import start_here_questions
from ccsim.labs.lab01_queues import queue_questions
from ccsim.labs.queue import compute_queue, simulate_queue

REPO = Path(__file__).resolve().parents[1]
LESSON_00 = REPO / "lessons" / "00_start_here.md"
LESSON_01 = REPO / "lessons" / "01_queues_and_service_level.md"
LAB_00 = REPO / "notebooks" / "00_start_here.ipynb"


def _table(text: str, header_start: str) -> dict[str, list[str]]:
    """Rows of the markdown table whose header starts with ``header_start``: first cell -> other cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def _number(cell: str) -> float:
    return float(re.match(r"[-\d.]+", cell).group())


@pytest.fixture(scope="module")
def quoted() -> dict[str, list[str]]:
    return _table(LESSON_01.read_text(encoding="utf-8"), f"| {classroom_case().agents} agents |")


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


def _pct(x: float) -> int:
    return round(100 * x)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_lesson_00_quoted_erlang_a_points_match_ccsim():
    text = _flat(LESSON_00.read_text(encoding="utf-8"))
    m = re.search(r"Erlang A: (\d+) agents give (\d+)%, (\d+) give (\d+)%", text)
    assert m, "the guide quotes Erlang A just below and at the fewest agents that meet the target"
    below, sl_below, at, sl_at = map(int, m.groups())
    assert _pct(compute_queue({"agents": below})["erlang_a"]["service_level"]) == sl_below
    assert _pct(compute_queue({"agents": at})["erlang_a"]["service_level"]) == sl_at
    c = classroom_case()
    need = required_agents(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        answer_within_s=c.answer_within_s,
        target_sl=guarantees()["service_level"].value,
        patience_s=c.patience_s,
    ).agents
    assert (below, at) == (need - 1, need)


def test_lesson_01_twenty_day_spread_matches_ccsim():
    text = _flat(LESSON_01.read_text(encoding="utf-8"))
    m = re.search(
        r"(\d+) simulated days, (\d+) agents: service level from (\d+)% to (\d+)%, (\d+) of \1 days "
        r"missed (\d+)%\. With (\d+) agents: (\d+)% to (\d+)%, no day missed",
        text,
    )
    assert m, "the guide quotes the 20-day spread of the day-spread panel"
    days, agents, lo, hi, missed, target, more, lo2, hi2 = map(int, m.groups())
    assert target == _pct(guarantees()["service_level"].value)
    for n, want_lo, want_hi, want_missed in ((agents, lo, hi, missed), (more, lo2, hi2, 0)):
        runs = simulate_queue({"agents": n, "days": days}, seed=1)["simulation_runs"]  # as day_spread_panel
        sl = runs["service_level"]
        assert (_pct(sl.min()), _pct(sl.max())) == (want_lo, want_hi), n
        assert int((sl < guarantees()["service_level"].value).sum()) == want_missed, n


def test_lesson_01_service_level_alone_staffing_matches_ccsim():
    text = _flat(LESSON_01.read_text(encoding="utf-8"))
    m = re.search(r"Service level alone: (\d+) by Erlang A, (\d+) by Erlang C", text)
    assert m
    c, target = classroom_case(), guarantees()["service_level"].value
    args = (c.calls_per_interval, c.interval_s, c.aht_s)
    assert (
        int(m.group(1))
        == required_agents(*args, answer_within_s=c.answer_within_s, target_sl=target, patience_s=c.patience_s).agents
    )
    assert int(m.group(2)) == required_agents(*args, answer_within_s=c.answer_within_s, target_sl=target).agents


def _answer_key(path: Path) -> dict[int, str]:
    """Quiz answer key items of a guide: number -> the item's text on one line."""
    section = path.read_text(encoding="utf-8").split("## Quiz answer key", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", section, flags=re.M | re.S)
    return {int(n): _flat(body) for n, body in items}


@pytest.mark.parametrize(
    "path, make", [(LESSON_00, start_here_questions), (LESSON_01, queue_questions)], ids=["lesson 00", "lesson 01"]
)
def test_quiz_answer_key_matches_the_quiz(path, make):
    questions = make()
    key = _answer_key(path)
    assert sorted(key) == list(range(1, len(questions) + 1))
    for n, line in key.items():
        q = questions[n - 1]
        right = q.options[q.answer].lower()
        bold = re.search(r"→ \*\*(.*?)\*\*", line).group(1).rstrip(".").lower()
        assert right.startswith(bold), (n, bold, right)
        # every number the key quotes is one the quiz computed (prompt, options or explanation)
        shown = set(re.findall(r"\d+(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation])))
        quoted = set(re.findall(r"\d+(?:\.\d+)?", line))
        assert quoted <= shown, (n, quoted - shown)


def _markdown_blocks(nb) -> list[str]:
    """Paragraphs and list items of the notebook's markdown cells, each on one line."""
    blocks = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for block in re.split(r"\n\s*\n|\n(?=\s*- )", cell.source):
                blocks.append(_flat(block))
    return blocks


def test_lab_00_menu_instructions_also_say_what_to_do_in_the_workshop_view():
    nb = nbformat.read(LAB_00, as_version=4)
    menu_steps = [b for b in _markdown_blocks(nb) if re.search(r"\b(Run|Kernel) →", b)]
    assert menu_steps, "lab 00 explains how to run and restart a lab"
    for block in menu_steps:
        assert "JupyterLab" in block and ("workshop view" in block or "Voila" in block), block
    restart = [b for b in menu_steps if "Restart" in b]
    assert restart and all("reload" in b for b in restart)  # the workshop view restarts by reloading the page


def test_lab_00_trainer_self_check_reads_fine_without_code():
    nb = nbformat.read(LAB_00, as_version=4)
    cells = nb.cells
    i = next(k for k, c in enumerate(cells) if c.cell_type == "markdown" and "Self-check" in c.source)
    text = _flat(cells[i].source)
    assert "next cell" not in text.lower()  # the workshop view shows no cells
    assert "workshop view" in text and "nothing" in text
    assert all(c.cell_type == "code" for c in cells[i + 1 :])  # the check itself prints nothing


@pytest.mark.parametrize(
    "path",
    [LESSON_00, LESSON_01, LAB_00, REPO / "notebooks" / "01_queues_and_service_level.ipynb"],
    ids=lambda p: p.name,
)
def test_guarantee_words_agree_with_the_tiles_judging(path):
    # the tiles count a value equal to the threshold as met, so the text says "at most", never "under"
    t_abandon, t_asa = guarantees()["abandonment_rate"], guarantees()["asa_s"]
    assert t_abandon.met(t_abandon.value) and t_asa.met(t_asa.value)
    text = _flat(path.read_text(encoding="utf-8"))
    pct, secs = f"{100 * t_abandon.value:g}%", f"{t_asa.value:g}"
    for strict in (
        f"under {pct}",
        f"fewer than {pct}",
        f"less than {pct}",
        f"< {pct}",
        f"under {secs} s",
        f"under {secs} seconds",
        f"less than {secs} s",
    ):
        assert strict not in text, strict
