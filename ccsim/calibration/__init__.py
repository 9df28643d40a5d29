"""Your own data, validated and never executed: interval counts → a profile; per-call records → a calibrated scenario.

- :mod:`~ccsim.calibration.reading`: CSV files read as text, each problem one sentence naming the line and column;
- :mod:`~ccsim.calibration.profile`: intraday profile and weekday factors from ACD interval counts (``ccsim profile``);
- :mod:`~ccsim.calibration.records`: per-call records (arrival, outcome, wait_s, handle_s, agent);
- :mod:`~ccsim.calibration.estimate`: handle time, patience (censored MLE), staffing the waits imply (``ccsim calibrate``);
- :mod:`~ccsim.calibration.calibrated`: the calibrated scenario's TOML and its simulation beside the records;
- :mod:`~ccsim.calibration.synthetic`: synthetic exports made by simulating a scenario (samples, tests).

From Python (a lab)::

    c = fit_staffing(calibrate(read_records("data/samples/call_records.csv")))
    toml = scenario_toml(c, "call_records.csv")      # Scenario.from_toml(toml) runs it
    compare(c, toml).to_json()                        # observed beside simulated

A layer above the metrics (it uses the scenario, the simulation, the analytics and the metrics);
the command line and the labs use it.
"""

from __future__ import annotations

from ccsim.calibration.calibrated import Comparison, compare, fit_staffing, scenario_toml
from ccsim.calibration.estimate import Calibration, calibrate
from ccsim.calibration.profile import Profile, profile_csv, read_profile
from ccsim.calibration.reading import FileProblem
from ccsim.calibration.records import CallRecords, read_records

__all__ = [
    "Calibration",
    "CallRecords",
    "Comparison",
    "FileProblem",
    "Profile",
    "calibrate",
    "compare",
    "fit_staffing",
    "profile_csv",
    "read_profile",
    "read_records",
    "scenario_toml",
]
