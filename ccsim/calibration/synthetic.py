"""Synthetic exports made by simulating a scenario: per-call records and ACD interval counts, as a center's systems write them.

Used for the samples in ``data/samples/`` (``data/samples/make_samples.py``) and by the tests, so
no real call ever ships: the center behind them is a scenario whose numbers are known.

    >>> from ccsim.scenario import load_preset
    >>> from ccsim.simulation.engine import simulate
    >>> rows = call_records(simulate(load_preset("classroom").to_model(), seed=1))
    >>> list(rows.columns), sorted(set(rows["outcome"]))
    (['arrival', 'outcome', 'wait_s', 'handle_s', 'agent'], ['abandoned', 'answered'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim.simulation.engine import SimulationResult

__all__ = ["acd_intervals", "call_records"]


def call_records(
    result: SimulationResult,
    *,
    first_day: str = "2026-03-02",
    day_start: str = "08:00",
    people_per_seat: int = 2,
    turn_min: float = 20.0,
) -> pd.DataFrame:
    """One row per call that reached the queue: arrival (local time, whole seconds), outcome, wait_s, handle_s, agent.

    The simulation's day starts at ``day_start`` on ``first_day``. Each agent position of the
    simulation is shared by ``people_per_seat`` people who take turns every ``turn_min`` minutes
    (the others do back-office work meanwhile), so more people appear in an interval than were on
    the phones at once, as in a real export. Calls still waiting when the run ended are left out.
    """
    c = result.contacts
    c = c[c["outcome"].isin(["answered", "abandoned"])]
    hh, mm = (int(x) for x in day_start.split(":"))
    base = pd.Timestamp(first_day) + pd.Timedelta(hours=hh, minutes=mm)
    arrival = base + pd.to_timedelta(np.round(c["arrival_s"].to_numpy(dtype=float)), unit="s")
    answered = (c["outcome"] == "answered").to_numpy()
    seat = c["agent"].to_numpy(dtype=float)
    answer_s = c["answer_s"].to_numpy(dtype=float)
    turn = np.floor(np.nan_to_num(answer_s) / (turn_min * 60.0)) % people_per_seat
    person = np.where(answered, np.nan_to_num(seat) * people_per_seat + turn, -1).astype(np.int64)
    frame = pd.DataFrame(
        {
            "arrival": arrival.strftime("%Y-%m-%d %H:%M:%S"),
            "outcome": np.where(answered, "answered", "abandoned"),
            "wait_s": np.round(c["wait_s"].to_numpy(dtype=float)).astype(np.int64),
            "handle_s": np.where(answered, np.round(c["handle_time_s"].to_numpy(dtype=float)), np.nan),
            "agent": np.where(answered, np.char.add("A", person.astype(str)), ""),
        }
    )
    frame["handle_s"] = frame["handle_s"].astype("Int64")
    return frame.sort_values("arrival", kind="stable").reset_index(drop=True)


def acd_intervals(
    records: pd.DataFrame, *, interval_min: int = 15, time_zone: str | None = "America/New_York"
) -> pd.DataFrame:
    """Calls offered per ``interval_min`` minutes from :func:`call_records`' rows, as an ACD exports them.

    Columns ``interval_start`` (ISO 8601 with the UTC offset of ``time_zone``, which changes with
    daylight saving time; no offset when None) and ``calls``; intervals with no calls and closed
    days have no row.
    """
    start = pd.to_datetime(records["arrival"]).dt.floor(f"{interval_min}min")
    counts = start.value_counts().sort_index()
    index = pd.DatetimeIndex(counts.index)
    if time_zone is not None:
        local = index.tz_localize(time_zone, nonexistent="shift_forward", ambiguous="NaT")
        text = local.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)$", r":\1", regex=True)
    else:
        text = index.strftime("%Y-%m-%d %H:%M")
    return pd.DataFrame({"interval_start": text, "calls": counts.to_numpy()})
