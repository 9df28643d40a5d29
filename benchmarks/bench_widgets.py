"""Widget speed: what a learner waits for after moving a slider in lab 01 (classroom case), in kernel CPU time.

A control change is timed from setting the slider's value to the panel having updated its tiles and its
figure (PNG bytes ready for the browser); the browser's own drawing is not included. Times are CPU
seconds of this process (``time.process_time``), median of several changes alternating between two
agent counts, so every change really recomputes.

Rows:
* every control of lab 01, as the notebook builds its panels: the people panel (agents, patience: Erlang A
  tiles and one simulated day counted in people), the analyst panel (all seven controls; the simulation
  re-runs by itself for 5 days, the live curve shows service level and busy occupancy) and the day-spread
  panel's two controls (they wait for Run): target ≤ 250 ms each;
* formulas only (Erlang A and C tiles + the four-KPI staffing-curve figure): target ≤ 250 ms;
* the same change when the simulation re-runs by itself (5 days, lab 01's default): target ≤ 250 ms too,
  since that is what a learner in lab 01 waits for;
* the widget layer's overhead: panel update / the same formulas, figure and PNG computed without
  widgets, in the same process: target ≤ 1.25;
* 20 simulated days on Run (the day-spread panel): shown, no target (it has a progress bar).
"""

from __future__ import annotations

import statistics
import time

from ccsim.labs.cases import classroom_case, guarantees
from ccsim.labs.lab01_people import people_panel
from ccsim.labs.lab01_queues import analyst_panel, day_spread_panel, queue_panel
from ccsim.labs.queue import compute_queue
from ccsim.views import plots

REPEATS = 7
FORMULA_CONTROLS = ("agents", "calls_per_hour", "aht_s", "patience_s", "answer_within_s", "sl_definition")
VALUES = {
    "agents": (49, 51),
    "calls_per_hour": (420.0, 435.0),
    "aht_s": (390.0, 410.0),
    "patience_s": (240, 360),
    "answer_within_s": (20.0, 30.0),
    "sl_definition": ("answered", "offered"),
    "days": (3, 5),
}
"""Two values per control; a change alternates between them, so every change really recomputes."""


def _median_cpu_s(fn, repeats: int = REPEATS) -> float:
    times = []
    for i in range(repeats):
        t0 = time.process_time()
        fn(i)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _agents(i: int) -> int:
    return classroom_case().agents + (1 if i % 2 else -1)


_BARE_DRAW = plots.StaffingCurvePNG()


def _bare_update(agents: int) -> bytes:
    """What the panel computes for one change, without any widget: formulas, curve, figure, PNG
    (with the same kept background as the panel, see :class:`ccsim.views.plots.StaffingCurvePNG`)."""
    c = classroom_case()
    params = dict(c.params(), agents=agents)
    compute_queue(params)
    curve = plots.erlang_curve(
        c.calls_per_interval,
        c.interval_s,
        c.aht_s,
        plots.agents_around(c.load_erlangs, agents),
        patience_s=c.patience_s,
        answer_within_s=c.answer_within_s,
    )
    return _BARE_DRAW(curve, targets={k: t.value for k, t in guarantees().items()}, current_agents=agents)


def _control_rows() -> list[dict]:
    """Every control of lab 01's panels, as the notebook builds them: median CPU ms of a change."""
    rows = []
    panels = {
        "people panel": people_panel(),
        "analyst panel (5 simulated days re-run)": analyst_panel(),
        "day-spread panel (waits for Run)": day_spread_panel(days=20),
    }
    for name, panel in panels.items():
        for control in panel.controls:
            panel.set(**{control: VALUES[control][1]})  # warm up
            s = _median_cpu_s(lambda i, c=control, p=panel: p.set(**{c: VALUES[c][i % 2]}))
            panel.reset()
            rows.append(
                dict(
                    benchmark="widgets",
                    measure=f"lab 01 {name}: {control} (ms CPU)",
                    value=1000 * s,
                    target="≤ 250",
                    met=s <= 0.250,
                )
            )
    return rows


def run() -> list[dict]:
    rows = _control_rows()
    formulas = queue_panel(controls=FORMULA_CONTROLS, sources=("erlang_a", "erlang_c"))
    _bare_update(classroom_case().agents)  # warm up fonts and caches before timing either side
    formulas.set(agents=classroom_case().agents + 2)

    panel_s = _median_cpu_s(lambda i: formulas.set(agents=_agents(i)))
    bare_s = _median_cpu_s(lambda i: _bare_update(_agents(i)))
    rows.append(
        dict(
            benchmark="widgets",
            measure="slider change, formulas: tiles + figure (ms CPU)",
            value=1000 * panel_s,
            target="≤ 250",
            met=panel_s <= 0.250,
        )
    )

    with_sim = queue_panel(days=5, auto_days=5)
    sim_s = _median_cpu_s(lambda i: with_sim.set(agents=_agents(i)), repeats=5)
    rows.append(
        dict(
            benchmark="widgets",
            measure="slider change with 5 simulated days re-run (ms CPU)",
            value=1000 * sim_s,
            target="≤ 250",
            met=sim_s <= 0.250,
        )
    )

    ratio = panel_s / bare_s
    rows.append(
        dict(
            benchmark="widgets",
            measure="widget overhead: panel update / same work without widgets",
            value=ratio,
            target="≤ 1.25",
            met=ratio <= 1.25,
        )
    )

    spread = day_spread_panel(days=20)
    run_s = _median_cpu_s(lambda i: spread.set(agents=_agents(i)).run(), repeats=3)
    rows.append(
        dict(
            benchmark="widgets",
            measure="Run: 20 simulated days + figure (ms CPU)",
            value=1000 * run_s,
            target="",
            met="",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
