"""Reading a center's own CSV exports: text only, checked cell by cell, never executed.

Every problem is one sentence naming the file, the line (counted as an editor shows it, the header
is line 1) and the column, in the style of :mod:`ccsim.errors`, e.g.
``acd.csv line 7, column calls: 'n/a' is not allowed; use a whole number of calls, 0 or more``.
Files are read by pandas' C parser as text, then converted column by column (vectorised), so a
million rows load in about a second; the slow search for the offending line runs only on an error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError

__all__ = ["FileProblem", "Table", "numbers", "read_table", "timestamps"]

_SNIFF_BYTES = 65_536
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


class FileProblem(CcsimInputError):
    """A CSV that cannot be used: ``str(error)`` is one sentence naming the file, the line and the column."""

    def __init__(self, field: str, value: object, allowed: str, sentence: str | None = None):
        super().__init__(field, value, allowed)
        if sentence is not None:
            self.args = (f"{field}: {sentence}",)


@dataclass
class Table:
    """A CSV read as text: its ``frame`` (one str column per header name), its name for sentences, its path."""

    frame: pd.DataFrame
    name: str
    path: Path
    skipped: int
    """Comment lines (``#``) above the header."""

    def where(self, row: int, column: str) -> str:
        """``'file line N, column C'`` for data row ``row`` (0-based)."""
        return f"{self.name} line {self.line_of(row)}, column {column}"

    def line_of(self, row: int) -> int:
        """The line in the file (1 = the first line) of data row ``row`` (0-based): blank lines counted."""
        with open(self.path, encoding="utf-8", errors="replace", newline="") as f:
            seen = -1  # the header
            for n, line in enumerate(f, start=1):
                if n <= self.skipped or not line.strip():
                    continue
                if seen == row:
                    return n
                seen += 1
        return row + 2 + self.skipped  # pragma: no cover - the row exists


def _text(path: Path, name: str, what: str) -> tuple[str, int]:
    """The encoding to read ``path`` with and the count of leading comment lines; refuses empty and binary files."""
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        raise FileProblem(name, str(path), "", f"cannot be read ({reason}); use a CSV file you can read") from None
    if not head.strip():
        raise FileProblem(name, "", "", f"the file is empty; use a CSV with a header line and {what}")
    if b"\x00" in head:
        raise FileProblem(name, "", "", "the file holds binary data, not text; use a CSV exported as text")
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as e:
        encoding = "utf-8-sig" if e.start > len(head) - 4 else "cp1252"  # a character cut at the sniff's end
    lines = head.decode(encoding, errors="replace").splitlines()
    skipped = 0
    for line in lines:
        if line.lstrip().startswith("#") or not line.strip():
            skipped += 1
        else:
            break
    return encoding, skipped


def _parser_problem(name: str, message: str) -> FileProblem:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        want, line, saw = m.groups()
        return FileProblem(
            f"{name} line {line}",
            "",
            "",
            f"{saw} values where the header has {want} columns; use one value per column (quote values with commas)",
        )
    return FileProblem(name, "", "", f"is not a readable CSV ({message.strip().splitlines()[0]}); use a plain CSV")


def read_table(path: str | Path, what: str) -> Table:
    """``path`` as a :class:`Table` of text cells; ``what`` says what a row is (for the empty-file sentence)."""
    path = Path(path)
    name = path.name
    encoding, skipped = _text(path, name, what)
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            skiprows=skipped,
            skip_blank_lines=True,
            encoding=encoding,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise FileProblem(name, "", "", f"the file is empty; use a CSV with a header line and {what}") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise _parser_problem(name, str(e)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise FileProblem(name, "", "", f"the file has a header but no rows; use a CSV with {what}")
    return Table(frame, name, path, skipped)


def column(table: Table, wanted: str, flag: str, choices: Sequence[str] = ()) -> str:
    """The header name of the column ``wanted`` (or of the first of ``choices`` present when ``wanted`` is empty)."""
    names = list(table.frame.columns)
    lower = {c.lower(): c for c in names}
    if wanted:
        if wanted in names:
            return wanted
        if wanted.lower() in lower:
            return lower[wanted.lower()]
        have = ", ".join(names)
        raise FileProblem(
            f"{table.name} line {table.skipped + 1}",
            wanted,
            "",
            f"no column named {wanted!r}; use {flag} with one of the header's columns ({have})",
        )
    for c in choices:
        if c in lower:
            return lower[c]
    have = ", ".join(names)
    raise FileProblem(
        f"{table.name} line {table.skipped + 1}",
        "",
        "",
        f"none of the columns ({have}) is one of {', '.join(choices)}; name yours with {flag}",
    )


def numbers(table: Table, col: str, allowed: str, *, low: float = 0.0, blank: float | None = None) -> np.ndarray:
    """Column ``col`` as floats of at least ``low``; text, a blank (unless ``blank`` fills it) or a smaller number is a :class:`FileProblem`."""
    raw = table.frame[col].str.strip()
    if blank is not None:
        raw = raw.mask(raw == "", str(blank))
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < low)
    if bad.any():
        row = int(np.argmax(bad))
        raise FileProblem(table.where(row, col), raw.iloc[row], allowed)
    return values


def _first_bad(parsed: pd.Series) -> int | None:
    bad = parsed.isna().to_numpy()
    return int(np.argmax(bad)) if bad.any() else None


def _parse(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(wall-clock times as written, times for ordering: UTC when offsets are given) of ISO or other dates."""
    try:
        parsed = pd.to_datetime(raw, format="ISO8601")
    except (ValueError, TypeError) as e:
        if "time zone" in str(e).lower() or "timezone" in str(e).lower() or "utc=True" in str(e):
            absolute = pd.to_datetime(raw, format="ISO8601", utc=True)
            wall = pd.to_datetime(raw.str.replace(_OFFSET, "", regex=True), format="ISO8601")
            return wall, absolute
        parsed = pd.to_datetime(raw, errors="coerce")  # one format, inferred from the first value
        if parsed.isna().any():
            return parsed, parsed
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_localize(None), parsed.dt.tz_convert("UTC")
    return parsed, parsed


def timestamps(table: Table, col: str, *, strictly: bool) -> tuple[np.ndarray, np.ndarray, pd.Timestamp]:
    """Column ``col`` as (wall-clock minute of the day, day number 0, 1, ... from the first date, the first date).

    Times with an offset (``+02:00``, ``Z``) keep the local time written; the order is checked on the
    instants. ``strictly``: a time equal to the one before is a duplicate (interval rows); otherwise
    only a time earlier than the one before is refused (calls may arrive in the same second).
    """
    raw = table.frame[col].str.strip()
    allowed = "a date and time such as 2026-03-02 08:30 (with or without a time zone)"
    try:
        wall, absolute = _parse(raw)
    except (ValueError, TypeError, OverflowError):
        wall = absolute = pd.to_datetime(raw, errors="coerce", format="mixed")
    row = _first_bad(wall)
    if row is None:
        row = _first_bad(absolute)
    if row is not None:
        raise FileProblem(table.where(row, col), raw.iloc[row], allowed)
    ns = absolute.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    step = np.diff(ns)
    bad = step <= 0 if strictly else step < 0
    if bad.any():
        row = int(np.argmax(bad)) + 1
        same = step[row - 1] == 0
        what = "the same time as the row before (a duplicate)" if same else "earlier than the row before"
        raise FileProblem(
            table.where(row, col),
            raw.iloc[row],
            "",
            f"{raw.iloc[row]!r} is {what}; use one row per {'interval' if strictly else 'call'}, sorted by time",
        )
    w = wall.to_numpy(dtype="datetime64[ns]")
    days = w.astype("datetime64[D]")
    minutes = (w - days).astype(np.int64) / 60e9
    day = (days - days.min()).astype(np.int64)
    return minutes, day, pd.Timestamp(days.min())
