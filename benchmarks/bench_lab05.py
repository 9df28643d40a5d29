"""Lab 05 speed: what a learner waits for after moving each control, in kernel CPU time (``time.process_time``).

Every control of every panel is timed from setting its value to the panel having updated its tiles, figure and
sentences, median of several changes alternating between two values so every change really recomputes. Target
≤ 250 ms each. The two Run buttons (5 simulated days of a 10-hour day, a progress bar, then the tiles and the
figure redrawn) are shown without a target, as lab 03's Run is.
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs.lab05_forecast import needs_panel, shrinkage_panel
from ccsim.labs.lab05_shifts import enrollment_panel, shift_panel, trap_panel

REPEATS = 5

CONTROLS = {
    "forecast": (needs_panel, {"volume_pct": (100, 300), "aht_s": (380, 400), "patience_s": (270, 300)}),
    "shrinkage": (
        shrinkage_panel,
        {
            "on_phones": (50, 60),
            "breaks_pct": (11.5, 12.0),
            "training_pct": (8.0, 9.0),
            "absence_pct": (5.0, 5.5),
            "vacation_pct": (8.0, 8.5),
            "offphone_pct": (5.5, 6.0),
        },
    ),
    "shifts": (
        shift_panel,
        {
            "a_start": ("08:00", "08:30"),
            "a_hours": (8.0, 8.5),
            "a_agents": (16, 18),
            "b_start": ("09:30", "10:00"),
            "b_hours": (8.0, 9.0),
            "b_agents": (14, 16),
            "c_start": ("12:00", "11:00"),
            "c_hours": (6.0, 7.0),
            "c_agents": (8, 10),
            "break_min": (60, 45),
        },
    ),
    "enrollment": (enrollment_panel, {"volume_pct": (300, 200), "extra_pct": (0, 180)}),
    "trap": (trap_panel, {"calls": (225, 200), "patience_s": (300, 60)}),
}


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for i in range(repeats):
        t0 = time.process_time()
        fn(i)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _row(measure: str, s: float) -> dict:
    return dict(benchmark="lab05", measure=measure, value=1000 * s, target="≤ 250", met=s <= 0.250)


def run() -> list[dict]:
    rows = []
    for name, (make, controls) in CONTROLS.items():
        panel = make()
        for control, values in controls.items():
            panel.set(**{control: values[0]})  # warm up
            s = _median_cpu_s(lambda i, p=panel, c=control, v=values: p.set(**{c: v[i % 2]}))
            assert panel.message.kind in ("", "warning"), panel.message.text
            rows.append(_row(f"{name} panel, {control} change (ms CPU)", s))
        panel.reset()
    for name, make in (("forecast", needs_panel), ("shifts", shift_panel)):
        panel = make()
        s = _median_cpu_s(lambda i, p=panel: (p.set(**{next(iter(p.controls)): p.params[next(iter(p.controls))]}),
                                              setattr(p, "sim_params", None), p.run()))  # fmt: skip
        rows.append(dict(benchmark="lab05", measure=f"{name} panel, Run: 5 simulated days (ms CPU)", value=1000 * s,
                         target="", met=""))  # fmt: skip
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
