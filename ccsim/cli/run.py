"""``ccsim run``: simulate a scenario (a TOML file or a preset) and print its scorecard.

``--days N`` runs the scenario over N days (its ``horizon.days``); with member journeys
(``[journeys]``) the report adds first-contact resolution and the other journey KPIs
(:mod:`ccsim.metrics.journeys`). ``--out`` writes the logs atomically: a name ending in .csv gets the
per-contact log (a temporary file in the same folder, then a rename); any other name is a folder that
gets contacts.csv, legs.csv and, with journeys, issues.csv (a temporary folder, then renames), so a
failed write never leaves half a file. With ``--replications`` above 1 the logs written are the first
replication's (the stderr note says so).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim.analytics.service_level import parse_sl_definition
from ccsim.cli.args import CliError, allowed, number, preset_names
from ccsim.cli.output import (
    is_csv_name,
    kpi_fields,
    out_path,
    print_json,
    print_warnings,
    table,
    write_csv_atomic,
    write_tables_atomic,
)
from ccsim.errors import CcsimInputError, ScenarioError
from ccsim.metrics.journeys import FCR_FLAT_DAYS, has_journeys, journey_kpis, no_journey_kpis
from ccsim.metrics.kpis import summary
from ccsim.metrics.registry import KPIS
from ccsim.metrics.scorecard import ALL, replicate_by_site, scorecard, scorecard_text
from ccsim.scenario import Scenario, load_preset, load_scenario
from ccsim.simulation.engine import SimulationResult, simulate
from ccsim.simulation.model import CenterModel

__all__ = ["JOURNEY_TABLE_KEYS", "cmd_run", "mean_agents_on_duty"]

JOURNEY_TABLE_KEYS: tuple[str, ...] = (
    "issues",
    "fcr",
    "fcr_agent_reported",
    "repeat_contact_rate",
    "contacts_per_issue",
    "handoffs_per_100_issues",
    "consults_per_100_issues",
    "member_minutes_per_issue",
    "days_to_resolution_mean",
    "days_to_resolution_median",
    "days_to_resolution_p90",
    "open_issues",
)
"""The rows of the "Member journeys" block of the table output, in order (keys of :data:`ccsim.metrics.journeys.JOURNEY_KEYS`)."""


@dataclass
class Outcome:
    """What a run produced: the scorecard, overall KPIs (means), their CI half-widths, sentences, the logs to write."""

    card: pd.DataFrame
    overall: dict[str, Any]
    ci95: dict[str, Any] | None
    messages: tuple[str, ...]
    log: SimulationResult | None
    journeys: bool = False


def load(arg: str) -> Scenario:
    """A scenario from a TOML file, or a preset by name (a bare word that is not a file)."""
    path = Path(arg)
    try:
        if path.is_file():
            return load_scenario(path)
        if path.suffix.lower() == ".toml" or "/" in arg or os.sep in arg or arg not in preset_names():
            raise CliError(f"scenario: {arg} is not a file or a preset; use {allowed('scenario')}")
        return load_preset(arg)
    except ScenarioError as e:
        raise CliError(str(e)) from None


def with_days(scenario: Scenario, days: int | None) -> Scenario:
    """``scenario`` over ``days`` days (its ``horizon.days``); unchanged when None."""
    if days is None:
        return scenario
    try:
        return scenario.updated({"horizon": {"days": int(days)}})
    except ScenarioError as e:
        raise CliError(f"--days {days}: {e}") from None  # the scenario's sentence, e.g. on horizon.interval_min


def mean_agents_on_duty(model: CenterModel) -> float:
    """Agents on the phones, averaged over the horizon (agent-seconds on duty / horizon seconds)."""
    horizon = model.horizon_s
    agent_s = 0.0
    for group in model.agent_groups:
        steps = list(group.staffing)
        for i, (start, agents) in enumerate(steps):
            end = steps[i + 1][0] if i + 1 < len(steps) else horizon
            agent_s += agents * max(0.0, min(end, horizon) - min(start, horizon))
    return agent_s / horizon


def records(card: pd.DataFrame) -> list[dict[str, Any]]:
    """Scorecard rows as plain JSON values (``met``: true, false or null when there was no number)."""
    rows = []
    for r in card.to_dict("records"):
        r["met"] = None if pd.isna(r["met"]) else bool(r["met"])
        rows.append({str(k): (float(v) if isinstance(v, float) else v) for k, v in r.items()})
    return rows


def _simulate(args: argparse.Namespace, scenario: Scenario, model: CenterModel, want_log: bool) -> Outcome:
    seed, reps, workers = number(args, "--seed"), number(args, "--replications"), number(args, "--workers")
    journeys = model.journeys is not None
    if reps == 1:
        result = simulate(model, seed=seed)
        card = scorecard(result, scenario)
        overall: dict[str, Any] = dict(
            summary(result, answer_within_s=card.attrs["answer_within_s"], sl_definition=card.attrs["sl_definition"])
        )
        overall.update(journey_kpis(result) if has_journeys(result) else no_journey_kpis())
        return Outcome(card, overall, None, tuple(result.warnings), result, journeys)
    progress = sys.stderr.isatty() and not args.json
    runs = replicate_by_site(model, reps, seed, targets=scenario, workers=workers, progress=progress)
    s = runs.summary().xs(ALL, level=0)
    log = None
    if want_log:  # replication 1's seed, as replicate_by_site used it
        log = simulate(model, np.random.SeedSequence(seed).spawn(reps)[0])
    card = scorecard(runs, scenario)
    ci95 = {**no_journey_kpis(), **{str(k): float(v) for k, v in s["ci95"].items()}}
    mean = {**no_journey_kpis(), **{str(k): float(v) for k, v in s["mean"].items()}}
    return Outcome(card, mean, ci95, tuple(runs.warnings), log, journeys)


def _log_tables(result: SimulationResult) -> dict[str, pd.DataFrame]:
    """The tables --out writes into a folder: contacts, legs and (with journeys) issues."""
    tables = {"contacts": result.contacts, "legs": result.legs}
    if has_journeys(result) and result.issues is not None:
        tables["issues"] = result.issues
    return tables


def _write_log(result: SimulationResult, out: Path, raw: str) -> str:
    """Write the logs to ``out``; the stderr note's words for what was written."""
    try:
        if is_csv_name(out):
            write_csv_atomic(result.contacts, out)
            return f"{len(result.contacts):,} contacts to {out}"
        tables = _log_tables(result)
        write_tables_atomic(tables, out)
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        raise CliError(f"--out: cannot write {raw} ({reason}); use a place you can write to") from None
    counts = ", ".join(f"{len(t):,} {name}" for name, t in tables.items())
    return f"{counts} to {out}{os.sep} ({', '.join(f'{name}.csv' for name in tables)})"


def _log_json(done: Outcome, out: Path | None) -> dict[str, Any] | None:
    if out is None:
        return None
    log = done.log
    info: dict[str, Any] = {"path": str(out), "contacts": 0 if log is None else len(log.contacts), "replication": 1}
    if not is_csv_name(out) and log is not None:
        tables = _log_tables(log)
        info["files"] = [f"{name}.csv" for name in tables]
        info["legs"] = len(log.legs)
        info["issues"] = len(tables["issues"]) if "issues" in tables else None
    return info


def journey_block(done: Outcome) -> str:
    """The "Member journeys" block of the table output (mean ± 95% CI with replications)."""
    window = done.overall.get("fcr_window_days")
    title = "Member journeys" + (f" (FCR: no further contact within {window:g} days)" if window is not None else "")
    rows = [("", "mean ± 95% CI" if done.ci95 is not None else "result")]
    for key in JOURNEY_TABLE_KEYS:
        ci = None if done.ci95 is None else done.ci95.get(key)
        rows.append((KPIS[key].label, KPIS[key].format(done.overall.get(key), ci95=ci)))
    text = table(title, rows)
    fcr = done.overall.get("fcr")
    if window is not None and done.overall.get("issues") and (fcr is None or math.isnan(fcr)):
        needed = math.ceil(window - FCR_FLAT_DAYS) + 1
        text += (
            f"\nFirst-contact resolution needs members followed for {window:g} days: run at least {needed} days"
            f" (--days {needed}); a month measured with its look-back takes {math.ceil(2 * window)}."
        )
    return text


def _headline(scenario: Scenario, done: Outcome, reps: int, seed: int, hours: float) -> str:
    t, sl = done.card.attrs["answer_within_s"], done.card.attrs["sl_definition"]
    sl_label = parse_sl_definition(sl).label.replace("T", f"{t:g} s")
    calls = f"{done.overall['calls']:,.0f} callers offered"
    days = scenario.horizon.days
    if days == 1:
        what = "1 simulated day" if reps == 1 else f"{reps} simulated days (mean ± 95% CI)"
        return f"Scenario {scenario.name}: {what} of {hours:g} h, seed {seed}; {calls}{' per day' if reps > 1 else ''}; service level = {sl_label}."
    what = "1 run" if reps == 1 else f"{reps} runs (mean ± 95% CI)"
    return f"Scenario {scenario.name}: {what} of {days} days, seed {seed}; {calls}{' per run' if reps > 1 else ''}; service level = {sl_label}."


def cmd_run(args: argparse.Namespace) -> int:
    """``ccsim run``: the scenario's scorecard (per site and for all sites), as a table or JSON."""
    seed, reps = number(args, "--seed"), number(args, "--replications")
    number(args, "--workers")  # checked before any work starts
    days = number(args, "--days")
    out = out_path(args.out)
    scenario = with_days(load(args.scenario), days)
    try:
        model = scenario.to_model()
        done = _simulate(args, scenario, model, want_log=out is not None)
    except CcsimInputError as e:  # a ScenarioError too: its sentence names the scenario's field
        raise CliError(str(e)) from None
    note = _write_log(done.log, out, args.out) if out is not None and done.log is not None else None
    t, sl = done.card.attrs["answer_within_s"], done.card.attrs["sl_definition"]
    hours = model.horizon_s / 3600
    if args.json:
        print_json(
            {
                "command": "run",
                "model": "simulation",
                "scenario": scenario.name,
                "source": args.scenario,
                "seed": seed,
                "replications": reps,
                "days": scenario.horizon.days,
                "answer_within_s": t,
                "sl_definition": sl,
                "hours_simulated": hours,
                **kpi_fields({**done.overall, "agents": mean_agents_on_duty(model)}),
                "ci95": None if done.ci95 is None else kpi_fields(done.ci95),
                "scorecard": records(done.card),
                "warnings": list(done.messages),
                "log": _log_json(done, out),
            }
        )
    else:
        print(_headline(scenario, done, reps, seed, hours))
        print()
        print(scorecard_text(done.card))
        if done.journeys:
            print()
            print(journey_block(done))
    if note is not None:
        print(f"Wrote {note}{'' if reps == 1 else f' (replication 1 of {reps})'}.", file=sys.stderr)
    print_warnings(done.messages)
    return 0
