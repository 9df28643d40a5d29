"""``ccsim calibrate``: measure a center's per-call records, write a scenario that reproduces them, and compare.

The records are read as text and checked (:mod:`ccsim.calibration.records`); the estimates and
their methods are in :mod:`ccsim.calibration.estimate`; the scenario and its simulation beside the
records in :mod:`ccsim.calibration.calibrated`. The comparison simulates the calibrated scenario
once with seed 1 (the staffing factor was fitted on seed 0).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ccsim.calibration.calibrated import Comparison, compare, fit_staffing, scenario_toml
from ccsim.calibration.estimate import ANSWER_WITHIN_S, PATIENCE_METHOD, STAFFING_METHOD, Calibration, calibrate
from ccsim.calibration.records import COLUMNS, read_records
from ccsim.cli.args import CliError
from ccsim.cli.output import print_json, table
from ccsim.cli.profile import input_file, out_file, write_text_atomic
from ccsim.errors import CcsimInputError

__all__ = ["cmd_calibrate", "column_map"]

COMPARE_SEED = 1


def column_map(pairs: list[str] | None) -> dict[str, str]:
    """``--column NAME=THEIRS`` flags as {NAME: THEIRS}; NAME is one of the record columns."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, theirs = pair.partition("=")
        name, theirs = name.strip(), theirs.strip()
        if not sep or name not in COLUMNS or not theirs:
            raise CliError(
                f"--column: {pair} is not allowed; use NAME=THEIRS with NAME one of {', '.join(COLUMNS)}, "
                "e.g. --column arrival=CallStart"
            )
        out[name] = theirs
    return out


def _measured(c: Calibration) -> str:
    h, p = c.handle, c.profile
    ll = ", ".join(f"{k} {v:.3f}" for k, v in h.loglik_per_call.items())
    patience = (
        "none: no caller hung up" if c.patience_mean_s is None else f"mean {c.patience_mean_s:,.1f} s, exponential"
    )
    rows = [
        ("Calls offered", f"{c.calls:,}"),
        ("Days covered (with calls)", f"{c.days} ({p.open_days}) from {p.first_day}"),
        ("Mean calls per day with calls", f"{p.calls_per_day_mean:,.1f}"),
        (f"Service level (answered within {ANSWER_WITHIN_S:g} s / offered)", f"{c.service_level:.1%}"),
        ("ASA (mean wait of answered calls)", f"{c.asa_s:,.1f} s"),
        ("Abandonment (abandoned / offered)", f"{c.abandonment_rate:.2%}"),
        ("Handle time", f"mean {h.mean_s:,.1f} s, cv {h.cv:.2f}, fits {h.kind}"),
        ("Patience", patience),
    ]
    text = table(f"Measured in {c.name}", rows)
    if ll:
        text += f"\nHandle-time fit: log-likelihood per call {ll} (the higher fits better)."
    if c.patience_mean_s is not None:
        km = "" if c.patience_median_km_s is None else f": the median is {c.patience_median_km_s:,.0f} s"
        text += (
            f"\nPatience: {PATIENCE_METHOD}{km} (an exponential with that mean: {0.693 * c.patience_mean_s:,.0f} s)."
        )
    return text


def _staffing(c: Calibration) -> str:
    p = c.profile
    head = ("time", "calls", "agents on the phones") + (() if c.agents_seen is None else ("agents seen",))
    rows: list[tuple[str, ...]] = [head]
    for k, a in enumerate(c.agents):
        row = (p.time(k), f"{p.calls_mean[k]:,.1f}", f"{a:,.1f}")
        rows.append(row + (() if c.agents_seen is None else (f"{c.agents_seen[k]:,.1f}",)))
    text = table("Agents per interval (mean over the days with calls)", rows)
    text += f"\nAgents on the phones: {STAFFING_METHOD} (factor {c.staffing_scale:.3f})."
    if c.seen_mean is not None:
        text += (
            f"\nThe records name {c.seen_mean:,.1f} agents per interval on average, the waits imply {c.staffed_mean:,.1f}"
            " on the phones: an agent who took a call in an interval was not necessarily on the phones all of it."
        )
    return text


def _comparison(cmp: Comparison) -> str:
    o, s = cmp.observed, cmp.simulated
    fmt = {
        "calls": ("Calls offered", lambda x: f"{x:,.0f}"),
        "service_level": (f"Service level ({ANSWER_WITHIN_S:g} s)", lambda x: f"{x:.1%}"),
        "asa_s": ("ASA", lambda x: f"{x:,.1f} s"),
        "abandonment_rate": ("Abandonment", lambda x: f"{x:.2%}"),
        "aht_s": ("AHT", lambda x: f"{x:,.1f} s"),
    }
    rows = [("", "records", "simulation")] + [(label, f(o[k]), f(s[k])) for k, (label, f) in fmt.items()]
    return table(f"The calibrated scenario simulated (seed {cmp.seed}, {cmp.days} days) beside the records", rows)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``ccsim calibrate FILE``: what the records measure, the staffing they imply, and the calibrated scenario's simulation."""
    path = input_file(args.file)
    columns = column_map(args.column)
    out = out_file(args.out, ".toml", "scenario.toml")
    try:
        c = fit_staffing(calibrate(read_records(path, columns)))
        toml = scenario_toml(c, args.file)
        cmp = compare(c, toml, seed=COMPARE_SEED)
    except CcsimInputError as e:
        raise CliError(str(e)) from None
    if out is not None:
        write_text_atomic(toml, out, args.out)
    if args.json:
        report: dict[str, Any] = {"command": "calibrate", "source": args.file, **c.to_json()}
        report["comparison"] = cmp.to_json()
        report["out"] = None if out is None else str(out)
        print_json(report)
    else:
        print(_measured(c))
        print()
        print(_staffing(c))
        print()
        print(_comparison(cmp))
    if out is not None:
        print(f"Wrote the calibrated scenario to {out}; simulate it with `ccsim run {out}`.", file=sys.stderr)
    return 0
