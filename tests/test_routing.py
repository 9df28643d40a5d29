"""Routing policies: the registry, the two built-in policies' order of service, and a toy policy plugged in by name."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import toy_routing

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel, Routing
from ccsim.simulation.routing import (
    PooledRouting,
    SiteFirstRouting,
    register_routing,
    routing_names,
    routing_policy,
    unregister_routing,
)

EPS = 1e-9


@pytest.fixture(autouse=True, scope="module")
def _toy_policy():
    """The toy policy is registered while this module's tests run, and only then."""
    with toy_routing.registered():
        yield


def test_the_built_in_policies_are_registered_by_name():
    assert {"pooled", "site_first"} <= set(routing_names())
    assert list(routing_names()) == sorted(routing_names())
    assert routing_policy("pooled") is PooledRouting and routing_policy("site_first") is SiteFirstRouting
    assert routing_policy(toy_routing.NAME) is toy_routing.NewestFirst


def test_an_unknown_name_is_one_sentence_naming_the_known_ones():
    with pytest.raises(CcsimInputError) as e:
        routing_policy("nearest")
    text = str(e.value)
    assert text.startswith("routing.mode: 'nearest' is not allowed; use one of ")
    assert all(repr(name) in text for name in routing_names())
    with pytest.raises(CcsimInputError, match=r"^routing\.mode: 'nearest' is not allowed"):
        Routing("nearest")


@pytest.mark.parametrize("name", ["", "   ", 3])
def test_a_policy_needs_a_name(name):
    with pytest.raises(CcsimInputError, match=r"^routing policy name: "):
        register_routing(name)  # type: ignore[arg-type]


def test_a_policy_needs_both_methods_and_a_free_name():
    class OnlyArrivals:
        def caller_arrives(self, leg, queue):
            pass

    with pytest.raises(CcsimInputError, match="missing agent_free"):
        register_routing("only_arrivals")(OnlyArrivals)
    assert "only_arrivals" not in routing_names()

    class Impostor(PooledRouting):
        pass

    with pytest.raises(
        CcsimInputError, match=r"^routing policy name: 'pooled' is not allowed; use a name not yet taken"
    ):
        register_routing("pooled")(Impostor)
    assert routing_policy("pooled") is PooledRouting


def test_a_registered_policy_can_be_removed_but_not_a_built_in_one():
    class Doomed(PooledRouting):
        pass

    register_routing("doomed")(Doomed)
    assert routing_policy("doomed") is Doomed
    unregister_routing("doomed")
    assert "doomed" not in routing_names()
    with pytest.raises(CcsimInputError, match=r"^routing\.mode: 'doomed' is not allowed"):
        routing_policy("doomed")
    with pytest.raises(
        CcsimInputError, match=r"^routing policy name: 'doomed' is not allowed; use one of 'newest_first' "
    ):
        unregister_routing("doomed")
    for built_in in ("pooled", "site_first"):
        with pytest.raises(CcsimInputError, match=rf"^routing policy name: '{built_in}' is not allowed"):
            unregister_routing(built_in)
        assert routing_policy(built_in) in (PooledRouting, SiteFirstRouting)


def test_the_toy_policy_is_registered_only_inside_its_block():
    unregister_routing(toy_routing.NAME)
    try:
        assert toy_routing.NAME not in routing_names()
        with toy_routing.registered():
            assert routing_policy(toy_routing.NAME) is toy_routing.NewestFirst
        assert toy_routing.NAME not in routing_names()
    finally:
        register_routing(toy_routing.NAME)(toy_routing.NewestFirst)


def _left_queue_s(legs: pd.DataFrame) -> np.ndarray:
    """When each leg left its queue: answered, or hung up / cut off."""
    return np.where(legs["agent"] >= 0, legs["answer_s"], legs["end_s"]).astype(float)


def _taken_from_queue(legs: pd.DataFrame) -> pd.DataFrame:
    return legs[(legs["agent"] >= 0) & (legs["wait_s"] > 0)]


def _answered_out_of_order(legs: pd.DataFrame, *, newest_first: bool) -> int:
    """How many callers taken from the queue were not the oldest (or, with ``newest_first``, the newest) still waiting."""
    left = _left_queue_s(legs)
    entry = legs["queue_entry_s"].to_numpy()
    count = 0
    for t, mine in _taken_from_queue(legs)[["answer_s", "queue_entry_s"]].itertuples(index=False):
        waiting = (left > t + EPS) & (entry < t - EPS)
        passed_over = waiting & ((entry > mine + EPS) if newest_first else (entry < mine - EPS))
        count += bool(passed_over.any())
    return count


def _busy_day(mode: str) -> CenterModel:
    base = CenterModel.single_queue(130.0, 15, Exponential(400), Exponential(600), interval_s=1800.0, intervals=4)
    return dataclasses.replace(base, routing=Routing(mode))


def test_a_policy_registered_by_name_runs_in_the_engine_and_changes_the_order_of_service():
    fifo = simulate(_busy_day("pooled"), 3).legs
    lifo = simulate(_busy_day(toy_routing.NAME), 3).legs
    # the same callers (arrivals never depend on routing), served in the opposite order
    assert np.array_equal(fifo["queue_entry_s"], lifo["queue_entry_s"])
    assert len(_taken_from_queue(lifo)) > 100
    assert _answered_out_of_order(fifo, newest_first=False) == 0
    assert _answered_out_of_order(lifo, newest_first=True) == 0
    assert _answered_out_of_order(lifo, newest_first=False) > 50  # older callers were passed over
    # last come, first served: the same mean work, but the long waits get longer
    assert lifo["wait_s"].max() > 1.5 * fifo["wait_s"].max()


def test_a_scenario_may_name_a_registered_policy():
    scenario = pytest.importorskip("ccsim.scenario")
    base = scenario.load_preset("classroom")
    s = base.updated({"routing": {"mode": toy_routing.NAME}})
    model = s.to_model()
    assert model.routing.mode == toy_routing.NAME
    legs = simulate(model, 1).legs
    assert len(_taken_from_queue(legs)) > 100
    assert _answered_out_of_order(legs, newest_first=True) == 0
    assert _answered_out_of_order(legs, newest_first=False) > 0
    with pytest.raises(CcsimInputError, match=r"routing\.mode: 'nearest' is not allowed"):
        base.updated({"routing": {"mode": "nearest"}})


def test_registry_messages_name_the_field_the_value_and_what_is_allowed():
    with pytest.raises(CcsimInputError) as e:
        register_routing("  ")
    assert str(e.value) == "routing policy name: '  ' is not allowed; use a non-empty name"

    class Neither:
        pass

    with pytest.raises(CcsimInputError) as e:
        register_routing("neither")(Neither)
    assert str(e.value) == (
        "routing policy 'neither': 'Neither' is not allowed; "
        "use a class with methods caller_arrives and agent_free (missing caller_arrives, agent_free)"
    )
    unregister_routing(toy_routing.NAME)
    try:
        with pytest.raises(CcsimInputError) as e:
            unregister_routing("gone")
        assert str(e.value) == (
            "routing policy name: 'gone' is not allowed; "
            "use a name registered with register_routing ('pooled' and 'site_first' are built in)"
        )
    finally:
        register_routing(toy_routing.NAME)(toy_routing.NewestFirst)
    register_routing("spare")(toy_routing.NewestFirst)
    try:
        with pytest.raises(CcsimInputError, match=r"use one of 'newest_first', 'spare' \('pooled'"):
            unregister_routing("gone")
    finally:
        unregister_routing("spare")
