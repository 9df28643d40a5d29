"""``ccsim profile``: the intraday profile and weekday factors of an ACD export of interval call counts.

The file is read as text and checked (:mod:`ccsim.calibration.profile`); a bad file is one sentence
naming the line and the column (exit code 2). ``--out`` writes the profile as a CSV a scenario's
``arrivals.profile`` accepts (atomically: a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from ccsim.calibration.profile import Profile, profile_csv, read_profile, scenario_lines
from ccsim.cli.args import CliError
from ccsim.cli.output import print_json, table
from ccsim.errors import CcsimInputError, check_number

__all__ = ["cmd_profile", "input_file", "out_file", "write_text_atomic"]


def input_file(raw: str) -> Path:
    """The FILE argument, checked to be a file."""
    path = Path(raw)
    if not path.is_file():
        raise CliError(f"FILE: {raw} is not a file; use the path of a CSV file")
    return path


def out_file(raw: str | None, suffix: str, example: str) -> Path | None:
    """The --out path, checked before any work: a name ending in ``suffix`` in a folder that exists."""
    if raw is None:
        return None
    path = Path(raw)
    if path.suffix.lower() != suffix or path.is_dir():
        raise CliError(f"--out: {raw} is not allowed; use a file name ending in {suffix}, e.g. {example}")
    if not path.parent.is_dir():
        raise CliError(f"--out: {raw} is not allowed; use a file in a folder that exists ({path.parent} does not)")
    return path


def write_text_atomic(text: str, path: Path, raw: str) -> None:
    """Write ``text`` to ``path`` all or nothing (a temporary file beside it, then a rename)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        raise CliError(f"--out: cannot write {raw} ({reason}); use a place you can write to") from None


def profile_text(p: Profile, name: str) -> str:
    """The table output of ``ccsim profile``."""
    closed = f", {len(p.closed_days)} without calls (closed)" if p.closed_days else ""
    lines = [
        f"Profile of {name}: {p.days} days from {p.first_day} ({p.first_weekday}), {p.open_days} with calls{closed}; "
        f"{p.interval_min}-minute intervals, {p.time(0)} for {p.hours:g} h.",
        f"Mean calls per day (days with calls): {p.calls_per_day_mean:,.1f}. "
        f"Busiest interval: {p.peak['time']} ({p.peak['calls_mean']:,.1f} calls on average).",
        "",
        table(
            "Weekday factors (mean calls that weekday / mean calls per day)",
            [("", "factor")] + [(day, f"{f:.3f}") for day, f in p.weekday_factors.items()],
        ),
        "",
        table(
            "Intraday profile (mean over the days with calls)",
            [("time", "calls", "share")]
            + [
                (p.time(k), f"{c:,.1f}", f"{s:.2%}")
                for k, (c, s) in enumerate(zip(p.calls_mean, p.shares, strict=True))
            ],
        ),
    ]
    return "\n".join(lines)


def cmd_profile(args: argparse.Namespace) -> int:
    """``ccsim profile FILE``: days, mean calls per day, intraday profile, weekday factors, busiest interval."""
    path = input_file(args.file)
    out = out_file(args.out, ".csv", "profile.csv")
    interval = None
    if args.interval_min is not None:
        try:
            interval = int(check_number("--interval-min", _float(args.interval_min), low=1, high=60, integer=True))
        except CcsimInputError as e:
            raise CliError(f"--interval-min: {args.interval_min} is not allowed; use {e.allowed}") from None
    try:
        p = read_profile(
            path, time_column=args.time_column or "", calls_column=args.calls_column or "", interval_min=interval
        )
    except CcsimInputError as e:
        raise CliError(str(e)) from None
    if out is not None:
        write_text_atomic(profile_csv(p, out, args.file), out, args.out)
    if args.json:
        print_json({"command": "profile", "source": args.file, **p.to_json(), "out": None if out is None else str(out)})
    else:
        print(profile_text(p, path.name))
    if out is not None:
        print(f"Wrote the profile to {out}; a scenario uses it with:", file=sys.stderr)
        for line in scenario_lines(p, out.name):
            print(f"  {line}", file=sys.stderr)
    return 0


def _float(raw: str) -> object:
    try:
        return float(raw)
    except ValueError:
        return raw
