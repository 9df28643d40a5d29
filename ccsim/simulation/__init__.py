"""The SimPy engine and what it simulates: model, distributions, callers, queues, routing, agents, logs.

``from ccsim.simulation import simulate, SimulationResult, CenterModel`` works; the engine (SimPy,
pandas) is imported on first use of one of its names, so the model and the routing registry stay
light to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ccsim.simulation import routing_specialists as _routing_specialists  # noqa: F401  registers 'specialists_first'
from ccsim.simulation.distributions import Distribution, Exponential, Fixed, Lognormal, lognormal
from ccsim.simulation.model import (
    AgentGroup,
    ArrivalStream,
    Callback,
    CallType,
    CenterModel,
    Routing,
    Site,
    Transfer,
)
from ccsim.simulation.routing import register_routing, routing_names, routing_policy, unregister_routing

if TYPE_CHECKING:
    from ccsim.simulation.engine import simulate
    from ccsim.simulation.overload import MAX_EXPECTED_CALLS, demand_ratio, overload_message
    from ccsim.simulation.randomness import STREAMS, stream_generator
    from ccsim.simulation.result import OUTCOMES, SimulationResult
    from ccsim.simulation.staffing import seconds_per_interval

_LAZY = {
    "simulate": "ccsim.simulation.engine",
    "SimulationResult": "ccsim.simulation.result",
    "OUTCOMES": "ccsim.simulation.result",
    "MAX_EXPECTED_CALLS": "ccsim.simulation.overload",
    "demand_ratio": "ccsim.simulation.overload",
    "overload_message": "ccsim.simulation.overload",
    "STREAMS": "ccsim.simulation.randomness",
    "stream_generator": "ccsim.simulation.randomness",
    "seconds_per_interval": "ccsim.simulation.staffing",
}

__all__ = [
    "MAX_EXPECTED_CALLS",
    "OUTCOMES",
    "STREAMS",
    "AgentGroup",
    "ArrivalStream",
    "CallType",
    "Callback",
    "CenterModel",
    "Distribution",
    "Exponential",
    "Fixed",
    "Lognormal",
    "Routing",
    "SimulationResult",
    "Site",
    "Transfer",
    "demand_ratio",
    "lognormal",
    "overload_message",
    "register_routing",
    "routing_names",
    "routing_policy",
    "seconds_per_interval",
    "simulate",
    "stream_generator",
    "unregister_routing",
]


def __getattr__(name: str) -> Any:
    """Import the engine's names on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ccsim.simulation' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
