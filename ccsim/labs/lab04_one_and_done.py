"""Lab 04, one and done: what the notebook shows, in the order it shows it.

* :func:`story_card`: the two designs (the ``one_and_done_before`` / ``_after`` presets) side by side;
* :func:`member_journey`: one member's online-payment stop, call by call, before and after;
* :func:`one_and_done_panel`: the before/after switch, transfer rate, consult length, the share the rep
  resolves and the back office's days; tiles for FCR (30-day look-back), hand-offs per 100 issues,
  contacts per issue, days to resolution, AHT, agent-hours per 100 issues and service level; a quick
  preview on every change, the full 60 days on Run; the issue paths of the current settings;
* :func:`paths_figure`: where hand-offs come from, before and after (full size);
* :func:`difference_panel`: the before/after difference of each KPI with its 95% confidence interval;
* :func:`one_and_done_questions`: the check-yourself questions.

The pieces live in ``lab04_cases`` (the case and its runs), ``lab04_story``, ``lab04_tiles``,
``lab04_panels`` and ``lab04_questions``.
"""

from __future__ import annotations

from ccsim.labs.lab04_cases import KPIS, design_scenario, design_values, difference_runs, run_design
from ccsim.labs.lab04_panels import OneAndDonePanel, difference_panel, difference_rows, one_and_done_panel
from ccsim.labs.lab04_questions import one_and_done_questions
from ccsim.labs.lab04_story import journey_member, member_journey, paths_figure, preset_run, story_card

__all__ = [
    "KPIS",
    "OneAndDonePanel",
    "design_scenario",
    "design_values",
    "difference_panel",
    "difference_rows",
    "difference_runs",
    "journey_member",
    "member_journey",
    "one_and_done_panel",
    "one_and_done_questions",
    "paths_figure",
    "preset_run",
    "run_design",
    "story_card",
]
