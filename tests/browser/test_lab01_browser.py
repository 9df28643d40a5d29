"""Lab 01 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, moving the people
panel's agents slider changes its sentence in people and its busy-occupancy tile, moving its patience slider
changes the sentence again, and no error shows. (The generic tests move the agents and read service level.)"""

from __future__ import annotations

import re

import pytest
from labpage import (
    assert_no_errors,
    interact_in_lab,
    interact_in_voila,
    lab_notebooks,
    press_on,
    text_of,
    wait_kernel_settled,
    wait_text_change,
)

LAB_01 = "01_queues_and_service_level.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(LAB_01 not in lab_notebooks(), reason="no lab 01"),
]

PEOPLE = ".ccsim-people"
AGENTS_HANDLE = ".ccsim-agents .noUi-handle"
PATIENCE_HANDLE = ".ccsim-patience .noUi-handle"
OCCUPANCY = ".ccsim-kpi-occupancy.ccsim-source-erlang-a"


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def move_people_panel(page, where: str) -> None:
    before = text_of(page, PEOPLE)
    agents, callers, hung_up, _long = _numbers(before)
    assert (agents, callers, hung_up) == (50, 3492, 178), before  # the classroom preset's day, seed 1
    occupancy = text_of(page, OCCUPANCY)
    assert occupancy.startswith("Busy occupancy") and "not a guarantee" in occupancy, occupancy
    press_on(page, AGENTS_HANDLE, "ArrowLeft", 1)  # 50 → 49 agents: more callers hang up
    after = wait_text_change(page, PEOPLE, before)
    wait_kernel_settled(page)
    assert _numbers(after)[0] == 49 and _numbers(after)[2] > hung_up, (before, after)
    assert text_of(page, OCCUPANCY) != occupancy
    press_on(page, PATIENCE_HANDLE, "ArrowRight", 30)  # more patient callers: fewer hang up
    patient = wait_text_change(page, PEOPLE, after)
    wait_kernel_settled(page)
    patient = text_of(page, PEOPLE)
    assert _numbers(patient)[2] < _numbers(after)[2], (after, patient)
    assert_no_errors(page, f"{where} after moving the people panel")


def test_lab01_people_panel_in_jupyterlab(page, lab_server):
    interact_in_lab(page, lab_server, LAB_01, move_people_panel, "lab01_people_lab.png")


def test_lab01_people_panel_in_voila(page, voila_server):
    interact_in_voila(page, voila_server, LAB_01, move_people_panel, "voila_lab01_people.png")
