"""Time distributions for handle time, patience and menu time: seconds, sampled from a numpy Generator."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccsim.errors import check_number


class Distribution:
    """A distribution of durations in seconds."""

    mean_s: float

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws, seconds."""
        raise NotImplementedError

    @property
    def cv(self) -> float:
        """Coefficient of variation (standard deviation / mean)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with mean ``mean_s`` seconds (cv = 1): the Erlang assumption."""

    mean_s: float

    def __post_init__(self) -> None:
        check_number("mean_s", self.mean_s, low=0, low_open=True)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_s, size)

    @property
    def cv(self) -> float:
        return 1.0


@dataclass(frozen=True)
class Lognormal(Distribution):
    """Lognormal with mean ``mean_s`` seconds and coefficient of variation ``cv``: long right tail, like real handle times."""

    mean_s: float
    cv_: float = 1.0

    def __post_init__(self) -> None:
        check_number("mean_s", self.mean_s, low=0, low_open=True)
        check_number("cv", self.cv_, low=0, low_open=True, high=20)

    @property
    def cv(self) -> float:
        return self.cv_

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = math.log1p(self.cv_**2)
        mu = math.log(self.mean_s) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)


@dataclass(frozen=True)
class Fixed(Distribution):
    """Always ``mean_s`` seconds (cv = 0)."""

    mean_s: float

    def __post_init__(self) -> None:
        check_number("mean_s", self.mean_s, low=0)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, float(self.mean_s))

    @property
    def cv(self) -> float:
        return 0.0


def lognormal(mean_s: float, cv: float) -> Lognormal:
    """Lognormal with mean ``mean_s`` seconds and coefficient of variation ``cv``."""
    return Lognormal(mean_s, cv)
