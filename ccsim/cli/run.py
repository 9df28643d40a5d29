"""``ccsim run``: simulate a scenario (a TOML file or a preset) and print its scorecard.

``--out`` writes the per-contact log as CSV atomically (a temporary file in the same folder, then a
rename), so a failed write never leaves half a file. With ``--replications`` above 1 the log written
is the first replication's (the stderr note says so).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim.analytics.service_level import parse_sl_definition
from ccsim.cli.args import CliError, allowed, number, preset_names
from ccsim.cli.output import kpi_fields, out_path, print_json, print_warnings, write_csv_atomic
from ccsim.errors import CcsimInputError, ScenarioError
from ccsim.metrics.kpis import summary
from ccsim.metrics.scorecard import ALL, replicate_by_site, scorecard, scorecard_text
from ccsim.scenario import Scenario, load_preset, load_scenario
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

__all__ = ["cmd_run", "mean_agents_on_duty"]


@dataclass
class Outcome:
    """What a run produced: the scorecard, overall KPIs (means), their CI half-widths, sentences, the log to write."""

    card: pd.DataFrame
    overall: dict[str, Any]
    ci95: dict[str, Any] | None
    messages: tuple[str, ...]
    log: pd.DataFrame | None


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
    if reps == 1:
        result = simulate(model, seed=seed)
        card = scorecard(result, scenario)
        overall = summary(
            result, answer_within_s=card.attrs["answer_within_s"], sl_definition=card.attrs["sl_definition"]
        )
        return Outcome(card, dict(overall), None, tuple(result.warnings), result.contacts)
    progress = sys.stderr.isatty() and not args.json
    runs = replicate_by_site(model, reps, seed, targets=scenario, workers=workers, progress=progress)
    s = runs.summary().xs(ALL, level=0)
    log = None
    if want_log:  # replication 1's seed, as replicate_by_site used it
        log = simulate(model, np.random.SeedSequence(seed).spawn(reps)[0]).contacts
    card = scorecard(runs, scenario)
    ci95 = {str(k): float(v) for k, v in s["ci95"].items()}
    return Outcome(card, {str(k): float(v) for k, v in s["mean"].items()}, ci95, tuple(runs.warnings), log)


def _write_log(log: pd.DataFrame, out: Path, raw: str) -> None:
    try:
        write_csv_atomic(log, out)
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        raise CliError(f"--out: cannot write {raw} ({reason}); use a file in a folder you can write to") from None


def cmd_run(args: argparse.Namespace) -> int:
    """``ccsim run``: the scenario's scorecard (per site and for all sites), as a table or JSON."""
    seed, reps = number(args, "--seed"), number(args, "--replications")
    number(args, "--workers")  # checked before any work starts
    out = out_path(args.out)
    scenario = load(args.scenario)
    try:
        model = scenario.to_model()
        done = _simulate(args, scenario, model, want_log=out is not None)
    except CcsimInputError as e:  # a ScenarioError too: its sentence names the scenario's field
        raise CliError(str(e)) from None
    if out is not None and done.log is not None:
        _write_log(done.log, out, args.out)
    t, sl = done.card.attrs["answer_within_s"], done.card.attrs["sl_definition"]
    agents = mean_agents_on_duty(model)
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
                "answer_within_s": t,
                "sl_definition": sl,
                "hours_simulated": hours,
                **kpi_fields({**done.overall, "agents": agents}),
                "ci95": None if done.ci95 is None else kpi_fields(done.ci95),
                "scorecard": records(done.card),
                "warnings": list(done.messages),
                "log": None
                if out is None
                else {"path": str(out), "contacts": 0 if done.log is None else len(done.log), "replication": 1},
            }
        )
    else:
        days = "1 simulated day" if reps == 1 else f"{reps} simulated days (mean ± 95% CI)"
        sl_label = parse_sl_definition(sl).label.replace("T", f"{t:g} s")
        print(
            f"Scenario {scenario.name}: {days} of {hours:g} h, seed {seed}; "
            f"{done.overall['calls']:,.0f} callers offered{' per day' if reps > 1 else ''}; service level = {sl_label}."
        )
        print()
        print(scorecard_text(done.card))
    if out is not None and done.log is not None:
        note = "" if reps == 1 else f" (replication 1 of {reps})"
        print(f"Wrote {len(done.log):,} contacts to {out}{note}.", file=sys.stderr)
    print_warnings(done.messages)
    return 0
