"""Lab 05's facilitator guide and notebook quote numbers ccsim gives; these tests recompute every one of them
through ccsim's public API (Erlang formulas, the profile reader, the simulation engine), independently of the
lab's code, and hold the guide's timing table, quiz key and handout to the lab."""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pytest

from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.calibration import read_profile
from ccsim.labs.lab05_questions import staffing_questions
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "lessons" / "05_what_if_staffing.md"
HANDOUT = REPO / "lessons" / "05_what_if_staffing_handout.md"
NOTEBOOK = REPO / "notebooks" / "05_what_if_staffing.ipynb"
SAMPLE = REPO / "data" / "samples" / "acd_intervals.csv"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _fewest(calls: float, interval_s: float, patience: float | None) -> int:
    n = 1
    while True:
        m = (
            erlang_c(calls, interval_s, 400, n, 30)
            if patience is None
            else erlang_a(calls, interval_s, 400, n, patience, 30)
        )
        if m.stable and m.service_level >= 0.8 - 1e-12:
            return n
        n += 1


def _sched(n: int) -> int:
    return math.ceil(n / 0.59 - 1e-9)


def _day(calls, agents) -> tuple[float, float]:
    within = gone = 0.0
    for x, a in zip(calls, agents, strict=True):
        m = erlang_a(x, 900, 400, int(a), 300, 30)
        within, gone = within + x * m.service_level, gone + x * m.abandonment_rate
    return within / sum(calls), gone


def _formula_day(calls, agents, patience) -> tuple[float, float]:
    ms = [erlang_c(x, 900, 400, n, 30) if patience is None else erlang_a(x, 900, 400, n, patience, 30)
          for x, n in zip(calls, agents, strict=True)]  # fmt: skip
    total = sum(calls)
    return (sum(x * m.service_level for x, m in zip(calls, ms, strict=True)) / total,
            sum(x * m.abandonment_rate for x, m in zip(calls, ms, strict=True)) / total)  # fmt: skip


def _sim(calls, agents, days=5) -> tuple[float, float, float]:
    model = CenterModel.single_queue(
        calls, [int(a) for a in agents], Exponential(400.0), Exponential(300.0), interval_s=900.0
    )
    n = within = gone = 0
    for s in np.random.SeedSequence(1).spawn(days):
        c = simulate(model, s).contacts
        n += len(c)
        within += int(((c["outcome"] == "answered") & (c["wait_s"] <= 30 + 1e-9)).sum())
        gone += int((c["outcome"] == "abandoned").sum())
    return within / n, gone / n, gone / days


def _coverage(n: int) -> list[float]:
    on = np.zeros(n)
    for first, length, agents in ((0, 32, 16), (6, 32, 14), (16, 24, 8)):  # 08:00 8 h, 09:30 8 h, 12:00 6 h
        for k in range(first, min(first + length, n)):
            on[k] += agents
            if first + length / 4 <= k < first + 3 * length / 4:
                on[k] -= agents * 4 / (length / 2)  # 60 minutes of breaks: 4 quarter hours
    return list(np.round(on))


@cache
def quotes() -> list[str]:
    """Every number sentence fragment the guide quotes, computed independently."""
    p = read_profile(SAMPLE)
    calls = list(p.calls_mean)
    c = [_fewest(x, 900, None) for x in calls]
    a = [_fewest(x, 900, 300) for x in calls]
    k = int(np.argmax(calls))
    sim_sl, sim_ab, sim_gone = _sim(calls, a)
    on = _coverage(len(calls))
    shift_sl, shift_gone = _day(calls, on)
    ssl, _sab, sgone = _sim(calls, on)
    short = sum(o < n for o, n in zip(on, a, strict=True))
    triple = [3 * x for x in calls]
    t_sl, t_gone = _day(triple, a)
    r_sl, r_gone = _day(triple, [math.floor(x * 2.8 + 1e-9) for x in a])
    peak3 = max(_fewest(x, 900, 300) for x in triple)
    a300, a60 = _fewest(225, 1800, 300), _fewest(225, 1800, 60)
    m300, m60 = erlang_a(225, 1800, 400, a300, 300, 30), erlang_a(225, 1800, 400, a60, 60, 30)
    c50 = _fewest(225, 1800, None)
    return [
        f"{p.open_days} open days", f"about {p.calls_per_day_mean:,.0f} calls a day, busiest at {p.time(k)}",
        f"{p.time(k)}, has {calls[k]:.0f} calls, {calls[k] * 400 / 900:.1f} Erlangs of work",
        f"Erlang C asks for {max(c)} agents there ({_sched(max(c))} on the schedule at 41% shrinkage)",
        f"Erlang A for {max(a)} ({_sched(max(a))})",
        f"Erlang C needs {sum(c) / 4:.0f} agent-hours on the phones, Erlang A {sum(a) / 4:.0f}",
        f"service level {100 * sim_sl:.0f}%, abandonment {100 * sim_ab:.1f}% (about {sim_gone:.0f} callers a day)",
        f"By the formulas over the day: Erlang C {100 * _formula_day(calls, c, None)[0]:.0f}% in 30 s, Erlang A "
        f"{100 * _formula_day(calls, a, 300)[0]:.0f}% with {100 * _formula_day(calls, a, 300)[1]:.1f}% hanging up",
        f"{_sched(50)} on the schedule (50 + 41% would be {50 * 1.41:.1f})",
        f"38 people, 288 paid hours, short in {short} of {len(calls)} quarter hours",
        f"service level {100 * shift_sl:.0f}%, about {shift_gone:.0f} callers hang up",
        f"Five simulated days: service level {100 * ssl:.0f}%, about {sgone:.0f} hang up a day",
        f"{sum(triple):,.0f} callers, about {t_gone:,.0f} hang up ({100 * t_gone / sum(triple):.0f}%), service level {100 * t_sl:.0f}%",
        f"({math.floor(max(a) * 2.8 + 1e-9)} at the peak instead of {max(a)}): service level {100 * r_sl:.0f}%, abandonment {100 * r_gone / sum(triple):.1f}%",
        f"Erlang A needs {peak3} at the peak for 80% in 30 s, {_sched(peak3)} on the schedule ({_sched(max(a))} on a usual day)",
        f"Erlang C {c50} agents (busy {100 * erlang_c(225, 1800, 400, c50, 30).occupancy:.0f}%)",
        f"patience 300 s: {a300} agents, busy {100 * m300.occupancy:.0f}%, abandonment {100 * m300.abandonment_rate:.1f}%",
        f"With patience 60 s: {a60} agents, busy {100 * m60.occupancy:.0f}%, abandonment {100 * m60.abandonment_rate:.0f}%",
    ]  # fmt: skip


@pytest.mark.parametrize("i", range(18))
def test_guide_quotes_ccsims_numbers(i):
    assert quotes()[i] in _flat(GUIDE.read_text(encoding="utf-8")), quotes()[i]


def test_notebook_quotes_ccsims_numbers():
    nb = _flat(" ".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown"))
    p = read_profile(SAMPLE)
    calls = list(p.calls_mean)
    a = [_fewest(x, 900, 300) for x in calls]
    c = [_fewest(x, 900, None) for x in calls]
    sim_sl, sim_ab, sim_gone = _sim(calls, a)
    assert f"({max(a)} at the peak against Erlang C's {max(c)})" in nb
    sl_c = sum(x * erlang_c(x, 900, 400, n, 30).service_level for x, n in zip(calls, c, strict=True)) / sum(calls)
    m_a = [erlang_a(x, 900, 400, n, 300, 30) for x, n in zip(calls, a, strict=True)]
    sl_a = sum(x * m.service_level for x, m in zip(calls, m_a, strict=True)) / sum(calls)
    ab_a = sum(x * m.abandonment_rate for x, m in zip(calls, m_a, strict=True)) / sum(calls)
    assert (
        f"(Erlang C {100 * sl_c:.0f}%, Erlang A {100 * sl_a:.0f}%), but Erlang A already expects {100 * ab_a:.1f}%"
        in nb
    )
    assert f"(about {100 * sim_sl:.0f}%) but about **{sim_gone:.0f} callers a day hang up ({100 * sim_ab:.1f}%)**" in nb
    assert f"50 on the phones needs **{_sched(50)} on the schedule**" in nb and f"not 50 + 41% ({50 * 1.41:.1f})" in nb
    sl, gone = _day(calls, _coverage(len(calls)))
    assert f"service level is about {100 * sl:.0f}% and about {gone:.0f} callers" in nb
    triple = [3 * x for x in calls]
    _t, t_gone = _day(triple, a)
    assert f"about **{t_gone:,.0f} of {sum(triple):,.0f} callers hang up ({100 * t_gone / sum(triple):.0f}%)**" in nb
    m = erlang_a(225, 1800, 400, 46, 60, 30)
    assert _fewest(225, 1800, 60) == 46
    assert (
        f"{100 * m.abandonment_rate:.0f}% of the callers hang up and the agents are busy {100 * m.occupancy:.0f}%" in nb
    )


def test_timing_table_adds_up():
    raw = GUIDE.read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\d+)–(\d+) \| [^|]+ \| (?:\*\*)?(teaching|exercise)(?:\*\*)? \((\d+)\) \|$", raw, flags=re.M
    )
    end, totals = 0, {"teaching": 0, "exercise": 0}
    for start, stop, kind, minutes in rows:
        assert int(start) == end and int(stop) - int(start) == int(minutes)
        end, totals[kind] = int(stop), totals[kind] + int(minutes)
    assert end == 60
    assert f"Teaching: {totals['teaching']} min · Exercises: {totals['exercise']} min" in _flat(raw)
    nb = _flat(NOTEBOOK.read_text(encoding="utf-8"))
    assert f"{totals['teaching']} minutes of teaching, {totals['exercise']} minutes of exercises" in nb


def test_quiz_answer_key_matches_the_quiz():
    section = GUIDE.read_text(encoding="utf-8").split("## Quiz answer key", 1)[1].split("\n## ", 1)[0]
    items = {int(n): _flat(b) for n, b in re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", section, flags=re.M | re.S)}
    questions = staffing_questions()
    assert sorted(items) == list(range(1, len(questions) + 1))
    for n, line in items.items():
        q = questions[n - 1]
        bold = re.search(r"→ \*\*(.*?)\*\*", line).group(1).rstrip(".;").lower()
        assert q.options[q.answer].lower().startswith(bold), (n, bold)
        shown = set(re.findall(r"\d+(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation])))
        assert set(re.findall(r"\d+(?:\.\d+)?", line)) <= shown, n


@pytest.mark.parametrize("path", [GUIDE, HANDOUT, NOTEBOOK], ids=lambda p: p.name)
def test_occupancy_is_a_target_never_a_guarantee(path):
    t = _flat(path.read_text(encoding="utf-8")).lower()
    assert "occupancy is a guarantee" not in t and "guaranteed occupancy" not in t
    assert "never a guarantee" in t
    for strict in ("under 3%", "under 30 s", "under 30 seconds", "less than 3%"):
        assert strict not in t, strict


def test_handout_defines_the_words_the_lab_uses():
    t = HANDOUT.read_text(encoding="utf-8")
    for word in ("Forecast", "Erlangs", "Erlang C / Erlang A", "Shrinkage", "0.59", "85", "Coverage gap",
                 "Heat map", "Open enrollment", "Busy occupancy", "Efficiency trap", "95%"):  # fmt: skip
        assert word in t, word


def test_notebook_quotes_the_calibrated_records():
    from ccsim.calibration import calibrate, read_records

    c = calibrate(read_records(REPO / "data" / "samples" / "call_records.csv"))
    nb = _flat(" ".join(x.source for x in nbformat.read(NOTEBOOK, as_version=4).cells if x.cell_type == "markdown"))
    assert f"handle time ({c.handle.mean_s:.0f} s) and patience (about {round(c.patience_mean_s, -1):.0f} s)" in nb
    assert c.profile.interval_min == 30 and "in half hours" in nb
