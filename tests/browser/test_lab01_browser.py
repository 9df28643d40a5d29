"""Lab 01 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, moving the people
panel's agents slider changes its sentence in people and its busy-occupancy tile, moving its patience slider
changes the sentence again, and no error shows. (The generic tests move the agents and read service level.)"""

from __future__ import annotations

import re

import pytest
from labpage import (
    assert_no_errors,
    lab_notebooks,
    lab_screenshot,
    open_in_lab,
    open_in_voila,
    press_on,
    run_all,
    screenshot_path,
    text_of,
    voila_screenshot,
    wait_kernel_settled,
    wait_run_all_done,
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
    open_in_lab(page, lab_server.base_url, lab_server.token, LAB_01)
    run_all(page)
    wait_run_all_done(page)
    assert_no_errors(page, f"{LAB_01} after Run All")
    move_people_panel(page, f"{LAB_01} in JupyterLab")
    lab_screenshot(page, screenshot_path("lab01_people_lab.png"))


def test_lab01_people_panel_in_voila(page, voila_server):
    open_in_voila(page, voila_server.base_url, LAB_01)
    assert_no_errors(page, f"{LAB_01} in Voila")
    move_people_panel(page, f"{LAB_01} in Voila")
    voila_screenshot(page, screenshot_path("voila_lab01_people.png"))
