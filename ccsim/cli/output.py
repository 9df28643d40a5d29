"""What the command line prints and writes: tables, the JSON report (one vocabulary), atomic CSV files and folders.

Every command's ``--json`` names the same things the same way, at the top level: the keys of
:data:`ccsim.metrics.registry.REPORT_KEYS` (null where the command has no such number), any other
KPI of the registry it knows, and ``ci95``: an object with the same KPI keys (half-widths of the
95% confidence intervals) when there are replications, else null.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ccsim.cli.args import CliError
from ccsim.metrics.registry import KPIS, REPORT_KEYS

__all__ = ["kpi_fields", "out_path", "print_json", "print_warnings", "table", "write_csv_atomic", "write_tables_atomic"]


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def json_ready(obj: Any) -> Any:
    """``obj`` with NaN and infinity as None (null), tuples as lists, numpy scalars as plain numbers."""
    if isinstance(obj, Mapping):
        return {k: json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int) and not hasattr(obj, "dtype"):
        return obj
    if hasattr(obj, "item"):  # a numpy scalar
        return json_ready(obj.item())
    if isinstance(obj, float):
        return _finite(obj)
    return obj


def print_json(obj: Mapping[str, Any]) -> None:
    """One JSON object on stdout (no NaN: missing and infinite numbers are null)."""
    print(json.dumps(json_ready(obj), allow_nan=False))


def kpi_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The KPIs of a report in the registry's order: every :data:`REPORT_KEYS` key (None when absent),
    then any other registry KPI in ``values``."""
    return {key: values.get(key) for key in KPIS if key in REPORT_KEYS or key in values}


def print_warnings(messages: Sequence[str]) -> None:
    """Each sentence once, on stderr."""
    for message in dict.fromkeys(messages):
        print(message, file=sys.stderr)


def table(title: str, rows: Sequence[Sequence[str]]) -> str:
    """A plain table: ``title``, then rows with the first column left-aligned and the rest right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [title]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  " + "   ".join(cells).rstrip())
    return "\n".join(lines)


def write_csv_atomic(frame: Any, path: str | os.PathLike[str]) -> Path:
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
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _write_csv(frame: Any, path: Path) -> None:
    """``frame`` as CSV at ``path`` (a new file, the umask's permissions), flushed to disk."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        frame.to_csv(f, index=False)
        f.flush()
        os.fsync(f.fileno())


def write_tables_atomic(tables: Mapping[str, Any], folder: str | os.PathLike[str]) -> Path:
    """Write each DataFrame of ``tables`` as ``<name>.csv`` into ``folder``, all or nothing.

    Every file is written first into a temporary folder beside them (on the same disk); a new
    ``folder`` is that temporary folder renamed, an existing one gets each file by a rename. On any
    failure (a full disk, no permission, Ctrl-C) the temporary folder is removed: ``folder`` is left
    as it was, never with half a file (files of ``folder`` with other names are never touched).
    """
    folder = Path(folder)
    fresh = not folder.exists()
    staging = Path(
        tempfile.mkdtemp(prefix=f".{folder.name or 'out'}.", suffix=".tmp", dir=folder.parent if fresh else folder)
    )
    try:
        for name, frame in tables.items():
            _write_csv(frame, staging / f"{name}.csv")
        if fresh:
            os.chmod(staging, 0o777 & ~_umask())  # the usual permissions, not mkdtemp's 0700
            os.rename(staging, folder)
        else:
            for name in tables:
                os.replace(staging / f"{name}.csv", folder / f"{name}.csv")
            staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def is_csv_name(path: Path) -> bool:
    """Whether --out names one CSV file (the contacts log) rather than a folder of tables."""
    return path.suffix.lower() == ".csv"


def out_path(raw: str | None) -> Path | None:
    """The --out path, checked before simulating: a file ending in .csv in a folder that exists, or a
    folder (made if missing, inside one that exists)."""
    if raw is None:
        return None
    path = Path(raw)
    if raw.strip() == "":
        raise CliError(
            f"--out: {raw!r} is not allowed; use a folder such as results, or a file name such as contacts.csv"
        )
    if is_csv_name(path) and path.is_dir():
        raise CliError(
            f"--out: {raw} is not allowed; it is a folder, so use a name without .csv for a folder of tables"
        )
    if not is_csv_name(path) and path.exists() and not path.is_dir():
        raise CliError(f"--out: {raw} is not allowed; it is a file, so use a folder, or a file name ending in .csv")
    folder = path.parent
    if not folder.is_dir():
        what = "a file" if is_csv_name(path) else "a folder"
        raise CliError(f"--out: {raw} is not allowed; use {what} in a folder that exists ({folder} does not)")
    return path
