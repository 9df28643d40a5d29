"""Lab 04's facilitator guide (lessons/04_one_and_done.md) quotes numbers ccsim gives: each is recomputed here
without the lab's code (tests/lab04_expect.py), so the guide cannot drift; its timing table adds up, its
quiz key matches the quiz, and the notebook and handout agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from lab04_expect import ci, difference, paths, run

from ccsim.labs.lab04_one_and_done import journey_member, one_and_done_questions

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "lessons" / "04_one_and_done.md").read_text(encoding="utf-8")
HANDOUT = REPO / "lessons" / "04_one_and_done_handout.md"
NOTEBOOK = REPO / "notebooks" / "04_one_and_done.ipynb"


def table(header_start: str) -> dict[str, list[str]]:
    lines = GUIDE.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def number(cell: str) -> float:
    return float(re.search(r"[-+]?[\d,]*\.?\d+", cell).group().replace(",", ""))


def close(cell: str, value: float) -> None:
    written = re.search(r"[-+]?[\d,]*\.?\d+", cell).group().replace(",", "")
    decimals = len(written.split(".")[1]) if "." in written else 0
    assert abs(float(written) - value) <= 0.5 * 10**-decimals + 1e-9, f"{cell!r} quotes {written}, ccsim gives {value}"


FULL_ROWS = {
    "First-contact resolution (30-day look-back)": ("fcr", 100),
    "First-contact resolution (agent-reported)": ("fcr_agent_reported", 100),
    "Hand-offs per 100 issues": ("handoffs_per_100_issues", 1),
    "Contacts per issue": ("contacts_per_issue", 1),
    "Days to resolution (mean)": ("days_to_resolution_mean", 1),
    "Average handle time": ("aht_s", 1),
    "Agent-hours per 100 issues": ("agent_hours_per_100_issues", 1),
    "Service level (30 s)": ("service_level", 100),
    "Calls": ("calls", 1),
}


@pytest.mark.parametrize("row", FULL_ROWS)
def test_full_line_numbers(row):
    quoted = table("| tile | before | after |")[row]
    key, scale = FULL_ROWS[row]
    for cell, design in zip(quoted, ("before", "after"), strict=True):
        close(cell, run({"design": design}, "full")[0][key] * scale)


def test_issue_counts_hand_off_drop_and_journey():
    b, rb = run({"design": "before"}, "full")
    a, _ = run({"design": "after"}, "full")
    assert f"{len(rb.issues):,} member issues each" in GUIDE
    drop = 1 - a["handoffs_per_100_issues"] / b["handoffs_per_100_issues"]
    assert f"Hand-offs per 100 issues fall {drop:.0%}" in GUIDE
    a_issues = run({"design": "after"}, "full")[1].issues
    people = (
        f"In members: {(rb.issues.contacts > 1).sum():,} of the {len(rb.issues):,} called more than once before, "
        f"{(a_issues.contacts > 1).sum():,} after; {(rb.issues.status == 'open').sum():,} and "
        f"{(a_issues.status == 'open').sum():,} were still waiting for a resolution when the 60 days ended."
    )
    assert people in " ".join(GUIDE.split())
    issue = journey_member()
    words = []
    for design in ("before", "after"):
        _, r = run({"design": design}, "full")
        row = r.issues.set_index("issue_id").loc[issue]
        words.append(f"{int(row['contacts'])} calls and {row['days_to_resolution']:.1f} days")
    assert f"The member's journey: {words[0]} before,\n{words[1]} after." in GUIDE
    assert f"needed {words[0].split(' and ')[0].split()[0]} calls over" in GUIDE


QUICK_ROWS = {
    "before": {"design": "before"},
    "after": {"design": "after"},
    "before, back office 3 days (task 2)": {"design": "before", "back_office_days": 3},
    "before, no transfers, rep resolves 72% (task 3)": {"design": "before", "transfer_pct": 0, "resolve_pct": 72},
    "after, 10-minute consult (task 4)": {"design": "after", "consult_min": 10.0},
}
QUICK_KEYS = (("fcr", 100), ("handoffs_per_100_issues", 1), ("contacts_per_issue", 1), ("aht_s", 1),
              ("agent_hours_per_100_issues", 1), ("service_level", 100))  # fmt: skip


@pytest.mark.parametrize("row", QUICK_ROWS)
def test_quick_preview_numbers(row):
    quoted = table("| settings | FCR |")[row]
    kpis, _ = run(QUICK_ROWS[row])
    for cell, (key, scale) in zip(quoted, QUICK_KEYS, strict=True):
        close(cell, kpis[key] * scale)


def test_issue_paths_numbers():
    sentence = re.search(r"on the before line the rep who answered resolved (\d+) first\s+calls and (\d+) second "
                         r"calls followed; on the after line (\d+) and (\d+)\.", GUIDE)  # fmt: skip
    assert sentence, "the issue-paths sentence is missing"
    quoted = [float(x) for x in sentence.groups()]
    expected = []
    for design in ("before", "after"):
        t = paths(run({"design": design}, "full")[1])
        expected += [t.loc[1, "resolved"], t.loc[2].sum()]
    for q, e in zip(quoted, expected, strict=True):
        assert abs(q - e) <= 0.5, (quoted, expected)
    assert f"second-call bar: {expected[1]:.0f} calls per 100 issues" in GUIDE


def test_real_or_luck_numbers():
    for n in (5, 2):
        mean, low, high = (100 * v for v in ci(difference(n, "quick")["difference"]["fcr"]))
        text = " ".join(GUIDE.split())
        assert f"{n} runs{' of each line' if n == 5 else ''}, FCR {mean:+.1f} points" in text
        assert f"{low:+.1f} to {high:+.1f})" in text, (n, low, high)


def test_quiz_key_matches_the_quiz():
    qs = one_and_done_questions()
    key = GUIDE.split("## Quiz answer key")[1].split("## ")[0]
    items = re.split(r"\n\d\. ", key)[1:]
    assert len(items) == len(qs)
    for item, q in zip(items, qs, strict=True):
        right = q.options[q.answer]
        bold = re.search(r"\*\*(.+?)\*\*", " ".join(item.split())).group(1)
        assert bold.lower().rstrip(".:").split(":")[0] in right.lower(), (bold, right)
        for n in re.findall(r"\d+\.\d+|\d+", q.explanation):
            if n in ("30",):
                continue
            assert n in item.replace("−", "-") or n in q.prompt, (n, item)


def test_timing_table_adds_up():
    rows = table("| minutes | section |")
    total, teach, exercise = 0, 0, 0
    for minutes, (_section, kind) in rows.items():
        a, b = (int(x) for x in minutes.split("–"))
        total += b - a
        if "exercise" in kind:
            assert f"({b - a})" in kind, (minutes, kind)
            exercise += b - a
        else:
            teach += b - a
    assert total == 60 and f"Teaching: {teach} min · Exercises: {exercise} min · Total: 60 min" in GUIDE
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert f"{teach} minutes of teaching, {exercise} minutes of exercises" in nb.cells[0].source


def test_handout_defines_every_tile_and_the_interval():
    text = HANDOUT.read_text(encoding="utf-8")
    for word in ("First-contact resolution", "Hand-offs per 100 issues", "Contacts per issue", "Days to resolution",
                 "Average handle time", "Agent-hours per 100 issues", "Service level", "95% confidence interval"):  # fmt: skip
        assert f"**{word}" in text, word
    assert len(text.splitlines()) < 60, "one page"
