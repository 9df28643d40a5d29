"""Replications: the same model run with N seeds → mean and 95% confidence interval of every KPI.

Replication *i* uses ``SeedSequence(seed).spawn(replications)[i]``, so the numbers are the same
whichever executor runs them and in whatever order they finish. Runs go to any
:class:`concurrent.futures.Executor` (only ``submit`` and ``as_completed`` are used, so a
``dask.distributed`` ``client.get_executor()`` works unchanged); workers get the model and seeds
and send back KPI dicts, never logs.

Example::

    >>> from ccsim.simulation.model import CenterModel
    >>> from ccsim.simulation.distributions import Exponential
    >>> model = CenterModel.single_queue(100, 14, Exponential(180), Exponential(120), intervals=2)
    >>> rep = replicate(model, replications=5, seed=1, progress=False)
    >>> len(rep.runs), list(rep.summary.columns)
    (5, ['mean', 'ci95', 'low', 'high', 'std'])
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy import stats

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition
from ccsim.errors import CcsimInputError, check_number
from ccsim.metrics.journeys import JOURNEY_KEYS, has_journeys, journey_kpis
from ccsim.metrics.kpis import KPI_NAMES, summary
from ccsim.simulation.engine import overload_message, simulate
from ccsim.simulation.model import CenterModel

__all__ = [
    "MAX_REPLICATIONS",
    "ReplicationResult",
    "check_run_inputs",
    "confidence_summary",
    "replicate",
    "run_seeded",
    "unique_sentences",
]

MAX_REPLICATIONS = 100_000
MAX_WORKERS = 1024
IN_PROCESS_CALLS = 200_000
"""Below this many expected calls in all replications together, run in this process: starting a pool costs more."""

T = TypeVar("T")


@dataclass
class ReplicationResult:
    """What :func:`replicate` produced.

    ``runs``: one row per replication (index ``replication``) with every KPI of :data:`ccsim.metrics.kpis.KPI_NAMES`,
    then, when the model has member journeys, every key of :data:`ccsim.metrics.journeys.JOURNEY_KEYS`.
    ``summary``: indexed by KPI name, columns ``mean``, ``ci95`` (half-width of the t-based 95%
    confidence interval of the mean), ``low``, ``high`` (mean ∓ ci95), ``std`` (sample standard deviation).
    ``warnings``: plain sentences (an overloaded center, callers still waiting at the end), each once;
    ccsim never calls :func:`warnings.warn`, so this field is where they are.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    warnings: tuple[str, ...] = ()
    model: CenterModel | None = None
    seed: int = 1
    answer_within_s: float = 30.0
    sl_definition: str = "offered"


def confidence_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean, t-based 95% half-width, low, high and std of each column of ``runs`` (NaN runs left out)."""
    rows = {}
    for name in runs.columns:
        x = runs[name].to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        n = x.size
        mean = float(x.mean()) if n else math.nan
        std = float(x.std(ddof=1)) if n > 1 else math.nan
        half = float(stats.t.ppf(0.975, n - 1) * std / math.sqrt(n)) if n > 1 else math.nan
        rows[name] = {"mean": mean, "ci95": half, "low": mean - half, "high": mean + half, "std": std}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["mean", "ci95", "low", "high", "std"])
    out.index.name = "kpi"
    return out


def run_replications(
    model: CenterModel,
    seeds: list[np.random.SeedSequence],
    answer_within_s: float,
    sl_definition: str,
) -> list[tuple[dict[str, float], list[str], bool]]:
    """Worker task: simulate ``model`` with each seed → (KPI dict, other warnings, overloaded) per seed.

    With member journeys the KPI dict has the journey KPIs too (:func:`ccsim.metrics.journeys.journey_kpis`).

    The overload sentence is left out of the warnings: :func:`replicate` writes one for all runs.
    """
    out = []
    for ss in seeds:
        result = simulate(model, ss)
        kpi = summary(result, answer_within_s=answer_within_s, sl_definition=sl_definition)
        if has_journeys(result):
            kpi.update(journey_kpis(result))
        others = [w for w in result.warnings if w != result.overload]
        out.append((kpi, others, result.overloaded))
    return out


def unique_sentences(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Every sentence of ``groups`` once, in the order first seen (the runs' warnings, merged)."""
    return tuple(dict.fromkeys(sentence for group in groups for sentence in group))


def _expected_calls(model: CenterModel) -> float:
    return sum(sum(a.calls_per_interval) for a in model.arrivals)


ProgressFn = Callable[[int, int], None]
"""``progress(done, total)``: called after each finished chunk of runs."""


def check_run_inputs(
    model: object, replications: object, seed: object, workers: object, executor: object
) -> tuple[int, int, int | None]:
    """The checks every seeded-runs entry point makes → (replications, seed, workers) as whole numbers."""
    if not isinstance(model, CenterModel):
        raise CcsimInputError("model", type(model).__name__, "a ccsim.simulation.model.CenterModel")
    n = int(check_number("replications", replications, low=1, high=MAX_REPLICATIONS, integer=True))
    seed = int(check_number("seed", seed, low=0, integer=True))
    if workers is not None:
        workers = int(check_number("workers", workers, low=1, high=MAX_WORKERS, integer=True))
    if executor is not None and not isinstance(executor, Executor) and not hasattr(executor, "submit"):
        raise CcsimInputError("executor", type(executor).__name__, "a concurrent.futures.Executor or None")
    return n, seed, workers


def run_seeded(
    task: Callable[..., list[T]],
    model: CenterModel,
    n: int,
    seed: int,
    *args: Any,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | ProgressFn = False,
) -> list[T]:
    """``task(model, seeds, *args)`` over ``SeedSequence(seed).spawn(n)`` → one result per run, in replication order.

    ``task`` gets a chunk of seeds and returns one result per seed; it must be picklable for a
    process pool. ``executor``: any :class:`concurrent.futures.Executor` (only ``submit`` and
    ``as_completed`` are used; it is not shut down). Default: in this process, one run at a time,
    for small jobs (``workers=1``, fewer than 4 runs, or fewer than :data:`IN_PROCESS_CALLS` calls in
    all), else an own process pool of ``workers`` (default: all CPUs), shut down at the end.
    ``progress``: True for a tqdm bar (notebook or terminal), or ``progress(done, n)``.
    Inputs are already checked (:func:`check_run_inputs`).
    """
    children = np.random.SeedSequence(seed).spawn(n)
    own_pool: ProcessPoolExecutor | None = None
    if executor is None:
        pool_size = workers or os.cpu_count() or 1
        if pool_size > 1 and n >= 4 and n * _expected_calls(model) >= IN_PROCESS_CALLS:
            executor = own_pool = ProcessPoolExecutor(max_workers=min(pool_size, n))
            workers = min(pool_size, n)
    bar = None
    if progress and not callable(progress):
        from tqdm.auto import tqdm

        bar = tqdm(total=n, desc="replications", unit="run", leave=False)
    done = 0
    results: list[Any] = [None] * n

    def finished(first: int, out: list[T]) -> None:
        nonlocal done
        results[first : first + len(out)] = out
        done += len(out)
        if bar is not None:
            bar.update(len(out))
        elif callable(progress):
            progress(done, n)

    try:
        if executor is None:  # in this process: one run at a time, so the progress moves while it runs
            for i in range(n):
                finished(i, task(model, children[i : i + 1], *args))
        else:
            # a few tasks per worker: enough to balance the load and move the progress bar, few enough to keep overhead low
            chunk = max(1, n // ((workers or os.cpu_count() or 1) * 4))
            futures = {
                executor.submit(task, model, children[first : first + chunk], *args): first
                for first in range(0, n, chunk)
            }
            for future in as_completed(futures):
                finished(futures[future], future.result())
    finally:
        if bar is not None:
            bar.close()
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)
    return results


def replicate(
    model: CenterModel,
    replications: int = 30,
    seed: int = 1,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | ProgressFn = True,
    answer_within_s: float | None = None,
    sl_definition: str | SLDefinition = "offered",
) -> ReplicationResult:
    """Run ``model`` ``replications`` times (whole number 1–100,000) from ``seed`` → mean and 95% CI per KPI.

    ``executor``: any :class:`concurrent.futures.Executor` (a process pool, a dask client's
    ``get_executor()``); it is used, not shut down. Default: in this process for small jobs
    (``workers=1``, or fewer than about 200,000 calls in all), else a process pool of ``workers``
    (default: all CPUs). ``progress`` shows a tqdm bar (notebook or terminal), or is called as
    ``progress(done, replications)``. KPIs use ``answer_within_s`` seconds (default: the model's)
    and the named service-level definition. With member journeys (``model.journeys``) every journey KPI
    (:data:`ccsim.metrics.journeys.JOURNEY_KEYS`: FCR, repeat contacts, ...) gets its mean and CI too.
    """
    n, seed, workers = check_run_inputs(model, replications, seed, workers, executor)
    t = model.answer_within_s if answer_within_s is None else check_number("answer_within_s", answer_within_s, low=0)
    sl = parse_sl_definition(sl_definition).value
    collected = run_seeded(
        run_replications, model, n, seed, t, sl, workers=workers, executor=executor, progress=progress
    )
    names = [*KPI_NAMES, *(JOURNEY_KEYS if model.journeys is not None else ())]
    runs = pd.DataFrame([r[0] for r in collected], columns=names, index=pd.RangeIndex(n, name="replication"))
    overload = (
        [overload_message(model, [int(r[0]["unanswered"]) for r in collected])] if any(r[2] for r in collected) else []
    )
    messages = unique_sentences([overload, *(others for _, others, _ in collected)])
    return ReplicationResult(
        runs=runs,
        summary=confidence_summary(runs),
        warnings=messages,
        model=model,
        seed=seed,
        answer_within_s=t,
        sl_definition=sl,
    )
