"""Lab 02, in the caller's shoes: the case card, the member panel (a persona, one member's journey, where their
wait sits among everyone like them), the day counted in people, the month day by day, and the questions.

Every number comes from one simulated Monday or month of the ``member_services_month`` network
(:mod:`ccsim.labs.lab02_members`); the month and any change of staffing run on a Run button.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError
from ccsim.labs.cases import guarantees
from ccsim.labs.lab02_members import (
    MENU_TIME_S,
    PERSONAS,
    call_figures,
    callers_scenario,
    gap_words,
    has_run,
    issue_table,
    issues_of,
    journey,
    network_run,
    people_counts,
    persona_skills,
    persona_slice,
    pick_member,
)
from ccsim.views.plots import journey as jplots
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider, tile_value

__all__ = [
    "QUEUE_WORDS",
    "case_card",
    "day_panel",
    "day_results",
    "everyone_figures",
    "member_panel",
    "member_results",
    "month_days",
    "month_panel",
    "month_results",
    "people_sentence",
    "queue_table",
]

QUEUE_WORDS: dict[str, str] = {
    "general_english": "English",
    "general_spanish": "Spanish",
    "cantonese": "Cantonese",
    "mandarin": "Mandarin",
    "tty": "TTY",
    "claims": "Claims specialists",
    "medicare": "Medicare specialists",
}
"""Each call type (queue) of the network in plain words, big queues first."""
GUARANTEED = ("service_level", "asa_s", "abandonment_rate")
MEMBER_KPIS = (*GUARANTEED, "contacts_per_issue")
PERIODS = (("One day (a Monday)", 1), ("The whole month (30 days)", 30))


def _targets() -> dict[str, Any]:
    return {k: v for k, v in guarantees().items() if k in GUARANTEED}


def _dropdown(css: str, description: str, options: list, value: Any) -> widgets.Dropdown:
    w = widgets.Dropdown(options=options, value=value, description=description, style={"description_width": "230px"})
    w.layout.width = "640px"
    w.add_class("ccsim-control")
    w.add_class(css)
    return w


def case_card() -> widgets.HTML:
    """The network in words and numbers (``ccsim-case``), from the scenario and its first simulated day."""
    s = callers_scenario()
    day = network_run(1)
    figures = call_figures(day.contacts)
    sites = ", ".join(site.name for site in s.site_list)
    rows = [
        ("Sites", f"{len(s.site_list)} sites in three time zones ({sites}) sharing the calls"),
        ("Queues", "English and Spanish generalists; small Cantonese, Mandarin and TTY queues; claims and Medicare"),
        ("Voice menu", f"every caller spends {MENU_TIME_S:g} s in the voice menu before the queue"),
        (
            "The simulated Monday",
            f"{len(issues_of(day)):,} members called about a new issue; {figures['calls']:,.0f} calls in all",
        ),
        ("The month", "30 days, weekends closed; members whose issue is not settled call again"),
    ]
    body = "".join(
        f"<tr><td style='padding:2px 10px 2px 0'><b>{html.escape(k)}</b></td>"
        f"<td style='padding:2px 0'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    w = widgets.HTML(f"<table style='font-size:1.05em'>{body}</table>")
    w.add_class("ccsim-case")
    return w


# ---------------------------------------------------------------------------------------------- the member panel


def _run_args(params: Params) -> tuple[int, tuple[str, ...], float]:
    share = float(params.get("staff_pct", 100)) / 100.0
    skills = persona_skills(params["persona"]) if share != 1.0 else ()
    return int(params.get("days", 1)), skills, share


def member_results(params: Params) -> Results:
    """What the member panel shows for ``params``: ``persona`` and ``everyone`` ({kpi: value}), the member's
    ``journey``, the ``waits`` (longest wait of every member like them) and the guesses."""
    result = network_run(*_run_args(params))
    persona = params["persona"]
    mine, figures = persona_slice(result, persona)
    out: Results = {}
    for source, f, issues in (("persona", figures, mine), ("everyone", everyone_figures(result), issue_table(result))):
        out[source] = {k: f[k] for k in GUARANTEED}
        out[source]["contacts_per_issue"] = float(issues["calls"].mean())
    try:
        issue = pick_member(mine, persona, int(params.get("draw", 0)), params.get("whose", "random"))
    except CcsimInputError as exc:  # no such member (e.g. nobody of this kind was transferred): say so, keep the tiles
        out["messages"] = [str(exc)]
    else:
        out["journey"] = journey(result, issue)
    out["waits"] = mine["longest_wait_s"].to_numpy(dtype=float)
    out["people"] = people_counts(mine)
    return out


def everyone_figures(result: Any) -> dict[str, float]:
    """:func:`call_figures` of every caller of ``result`` (kept on the result)."""
    if "_lab02_everyone" not in result.__dict__:
        result.__dict__["_lab02_everyone"] = call_figures(result.contacts)
    return result.__dict__["_lab02_everyone"]


def _story(params: Params, results: Results) -> str:
    j = results["journey"]
    p = PERSONAS[j.persona]
    settled = (
        f"The issue was settled {gap_words(86_400.0 * j.days_to_settle)} after the first call."
        if np.isfinite(j.days_to_settle)
        else "The issue was still open when the simulation ended."
    )
    times = "once" if j.hung_up == 1 else f"{j.hung_up} times"
    hung = f" They hung up {times}." if j.hung_up else ""
    wait, calls = params.get("guess_wait_min", 1.0), params.get("guess_calls", 1)
    guess = (
        f"You guessed a wait of {wait:g} minute{'s' if wait != 1 else ''} and {calls} call{'s' if calls != 1 else ''}. "
        f"This member waited {jplots.wait_words(j.wait_s)} in all and called {j.calls} time{'s' if j.calls != 1 else ''}."
    )
    who = f"Member {j.issue_id:,}: {p.words}, calling about {j.reason.replace('_', ' ')}."
    return f"{who} {guess}{hung} {settled}"


def _member_figure(story: widgets.HTML):
    def figure(params: Params, results: Results):
        if "journey" not in results:
            story.value = ""
            return None
        j = results["journey"]
        story.value = f"<div style='font-size:1.1em;margin:4px 0'>{html.escape(_story(params, results))}</div>"
        plural = PERSONAS[j.persona].plural
        fig = jplots.member_timeline(
            j.segments,
            j.labels,
            j.notes,
            hangups=j.hangups,
            transfers=j.transfers,
            waits=results["waits"],
            member_wait=j.longest_wait_s,
            plural=plural,
            title=f"Member {j.issue_id:,}'s journey",
        )
        waits = results["waits"]
        longer = int((waits > j.longest_wait_s).sum())
        alt = (
            f"Member {j.issue_id:,} made {j.calls} call{'s' if j.calls != 1 else ''}; their longest wait was "
            f"{jplots.wait_words(j.longest_wait_s)}. {longer:,} of the {len(waits):,} {plural} waited longer."
        )
        return fig, alt

    return figure


def _member_controls() -> dict[str, widgets.ValueWidget]:
    draw = widgets.BoundedIntText(value=0, min=0, max=10_000, description="Member drawn")
    draw.layout.display = "none"
    draw.add_class("ccsim-draw")
    return {
        "persona": _dropdown(
            "ccsim-persona", "Put yourself in the shoes of", [(p.words, k) for k, p in PERSONAS.items()], "senior"
        ),
        "guess_wait_min": slider(
            "ccsim-guess-wait", "Your guess: their wait (minutes)", 1.0, 0.0, 10.0, 0.5, integer=False
        ),
        "guess_calls": slider("ccsim-guess-calls", "Your guess: calls to settle it", 1, 1, 6),
        "whose": _dropdown(
            "ccsim-whose",
            "Which member",
            [
                ("any member, at random", "random"),
                ("one of the 10 who waited longest", "longest_wait"),
                ("one of the 10 who called most often", "most_calls"),
                ("one who was transferred or handed to the back office", "handed_on"),
            ],
            "random",
        ),
        "days": _dropdown("ccsim-period", "From", list(PERIODS), 1),
        "staff_pct": slider("ccsim-staff", "Agents on their queues (% of plan)", 100, 50, 150, 10),
        "draw": draw,
    }


def member_panel(title: str = "") -> WhatIfPanel:
    """Pick a persona, guess, then meet one of their members: the journey, where the wait sits, the persona's
    figures beside everyone's. "Show me another member" draws the next one; the month and other staffing run on Run."""
    story = widgets.HTML()
    story.add_class("ccsim-member-story")
    another = widgets.Button(description="Show me another member", icon="user", layout=widgets.Layout(width="260px"))
    another.add_class("ccsim-another")
    controls = _member_controls()
    names = {"persona": "Members like this one", "everyone": "Every member who called"}
    targets = _targets()
    tiles = [KpiTile(k, s, targets.get(k), source_name=names[s]) for k in MEMBER_KPIS for s in ("persona", "everyone")]

    def simulate(params: Params, progress: ProgressFn) -> Results:
        progress(0, 1)
        out = member_results(params)
        progress(1, 1)
        return out

    panel = WhatIfPanel(
        controls,
        lambda params: {},
        tiles=tiles,
        figure=_member_figure(story),
        simulate=simulate,
        auto_simulate=lambda p: has_run(*_run_args(p)),
        sim_source="persona",
        title=title,
        run_label="Simulate these settings",
        figure_height="640px",
        extra=(another, story),
    )
    another.on_click(lambda _b: panel.set(draw=(panel.params["draw"] + 1) % 10_000))
    panel.another_button = another  # type: ignore[attr-defined]
    panel.story = story  # type: ignore[attr-defined]
    panel.run()
    return panel


# ---------------------------------------------------------------------------------------------- the day in people


def people_sentence(counts: Mapping[str, int], who: str = "members") -> str:
    """'Of 27,761 members, 196 waited more than a minute at least once, ...': counts as people."""
    return (
        f"Of {counts['members']:,} {who}, {counts['waited_1_min']:,} waited more than a minute at least once, "
        f"{counts['waited_5_min']:,} more than five minutes, {counts['hung_up']:,} hung up at least once and "
        f"{counts['called_twice']:,} called twice or more."
    )


def queue_table(days: int = 1, by: str = "queue") -> pd.DataFrame:
    """Per queue (:data:`QUEUE_WORDS`, members by their first queue) or, ``by="persona"``, per kind of member
    (:data:`ccsim.labs.lab02_members.PERSONAS`): the people counts and the group's call figures."""
    result = network_run(days)
    table = issue_table(result)
    contacts = result.contacts
    column, groups = (
        ("call_type", QUEUE_WORDS)
        if by == "queue"
        else ("persona", {k: _capital(p.plural) for k, p in PERSONAS.items()})
    )
    rows = {}
    for name, words in groups.items():
        counts = people_counts(table[(table[column] == name).to_numpy()])
        figures = call_figures(contacts[(contacts[column] == name).to_numpy()])
        rows[words] = {**counts, **figures}
    return pd.DataFrame.from_dict(rows, orient="index")


def _capital(words: str) -> str:
    return words[0].upper() + words[1:]


def _people_html(table: pd.DataFrame, everyone: Mapping[str, int], figures: Mapping[str, float], first: str) -> str:
    head = (first, "Members", "Waited > 1 min", "Waited > 5 min", "Hung up", "Called twice+", "Service level")
    cell = "padding:2px 8px;text-align:right"

    def of(n: int, total: int) -> str:
        return f"{n:,} ({100 * n / total:.1f}%)" if total else "0"

    lines = []
    groups: list[tuple[Any, Any]] = [("Everyone", {**everyone, **figures}), *table.iterrows()]
    for name, r in groups:
        total = int(r["members"])
        values = [
            f"{total:,}",
            *(of(int(r[k]), total) for k in ("waited_1_min", "waited_5_min", "hung_up", "called_twice")),
        ]
        values.append(tile_value("service_level", float(r["service_level"])))
        tds = "".join(f"<td style='{cell}'>{html.escape(v)}</td>" for v in values)
        lines.append(f"<tr><td style='padding:2px 8px'><b>{html.escape(str(name))}</b></td>{tds}</tr>")
    ths = "".join(f"<th style='{cell}'>{h}</th>" for h in head)
    return (
        f"<table style='border-collapse:collapse'><thead><tr>{ths}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
    )


def day_results(days: int = 1, by: str = "queue") -> Results:
    """The figures of the day (or month): ``simulation`` ({kpi: value} for every caller), ``people`` and ``groups``
    (:func:`queue_table` by queue or by kind of member)."""
    if by not in BY:
        raise CcsimInputError("by", by, "one of " + ", ".join(BY))
    result = network_run(days)
    figures = call_figures(result.contacts)
    return {
        "simulation": {k: figures[k] for k in GUARANTEED},
        "figures": figures,
        "people": people_counts(issue_table(result)),
        "groups": queue_table(days, by),
    }


BY = {"queue": "Queue", "persona": "Kind of member"}
"""How the day panel groups members: by the queue of their first call, or by kind of member."""


def _day_alt(groups: pd.DataFrame) -> str:
    mean = dict(zip(groups.index, groups["mean_wait_s"].to_numpy(dtype=float), strict=True))
    most = dict(zip(groups.index, groups["max_wait_s"].to_numpy(dtype=float), strict=True))
    low, high, longest = (
        min(mean, key=mean.__getitem__),
        max(mean, key=mean.__getitem__),
        max(most, key=most.__getitem__),
    )
    return (
        f"Average wait from {tile_value('asa_s', mean[low])} ({low}) to {tile_value('asa_s', mean[high])} ({high}); "
        f"the longest single wait was {jplots.wait_words(most[longest])} ({longest})."
    )


def day_panel(title: str = "") -> WhatIfPanel:
    """The Monday counted in people: the guaranteed tiles for every caller, a table of members by queue or by kind
    of member (``ccsim-people``), and the average and longest wait of each group."""
    people = widgets.HTML()
    people.add_class("ccsim-people")
    targets = _targets()
    by = _dropdown("ccsim-group-by", "Count members by", [(words.lower(), k) for k, words in BY.items()], "queue")

    def figure(params: Params, results: Results):
        groups = results["groups"]
        sentence = people_sentence(results["people"], "members who called on Monday")
        people.value = f"<p style='font-size:1.05em'>{html.escape(sentence)}</p>" + _people_html(
            groups, results["people"], results["figures"], BY[params["by"]]
        )
        what = "queue by queue" if params["by"] == "queue" else "by kind of member"
        fig = jplots.queue_waits(groups, title=f"Waits {what}, the same Monday")
        return fig, _day_alt(groups)

    panel = WhatIfPanel(
        {"by": by},
        lambda params: day_results(1, params["by"]),
        tiles=[
            KpiTile(k, "simulation", targets[k], source_name="Simulation: every caller that Monday") for k in GUARANTEED
        ],
        figure=figure,
        title=title,
        figure_height="460px",
        extra=(people,),
    )
    panel.people = people  # type: ignore[attr-defined]
    return panel


# ---------------------------------------------------------------------------------------------- the month


def month_days(days: int = 30) -> pd.DataFrame:
    """One row per open day of the month: ``day`` (1-based), ``weekday``, the day's call figures and people counts."""
    result = network_run(days)
    contacts, table = result.contacts, issue_table(result)
    h = callers_scenario().horizon
    rows = []
    for d in sorted(set(contacts["day"].tolist())):
        figures = call_figures(contacts[contacts["day"].to_numpy() == d])
        counts = people_counts(table[table["day"].to_numpy() == d])
        rows.append({"day": int(d) + 1, "weekday": h.weekday(int(d)), **figures, **counts})
    return pd.DataFrame(rows)


def month_results(days: int = 30) -> Results:
    """The month's figures: ``simulation`` ({kpi: value}), ``days`` (:func:`month_days`) and its ``worst`` day."""
    result = network_run(days)
    figures = call_figures(result.contacts)
    per_day = month_days(days)
    worst = per_day.sort_values(["service_level", "day"]).iloc[0]
    return {"simulation": {k: figures[k] for k in GUARANTEED}, "days": per_day, "worst": worst}


def month_panel(title: str = "", *, run: bool = True) -> WhatIfPanel:
    """The month: the guaranteed tiles as the contract judges them (the whole month), each open day's service
    level, and the worst day counted in people (``ccsim-worst-day``). Simulated on Run (or once when built)."""
    worst_html = widgets.HTML()
    worst_html.add_class("ccsim-worst-day")
    target = guarantees()["service_level"]

    def simulate(params: Params, progress: ProgressFn) -> Results:
        progress(0, 1)
        out = month_results(30)
        progress(1, 1)
        return out

    def figure(params: Params, results: Results):
        if "days" not in results:
            worst_html.value = ""
            return None
        per_day, w = results["days"], results["worst"]
        missed = int((per_day["service_level"] < target.value).sum())
        worst_html.value = (
            f"<p style='font-size:1.05em'>The month: {tile_value('service_level', results['simulation']['service_level'])} "
            f"answered within 30 s. The worst day, {html.escape(str(w['weekday']))} day {int(w['day'])}: "
            f"{tile_value('service_level', w['service_level'])}; "
            f"{html.escape(people_sentence(w, 'members with a new issue that day'))}</p>"
        )
        fig = jplots.month_days(
            per_day,
            target=target.value,
            month_value=results["simulation"]["service_level"],
            title="The month, day by day",
        )
        alt = (
            f"{len(per_day)} open days: {missed} missed {tile_value('service_level', target.value)}; the worst was day "
            f"{int(w['day'])} with {tile_value('service_level', w['service_level'])}."
        )
        return fig, alt

    panel = WhatIfPanel(
        {},
        lambda params: {},
        tiles=[KpiTile(k, "simulation", _targets()[k], source_name="Simulation: the whole month") for k in GUARANTEED],
        figure=figure,
        simulate=simulate,
        auto_simulate=lambda p: has_run(30),
        title=title,
        run_label="Simulate the month",
        figure_height="460px",
        extra=(worst_html,),
    )
    panel.worst_day = worst_html  # type: ignore[attr-defined]
    if run:
        panel.run()
    return panel
