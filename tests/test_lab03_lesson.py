"""Lab 03's facilitator guide quotes numbers ccsim gives; these tests recompute every one of them (through
ccsim's public API, independently of the lab's code where the lab computes them itself), and hold the
guide's timing table, quiz key and handout to the lab."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import required_agents
from ccsim.labs.cases import case_params, classroom_case
from ccsim.labs.lab03_questions import trade_off_questions
from ccsim.labs.lab03_rushing import journey_line
from ccsim.labs.queue import queue_model
from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "lessons" / "03_metric_trade_offs.md"
HANDOUT = REPO / "lessons" / "03_metric_trade_offs_handout.md"
NOTEBOOK = REPO / "notebooks" / "03_metric_trade_offs.ipynb"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def text() -> str:
    return _flat(GUIDE.read_text(encoding="utf-8"))


def _pct(x: float) -> int:
    return round(100 * x)


def _rush(cut: float, fcr: float) -> dict[str, float]:
    first = 400 * (1 - cut)
    contacts = 300 / fcr
    work = 300 * first + (contacts - 300) * first * 1.3
    aht = work / contacts
    c = required_agents(contacts, 1800, aht, answer_within_s=30, target_sl=0.8).agents
    a = required_agents(contacts, 1800, aht, answer_within_s=30, target_sl=0.8, patience_s=300).agents
    return {"aht": aht, "per_issue": 1 / fcr, "calls": contacts, "load": work / 1800, "c": c, "a": a,
            "scheduled": math.ceil(c / 0.59 - 1e-9)}  # fmt: skip


@pytest.mark.parametrize("cut, fcr", [(0, 85), (10, 75)])
def test_rushing_table(text, cut, fcr):
    m = re.search(
        rf"\| {cut}% cut, {fcr}% resolved \| (\d+) s \| ([\d.]+) \| (\d+) \| (\d+) Erlangs \| (\d+) \| (\d+) \| (\d+) \|",
        text,
    )
    assert m, (cut, fcr)
    r = _rush(cut / 100, fcr / 100)
    aht, per, calls, load, c, a, sched = m.groups()
    assert int(aht) == round(r["aht"]) and float(per) == round(r["per_issue"], 2) and int(calls) == round(r["calls"])
    assert int(load) == round(r["load"]) and (int(c), int(a), int(sched)) == (r["c"], r["a"], r["scheduled"])


def test_member_journey_numbers(text):
    m = re.search(
        r"baseline ([\d,]+) calls and ([\d,]+) hours of talk and wrap-up; rushed ([\d,]+) calls and ([\d,]+) hours\. "
        r"Repeat contacts (\d+)% → (\d+)%, FCR \(30-day\) (\d+)% → (\d+)%, service level (\d+)% → (\d+)%",
        text,
    )
    assert m
    g = [int(x.replace(",", "")) for x in m.groups()]
    runs = []
    for aht, res in ((400.0, 0.86), (360.0, 0.75)):
        result = simulate(journey_line(aht, res).to_model(), seed=1)
        runs.append({**summary(result), **journey_kpis(result)})
    b, r = runs
    assert g[:4] == [
        b["calls"],
        round(b["answered"] * b["aht_s"] / 3600),
        r["calls"],
        round(r["answered"] * r["aht_s"] / 3600),
    ]
    assert g[4:] == [_pct(b["repeat_contact_rate"]), _pct(r["repeat_contact_rate"]), _pct(b["fcr"]), _pct(r["fcr"]),
                     _pct(b["service_level"]), _pct(r["service_level"])]  # fmt: skip


def test_definition_numbers(text):
    m = re.search(
        r"one simulated day, (\d+) agents, ([\d,]+) callers, (\d+) hung up\. Service level counted four ways: "
        r"out of everyone (\d+)%, leaving out short abandons (\d+)%, out of the answered (\d+)%, short abandons as "
        r"served (\d+)%",
        text,
    )
    assert m
    agents, calls, hung, *sls = (int(x.replace(",", "")) for x in m.groups())
    c = classroom_case()
    day = simulate(queue_model(case_params({"agents": agents}, c), c), seed=1)
    s = summary(day)
    assert (calls, hung) == (s["calls"], s["abandoned"])
    order = ("offered", "exclude_short_abandons", "answered", "answered_or_abandoned_within")
    assert sls == [_pct(summary(day, sl_definition=SLDefinition(d))["service_level"]) for d in order]


def test_occupancy_and_fcr_numbers(text):
    c = classroom_case()
    for agents, off, busy, seat in re.findall(
        r"(\d+) agents and (\d+) minutes(?: off the phones)?: busy (\d+)%, in seat (\d+)%", text
    ):
        m = erlang_a(c.calls_per_interval, 1800, c.aht_s, int(agents), c.patience_s, 30)
        assert int(busy) == _pct(m.occupancy) and int(seat) == _pct((480 - int(off)) / 480)
    m = re.search(r"\(45 days\): agent-reported (\d+)%, 30-day look-back (\d+)%", text)
    assert m
    j = journey_kpis(simulate(load_preset("one_and_done_before").to_model(days=45), seed=1))
    assert (int(m.group(1)), int(m.group(2))) == (_pct(j["fcr_agent_reported"]), _pct(j["fcr"]))


def _game(patience: float, definition: str, q: float):
    c = classroom_case()
    contacts, aht = c.calls_per_interval * (1 + q), (400 + 120 * q) / (1 + q)
    m = erlang_a(contacts, 1800, aht, 50, patience, 30, definition)
    minutes = ((1 + q) * m.mean_wait_all_s + 400 + 120 * q) / 60
    return m, aht, contacts * 16 * m.abandonment_rate, minutes


def test_game_numbers(text):
    m = re.search(
        r"as it starts, service level (\d+)%, ASA (\d+) s, (\d+) callers hang up\. Patience 120 s: service level "
        r"(\d+)%, ASA (\d+) s, (\d+) hang up; counted over the answered only, (\d+)%\. Quick transfers 15%: AHT (\d+) s "
        r"\(met\) while service level falls to (\d+)% and member minutes per issue rise from (\d+\.\d) to (\d+\.\d)",
        text,
    )
    assert m
    g = m.groups()
    base, _, hung0, min0 = _game(300, "offered", 0)
    imp, _, hung1, _ = _game(120, "offered", 0)
    ans, *_ = _game(120, "answered", 0)
    quick, aht, _, min1 = _game(300, "offered", 0.15)
    assert [int(x) for x in g[:8]] == [_pct(base.service_level), round(base.asa_s), round(hung0), _pct(imp.service_level),
                                       round(imp.asa_s), round(hung1), _pct(ans.service_level), round(aht)]  # fmt: skip
    assert int(g[8]) == _pct(quick.service_level) and (float(g[9]), float(g[10])) == (round(min0, 1), round(min1, 1))
    assert aht <= 400


def test_people_and_adherence_numbers(text):
    c = classroom_case()
    for agents, busy, leavers in re.findall(
        r"(\d+) agents, busy(?: occupancy)? (\d+)%, about ([\d.]+) leavers a year", text
    ):
        occ = erlang_a(c.calls_per_interval, 1800, c.aht_s, int(agents), c.patience_s, 30).occupancy
        team = math.ceil(int(agents) / 0.59 - 1e-9)
        assert int(busy) == _pct(occ)
        assert float(leavers) == round(team * (25 + 2 * max(0.0, 100 * occ - 85)) / 100, 1)
    m = re.search(r"with (\d+) callers: with one agent off the phones, service level (\d+)% → (\d+)%; callers answered "
                  r"late or hanging up after 30 s: (\d+) → (\d+)", text)  # fmt: skip
    assert m
    calls = c.calls_per_hour / 4
    full, less = erlang_a(calls, 900, 400, 50, 300, 30), erlang_a(calls, 900, 400, 49, 300, 30)

    def late(q):
        return calls * (1 - q.p_answered_within - q.p_abandoned_within)

    want = [round(calls), _pct(full.service_level), _pct(less.service_level), round(late(full)), round(late(less))]
    assert [int(x) for x in m.groups()] == want


def test_timing_table_adds_up(text):
    raw = GUIDE.read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\d+)–(\d+) \| [^|]+ \| (?:\*\*)?(teaching|exercise)(?:\*\*)? \((\d+)\) \|$", raw, flags=re.M
    )
    assert rows
    end = 0
    totals = {"teaching": 0, "exercise": 0}
    for start, stop, kind, minutes in rows:
        assert int(start) == end and int(stop) - int(start) == int(minutes)
        end = int(stop)
        totals[kind] += int(minutes)
    assert end == 60
    assert f"Teaching: {totals['teaching']} min · Exercises: {totals['exercise']} min" in text
    nb = _flat(NOTEBOOK.read_text(encoding="utf-8"))
    assert f"{totals['teaching']} minutes of teaching, {totals['exercise']} minutes of exercises" in nb


def test_quiz_answer_key_matches_the_quiz():
    section = GUIDE.read_text(encoding="utf-8").split("## Quiz answer key", 1)[1].split("\n## ", 1)[0]
    items = {int(n): _flat(b) for n, b in re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", section, flags=re.M | re.S)}
    questions = trade_off_questions()
    assert sorted(items) == list(range(1, len(questions) + 1))
    for n, line in items.items():
        q = questions[n - 1]
        bold = re.search(r"→ \*\*(.*?)\*\*", line).group(1).rstrip(".").lower()
        assert q.options[q.answer].lower().startswith(bold), (n, bold)
        shown = set(re.findall(r"\d+(?:\.\d+)?", " ".join([q.prompt, *q.options, q.explanation])))
        assert set(re.findall(r"\d+(?:\.\d+)?", line)) <= shown, n


@pytest.mark.parametrize("path", [GUIDE, HANDOUT, NOTEBOOK], ids=lambda p: p.name)
def test_no_text_calls_occupancy_a_guarantee(path):
    t = _flat(path.read_text(encoding="utf-8")).lower()
    assert "occupancy is a guarantee" not in t and "guaranteed occupancy" not in t
    assert "neither is a guarantee" in t
    for strict in ("under 3%", "under 30 s", "under 30 seconds", "less than 3%"):
        assert strict not in t, strict


def test_handout_defines_the_words_the_lab_uses():
    t = HANDOUT.read_text(encoding="utf-8")
    for word in ("Handle time", "First-contact resolution", "30-day look-back", "Service level", "Occupancy",
                 "Abandonment", "Schedule adherence", "$10,000–20,000", "illustrative"):  # fmt: skip
        assert word in t, word


def test_notebook_quotes_ccsims_numbers():
    import nbformat

    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    nb = _flat(" ".join(c.source for c in cells if c.cell_type == "markdown"))
    base, rushed = _rush(0, 0.85), _rush(0.1, 0.75)
    m = re.search(
        r"workload rises from (\d+) to (\d+) Erlangs\*\* and Erlang C asks for \*\*(\d+) agents instead of (\d+)\*\*",
        nb,
    )
    assert m and [int(x) for x in m.groups()] == [round(base["load"]), round(rushed["load"]), rushed["c"], base["c"]]
    m = re.search(r"about (\d\.\d+) calls per issue, with 75% it is (\d\.\d+)", nb)
    assert m and (float(m.group(1)), float(m.group(2))) == (round(base["per_issue"], 2), round(rushed["per_issue"], 2))
    c = classroom_case()
    day = simulate(queue_model(case_params({"agents": 47}, c), c), seed=1)
    m = re.search(r"report that says .service level (\d+)%", nb)
    assert m and int(m.group(1)) == _pct(summary(day, sl_definition="answered")["service_level"])
    calls = c.calls_per_hour / 4
    drop = erlang_a(calls, 900, 400, 50, 300, 30).service_level - erlang_a(calls, 900, 400, 49, 300, 30).service_level
    assert "by about four points" in nb and round(100 * drop) == 4
