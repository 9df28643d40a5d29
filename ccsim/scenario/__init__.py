"""Scenario input: TOML files or Python dicts, validated once, compiled to the engine's model."""

from ccsim.scenario.schema import *  # noqa: F403
from ccsim.scenario.schema import __all__
