"""The cases the labs share: one queue (:class:`QueueCase`), the classroom case and the targets its tiles judge.

Nothing is read when this module is imported: :func:`classroom_case` and :func:`guarantees` load the
``classroom`` scenario preset the first time they are called and keep it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ccsim.errors import CcsimInputError
from ccsim.views.widgets import Target, guarantees_from

if TYPE_CHECKING:
    from ccsim.scenario import Scenario
    from ccsim.simulation.model import CenterModel

__all__ = ["QueueCase", "case_params", "classroom_case", "guarantees", "queue_targets"]


@dataclass(frozen=True)
class QueueCase:
    """One queue whose demand and staffing stay the same all day: what the lab-01 sliders control.

    Seconds inside; calls per hour only because that is how a supervisor says it.
    """

    agents: int
    calls_per_hour: float
    aht_s: float
    """Average handle time (talk plus wrap-up), seconds."""
    patience_s: float
    """Mean time a caller waits before hanging up, seconds."""
    answer_within_s: float = 30.0
    """Service-level threshold T, seconds."""
    sl_definition: str = "offered"
    hours: float = 8.0
    interval_s: float = 1800.0

    @property
    def calls_per_interval(self) -> float:
        return self.calls_per_hour * self.interval_s / 3600.0

    @property
    def intervals(self) -> int:
        """Intervals simulated: a partial last interval is rounded up, as ``ccsim simulate --hours`` does."""
        return max(1, math.ceil(self.hours * 3600.0 / self.interval_s - 1e-9))

    @property
    def load_erlangs(self) -> float:
        """Offered load: calls per second × AHT, in Erlangs (agents' worth of work)."""
        return self.calls_per_hour / 3600.0 * self.aht_s

    def params(self) -> dict[str, Any]:
        """The control values of this case, as the panels name them."""
        return {
            "agents": self.agents,
            "calls_per_hour": self.calls_per_hour,
            "aht_s": self.aht_s,
            "patience_s": self.patience_s,
            "answer_within_s": self.answer_within_s,
            "sl_definition": self.sl_definition,
        }

    @classmethod
    def from_model(cls, model: CenterModel) -> QueueCase:
        """The case of a single-queue model (one call type, one agent group, staffing and calls constant).

        Its callers must hang up (a patience distribution): the panels compare Erlang A with Erlang C,
        and Erlang A needs a patience; a model without one raises :class:`CcsimInputError`."""
        group, calls, ct = model.agent_groups[0], model.arrivals[0], model.call_types[0]
        if ct.patience is None:
            raise CcsimInputError(
                f"call type {ct.name!r} patience",
                None,
                "a patience distribution (callers who hang up), because the lab panels set Erlang A beside Erlang C",
            )
        return cls(
            agents=group.agents_at(0.0),
            calls_per_hour=calls.calls_per_interval[0] * 3600.0 / model.interval_s,
            aht_s=ct.handle_time.mean_s,
            patience_s=ct.patience.mean_s,
            answer_within_s=model.answer_within_s,
            hours=model.horizon_s / 3600.0,
            interval_s=model.interval_s,
        )


@functools.cache
def _classroom_preset() -> Scenario:
    from ccsim.scenario import load_preset

    return load_preset("classroom")


@functools.cache
def classroom_case() -> QueueCase:
    """The classroom case of the core labs, from the ``classroom`` scenario preset (data/scenarios/classroom.toml,
    shaped by facts.md: one site, 50 agents, 8 hours in 30-minute intervals, AHT 400 s, patience 300 s, load 0.95).

    >>> classroom_case().agents, classroom_case().aht_s
    (50, 400.0)
    """
    preset = _classroom_preset()
    return replace(QueueCase.from_model(preset.to_model()), sl_definition=preset.targets.service_level_definition)


@functools.cache
def _guarantees() -> dict[str, Target]:
    return guarantees_from(_classroom_preset().targets)


def guarantees() -> dict[str, Target]:
    """The targets the labs' queue tiles judge against (KPI → :class:`ccsim.views.widgets.Target`), from the
    classroom preset's targets (defaults from facts.md): the plan's guarantees 80% in 30 s, abandonment < 3%
    and ASA < 30 s, and busy occupancy at most 85%, a target, not a guarantee. As in :mod:`ccsim.metrics.scorecard`, a value equal to
    the threshold counts as met, so the tiles say "at most". A new dict on every call (the targets are shared).

    >>> guarantees()["service_level"].text
    'target 80% in 30 s'
    """
    return dict(_guarantees())


def case_params(params: dict[str, Any], case: QueueCase) -> dict[str, Any]:
    """``case``'s control values, overridden by ``params``."""
    full = case.params()
    full.update(params)
    return full


def queue_targets(params: dict[str, Any]) -> dict[str, Target]:
    """:func:`guarantees`, with the service-level threshold ``params["answer_within_s"]`` when given."""
    t = guarantees()
    t["service_level"] = t["service_level"].with_answer_within_s(
        float(params.get("answer_within_s", t["service_level"].answer_within_s or 0.0))
    )
    return t
