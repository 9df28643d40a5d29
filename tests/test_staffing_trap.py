"""The efficiency trap sentence: ``required_agents(...).warning``, ``staffing_table(...).attrs["warnings"]`` and
``ccsim staff`` (text on stderr, JSON ``warnings``) say so when the staffing they return has fewer agents than
the Erlangs of work or busy occupancy above 95%; every other key and number stays as it was."""

from __future__ import annotations

import json

import pytest

from ccsim.analytics.erlang import erlang_a
from ccsim.analytics.staffing import BUSY_LIMIT, efficiency_trap, required_agents, staffing_table
from ccsim.cli import main

STAFF = ["staff", "--calls", "225", "--interval", "1800", "--aht", "400", "--target-sl", "0.8", "--answer-within", "30"]


def test_fewer_agents_than_the_work_is_a_trap():
    r = required_agents(225, 1800, 400, answer_within_s=30, target_sl=0.8, patience_s=60)
    assert r.agents == 46 and r.metrics.load_erlangs == pytest.approx(50)
    # the number is what Erlang A gives, unchanged by the sentence
    m = erlang_a(225, 1800, 400, 46, 60, 30)
    assert r.metrics.service_level == pytest.approx(m.service_level)
    assert r.warning is not None and r.warning.startswith("Efficiency trap: 46 agents are fewer than the 50.0 Erlangs")
    assert r.warning.count(".") == 2  # one sentence: "50.0" and the final full stop


def test_no_sentence_for_a_comfortable_staffing():
    r = required_agents(225, 1800, 400, answer_within_s=30, target_sl=0.8, patience_s=300)
    assert r.agents == 52 and r.metrics.occupancy < BUSY_LIMIT and r.warning is None
    assert required_agents(225, 1800, 400, answer_within_s=30, target_sl=0.8).warning is None


def test_busy_above_95_percent_is_a_trap_even_with_more_agents_than_the_work():
    assert efficiency_trap(101, 96.5, 0.955) is not None
    assert "95.5%" in efficiency_trap(101, 96.5, 0.955)
    assert efficiency_trap(101, 96.5, 0.95) is None
    # a big queue held to 80% in 60 s by Erlang C runs busier than 95%
    r = required_agents(2000, 1800, 300, answer_within_s=60, target_sl=0.8)
    assert (r.metrics.occupancy > BUSY_LIMIT) == (r.warning is not None)


def test_staffing_table_names_the_trapped_intervals_in_one_sentence():
    t = staffing_table([225, 20, 225], 1800, 400, answer_within_s=30, target_sl=0.8, patience_s=60)
    assert list(t["agents"]) == [46, required_agents(20, 1800, 400, answer_within_s=30, target_sl=0.8,
                                                    patience_s=60).agents, 46]  # fmt: skip
    (sentence,) = t.attrs["warnings"]
    assert sentence.startswith("Efficiency trap in 2 of 3 intervals (0, 2)")
    calm = staffing_table([10, 20], 1800, 400, answer_within_s=30, target_sl=0.8)
    assert calm.attrs["warnings"] == []
    assert list(calm.columns) == [
        "interval", "calls", "load_erlangs", "agents", "scheduled_agents", "service_level", "asa_s",
        "abandonment_rate", "occupancy",
    ]  # fmt: skip


def test_ccsim_staff_says_so_in_text_and_json(capsys):
    assert main([*STAFF, "--patience", "60"]) == 0
    out, err = capsys.readouterr()
    assert "Agents on the phones" in out and "46" in out
    assert err.strip().startswith("Efficiency trap: 46 agents are fewer than the 50.0 Erlangs of work")
    assert main([*STAFF, "--patience", "60", "--json"]) == 0
    out, _err = capsys.readouterr()
    d = json.loads(out)
    assert d["agents"] == 46 and d["binding"] == ["--target-sl"]
    assert len(d["warnings"]) == 1 and d["warnings"][0].startswith("Efficiency trap")


def test_ccsim_staff_stays_quiet_without_a_trap(capsys):
    assert main([*STAFF, "--patience", "300", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [] and err == ""
