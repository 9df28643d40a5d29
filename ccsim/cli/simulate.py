"""``ccsim simulate``: one queue simulated over a day, many times → mean and 95% CI beside the formula."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from ccsim.cli.args import INTERVAL_S, CliError, from_api_error, number, sl_definition
from ccsim.cli.formulas import formula, kpi_label, model_name, queue_values
from ccsim.cli.output import kpi_fields, print_json, print_warnings, table
from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import KPI_NAMES
from ccsim.metrics.registry import KPIS
from ccsim.metrics.replications import ReplicationResult, replicate
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import MAX_EXPECTED_CALLS
from ccsim.simulation.model import CenterModel

__all__ = ["cmd_simulate"]

TABLE_KPIS = ("calls", "abandoned", "p_wait", "service_level", "asa_s", "abandonment_rate", "occupancy")
"""The rows of the simulation table, in order."""


def _intervals(per_hour: float, hours: float) -> int:
    """Whole 30-minute intervals covering ``hours``; refuses a day that would not fit in memory."""
    intervals = max(1, math.ceil(hours * 3600.0 / INTERVAL_S - 1e-9))
    if per_hour * INTERVAL_S / 3600.0 * intervals > MAX_EXPECTED_CALLS:
        sim_hours = intervals * INTERVAL_S / 3600.0
        raise CliError(
            f"--calls-per-hour: {per_hour:g} is not allowed with --hours {hours:g}; use at most "
            f"{math.floor(MAX_EXPECTED_CALLS / sim_hours):,} calls per hour over {sim_hours:g} hours "
            f"({MAX_EXPECTED_CALLS:,} calls a simulated day), or fewer --hours"
        )
    return intervals


def _mean_and_ci(rep: ReplicationResult, agents: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every KPI's mean and 95% half-width over the replications; the agents (an input) have no interval."""
    s = rep.summary
    mean: dict[str, Any] = {str(k): float(v) for k, v in s["mean"].items() if k in KPI_NAMES}
    ci95: dict[str, Any] = {str(k): float(v) for k, v in s["ci95"].items() if k in KPI_NAMES}
    mean["agents"] = agents
    return kpi_fields(mean), kpi_fields(ci95)


def _print_table(
    inputs: dict[str, Any], mean: dict[str, Any], ci95: dict[str, Any], by_formula: dict[str, Any]
) -> None:
    t, reps, intervals = inputs["answer_within_s"], inputs["replications"], inputs["intervals"]
    rows = [("", "simulation (mean ± 95% CI)", model_name(inputs["formula_model"]) + " formula")]
    for k in TABLE_KPIS:
        rows.append((kpi_label(k, t), KPIS[k].format(mean[k], ci95=ci95[k]), KPIS[k].format(by_formula[k])))
    patience = inputs["patience_s"]
    patience_txt = f", patience {patience:g} s" if patience is not None else ", nobody hangs up"
    title = (
        f"Simulation: {reps} days of {intervals * INTERVAL_S / 3600:g} h, {inputs['calls_per_hour']:g} calls per hour, "
        f"AHT {inputs['aht_s']:g} s{patience_txt}, {inputs['agents']} agents, seed {inputs['seed']}; "
        f"service level = {inputs['sl_label']}"
    )
    print(table(title, rows))


def cmd_simulate(args: argparse.Namespace) -> int:
    """``ccsim simulate``: replications of one exponential queue, with the Erlang formula beside them."""
    per_hour, aht, agents = number(args, "--calls-per-hour"), number(args, "--aht"), number(args, "--agents")
    hours, reps, seed = number(args, "--hours"), number(args, "--replications"), number(args, "--seed")
    workers, t, patience = number(args, "--workers"), number(args, "--answer-within"), number(args, "--patience")
    sl = sl_definition(args)
    per_interval = per_hour * INTERVAL_S / 3600.0
    intervals = _intervals(per_hour, hours)
    try:
        model = CenterModel.single_queue(
            per_interval,
            agents,
            handle_time=Exponential(aht),
            patience=Exponential(patience) if patience is not None else None,
            interval_s=INTERVAL_S,
            intervals=intervals,
            answer_within_s=t,
        )
        progress = sys.stderr.isatty() and not args.json
        rep = replicate(model, reps, seed, workers=workers, progress=progress, answer_within_s=t, sl_definition=sl)
        f = formula(per_interval, INTERVAL_S, aht, agents, patience, t, sl)
    except CcsimInputError as e:
        raise from_api_error(e) from None
    mean, ci95 = _mean_and_ci(rep, agents)
    formula_values = kpi_fields(queue_values(f, periods=intervals))
    if args.json:
        print_json(
            {
                "command": "simulate",
                "model": "simulation",
                "sl_definition": sl.value,
                "answer_within_s": t,
                "interval_s": INTERVAL_S,
                "patience_s": patience,
                "replications": reps,
                "seed": seed,
                "hours_simulated": intervals * INTERVAL_S / 3600.0,
                "calls_per_hour": per_hour,
                **mean,
                "ci95": ci95,
                "formula": {"model": f.model, **formula_values},
                "warnings": list(rep.warnings),
            }
        )
    else:
        inputs = dict(
            answer_within_s=t,
            replications=reps,
            intervals=intervals,
            formula_model=f.model,
            patience_s=patience,
            calls_per_hour=per_hour,
            aht_s=aht,
            agents=agents,
            seed=seed,
            sl_label=sl.label,
        )
        _print_table(inputs, mean, ci95, formula_values)
    print_warnings(rep.warnings)
    return 0
