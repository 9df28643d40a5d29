"""Lab 06 speed: what a learner waits for after moving each control, in kernel CPU time (``time.process_time``).

Every control of every panel is timed from setting its value to the panel having updated its tiles (and
its tables), median of several changes alternating between two values so every change really recomputes.
Target ≤ 250 ms each. The skill matrix simulates six afternoons on every change: its cache is cleared
before each change so it really simulates. The network panel's Run (call sharing simulated for one day
of about 30,000 calls) is shown without a target, for delays not simulated before.
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs import lab06_skills
from ccsim.labs.lab06_network import network_panel
from ccsim.labs.lab06_pooling import pooling_panel, small_queue_panel
from ccsim.labs.lab06_skills import skills_panel

REPEATS = 5

CONTROLS = {
    "pooling": (pooling_panel, {"sites": (2, 3), "calls_per_hour": (85, 90), "aht_s": (390, 400)}),
    "small queue": (small_queue_panel, {"calls_per_hour": (4, 5), "aht_s": (870, 900)}),
    "network": (network_panel, {"overflow_s": (20, 25)}),
    "skill matrix": (
        skills_panel,
        {
            "cross_trained": (1, 2),
            "cross_first": ("same", "chinese"),
            "chain": (True, False),
            "small_take_english": (True, False),
            "mode": ("specialists_first", "pooled"),
        },
    ),
}


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for i in range(repeats):
        t0 = time.process_time()
        fn(i)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _change(panel, control, values, i) -> None:
    lab06_skills.skills_numbers.cache_clear()  # the skill matrix really simulates on every change
    panel.set(**{control: values[i % 2]})


def run() -> list[dict]:
    rows = []
    for name, (make, controls) in CONTROLS.items():
        panel = make()
        for control, values in controls.items():
            panel.set(**{control: values[0]})  # warm up
            s = _median_cpu_s(lambda i, p=panel, c=control, v=values: _change(p, c, v, i))
            assert panel.message.kind in ("", "warning"), panel.message.text  # network: "press Run"
            rows.append(
                dict(
                    benchmark="lab06",
                    measure=f"{name} panel, {control} change (ms CPU)",
                    value=1000 * s,
                    target="≤ 250",
                    met=s <= 0.250,
                )
            )
        panel.reset()
    network = network_panel()
    times = []
    for i in range(3):
        network.set(overflow_s=100 + 5 * i)  # a delay not simulated before: Run really simulates
        t0 = time.process_time()
        network.run()
        times.append(time.process_time() - t0)
    rows.append(
        dict(
            benchmark="lab06",
            measure="network panel, Run: call sharing on one simulated day (ms CPU)",
            value=1000 * statistics.median(times),
            target="",
            met="",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
