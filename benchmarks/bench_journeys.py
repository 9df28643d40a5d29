"""Member journeys, speed and memory: a 30-day month of ``member_services_month`` against the network day and plain SimPy.

The month (``load_preset("member_services_month")``): the ``member_services_network`` preset for 30
days (closed weekends, weekday factors) with members' journeys (personas, reasons, redials, repeat
contacts, back-office chasing), about 610,000 contacts. Three things run interleaved in one
process: (a) one day of ``member_services_network`` (today's network, as in ``bench_network.py``),
(b) the month, (c) the textbook SimPy single queue (``plain_simpy.py``) sized like the network day
(as in ``bench_network.py``). The figure is the median CPU time (``time.process_time``) per contact;
a month run takes several seconds, so it is repeated fewer times (3) than the day and the baseline
(twice per repeat, before and after the month). Target: time per contact of the month ≤ 1.5 × the
network day's per call.

Memory: the month is simulated in a fresh child interpreter (this file with ``--memory``), which
prints its resident set size just before ``simulate()`` (after the imports and building the model,
from ``/proc/self/statm``) and its peak (``resource.getrusage(RUSAGE_SELF).ru_maxrss``). The peak
minus that baseline is the run's peak memory. Target ≤ 600 MB. The same is shown, without a target,
for the month with every day open (about 830,000 contacts, near the issue's "about 900,000").
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_network import baseline_size, plain_queue  # benchmarks/bench_network.py, same sizing of the baseline

from ccsim.scenario import load_preset
from ccsim.simulation.engine import simulate
from ccsim.simulation.model import CenterModel

DAY_PRESET = "member_services_network"
MONTH_PRESET = "member_services_month"
MONTH_REPEATS = 3
MONTH_SEED = 1
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 600.0
ALL_DAYS_OPEN = {"horizon": {"closed_weekdays": []}}
HERE = Path(__file__).resolve().parent


def month_model(changes: dict | None = None) -> CenterModel:
    scenario = load_preset(MONTH_PRESET)
    return (scenario.updated(changes) if changes else scenario).to_model()


def per_contact(model: CenterModel, seed: int) -> tuple[float, int, int]:
    """(CPU seconds per contact, contacts, issues) of one run; the result is freed outside the timing."""
    t0 = time.process_time()
    result = simulate(model, seed)
    spent = time.process_time() - t0
    contacts = len(result.contacts)
    issues = 0 if result.issues is None else len(result.issues)
    del result
    return spent / contacts, contacts, issues


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_child(all_days_open: bool) -> None:
    """In the child: build the month, print JSON {baseline_mb, peak_mb, contacts, issues}."""
    model = month_model(ALL_DAYS_OPEN if all_days_open else None)
    baseline = _rss_mb()
    result = simulate(model, MONTH_SEED)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    issues = 0 if result.issues is None else len(result.issues)
    print(json.dumps(dict(baseline_mb=baseline, peak_mb=peak, contacts=len(result.contacts), issues=issues)))


def measure_memory(all_days_open: bool = False) -> dict:
    """Run :func:`memory_child` in a fresh interpreter (same Python) and return its figures."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE.parent), str(HERE)]))
    args = [sys.executable, str(Path(__file__).resolve()), "--memory"] + (["--all-days-open"] if all_days_open else [])
    out = subprocess.run(args, env=env, cwd=HERE.parent, capture_output=True, text=True, check=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_speed(repeats: int = MONTH_REPEATS) -> dict:
    """Median CPU seconds per contact of the day, the month and the plain model; interleaved."""
    day, month = load_preset(DAY_PRESET).to_model(), month_model()
    calls, agents, horizon_s, aht_s = baseline_size(day)

    def plain(seed: int) -> float:
        t0 = time.process_time()
        n = plain_queue(calls, agents, horizon_s, aht_s, seed)
        return (time.process_time() - t0) / n

    per_contact(day, 999), plain(999), per_contact(month_model({"horizon": {"days": 2}}), 999)  # warm up
    d_times, m_times, p_times = [], [], []
    for r in range(repeats):
        for seed in (2 * r, 2 * r + 1):  # the day and the baseline before and after each month
            d_times.append(per_contact(day, seed)[0])
            p_times.append(plain(seed))
            if seed == 2 * r:
                m_times.append(per_contact(month, MONTH_SEED + r)[0])
    return dict(
        day=statistics.median(d_times),
        month=statistics.median(m_times),
        plain=statistics.median(p_times),
        calls=calls,
        agents=agents,
        month_spread=(min(m_times), max(m_times)),
    )


def run(repeats: int = MONTH_REPEATS) -> list[dict]:
    speed = measure_speed(repeats)
    mem = measure_memory()
    mem_open = measure_memory(all_days_open=True)
    d, m, p = speed["day"], speed["month"], speed["plain"]
    run_mb = mem["peak_mb"] - mem["baseline_mb"]
    open_mb = mem_open["peak_mb"] - mem_open["baseline_mb"]
    name = f"journeys, {MONTH_PRESET}"
    lo, hi = speed["month_spread"]

    def row(measure: str, value: object, target: str = "", met: object = "") -> dict:
        return dict(benchmark=name, measure=measure, value=value, target=target, met=met)

    return [
        row("contacts in the month (seed 1)", mem["contacts"]),
        row("issues in the month (seed 1)", mem["issues"]),
        row(f"month µs per contact (median of {repeats})", round(m * 1e6, 2)),
        row("month µs per contact, fastest–slowest run", f"{lo * 1e6:.2f}–{hi * 1e6:.2f}"),
        row(f"network day µs per call (median of {2 * repeats})", round(d * 1e6, 2)),
        row(f"plain SimPy single queue µs per call (median of {2 * repeats})", round(p * 1e6, 2)),
        row("month per contact / network day per call", round(m / d, 3), f"≤ {RATIO_TARGET}", m / d <= RATIO_TARGET),
        row("month / plain SimPy", round(m / p, 3)),
        row("network day / plain SimPy", round(d / p, 3)),
        row("peak memory of the run (MB)", round(run_mb), f"≤ {MEMORY_TARGET_MB:.0f}", run_mb <= MEMORY_TARGET_MB),
        row("whole-process peak (MB)", round(mem["peak_mb"])),
        row("every day open: contacts", mem_open["contacts"]),
        row("every day open: peak memory of the run (MB)", round(open_mb)),
    ]


if __name__ == "__main__":
    if "--memory" in sys.argv:
        memory_child(all_days_open="--all-days-open" in sys.argv)
    else:
        for row in run():
            print(row)
