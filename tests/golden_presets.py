"""Fingerprints of each preset's run at seed 0: counts and sums of the log. ``python -m tests.golden_presets`` prints them all."""

import json
import sys

import numpy as np

from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate

PRESETS = ("classroom", "member_services_network", "open_enrollment_surge", "public_hotline_24h")


def fingerprint(name: str) -> dict:
    r = simulate(load_preset(name).to_model(), seed=0)
    c, legs = r.contacts, r.legs
    return {
        "contacts": len(c),
        "legs": len(legs),
        "on_duty_spans": len(r.on_duty),
        "outcomes": {k: int(v) for k, v in c["outcome"].value_counts().sort_index().items()},
        "sum_arrival_s": round(float(c["arrival_s"].sum()), 3),
        "sum_wait_s": round(float(c["wait_s"].sum()), 3),
        "sum_handle_time_s": round(float(np.nansum(legs["handle_time_s"])), 3),
        "sum_agent": int(c["agent"].sum()),
        "transfers": int(c["transfers"].sum()),
        "handoffs": int(c["handoff"].sum()),
        "end_s": round(r.end_s, 3),
    }


if __name__ == "__main__":
    json.dump({name: fingerprint(name) for name in PRESETS}, sys.stdout, indent=1, sort_keys=True)
