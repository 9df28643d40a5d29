"""Per-call records (one row per call that reached the queue) read from a center's CSV export.

Columns (their names in the file may differ: ``columns={"arrival": "CallStart", ...}``):

- ``arrival``: when the caller reached the queue, a date and time (with or without a time zone),
  rows sorted by it;
- ``outcome``: ``answered`` or ``abandoned`` (any capitalisation);
- ``wait_s``: seconds in the queue: until an agent answered, or until the caller hung up;
- ``handle_s``: talk plus wrap-up seconds of an answered call (blank or 0 for an abandoned one);
- ``agent`` (optional): who answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccsim.calibration.reading import FileProblem, Table, column, numbers, read_table, timestamps
from ccsim.errors import CcsimInputError

__all__ = ["COLUMNS", "OUTCOMES", "CallRecords", "read_records"]

COLUMNS = ("arrival", "outcome", "wait_s", "handle_s", "agent")
"""The record columns; all but ``agent`` are required."""
OUTCOMES = ("answered", "abandoned")
WHAT = "one row per call (arrival, outcome, wait_s, handle_s)"


@dataclass
class CallRecords:
    """The calls of a file, in arrival order. Times in seconds; ``minute`` is the arrival's minute of the (local) day."""

    minute: np.ndarray
    day: np.ndarray
    """Day number of each arrival, 0 = the first date of the file."""
    answered: np.ndarray
    wait_s: np.ndarray
    handle_s: np.ndarray
    agent: np.ndarray | None
    first_day: pd.Timestamp
    name: str

    def __len__(self) -> int:
        return len(self.minute)

    @property
    def days(self) -> int:
        """Days covered, from the first date to the last."""
        return int(self.day.max()) + 1


def _mapping(table: Table, columns: Mapping[str, str]) -> dict[str, str]:
    unknown = [k for k in columns if k not in COLUMNS]
    if unknown:
        raise CcsimInputError(
            "--column", f"{unknown[0]}={columns[unknown[0]]}", f"NAME=THEIRS with NAME one of {', '.join(COLUMNS)}"
        )
    found: dict[str, str] = {}
    for name in COLUMNS:
        wanted = columns.get(name, "")
        present = name in table.frame.columns or name in {c.lower() for c in table.frame.columns}
        if name == "agent" and not wanted and not present:
            continue
        try:
            found[name] = column(table, wanted, f"--column {name}=THEIRS", (name,))
        except FileProblem as e:
            if wanted:
                raise
            have = ", ".join(table.frame.columns)
            raise FileProblem(
                f"{table.name} line {table.skipped + 1}",
                "",
                "",
                f"no column {name!r} (the header has {have}); name yours with --column {name}=THEIRS",
            ) from e
    return found


def _outcomes(table: Table, col: str) -> np.ndarray:
    words = table.frame[col].str.strip().str.lower()
    answered = (words == "answered").to_numpy()
    bad = ~answered & (words != "abandoned").to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise FileProblem(table.where(row, col), table.frame[col].iloc[row], "answered or abandoned")
    return answered


def read_records(path: str | Path, columns: Mapping[str, str] | None = None) -> CallRecords:
    """Read and check per-call records (see the module docstring); any problem is one :class:`FileProblem` sentence."""
    table = read_table(path, WHAT)
    cols = _mapping(table, columns or {})
    minute, day, first = timestamps(table, cols["arrival"], strictly=False)
    answered = _outcomes(table, cols["outcome"])
    wait = numbers(table, cols["wait_s"], "seconds in the queue, 0 or more")
    handle = numbers(
        table, cols["handle_s"], "seconds of talk and wrap-up, 0 or more (blank for an abandoned call)", blank=0.0
    )
    no_talk = answered & (handle <= 0)
    if no_talk.all():
        raise FileProblem(
            table.name,
            "",
            "",
            "no answered call has a handle time above 0; use records with handle_s of the answered calls",
        )
    agent = None
    if "agent" in cols:
        agent = table.frame[cols["agent"]].str.strip().to_numpy()
    return CallRecords(minute, day, answered, wait, handle, agent, first, table.name)
