"""Reading scenario files: the kit's data folder, presets, TOML, ``extends`` merging and intraday profiles.

>>> "classroom" in list_presets()
True
>>> rows = load_profile("weekday_double_peak_0600_1900.csv")
>>> rows[0][0], round(sum(share for _, share in rows), 6)
('06:00', 1.0)
"""

from __future__ import annotations

import csv
import math
import tomllib
from pathlib import Path
from typing import Any

import ccsim
from ccsim.errors import ScenarioError
from ccsim.scenario.fields import parse_time
from ccsim.scenario.messages import plain_error

__all__ = [
    "MAX_EXTENDS_DEPTH",
    "data_dir",
    "deep_merge",
    "is_file",
    "list_presets",
    "load_profile",
    "preset_path",
    "read_toml",
    "resolve_extends",
    "toml_where",
]

MAX_EXTENDS_DEPTH = 5
"""Most ``extends`` followed one after another from one scenario."""
PROFILE_FIELD = "arrivals.profile"

# ----------------------------------------------------------------------------------------------
# where the data lives


def data_dir() -> Path:
    """The kit's data folder: ``ccsim/data`` when installed from a wheel, else ``data/`` beside ``ccsim/`` in a checkout."""
    package = Path(ccsim.__file__).resolve().parent
    for d in (package / "data", package.parent / "data"):
        if d.is_dir():
            return d
    raise plain_error(
        "data_dir",
        str(package / "data"),
        f"data_dir: the kit's data folder is missing (neither {package / 'data'} nor {package.parent / 'data'} exists); "
        "reinstall ccsim (pip install .) or use a checkout of the kit",
    )


def _presets_dir() -> Path:
    return data_dir() / "scenarios"


def list_presets() -> list[str]:
    """Names of the preset scenarios in ``data/scenarios/`` (file names without ``.toml``), sorted."""
    return sorted(p.stem for p in _presets_dir().glob("*.toml"))


def preset_path(name: str) -> Path:
    """The file of preset ``name`` (``.toml`` optional); a ScenarioError naming the presets if there is none."""
    path = _presets_dir() / f"{str(name).removesuffix('.toml')}.toml"
    if not is_file(path):
        raise ScenarioError("preset", name, f"one of {', '.join(list_presets())}")
    return path


def is_file(p: Path) -> bool:
    """``p.is_file()``, False for paths the system refuses (a NUL byte, an over-long name)."""
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


# ----------------------------------------------------------------------------------------------
# TOML and extends


def read_toml(path: Path) -> dict[str, Any]:
    """The tables of a TOML file; one-sentence errors for a missing, unreadable or invalid file."""
    if not is_file(path):
        raise plain_error("scenario file", path, f"{path}: no such scenario file")
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise plain_error("scenario file", path, f"{path}: not valid TOML ({toml_where(e)})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise plain_error("scenario file", path, f"{path}: cannot be read ({e.__class__.__name__})") from None


def toml_where(e: tomllib.TOMLDecodeError) -> str:
    """'line 3, column 7: Invalid value' from tomllib's 'Invalid value (at line 3, column 7)'."""
    msg = str(e)
    if msg.endswith(")") and "(at line" in msg:
        reason, _, where = msg.rpartition(" (at ")
        return f"{where.rstrip(')')}: {reason}"
    return msg


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key (recursively); everything else, arrays included, is replaced."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def resolve_extends(data: dict[str, Any], base_dir: Path | None, chain: list[Path], depth: int = 0) -> dict[str, Any]:
    """``data`` merged over the scenario it ``extends`` (a file beside it, or a preset), recursively.

    ``chain`` holds the files already on the way (to refuse loops); ``depth`` counts the ``extends``
    already followed (at most :data:`MAX_EXTENDS_DEPTH`).
    """
    if "extends" not in data:
        return data
    target = data["extends"]
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError("extends", target, "the file name of another scenario, e.g. 'member_services_network.toml'")
    candidates = [base_dir / target] if base_dir is not None else []
    candidates += [_presets_dir() / target, _presets_dir() / f"{target}.toml"]
    path = next((p for p in candidates if is_file(p)), None)
    if path is None:
        raise ScenarioError(
            "extends", target, f"a scenario file beside this one or a preset ({', '.join(list_presets())})"
        )
    if path.resolve() in chain:
        raise ScenarioError("extends", target, "a scenario that does not extend itself (directly or in a loop)")
    if depth >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            "extends", target, f"at most {MAX_EXTENDS_DEPTH} nested extends (this one would be number {depth + 1})"
        )
    parent = resolve_extends(read_toml(path), path.parent, [*chain, path.resolve()], depth + 1)
    child = {k: v for k, v in data.items() if k != "extends"}
    return deep_merge(parent, child)


# ----------------------------------------------------------------------------------------------
# intraday profiles


def _profile_path(name: str, base_dir: str | Path | None) -> Path:
    candidates = [Path(base_dir) / name] if base_dir is not None else []
    candidates.append(data_dir() / "profiles" / name)
    path = next((p for p in candidates if is_file(p)), None)
    if path is None:
        have = ", ".join(sorted(p.name for p in (data_dir() / "profiles").glob("*.csv")))
        raise ScenarioError(PROFILE_FIELD, name, f"'flat' or a CSV in data/profiles/ ({have}) or beside the scenario")
    return path


def _profile_row(name: str, line: int, row: dict[str, Any]) -> tuple[str, float]:
    """One row ``(interval_start, share)``; ``line`` is its line in the file (comments and blanks counted)."""
    start = parse_time(row["interval_start"], f"{name} line {line} interval_start")
    try:
        share = float(row["share"])
    except (TypeError, ValueError):
        share = math.nan
    if not math.isfinite(share) or share < 0:
        raise ScenarioError(f"{name} line {line} share", row["share"], "a number of at least 0")
    return start, share


def load_profile(name: str, base_dir: str | Path | None = None) -> list[tuple[str, float]]:
    """Rows ``(interval_start "HH:MM", share)`` of an intraday profile CSV (columns ``interval_start,share``).

    ``name`` is a path relative to ``base_dir`` (the scenario's folder) or a file in ``data/profiles/``.
    Lines starting with ``#`` and blank lines are skipped. Shares are weights: they are divided by
    their total when used.
    """
    path = _profile_path(name, base_dir)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            kept = [(n, ln) for n, ln in enumerate(f, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
        reader = csv.DictReader(ln for _, ln in kept)
        if reader.fieldnames is None or not {"interval_start", "share"} <= set(reader.fieldnames):
            raise ScenarioError(PROFILE_FIELD, name, "a CSV with the columns interval_start,share")
        rows = [_profile_row(name, line, row) for (line, _), row in zip(kept[1:], reader, strict=False)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ScenarioError(PROFILE_FIELD, name, f"a readable CSV file ({e.__class__.__name__})") from None
    if not rows or sum(s for _, s in rows) <= 0:
        raise ScenarioError(PROFILE_FIELD, name, "a profile with at least one row and shares adding up to more than 0")
    return rows
