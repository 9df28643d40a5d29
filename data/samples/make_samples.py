"""Make the synthetic samples of this folder from data/samples/sample_center.toml (no real calls ship with the kit).

    python data/samples/make_samples.py

call_records.csv: one row per call of one simulated run (seed 2026) of the sample center, as a
center's call-detail export looks (arrival local time, outcome, wait_s, handle_s, agent; each
simulated agent position is shared by two people taking turns every 20 minutes, so more people
appear than were on the phones at once). acd_intervals.csv: the same calls counted per 15 minutes,
with US Eastern UTC offsets (they change on 8 March 2026), no row for an interval without calls.
"""

from __future__ import annotations

from pathlib import Path

from ccsim.calibration.synthetic import acd_intervals, call_records
from ccsim.scenario import load_scenario
from ccsim.simulation.engine import simulate

HERE = Path(__file__).resolve().parent
SEED = 2026


def main() -> None:
    scenario = load_scenario(HERE / "sample_center.toml")
    result = simulate(scenario.to_model(), seed=SEED)
    records = call_records(result, first_day="2026-03-02", day_start=scenario.horizon.start)
    records.to_csv(HERE / "call_records.csv", index=False)
    acd_intervals(records, interval_min=15).to_csv(HERE / "acd_intervals.csv", index=False)
    print(f"{len(records):,} calls to call_records.csv; their 15-minute counts to acd_intervals.csv")


if __name__ == "__main__":
    main()
