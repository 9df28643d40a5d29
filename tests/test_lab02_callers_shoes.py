"""Lab 02 (ccsim.labs.lab02_callers_shoes): every tile and every figure line of the member, day and month panels
against numbers computed independently (tests/lab_checks.py): the network simulated here from the preset, KPIs
from ccsim.metrics.kpis and ccsim.metrics.journeys, members' waits from the legs log."""

from __future__ import annotations

import html
import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from lab_checks import Expected, LineCheck, TileCheck, assert_numbers, check_panel, classroom_targets

from ccsim.labs.lab02_callers_shoes import QUEUE_WORDS, case_card, day_panel, member_panel, month_panel
from ccsim.labs.lab02_members import PERSONAS, network_run
from ccsim.metrics.journeys import journey_kpis
from ccsim.metrics.kpis import kpis
from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate

GUARANTEED = ("service_level", "asa_s", "abandonment_rate")


def independent_run(days: int, staff: dict[str, float] | None = None):
    """The lab's case built here: the month preset, a 40 s voice menu, seed 1 (and groups scaled by ``staff``)."""
    s = load_preset("member_services_month")
    data = s.model_dump(mode="python")
    changes: dict = {"call_types": [dict(c, menu_time_s=40.0) for c in data["call_types"]], "horizon": {"days": days}}
    if staff:
        groups = data["agent_groups"]
        for g in groups:
            first = (
                min(g["skills"], key=lambda k: (g["skills"][k], k)) if isinstance(g["skills"], dict) else g["skills"][0]
            )
            if first in staff:
                g["headcount_per_interval"] = [round(h * staff[first]) for h in g["headcount_per_interval"]]
        changes["agent_groups"] = groups
    return simulate(s.updated(changes).to_model(), 1)


@pytest.fixture(scope="module")
def day_run():
    return independent_run(1)


@pytest.fixture(scope="module")
def month_run():
    return independent_run(30)


def members(result) -> pd.DataFrame:
    """Per issue: persona, first queue, calls, longest single wait (any leg but consults), hung up once or more."""
    legs = result.legs[~result.legs["consult"].to_numpy(dtype=bool)]
    issue_of = dict(zip(result.contacts["contact_id"], result.contacts["issue_id"], strict=True))
    issue = legs["contact_id"].map(issue_of)
    issues = result.issues.set_index("issue_id")
    return pd.DataFrame(
        {
            "persona": issues["persona"].astype(str),
            "call_type": issues["call_type"].astype(str),
            "calls": issues["contacts"],
            "day": issues["day"],
            "longest": legs["wait_s"].groupby(issue).max().reindex(issues.index).fillna(0.0),
            "hung_up": (legs["outcome"].astype(str) == "abandoned")
            .groupby(issue)
            .any()
            .reindex(issues.index)
            .fillna(False),
        }
    )


def words(markup: str) -> str:
    """The text a learner reads in an HTML widget's value (tags dropped)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def shown_wait(seconds: float) -> float:
    """A wait as the lab writes it: seconds under 90 s, minutes from 90 s."""
    return seconds if seconds < 90 else seconds / 60


def counts(m: pd.DataFrame) -> tuple[int, int, int, int, int]:
    return (
        len(m),
        int((m["longest"] > 60).sum()),
        int((m["longest"] > 300).sum()),
        int(m["hung_up"].sum()),
        int((m["calls"] >= 2).sum()),
    )


def tile_checks(values: dict[str, dict[str, float]], words: dict[str, str]) -> dict:
    targets = classroom_targets(30.0)
    return {
        (k, s): TileCheck(v[k], targets.get(k) if k in GUARANTEED else None, words[s])
        for s, v in values.items()
        for k in v
    }


def guaranteed(result) -> dict[str, float]:
    row = kpis(result).iloc[0]
    return {k: float(row[k]) for k in GUARANTEED}


def test_the_lab_simulates_the_case_it_describes(day_run):
    lab = network_run(1)
    pd.testing.assert_frame_equal(lab.contacts, day_run.contacts)
    card = case_card()
    assert "ccsim-case" in card._dom_classes
    assert f"{len(day_run.issues):,} members" in card.value and "40 s in the voice menu" in card.value


# ---------------------------------------------------------------------------------------------- the member panel


def _segments(result, issue_id: int) -> tuple[dict[str, tuple[list, list]], tuple, tuple, list[float]]:
    contacts = result.contacts[result.contacts["issue_id"] == issue_id].sort_values("contact_seq")
    legs = result.legs[~result.legs["consult"].to_numpy(dtype=bool)]
    lines: dict[str, tuple[list, list]] = {k: ([], []) for k in ("menu", "waiting", "talking")}
    hx, hy, tx, ty, waits = [], [], [], [], []

    def add(kind: str, row: int, start: float, end: float) -> None:
        lines[kind][0].extend((start / 60, end / 60, math.nan))
        lines[kind][1].extend((row, row, math.nan))

    for row, c in enumerate(contacts.itertuples()):
        add("menu", row, 0.0, c.queue_entry_s - c.arrival_s)
        for leg in legs[legs["contact_id"] == c.contact_id].sort_values("leg").itertuples():
            stop = leg.answer_s if not math.isnan(leg.answer_s) else leg.end_s
            add("waiting", row, leg.queue_entry_s - c.arrival_s, stop - c.arrival_s)
            waits.append(leg.wait_s)
            if leg.leg > 0:
                tx.append((leg.queue_entry_s - c.arrival_s) / 60)
                ty.append(row)
            if not math.isnan(leg.answer_s):
                add("talking", row, leg.answer_s - c.arrival_s, leg.end_s - c.arrival_s)
            elif leg.outcome == "abandoned":
                hx.append((stop - c.arrival_s) / 60)
                hy.append(row)
    return lines, (hx, hy), (tx, ty), waits


def member_expected(panel, result) -> Expected:
    params = panel.params
    persona = params["persona"]
    j = panel.results["journey"]
    m = members(result)
    mine = m[m["persona"] == persona]
    assert j.issue_id in mine.index and j.persona == persona
    if params["whose"] == "longest_wait":
        assert mine.loc[j.issue_id, "longest"] >= mine["longest"].nlargest(10).min()
    if params["whose"] == "handed_on":
        issues = result.issues.set_index("issue_id")
        assert issues.loc[j.issue_id, "transfers"] + issues.loc[j.issue_id, "back_office_handoffs"] > 0
    if params["whose"] == "most_calls":
        assert mine.loc[j.issue_id, "calls"] >= mine["calls"].nlargest(10).min()
    contacts = result.contacts
    of_persona = replace(result, contacts=contacts[contacts["persona"].astype(str) == persona])
    values = {
        "persona": {
            **guaranteed(of_persona),
            "contacts_per_issue": journey_kpis(result, by="persona").loc[persona, "contacts_per_issue"],
        },
        "everyone": {**guaranteed(result), "contacts_per_issue": journey_kpis(result)["contacts_per_issue"]},
    }
    tiles = tile_checks(values, {"persona": "Members like this one", "everyone": "Every member"})
    lines_xy, (hx, hy), (tx, ty), waits = _segments(result, j.issue_id)
    longest = max(waits)
    sorted_waits = np.sort(mine["longest"].to_numpy(dtype=float))
    n = len(sorted_waits)
    at = 100.0 * np.searchsorted(sorted_waits, longest, side="right") / n
    # the curve draws every member up to 2,000, else 2,000 evenly spread ones (first and last included)
    drawn = np.arange(n) if n <= 2000 else np.unique(np.linspace(0, n - 1, 2000).round().astype(int))
    words = {"menu": "^voice menu$", "waiting": "^waiting in a queue$", "talking": "^talking with an agent$"}
    lines = [
        LineCheck("member_minutes_per_issue", words[k], "points", x=xy[0], y=xy[1])
        for k, xy in lines_xy.items()
        if xy[0]
    ]
    if hx:
        lines.append(LineCheck("member_minutes_per_issue", "^hung up$", "points", x=hx, y=hy))
    if tx:
        lines.append(LineCheck("member_minutes_per_issue", "^transferred$", "points", x=tx, y=ty))
    lines += [
        LineCheck(
            "max_wait_s",
            r"^all [\d,]+ ",
            "points",
            x=100.0 * (drawn + 1) / n,
            y=sorted_waits[drawn],
            label_numbers=(n,),
        ),
        LineCheck("max_wait_s", "^you are here$", "points", x=(at,), y=(longest,)),
        LineCheck("max_wait_s", "^30 s$", "hline", y=(30.0,)),
    ]
    caption = (j.issue_id, len(lines_xy["menu"][0]) // 3, shown_wait(longest), int((sorted_waits > longest).sum()), n)
    return Expected(tiles, lines, caption)


@pytest.fixture(scope="module")
def member():
    return member_panel()


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"persona": "tty_user"},
        {"persona": "cantonese_speaker", "whose": "longest_wait"},
        {"persona": "new_member", "whose": "most_calls"},
        {"persona": "mandarin_speaker", "draw": 3},
        {"persona": "new_member", "whose": "handed_on"},
        {"persona": "adult", "whose": "handed_on", "draw": 2},
    ],
    ids=["start", "tty", "cantonese longest wait", "new member most calls", "mandarin 4th draw", "handed on", "adult"],
)
def test_member_panel_shows_ccsims_numbers(member, day_run, settings):
    member.reset()
    member.set(**settings)
    check_panel(member, member_expected(member, day_run))
    j = member.results["journey"]
    story = member.story.value
    assert PERSONAS[j.persona].words in story and f"called {j.calls} time" in story


def test_member_panel_on_the_month(member, month_run):
    member.reset()
    member.set(days=30)
    if member.results.get("journey") is None:  # the month was not simulated yet in this process
        assert "press Run" in member.tile("service_level", "persona").text
        member.run()
    for settings in ({"persona": "adult"}, {"persona": "senior", "whose": "most_calls"}):
        member.set(**settings)
        check_panel(member, member_expected(member, month_run))
    member.reset()


def test_notes_say_what_happened_after_each_call(member, day_run):
    member.reset()
    for draw in range(4):
        member.set(persona="new_member", whose="handed_on", draw=draw)
        j = member.results["journey"]
        contacts = day_run.contacts[day_run.contacts["issue_id"] == j.issue_id].sort_values("contact_seq")
        for note, c in zip(j.notes, contacts.itertuples(), strict=True):
            assert note.startswith("transferred") == (c.transfers > 0), (note, c)
            words = {"resolved": "settled", "back_office": "back office took it", "unresolved": "not settled"}
            assert words.get(str(c.issue_outcome), "") in note, (note, c.issue_outcome)
    member.reset()


def test_no_such_member_gets_a_sentence_and_keeps_the_tiles(member, day_run):
    member.reset()
    member.set(persona="tty_user", whose="handed_on")
    assert member.message.kind == "warning" and "none of the TTY users" in member.message.text
    assert member.tile("service_level", "persona").value is not None and member.figure_area.png == b""
    assert member.story.value == ""
    member.reset()


def test_another_member_draws_the_next_one(member):
    member.reset()
    first = member.results["journey"].issue_id
    member.another_button.click()
    assert member.params["draw"] == 1 and member.results["journey"].issue_id != first
    member.reset()


def test_the_guess_is_told_back_beside_the_member(member):
    member.reset()
    member.set(guess_wait_min=2.5, guess_calls=3)
    assert "You guessed a wait of 2.5 minutes and 3 calls." in member.story.value
    member.reset()


def test_fewer_agents_wait_for_run_then_show_that_day(member):
    member.reset()
    member.set(persona="cantonese_speaker", staff_pct=60)
    assert "press Run" in member.tile("service_level", "persona").text and member.figure_area.png == b""
    member.run()
    check_panel(member, member_expected(member, independent_run(1, {"cantonese": 0.6})))
    member.reset()


def test_a_bad_value_gets_one_sentence(member):
    member.set(staff_pct=500)
    assert member.message.kind == "error" and "staff_pct" in member.message.text
    member.reset()


# ---------------------------------------------------------------------------------------------- the day in people


def group_kpis(result, by: str) -> pd.DataFrame:
    """kpis() of each queue, or of each kind of member's calls, in the panel's order."""
    if by == "queue":
        return kpis(result, by="call_type").loc[list(QUEUE_WORDS)]
    contacts = result.contacts
    rows = [kpis(replace(result, contacts=contacts[contacts["persona"].astype(str) == p])).iloc[0] for p in PERSONAS]
    return pd.DataFrame(rows, index=list(PERSONAS))


@pytest.mark.parametrize("by", ["queue", "persona"])
def test_day_panel_shows_ccsims_numbers(day_run, by):
    panel = day_panel()
    panel.set(by=by)
    tiles = tile_checks({"simulation": guaranteed(day_run)}, {"simulation": "Simulation"})
    g = group_kpis(day_run, by)
    x = np.arange(len(g), dtype=float)
    lines = [
        LineCheck("max_wait_s", "^average wait$", "points", x=x, y=g["mean_wait_s"].to_numpy()),
        LineCheck("max_wait_s", "^longest wait$", "points", x=x, y=g["max_wait_s"].to_numpy()),
        LineCheck("max_wait_s", "^30 s$", "hline", y=(30.0,)),
    ]
    caption = (g["mean_wait_s"].min(), g["mean_wait_s"].max(), shown_wait(g["max_wait_s"].max()))
    check_panel(panel, Expected(tiles, lines, caption))
    m = members(day_run)
    text = panel.people.value
    assert_numbers(words(text.split("</p>")[0]), counts(m), "people sentence")
    rows = text.split("<tr>")[2:]  # the header, then one row per group
    column = "call_type" if by == "queue" else "persona"
    groups = [("Everyone", m, kpis(day_run).iloc[0]["service_level"])]
    groups += [(key, m[m[column] == key], g.loc[key, "service_level"]) for key in g.index]
    assert len(rows) == len(groups)
    for row, (name, mine, sl) in zip(rows, groups, strict=True):
        c = counts(mine)
        want = [c[0]]
        for k in c[1:]:
            want += [k, 100 * k / c[0]]
        assert_numbers(words(row.split("</b>")[1]), (*want, 100 * sl), name)
    panel.set(by="nonsense")
    assert panel.message.kind == "error" and "by" in panel.message.text


# ---------------------------------------------------------------------------------------------- the month


def test_month_panel_shows_ccsims_month(month_run):
    panel = month_panel()
    tiles = tile_checks({"simulation": guaranteed(month_run)}, {"simulation": "Simulation"})
    by_iv = kpis(month_run, by="interval")
    per_iv_day = (by_iv.index.to_numpy() * month_run.model.interval_s // 86_400).astype(int)
    within = (by_iv["service_level"] * by_iv["calls"]).groupby(per_iv_day).sum()
    calls = by_iv["calls"].groupby(per_iv_day).sum()
    open_days = calls[calls > 0].index
    sl = (within[open_days] / calls[open_days]).to_numpy()
    day = open_days.to_numpy() + 1.0
    met = sl >= 0.8
    month_sl = guaranteed(month_run)["service_level"]
    lines = [
        LineCheck("service_level", r"^day met\b", "points", x=day[met], y=sl[met], label_numbers=(met.sum(), len(sl))),
        LineCheck(
            "service_level", r"^day missed\b", "points", x=day[~met], y=sl[~met], label_numbers=((~met).sum(), len(sl))
        ),
        LineCheck("service_level", "^the month", "hline", y=(month_sl,), label_numbers=(100 * month_sl,)),
        LineCheck("service_level", "^target$", "hline", y=(0.8,)),
    ]
    worst = int(np.argmin(sl))
    caption = (len(sl), (~met).sum(), 80, day[worst], 100 * sl[worst])
    check_panel(panel, Expected(tiles, lines, caption))
    m = members(month_run)
    text = panel.worst_day.value
    assert_numbers(
        words(text),
        (100 * month_sl, 30, day[worst], 100 * sl[worst], *counts(m[m["day"] == day[worst] - 1])),
        "worst day",
    )
