"""Accuracy: over a long run the simulator agrees with the Erlang A closed form (M/M/n+M).

Exponential handle times and patience, Poisson arrivals, constant rate and staffing: exactly the
assumptions of Erlang A, so the long-run simulated service level, abandonment rate and ASA must
match the formula within 0.01 (ASA: within 1 second, see below), and the formula's value must lie
inside the simulation's 95% confidence interval.

Warm-up: each replication starts with an empty center and no one waiting. The horizon is 200 hours
(100 for the bigger center), so the first half hour or so, before the queue reaches its usual
state, is a fraction of a percent of the run; its bias is far below the tolerances.

ASA tolerance: 1 second. The labs show ASA in whole seconds, so within 1 s the simulated and the
formula figure a learner sees are the same or one apart; here the simulation's standard error of
ASA is about 0.2 s, so 1 s is a strict check that is still not at the mercy of random variation,
while a real modelling error (say a wrong patience clock) moves ASA by several seconds.

The seed is fixed, so the test gives the same numbers on every machine.
"""

from __future__ import annotations

import pytest

from ccsim.analytics.erlang import erlang_a
from ccsim.metrics.replications import replicate
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.model import CenterModel

CASES = [
    # agents, calls per 30 min, AHT s, mean patience s, T s, hours, replications
    pytest.param(20, 108.0, 300.0, 600.0, 20.0, 200, 40, id="20 agents, load 18"),
    pytest.param(50, 290.0, 300.0, 300.0, 20.0, 100, 40, id="50 agents, load 48.3"),
]


@pytest.mark.parametrize("agents, calls, aht_s, patience_s, answer_within_s, hours, replications", CASES)
def test_long_run_simulation_agrees_with_erlang_a(
    agents, calls, aht_s, patience_s, answer_within_s, hours, replications
):
    interval_s = 1800.0
    model = CenterModel.single_queue(
        calls,
        agents,
        Exponential(aht_s),
        Exponential(patience_s),
        interval_s=interval_s,
        intervals=hours * 2,
        answer_within_s=answer_within_s,
    )
    exact = erlang_a(calls, interval_s, aht_s, agents, patience_s, answer_within_s, "offered")
    rep = replicate(model, replications=replications, seed=2024, progress=False)
    s = rep.summary
    assert len(rep.warnings) == 0, rep.warnings
    assert s.loc["unanswered", "mean"] == 0

    def check(kpi: str, formula: float, tolerance: float, in_ci: bool = True) -> None:
        row = s.loc[kpi]
        assert abs(row["mean"] - formula) <= tolerance, f"{kpi}: simulated {row['mean']:.4f}, Erlang A {formula:.4f}"
        if in_ci:
            assert row["low"] <= formula <= row["high"], (
                f"{kpi}: Erlang A {formula:.4f} outside the 95% interval {row['low']:.4f}–{row['high']:.4f}"
            )

    check("service_level", exact.service_level, 0.01)
    check("abandonment_rate", exact.abandonment_rate, 0.01)
    check("asa_s", exact.asa_s, 1.0)
    # and, for good measure, the share who waited and the agents' occupancy
    check("p_wait", exact.p_wait, 0.01, in_ci=False)
    check("occupancy", exact.occupancy, 0.01, in_ci=False)
