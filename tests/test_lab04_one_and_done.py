"""Lab 04 (ccsim.labs.lab04_*): every tile, every bar of the issue paths, every point and interval of the
difference figure, the member's journey and the questions agree with numbers computed without the lab's
code (tests/lab04_expect.py), checked with tests/lab_checks.py; the panel behaves as a learner meets it."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from lab04_expect import DEFAULTS, ci, difference, paths, run
from lab_checks import LineCheck, TileCheck, assert_numbers, check_figure, check_tile, shown_numbers

from ccsim.labs.lab04_one_and_done import (
    KPIS,
    difference_panel,
    journey_member,
    member_journey,
    one_and_done_panel,
    one_and_done_questions,
    paths_figure,
    story_card,
)
from ccsim.labs.lab04_panels import DIFFERENCE_KPIS
from ccsim.labs.lab04_story import people_sentence
from ccsim.labs.lab04_tiles import ChangeTile
from ccsim.metrics.paths import issue_paths
from ccsim.metrics.scorecard import targets_from
from ccsim.metrics.targets import fcr_target
from ccsim.scenario import load_preset

TARGETED = ("fcr", "aht_s", "service_level")
SOURCE_WORDS = {"preview": "Quick preview", "simulation": "Simulation"}


def targets():
    by = {t.metric: t for t in targets_from(load_preset("classroom").targets)}
    return {"service_level": by["service_level"], "aht_s": by["aht_s"], "fcr": fcr_target()}


@pytest.fixture(scope="module")
def panel():
    return one_and_done_panel()


# ---------------------------------------------------------------------------------------------- checks


def check_change_tile(tile: ChangeTile, value: float, baseline: float) -> None:
    where = f"tile ({tile.kpi}, {tile.source})"
    assert math.isclose(tile.value, value, rel_tol=1e-9), f"{where}: {tile.value} != {value}"
    headline, _, detail = tile.text.partition(" — ")
    scale = 100.0 if tile.kpi == "fcr" else 1.0
    assert headline.startswith(tile.label)
    assert_numbers(headline[len(tile.label) :], [value * scale], where)
    assert_numbers(detail.split(" — ")[0], [baseline * scale], f"{where} baseline")
    classes = set(tile.widget._dom_classes)
    if math.isclose(value, baseline, rel_tol=1e-9):
        assert tile.met is None and "ccsim-no-target" in classes and "the same" in detail, where
    else:
        better = bool(value < baseline)
        assert tile.met is better, f"{where}: {tile.text}"
        assert ("better ✓" if better else "worse ✗") in detail, where
        assert ("ccsim-met" if better else "ccsim-missed") in classes, where


def check_tiles(panel, source: str, kpis: dict[str, float] | None, baseline: dict[str, float] | None) -> None:
    t = targets()
    for tile in [x for x in panel.tiles if x.source == source]:
        if kpis is None and isinstance(tile, ChangeTile):  # its label has a number: "per 100 issues"
            assert tile.value is None and tile.met is None and "ccsim-pending" in tile.widget._dom_classes
            assert tile.text.startswith(tile.label) and not shown_numbers(tile.text[len(tile.label) :]), tile.text
        elif kpis is None:
            check_tile(tile, TileCheck(None, None, SOURCE_WORDS[source]))
        elif tile.kpi in TARGETED:
            check_tile(tile, TileCheck(kpis[tile.kpi], t[tile.kpi], SOURCE_WORDS[source]))
        else:
            assert isinstance(tile, ChangeTile)
            assert baseline is not None
            check_change_tile(tile, kpis[tile.kpi], baseline[tile.kpi])
    assert {x.kpi for x in panel.tiles if x.source == source} == set(KPIS)


def check_bars(fig, table, axis_gid: str) -> None:
    """Every segment of the axis ``axis_gid`` has the width and position of ``table`` (per 100 issues)."""
    ax = next(a for a in fig.axes if a.get_gid() == axis_gid)
    rects = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert len(rects) == table.size, sorted(rects)
    for c in table.index:
        left = 0.0
        for step in table.columns:
            r = rects[f"{step}-{c}"]
            assert math.isclose(r.get_width(), table.loc[c, step], rel_tol=1e-9, abs_tol=1e-12), (step, c)
            assert math.isclose(r.get_x(), left, rel_tol=1e-9, abs_tol=1e-9), (step, c)
            left += table.loc[c, step]
    check_figure(fig, [])  # and no line nobody checks


# ---------------------------------------------------------------------------------------------- the panel

SETTINGS = [
    {"design": "before"},
    {"design": "after"},
    {"design": "before", "back_office_days": 3},
    {"design": "before", "transfer_pct": 0, "resolve_pct": 72},
    {"design": "after", "consult_min": 10.0},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_panel_shows_ccsims_numbers(panel, settings):
    panel.set(**settings)
    assert panel.message.kind == "", panel.message.text
    kpis, result = run(settings)
    before, _ = run({"design": "before"})
    check_tiles(panel, "preview", kpis, before)
    check_tiles(panel, "simulation", None, None)  # waits for Run
    table = paths(result)
    check_bars(panel.figure_area.figure, table, "paths-Issue paths with these settings (quick preview)")
    first = table.loc[1]
    assert_numbers(
        panel.figure_area.alt,
        (2014 if settings["design"] == "before" else 2015, 100, first["resolved"], first["back_office"],
         first["unresolved"], table.drop(index=1).sum().sum()),
        "caption",
    )  # fmt: skip


def test_switching_the_line_puts_the_controls_at_its_values(panel):
    panel.set(design="before", back_office_days=5)
    assert panel.params["back_office_days"] == 5
    panel.controls["design"].value = "after"  # as a learner does it
    assert panel.params == {"design": "after", **DEFAULTS["after"]}
    panel.controls["design"].value = "before"
    assert panel.params == {"design": "before", **DEFAULTS["before"]}
    updates = panel.updates
    panel.controls["design"].value = "after"
    assert panel.updates == updates + 1, "one switch, one update"


def test_resolve_limit_is_said_in_one_sentence(panel):
    panel.set(design="after", transfer_pct=10)
    kpis, _ = run({"design": "after", "transfer_pct": 10})
    assert panel.message.kind == "warning"
    assert shown_numbers(panel.message.text) == ["33", "67", "67", "74"], panel.message.text
    assert math.isclose(panel.tile("handoffs_per_100_issues", "preview").value, kpis["handoffs_per_100_issues"])
    panel.reset()


@pytest.mark.parametrize("bad", [{"transfer_pct": 90}, {"design": "sometime"}, {"consult_min": 0.0}])
def test_bad_values_get_one_sentence_and_change_nothing(panel, bad):
    panel.reset()
    before = dict(panel.params)
    panel.set(**bad)
    assert panel.message.kind == "error" and "\n" not in panel.message.text and "Traceback" not in panel.message.text
    assert panel.params == before
    panel.reset()


def test_run_shows_the_full_line_against_the_full_before_line(panel):
    panel.set(design="after")
    panel.run()
    kpis, _ = run({"design": "after"}, "full")
    before, _ = run({"design": "before"}, "full")
    check_tiles(panel, "simulation", kpis, before)
    assert panel.progress.layout.visibility == "hidden"
    # the aha: AHT over its target while every member-side tile gets better
    assert panel.tile("aht_s", "simulation").met is False
    for kpi in (
        "handoffs_per_100_issues",
        "contacts_per_issue",
        "days_to_resolution_mean",
        "agent_hours_per_100_issues",
    ):
        assert panel.tile(kpi, "simulation").met is True, kpi
    assert panel.tile("fcr", "simulation").met is True
    panel.set(transfer_pct=1)
    check_tiles(panel, "simulation", None, None)  # the full run was for other settings
    panel.reset()


# ---------------------------------------------------------------------------------------------- story, paths


def test_story_card_reads_the_presets():
    text = re.sub(r"<[^>]+>", " ", story_card().value)
    for words in ("10% of answered calls", "62%", "74%", "26 days", "3 days"):
        assert words in text, words


def test_member_journey_is_the_members_calls():
    issue = journey_member()
    _, before = run({"design": "before"}, "full")
    _, after = run({"design": "after"}, "full")
    row = before.issues.set_index("issue_id").loc[issue]
    assert row["reason"] == "stop_online_payment" and row["contacts"] == 6 and row["status"] == "resolved"
    first = before.issues[(before.issues.reason == "stop_online_payment") & (before.issues.contacts == 6)
                          & (before.issues.status == "resolved")].issue_id.min()  # fmt: skip
    assert issue == first
    html = member_journey().value
    for result in (before, after):
        c = result.contacts[result.contacts.issue_id == issue].sort_values("contact_seq")
        days = result.issues.set_index("issue_id").loc[issue, "days_to_resolution"]
        assert f"{len(c)} call{'s' * (len(c) != 1)}, resolved after {days:.1f} days" in html
        for r in c.itertuples():
            assert f"<td>day {r.day + 1}</td>" in html
            assert f"<td>{r.wait_s / 60:.1f} min</td><td>{r.handle_time_s / 60:.1f} min</td>" in html


def test_paths_figure_draws_both_full_lines():
    area = paths_figure()
    numbers = []
    for design, words in (("before", "Before (January 2014)"), ("after", "After: one and done (January 2015)")):
        _, result = run({"design": design}, "full")
        table = paths(result)
        check_bars(area.figure, table, f"paths-{words}")
        first = table.loc[1]
        numbers += [2014 if design == "before" else 2015, 100, first["resolved"],
                    first["resolved_after_transfer"] + first["back_office"], table.drop(index=1).sum().sum()]  # fmt: skip
    assert_numbers(area.alt, numbers, "alt")


def test_issue_paths_add_up_to_the_contacts():
    _, result = run({"design": "before"})
    table = issue_paths(result.contacts, issues=len(result.issues))
    assert math.isclose(table.loc[1].sum(), 100.0)
    assert math.isclose(table.to_numpy().sum(), 100 * len(result.contacts) / len(result.issues))


# ---------------------------------------------------------------------------------------------- real or luck


@pytest.fixture(scope="module")
def diff_panel():
    return difference_panel(replications=3)


def test_difference_panel_draws_each_difference_and_its_interval(diff_panel):
    runs = difference(3, "quick")
    lines = []
    for kpi in DIFFERENCE_KPIS:
        mean, low, high = ci(runs["difference"][kpi])
        lines += [
            LineCheck(kpi, "^after − before$", "points", x=(mean,), y=(0.0,)),
            LineCheck(kpi, "^ci95$", "points", x=(low, high), y=(0.0, 0.0)),
            LineCheck(kpi, "^no-change$", "vline", x=(0.0,)),
        ]
    scaled = []
    for line in lines:  # the figure's x is the difference in shown units (points for percentages)
        scale = 100.0 if line.axis in ("fcr", "service_level") else 1.0
        scaled.append(LineCheck(line.axis, line.name, line.kind, x=tuple(v * scale for v in line.x), y=line.y))
    check_figure(diff_panel.figure_area.figure, scaled)
    assert diff_panel.message.kind == ""
    rows = {re.sub(r"<[^>]+>", "|", r).split("|")[1]: r for r in table_html(diff_panel).split("<tr>")[2:]}
    for kpi in KPIS:
        mean, low, high = ci(runs["difference"][kpi])
        verdict = "real: the interval leaves out zero" if low > 0 or high < 0 else "could be luck"
        assert verdict in rows[kpi_label(kpi)], (kpi, rows[kpi_label(kpi)])
    fcr = [100 * v for v in ci(runs["difference"]["fcr"])]
    assert_numbers(diff_panel.figure_area.alt, (3, fcr[0], 95, fcr[1], fcr[2]), "caption")


def table_html(panel) -> str:
    return next(w for w in panel.widget.children if "ccsim-difference" in w._dom_classes).value


def kpi_label(kpi: str) -> str:
    from ccsim.labs.lab04_tiles import AGENT_HOURS
    from ccsim.metrics.registry import KPIS as REG

    return AGENT_HOURS.label if kpi == AGENT_HOURS.key else REG[kpi].label


def test_difference_table_rows(diff_panel):
    runs = difference(3, "quick")
    rows = diff_panel.results["difference"]
    for kpi in KPIS:
        mean, low, high = ci(runs["difference"][kpi])
        assert np.allclose(rows.loc[kpi, ["mean", "low", "high"]].to_numpy(float), [mean, low, high], rtol=1e-9)
        assert math.isclose(rows.loc[kpi, "before"], runs["before"][kpi].mean(), rel_tol=1e-9)
        assert math.isclose(rows.loc[kpi, "after"], runs["after"][kpi].mean(), rel_tol=1e-9)
    html = table_html(diff_panel)
    assert html.count("real: the interval leaves out zero") + html.count("could be luck") == len(KPIS)


def test_difference_controls_wait_for_run(diff_panel):
    diff_panel.set(replications=4)
    assert diff_panel.figure_area.png == b"" and diff_panel.message.kind == ""
    diff_panel.set(replications=3)
    diff_panel.run()
    assert diff_panel.figure_area.png.startswith(b"\x89PNG")


# ---------------------------------------------------------------------------------------------- questions


def test_questions_answers_are_ccsims():
    qs = one_and_done_questions()
    assert len(qs) == 5
    b, _ = run({"design": "before"})
    more, _ = run({"design": "before", "transfer_pct": 25, "resolve_pct": 47})
    assert more["contacts_per_issue"] > b["contacts_per_issue"]
    assert more["agent_hours_per_100_issues"] > b["agent_hours_per_100_issues"]
    assert qs[0].options[qs[0].answer].startswith("Both rise")
    fast, _ = run({"design": "before", "back_office_days": 3})
    assert fast["fcr"] > b["fcr"] + 0.005
    assert (
        qs[1].options[qs[1].answer]
        == f"It rises from {b['fcr']:.0%} to {fast['fcr']:.0%}: fewer members call again to chase"
    )
    full_b, _ = run({"design": "before"}, "full")
    assert f"{full_b['fcr_agent_reported']:.0%}" in qs[2].prompt and f"{full_b['fcr']:.0%}" in qs[2].prompt
    assert qs[2].options[qs[2].answer].startswith("Reps marked hand-offs") == (
        full_b["fcr_agent_reported"] < full_b["fcr"]
    )
    runs = difference(3, "quick", first={"design": "after"}, second={"design": "after", "consult_min": 5.0})
    mean, low, high = (100 * v for v in ci(runs["difference"]["service_level"]))
    assert_numbers(qs[3].prompt.split("What")[0], (5, 4, 3, mean, 95, low, high), "question 4")
    assert qs[3].options[qs[3].answer].startswith("The change is real") == (low > 0 or high < 0)
    full_a, _ = run({"design": "after"}, "full")
    assert qs[4].options[qs[4].answer].startswith("No") == (
        full_a["agent_hours_per_100_issues"] < full_b["agent_hours_per_100_issues"]
    )
    assert sorted(q.answer for q in qs) != [0] * 5  # shuffled


def test_people_sentence_counts_members():
    numbers = []
    for design in ("before", "after"):
        issues = run({"design": design}, "full")[1].issues
        numbers += [(issues.contacts > 1).sum(), (issues.status == "open").sum()]
    assert_numbers(people_sentence(), (60, len(issues), *numbers), "people")
    assert people_sentence() in member_journey().value


# ---------------------------------------------------------------------------------------------- edges


def test_bad_inputs_are_one_sentence():
    from ccsim.errors import CcsimInputError
    from ccsim.labs.lab04_cases import design_scenario, difference_runs, preset

    with pytest.raises(CcsimInputError, match="design"):
        preset("sometime")
    with pytest.raises(CcsimInputError, match="size"):
        design_scenario({"design": "before"}, "huge")
    with pytest.raises(CcsimInputError, match="designs"):
        difference_runs(2, designs=({"design": "before"},))
    with pytest.raises(CcsimInputError, match="contacts"):
        issue_paths(run({"design": "before"})[1].contacts.drop(columns="transfers"), issues=10)


def test_resolve_limit_sentence():
    from ccsim.labs.lab04_cases import resolve_limit

    assert resolve_limit({"design": "before"}) == ""
    assert shown_numbers(resolve_limit({"design": "after", "transfer_pct": 10})) == ["33", "67", "67", "74"]


def test_change_tile_without_a_baseline_gives_no_verdict():
    tile = ChangeTile("contacts_per_issue", "preview", source_name="x")
    tile.update(1.2)
    assert tile.met is None and "no target" in tile.text and "ccsim-no-target" in tile.widget._dom_classes
    tile.baseline = 1.3
    tile.update(float("nan"))
    assert tile.met is None and "no data" in tile.text
    hours = ChangeTile("agent_hours_per_100_issues", "preview", source_name="x")
    hours.baseline = 10.0
    hours.update(12.0)
    assert hours.text == "Agent-hours per 100 issues 12.0 h — before 10.0 h — worse ✗" and hours.met is False
    hours.update(None)
    assert "no data" in hours.text


def test_agent_hours_match_the_legs():
    from ccsim.metrics.paths import agent_hours_per_100_issues

    kpis, result = run({"design": "after"})
    assert math.isclose(agent_hours_per_100_issues(result), kpis["agent_hours_per_100_issues"], rel_tol=1e-12)
