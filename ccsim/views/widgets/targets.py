"""A tile's view of a target: the scorecard's target (which judges) with the words a tile says.

Occupancy is a target, never a guarantee (facts.md "Careful with occupancy"); its words say so.
"""

from __future__ import annotations

from typing import Literal

from ccsim.errors import CcsimInputError
from ccsim.metrics import scorecard
from ccsim.metrics.registry import kpi as registry_kpi

TILE_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")
"""The KPIs the queue tiles show: three guarantees (service level, ASA, abandonment) and busy occupancy, a target."""


class Target:
    """A tile's view of a target: the KPI layer's :class:`ccsim.metrics.scorecard.Target` (which judges
    met or missed) with the words a tile says.

    ``Target(kpi, value, direction, answer_within_s=None)``: ``kpi`` must be ``at_least`` or ``at_most``
    ``value`` (fractions, or seconds for ASA); service level names its T in seconds. :meth:`of` wraps
    a scorecard target as it is. Label and unit come from :data:`ccsim.metrics.registry.KPIS`.

        >>> Target("service_level", 0.8, "at_least", answer_within_s=30).text
        'target 80% in 30 s'
    """

    __slots__ = ("kpi_target",)

    def __init__(
        self, kpi: str, value: float, direction: Literal["at_least", "at_most"], answer_within_s: float | None = None
    ):
        k = registry_kpi(kpi)
        if k.unit not in ("%", "s"):
            raise CcsimInputError("kpi", kpi, "a KPI measured in percent or seconds")
        self.kpi_target = scorecard.Target(
            kpi,
            k.label,
            float(value),
            "at least" if direction == "at_least" else "at most",
            "%" if k.unit == "%" else "s",
            answer_within_s=answer_within_s,
        )

    @classmethod
    def of(cls, target: scorecard.Target) -> Target:
        view = cls.__new__(cls)
        view.kpi_target = target
        return view

    @property
    def kpi(self) -> str:
        return self.kpi_target.metric

    @property
    def value(self) -> float:
        """The threshold: a fraction, or seconds."""
        return self.kpi_target.threshold

    @property
    def answer_within_s(self) -> float | None:
        return self.kpi_target.answer_within_s

    @property
    def direction(self) -> Literal["at_least", "at_most"]:
        return "at_least" if self.kpi_target.direction == "at least" else "at_most"

    def met(self, x: float | None) -> bool | None:
        """True/False whether ``x`` meets the target; None when there is no number to judge."""
        return self.kpi_target.met(x)

    def with_answer_within_s(self, t: float) -> Target:
        """The same target with service level counted within ``t`` seconds."""
        return Target.of(self.kpi_target.with_answer_within_s(t))

    @property
    def text(self) -> str:
        """e.g. 'target 80% in 30 s', 'target at most 30 s', 'target 85% or less, not a guarantee'.

        Words match :meth:`met`: a value equal to the threshold meets the target ("at most", never "under")."""
        v = f"{100 * self.value:g}%" if self.kpi_target.unit == "%" else f"{self.value:g} s"
        at_most = self.direction == "at_most"
        if self.kpi == "service_level":
            return f"target {v} in {self.answer_within_s:g} s" if self.answer_within_s else f"target {v}"
        if registry_kpi(self.kpi).direction == "lower_is_better":
            return f"target at most {v}" if at_most else f"target at least {v}"
        words = f"target {v} or less" if at_most else f"target {v} or more"
        return words if self.kpi_target.guaranteed else f"{words}, not a guarantee"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and other.kpi_target == self.kpi_target

    def __hash__(self) -> int:
        return hash(self.kpi_target)

    def __repr__(self) -> str:
        return f"widgets.Target.of({self.kpi_target!r})"


def guarantees_from(targets: object) -> dict[str, Target]:
    """KPI → :class:`Target` from a scenario's ``targets`` (:class:`ccsim.scenario.Targets`), through
    :func:`ccsim.metrics.scorecard.targets_from`: the KPIs the tiles show (service level, ASA, abandonment, and
    busy occupancy, a target kept at most its level, not a guarantee)."""
    by_metric = {t.metric: t for t in scorecard.targets_from(targets)}
    return {kpi: Target.of(by_metric[kpi]) for kpi in TILE_KPIS}
