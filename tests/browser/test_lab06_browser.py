"""Lab 06 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, moving the
"cross-trained reps" slider of the skill matrix (0 → 1) raises the Cantonese queue's service level and redraws the
matrix, moving the sites slider changes the pooled agents, and no error shows."""

from __future__ import annotations

import pytest
from labpage import (
    assert_no_errors,
    first_number,
    interact_in_lab,
    interact_in_voila,
    lab_notebooks,
    press_on,
    text_of,
    wait_kernel_settled,
    wait_text_change,
)

LAB_06 = "06_routing_and_call_sharing.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(LAB_06 not in lab_notebooks(), reason="no lab 06"),
]

CROSS_HANDLE = ".ccsim-cross-trained .noUi-handle"
CANTONESE_SL = ".ccsim-kpi-service-level.ccsim-source-cantonese"
MATRIX = ".ccsim-skill-matrix-area"
POOLED_AGENTS = ".ccsim-kpi-agents.ccsim-source-pooled"
SITES_HANDLE = ".ccsim-sites .noUi-handle"


def move_controls(page, where: str) -> None:
    before = text_of(page, POOLED_AGENTS)
    assert first_number(before) == 35, before  # facts.md: 35 agents pooled (42 kept apart)
    press_on(page, SITES_HANDLE, "ArrowLeft", 1)  # 3 sites → 2
    after = wait_text_change(page, POOLED_AGENTS, before)
    wait_kernel_settled(page)
    assert first_number(after) < first_number(before), (before, after)
    assert_no_errors(page, f"{where} after moving the sites slider")

    sl = text_of(page, CANTONESE_SL)
    matrix = text_of(page, MATRIX)
    assert "Cross-trained" not in matrix, matrix
    press_on(page, CROSS_HANDLE, "ArrowRight", 1)  # 0 → 1 cross-trained rep
    new_sl = wait_text_change(page, CANTONESE_SL, sl)
    wait_kernel_settled(page)
    assert first_number(new_sl) > first_number(sl), (sl, new_sl)
    assert "Cross-trained reps (1)" in text_of(page, MATRIX)
    assert_no_errors(page, f"{where} after moving the cross-trained slider")


def test_lab06_controls_in_jupyterlab(page, lab_server):
    interact_in_lab(page, lab_server, LAB_06, move_controls, "lab06_panels_lab.png")


def test_lab06_controls_in_voila(page, voila_server):
    interact_in_voila(page, voila_server, LAB_06, move_controls, "voila_lab06_panels.png")
