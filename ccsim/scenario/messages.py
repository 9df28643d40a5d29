"""One-sentence errors: pydantic's ValidationErrors turned into one :class:`~ccsim.errors.ScenarioError`.

Every scenario table derives from :class:`StrictTable`: unknown fields are errors, values are
frozen, and the first validation problem becomes a sentence naming the field path, the bad value and
what is allowed, in words read from the field's type and constraints:

    >>> from typing import Annotated
    >>> class Room(StrictTable):
    ...     seats: Annotated[int, number_field(ge=0, le=50)]
    >>> Room(seats=80)
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: seats: 80 is not allowed; use a whole number from 0 to 50
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ccsim.errors import ScenarioError

__all__ = [
    "Problem",
    "Shown",
    "StrictTable",
    "describe",
    "join",
    "number_field",
    "number_text",
    "plain_error",
    "short",
    "translate",
]


class Problem(ValueError):
    """Raised inside validators: ``path`` relative to the table being validated.

    ``allowed`` completes "... is not allowed; use <allowed>"; ``message`` replaces that sentence
    after the path (for problems that are not one bad value, e.g. "missing; give ...").
    """

    def __init__(self, path: str, value: object, allowed: str, message: str | None = None):
        super().__init__(message or allowed)
        self.path, self.value, self.allowed, self.message = path, value, allowed, message


def plain_error(field: str, value: object, message: str) -> ScenarioError:
    """A ScenarioError whose sentence is ``message`` as given (not "... is not allowed; use ...")."""
    err = ScenarioError(field, value, "")
    err.args = (message,)
    return err


def number_field(**constraints: Any) -> Any:
    """A strict, finite number field: ``8`` is a number, ``"8"``, ``true``, ``nan`` and ``inf`` are not."""
    return Field(strict=True, allow_inf_nan=False, **constraints)


class Shown:
    """A value shown in a message exactly as ``text`` (e.g. a shortened table or a number as written)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def short(value: object) -> object:
    """Keep long values (whole tables) out of the one-line message."""
    if isinstance(value, (dict, list, tuple)) and len(repr(value)) > 60:
        return Shown(repr(value)[:57] + "...")
    return value


def number_text(x: float) -> str:
    """A number as people write it: 8, 0.5, 2592000, 1e-06 (whole numbers in full, others to 6 digits)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


class StrictTable(BaseModel):
    """Base of every scenario table: unknown fields are errors, values are frozen, errors are one sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, **data: Any):
        try:
            super().__init__(**data)
        except ValidationError as e:
            raise translate(e, type(self)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
            return
        raise ScenarioError(
            name, short(value), "a changed copy instead: scenarios are read-only (e.g. scenario.updated({...}))"
        )

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kw: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kw)
        except ValidationError as e:
            raise translate(e, cls) from None


# ----------------------------------------------------------------------------------------------
# reading the schema: where an error is, what the field allows


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
        if get_origin(ann) in (Union, types.UnionType):
            members = [a for a in get_args(ann) if a is not type(None)]
            if len(members) == 1:
                ann = members[0]
                continue
        return ann, meta


def join(path: str, key: object) -> str:
    """``path.key``, or ``path['odd key']`` when the key is not plain printable text."""
    text = str(key)
    if isinstance(key, str) and text and text.isprintable() and not any(c in text for c in ".[]'\""):
        return f"{path}.{text}" if path else text
    return f"{path}[{key!r}]"


def _is_table(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _walk(cls: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, Any, list[Any], type[BaseModel] | None]:
    """Follow a pydantic error location through the schema: (path text, final type, constraints, owning table)."""
    path = ""
    ann: Any = cls
    meta: list[Any] = []
    owner: type[BaseModel] | None = cls
    for el in loc:
        bare, _ = _unwrap(ann)
        if _is_table(bare) and isinstance(el, str):
            owner = bare
            if el in bare.model_fields:
                fi = bare.model_fields[el]
                path += f".{el}" if path else el
                ann, meta = fi.annotation, list(fi.metadata)
                if fi.description:  # pydantic moves a Field's description (a time of day's format) out of its metadata
                    meta.append(Field(description=fi.description))
            else:  # an unknown field of this table
                path = join(path, el)
                ann, meta = Any, []
        elif isinstance(el, int) and get_origin(bare) in (tuple, list):
            path += f"[{el}]"
            args = [a for a in get_args(bare) if a is not Ellipsis]
            ann = args[0] if args else Any
            meta = _unwrap(ann)[1]
        elif isinstance(el, str) and get_origin(bare) is dict and el != "[key]":
            path = join(path, el)
            ann = get_args(bare)[1]
            meta = _unwrap(ann)[1]
        # anything else (union member tags, "[key]") is not part of the path
    bare, more = _unwrap(ann)
    return path, bare, meta + more, owner


def _bounds(meta: list[Any]) -> tuple[float | None, bool, float | None, bool]:
    """(low, low is open, high, high is open) from annotated-types constraints."""
    lo: Any = None
    hi: Any = None
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


def _range(kind: str, meta: list[Any]) -> str:
    """``kind`` with its bounds in words: 'a number from 0 to 1', 'a whole number of at least 0'."""
    lo, lo_open, hi, hi_open = _bounds(meta)
    if lo is not None and hi is not None and not lo_open and not hi_open:
        return f"{kind} from {number_text(lo)} to {number_text(hi)}"
    low = None if lo is None else (f"above {number_text(lo)}" if lo_open else f"at least {number_text(lo)}")
    high = None if hi is None else (f"below {number_text(hi)}" if hi_open else f"at most {number_text(hi)}")
    if low and high:
        return f"{kind} {low} and {high}"
    one = low or high
    if one is None:
        return kind
    return f"{kind} {one}" if one.startswith(("above", "below")) else f"{kind} of {one}"


def describe(bare: Any, meta: list[Any]) -> str:
    """What a field allows, in words: 'a number from 0 to 1', 'a whole number of at least 0', 'a table (...)'."""
    if bare is int:
        return _range("a whole number", meta)
    if bare is float:
        return _range("a number", meta)
    if bare is str:
        return next((c.description for c in meta if getattr(c, "description", None)), "text")
    if bare is bool:
        return "true or false"
    if get_origin(bare) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(bare))
    if get_origin(bare) in (tuple, list):
        args = [a for a in get_args(bare) if a is not Ellipsis]
        inner = describe(*_unwrap(args[0])) if args else "values"
        return f"a list of {_plural(inner)}"
    if get_origin(bare) is dict:
        return f"a table of names to {_plural(describe(*_unwrap(get_args(bare)[1])))}"
    if _is_table(bare):
        return f"a table with {', '.join(bare.model_fields)}"
    return "a valid value"


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


# ----------------------------------------------------------------------------------------------
# the translation


def _from_problem(path: str, p: Problem) -> ScenarioError:
    full = path
    if p.path:
        full = f"{path}{p.path}" if p.path.startswith("[") or not path else f"{path}.{p.path}"
    if p.message:
        return plain_error(full or "scenario", p.value, f"{full}: {p.message}" if full else p.message)
    return ScenarioError(full or "scenario", short(p.value), p.allowed)


def _from_nested(path: str, inner: ScenarioError) -> ScenarioError:
    """An error raised by a nested table's own constructor, with this table's path in front."""
    if not path:
        return inner
    full = path + (inner.field if inner.field.startswith("[") else f".{inner.field}")
    msg = str(inner)
    if msg.startswith(inner.field):
        msg = full + msg[len(inner.field) :]
    out = ScenarioError(full, inner.value, inner.allowed)
    out.args = (msg,)
    return out


def _allowed_text(typ: str, ctx: dict[str, Any], bare: Any, meta: list[Any]) -> str:
    """What to use instead, for pydantic's own error types."""
    if typ == "too_short":
        n = ctx.get("min_length", 1)
        kind = "a table" if get_origin(bare) is dict else "a list"
        return f"{kind} with at least {n} {'entry' if n == 1 else 'entries'}"
    if typ == "string_pattern_mismatch":
        return "text without control characters (such as line breaks)"
    if typ == "string_too_short":
        return "text of at least 1 character"
    if typ == "string_too_long":
        return f"text of at most {ctx.get('max_length')} characters"
    return describe(bare, meta)


def translate(err: ValidationError, cls: type[BaseModel]) -> ScenarioError:
    """The first pydantic error as one :class:`ScenarioError` sentence."""
    e = err.errors(include_url=False)[0]
    path, bare, meta, owner = _walk(cls, tuple(e["loc"]))
    typ, value, ctx = e["type"], e.get("input"), e.get("ctx", {})
    cause = ctx.get("error")
    if typ == "value_error" and isinstance(cause, Problem):
        return _from_problem(path, cause)
    if typ == "value_error" and isinstance(cause, ScenarioError):
        return _from_nested(path, cause)
    field = path or "scenario"
    if e["loc"] and e["loc"][-1] == "[key]":  # a bad key of a table whose keys are a fixed list (weekdays)
        table, table_bare, _, _ = _walk(cls, tuple(e["loc"][:-2]))
        key = get_args(table_bare)[0] if get_origin(table_bare) is dict else None
        if get_origin(key) is Literal:
            return ScenarioError(table or "scenario", short(value), f"keys that are {describe(key, [])}")
    if typ == "extra_forbidden":
        allowed = ", ".join(owner.model_fields) if owner is not None else ""
        return plain_error(field, value, f"{field}: unknown field; allowed fields are {allowed}")
    if typ == "missing":
        return plain_error(field, None, f"{field}: missing; it is required ({describe(bare, meta)})")
    return ScenarioError(field, short(value), _allowed_text(typ, ctx, bare, meta))
