"""ccsim: contact-center queueing analytics and simulation for the training kit. Seconds everywhere inside."""

from .errors import CcsimInputError, ScenarioError
from .service_level import SLDefinition

__version__ = "0.1.0"

__all__ = ["CcsimInputError", "ScenarioError", "SLDefinition", "__version__"]
