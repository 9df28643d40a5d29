"""ccsim: contact-center queueing analytics and simulation for the training kit. Seconds everywhere inside."""

from ccsim.analytics.service_level import SLDefinition
from ccsim.errors import CcsimInputError, ScenarioError

__version__ = "0.1.0"

__all__ = ["CcsimInputError", "SLDefinition", "ScenarioError", "__version__"]
