"""Lab 06's facilitator guide, handout and notebook quote numbers ccsim gives; these tests recompute every one
(through ccsim's public API), and hold the guide's timing table and quiz key to the lab."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from ccsim.analytics.erlang import erlang_c
from ccsim.analytics.staffing import required_agents
from ccsim.labs.lab06_network import NEVER_S
from ccsim.labs.lab06_questions import routing_questions
from ccsim.labs.lab06_skills import DAYS, skills_model
from ccsim.metrics.groups import caller_kpis_by
from ccsim.metrics.kpis import kpis, summary
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import Routing

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "lessons" / "06_routing_and_call_sharing.md"
HANDOUT = REPO / "lessons" / "06_routing_and_call_sharing_handout.md"
NOTEBOOK = REPO / "notebooks" / "06_routing_and_call_sharing.ipynb"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def text() -> str:
    return _flat(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notebook() -> str:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    return _flat(" ".join(c.source for c in nb.cells if c.cell_type == "markdown"))


def _need(calls_per_hour: float, aht_s: float) -> int:
    return required_agents(calls_per_hour, 3600, aht_s, answer_within_s=30, target_sl=0.8).agents


def _pct(x: float) -> int:
    return round(100 * x)


def test_timing_table_adds_up(text):
    rows = re.findall(r"\| (\d+)–(\d+) \| [^|]+ \| (?:\*\*)?(teaching|exercise)(?:\*\*)? \((\d+)\) \|", text)
    assert rows and rows[0][0] == "0" and rows[-1][1] == "60"
    for (a, b, _, n), nxt in zip(rows, [*rows[1:], None], strict=True):
        assert int(b) - int(a) == int(n)
        if nxt:
            assert nxt[0] == b
    teach = sum(int(r[3]) for r in rows if r[2] == "teaching")
    assert f"Teaching: {teach} min" in text and f"Exercises: {60 - teach} min" in text


def test_explore_1_pooling(text, notebook):
    site, pooled = _need(90, 400), _need(270, 400)
    assert (site, pooled) == (14, 35)
    sl_apart = erlang_c(90, 3600, 400, site, answer_within_s=30).service_level
    sl_pooled = erlang_c(270, 3600, 400, 3 * site, answer_within_s=30).service_level
    six = _need(6 * 90, 400)
    assert (
        f"each site alone needs {site} agents, 3 × {site} = {3 * site} kept apart; pooled {pooled} "
        f"({3 * site - pooled} fewer, {_pct((3 * site - pooled) / (3 * site))}%). The same {3 * site} agents: "
        f"{_pct(sl_apart)}% kept apart, {_pct(sl_pooled)}% pooled. With 6 sites: {6 * site} kept apart, {six} pooled "
        f"({_pct((6 * site - six) / (6 * site))}% fewer)" in text
    )
    assert f"**{3 * site}**. Pooled, **{pooled}** are enough, {3 * site - pooled} fewer" in notebook
    assert f"from **{_pct(sl_apart)}%** kept apart to **{_pct(sl_pooled)}%** pooled" in notebook


def test_explore_2_small_queue(text, notebook):
    big = _need(270, 400)
    for calls in (4, 40):
        apart, shared = _need(calls, 900), _need(270 + calls, (270 * 400 + calls * 900) / (270 + calls))
        busy = _pct(calls * 900 / 3600 / apart)
        if calls == 4:
            assert (
                f"1.0 agents' worth of work; kept apart {apart} agents, busy {busy}%; shared, {shared - big} extra"
                in text
            )
            assert f"**{apart}** dedicated agents, busy only **{busy}%**" in notebook
            assert f"need just **{shared - big}** extra agents" in notebook
        else:
            assert f"At 40 calls an hour: {apart} agents kept apart, busy {busy}%; shared, {shared - big} extra" in text


@pytest.fixture(scope="module")
def day_runs():
    day = load_preset("member_services_month").to_model(days=1)

    def run(mode, overflow):
        return simulate(dataclasses.replace(day, routing=Routing(mode, overflow_after_s=overflow)), 6)

    return {
        "apart": run("site_first", NEVER_S),
        "sharing": run("site_first", 20),
        "pooled": run("pooled", 0),
        "late": run("site_first", 300),
    }


def test_explore_3_network_day(text, notebook, day_runs):
    s = {k: summary(r) for k, r in day_runs.items()}
    assert (
        f"kept apart, service level {_pct(s['apart']['service_level'])}%, {s['apart']['abandoned']:,.0f} callers hung "
        f"up ({_pct(s['apart']['abandonment_rate'])}%); sharing after 20 s, {_pct(s['sharing']['service_level'])}% and "
        f"{s['sharing']['abandoned']:,.0f} hung up; fully pooled, {_pct(s['pooled']['service_level'])}% and "
        f"{s['pooled']['abandoned']:,.0f} hung up" in text
    )
    assert f"Sharing after 300 s: {_pct(s['late']['service_level'])}%, {s['late']['abandoned']:,.0f} hung up" in text
    q = kpis(day_runs["apart"], by="call_type")
    for key, name in (
        ("general_english", "English"),
        ("tty", "TTY"),
        ("cantonese", "Cantonese"),
        ("mandarin", "Mandarin"),
        ("medicare", "Medicare"),
    ):
        calls, sl = int(q.loc[key, "calls"]), q.loc[key, "service_level"]
        assert f"{name} {round(sl * calls):,} of {calls:,} in time ({_pct(sl)}%)" in text or (
            f"{name} {round(sl * calls):,} of {calls:,} ({_pct(sl)}%)" in text
        ), name
    tty = q.loc["tty"]
    assert f'"{round(tty["service_level"] * tty["calls"])} of {int(tty["calls"])} TTY calls answered in time"' in text
    assert f"({_pct(q.loc['general_english', 'service_level'])}% answered in time)" in notebook
    assert max(q.loc[k, "service_level"] for k in ("tty", "cantonese", "mandarin")) < 0.45  # "about a third"
    assert abs(s["apart"]["abandoned"] - 3400) <= 50 and abs(s["pooled"]["abandoned"] - 100) <= 10  # "about"
    assert f"**{s['apart']['abandoned']:,.0f}**" in notebook


def _cantonese(args) -> float:
    model = skills_model(*args)
    tables = [caller_kpis_by(simulate(model, seed), "call_type") for seed in range(1, DAYS + 1)]
    return sum(float(t.loc["cantonese", "answered_within"]) for t in tables) / sum(
        float(t.loc["cantonese", "calls"]) for t in tables
    )


def test_explore_4_skill_matrix(text, notebook):
    c = {k: _pct(_cantonese((k, "chinese", False, False, "pooled"))) for k in (0, 1, 2, 4, 8)}
    assert (
        f"Cross-trained reps taking Cantonese and Mandarin first: 1 → Cantonese {c[1]}%, 2 → {c[2]}%, 4 → {c[4]}%, "
        f"8 → {c[8]}%" in text
    )
    assert f"kept apart, Cantonese {c[0]}%" in text
    assert (
        f"**{c[0]}%** within 30 seconds. Two cross-trained reps lift it to **{c[2]}%**, four to **{c[4]}%**, eight only to **{c[8]}%**"
        in notebook
    )
    same = _pct(_cantonese((2, "same", False, False, "pooled")))
    special = _pct(_cantonese((2, "same", False, False, "specialists_first")))
    english = _pct(_cantonese((2, "english", False, False, "pooled")))
    chain = _pct(_cantonese((0, "chinese", True, False, "pooled")))
    assert f"pooled routing {same}%, specialists first {special}%. Two who take English first: {english}%" in text
    assert f"nobody cross-trained: Cantonese {chain}%" in text


def test_quiz_answer_key_matches_the_quiz(text):
    section = GUIDE.read_text(encoding="utf-8").split("## Quiz answer key", 1)[1].split("\n## ", 1)[0]
    items = {int(n): _flat(b) for n, b in re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", section, flags=re.M | re.S)}
    qs = routing_questions()
    assert sorted(items) == list(range(1, len(qs) + 1))
    for n, line in items.items():
        q = qs[n - 1]
        bold = re.search(r"→ \*\*(.*?)\*\*", line).group(1).rstrip(".").lower()
        assert q.options[q.answer].lower().startswith(bold), (n, bold)
        shown = set(re.findall(r"\d+(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation])))
        assert set(re.findall(r"\d+(?:\.\d+)?", line)) <= shown, n


def test_handout_numbers():
    h = _flat(HANDOUT.read_text(encoding="utf-8"))
    site, pooled = _need(90, 400), _need(270, 400)
    assert (
        f"need {site} agents each kept apart, {3 * site} in all; pooled, {pooled} ({_pct((3 * site - pooled) / (3 * site))}% fewer)"
        in h
    )
    apart = _need(4, 900)
    assert f"4 calls an hour: {apart} agents, busy {_pct(1.0 / apart)}% of the time" in h
    assert "at most 3%" in h and "80%" in h
