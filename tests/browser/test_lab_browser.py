"""Every lab in JupyterLab, in a real browser: Run All finishes with no error a learner could see;
lab 01's agents slider changes the service-level tile."""

from __future__ import annotations

import pytest
from labpage import (
    AGENTS,
    AGENTS_HANDLE,
    SL_TILE,
    assert_no_errors,
    lab_notebooks,
    lab_screenshot,
    move_agents_and_check_tile,
    open_in_lab,
    pair_agents_and_tile,
    press_on,
    restart_and_run_all,
    run_all,
    screenshot_path,
    wait_kernel_settled,
    wait_run_all_done,
    wait_text_change,
)

pytestmark = pytest.mark.browser

LAB_00 = "00_start_here.ipynb"
LAB_01 = "01_queues_and_service_level.ipynb"


@pytest.mark.parametrize("notebook", lab_notebooks())
def test_run_all_shows_no_errors(page, lab_server, notebook):
    open_in_lab(page, lab_server.base_url, lab_server.token, notebook)
    run_all(page)
    prompts = wait_run_all_done(page)
    numbers = [int(p.strip("[]:")) for p in prompts]
    assert numbers == sorted(set(numbers)), f"cells ran out of order: {prompts}"
    assert_no_errors(page, f"{notebook} after Run All")
    has_agents = page.locator(AGENTS).count() > 0
    assert has_agents or notebook != LAB_01, f"{notebook} has no agents slider ({AGENTS})"
    if has_agents:  # lab 01, and any other lab with an agents slider next to a service-level tile
        move_agents_and_check_tile(page, notebook)
    lab_screenshot(page, screenshot_path(f"lab_{notebook.removesuffix('.ipynb')}.png"))
    assert_no_errors(page, f"{notebook} at the end")


@pytest.mark.skipif(LAB_00 not in lab_notebooks(), reason="no lab 00")
def test_restart_and_run_all_starts_over(page, lab_server):
    """Lab 00 teaches Kernel → Restart Kernel and Run All Cells as the way to start over: it must work."""
    open_in_lab(page, lab_server.base_url, lab_server.token, LAB_00)
    run_all(page)
    wait_run_all_done(page)
    start = pair_agents_and_tile(page, LAB_00)
    press_on(page, AGENTS_HANDLE, "ArrowRight", 1)
    wait_text_change(page, SL_TILE, start[1])
    wait_kernel_settled(page)
    moved = pair_agents_and_tile(page, LAB_00)
    assert moved[0] == start[0] + 1, (start, moved)
    restart_and_run_all(page)
    page.locator(SL_TILE).wait_for(state="detached")  # Run All replaced the old outputs
    prompts = wait_run_all_done(page)
    assert prompts == [f"[{i}]:" for i in range(1, len(prompts) + 1)], f"the kernel did not restart: {prompts}"
    assert pair_agents_and_tile(page, LAB_00) == start
    assert_no_errors(page, f"{LAB_00} after Restart Kernel and Run All Cells")
