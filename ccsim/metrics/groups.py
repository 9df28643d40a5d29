"""Caller KPIs per value of any column of the contacts log (e.g. ``persona``), counted as :func:`ccsim.metrics.kpis.kpis` counts them.

:func:`ccsim.metrics.kpis.kpis` groups by interval, call type, site, queue or agent group; this groups
the same caller-side figures (calls, answered, abandoned, answered within T, service level, ASA,
abandonment) by a column it does not know, such as the member's ``persona`` of a scenario with
journeys. Occupancy is left out (agents serve every kind of caller).

>>> from ccsim.simulation.model import CenterModel
>>> from ccsim.simulation.distributions import Exponential
>>> from ccsim.simulation.engine import simulate
>>> result = simulate(CenterModel.single_queue(100, 14, Exponential(180), Exponential(120), intervals=2), seed=1)
>>> table = caller_kpis_by(result, "call_type")
>>> from ccsim.metrics.kpis import summary
>>> int(table["calls"].sum()) == int(summary(result)["calls"])
True
"""

from __future__ import annotations

import pandas as pd

from ccsim.analytics.service_level import parse_sl_definition
from ccsim.errors import CcsimInputError, check_number
from ccsim.metrics.kpis import _aggregate, _caller_table
from ccsim.simulation.result import SimulationResult

__all__ = ["GROUP_KPIS", "caller_kpis_by", "row_numbers"]

GROUP_KPIS = (
    "calls",
    "answered",
    "abandoned",
    "unanswered",
    "answered_within",
    "service_level",
    "asa_s",
    "abandonment_rate",
)
"""The columns :func:`caller_kpis_by` returns."""


def caller_kpis_by(
    result: SimulationResult, column: str, *, answer_within_s: float | None = None, sl_definition: str = "offered"
) -> pd.DataFrame:
    """One row per value of the contacts log's ``column``: the caller-side KPIs of :data:`GROUP_KPIS` (``answered_within``: answered within T)."""
    if not isinstance(result, SimulationResult):
        raise CcsimInputError(
            "result", type(result).__name__, "a SimulationResult from ccsim.simulation.engine.simulate"
        )
    contacts = result.contacts
    if column not in contacts:
        raise CcsimInputError(
            "column", column, "a column of the contacts log: " + ", ".join(map(str, contacts.columns))
        )
    model = result.model
    t = model.answer_within_s if answer_within_s is None else check_number("answer_within_s", answer_within_s, low=0)
    table = _caller_table(contacts, t)
    keys = contacts[column].astype(str)
    sums = table.groupby(keys, sort=True)["answered_within"].sum()
    out = _aggregate(table, keys, parse_sl_definition(sl_definition))
    out["answered_within"] = sums.astype("int64")
    out.index.name = column
    out = out[list(GROUP_KPIS)]
    out.attrs.update(answer_within_s=t)
    return out


def row_numbers(table: pd.DataFrame, key: str) -> dict[str, float]:
    """Row ``key`` of a table of numbers (e.g. :func:`caller_kpis_by`'s) as ``{column: float}``."""
    values = table.loc[[key]].to_numpy(dtype=float)[0]
    return {str(c): float(v) for c, v in zip(table.columns, values, strict=True)}
