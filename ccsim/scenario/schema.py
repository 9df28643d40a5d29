"""A whole contact center as validated data: loaded from TOML or built in Python, compiled to a :class:`~ccsim.simulation.model.CenterModel`.

The schema is documented field by field in ``data/scenarios/README.md``. Times are seconds inside;
a few edge fields use the units people think in (``interval_min``, ``hours``, ``back_office_days``,
times of day as ``"HH:MM"``) and :meth:`Scenario.to_model` converts them.

Any bad input raises one :class:`~ccsim.errors.ScenarioError` whose message is one sentence naming
the field path, the bad value and what is allowed, e.g.
``agent_groups[1].headcount: -3 is not allowed; use a whole number of at least 0``.

Example::

    >>> s = load_preset("classroom")
    >>> m = s.to_model()
    >>> m.intervals, m.interval_s, m.agent_groups[0].agents_at(0)
    (16, 1800.0, 50)
"""

from __future__ import annotations

import contextvars
import csv
import math
import tomllib
from datetime import time as _dtime
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ccsim.errors import ScenarioError
from ccsim.simulation import model as m
from ccsim.simulation.distributions import Distribution, Exponential, Fixed, Lognormal

__all__ = [
    "AgentGroup",
    "Arrivals",
    "Break",
    "CallType",
    "Callback",
    "Horizon",
    "Routing",
    "Scenario",
    "Shift",
    "Site",
    "Targets",
    "TimeDistribution",
    "Transfer",
    "data_dir",
    "list_presets",
    "load_preset",
    "load_profile",
    "load_scenario",
]

_BASE_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar("ccsim_scenario_base_dir", default=None)
"""Folder that relative profile paths resolve against while a scenario validates (pydantic may call
``__init__`` without the validation context, so the folder travels in a context variable)."""

SHARE_TOLERANCE = 1e-6
"""Shares that should add up to 1 may be off by this much."""
MAX_AGENTS = 5000
MAX_EXTENDS_DEPTH = 5

# ----------------------------------------------------------------------------------------------
# where the data lives


def data_dir() -> Path:
    """The kit's ``data/`` folder (beside the ``ccsim`` package; the kit is installed editable)."""
    d = Path(__file__).resolve().parents[2] / "data"  # ccsim/scenario/schema.py → the checkout's data/
    if not d.is_dir():
        raise _plain_error(
            "data_dir",
            str(d),
            f"data_dir: the kit's data folder {d} is missing; use ccsim from a checkout of the kit (pip install -e .)",
        )
    return d


def _presets_dir() -> Path:
    return data_dir() / "scenarios"


def list_presets() -> list[str]:
    """Names of the preset scenarios in ``data/scenarios/`` (file names without ``.toml``), sorted."""
    return sorted(p.stem for p in _presets_dir().glob("*.toml"))


def load_preset(name: str) -> Scenario:
    """The preset scenario ``name`` (e.g. ``"classroom"``; ``.toml`` optional) from ``data/scenarios/``."""
    stem = str(name).removesuffix(".toml")
    path = _presets_dir() / f"{stem}.toml"
    if not _is_file(path):
        raise ScenarioError("preset", name, f"one of {', '.join(list_presets())}")
    return load_scenario(path)


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario TOML file."""
    path = Path(path)
    data = _read_toml(path)
    data = _resolve_extends(data, path.parent, [path.resolve()])
    return Scenario.from_dict(data, base_dir=path.parent)


def _read_toml(path: Path) -> dict[str, Any]:
    if not _is_file(path):
        raise _plain_error("scenario file", path, f"{path}: no such scenario file")
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise _plain_error("scenario file", path, f"{path}: not valid TOML ({_toml_where(e)})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _plain_error("scenario file", path, f"{path}: cannot be read ({e.__class__.__name__})") from None


def _toml_where(e: tomllib.TOMLDecodeError) -> str:
    # tomllib messages end with "(at line 3, column 7)"; put the position first, then the reason.
    msg = str(e)
    if msg.endswith(")") and "(at line" in msg:
        reason, _, where = msg.rpartition(" (at ")
        return f"{where.rstrip(')')}: {reason}"
    return msg


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):  # e.g. a NUL byte or an over-long name
        return False


def _plain_error(field: str, value: object, message: str) -> ScenarioError:
    err = ScenarioError(field, value, "")
    err.args = (message,)
    return err


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key (recursively); everything else, arrays included, is replaced."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve_extends(data: dict[str, Any], base_dir: Path | None, chain: list[Path]) -> dict[str, Any]:
    if "extends" not in data:
        return data
    target = data["extends"]
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError("extends", target, "the file name of another scenario, e.g. 'member_services_network.toml'")
    candidates = [base_dir / target] if base_dir is not None else []
    candidates.append(_presets_dir() / target)
    candidates.append(_presets_dir() / f"{target}.toml")
    path = next((p for p in candidates if _is_file(p)), None)
    if path is None:
        raise ScenarioError(
            "extends", target, f"a scenario file beside this one or a preset ({', '.join(list_presets())})"
        )
    if path.resolve() in chain or len(chain) > MAX_EXTENDS_DEPTH:
        raise ScenarioError("extends", target, "a scenario that does not extend itself (directly or in a loop)")
    parent = _resolve_extends(_read_toml(path), path.parent, chain + [path.resolve()])
    child = {k: v for k, v in data.items() if k != "extends"}
    return _deep_merge(parent, child)


def load_profile(name: str, base_dir: str | Path | None = None) -> list[tuple[str, float]]:
    """Rows ``(interval_start "HH:MM", share)`` of an intraday profile CSV (columns ``interval_start,share``).

    ``name`` is a file in ``data/profiles/`` or a path relative to ``base_dir`` (the scenario's folder).
    Shares are weights: they are divided by their total when used.
    """
    field = "arrivals.profile"
    candidates = []
    if base_dir is not None:
        candidates.append(Path(base_dir) / name)
    candidates.append(data_dir() / "profiles" / name)
    path = next((p for p in candidates if _is_file(p)), None)
    if path is None:
        have = ", ".join(sorted(p.name for p in (data_dir() / "profiles").glob("*.csv")))
        raise ScenarioError(field, name, f"'flat' or a CSV in data/profiles/ ({have}) or beside the scenario")
    rows: list[tuple[str, float]] = []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            kept = [(n, ln) for n, ln in enumerate(f, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
        reader = csv.DictReader(ln for _, ln in kept)
        if reader.fieldnames is None or not {"interval_start", "share"} <= set(reader.fieldnames):
            raise ScenarioError(field, name, "a CSV with the columns interval_start,share")
        for (i, _), row in zip(kept[1:], reader):  # i: the row's line in the file (comments and blanks counted)
            start = _parse_time(row["interval_start"], f"{name} line {i} interval_start")
            try:
                share = float(row["share"])
            except (TypeError, ValueError):
                raise ScenarioError(f"{name} line {i} share", row["share"], "a number of at least 0") from None
            if not math.isfinite(share) or share < 0:
                raise ScenarioError(f"{name} line {i} share", row["share"], "a number of at least 0")
            rows.append((start, share))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ScenarioError(field, name, f"a readable CSV file ({e.__class__.__name__})") from None
    if not rows or sum(s for _, s in rows) <= 0:
        raise ScenarioError(field, name, "a profile with at least one row and shares adding up to more than 0")
    return rows


# ----------------------------------------------------------------------------------------------
# times of day


def _parse_time(value: object, field: str) -> str:
    """``"HH:MM"`` (00:00 to 24:00) or a TOML time → normalised ``"HH:MM"``; ``field`` empty inside validators."""
    allowed = "a time of day as 'HH:MM' from '00:00' to '24:00'"

    def bad(v: object, why: str = allowed) -> Exception:
        return ScenarioError(field, v, why) if field else _Problem("", v, why)

    if isinstance(value, _dtime):
        if value.second or value.microsecond or value.tzinfo:
            raise bad(value.isoformat(), "a time of day in whole minutes, e.g. '08:30'")
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        raise bad(value)
    parts = value.strip().split(":")
    if (
        len(parts) != 2
        or not all(p.isdigit() and p.isascii() for p in parts)
        or len(parts[1]) != 2
        or len(parts[0]) > 2
    ):
        raise bad(value)
    h, mi = int(parts[0]), int(parts[1])
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise bad(value)
    return f"{h:02d}:{mi:02d}"


def _minutes(hhmm: str) -> int:
    h, mi = hhmm.split(":")
    return int(h) * 60 + int(mi)


# ----------------------------------------------------------------------------------------------
# pydantic plumbing: strict numbers, one-sentence errors


class _Problem(ValueError):
    """Raised inside validators: ``path`` relative to the model being validated."""

    def __init__(self, path: str, value: object, allowed: str, message: str | None = None):
        super().__init__(message or allowed)
        self.path, self.value, self.allowed, self.message = path, value, allowed, message


def _num(**kw: Any) -> Any:
    return Field(strict=True, allow_inf_nan=False, **kw)


Share = Annotated[float, _num(ge=0, le=1)]
Seconds = Annotated[float, _num(ge=0, le=30 * 86400)]
Name = Annotated[str, Field(strict=True, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$")]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_AGENTS)]
TimeOfDay = Annotated[str, Field(strict=True, description="a time of day as 'HH:MM' from '00:00' to '24:00'")]


def _time_before(v: Any) -> Any:
    return None if v is None else _parse_time(v, "")


class _Strict(BaseModel):
    """Base of every scenario table: unknown fields are errors, values are frozen, errors are one sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, **data: Any):
        try:
            super().__init__(**data)
        except ValidationError as e:
            raise _translate(e, type(self)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
            return
        raise ScenarioError(
            name, _short(value), "a changed copy instead: scenarios are read-only (e.g. scenario.updated({...}))"
        )

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kw: Any):  # type: ignore[override]
        try:
            return super().model_validate(obj, *args, **kw)
        except ValidationError as e:
            raise _translate(e, cls) from None


def _unwrap(ann: Any) -> tuple[Any, list[Any]]:
    """Strip Annotated/Optional; return the bare type and the collected constraint metadata."""
    meta: list[Any] = []
    while True:
        if get_origin(ann) is Annotated:
            args = get_args(ann)
            ann = args[0]
            for x in args[1:]:
                meta.extend(getattr(x, "metadata", [x]))
            continue
        if get_origin(ann) in (Union, getattr(__import__("types"), "UnionType", Union)):
            members = [a for a in get_args(ann) if a is not type(None)]
            if len(members) == 1:
                ann = members[0]
                continue
        return ann, meta


def _join(path: str, key: object) -> str:
    """``path.key``, or ``path['odd key']`` when the key is not plain printable text."""
    text = str(key)
    if isinstance(key, str) and text and text.isprintable() and not any(c in text for c in ".[]'\""):
        return f"{path}.{text}" if path else text
    return f"{path}[{key!r}]"


def _walk(cls: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, Any, list[Any], type[BaseModel] | None]:
    """Follow a pydantic error location through the schema: (path text, final type, constraints, owning model)."""
    path = ""
    ann: Any = cls
    meta: list[Any] = []
    owner: type[BaseModel] | None = cls
    for el in loc:
        bare, _ = _unwrap(ann)
        if isinstance(bare, type) and issubclass(bare, BaseModel) and isinstance(el, str) and el in bare.model_fields:
            fi = bare.model_fields[el]
            owner = bare
            path += f".{el}" if path else el
            ann, meta = fi.annotation, list(fi.metadata)
            continue
        if isinstance(el, int) and get_origin(bare) in (tuple, list):
            path += f"[{el}]"
            args = [a for a in get_args(bare) if a is not Ellipsis]
            ann = args[0] if args else Any
            meta = _unwrap(ann)[1]
            continue
        if isinstance(el, str) and get_origin(bare) is dict:
            if el == "[key]":
                continue
            path = _join(path, el)
            ann = get_args(bare)[1]
            meta = _unwrap(ann)[1]
            continue
        if isinstance(bare, type) and issubclass(bare, BaseModel) and isinstance(el, str):
            # an unknown field of this table
            owner = bare
            path = _join(path, el)
            ann, meta = Any, []
            continue
        # union member tags and the like: not part of the path
    bare, more = _unwrap(ann)
    return path, bare, meta + more, owner


def _bounds(meta: list[Any]) -> tuple[float | None, bool, float | None, bool]:
    lo = hi = None
    lo_open = hi_open = False
    for c in meta:
        if isinstance(c, at.Ge):
            lo, lo_open = c.ge, False
        elif isinstance(c, at.Gt):
            lo, lo_open = c.gt, True
        elif isinstance(c, at.Le):
            hi, hi_open = c.le, False
        elif isinstance(c, at.Lt):
            hi, hi_open = c.lt, True
    return lo, lo_open, hi, hi_open


def _g(x: float) -> str:
    return f"{x:g}"


def _describe(bare: Any, meta: list[Any]) -> str:
    """What a field allows, in words: 'a number from 0 to 1', 'a whole number of at least 0', 'a table (...)'."""
    if bare is int:
        kind = "a whole number"
    elif bare is float:
        kind = "a number"
    elif bare is str:
        for c in meta:
            if getattr(c, "description", None):
                return c.description
        return "text"
    elif bare is bool:
        return "true or false"
    elif get_origin(bare) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(bare))
    elif get_origin(bare) in (tuple, list):
        args = [a for a in get_args(bare) if a is not Ellipsis]
        inner = _describe(*_unwrap(args[0])) if args else "values"
        return f"a list of {_plural(inner)}"
    elif get_origin(bare) is dict:
        inner = _describe(*_unwrap(get_args(bare)[1]))
        return f"a table of names to {_plural(inner)}"
    elif isinstance(bare, type) and issubclass(bare, BaseModel):
        return f"a table with {', '.join(bare.model_fields)}"
    else:
        return "a valid value"
    lo, lo_open, hi, hi_open = _bounds(meta)
    if lo is not None and hi is not None and not lo_open and not hi_open:
        return f"{kind} from {_g(lo)} to {_g(hi)}"
    low = None if lo is None else (f"above {_g(lo)}" if lo_open else f"at least {_g(lo)}")
    high = None if hi is None else (f"below {_g(hi)}" if hi_open else f"at most {_g(hi)}")
    if low and high:
        return f"{kind} {low} and {high}"
    if low or high:
        one = low or high
        return f"{kind} {one}" if one.startswith(("above", "below")) else f"{kind} of {one}"
    return kind


def _plural(desc: str) -> str:
    for a, b in (
        ("a whole number", "whole numbers"),
        ("a number", "numbers"),
        ("a table", "tables"),
        ("a time", "times"),
    ):
        if desc.startswith(a):
            return b + desc[len(a) :]
    return desc


def _short(value: object) -> object:
    """Keep long values (whole tables) out of the one-line message."""
    if isinstance(value, (dict, list, tuple)) and len(repr(value)) > 60:
        return _Shown(repr(value)[:57] + "...")
    return value


class _Shown:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _translate(err: ValidationError, cls: type[BaseModel]) -> ScenarioError:
    """The first pydantic error as one :class:`ScenarioError` sentence."""
    e = err.errors(include_url=False)[0]
    path, bare, meta, owner = _walk(cls, tuple(e["loc"]))
    typ = e["type"]
    value = e.get("input")
    if typ == "value_error" and isinstance(e.get("ctx", {}).get("error"), _Problem):
        p: _Problem = e["ctx"]["error"]
        full = path
        if p.path:
            full = f"{path}{p.path}" if p.path.startswith("[") or not path else f"{path}.{p.path}"
        if p.message:
            return _plain_error(full or "scenario", p.value, f"{full}: {p.message}" if full else p.message)
        return ScenarioError(full or "scenario", _short(p.value), p.allowed)
    if typ == "value_error" and isinstance(e.get("ctx", {}).get("error"), ScenarioError):
        # raised by a nested table's own constructor: put this table's path in front
        inner: ScenarioError = e["ctx"]["error"]
        if not path:
            return inner
        sub = inner.field if inner.field.startswith("[") else f".{inner.field}"
        full = f"{path}{sub}"
        msg = str(inner)
        if msg.startswith(inner.field):
            msg = full + msg[len(inner.field) :]
        out = ScenarioError(full, inner.value, inner.allowed)
        out.args = (msg,)
        return out
    field = path or "scenario"
    if typ == "extra_forbidden":
        allowed = ", ".join(owner.model_fields) if owner is not None else ""
        return _plain_error(field, value, f"{field}: unknown field; allowed fields are {allowed}")
    if typ == "missing":
        return _plain_error(field, None, f"{field}: missing; it is required ({_describe(bare, meta)})")
    if typ in ("model_type", "model_attributes_type", "dataclass_type") and isinstance(bare, type):
        return ScenarioError(field, _short(value), _describe(bare, meta))
    if typ == "too_short":
        n = e.get("ctx", {}).get("min_length", 1)
        kind = "a table" if get_origin(bare) is dict else "a list"
        return ScenarioError(field, _short(value), f"{kind} with at least {n} {'entry' if n == 1 else 'entries'}")
    if typ == "string_pattern_mismatch":
        return ScenarioError(field, _short(value), "text without control characters (such as line breaks)")
    if typ == "string_too_short":
        return ScenarioError(field, _short(value), "text of at least 1 character")
    if typ == "string_too_long":
        return ScenarioError(field, _short(value), f"text of at most {e.get('ctx', {}).get('max_length')} characters")
    return ScenarioError(field, _short(value), _describe(bare, meta))


# ----------------------------------------------------------------------------------------------
# the schema


class Horizon(_Strict):
    """The simulated day: when it starts (local time at ``clock_site``), how long, how it is cut into intervals."""

    start: TimeOfDay = "00:00"
    """Local time of day at ``clock_site`` when calls begin, 'HH:MM'."""
    hours: Annotated[float, _num(gt=0, le=24)]
    """Length of the day, hours (at most 24)."""
    interval_min: Annotated[float, _num(ge=1, le=1440)] = 30
    """Forecast and staffing interval, minutes; must divide the day into whole intervals."""
    clock_site: Name | None = None
    """Site whose local time the horizon start and the profile use; default: the first site."""

    _v_start = field_validator("start", mode="before")(_time_before)

    @model_validator(mode="after")
    def _whole_intervals(self) -> Horizon:
        n = self.hours * 60 / self.interval_min
        if n < 1 - 1e-9:
            raise _Problem(
                "hours",
                _Shown(_g(self.hours)),
                f"at least one {_g(self.interval_min)}-minute interval ({_g(self.interval_min / 60)} h) or a shorter interval_min",
            )
        if abs(n - round(n)) > 1e-9:
            raise _Problem(
                "interval_min",
                _Shown(_g(self.interval_min)),
                f"a length that divides the {_g(self.hours)}-hour day into whole intervals, e.g. 15, 30 or 60",
            )
        return self

    @property
    def intervals(self) -> int:
        return int(round(self.hours * 60 / self.interval_min))


class Site(_Strict):
    """A site: its time zone and opening hours (local time). Omit both hours for open the whole horizon."""

    name: Name
    utc_offset_h: Annotated[float, _num(ge=-12, le=14)] = 0.0
    """Hours from UTC, e.g. -8 for Pacific standard time."""
    opens: TimeOfDay | None = None
    """Local opening time 'HH:MM'."""
    closes: TimeOfDay | None = None
    """Local closing time 'HH:MM' (later than ``opens`` on the same day; '24:00' is midnight)."""

    _v_times = field_validator("opens", "closes", mode="before")(_time_before)

    @model_validator(mode="after")
    def _hours(self) -> Site:
        if (self.opens is None) != (self.closes is None):
            missing = "closes" if self.closes is None else "opens"
            raise _Problem(
                missing, None, "", "missing; give both opens and closes, or neither for a site open the whole horizon"
            )
        if self.opens is not None and _minutes(self.closes) <= _minutes(self.opens):  # type: ignore[arg-type]
            raise _Problem("closes", self.closes, f"a time later than opens ({self.opens}) on the same day")
        return self


class TimeDistribution(_Strict):
    """A distribution of durations: ``kind`` exponential (cv 1), lognormal (any cv > 0) or fixed (cv 0)."""

    kind: Literal["exponential", "lognormal", "fixed"]
    mean_s: Annotated[float, _num(gt=0, le=86400)]
    """Mean duration, seconds."""
    cv: Annotated[float, _num(ge=0, le=20)] | None = None
    """Coefficient of variation (standard deviation / mean); only lognormal may choose it (default 1)."""

    @model_validator(mode="after")
    def _cv_fits_kind(self) -> TimeDistribution:
        if self.kind == "exponential" and self.cv not in (None, 1):
            raise _Problem("cv", self.cv, "1 or leave it out for an exponential (or kind = 'lognormal')")
        if self.kind == "fixed" and self.cv not in (None, 0):
            raise _Problem("cv", self.cv, "0 or leave it out for a fixed time (or kind = 'lognormal')")
        if self.kind == "lognormal" and self.cv == 0:
            raise _Problem("cv", self.cv, "a number above 0 for a lognormal (or kind = 'fixed')")
        return self

    def to_distribution(self) -> Distribution:
        if self.kind == "exponential":
            return Exponential(self.mean_s)
        if self.kind == "fixed":
            return Fixed(self.mean_s)
        return Lognormal(self.mean_s, 1.0 if self.cv is None else self.cv)


class Transfer(_Strict):
    """After handling, with ``probability`` the call moves to ``to_call_type``'s queue, or to a back office for ``back_office_days``."""

    probability: Share
    to_call_type: Name | None = None
    back_office_days: Annotated[float, _num(ge=0, le=365)] | None = None
    """Back-office processing time, days (converted to seconds)."""

    @model_validator(mode="after")
    def _one_target(self) -> Transfer:
        if self.to_call_type is not None and self.back_office_days is not None:
            raise _Problem(
                "back_office_days",
                self.back_office_days,
                "",
                f"{self.back_office_days!r} is not allowed together with to_call_type; use one of them (a queue or a back office)",
            )
        if self.to_call_type is None and self.back_office_days is None:
            raise _Problem(
                "to_call_type",
                None,
                "",
                "missing; give to_call_type (another queue) or back_office_days (a back-office hand-off)",
            )
        return self


class CallType(_Strict):
    """A kind of call: its share of volume, handle time, patience, required skill, voice menu and transfers."""

    name: Name
    volume_share: Share
    """Share of all calls (0–1); the shares of all call types add up to 1."""
    handle_time: TimeDistribution
    """Talk plus wrap-up time, seconds."""
    patience: TimeDistribution | None = None
    """How long callers wait before hanging up, seconds; leave out for callers who never hang up."""
    skill: Name | None = None
    """Skill an agent needs, e.g. a language or 'tty'; default: the call type's name."""
    tier: Name = "generalist"
    menu_containment: Share = 0.0
    """Probability (0–1) the voice menu resolves the call with no agent (self-service)."""
    menu_time_s: Seconds = 0.0
    """Seconds in the voice menu before self-service ends or the queue begins."""
    transfers: tuple[Transfer, ...] = ()

    @model_validator(mode="after")
    def _transfer_total(self) -> CallType:
        total = sum(t.probability for t in self.transfers)
        if total > 1 + SHARE_TOLERANCE:
            raise _Problem(
                "transfers",
                round(total, 6),
                "",
                f"probabilities add up to {total:g}, which is not allowed; use probabilities that add up to 1 or less",
            )
        return self

    @property
    def required_skill(self) -> str:
        return self.skill or self.name


class Arrivals(_Strict):
    """How many calls arrive: ``calls_per_day`` spread by an intraday ``profile``, or explicit ``calls_per_interval``."""

    calls_per_day: Annotated[float, _num(ge=0, le=10_000_000)] | None = None
    """Expected calls over the whole horizon (one simulated day), before the surge multiplier."""
    profile: Name | None = None
    """Intraday shape: 'flat' or a CSV (interval_start,share) in data/profiles/ or beside the scenario; default 'flat'."""
    calls_per_interval: tuple[Annotated[float, _num(ge=0, le=1_000_000)], ...] | None = None
    """Expected calls in each interval (all call types together), instead of calls_per_day."""
    surge_multiplier: Annotated[float, _num(gt=0, le=100)] = 1.0
    """Multiplies every interval's volume, e.g. 3 for an open-enrollment surge."""
    site_volume_share: dict[Name, Share] | None = None
    """Share of calls arriving at each site (0–1, adding up to 1); default: an even split. Closed sites' share goes to open ones."""

    @model_validator(mode="after")
    def _one_source(self) -> Arrivals:
        if self.calls_per_day is not None and self.calls_per_interval is not None:
            raise _Problem(
                "calls_per_interval",
                _short(list(self.calls_per_interval)),
                "",
                f"{_short(list(self.calls_per_interval))!r} is not allowed together with calls_per_day; use one of them",
            )
        if self.calls_per_day is None and self.calls_per_interval is None:
            raise _Problem(
                "calls_per_day", None, "", "missing; give calls_per_day (with a profile) or calls_per_interval"
            )
        if self.profile is not None and self.calls_per_day is None:
            raise _Problem("profile", self.profile, "a profile only together with calls_per_day")
        if self.site_volume_share is not None:
            total = sum(self.site_volume_share.values())
            if abs(total - 1) > SHARE_TOLERANCE:
                raise _Problem(
                    "site_volume_share",
                    round(total, 9),
                    "",
                    f"shares add up to {total:g}, which is not allowed; use shares that add up to 1",
                )
        return self


class Break(_Strict):
    """A break in a shift: local start time at the group's site and length in minutes."""

    start: TimeOfDay
    length_min: Annotated[float, _num(gt=0, le=240)]

    _v_start = field_validator("start", mode="before")(_time_before)


class Shift(_Strict):
    """``headcount`` agents who start at ``start`` (local time at the group's site) for ``hours``, with breaks."""

    start: TimeOfDay
    hours: Annotated[float, _num(gt=0, le=24)]
    headcount: Count
    """Scheduled agents on this shift (before shrinkage)."""
    breaks: tuple[Break, ...] = ()

    _v_start = field_validator("start", mode="before")(_time_before)

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        for i, b in enumerate(self.breaks):
            off = (_minutes(b.start) - _minutes(self.start)) % 1440
            if off + b.length_min > self.hours * 60 + 1e-9:
                raise _Problem(
                    f"breaks[{i}].start",
                    b.start,
                    f"a break that lies within the shift ({self.start} for {_g(self.hours)} h)",
                )
        return self

    def on_intervals_min(self) -> list[tuple[float, float]]:
        """Working spans (start, end) in minutes after the shift start, breaks removed."""
        cuts = sorted(((_minutes(b.start) - _minutes(self.start)) % 1440, b.length_min) for b in self.breaks)
        spans, t = [], 0.0
        for off, length in cuts:
            if off > t:
                spans.append((t, off))
            t = max(t, off + length)
        if t < self.hours * 60:
            spans.append((t, self.hours * 60))
        return spans


class AgentGroup(_Strict):
    """Agents at one site with the same skills; staffed by ``headcount``, ``headcount_per_interval`` or ``shifts`` (one of them)."""

    name: Name
    site: Name | None = None
    """Site name; may be left out when there is at most one site."""
    skills: dict[Name, Annotated[int, Field(strict=True, ge=1, le=9)]] = Field(min_length=1)
    """Skill → priority (1 is served first); a list of names means priority 1 for each."""
    tier: Name = "generalist"
    shrinkage_share: Annotated[float, _num(ge=0, le=0.95)] = 0.0
    """Share of scheduled headcount not on the phones (absence, training, meetings): on duty = headcount × (1 − shrinkage), rounded."""
    headcount: Count | None = None
    """Scheduled agents for the whole horizon."""
    headcount_per_interval: tuple[Count, ...] | None = None
    """Scheduled agents in each interval."""
    shifts: tuple[Shift, ...] | None = None

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_list(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            if not all(isinstance(s, str) for s in v):
                raise _Problem("", _short(v), "a list of skill names or a table of skill = priority")
            return {s: 1 for s in v}
        return v

    @model_validator(mode="after")
    def _one_staffing(self) -> AgentGroup:
        given = [k for k in ("headcount", "headcount_per_interval", "shifts") if getattr(self, k) is not None]
        if not given:
            raise _Problem("headcount", None, "", "missing; give one of headcount, headcount_per_interval or shifts")
        if len(given) > 1:
            v = _short(getattr(self, given[1]))
            raise _Problem(
                given[1],
                v,
                "",
                f"{v!r} is not allowed together with {given[0]}; use one of headcount, headcount_per_interval or shifts",
            )
        return self


class Routing(_Strict):
    """How calls find agents: ``pooled`` (any skilled agent anywhere) or ``site_first`` (own site, then any after ``overflow_after_s``).

    Skills-based routing always applies: an agent takes the waiting call of its best-priority skill.
    """

    mode: Literal["pooled", "site_first"] = "pooled"
    overflow_after_s: Seconds = 0.0


class Callback(_Strict):
    """Offer a call-back (or a voice message answered later) when the predicted wait exceeds a threshold."""

    offer_when_wait_exceeds_s: Annotated[float, _num(ge=0, le=86400)]
    acceptance_share: Share = 1.0
    """Share (0–1) of callers offered a call-back who take it."""


class Targets(_Strict):
    """The guaranteed metrics (defaults: the health plan's performance guarantees, shared/reference/facts.md)."""

    service_level_share: Share = 0.80
    """Share of calls answered within ``answer_within_s`` (0–1)."""
    answer_within_s: Seconds = 30.0
    service_level_definition: Literal[
        "offered", "exclude_short_abandons", "answered", "answered_or_abandoned_within"
    ] = "offered"
    abandonment_share_max: Share = 0.03
    """Abandoned calls over offered calls must stay below this."""
    asa_s_max: Seconds = 30.0
    """Average speed of answer must stay below this, seconds."""
    aht_s_max: Seconds = 400.0
    """Average handle time must stay below this, seconds."""
    occupancy_share: Share = 0.85
    """Target occupancy: busy time over on-duty time (0–1)."""


class Scenario(_Strict):
    """A whole contact center for one simulated day; see ``data/scenarios/README.md`` for every field."""

    name: Name = "scenario"
    description: str = ""
    horizon: Horizon
    sites: tuple[Site, ...] = ()
    """Sites; leave out for one site called 'main' at UTC+0, open the whole horizon."""
    call_types: tuple[CallType, ...] = Field(min_length=1)
    arrivals: Arrivals
    agent_groups: tuple[AgentGroup, ...] = Field(min_length=1)
    routing: Routing = Routing()
    callback: Callback | None = None
    targets: Targets = Targets()

    _shares: tuple[float, ...] = PrivateAttr(default=())
    _base_dir: Path | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Same fields (and so the same profile shares); where the file was read from does not matter."""
        return type(other) is type(self) and self.__dict__ == other.__dict__ and self._shares == other._shares

    __hash__ = None  # type: ignore[assignment]

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, base_dir: str | Path | None = None) -> Scenario:
        """Validate a dict (as read from TOML); ``extends`` is merged first; profiles resolve beside ``base_dir``."""
        if not isinstance(data, dict):
            raise ScenarioError("scenario", _short(data), "a table of scenario fields")
        base = Path(base_dir) if base_dir is not None else None
        data = _resolve_extends(data, base, [])
        return _validate_in(cls, data, base)

    @classmethod
    def from_toml(cls, text: str, *, base_dir: str | Path | None = None, source: str = "<text>") -> Scenario:
        """Validate a scenario given as TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise _plain_error("scenario file", source, f"{source}: not valid TOML ({_toml_where(e)})") from None
        return cls.from_dict(data, base_dir=base_dir)

    def updated(self, changes: dict[str, Any]) -> Scenario:
        """A new, re-validated scenario with ``changes`` merged in (tables merge, arrays replace).

        E.g. ``s.updated({"arrivals": {"surge_multiplier": 3}})``.
        """
        if not isinstance(changes, dict):
            raise ScenarioError("changes", _short(changes), "a table of scenario fields to change")
        data = _deep_merge(self.model_dump(mode="python"), changes)
        return _validate_in(Scenario, data, self._base_dir)

    # -- cross-field checks ---------------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        self._base_dir = (info.context or {}).get("base_dir", _BASE_DIR.get())
        _unique("sites", [s.name for s in self.sites])
        _unique("call_types", [c.name for c in self.call_types])
        _unique("agent_groups", [g.name for g in self.agent_groups])
        site_names = [s.name for s in self.site_list]
        if self.horizon.clock_site is not None and self.horizon.clock_site not in site_names:
            raise _Problem("horizon.clock_site", self.horizon.clock_site, f"one of the sites ({', '.join(site_names)})")

        total = sum(c.volume_share for c in self.call_types)
        if abs(total - 1) > SHARE_TOLERANCE:
            raise _Problem(
                "call_types",
                round(total, 9),
                "",
                f"volume_share values add up to {total:g}, which is not allowed; use shares that add up to 1",
            )

        for i, g in enumerate(self.agent_groups):
            if g.site is None and len(self.sites) > 1:
                raise _Problem(f"agent_groups[{i}].site", None, f"one of the sites ({', '.join(site_names)})")
            if g.site is not None and g.site not in site_names:
                raise _Problem(f"agent_groups[{i}].site", g.site, f"one of the sites ({', '.join(site_names)})")
        skills = sorted({s for g in self.agent_groups for s in g.skills})
        names = [c.name for c in self.call_types]
        for i, c in enumerate(self.call_types):
            if c.required_skill not in skills:
                raise _Problem(
                    f"call_types[{i}].skill", c.required_skill, f"a skill some agent group has ({', '.join(skills)})"
                )
            for j, t in enumerate(c.transfers):
                if t.to_call_type is not None and (t.to_call_type not in names or t.to_call_type == c.name):
                    others = ", ".join(n for n in names if n != c.name) or "none"
                    raise _Problem(
                        f"call_types[{i}].transfers[{j}].to_call_type", t.to_call_type, f"another call type ({others})"
                    )

        _no_certain_transfer_loop(self.call_types)

        n = self.horizon.intervals
        a = self.arrivals
        if a.calls_per_interval is not None and len(a.calls_per_interval) != n:
            raise _Problem(
                "arrivals.calls_per_interval",
                _short(list(a.calls_per_interval)),
                f"a list of {n} numbers, one per {_g(self.horizon.interval_min)}-minute interval",
            )
        if a.calls_per_day is not None:
            self._shares = self._profile_shares()
        if a.site_volume_share is not None:
            for k in a.site_volume_share:
                if k not in site_names:
                    raise _Problem(
                        _join("arrivals.site_volume_share", k), k, f"one of the sites ({', '.join(site_names)})"
                    )

        for i, g in enumerate(self.agent_groups):
            if g.headcount_per_interval is not None and len(g.headcount_per_interval) != n:
                raise _Problem(
                    f"agent_groups[{i}].headcount_per_interval",
                    _short(list(g.headcount_per_interval)),
                    f"a list of {n} whole numbers, one per interval",
                )
            for j, sh in enumerate(g.shifts or ()):
                off = self._local_to_horizon_min(_minutes(sh.start), self._site(g.site))
                if off + sh.hours * 60 > self.horizon.hours * 60 + 1e-9:
                    lo = self._horizon_to_local(0, self._site(g.site))
                    hi = self._horizon_to_local(self.horizon.hours * 60, self._site(g.site))
                    raise _Problem(
                        f"agent_groups[{i}].shifts[{j}].start",
                        sh.start,
                        f"a start so the {_g(sh.hours)}-hour shift lies within the horizon ({lo}–{hi} local time at {self._site(g.site).name})",
                    )

        for s_i, s in enumerate(self.sites):
            self._open_window_min(s, f"sites[{s_i}].opens")
        totals = self._totals()
        for i, calls in enumerate(totals):
            if calls > 0 and not self._open_sites(i):
                raise _Problem(
                    "arrivals",
                    round(calls, 6),
                    "",
                    f"{calls:g} calls are expected in interval {i} ({self._interval_label(i)}) when no site is open; open a site or give that interval no calls",
                )
        return self

    def _profile_shares(self) -> tuple[float, ...]:
        n = self.horizon.intervals
        name = self.arrivals.profile or "flat"
        if name == "flat":
            return (1.0 / n,) * n
        try:
            rows = load_profile(name, self._base_dir)
        except ScenarioError as e:
            raise _Problem(
                "arrivals.profile",
                name,
                "",
                str(e).split(": ", 1)[1] if str(e).startswith("arrivals.profile") else str(e),
            ) from None
        if len(rows) != n:
            raise _Problem(
                "arrivals.profile",
                name,
                f"a profile with {n} rows, one per {_g(self.horizon.interval_min)}-minute interval from {self.horizon.start} (it has {len(rows)})",
            )
        for k, (start, _) in enumerate(rows):
            want = self._interval_label(k)
            if start != want:
                raise _Problem(
                    "arrivals.profile",
                    name,
                    f"a profile whose row {k + 1} starts at {want} (it starts at {start}); rows follow the horizon from {self.horizon.start} every {_g(self.horizon.interval_min)} min",
                )
        total = sum(s for _, s in rows)
        return tuple(s / total for _, s in rows)

    # -- time helpers ---------------------------------------------------------------------------

    @property
    def site_list(self) -> tuple[Site, ...]:
        """The sites, or the single default site 'main'."""
        return self.sites or (Site(name="main"),)

    def _site(self, name: str | None) -> Site:
        sites = self.site_list
        if name is None:
            return sites[0]
        return next(s for s in sites if s.name == name)

    def _clock_offset_h(self) -> float:
        return self._site(self.horizon.clock_site).utc_offset_h

    def _local_to_horizon_min(self, local_min: float, site: Site) -> float:
        """Minutes after the horizon start of a local time of day at ``site`` (the next such moment, within 24 h)."""
        utc = local_min - site.utc_offset_h * 60
        start_utc = _minutes(self.horizon.start) - self._clock_offset_h() * 60
        return (utc - start_utc) % 1440

    def _horizon_to_local(self, minutes: float, site: Site) -> str:
        t = (_minutes(self.horizon.start) - self._clock_offset_h() * 60 + site.utc_offset_h * 60 + minutes) % 1440
        return f"{int(t // 60):02d}:{int(round(t % 60)):02d}"

    def _interval_label(self, i: int) -> str:
        t = (_minutes(self.horizon.start) + i * self.horizon.interval_min) % 1440
        return f"{int(t // 60):02d}:{int(round(t % 60)):02d}"

    def _open_window_min(self, site: Site, field: str = "sites.opens") -> tuple[float, float]:
        """(opens, closes) in minutes after the horizon start, clipped to the horizon."""
        h = self.horizon.hours * 60
        if site.opens is None:
            return 0.0, h
        o = self._local_to_horizon_min(_minutes(site.opens), site)
        length = _minutes(site.closes) - _minutes(site.opens)  # type: ignore[arg-type]
        windows = [(o, o + length), (o - 1440, o - 1440 + length)]
        hits = [(max(0.0, a), min(h, b)) for a, b in windows if min(h, b) > max(0.0, a)]
        if len(hits) > 1:
            raise _Problem(
                field,
                site.opens,
                "opening hours that form one block within the horizon (the day would see the site open twice)",
            )
        return hits[0] if hits else (0.0, 0.0)

    def _open_sites(self, i: int) -> list[str]:
        """Sites open at the middle of interval ``i``."""
        mid = (i + 0.5) * self.horizon.interval_min
        out = []
        for s in self.site_list:
            o, c = self._open_window_min(s)
            if o <= mid < c:
                out.append(s.name)
        return out

    def _totals(self) -> list[float]:
        """Expected calls per interval, all call types and sites, surge included."""
        a = self.arrivals
        if a.calls_per_interval is not None:
            base = list(a.calls_per_interval)
        else:
            base = [a.calls_per_day * s for s in self._shares]  # type: ignore[operator]
        return [c * a.surge_multiplier for c in base]

    # -- compile --------------------------------------------------------------------------------

    @property
    def intervals(self) -> int:
        return self.horizon.intervals

    @property
    def interval_s(self) -> float:
        return self.horizon.interval_min * 60.0

    @property
    def horizon_s(self) -> float:
        return self.horizon.hours * 3600.0

    def site_volume_shares(self, i: int) -> dict[str, float]:
        """Share of interval ``i``'s calls arriving at each site: the split among the sites open then, renormalised."""
        sites = [s.name for s in self.site_list]
        split = self.arrivals.site_volume_share or {s: 1 / len(sites) for s in sites}
        open_now = self._open_sites(i)
        weights = {s: split.get(s, 0.0) for s in sites if s in open_now}
        total = sum(weights.values())
        if total <= 0:
            # nobody open (no calls then, checked) or only zero-share sites open: spread over the open ones
            if open_now:
                return {s: 1 / len(open_now) for s in open_now}
            return {s: split.get(s, 0.0) for s in sites}
        return {s: w / total for s, w in weights.items()}

    def _staffing(self, g: AgentGroup) -> tuple[tuple[float, int], ...]:
        """On-duty agents as (time_s, agents) steps: scheduled × (1 − shrinkage) rounded half up, zero while the site is closed."""
        h_min = self.horizon.hours * 60
        site = self._site(g.site)
        o, c = self._open_window_min(site)
        points: set[float] = {0.0, o, c}
        spans: list[tuple[float, float, int]] = []  # (from_min, to_min, scheduled)
        if g.headcount is not None:
            spans.append((0.0, h_min, g.headcount))
        elif g.headcount_per_interval is not None:
            step = self.horizon.interval_min
            spans += [(k * step, (k + 1) * step, n) for k, n in enumerate(g.headcount_per_interval)]
        else:
            for sh in g.shifts or ():
                start = self._local_to_horizon_min(_minutes(sh.start), site)
                spans += [(start + a, start + b, sh.headcount) for a, b in sh.on_intervals_min()]
        for a, b, _ in spans:
            points.update((a, b))
        steps: list[tuple[float, int]] = []
        for t in sorted(p for p in points if 0 <= p < h_min):
            scheduled = sum(n for a, b, n in spans if a <= t < b)
            on = math.floor(scheduled * (1 - g.shrinkage_share) + 0.5) if o <= t < c else 0
            if not steps or steps[-1][1] != on:
                steps.append((t * 60.0, on))
        if steps[0][0] != 0.0:  # pragma: no cover - 0 is always a point
            steps.insert(0, (0.0, 0))
        return tuple(steps)

    def to_model(self) -> m.CenterModel:
        """Compile to the engine's :class:`~ccsim.simulation.model.CenterModel` (seconds, shrinkage and surge applied)."""
        n = self.intervals
        sites = []
        for s in self.site_list:
            o, c = self._open_window_min(s)
            sites.append(
                m.Site(s.name, float(s.utc_offset_h), o * 60.0, None if c >= self.horizon.hours * 60 else c * 60.0)
            )
        call_types = tuple(
            m.CallType(
                name=c.name,
                handle_time=c.handle_time.to_distribution(),
                patience=c.patience.to_distribution() if c.patience is not None else None,
                skill=c.required_skill,
                tier=c.tier,
                menu_containment=float(c.menu_containment),
                menu_time_s=float(c.menu_time_s),
                transfers=tuple(
                    m.Transfer(
                        probability=float(t.probability),
                        to_call_type=t.to_call_type,
                        back_office_s=float(t.back_office_days or 0.0) * 86400.0,
                    )
                    for t in c.transfers
                ),
            )
            for c in self.call_types
        )
        totals = self._totals()
        per_site = [self.site_volume_shares(i) for i in range(n)]
        arrivals = []
        for site in self.site_list:
            if not any(ps.get(site.name, 0.0) > 0 for ps in per_site) and len(self.site_list) > 1:
                continue
            for c in self.call_types:
                calls = tuple(totals[i] * c.volume_share * per_site[i].get(site.name, 0.0) for i in range(n))
                arrivals.append(m.ArrivalStream(c.name, calls, site.name))
        groups = tuple(
            m.AgentGroup(
                name=g.name,
                staffing=self._staffing(g),
                skills=tuple(sorted(g.skills.items(), key=lambda kv: (kv[1], kv[0]))),
                site=self._site(g.site).name,
                tier=g.tier,
            )
            for g in self.agent_groups
        )
        cb = None
        if self.callback is not None:
            cb = m.Callback(float(self.callback.offer_when_wait_exceeds_s), float(self.callback.acceptance_share))
        return m.CenterModel(
            interval_s=self.interval_s,
            call_types=call_types,
            arrivals=tuple(arrivals),
            agent_groups=groups,
            sites=tuple(sites),
            routing=m.Routing(self.routing.mode, float(self.routing.overflow_after_s)),
            callback=cb,
            answer_within_s=float(self.targets.answer_within_s),
            name=self.name,
        )


def _validate_in(cls: type[Scenario], data: Any, base_dir: Path | None) -> Scenario:
    token = _BASE_DIR.set(base_dir)
    try:
        return cls.model_validate(data)
    finally:
        _BASE_DIR.reset(token)


def _no_certain_transfer_loop(call_types: tuple[CallType, ...]) -> None:
    """Refuse transfers with probability 1 that lead back to where they started: those calls would never end."""
    index = {c.name: i for i, c in enumerate(call_types)}
    certain = {
        c.name: [
            (j, t.to_call_type) for j, t in enumerate(c.transfers) if t.to_call_type is not None and t.probability >= 1
        ]
        for c in call_types
    }
    for start in certain:
        seen, name, path = set(), start, []
        while certain.get(name):
            j, nxt = certain[name][0]
            path.append((name, j))
            if nxt == start:
                first, k = path[0]
                loop = " → ".join([p for p, _ in path] + [start])
                raise _Problem(
                    f"call_types[{index[first]}].transfers[{k}].probability",
                    1.0,
                    f"a probability below 1 on a transfer loop ({loop} would never end)",
                )
            if nxt in seen:
                break
            seen.add(nxt)
            name = nxt


def _unique(field: str, names: list[str]) -> None:
    seen: set[str] = set()
    for i, nm in enumerate(names):
        if nm in seen:
            raise _Problem(f"{field}[{i}].name", nm, "a name not used by another entry")
        seen.add(nm)
