"""The data behind a staffing curve: which agent counts to show, and Erlang C / Erlang A at each of them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from ccsim.analytics.erlang import QueueMetrics, erlang_a, erlang_c
from ccsim.errors import CcsimInputError

MODELS = ("erlang_c", "erlang_a")


def agents_around(
    load_erlangs: float, current: int | None = None, *, low: float = 0.85, high: float = 1.3, extra: int = 3
) -> list[int]:
    """Agent counts worth plotting for a load in Erlangs: from about 85% to 130% of the load, including ``current``."""
    lo = max(1, math.floor(load_erlangs * low))
    hi = max(lo + 4, math.ceil(load_erlangs * high) + extra)
    if current is not None:
        lo, hi = min(lo, max(1, int(current) - 2)), max(hi, int(current) + 2)
    return list(range(lo, hi + 1))


def erlang_curve(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: Iterable[int],
    *,
    patience_s: float | None = None,
    answer_within_s: float = 30.0,
    sl_definition: str = "offered",
    models: Sequence[str] = MODELS,
) -> pd.DataFrame:
    """Erlang C and/or Erlang A answers for each agent count: one row per (source, agents).

    ``calls`` offered per ``interval_s`` seconds, handle time ``aht_s`` s, mean patience ``patience_s`` s
    (needed for Erlang A). Columns: source, agents, service_level, asa_s (inf when Erlang C cannot
    keep up), abandonment_rate, occupancy, p_wait, load_erlangs.
    """
    for i, model in enumerate(models):
        if model not in MODELS:
            raise CcsimInputError(f"models[{i}]", model, "erlang_c or erlang_a")
    if "erlang_a" in models and patience_s is None:
        raise CcsimInputError("patience_s", None, "a number above 0 (Erlang A needs callers' mean patience)")
    rows = []
    for n in agents:
        for model in models:
            m: QueueMetrics
            if model == "erlang_c":
                m = erlang_c(calls, interval_s, aht_s, n, answer_within_s, sl_definition)
            else:
                m = erlang_a(calls, interval_s, aht_s, n, float(patience_s or 0.0), answer_within_s, sl_definition)
            rows.append(
                {
                    "source": model,
                    "agents": int(n),
                    "service_level": m.service_level,
                    "asa_s": m.asa_s,
                    "abandonment_rate": m.abandonment_rate,
                    "occupancy": m.occupancy,
                    "p_wait": m.p_wait,
                    "load_erlangs": m.load_erlangs,
                }
            )
    return pd.DataFrame(rows)
