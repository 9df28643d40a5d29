"""Lab 04 speed: what a learner waits for after moving each control of the one-and-done lab, in kernel CPU time.

A control change is timed from setting the control's value to the panel having updated its tiles and its
figure (PNG bytes ready for the browser). Each change uses a value not seen before and the panel's cache of
quick runs is emptied first, so every change really simulates (the quick preview: one month, a fifth of
the members and reps). CPU seconds of this process (``time.process_time``), median of several changes.

Rows:
* each control of the one-and-done panel (the line, warm transfers, consult length, rep resolves,
  back-office days): target ≤ 250 ms;
* each control of the difference panel (runs of each line, how big a run): target ≤ 250 ms (they only
  wait for Run);
* Run: the full 60 days (one-and-done panel) and 5 quick runs of each line (difference panel): shown, no
  target (each has a progress bar).
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs import lab04_panels
from ccsim.labs.lab04_one_and_done import difference_panel, one_and_done_panel

REPEATS = 5
TARGET_S = 0.250
VALUES = {
    "design": ["after", "before"],
    "transfer_pct": [11, 12, 13, 14, 15, 16, 17],
    "consult_min": [4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5],
    "resolve_pct": [60, 58, 56, 54, 52, 50, 48],
    "back_office_days": [20, 15, 10, 5, 3, 2, 1],
}


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for i in range(repeats):
        lab04_panels._quick.cache_clear()
        t0 = time.process_time()
        fn(i)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _row(measure: str, seconds: float, target: bool = True) -> dict:
    return dict(
        benchmark="lab04",
        measure=measure,
        value=1000 * seconds,
        target="≤ 250" if target else "",
        met=seconds <= TARGET_S if target else "",
    )


def run() -> list[dict]:
    rows = []
    panel = one_and_done_panel()
    for name, values in VALUES.items():
        panel.reset()
        if name == "consult_min":
            panel.set(design="after")  # the consult exists on the after line
        seconds = _median_cpu_s(lambda i, n=name, v=values: panel.set(**{n: v[i % len(v)]}))
        rows.append(_row(f"one-and-done panel: {name} (ms CPU)", seconds))
    panel.reset()
    diff = difference_panel()
    rows.append(_row("difference panel: replications (ms CPU)",
                     _median_cpu_s(lambda i: diff.set(replications=3 + i % 2))))  # fmt: skip
    rows.append(_row("difference panel: size (ms CPU)",
                     _median_cpu_s(lambda i: diff.set(size=("full", "quick")[i % 2]))))  # fmt: skip
    t0 = time.perf_counter()
    panel.set(design="after").run()
    rows.append(_row("Run: the full 60 days, one-and-done panel (ms wall)", time.perf_counter() - t0, target=False))
    diff.set(replications=5, size="quick")
    t0 = time.perf_counter()
    diff.run()
    rows.append(
        _row("Run: 5 quick runs of each line, difference panel (ms wall)", time.perf_counter() - t0, target=False)
    )
    return rows
