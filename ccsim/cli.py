"""Command line: ``ccsim erlang``, ``ccsim staff``, ``ccsim simulate``, ``ccsim run`` (also ``python -m ccsim``).

Times are seconds; ``--calls`` is calls per ``--interval`` seconds, ``--calls-per-hour`` is per hour.
Bad flags or values give exit code 2 and one plain sentence on stderr, never a traceback.

Example::

    ccsim erlang --calls 100 --interval 1800 --aht 180 --agents 14 --answer-within 20
    ccsim staff --calls 100 --aht 180 --target-sl 0.8 --shrinkage 0.3 --json
    ccsim simulate --calls-per-hour 427.5 --aht 400 --agents 50 --patience 300 --hours 8 --replications 200
    ccsim run classroom
    ccsim run data/scenarios/member_services_network.toml --replications 10 --out contacts.csv

``ccsim run`` takes a scenario file or a preset name and prints the scorecard (the scenario's
targets, per site and for all sites). ``--out`` writes the per-contact log as CSV atomically: a
temporary file in the same folder, then a rename, so a failed write never leaves half a file.
With ``--replications`` above 1 the log written is the first replication's (the stderr note says so).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccsim.analytics.service_level import parse_sl_definition
from ccsim.errors import CcsimInputError, check_number

__all__ = ["main", "write_csv_atomic"]

INTERVAL_S = 1800.0
"""The simulation's interval (s): --calls-per-hour is converted to calls per 30 minutes."""

SL_CHOICES = "offered|exclude-short-abandons|answered|answered-or-abandoned-within"

# flag -> check_number rule; every number flag is read as text and checked here, so a typo gets the same sentence
# Upper bounds keep every command's memory and time bounded (a day of seconds for times, a million
# calls per interval or hour); `simulate` also refuses more than engine.MAX_EXPECTED_CALLS calls a day.
DAY_S = 86_400
RULES: dict[str, dict[str, Any]] = {
    "--calls": dict(low=0, high=1_000_000),
    "--calls-per-hour": dict(low=0, high=1_000_000),
    "--interval": dict(low=0, high=DAY_S, low_open=True),
    "--aht": dict(low=0, high=DAY_S, low_open=True),
    "--agents": dict(low=1, high=5000, integer=True),
    "--answer-within": dict(low=0, high=DAY_S),
    "--patience": dict(low=0, high=DAY_S, low_open=True),
    "--target-sl": dict(low=0, high=1, low_open=True),
    "--max-asa": dict(low=0, high=DAY_S, low_open=True),
    "--max-occupancy": dict(low=0, high=1, low_open=True),
    "--max-abandon": dict(low=0, high=1, low_open=True),
    "--shrinkage": dict(low=0, high=1, high_open=True),
    "--hours": dict(low=0, high=24 * 366, low_open=True),
    "--replications": dict(low=1, high=100_000, integer=True),
    "--seed": dict(low=0, high=2**63 - 1, integer=True),
    "--workers": dict(low=1, high=1024, integer=True),
}

# API field names -> the flag a learner typed
FIELD_TO_FLAG = {
    "calls": "--calls",
    "interval_s": "--interval",
    "aht_s": "--aht",
    "mean_s": "--aht",
    "agents": "--agents",
    "answer_within_s": "--answer-within",
    "patience_s": "--patience",
    "sl_definition": "--sl-definition",
    "target_sl": "--target-sl",
    "max_asa_s": "--max-asa",
    "max_occupancy": "--max-occupancy",
    "max_abandon": "--max-abandon",
    "shrinkage": "--shrinkage",
    "replications": "--replications",
    "seed": "--seed",
    "workers": "--workers",
}

TARGET_FLAGS = ("--target-sl", "--max-asa", "--max-abandon", "--max-occupancy")


class CliError(Exception):
    """One plain sentence for stderr; exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises :class:`CliError` with one sentence instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(_sentence_for_argparse(self, message))


def _allowed(flag: str) -> str:
    if flag == "--sl-definition":
        return f"one of {SL_CHOICES}"
    if flag == "command":
        return "one of erlang, staff, simulate, run (try ccsim --help)"
    if flag == "scenario":
        return f"a scenario TOML file or a preset name ({', '.join(_preset_names()) or 'see data/scenarios/'})"
    if flag in RULES:
        try:
            check_number(flag, "?", **RULES[flag])
        except CcsimInputError as e:
            return _plain(e.allowed)
    return "a value (see --help)"


def _sentence_for_argparse(parser: argparse.ArgumentParser, message: str) -> str:
    m = re.match(r"the following arguments are required: (.*)", message)
    if m:
        flag = m.group(1).split(",")[0].strip()
        if flag == "command" or flag.startswith("{"):
            return f"command: none given; use {_allowed('command')}"
        if flag == "scenario":
            return f"scenario: none given; use {_allowed('scenario')}"
        return f"{flag}: missing; give {flag} with {_allowed(flag)}"
    m = re.match(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
    if m:
        flag = m.group(1)
        return f"{flag}: no value given; use {_allowed(flag)}"
    m = re.match(r"argument (\S+): invalid choice: '?([^' ]*)'?", message)
    if m:
        flag = "command" if m.group(1) in ("command", "{erlang,staff,simulate,run}") else m.group(1)
        return f"{flag}: {m.group(2)} is not allowed; use {_allowed(flag)}"
    m = re.match(r"unrecognized arguments: (.*)", message)
    if m:
        word = m.group(1).split()[0]
        return f"{word}: not an option of `{parser.prog}`; see `{parser.prog} --help` for the options"
    return f"{parser.prog}: {message.rstrip('.')}"


def _number(args: argparse.Namespace, flag: str) -> float | int | None:
    """The value of a number flag, checked against its rule, or None when the flag was not given."""
    raw = getattr(args, flag.lstrip("-").replace("-", "_"))
    if raw is None:
        return None
    try:
        value: object = float(raw)
    except ValueError:
        value = raw
    try:
        return check_number(flag, value, **RULES[flag])
    except CcsimInputError as e:
        raise CliError(f"{flag}: {raw} is not allowed; use {_plain(e.allowed)}") from None


def _plain(allowed: str) -> str:
    """``allowed`` with large whole numbers written out ('1e+06' -> '1,000,000') for a learner."""
    return re.sub(r"\b\d+(?:\.\d+)?e\+\d+\b", lambda m: f"{float(m.group()):,.0f}", allowed)


def _sl(args: argparse.Namespace):
    try:
        return parse_sl_definition(args.sl_definition, "--sl-definition")
    except CcsimInputError:
        raise CliError(f"--sl-definition: {args.sl_definition} is not allowed; use one of {SL_CHOICES}") from None


def _from_api_error(e: CcsimInputError) -> CliError:
    flag = FIELD_TO_FLAG.get(e.field, e.field)
    return CliError(f"{flag}: {e.value} is not allowed; use {e.allowed}")


# ----------------------------------------------------------------------------------------------
# parser


def build_parser() -> argparse.ArgumentParser:
    """The ``ccsim`` argument parser (subcommands erlang, staff, simulate, run)."""
    p = _Parser(
        prog="ccsim",
        allow_abbrev=False,
        description="Contact-center queueing: Erlang formulas, staffing and simulation. Times in seconds.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="{erlang,staff,simulate,run}")

    def num(sp, flag, help_, required=False, default=None):
        sp.add_argument(flag, required=required, default=default, metavar="N", help=help_)

    def common_queue(sp):
        num(sp, "--calls", "calls offered per interval (required)", required=True)
        num(sp, "--interval", "interval length in seconds (default 1800)", default="1800")
        num(sp, "--aht", "average handle time in seconds (required)", required=True)

    def common_sl(sp, default_t="20"):
        num(sp, "--answer-within", f"service-level threshold T in seconds (default {default_t})", default=default_t)
        num(sp, "--patience", "mean caller patience in seconds; callers hang up (Erlang A). Omit: nobody hangs up")
        sp.add_argument(
            "--sl-definition",
            default="offered",
            metavar="DEF",
            help=f"service-level definition: {SL_CHOICES} (default offered)",
        )
        sp.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    e = sub.add_parser(
        "erlang",
        allow_abbrev=False,
        help="queue metrics for a given number of agents",
        description="Erlang C (no --patience) or Erlang A (with --patience) for one interval.",
    )
    common_queue(e)
    num(e, "--agents", "agents on the phones (required, 1-5000)", required=True)
    common_sl(e)

    s = sub.add_parser(
        "staff",
        allow_abbrev=False,
        help="fewest agents that meet your targets",
        description="Fewest agents meeting every target given (at least one), then the shrinkage "
        "gross-up. Erlang C without --patience, Erlang A with it.",
    )
    common_queue(s)
    num(s, "--target-sl", "service-level target, 0-1 (e.g. 0.8 for 80%% within --answer-within)")
    num(s, "--max-asa", "longest acceptable ASA in seconds")
    num(s, "--max-occupancy", "highest acceptable occupancy, 0-1 (e.g. 0.85)")
    num(s, "--max-abandon", "highest acceptable abandonment share, 0-1 (needs --patience to matter)")
    num(s, "--shrinkage", "share of paid time off the phones, 0 to below 1 (default 0)", default="0")
    common_sl(s)

    m = sub.add_parser(
        "simulate",
        allow_abbrev=False,
        help="simulate a day many times (mean and 95%% CI)",
        description="Simulate one queue with exponential handle times (and patience) over "
        "--hours, in 30-minute intervals, --replications times.",
    )
    num(m, "--calls-per-hour", "calls offered per hour (required)", required=True)
    num(m, "--aht", "average handle time in seconds (required)", required=True)
    num(m, "--agents", "agents on the phones (required, 1-5000)", required=True)
    num(
        m,
        "--hours",
        "hours to simulate (default 8); a partial last 30-minute interval is rounded up to a whole one",
        default="8",
    )
    num(m, "--replications", "number of simulated days (default 30)", default="30")
    num(m, "--seed", "random seed, a whole number of at least 0 (default 1): same seed, same numbers", default="1")
    num(m, "--workers", "processes to use (default: automatic)")
    common_sl(m)

    presets = ", ".join(_preset_names()) or "see data/scenarios/"
    r = sub.add_parser(
        "run",
        allow_abbrev=False,
        help="simulate a scenario and print its scorecard",
        description="Simulate a scenario (a TOML file, or the name of a preset: "
        + presets
        + ") and print the guaranteed metrics against the scenario's targets, per site "
        "and for all sites. Trainers: a preset name is enough, e.g. `ccsim run classroom`.",
    )
    r.add_argument(
        "scenario",
        metavar="scenario",
        help="a scenario TOML file (e.g. data/scenarios/classroom.toml) or a preset name (" + presets + ")",
    )
    num(r, "--seed", "random seed, a whole number of at least 0 (default 1): same seed, same numbers", default="1")
    num(
        r,
        "--replications",
        "simulated days (default 1); above 1 the scorecard shows the mean ± 95%% CI and "
        "the share of days that met each target",
        default="1",
    )
    num(r, "--workers", "processes to use for replications (default: automatic)")
    r.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    r.add_argument(
        "--out",
        metavar="FILE",
        help="also write the per-contact log as CSV to FILE (with --replications above 1: the first day's log)",
    )
    return p


def _preset_names() -> list[str]:
    try:
        from ccsim.scenario import list_presets

        return list_presets()
    except Exception:  # no data/ folder: the help text still works
        return []


# ----------------------------------------------------------------------------------------------
# output


def _finite(x: float) -> float | None:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else None


def _json_ready(obj):
    if isinstance(obj, dict):
        return {k: _json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_ready(v) for v in obj]
    if isinstance(obj, float):
        return _finite(obj)
    return obj


def _print_json(obj: dict) -> None:
    print(json.dumps(_json_ready(obj), allow_nan=False))


def _pct(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:.1f} %"


def _sec(x: float | None) -> str:
    if x is None:
        return "-"
    return "infinite" if math.isinf(x) else f"{x:.1f} s"


def _table(title: str, rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [title]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  " + "   ".join(cells).rstrip())
    return "\n".join(lines)


def _model_name(model: str) -> str:
    return {"erlang_c": "Erlang C", "erlang_a": "Erlang A"}.get(model, model)


def _metric_rows(m) -> list[tuple[str, str]]:
    return [
        ("probability of waiting", _pct(m.p_wait)),
        (f"service level ({m.answer_within_s:g} s)", _pct(m.service_level)),
        ("ASA (answered callers)", _sec(m.asa_s)),
        ("abandonment", _pct(m.abandonment_rate)),
        ("occupancy", _pct(m.occupancy)),
    ]


def _metric_json(m) -> dict:
    return {
        "model": m.model,
        "sl_definition": m.sl_definition.value,
        "agents": m.agents,
        "calls": m.calls,
        "abandoned": m.calls * m.abandonment_rate,
        "p_wait": m.p_wait,
        "service_level": m.service_level,
        "asa": m.asa_s,
        "abandonment_rate": m.abandonment_rate,
        "occupancy": m.occupancy,
        "load_erlangs": m.load_erlangs,
        "interval_s": m.interval_s,
        "aht_s": m.aht_s,
        "patience_s": m.patience_s,
        "answer_within_s": m.answer_within_s,
        "mean_wait_all_s": m.mean_wait_all_s,
    }


def _queue_title(m, what: str) -> str:
    patience = f", patience {m.patience_s:g} s" if m.patience_s is not None else ""
    return (
        f"{_model_name(m.model)} {what}: {m.calls:g} calls per {m.interval_s:g} s, AHT {m.aht_s:g} s{patience}, "
        f"load {m.load_erlangs:.2f} Erlangs; service level = {m.sl_definition.label}"
    )


def _warn_unstable(m) -> None:
    if not m.stable:
        print(
            f"The queue is unstable: the load of {m.load_erlangs:.2f} Erlangs needs more than {m.agents} agents, "
            "so without hang-ups the wait grows without end.",
            file=sys.stderr,
        )


# ----------------------------------------------------------------------------------------------
# commands


def _formula(
    calls: float, interval_s: float, aht_s: float, agents: int, patience_s: float | None, answer_within_s: float, sl
):
    """Erlang A when callers hang up (``patience_s`` seconds on average), else Erlang C → ``QueueMetrics``."""
    from ccsim.analytics.erlang import erlang_a, erlang_c

    if patience_s is None:
        return erlang_c(calls, interval_s, aht_s, agents, answer_within_s, sl)
    return erlang_a(calls, interval_s, aht_s, agents, patience_s, answer_within_s, sl)


def _cmd_erlang(args: argparse.Namespace) -> int:
    calls, interval, aht = _number(args, "--calls"), _number(args, "--interval"), _number(args, "--aht")
    agents, t, patience = _number(args, "--agents"), _number(args, "--answer-within"), _number(args, "--patience")
    sl = _sl(args)
    try:
        m = _formula(calls, interval, aht, agents, patience, t, sl)
    except CcsimInputError as e:
        raise _from_api_error(e) from None
    if args.json:
        _print_json(_metric_json(m))
    else:
        print(_table(_queue_title(m, f"with {m.agents} agents"), _metric_rows(m)))
    _warn_unstable(m)
    return 0


def _cmd_staff(args: argparse.Namespace) -> int:
    from ccsim.analytics.staffing import required_agents, scheduled_agents

    calls, interval, aht = _number(args, "--calls"), _number(args, "--interval"), _number(args, "--aht")
    t, patience, shrinkage = _number(args, "--answer-within"), _number(args, "--patience"), _number(args, "--shrinkage")
    targets = {flag: _number(args, flag) for flag in TARGET_FLAGS}
    sl = _sl(args)
    given = {f: v for f, v in targets.items() if v is not None}
    if not given:
        raise CliError(
            "--target-sl: missing; give --target-sl (a number above 0 and at most 1) "
            "or at least one of --max-asa, --max-abandon, --max-occupancy"
        )
    try:
        r = required_agents(
            calls,
            interval,
            aht,
            answer_within_s=t,
            target_sl=targets["--target-sl"],
            max_asa_s=targets["--max-asa"],
            max_abandon=targets["--max-abandon"],
            max_occupancy=targets["--max-occupancy"],
            patience_s=patience,
            sl_definition=sl,
        )
    except CcsimInputError as e:
        if e.field == "targets":
            flags = " ".join(f"{f} {getattr(args, f.lstrip('-').replace('-', '_'))}" for f in given)
            load = calls * aht / interval
            raise CliError(
                f"{flags}: not reachable with 5000 agents or fewer at a load of {load:g} Erlangs; "
                "use a lower target or a smaller load"
            ) from None
        raise _from_api_error(e) from None
    scheduled = scheduled_agents(r.agents, shrinkage)
    binding_flags = [
        {
            "target_sl": "--target-sl",
            "max_asa_s": "--max-asa",
            "max_abandon": "--max-abandon",
            "max_occupancy": "--max-occupancy",
        }[b]
        for b in r.binding
    ]
    if args.json:
        out = _metric_json(r.metrics)
        out.update(scheduled_agents=scheduled, shrinkage=shrinkage, binding=binding_flags)
        _print_json(out)
    else:
        rows = [
            ("agents on the phones", str(r.agents)),
            (f"agents to schedule ({100 * shrinkage:g} % shrinkage)", str(scheduled)),
        ]
        rows += _metric_rows(r.metrics)
        if binding_flags:
            rows.append(("deciding target", ", ".join(binding_flags)))
        print(_table(_queue_title(r.metrics, "staffing"), rows))
    return 0


SIM_KEYS = {  # JSON key -> KPI name in ReplicationResult.summary
    "calls": "calls",
    "abandoned": "abandoned",
    "p_wait": "p_wait",
    "service_level": "service_level",
    "asa": "asa_s",
    "abandonment_rate": "abandonment_rate",
    "occupancy": "occupancy",
}


def _cmd_simulate(args: argparse.Namespace) -> int:
    from ccsim.metrics.replications import replicate
    from ccsim.simulation.distributions import Exponential
    from ccsim.simulation.engine import MAX_EXPECTED_CALLS
    from ccsim.simulation.model import CenterModel

    per_hour, aht, agents = _number(args, "--calls-per-hour"), _number(args, "--aht"), _number(args, "--agents")
    hours, reps, seed = _number(args, "--hours"), _number(args, "--replications"), _number(args, "--seed")
    workers, t, patience = _number(args, "--workers"), _number(args, "--answer-within"), _number(args, "--patience")
    sl = _sl(args)
    per_interval = per_hour * INTERVAL_S / 3600.0
    intervals = max(1, math.ceil(hours * 3600.0 / INTERVAL_S - 1e-9))
    if per_interval * intervals > MAX_EXPECTED_CALLS:  # each day would not fit in memory
        sim_hours = intervals * INTERVAL_S / 3600.0
        raise CliError(
            f"--calls-per-hour: {per_hour:g} is not allowed with --hours {hours:g}; use at most "
            f"{math.floor(MAX_EXPECTED_CALLS / sim_hours):,} calls per hour over {sim_hours:g} hours "
            f"({MAX_EXPECTED_CALLS:,} calls a simulated day), or fewer --hours"
        )
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same sentences come back in rep.warnings
            rep = replicate(
                model,
                reps,
                seed,
                workers=workers,
                progress=sys.stderr.isatty() and not args.json,
                answer_within_s=t,
                sl_definition=sl,
            )
        formula = _formula(per_interval, INTERVAL_S, aht, agents, patience, t, sl)
    except CcsimInputError as e:
        raise _from_api_error(e) from None
    summary = rep.summary
    mean = {key: float(summary.loc[kpi, "mean"]) for key, kpi in SIM_KEYS.items()}
    ci95 = {key: float(summary.loc[kpi, "ci95"]) for key, kpi in SIM_KEYS.items()}
    formula_values = {
        "p_wait": formula.p_wait,
        "service_level": formula.service_level,
        "asa": formula.asa_s,
        "abandonment_rate": formula.abandonment_rate,
        "occupancy": formula.occupancy,
    }
    if args.json:
        out = {
            "model": "simulation",
            "sl_definition": sl.value,
            "agents": agents,
            **mean,
            "ci95": ci95,
            "replications": reps,
            "seed": seed,
            "hours_simulated": intervals * INTERVAL_S / 3600.0,
            "calls_per_hour": per_hour,
            "aht_s": aht,
            "patience_s": patience,
            "answer_within_s": t,
            "formula": {"model": formula.model, **formula_values},
            "warnings": list(rep.warnings),
        }
        _print_json(out)
    else:

        def pm(key, fmt):
            return f"{fmt(mean[key])} ± {fmt(ci95[key]).replace(' %', '').replace(' s', '')}"

        rows = [
            ("", "simulation (mean ± 95% CI)", _model_name(formula.model) + " formula"),
            ("calls offered", pm("calls", lambda x: f"{x:.0f}"), f"{per_interval * intervals:.0f}"),
            (
                "abandoned",
                pm("abandoned", lambda x: f"{x:.0f}"),
                f"{per_interval * intervals * formula.abandonment_rate:.0f}",
            ),
            ("probability of waiting", pm("p_wait", _pct), _pct(formula.p_wait)),
            (f"service level ({t:g} s)", pm("service_level", _pct), _pct(formula.service_level)),
            ("ASA (answered callers)", pm("asa", _sec), _sec(formula.asa_s)),
            ("abandonment", pm("abandonment_rate", _pct), _pct(formula.abandonment_rate)),
            ("occupancy", pm("occupancy", _pct), _pct(formula.occupancy)),
        ]
        patience_txt = f", patience {patience:g} s" if patience is not None else ", nobody hangs up"
        title = (
            f"Simulation: {reps} days of {intervals * INTERVAL_S / 3600:g} h, {per_hour:g} calls per hour, "
            f"AHT {aht:g} s{patience_txt}, {agents} agents, seed {seed}; service level = {sl.label}"
        )
        print(_table(title, rows))
    for message in rep.warnings:
        print(message, file=sys.stderr)
    return 0


def write_csv_atomic(frame, path: str | os.PathLike) -> Path:
    """Write ``frame`` (a DataFrame) as CSV to ``path`` all or nothing: a temporary file in the same folder, then a rename.

    On any failure (a full disk, no permission, Ctrl-C) the temporary file is removed and ``path``
    is left as it was. The file gets the usual permissions (the umask's), not the temporary file's 0600.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            frame.to_csv(f, index=False)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _out_path(raw: str | None) -> Path | None:
    """The --out path, checked before simulating: its folder must exist and it must not be a folder itself."""
    if raw is None:
        return None
    path = Path(raw)
    if raw.strip() == "" or path.is_dir():
        raise CliError(f"--out: {raw} is not allowed; use a file name such as contacts.csv")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"--out: {raw} is not allowed; use a file in a folder that exists ({folder} does not)")
    return path


def _load_scenario(arg: str):
    """A scenario from a TOML file, or a preset by name (a bare word that is not a file)."""
    from ccsim.scenario import load_preset, load_scenario

    path = Path(arg)
    if path.is_file():
        return load_scenario(path)
    if path.suffix.lower() == ".toml" or "/" in arg or os.sep in arg or arg not in _preset_names():
        raise CliError(f"scenario: {arg} is not a file or a preset; use {_allowed('scenario')}")
    return load_preset(arg)


def _records(card) -> list[dict]:
    """Scorecard rows as plain JSON values (``met``: true, false or null when there was no number)."""
    import pandas as pd

    rows = []
    for r in card.to_dict("records"):
        r["met"] = None if pd.isna(r["met"]) else bool(r["met"])
        rows.append({k: (float(v) if isinstance(v, float) else v) for k, v in r.items()})
    return rows


def _cmd_run(args: argparse.Namespace) -> int:
    import numpy as np

    from ccsim.errors import ScenarioError
    from ccsim.metrics.kpis import summary
    from ccsim.metrics.scorecard import ALL, replicate_by_site, scorecard, scorecard_text
    from ccsim.simulation.engine import simulate

    seed, reps, workers = _number(args, "--seed"), _number(args, "--replications"), _number(args, "--workers")
    out = _out_path(args.out)
    try:
        scenario = _load_scenario(args.scenario)
        model = scenario.to_model()
    except ScenarioError as e:
        raise CliError(str(e)) from None
    log_note = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same sentences come back in the result's warnings
            if reps == 1:
                result = simulate(model, seed=seed)
                card = scorecard(result, scenario)
                t, sl = card.attrs["answer_within_s"], card.attrs["sl_definition"]
                overall, ci95 = summary(result, answer_within_s=t, sl_definition=sl), None
                messages, log = list(result.warnings), result.contacts
            else:
                runs = replicate_by_site(
                    model, reps, seed, targets=scenario, workers=workers, progress=sys.stderr.isatty() and not args.json
                )
                card = scorecard(runs, scenario)
                t, sl = card.attrs["answer_within_s"], card.attrs["sl_definition"]
                s = runs.summary().xs(ALL, level=0)
                overall = {k: float(v) for k, v in s["mean"].items()}
                ci95 = {k: float(v) for k, v in s["ci95"].items()}
                messages, log = runs.warnings, None
                if out is not None:  # replication 1's seed, as replicate_by_site used it
                    log = simulate(model, np.random.SeedSequence(seed).spawn(reps)[0]).contacts
                    log_note = f" (replication 1 of {reps})"
    except CcsimInputError as e:
        raise CliError(str(e)) from None
    if out is not None:
        try:
            write_csv_atomic(log, out)
        except OSError as e:
            reason = e.strerror or e.__class__.__name__
            raise CliError(
                f"--out: cannot write {args.out} ({reason}); use a file in a folder you can write to"
            ) from None
    from ccsim.analytics.service_level import parse_sl_definition

    sl_label = parse_sl_definition(sl).label.replace("T", f"{t:g} s")
    if args.json:
        _print_json(
            {
                "scenario": scenario.name,
                "source": args.scenario,
                "seed": seed,
                "replications": reps,
                "answer_within_s": t,
                "sl_definition": sl,
                "scorecard": _records(card),
                "kpis": overall,
                "ci95": ci95,
                "warnings": list(messages),
                "log": None if out is None else {"path": str(out), "contacts": len(log), "replication": 1},
            }
        )
    else:
        days = "1 simulated day" if reps == 1 else f"{reps} simulated days (mean ± 95% CI)"
        hours = model.horizon_s / 3600
        print(
            f"Scenario {scenario.name}: {days} of {hours:g} h, seed {seed}; "
            f"{overall['calls']:,.0f} callers offered{' per day' if reps > 1 else ''}; service level = {sl_label}."
        )
        print()
        print(scorecard_text(card))
    if out is not None:
        print(f"Wrote {len(log):,} contacts to {out}{log_note}.", file=sys.stderr)
    for message in messages:
        print(message, file=sys.stderr)
    return 0


def _join_negative_values(argv: list[str]) -> list[str]:
    """Turn ``--agents -3e2`` into ``--agents=-3e2`` so argparse reads it as a (bad) value, not a flag."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in RULES and i + 1 < len(argv) and argv[i + 1].startswith("-") and not argv[i + 1].startswith("--"):
            out.append(f"{word}={argv[i + 1]}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


COMMANDS = {"erlang": _cmd_erlang, "staff": _cmd_staff, "simulate": _cmd_simulate, "run": _cmd_run}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ccsim`` command line with ``argv`` (default: sys.argv[1:]); return the exit code."""
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        args, extra = build_parser().parse_known_args(_join_negative_values(words))
        if extra:
            raise CliError(
                f"{extra[0]}: not an option of `ccsim {args.command}`; "
                f"see `ccsim {args.command} --help` for the options"
            )
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows up here, inside the try, not at interpreter exit
        return code
    except BrokenPipeError:  # e.g. `ccsim run ... | head`: the reader has gone; no traceback, nothing more to say
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except CliError as e:
        print(str(e), file=sys.stderr)
        return 2
    except CcsimInputError as e:  # anything not mapped above still gets one sentence
        print(str(_from_api_error(e)), file=sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return int(e.code or 0)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
