"""``ccsim erlang`` and ``ccsim staff``: the Erlang C / Erlang A formulas for one interval."""

from __future__ import annotations

import argparse
from typing import Any

from ccsim.analytics.erlang import QueueMetrics, erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition
from ccsim.analytics.staffing import required_agents, scheduled_agents
from ccsim.cli.args import CliError, from_api_error, number, sl_definition
from ccsim.cli.output import kpi_fields, print_json, print_warnings, table
from ccsim.errors import CcsimInputError
from ccsim.metrics.registry import KPIS

__all__ = ["cmd_erlang", "cmd_staff", "formula", "metric_rows", "model_name", "queue_values"]

TARGET_FLAGS = {
    "--target-sl": "target_sl",
    "--max-asa": "max_asa_s",
    "--max-abandon": "max_abandon",
    "--max-occupancy": "max_occupancy",
}
"""Staffing target flag → the name :func:`ccsim.analytics.staffing.required_agents` gives it."""

TABLE_KPIS = ("p_wait", "service_level", "asa_s", "abandonment_rate", "occupancy")
"""The rows of the formula tables, in order."""


def model_name(model: str) -> str:
    """'Erlang C' for ``erlang_c`` and so on; other names unchanged."""
    return {"erlang_c": "Erlang C", "erlang_a": "Erlang A"}.get(model, model)


def kpi_label(key: str, answer_within_s: float) -> str:
    """The registry's label; service level with its T, e.g. 'Service level (20 s)'."""
    label = KPIS[key].label
    return f"{label} ({answer_within_s:g} s)" if key == "service_level" else label


def formula(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    patience_s: float | None,
    answer_within_s: float,
    sl: SLDefinition,
) -> QueueMetrics:
    """Erlang A when callers hang up (``patience_s`` seconds on average), else Erlang C."""
    if patience_s is None:
        return erlang_c(calls, interval_s, aht_s, agents, answer_within_s, sl)
    return erlang_a(calls, interval_s, aht_s, agents, patience_s, answer_within_s, sl)


def queue_values(m: QueueMetrics, periods: int = 1) -> dict[str, float]:
    """The registry's KPIs of a formula's answer, for ``periods`` intervals like it (counts add up)."""
    calls = m.calls * periods
    return {
        "calls": calls,
        "answered": calls * (1 - m.abandonment_rate),
        "abandoned": calls * m.abandonment_rate,
        "service_level": m.service_level,
        "asa_s": m.asa_s,
        "abandonment_rate": m.abandonment_rate,
        "p_wait": m.p_wait,
        "occupancy": m.occupancy,
        "aht_s": m.aht_s,
        "agents": m.agents,
        "mean_wait_s": m.mean_wait_all_s,
    }


def metric_rows(m: QueueMetrics) -> list[tuple[str, str]]:
    """Table rows (label, value) of a formula's answer."""
    values = queue_values(m)
    return [(kpi_label(k, m.answer_within_s), KPIS[k].format(values[k])) for k in TABLE_KPIS]


def _report(command: str, m: QueueMetrics, messages: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "command": command,
        "model": m.model,
        "sl_definition": m.sl_definition.value,
        "answer_within_s": m.answer_within_s,
        "interval_s": m.interval_s,
        "patience_s": m.patience_s,
        "load_erlangs": m.load_erlangs,
        **kpi_fields({**queue_values(m), **extra}),
        "ci95": None,
        "warnings": messages,
    }


def _title(m: QueueMetrics, what: str) -> str:
    patience = f", patience {m.patience_s:g} s" if m.patience_s is not None else ""
    return (
        f"{model_name(m.model)} {what}: {m.calls:g} calls per {m.interval_s:g} s, AHT {m.aht_s:g} s{patience}, "
        f"load {m.load_erlangs:.2f} Erlangs; service level = {m.sl_definition.label}"
    )


def _unstable(m: QueueMetrics) -> list[str]:
    if m.stable:
        return []
    return [
        f"The queue is unstable: the load of {m.load_erlangs:.2f} Erlangs needs more than {m.agents} agents, "
        "so without hang-ups the wait grows without end."
    ]


def cmd_erlang(args: argparse.Namespace) -> int:
    """``ccsim erlang``: queue metrics for a given number of agents."""
    calls, interval, aht = number(args, "--calls"), number(args, "--interval"), number(args, "--aht")
    agents, t, patience = number(args, "--agents"), number(args, "--answer-within"), number(args, "--patience")
    sl = sl_definition(args)
    try:
        m = formula(calls, interval, aht, agents, patience, t, sl)
    except CcsimInputError as e:
        raise from_api_error(e) from None
    messages = _unstable(m)
    if args.json:
        print_json(_report("erlang", m, messages))
    else:
        print(table(_title(m, f"with {m.agents} agents"), metric_rows(m)))
    print_warnings(messages)
    return 0


def _unreachable(args: argparse.Namespace, given: list[str], calls: float, aht: float, interval: float) -> CliError:
    flags = " ".join(f"{f} {getattr(args, f.lstrip('-').replace('-', '_'))}" for f in given)
    return CliError(
        f"{flags}: not reachable with 5000 agents or fewer at a load of {calls * aht / interval:g} Erlangs; "
        "use a lower target or a smaller load"
    )


def cmd_staff(args: argparse.Namespace) -> int:
    """``ccsim staff``: the fewest agents meeting every target given, then the shrinkage gross-up."""
    calls, interval, aht = number(args, "--calls"), number(args, "--interval"), number(args, "--aht")
    t, patience, shrinkage = number(args, "--answer-within"), number(args, "--patience"), number(args, "--shrinkage")
    targets = {name: number(args, flag) for flag, name in TARGET_FLAGS.items()}
    sl = sl_definition(args)
    given = [flag for flag, name in TARGET_FLAGS.items() if targets[name] is not None]
    if not given:
        raise CliError(
            "--target-sl: missing; give --target-sl (a number above 0 and at most 1) "
            "or at least one of --max-asa, --max-abandon, --max-occupancy"
        )
    try:
        r = required_agents(calls, interval, aht, answer_within_s=t, patience_s=patience, sl_definition=sl, **targets)
    except CcsimInputError as e:
        if e.field == "targets":
            raise _unreachable(args, given, calls, aht, interval) from None
        raise from_api_error(e) from None
    scheduled = scheduled_agents(r.agents, shrinkage)
    flag_of = {name: flag for flag, name in TARGET_FLAGS.items()}
    binding = [flag_of[b] for b in r.binding]
    messages = [r.warning] if r.warning else []
    if args.json:
        print_json(
            {
                **_report("staff", r.metrics, messages, scheduled_agents=scheduled),
                "shrinkage": shrinkage,
                "binding": binding,
            }
        )
        print_warnings(messages)
        return 0
    rows = [
        (KPIS["agents"].label, str(r.agents)),
        (f"{KPIS['scheduled_agents'].label} ({100 * shrinkage:g} % shrinkage)", str(scheduled)),
        *metric_rows(r.metrics),
    ]
    if binding:
        rows.append(("Deciding target", ", ".join(binding)))
    print(table(_title(r.metrics, "staffing"), rows))
    print_warnings(messages)
    return 0
