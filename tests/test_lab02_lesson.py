"""Lab 02's facilitator guide and quiz: every number the guide quotes is recomputed from ccsim, the quiz's
answers agree with numbers computed here, and the timing table adds up."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from test_lab02_callers_shoes import counts, guaranteed, independent_run, members

from ccsim.labs.lab02_callers_shoes import QUEUE_WORDS
from ccsim.labs.lab02_questions import MANDARIN_STAFF_SHARE, callers_questions
from ccsim.metrics.kpis import kpis

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "lessons" / "02_in_the_callers_shoes.md"
HANDOUT = REPO / "lessons" / "02_in_the_callers_shoes_handout.md"
NOTEBOOK = REPO / "notebooks" / "02_in_the_callers_shoes.ipynb"


def flat(text: str) -> str:
    return " ".join(text.split())


def num(s: str) -> float:
    return float(s.replace(",", ""))


@pytest.fixture(scope="module")
def text() -> str:
    return flat(LESSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def day():
    return independent_run(1)


@pytest.fixture(scope="module")
def month():
    return independent_run(30)


def test_monday_figures_match_ccsim(text, day):
    m = re.search(
        r"The simulated Monday:\*\* ([\d,]+) members, ([\d,]+) calls; service level (\d+)%, ASA (\d+) s, "
        r"abandonment ([\d.]+)%, average wait of every caller (\d+) s",
        text,
    )
    assert m, "the guide quotes the Monday's figures"
    row = kpis(day).iloc[0]
    assert num(m.group(1)) == len(day.issues) and num(m.group(2)) == row["calls"]
    assert int(m.group(3)) == round(100 * row["service_level"]) and int(m.group(4)) == round(row["asa_s"])
    assert float(m.group(5)) == round(100 * row["abandonment_rate"], 1) and int(m.group(6)) == round(row["mean_wait_s"])
    p = re.search(
        r"In people:\*\* of ([\d,]+) members, ([\d,]+) waited more than a minute at least once, ([\d,]+) more than five "
        r"minutes, ([\d,]+) hung up at least once and ([\d,]+) called twice or more",
        text,
    )
    assert p and tuple(num(g) for g in p.groups()) == counts(members(day))
    objective = re.search(r"\(\"([\d,]+) of ([\d,]+) members hung up at least once\"\)", text)
    assert objective and (num(objective.group(1)), num(objective.group(2))) == (
        counts(members(day))[3],
        len(day.issues),
    )


def test_queue_table_matches_ccsim(text, day):
    lines = LESSON.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| queue | members |"))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    assert list(rows) == list(QUEUE_WORDS.values())
    m = members(day)
    by_type = kpis(day, by="call_type")
    for call_type, words in QUEUE_WORDS.items():
        n, over_minute, _, hung, _ = counts(m[m["call_type"] == call_type])
        got = [
            n,
            over_minute,
            hung,
            round(by_type.loc[call_type, "mean_wait_s"]),
            round(by_type.loc[call_type, "max_wait_s"]),
        ]
        quoted = [num(c.removesuffix(" s")) for c in rows[words]]
        assert quoted == got, words


def test_cantonese_staffing_matches_ccsim(text):
    m = re.search(
        r"with (\d+)% of their agents: service level (\d+)%, ASA (\d+) s, (\d+) of (\d+) waited more than a minute\. "
        r"With (\d+)%: service level (\d+)%, ASA (\d+) s, (\d+) of (\d+) waited more than a minute",
        text,
    )
    assert m, "the guide quotes task 6"
    g = [int(x) for x in m.groups()]
    for pct, sl, asa, over, n in (g[0:5], g[5:10]):
        run = independent_run(1, {"cantonese": pct / 100})
        contacts = run.contacts
        mine = replace(run, contacts=contacts[contacts["persona"].astype(str) == "cantonese_speaker"])
        figures = guaranteed(mine)
        assert (sl, asa) == (round(100 * figures["service_level"]), round(figures["asa_s"])), pct
        people = members(run)
        people = people[people["persona"] == "cantonese_speaker"]
        assert (over, n) == (int((people["longest"] > 60).sum()), len(people)), pct


def test_month_figures_match_ccsim(text, month):
    m = re.search(
        r"The month:\*\* service level (\d+)%, ASA (\d+) s, abandonment ([\d.]+)%; (\d+) of (\d+) open days missed "
        r"(\d+)%\. Worst day: day (\d+) \((\w+)\), (\d+)%; ([\d,]+) members with a new issue waited more than a minute "
        r"and ([\d,]+) hung up at least once",
        text,
    )
    assert m, "the guide quotes the month"
    row = kpis(month).iloc[0]
    assert int(m.group(1)) == round(100 * row["service_level"]) and int(m.group(2)) == round(row["asa_s"])
    assert float(m.group(3)) == round(100 * row["abandonment_rate"], 1)
    by_iv = kpis(month, by="interval")
    day_of = (by_iv.index.to_numpy() * month.model.interval_s // 86_400).astype(int)
    calls = by_iv["calls"].groupby(day_of).sum()
    sl = ((by_iv["service_level"] * by_iv["calls"]).groupby(day_of).sum() / calls)[calls > 0]
    assert (int(m.group(4)), int(m.group(5)), int(m.group(6))) == (int((sl < 0.8).sum()), len(sl), 80)
    worst = int(sl.idxmin())
    assert int(m.group(7)) == worst + 1 and int(m.group(9)) == round(100 * sl[worst])
    people = members(month)
    c = counts(people[people["day"] == worst])
    assert (num(m.group(10)), num(m.group(11))) == (c[1], c[3])


def test_timing_table_adds_up(text):
    lines = LESSON.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| minutes | section |"))
    teaching = exercise = 0
    end_before = 0
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        span, _section, kind = (c.strip() for c in line.strip("|").split("|"))
        a, b = (int(x) for x in span.split("–"))
        assert a == end_before, span
        end_before = b
        minutes = int(re.search(r"\((\d+)\)", kind).group(1))
        assert minutes == b - a, span
        if "exercise" in kind:
            exercise += minutes
        else:
            teaching += minutes
    header = re.search(r"Teaching: (\d+) min · Exercises: (\d+) min · Total: (\d+) min", text)
    assert header and tuple(int(x) for x in header.groups()) == (teaching, exercise, end_before)
    nb_text = flat(NOTEBOOK.read_text(encoding="utf-8"))
    assert f"{end_before} minutes: {teaching} minutes of teaching, {exercise} minutes of exercises" in nb_text


@pytest.fixture(scope="module")
def questions():
    return callers_questions()


def test_quiz_answer_key_matches_the_quiz(text, questions):
    section = LESSON.read_text(encoding="utf-8").split("## Quiz answer key", 1)[1].split("\n## ", 1)[0]
    items = {int(n): flat(body) for n, body in re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", section, flags=re.M | re.S)}
    assert sorted(items) == list(range(1, len(questions) + 1))
    for n, line in items.items():
        q = questions[n - 1]
        bold = re.search(r"→ \*\*(.*?)\*\*", line).group(1).rstrip(".").lower()
        assert q.options[q.answer].lower().startswith(bold), (n, bold)
        shown = {
            s.replace(",", "")
            for s in re.findall(r"[\d,]*\d(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation]))
        }
        quoted = {s.replace(",", "") for s in re.findall(r"[\d,]*\d(?:\.\d+)?", line)}
        assert quoted <= shown, (n, quoted - shown)


def test_quiz_answers_agree_with_ccsim(questions, day, month):
    m = members(day)
    tty, eng = m[m["call_type"] == "tty"], m[m["call_type"] == "general_english"]
    q1 = questions[0]
    more_tty = (tty["longest"] > 60).mean() > (eng["longest"] > 60).mean()
    assert q1.options[q1.answer].startswith("The TTY user" if more_tty else "The English speaker")
    short = members(independent_run(1, {"mandarin": MANDARIN_STAFF_SHARE}))
    after = int((short.loc[short["call_type"] == "mandarin", "longest"] > 60).sum())
    assert questions[1].options[questions[1].answer] == f"{after} members"
    assert questions[2].options[questions[2].answer].startswith("Worse than the month")
    pm = members(month)
    names = {"new_member": "New members", "adult": "Working-age", "senior": "Elderly", "spanish_speaker": "Spanish"}
    best = max(names, key=lambda n: (pm.loc[pm["persona"] == n, "calls"] >= 2).mean())
    assert questions[3].options[questions[3].answer].startswith(names[best])


def test_options_are_shuffled_and_distinct(questions):
    for q in questions:
        assert len(set(q.options)) == len(q.options)
    assert {q.answer for q in questions} != {0}


def test_handout_defines_the_words_the_lab_uses():
    handout = flat(HANDOUT.read_text(encoding="utf-8"))
    for word in (
        "Member",
        "Issue",
        "Voice menu",
        "Queue",
        "Hung up",
        "Transfer",
        "Back office",
        "TTY",
        "Service level",
    ):
        assert f"**{word}" in handout, word
    assert "80%" in handout and "30 s" in handout and "3%" in handout


def test_notebook_reflect_prompts_have_collapsed_model_answers():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    reflect = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Reflect"))
    assert reflect.count("<details><summary>Model answer</summary>") == 4
    for heart in ("love", "patience", "care", "warmth", "humility"):
        assert heart in reflect.lower()


def test_notebook_quotes_the_mondays_average_wait(day):
    text = flat(NOTEBOOK.read_text(encoding="utf-8"))
    row = kpis(day).iloc[0]
    opening = re.search(r"the average wait was (\d+) seconds", text)
    reflect = re.search(r"average wait (\d+) seconds, service level (\d+)%", text)
    assert opening and reflect
    assert int(opening.group(1)) == int(reflect.group(1)) == round(row["mean_wait_s"])
    assert int(reflect.group(2)) == round(100 * row["service_level"])


def test_kind_of_member_ordering_the_guide_states(text, day):
    assert (
        "TTY users wait longest, then the Cantonese and Mandarin speakers; working-age English speakers hardly" in text
    )
    contacts = day.contacts
    mean = {
        p: contacts.loc[contacts["persona"].astype(str) == p, "wait_s"].mean()
        for p in contacts["persona"].cat.categories
    }
    order = sorted(mean, key=mean.__getitem__, reverse=True)
    assert (
        order[0] == "tty_user" and set(order[1:3]) == {"cantonese_speaker", "mandarin_speaker"} and order[-1] == "adult"
    )
