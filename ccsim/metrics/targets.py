"""Targets: each metric the scorecard judges, with its threshold and direction, from a scenario's ``[targets]`` table.

The numbers live in one place, :class:`ccsim.scenario.Targets` (its defaults, or a scenario's
``[targets]`` table); :func:`targets_from` turns them into :class:`Target` rows (service level,
abandonment, ASA, AHT, occupancy) and :func:`fcr_target` into the first-contact resolution target
that scorecards add for runs with member journeys. :mod:`ccsim.metrics.scorecard` judges a result
against them.

Not all of them are guarantees (facts.md): the plan guarantees service level, abandonment, ASA and
first-contact resolution (:data:`GUARANTEED_METRICS`, money at risk); handle time and occupancy are
targets without a guarantee. The ``occupancy`` row is *busy* occupancy (the industry's: on calls over
logged-in time) kept *at most* the level, for breathing room between calls. The plan's own "occupancy
85%" is a different, in-seat measure (:mod:`ccsim.metrics.occupancy`), something to reach.

    >>> fcr_target().text
    'at least 85 %'
    >>> [t.metric for t in DEFAULT_TARGETS if not t.guaranteed]
    ['aht_s', 'occupancy']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from ccsim.errors import CcsimInputError
from ccsim.metrics.registry import KPIS

__all__ = [
    "DEFAULT_FCR_SHARE",
    "DEFAULT_TARGETS",
    "GUARANTEED_METRICS",
    "Target",
    "fcr_target",
    "target_text",
    "targets_from",
]

Direction = Literal["at least", "at most"]

GUARANTEED_METRICS: frozenset[str] = frozenset({"service_level", "abandonment_rate", "asa_s", "fcr"})
"""The metrics the plan guarantees (facts.md, money at risk); every other target is one to aim for, not a guarantee."""


@dataclass(frozen=True)
class Target:
    """A target: ``metric`` (a :func:`ccsim.metrics.kpis.kpis` column) must be ``direction`` ``threshold``.

    ``threshold`` is a fraction for ``unit`` "%" (0.8 = 80 %) and seconds for ``unit`` "s"; ``label``
    and ``unit`` are the registry's (:data:`ccsim.metrics.registry.KPIS`).
    Service level also names its T (``answer_within_s``, seconds) and its definition.
    """

    metric: str
    label: str
    threshold: float
    direction: Direction
    unit: Literal["%", "s"]
    answer_within_s: float | None = None
    sl_definition: str | None = None

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` meets the target (equal counts as met; an endless ASA misses); None when there is no number."""
        if value is None or math.isnan(float(value)):
            return None
        return float(value) >= self.threshold if self.direction == "at least" else float(value) <= self.threshold

    def with_answer_within_s(self, t: float, sl_definition: str | None = None) -> Target:
        """A service-level target counted within ``t`` seconds (its label says so); any other target unchanged."""
        if self.metric != "service_level":
            return self
        label = self.label if self.answer_within_s == t else _sl_label(t)
        return replace(self, label=label, answer_within_s=t, sl_definition=sl_definition or self.sl_definition)

    @property
    def guaranteed(self) -> bool:
        """Whether the plan guarantees this metric (:data:`GUARANTEED_METRICS`); False: a target, not a guarantee."""
        return self.metric in GUARANTEED_METRICS

    @property
    def text(self) -> str:
        """The target in words, e.g. 'at least 80 %' or 'at most 30 s'."""
        return target_text(self.direction, self.threshold, self.unit)


def target_text(direction: str, threshold: float, unit: str) -> str:
    """A target in words with as many digits as it was written with: 'at least 80 %', 'at most 2.5 %', 'at most 30 s'."""
    scale = 100.0 if unit == "%" else 1.0
    return f"{direction} {round(scale * threshold, 6):g} {unit}"


def _sl_label(t: float) -> str:
    return f"{KPIS['service_level'].label} ({t:g} s)"


def _target(
    metric: str,
    threshold: float,
    direction: Direction,
    answer_within_s: float | None = None,
    sl_definition: str | None = None,
) -> Target:
    """A :class:`Target` with the registry's label and unit for ``metric`` (service level: with its T in the label)."""
    k = KPIS[metric]
    unit: Literal["%", "s"] = "%" if k.unit == "%" else "s"
    label = k.label if answer_within_s is None else _sl_label(answer_within_s)
    return Target(metric, label, float(threshold), direction, unit, answer_within_s, sl_definition)


def targets_from(targets: object | None = None) -> tuple[Target, ...]:
    """:class:`Target` rows from a scenario's targets (:class:`ccsim.scenario.Targets`, or a Scenario); None: the defaults."""
    from ccsim.scenario import Scenario, Targets

    if targets is None:
        targets = Targets()
    if isinstance(targets, Scenario):
        targets = targets.targets
    if not isinstance(targets, Targets):
        raise CcsimInputError(
            "targets", type(targets).__name__, "a ccsim.scenario.Targets, a Scenario, a list of Target or None"
        )
    return (
        _target(
            "service_level",
            targets.service_level_share,
            "at least",
            answer_within_s=float(targets.answer_within_s),
            sl_definition=str(targets.service_level_definition),
        ),
        _target("abandonment_rate", targets.abandonment_share_max, "at most"),
        _target("asa_s", targets.asa_s_max, "at most"),
        _target("aht_s", targets.aht_s_max, "at most"),
        _target("occupancy", targets.occupancy_share, "at most"),
    )


DEFAULT_TARGETS: tuple[Target, ...] = targets_from(None)
"""The health plan's guarantees and targets, from :class:`ccsim.scenario.Targets`' defaults (one source of truth)."""


DEFAULT_FCR_SHARE = 0.85
"""First-contact resolution target when the scenario names none (``targets.fcr_share``): at least 85 %."""


def fcr_target(targets: object | None = None) -> Target:
    """The first-contact resolution target, at least ``targets.fcr_share`` (default :data:`DEFAULT_FCR_SHARE`).

    ``targets``: a :class:`ccsim.scenario.Targets`, a Scenario, or None (the defaults). Scorecards add it
    for runs with member journeys (:func:`ccsim.metrics.scorecard.scorecard`); FCR is the look-back
    measure (:mod:`ccsim.metrics.journeys`), not the agent-reported one.
    """
    from ccsim.scenario import Scenario, Targets

    if isinstance(targets, Scenario):
        targets = targets.targets
    if targets is None:
        targets = Targets()
    if not isinstance(targets, Targets):
        raise CcsimInputError("targets", type(targets).__name__, "a ccsim.scenario.Targets, a Scenario or None")
    share = getattr(targets, "fcr_share", None)
    return _target("fcr", DEFAULT_FCR_SHARE if share is None else float(share), "at least")
