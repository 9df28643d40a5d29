"""Scenario input: TOML files or Python dicts, validated once, compiled to the engine's model.

Modules: :mod:`~ccsim.scenario.schema` (the :class:`Scenario` and loading it),
:mod:`~ccsim.scenario.tables` (its tables and their own rules), :mod:`~ccsim.scenario.checks`
(rules across tables), :mod:`~ccsim.scenario.compile` (to the engine's model),
:mod:`~ccsim.scenario.clock` (local times and opening hours), :mod:`~ccsim.scenario.loading`
(data folder, presets, TOML, ``extends``, profiles), :mod:`~ccsim.scenario.fields` (field types,
times of day, weekdays), :mod:`~ccsim.scenario.durations` (distributions and delays),
:mod:`~ccsim.scenario.days` (several days), :mod:`~ccsim.scenario.journeys` (members' journeys,
personas files) and :mod:`~ccsim.scenario.messages` (one-sentence errors).
"""

from ccsim.scenario.durations import Delay
from ccsim.scenario.journeys import Journeys, Persona, Reason
from ccsim.scenario.loading import data_dir, list_presets, load_profile
from ccsim.scenario.schema import Scenario, load_preset, load_scenario
from ccsim.scenario.tables import (
    AgentGroup,
    Arrivals,
    Break,
    Callback,
    CallType,
    Horizon,
    Routing,
    Shift,
    Site,
    Targets,
    TimeDistribution,
    Transfer,
)

__all__ = [
    "AgentGroup",
    "Arrivals",
    "Break",
    "CallType",
    "Callback",
    "Delay",
    "Horizon",
    "Journeys",
    "Persona",
    "Reason",
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
