"""Staffing: the fewest agents that meet every target, the shrinkage gross-up, and an interval staffing table.

Times in seconds; ``calls`` are offered per interval of ``interval_s`` seconds.

Example (the Call Centre Helper case: 100 calls per 30 min, AHT 180 s, 80% in 20 s, 30% shrinkage)::

    >>> r = required_agents(100, 1800, 180, answer_within_s=20, target_sl=0.8)
    >>> r.agents, scheduled_agents(r.agents, 0.3)
    (14, 20)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ccsim.analytics.erlang import MAX_AGENTS, QueueMetrics, erlang_a, erlang_c
from ccsim.analytics.service_level import SLDefinition, parse_sl_definition
from ccsim.errors import CcsimInputError, check_number

__all__ = [
    "BUSY_LIMIT",
    "StaffingResult",
    "efficiency_trap",
    "required_agents",
    "scheduled_agents",
    "staffing_table",
]

TARGETS = ("target_sl", "max_asa_s", "max_abandon", "max_occupancy")
MODELS = ("erlang_c", "erlang_a")
BUSY_LIMIT = 0.95
"""Busy occupancy above which a staffing is an efficiency trap (no breathing room between calls)."""


def efficiency_trap(agents: float, load_erlangs: float, occupancy: float) -> str | None:
    """One sentence when a staffing is an efficiency trap, else None.

    A trap: fewer agents than the Erlangs of work (the targets are met only because callers hang up), or
    busy occupancy above :data:`BUSY_LIMIT`. Busy occupancy is a target, never a guarantee.

        >>> efficiency_trap(9, 10.0, 0.97)[:60]
        'Efficiency trap: 9 agents are fewer than the 10.0 Erlangs of'
        >>> efficiency_trap(14, 10.0, 0.71) is None
        True
    """
    if agents < load_erlangs - 1e-9:
        return (
            f"Efficiency trap: {agents:g} agents are fewer than the {load_erlangs:.1f} Erlangs of work, so the "
            f"targets are met only because callers hang up, with agents busy {100 * occupancy:.0f}% of the time."
        )
    if occupancy > BUSY_LIMIT + 1e-12:
        return (
            f"Efficiency trap: busy occupancy of {100 * occupancy:.1f}% (above {100 * BUSY_LIMIT:.0f}%) leaves "
            "agents almost no breathing room between calls, so this staffing meets the targets on paper only."
        )
    return None


@dataclass(frozen=True)
class StaffingResult:
    """Fewest agents meeting every target with a stable queue; ``binding`` names the target(s) one agent fewer would miss.

    ``binding`` is empty when one agent is enough, or when one agent fewer would only leave the Erlang C
    queue unstable (load at or above the agents) while meeting the targets on paper.
    """

    agents: int
    metrics: QueueMetrics
    binding: tuple[str, ...]
    model: str

    @property
    def warning(self) -> str | None:
        """The efficiency-trap sentence (:func:`efficiency_trap`) for this staffing, or None."""
        m = self.metrics
        return efficiency_trap(self.agents, m.load_erlangs, m.occupancy)


def _targets_met(m: QueueMetrics, targets: dict[str, float]) -> dict[str, bool]:
    checks = {
        "target_sl": lambda v: m.service_level >= v - 1e-12,
        "max_asa_s": lambda v: m.asa_s <= v,
        "max_abandon": lambda v: m.abandonment_rate <= v + 1e-12,
        "max_occupancy": lambda v: m.occupancy <= v + 1e-12,
    }
    return {name: checks[name](value) for name, value in targets.items()}


def _smallest(ok: Callable[[int], bool], guess: int) -> int | None:
    """Smallest n in 1..MAX_AGENTS with ok(n), for ok monotone (False ... True); galloping from ``guess``."""
    guess = min(max(guess, 1), MAX_AGENTS)
    if ok(guess):
        hi, step = guess, 1
        while True:  # gallop down to a failing n
            lo = hi - step
            if lo < 1:
                lo = 0
                break
            if not ok(lo):
                break
            hi, step = lo, 2 * step
    else:
        lo, step = guess, 1
        while True:  # gallop up to a passing n
            hi = min(lo + step, MAX_AGENTS)
            if ok(hi):
                break
            if hi == MAX_AGENTS:
                return None
            lo, step = hi, 2 * step
    while hi - lo > 1:  # ok(lo) is False (or lo == 0), ok(hi) is True
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _formula(model: str | None, patience_s: float | None) -> Callable[..., QueueMetrics]:
    """The closed form for ``model`` (default: Erlang A when a mean patience ``patience_s`` in seconds is given)."""
    if patience_s is not None:
        patience_s = check_number("patience_s", patience_s, low=0, low_open=True)
    if model is None:
        model = "erlang_a" if patience_s is not None else "erlang_c"
    if model not in MODELS:
        raise CcsimInputError("model", model, f"one of {', '.join(MODELS)}")
    if model == "erlang_c":
        return erlang_c
    if patience_s is None:
        raise CcsimInputError("patience_s", None, "a mean patience in seconds above 0 for the erlang_a model")
    patience = patience_s

    def with_patience(
        calls: float, interval_s: float, aht_s: float, agents: int, answer_within_s: float, sl: SLDefinition
    ) -> QueueMetrics:
        return erlang_a(calls, interval_s, aht_s, agents, patience, answer_within_s, sl)

    return with_patience


def _check_targets(**targets: float | None) -> dict[str, float]:
    """The targets given (not None), checked: shares in (0, 1], seconds above 0; at least one."""
    checked: dict[str, float] = {}
    for name, value in targets.items():
        if value is not None:
            high = None if name == "max_asa_s" else 1
            checked[name] = check_number(name, value, low=0, high=high, low_open=True)
    if not checked:
        raise CcsimInputError("targets", None, "at least one of " + ", ".join(TARGETS))
    return checked


def required_agents(
    calls: float,
    interval_s: float,
    aht_s: float,
    *,
    answer_within_s: float = 20,
    target_sl: float | None = None,
    max_asa_s: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    patience_s: float | None = None,
    sl_definition: str | SLDefinition = "offered",
    model: str | None = None,
) -> StaffingResult:
    """Fewest agents (1..5000) meeting every given target for ``calls`` per ``interval_s`` s at AHT ``aht_s`` s.

    Targets: ``target_sl`` (service level 0–1 answered within ``answer_within_s`` s, under ``sl_definition``),
    ``max_asa_s`` (seconds), ``max_abandon`` (share 0–1), ``max_occupancy`` (share 0–1).
    ``model`` is "erlang_a" when ``patience_s`` (mean patience, s) is given, else "erlang_c"; an Erlang C
    answer always has more agents than the load (a stable queue).
    """
    calls = check_number("calls", calls, low=0)
    interval_s = check_number("interval_s", interval_s, low=0, low_open=True)
    aht_s = check_number("aht_s", aht_s, low=0, low_open=True)
    answer_within_s = check_number("answer_within_s", answer_within_s, low=0)
    sl = parse_sl_definition(sl_definition)
    formula = _formula(model, patience_s)
    targets = _check_targets(
        target_sl=target_sl, max_asa_s=max_asa_s, max_abandon=max_abandon, max_occupancy=max_occupancy
    )
    cache: dict[int, QueueMetrics] = {}

    def metrics(n: int) -> QueueMetrics:
        if n not in cache:
            cache[n] = formula(calls, interval_s, aht_s, n, answer_within_s, sl)
        return cache[n]

    def ok(n: int) -> bool:
        # an unstable Erlang C queue is never an answer, even where its capped occupancy or zero abandonment "meets" a target
        m = metrics(n)
        return m.stable and all(_targets_met(m, targets).values())

    load = calls * aht_s / interval_s
    guess = math.floor(load) + 1
    if "max_occupancy" in targets:
        guess = max(guess, math.ceil(load / targets["max_occupancy"]))
    agents = _smallest(ok, guess)
    if agents is None:
        wanted = ", ".join(f"{k}={v:g}" for k, v in targets.items())
        raise CcsimInputError(
            "targets",
            wanted,
            f"targets that {MAX_AGENTS} agents or fewer can meet "
            f"for {calls:g} calls per {interval_s:g} s at AHT {aht_s:g} s",
        )
    if agents > 1:
        binding = tuple(k for k, met in _targets_met(metrics(agents - 1), targets).items() if not met)
    else:
        binding = ()
    return StaffingResult(agents=agents, metrics=metrics(agents), binding=binding, model=metrics(agents).model)


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to schedule so ``agents`` are on the phones after ``shrinkage`` (share 0–1 of paid time off-phone).

    ceil(agents / (1 - shrinkage)), guarded against float noise: a quotient within 1e-9 (relative; absolute
    below 1) of a whole number is that number, so 1 agent at 80% shrinkage gives 5, not 6 (1 / 0.2 is
    5.000000000000001 in floating point).
    """
    agents = int(check_number("agents", agents, low=0, integer=True))
    shrinkage = check_number("shrinkage", shrinkage, low=0, high=1, high_open=True)
    gross = agents / (1.0 - shrinkage)
    nearest = round(gross)
    if abs(gross - nearest) <= 1e-9 * max(1.0, gross):
        return int(nearest)
    return math.ceil(gross)


_TARGET_KEYWORDS = (
    "answer_within_s",
    "target_sl",
    "max_asa_s",
    "max_abandon",
    "max_occupancy",
    "patience_s",
    "sl_definition",
    "model",
)
"""The keyword arguments of :func:`required_agents` that :func:`staffing_table` passes on."""


def staffing_table(
    calls_per_interval: Sequence[float] | pd.Series,
    interval_s: float,
    aht_s: float,
    *,
    shrinkage: float = 0.0,
    **targets,
) -> pd.DataFrame:
    """One row per interval: interval, calls, load_erlangs, agents, scheduled_agents, service_level, asa_s,
    abandonment_rate, occupancy.

    ``table.attrs["warnings"]`` holds one sentence when the staffing of some intervals is an efficiency
    trap (:func:`efficiency_trap`: fewer agents than the Erlangs of work, or busy occupancy above 95%),
    naming those intervals; otherwise it is empty.

    ``targets`` are the keyword arguments of :func:`required_agents` (answer_within_s, target_sl, max_asa_s,
    max_abandon, max_occupancy, patience_s, sl_definition, model). A pandas Series keeps its index as the
    interval labels; a list is labelled 0, 1, 2, ...
    """
    allowed = _TARGET_KEYWORDS
    for name in targets:
        if name not in allowed:
            raise CcsimInputError("staffing_table keyword", name, "one of " + ", ".join(allowed))
    shrinkage = check_number("shrinkage", shrinkage, low=0, high=1, high_open=True)
    if isinstance(calls_per_interval, pd.Series):
        labels = list(calls_per_interval.index)
        values = list(calls_per_interval.to_numpy())
        index = calls_per_interval.index
    else:
        values = list(calls_per_interval)
        labels = list(range(len(values)))
        index = pd.RangeIndex(len(values))
    rows = []
    trapped: list[str] = []
    for i, (label, calls) in enumerate(zip(labels, values, strict=True)):
        result = required_agents(check_number(f"calls_per_interval[{i}]", calls, low=0), interval_s, aht_s, **targets)
        m = result.metrics
        if result.warning is not None:
            trapped.append(str(label))
        rows.append(
            {
                "interval": label,
                "calls": m.calls,
                "load_erlangs": m.load_erlangs,
                "agents": result.agents,
                "scheduled_agents": scheduled_agents(result.agents, shrinkage),
                "service_level": m.service_level,
                "asa_s": m.asa_s,
                "abandonment_rate": m.abandonment_rate,
                "occupancy": m.occupancy,
            }
        )
    columns = [
        "interval",
        "calls",
        "load_erlangs",
        "agents",
        "scheduled_agents",
        "service_level",
        "asa_s",
        "abandonment_rate",
        "occupancy",
    ]
    table = pd.DataFrame(rows, columns=columns, index=index.copy().rename(None))
    table.attrs["warnings"] = _table_warning(trapped, len(rows))
    return table


def _table_warning(trapped: list[str], intervals: int) -> list[str]:
    if not trapped:
        return []
    shown = ", ".join(trapped[:6]) + (f" and {len(trapped) - 6} more" if len(trapped) > 6 else "")
    return [
        f"Efficiency trap in {len(trapped)} of {intervals} intervals ({shown}): the staffing there has fewer agents "
        f"than the Erlangs of work or busy occupancy above {100 * BUSY_LIMIT:.0f}%, so it meets the targets only "
        "because callers hang up or agents get no breathing room."
    ]
