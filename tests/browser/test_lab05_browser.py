"""Lab 05 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, moving the trap panel's
patience down makes Erlang A ask for fewer agents than the 50 Erlangs of work and the efficiency-trap sentence
appear; adding agents to shift A raises the shift panel's service level; and no error shows."""

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

LAB_05 = "05_what_if_staffing.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(LAB_05 not in lab_notebooks(), reason="no lab 05"),
]

TRAP_PATIENCE = ".ccsim-trap-patience .noUi-handle"
TRAP_AGENTS = ".ccsim-trap-panel .ccsim-kpi-agents.ccsim-source-erlang-a"
TRAP_MESSAGE = ".ccsim-trap-panel .ccsim-message"
SHIFT_A_AGENTS = ".ccsim-shift-a-agents .noUi-handle"
SHIFT_SL = ".ccsim-shift-panel .ccsim-kpi-service-level.ccsim-source-erlang-a"


def wait_number_below(page, selector: str, limit: int, timeout_ms: int = 30_000) -> str:
    """Wait until the first element matching ``selector`` shows a first number below ``limit`` (every key press
    of a slider is its own update, so the tile passes through the values in between)."""
    page.wait_for_function(
        "([sel, limit]) => { const e = document.querySelector(sel);"
        " const m = e && e.innerText.match(/\\d+/); return m && Number(m[0]) < limit; }",
        arg=[selector, limit],
        timeout=timeout_ms,
    )
    return text_of(page, selector)


def move_patience_and_shift(page, where: str) -> None:
    before = text_of(page, TRAP_AGENTS)
    assert first_number(before) == 52, before  # Erlang A, 225 calls per 30 min at 400 s, patience 300 s
    press_on(page, TRAP_PATIENCE, "ArrowLeft", 8)  # 300 s → 60 s
    after = wait_number_below(page, TRAP_AGENTS, 50)
    wait_kernel_settled(page)
    assert first_number(after) < 50, (before, after)
    assert "Efficiency trap" in text_of(page, TRAP_MESSAGE)
    assert_no_errors(page, f"{where} after moving the trap panel's patience")
    sl = text_of(page, SHIFT_SL)
    press_on(page, SHIFT_A_AGENTS, "ArrowRight", 4)  # 16 → 20 agents on shift A
    new_sl = wait_text_change(page, SHIFT_SL, sl)
    wait_kernel_settled(page)
    assert first_number(new_sl) > first_number(sl), (sl, new_sl)
    assert_no_errors(page, f"{where} after adding agents to shift A")


def test_lab05_controls_in_jupyterlab(page, lab_server):
    interact_in_lab(page, lab_server, LAB_05, move_patience_and_shift, "lab05_panels_lab.png")


def test_lab05_controls_in_voila(page, voila_server):
    interact_in_voila(page, voila_server, LAB_05, move_patience_and_shift, "voila_lab05_panels.png")
