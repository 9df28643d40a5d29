"""Lab 04's panels: the one-and-done panel (a before/after switch and four controls; a quick preview on every
change, the full 60 days on Run) and the before/after difference panel (replications → the difference
and its 95% confidence interval: real or luck?).
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ccsim.labs.lab04_cases import CONTROLS, KPIS, design_values, difference_runs, mean_ci, resolve_limit, run_design
from ccsim.labs.lab04_story import DESIGN_WORDS, SOURCE_NAMES, lab_targets, preset_run
from ccsim.labs.lab04_tiles import AGENT_HOURS, ChangeTile, change_value
from ccsim.metrics.paths import PATH_WORDS, issue_paths
from ccsim.metrics.registry import KPIS as REGISTRY
from ccsim.views.plots.paths import PathsPNG, difference_figure
from ccsim.views.widgets import KpiTile, Params, ProgressFn, Results, WhatIfPanel, slider

__all__ = [
    "DIFFERENCE_KPIS",
    "OneAndDonePanel",
    "difference_panel",
    "difference_rows",
    "difference_table",
    "one_and_done_panel",
    "quick_run",
]

DIFFERENCE_KPIS = ("fcr", "handoffs_per_100_issues", "contacts_per_issue", "days_to_resolution_mean", "aht_s",
                   "service_level")  # fmt: skip
"""The KPIs the difference figure draws (agent-hours per 100 issues is in the table below it)."""


def _design_dropdown(value: str) -> widgets.Dropdown:
    w = widgets.Dropdown(
        options=[(words, key) for key, words in DESIGN_WORDS.items()],
        value=value,
        description="The line",
        style={"description_width": "230px"},
        layout=widgets.Layout(width="640px"),
    )
    w.add_class("ccsim-control")
    w.add_class("ccsim-design")
    return w


def _controls(design: str) -> dict[str, widgets.ValueWidget]:
    v = design_values(design)
    return {
        "design": _design_dropdown(design),
        "transfer_pct": slider("ccsim-transfer", "Warm transfers (% of calls)", v["transfer_pct"], 0, 40,
                               tooltip="Answered calls the rep passes to a billing specialist: the member queues again"),
        "consult_min": slider("ccsim-consult", "Consult length (minutes)", v["consult_min"], 1, 15, 0.5,
                              integer=False, readout_format=".1f",
                              tooltip="How long a consult with the rapid resolution team takes (the after line)"),
        "resolve_pct": slider("ccsim-resolve", "Rep resolves on the call (%)", v["resolve_pct"], 20, 98,
                              tooltip="Answered calls the rep resolves alone: this drives first-contact resolution"),
        "back_office_days": slider("ccsim-back-office", "Back-office days (mean)", v["back_office_days"], 1, 40,
                                   tooltip="Mean days Membership Administration takes with a hand-off"),
    }  # fmt: skip


def _key(params: Params) -> tuple[tuple[str, Any], ...]:
    return tuple((k, params[k]) for k in CONTROLS if k in params)


@functools.lru_cache(maxsize=64)
def _quick(key: tuple[tuple[str, Any], ...], seed: int) -> tuple[dict[str, float], pd.DataFrame]:
    kpis, result = run_design(dict(key), "quick", seed)
    return kpis, issue_paths(result.contacts, issues=len(result.issues))


@functools.cache
def _baseline(seed: int) -> dict[str, float]:
    return run_design(design_values("before"), "quick", seed)[0]


def quick_run(params: Params, seed: int = 1) -> tuple[dict[str, float], pd.DataFrame]:
    """The quick preview of ``params`` → (KPIs, issue paths); kept for the last 64 settings."""
    return _quick(_key(params), seed)


class OneAndDonePanel(WhatIfPanel):
    """The one-and-done panel: switching the line (before/after) puts the four controls at its values."""

    def set(self, **values: Any) -> OneAndDonePanel:
        design = values.get("design")
        if design in DESIGN_WORDS:
            values = {**design_values(design), **values}
        super().set(**values)
        return self

    def _on_change(self, change: dict) -> None:
        if change.get("owner") is self.controls["design"] and not self._hold:
            self.set(design=change["new"])
        else:
            super()._on_change(change)

    def _show(self, params: Params, results: Results) -> None:
        for t in self.tiles:
            if isinstance(t, ChangeTile):
                t.baseline = results.get(f"baseline_{t.source}", {}).get(t.kpi)
        super()._show(params, results)


def _compute(seed: int):
    def compute(params: Params) -> Results:
        kpis, paths = quick_run(params, seed)
        before = _baseline(seed)
        limit = resolve_limit(params)
        return {"preview": kpis, "baseline_preview": before, "paths": paths, "messages": [limit] if limit else []}

    return compute


def _worded(progress: ProgressFn, bar: list[widgets.IntProgress], words: str) -> ProgressFn:
    """``progress`` that also writes ``words`` ("Run 3 of 10") on the panel's bar (the toolkit says "Day")."""

    def report(done: int, total: int) -> None:
        progress(done, total)
        for b in bar:
            b.description = words.format(done=done, total=total)

    return report


def _simulate(seed: int, bar: list[widgets.IntProgress]):
    def simulate(params: Params, panel_progress: ProgressFn) -> Results:
        progress = _worded(panel_progress, bar, "Line {done} of {total}")
        progress(0, 2)
        before = preset_run("before", seed)[0]
        progress(1, 2)
        same = params == design_values(params["design"])  # a preset as it is: its full run is kept
        kpis = preset_run(params["design"], seed)[0] if same else run_design(params, "full", seed)[0]
        progress(2, 2)
        return {"simulation": kpis, "baseline_simulation": before}

    return simulate


def _panel_figure():
    draw = PathsPNG("Issue paths with these settings (quick preview)", PATH_WORDS)

    def figure(params: Params, results: Results):
        paths = results["paths"]
        first = paths.loc[1]
        again = paths.drop(index=1).sum().sum()
        alt = (
            f"{DESIGN_WORDS[params['design']]}, with these settings: of every 100 member issues, "
            f"{first['resolved']:.0f} were resolved by the rep who answered the first call, "
            f"{first['back_office']:.0f} went to the back office at the first call, {first['unresolved']:.0f} were "
            f"left unresolved, and {again:.0f} more calls came after the first."
        )
        return draw(paths), alt, draw.figure

    return figure


def one_and_done_panel(design: str = "before", *, seed: int = 1, title: str = "") -> OneAndDonePanel:
    """Lab 04's panel: the line (before/after) and four controls; tiles for :data:`ccsim.labs.lab04_cases.KPIS`
    from the quick preview (every change) and the full 60-day simulation (on Run); the issue paths below."""
    targets = lab_targets()
    tiles: list[KpiTile] = []
    for kpi in KPIS:
        for source in ("preview", "simulation"):
            if kpi in targets:
                tiles.append(KpiTile(kpi, source, targets[kpi], source_name=SOURCE_NAMES[source]))
            else:
                tiles.append(ChangeTile(kpi, source, source_name=SOURCE_NAMES[source]))
    bar: list[widgets.IntProgress] = []
    panel = OneAndDonePanel(
        _controls(design),
        _compute(seed),
        tiles=tiles,
        figure=_panel_figure(),
        simulate=_simulate(seed, bar),
        auto_simulate=False,
        targets=targets,
        title=title,
        run_label="Simulate the full 60 days",
        figure_height="330px",
    )
    bar.append(panel.progress)
    return panel


# ---------------------------------------------------------------------------------------------- difference


def difference_rows(runs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mean before, mean after and the mean difference (after − before) with its 95% interval, per KPI of
    :data:`ccsim.labs.lab04_cases.KPIS` (index), from :func:`ccsim.labs.lab04_cases.difference_runs`."""
    rows = {}
    for kpi in KPIS:
        mean, low, high = mean_ci(runs["difference"][kpi])
        rows[kpi] = {
            "before": float(runs["before"][kpi].mean()),
            "after": float(runs["after"][kpi].mean()),
            "mean": mean,
            "low": low,
            "high": high,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _change(kpi: str, x: float) -> str:
    if kpi in REGISTRY and REGISTRY[kpi].unit == "%":
        return f"{100 * x:+.1f} points"
    if kpi == "aht_s":
        return f"{x:+.0f} s"
    if kpi == "days_to_resolution_mean":
        return f"{x:+.2f} days"
    return f"{x:+.2f}"


def difference_table(rows: pd.DataFrame, replications: int) -> str:
    """The difference rows as an HTML table, with "real" or "could be luck" for each KPI."""
    head = "".join(f"<th style='text-align:left;padding-right:14px'>{h}</th>" for h in
                   ("", "before", "after", "after − before", f"95% interval ({replications} runs each)", "real or luck?"))  # fmt: skip
    body = []
    for kpi, r in rows.iterrows():
        label = AGENT_HOURS.label if kpi == AGENT_HOURS.key else REGISTRY[str(kpi)].label
        real = r["low"] > 0 or r["high"] < 0
        verdict = "real: the interval leaves out zero" if real else "could be luck: the interval includes zero"
        cells = (label, change_value(str(kpi), r["before"]), change_value(str(kpi), r["after"]),
                 _change(str(kpi), r["mean"]), f"{_change(str(kpi), r['low'])} to {_change(str(kpi), r['high'])}", verdict)  # fmt: skip
        body.append("<tr>" + "".join(f"<td style='padding-right:14px'>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table class='ccsim-difference-table'><tr>{head}</tr>{''.join(body)}</table>"


def difference_panel(replications: int = 5, size: str = "quick", *, seed: int = 1, title: str = "") -> WhatIfPanel:
    """Before against after, ``replications`` runs each (the same random members for both): the difference
    of each KPI with its 95% confidence interval. Runs once when built (quick size), then on Run."""
    table = widgets.HTML()
    table.add_class("ccsim-difference")
    sizes = widgets.Dropdown(
        options=[("Quick: one month, a fifth of the line", "quick"), ("Full: 60 days, the whole line", "full")],
        value=size,
        description="How big a run",
        style={"description_width": "230px"},
        layout=widgets.Layout(width="640px"),
    )
    sizes.add_class("ccsim-control")
    sizes.add_class("ccsim-size")
    controls = {
        "replications": slider("ccsim-replications", "Runs of each line", replications, 2, 20,
                               tooltip="How many simulated runs of each line (different random members each run)"),
        "size": sizes,
    }  # fmt: skip

    bar: list[widgets.IntProgress] = []

    def simulate(params: Params, panel_progress: ProgressFn) -> Results:
        progress = _worded(panel_progress, bar, "Run {done} of {total}")
        runs = difference_runs(int(params["replications"]), str(params["size"]), seed, progress)
        return {"difference": difference_rows(runs), "runs": runs}

    def figure(params: Params, results: Results):
        if "difference" not in results:
            table.value = ""
            return None
        rows = results["difference"]
        n = int(params["replications"])
        table.value = difference_table(rows, n)
        fcr = rows.loc["fcr"]
        alt = (
            f"After minus before over {n} runs of each line: first-contact resolution {100 * fcr['mean']:+.1f} points "
            f"(95% interval {100 * fcr['low']:+.1f} to {100 * fcr['high']:+.1f}); a bar that leaves out the "
            "dash-dot zero line is a real change."
        )
        return difference_figure(rows.loc[list(DIFFERENCE_KPIS)]), alt

    panel = WhatIfPanel(
        controls,
        lambda params: {},
        figure=figure,
        simulate=simulate,
        auto_simulate=False,
        title=title,
        run_label="Run both lines",
        figure_height="460px",
        extra=[table],
    )
    bar.append(panel.progress)
    panel.run()
    return panel
