"""Time distributions: means and coefficients of variation of the draws, reproducibility, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal, lognormal

N = 200_000


@pytest.mark.parametrize(
    "dist, mean, cv",
    [
        (Exponential(180), 180, 1.0),
        (Lognormal(300, 0.5), 300, 0.5),
        (Lognormal(300, 1.5), 300, 1.5),
        (lognormal(60, 1.0), 60, 1.0),
    ],
)
def test_draws_have_the_stated_mean_and_cv(dist, mean, cv):
    x = dist.sample(np.random.default_rng(1), N)
    assert x.shape == (N,) and (x > 0).all()
    assert dist.mean_s == mean and dist.cv == cv
    # standard error of the mean is cv * mean / sqrt(N); allow 5 of them
    assert abs(x.mean() - mean) < 5 * cv * mean / np.sqrt(N)
    assert x.std() / x.mean() == pytest.approx(cv, rel=0.1)


def test_fixed_is_always_its_value():
    x = Fixed(45).sample(np.random.default_rng(0), 10)
    assert np.array_equal(x, np.full(10, 45.0)) and Fixed(45).cv == 0.0
    assert Fixed(0).sample(np.random.default_rng(0), 3).sum() == 0


def test_same_generator_seed_same_draws():
    d = Lognormal(200, 0.8)
    assert np.array_equal(d.sample(np.random.default_rng(9), 50), d.sample(np.random.default_rng(9), 50))
    assert not np.array_equal(d.sample(np.random.default_rng(9), 50), d.sample(np.random.default_rng(10), 50))


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: Exponential(0), "mean_s"),
        (lambda: Exponential(-5), "mean_s"),
        (lambda: Lognormal(0, 1), "mean_s"),
        (lambda: Lognormal(100, 0), "cv"),
        (lambda: Lognormal(100, 25), "cv"),
        (lambda: Fixed(-1), "mean_s"),
        (lambda: Exponential("180"), "mean_s"),
    ],
)
def test_bad_parameters_are_one_sentence_naming_the_field(build, field):
    with pytest.raises(CcsimInputError) as err:
        build()
    assert str(err.value).startswith(f"{field}: ")


def test_lognormal_helper_builds_the_distribution_with_that_mean_and_cv():
    assert lognormal(60, 1.0) == Lognormal(60, 1.0)
    assert lognormal(90, 0.25).mean_s == 90 and lognormal(90, 0.25).cv == 0.25


def test_the_allowed_ranges_are_exact_at_their_edges():
    assert Lognormal(0.5, 20).cv == 20 and Lognormal(0.5, 0.01).mean_s == 0.5
    assert Exponential(0.5).mean_s == 0.5 and Fixed(0).mean_s == 0
    with pytest.raises(CcsimInputError) as err:
        Lognormal(100, 20.5)
    assert str(err.value) == "cv: 20.5 is not allowed; use a number above 0 and at most 20"
    with pytest.raises(CcsimInputError) as err:
        Lognormal(-1, 1)
    assert str(err.value) == "mean_s: -1 is not allowed; use a number above 0"
