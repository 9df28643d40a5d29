"""Lab 03 speed: what a learner waits for after moving each control, in kernel CPU time (``time.process_time``).

Every control of every panel is timed from setting its value to the panel having updated its tiles (and
its table or sentence), median of several changes alternating between two values so every change really
recomputes. Target ≤ 250 ms each. The member-journeys panel's Run (45 simulated days, a progress bar) is
shown without a target, with its simulation cache cleared so it really simulates.
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs.lab03_definitions import occupancy_panel
from ccsim.labs.lab03_rushing import LINE, journeys_panel, rushing_panel, simulate_line
from ccsim.labs.lab03_scorecard import adherence_panel, game_panel, people_panel

REPEATS = 7

CONTROLS = {
    "rushing": (rushing_panel, {"aht_cut_pct": (5, 10), "fcr_pct": (75, 80), "repeat_longer_pct": (20, 30)}),
    "journeys": (journeys_panel, {"aht_cut_pct": (5, 10), "resolution_pct": (75, 80)}),
    "occupancy": (occupancy_panel, {"agents": (48, 52), "off_phone_min": (55, 60)}),
    "game": (
        game_panel,
        {"patience_s": (120, 300), "sl_definition": ("answered", "offered"), "quick_transfer_pct": (10, 15)},
    ),
    "people": (
        people_panel,
        {
            "agents": (48, 52),
            "base_attrition_pct": (20, 25),
            "extra_per_point_pct": (1, 2),
            "cost_per_leaver": (12000, 15000),
            "agent_cost": (45000, 50000),
        },
    ),
    "adherence": (adherence_panel, {"off": (1, 2)}),
}


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for i in range(repeats):
        t0 = time.process_time()
        fn(i)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def run() -> list[dict]:
    rows = []
    for name, (make, controls) in CONTROLS.items():
        panel = make()
        for control, values in controls.items():
            panel.set(**{control: values[0]})  # warm up
            s = _median_cpu_s(lambda i, p=panel, c=control, v=values: p.set(**{c: v[i % 2]}))
            assert panel.message.kind == "", panel.message.text
            rows.append(
                dict(
                    benchmark="lab03",
                    measure=f"{name} panel, {control} change (ms CPU)",
                    value=1000 * s,
                    target="≤ 250",
                    met=s <= 0.250,
                )
            )
        panel.reset()
    journeys = journeys_panel()
    base = (LINE["aht_s"], LINE["resolution"])
    times = []
    for i in range(3):
        simulate_line.cache_clear()
        simulate_line(*base)  # the baseline is simulated once when the panel is built
        journeys.set(aht_cut_pct=10 + i % 2)
        t0 = time.process_time()
        journeys.run()
        times.append(time.process_time() - t0)
    run_s = statistics.median(times)
    rows.append(
        dict(
            benchmark="lab03",
            measure="journeys panel, Run: 45 simulated days (ms CPU)",
            value=1000 * run_s,
            target="",
            met="",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
