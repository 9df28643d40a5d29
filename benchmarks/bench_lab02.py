"""Lab 02 speed: what a learner waits for after each control of the member panel, in kernel CPU time.

A control change is timed from setting its value to the panel having updated its tiles, story and figure
(PNG bytes ready for the browser). Times are CPU seconds of this process (``time.process_time``): the
median of several changes alternating between two values, so every change really recomputes; for the
persona picker on the month, the median of the first visit of each persona, with the slowest beside it.

Python's cyclic garbage collector runs about once every dozen updates (each matplotlib figure leaves
reference cycles) and adds 100–200 ms to that one update; medians leave it out, the slowest first visit
shows it.

Rows (target ≤ 250 ms each): persona, the two guesses, which member, "Show me another member", day or
month (both simulated already), the staffing slider (it only asks for Run), the persona picker on the
month, and the day panel's "count members by". Shown without a target (they have a Run button and a progress bar): Run with other staffing (one
simulated day), and the month panel's Run (30 simulated days).
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs.lab02_callers_shoes import day_panel, member_panel, month_panel
from ccsim.labs.lab02_members import PERSONAS

REPEATS = 7
TARGET_S = 0.250


def _cpu_s(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    return statistics.median(_cpu_s(lambda i=i: fn(i)) for i in range(repeats))


def _row(measure: str, seconds: float, target: bool = True) -> dict:
    return dict(
        benchmark="lab02",
        measure=measure,
        value=1000 * seconds,
        target="≤ 250" if target else "",
        met=seconds <= TARGET_S if target else "",
    )


def run() -> list[dict]:
    rows = []
    month = month_panel(run=False)
    month_s = _cpu_s(month.run)  # also keeps the month for the member panel
    panel = member_panel()
    panel.set(persona="tty_user")  # warm up fonts and caches
    panel.reset()
    pairs = {
        "persona picker (one day)": ("persona", "tty_user", "cantonese_speaker"),
        "your guess: wait": ("guess_wait_min", 2.0, 3.5),
        "your guess: calls": ("guess_calls", 2, 3),
        "which member": ("whose", "longest_wait", "most_calls"),
        "day or month (both simulated)": ("days", 30, 1),
        "agents on their queues (asks for Run)": ("staff_pct", 80, 120),
    }
    for measure, (name, a, b) in pairs.items():
        rows.append(
            _row(f"{measure} (ms CPU)", _median_cpu_s(lambda i, n=name, a=a, b=b: panel.set(**{n: a if i % 2 else b})))
        )
        panel.reset()
    rows.append(_row("Show me another member (ms CPU)", _median_cpu_s(lambda i: panel.another_button.click())))
    day = day_panel()
    by = _median_cpu_s(lambda i: day.set(by="persona" if i % 2 else "queue"))
    rows.append(_row("day panel: count members by queue or kind (ms CPU)", by))
    panel.reset()
    panel.set(days=30)
    firsts = [_cpu_s(lambda p=p: panel.set(persona=p)) for p in PERSONAS]
    rows.append(_row("persona picker on the month, first visit of each persona (ms CPU)", statistics.median(firsts)))
    rows.append(_row("  the slowest of those first visits (ms CPU)", max(firsts), target=False))
    panel.reset()
    panel.set(persona="cantonese_speaker", staff_pct=60)
    rows.append(_row("Run: one simulated day with other staffing (ms CPU)", _cpu_s(panel.run), target=False))
    rows.append(_row("Run: the month, 30 simulated days (ms CPU)", month_s, target=False))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
