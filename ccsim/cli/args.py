"""The command line's flags: allowed ranges, reading and checking values, one-sentence errors (exit code 2).

Every number flag is read as text and checked against its rule in :data:`RULES`, so a typo, a
negative count and a value out of range all get the same kind of sentence:
``--agents: -3 is not allowed; use a whole number from 1 to 5000``.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition
from ccsim.errors import CcsimInputError, check_number

__all__ = [
    "INTERVAL_S",
    "RULES",
    "SL_CHOICES",
    "CliError",
    "Parser",
    "allowed",
    "from_api_error",
    "join_negative_values",
    "number",
    "preset_names",
    "sl_definition",
]

INTERVAL_S = 1800.0
"""The simulation's interval (s): --calls-per-hour is converted to calls per 30 minutes."""

SL_CHOICES = "offered|exclude-short-abandons|answered|answered-or-abandoned-within"

DAY_S = 86_400
# Upper bounds keep every command's memory and time bounded (a day of seconds for times, a million
# calls per interval or hour); `simulate` also refuses more than the engine's MAX_EXPECTED_CALLS a day.
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
    "--days": dict(low=1, high=92, integer=True),  # the scenario's horizon.days (ccsim.scenario.tables.MAX_DAYS)
    "--seed": dict(low=0, high=2**63 - 1, integer=True),
    "--workers": dict(low=1, high=1024, integer=True),
    "--port": dict(low=1, high=65_535, integer=True),
}
"""Number flag → its allowed range (keyword arguments of :func:`ccsim.errors.check_number`)."""

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
    "horizon.days": "--days",
    "seed": "--seed",
    "workers": "--workers",
}
"""A library error's field → the flag the learner typed."""

COMMANDS = ("erlang", "staff", "simulate", "run", "profile", "calibrate", "lab", "workshop")


class CliError(Exception):
    """One plain sentence for stderr; exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse that raises :class:`CliError` with one sentence instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(_sentence_for_argparse(self, message))


def preset_names() -> list[str]:
    """The preset scenarios' names, or [] when the kit's data folder cannot be found (help still works)."""
    try:
        from ccsim.scenario import list_presets

        return list_presets()
    except Exception:
        return []


def allowed(flag: str) -> str:
    """What ``flag`` accepts, in words (for 'use ...' in an error sentence)."""
    if flag == "--sl-definition":
        return f"one of {SL_CHOICES}"
    if flag == "command":
        return f"one of {', '.join(COMMANDS)} (try ccsim --help)"
    if flag == "scenario":
        return f"a scenario TOML file or a preset name ({', '.join(preset_names()) or 'see data/scenarios/'})"
    if flag in RULES:
        try:
            check_number(flag, "?", **RULES[flag])
        except CcsimInputError as e:
            return plain(e.allowed)
    return "a value (see --help)"


def _sentence_for_argparse(parser: argparse.ArgumentParser, message: str) -> str:
    m = re.match(r"the following arguments are required: (.*)", message)
    if m:
        flag = m.group(1).split(",")[0].strip()
        if flag == "command" or flag.startswith("{"):
            return f"command: none given; use {allowed('command')}"
        if flag == "scenario":
            return f"scenario: none given; use {allowed('scenario')}"
        return f"{flag}: missing; give {flag} with {allowed(flag)}"
    m = re.match(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
    if m:
        flag = m.group(1)
        return f"{flag}: no value given; use {allowed(flag)}"
    m = re.match(r"argument (\S+): invalid choice: '?([^' ]*)'?", message)
    if m:
        flag = "command" if m.group(1) == "command" or m.group(1).startswith("{") else m.group(1)
        return f"{flag}: {m.group(2)} is not allowed; use {allowed(flag)}"
    m = re.match(r"unrecognized arguments: (.*)", message)
    if m:
        word = m.group(1).split()[0]
        return f"{word}: not an option of `{parser.prog}`; see `{parser.prog} --help` for the options"
    return f"{parser.prog}: {message.rstrip('.')}"


def plain(text: str) -> str:
    """``text`` with large whole numbers written out ('1e+06' → '1,000,000') for a learner."""
    return re.sub(r"\b\d+(?:\.\d+)?e\+\d+\b", lambda m: f"{float(m.group()):,.0f}", text)


def number(args: argparse.Namespace, flag: str) -> Any:
    """The value of a number flag, checked against its rule (a float, or an int for whole-number flags); None when not given."""
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
        raise CliError(f"{flag}: {raw} is not allowed; use {plain(e.allowed)}") from None


def sl_definition(args: argparse.Namespace) -> SLDefinition:
    """The --sl-definition flag as an :class:`SLDefinition`."""
    try:
        return parse_sl_definition(args.sl_definition, "--sl-definition")
    except CcsimInputError:
        raise CliError(f"--sl-definition: {args.sl_definition} is not allowed; use one of {SL_CHOICES}") from None


def from_api_error(e: CcsimInputError) -> CliError:
    """A library input error as the CLI's sentence, naming the flag instead of the parameter."""
    flag = FIELD_TO_FLAG.get(e.field, e.field)
    return CliError(f"{flag}: {e.value} is not allowed; use {e.allowed}")


def join_negative_values(argv: list[str]) -> list[str]:
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
