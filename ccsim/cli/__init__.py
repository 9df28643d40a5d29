"""Command line: ``ccsim erlang``, ``staff``, ``simulate``, ``run``, ``profile``, ``calibrate``, ``lab``, ``workshop`` (also ``python -m ccsim``).

Times are seconds; ``--calls`` is calls per ``--interval`` seconds, ``--calls-per-hour`` is per hour.
Bad flags or values give exit code 2 and one plain sentence on stderr, never a traceback; warnings
(an overloaded center, an unstable queue) are sentences on stderr, each once.

Example::

    ccsim erlang --calls 100 --interval 1800 --aht 180 --agents 14 --answer-within 20
    ccsim staff --calls 100 --aht 180 --target-sl 0.8 --shrinkage 0.3 --json
    ccsim simulate --calls-per-hour 427.5 --aht 400 --agents 50 --patience 300 --hours 8 --replications 200
    ccsim run classroom
    ccsim run data/scenarios/member_services_network.toml --replications 10 --out contacts.csv
    ccsim run one_and_done_before --days 60 --json --out results
    ccsim profile data/samples/acd_intervals.csv --interval-min 30 --out profile.csv
    ccsim calibrate data/samples/call_records.csv --out calibrated.toml
    ccsim lab
    ccsim workshop --port 8866

Modules: :mod:`~ccsim.cli.args` (flags, ranges, sentences), :mod:`~ccsim.cli.parser`,
:mod:`~ccsim.cli.output` (tables, the JSON report, atomic CSV), :mod:`~ccsim.cli.formulas` (erlang,
staff), :mod:`~ccsim.cli.simulate`, :mod:`~ccsim.cli.run`, :mod:`~ccsim.cli.profile`, :mod:`~ccsim.cli.calibrate`
(your own data: :mod:`ccsim.calibration`), :mod:`~ccsim.cli.launch` (lab, workshop).
A command's module is imported only when that command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from ccsim.cli.args import INTERVAL_S, CliError, from_api_error, join_negative_values
from ccsim.cli.output import write_csv_atomic
from ccsim.cli.parser import build_parser
from ccsim.errors import CcsimInputError

__all__ = ["INTERVAL_S", "CliError", "build_parser", "main", "write_csv_atomic"]

COMMANDS = {
    "erlang": ("ccsim.cli.formulas", "cmd_erlang"),
    "staff": ("ccsim.cli.formulas", "cmd_staff"),
    "simulate": ("ccsim.cli.simulate", "cmd_simulate"),
    "run": ("ccsim.cli.run", "cmd_run"),
    "profile": ("ccsim.cli.profile", "cmd_profile"),
    "calibrate": ("ccsim.cli.calibrate", "cmd_calibrate"),
    "lab": ("ccsim.cli.launch", "cmd_lab"),
    "workshop": ("ccsim.cli.launch", "cmd_workshop"),
}
"""Command → (module, function); the module is imported when the command runs."""

PASS_ON = ("lab", "workshop")
"""Commands that pass options they do not know on to the program they start (JupyterLab, Voila)."""


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    module, function = COMMANDS[name]
    command: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return command


def _parse(words: list[str]) -> argparse.Namespace:
    args, extra = build_parser().parse_known_args(join_negative_values(words))
    if args.command in PASS_ON:
        args.app_options = extra
    elif extra:
        raise CliError(
            f"{extra[0]}: not an option of `ccsim {args.command}`; see `ccsim {args.command} --help` for the options"
        )
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ccsim`` command line with ``argv`` (default: sys.argv[1:]); return the exit code."""
    try:
        args = _parse(list(sys.argv[1:] if argv is None else argv))
        code = _command(args.command)(args)
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
        print(str(from_api_error(e)), file=sys.stderr)
        return 2
    except SystemExit as e:  # --help, or JupyterLab / Voila ending with a code or a message
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
        return e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
