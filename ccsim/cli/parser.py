"""The ``ccsim`` argument parser: subcommands erlang, staff, simulate, run, profile, calibrate, lab and workshop, with their help."""

from __future__ import annotations

import argparse

from ccsim.cli.args import COMMANDS, SL_CHOICES, Parser, preset_names

__all__ = ["build_parser"]

SEED_HELP = "random seed, a whole number of at least 0 (default 1): same seed, same numbers"


def _num(
    sp: argparse.ArgumentParser, flag: str, help_: str, required: bool = False, default: str | None = None
) -> None:
    """A number flag, read as text (checked later against its rule in ccsim.cli.args.RULES)."""
    sp.add_argument(flag, required=required, default=default, metavar="N", help=help_)


def _queue_flags(sp: argparse.ArgumentParser) -> None:
    _num(sp, "--calls", "calls offered per interval (required)", required=True)
    _num(sp, "--interval", "interval length in seconds (default 1800)", default="1800")
    _num(sp, "--aht", "average handle time in seconds (required)", required=True)


def _sl_flags(sp: argparse.ArgumentParser) -> None:
    _num(sp, "--answer-within", "service-level threshold T in seconds (default 20)", default="20")
    _num(sp, "--patience", "mean caller patience in seconds; callers hang up (Erlang A). Omit: nobody hangs up")
    sp.add_argument(
        "--sl-definition",
        default="offered",
        metavar="DEF",
        help=f"service-level definition: {SL_CHOICES} (default offered)",
    )
    sp.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def _add_erlang(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser(
        "erlang",
        allow_abbrev=False,
        help="queue metrics for a given number of agents",
        description="Erlang C (no --patience) or Erlang A (with --patience) for one interval.",
    )
    _queue_flags(e)
    _num(e, "--agents", "agents on the phones (required, 1-5000)", required=True)
    _sl_flags(e)


def _add_staff(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "staff",
        allow_abbrev=False,
        help="fewest agents that meet your targets",
        description="Fewest agents meeting every target given (at least one), then the shrinkage "
        "gross-up. Erlang C without --patience, Erlang A with it.",
    )
    _queue_flags(s)
    _num(s, "--target-sl", "service-level target, 0-1 (e.g. 0.8 for 80%% within --answer-within)")
    _num(s, "--max-asa", "longest acceptable ASA in seconds")
    _num(s, "--max-occupancy", "highest acceptable occupancy, 0-1 (e.g. 0.85)")
    _num(s, "--max-abandon", "highest acceptable abandonment share, 0-1 (needs --patience to matter)")
    _num(s, "--shrinkage", "share of paid time off the phones, 0 to below 1 (default 0)", default="0")
    _sl_flags(s)


def _add_simulate(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser(
        "simulate",
        allow_abbrev=False,
        help="simulate a day many times (mean and 95%% CI)",
        description="Simulate one queue with exponential handle times (and patience) over "
        "--hours, in 30-minute intervals, --replications times.",
    )
    _num(m, "--calls-per-hour", "calls offered per hour (required)", required=True)
    _num(m, "--aht", "average handle time in seconds (required)", required=True)
    _num(m, "--agents", "agents on the phones (required, 1-5000)", required=True)
    _num(
        m,
        "--hours",
        "hours to simulate (default 8); a partial last 30-minute interval is rounded up to a whole one",
        default="8",
    )
    _num(m, "--replications", "number of simulated days (default 30)", default="30")
    _num(m, "--seed", SEED_HELP, default="1")
    _num(m, "--workers", "processes to use (default: automatic)")
    _sl_flags(m)


def _add_run(sub: argparse._SubParsersAction) -> None:
    presets = ", ".join(preset_names()) or "see data/scenarios/"
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
    _num(r, "--seed", SEED_HELP, default="1")
    _num(
        r,
        "--replications",
        "independent runs of the scenario (default 1; each one day, or --days days); above 1 the scorecard "
        "shows the mean ± 95%% CI and the share of runs that met each target",
        default="1",
    )
    _num(
        r,
        "--days",
        "days to simulate, a whole number from 1 to 92 (default: the scenario's horizon.days); with member "
        "journeys the report adds first-contact resolution over its look-back window",
    )
    _num(r, "--workers", "processes to use for replications (default: automatic)")
    r.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    r.add_argument(
        "--out",
        metavar="DIR",
        help="also write the logs: into folder DIR as contacts.csv, legs.csv and, with member journeys, "
        "issues.csv; or, for a name ending in .csv, the per-contact log alone (with --replications above 1: "
        "the first run's logs)",
    )


def _add_own_data(sub: argparse._SubParsersAction) -> None:
    pr = sub.add_parser(
        "profile",
        allow_abbrev=False,
        help="intraday profile and weekday factors of your ACD's interval counts",
        description="Read interval call counts as an ACD exports them (a time and a count per row; intervals "
        "of 1 to 60 minutes, with or without a time zone, missing intervals and closed days allowed) and print "
        "the days covered, mean calls per day, the intraday profile, weekday factors and the busiest interval.",
    )
    pr.add_argument("file", metavar="FILE", help="a CSV file of interval counts")
    pr.add_argument("--time-column", metavar="NAME", help="the column of interval start times (default: found by name)")
    pr.add_argument("--calls-column", metavar="NAME", help="the column of calls offered (default: found by name)")
    _num(pr, "--interval-min", "regroup into intervals of N minutes, a multiple of the file's (1-60)")
    pr.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    pr.add_argument("--out", metavar="FILE.csv", help="also write the profile as a CSV a scenario's arrivals accept")
    ca = sub.add_parser(
        "calibrate",
        allow_abbrev=False,
        help="measure your per-call records and write a scenario that reproduces them",
        description="Read per-call records (columns arrival, outcome = answered|abandoned, wait_s, handle_s and "
        "optionally agent), report handle time, patience, the staffing the waits imply and the observed service, "
        "and simulate the calibrated scenario beside the records.",
    )
    ca.add_argument("file", metavar="FILE", help="a CSV file of per-call records")
    ca.add_argument(
        "--column",
        action="append",
        metavar="NAME=THEIRS",
        help="your file's name for a column, e.g. --column arrival=CallStart (repeat for each)",
    )
    ca.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    ca.add_argument("--out", metavar="FILE.toml", help="also write the calibrated scenario (for `ccsim run`)")


def _add_launchers(sub: argparse._SubParsersAction) -> None:
    folder_help = (
        "a folder of labs to serve as it is (default: your own copy of the kit's labs in ./ccsim-labs, "
        "made on first use; your edits there are never overwritten)"
    )
    lab = sub.add_parser(
        "lab",
        allow_abbrev=False,
        help="open the labs in JupyterLab",
        description="Start JupyterLab on the labs and open lab 00. Other JupyterLab options are passed on "
        "as --Name=value (e.g. --no-browser). Stop it with Ctrl-C.",
    )
    lab.add_argument("folder", nargs="?", metavar="FOLDER", help=folder_help)
    _num(lab, "--port", "port to serve on (default: JupyterLab's, 8888 or the next free one)")
    workshop = sub.add_parser(
        "workshop",
        allow_abbrev=False,
        help="serve the labs in Voila (no code shown) for a projector or a room",
        description="Serve the labs in Voila on http://127.0.0.1:PORT: no code, no tracebacks, light theme. "
        "Other Voila options are passed on as --Name=value (e.g. --no-browser). Stop it with Ctrl-C.",
    )
    workshop.add_argument("folder", nargs="?", metavar="FOLDER", help=folder_help)
    _num(workshop, "--port", "port to serve on (default 8866)", default="8866")


def build_parser() -> argparse.ArgumentParser:
    """The ``ccsim`` argument parser."""
    p = Parser(
        prog="ccsim",
        allow_abbrev=False,
        description="Contact-center queueing: Erlang formulas, staffing and simulation, and the labs. "
        "Times in seconds.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")
    _add_erlang(sub)
    _add_staff(sub)
    _add_simulate(sub)
    _add_run(sub)
    _add_own_data(sub)
    _add_launchers(sub)
    return p
