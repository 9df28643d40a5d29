"""Every lab in JupyterLab, in a real browser: Run All finishes with no error a learner could see;
lab 01's agents slider changes the service-level tile."""

from __future__ import annotations

import pytest
from labpage import (
    AGENTS,
    lab_notebooks,
    screenshot_path,
    assert_no_errors,
    lab_screenshot,
    move_agents_and_check_tile,
    open_in_lab,
    run_all,
    wait_run_all_done,
)

pytestmark = pytest.mark.browser

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

