"""The labs as `make workshop` serves them (Voila: no code shown): they render without errors and
lab 01's agents slider changes the service-level tile."""

from __future__ import annotations

import json
import urllib.request

import nbformat
import pytest
from labpage import (
    AGENTS,
    AGENTS_HANDLE,
    NOTEBOOKS,
    SL_TILE,
    assert_no_errors,
    lab_notebooks,
    move_agents_and_check_tile,
    open_in_voila,
    pair_agents_and_tile,
    press_on,
    screenshot_path,
    voila_screenshot,
    wait_kernel_settled,
    wait_text_change,
)

pytestmark = pytest.mark.browser

LAB_00 = "00_start_here.ipynb"
LAB_01 = "01_queues_and_service_level.ipynb"


def code_lines(notebook: str) -> list[str]:
    """Distinctive source lines of the lab's code cells (none may appear on a Voila page)."""
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines += [ln.strip() for ln in cell.source.splitlines() if len(ln.strip()) >= 12]
    return lines


def assert_no_code_shown(page, notebook: str) -> None:
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0, (
        f"{notebook}: Voila shows a code cell input"
    )
    body = page.locator("body").inner_text()
    shown = [ln for ln in code_lines(notebook) if ln in body]
    assert not shown, f"{notebook}: Voila shows code: {shown[:5]}"


def test_workshop_lists_the_labs(voila_server):
    """`make workshop` starts and its tree page lists lab 00 first."""
    with urllib.request.urlopen(f"{voila_server.base_url}/voila/api/contents", timeout=10) as r:
        listing = json.load(r)
    names = sorted(item["name"] for item in listing["content"] if item["name"].endswith(".ipynb"))
    assert names[:1] == [LAB_00], names
    assert set(lab_notebooks()) <= set(names)


def test_workshop_home_page_links_every_lab(page, voila_server):
    """What a facilitator sees at http://127.0.0.1:8866 after `make workshop`: a link to every lab."""
    page.goto(f"{voila_server.base_url}/", wait_until="commit")
    first = page.get_by_text(lab_notebooks()[0]).first
    try:
        first.wait_for(state="visible", timeout=30_000)
    except Exception:
        # Seen once in about fifteen runs: the tree page stayed blank. Reloading is what a facilitator
        # would do; keep a picture of the blank page for whoever looks into it.
        page.screenshot(path=str(screenshot_path("voila_home_blank_before_reload.png")))
        page.reload(wait_until="load")
    for notebook in lab_notebooks():
        page.get_by_text(notebook).first.wait_for(state="visible", timeout=60_000)
    assert_no_errors(page, "Voila home page")
    page.screenshot(path=str(screenshot_path("voila_home.png")))


@pytest.mark.parametrize("notebook", lab_notebooks())
def test_lab_renders_in_voila_without_code_or_errors(page, voila_server, notebook):
    open_in_voila(page, voila_server.base_url, notebook)
    assert_no_errors(page, f"{notebook} in Voila")
    assert_no_code_shown(page, notebook)
    has_agents = page.locator(AGENTS).count() > 0
    assert has_agents or notebook != LAB_01, f"{notebook} has no agents slider ({AGENTS})"
    if has_agents:  # lab 01, and any other lab with an agents slider next to a service-level tile
        move_agents_and_check_tile(page, f"{notebook} in Voila")
    voila_screenshot(page, screenshot_path(f"voila_{notebook.removesuffix('.ipynb')}.png"))


@pytest.mark.skipif(LAB_01 not in lab_notebooks(), reason="no lab 01")
def test_reloading_a_voila_page_starts_over(page, voila_server):
    """The facilitator guide's way to start over in workshop mode: reload the page."""
    open_in_voila(page, voila_server.base_url, LAB_01)
    start = pair_agents_and_tile(page, LAB_01)
    press_on(page, AGENTS_HANDLE, "ArrowRight", 1)
    wait_text_change(page, SL_TILE, start[1])
    wait_kernel_settled(page)
    assert pair_agents_and_tile(page, LAB_01)[0] == start[0] + 1
    open_in_voila(page, voila_server.base_url, LAB_01)  # the same page, loaded again
    assert pair_agents_and_tile(page, LAB_01) == start
    assert_no_errors(page, f"{LAB_01} in Voila after a reload")
