"""Lab 02 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, picking a persona
changes the member panel's tiles and story, "Show me another member" draws another, and no error shows."""

from __future__ import annotations

import pytest
from labpage import (
    assert_no_errors,
    interact_in_lab,
    interact_in_voila,
    lab_notebooks,
    text_of,
    wait_kernel_settled,
    wait_text_change,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif("02_in_the_callers_shoes.ipynb" not in lab_notebooks(), reason="no lab 02"),
]

LAB_02 = "02_in_the_callers_shoes.ipynb"
PERSONA = ".ccsim-persona select"
PERSONA_SL = ".ccsim-kpi-service-level.ccsim-source-persona"
STORY = ".ccsim-member-story"
ANOTHER = ".ccsim-another"


def pick_persona_and_another_member(page, where: str) -> None:
    page.locator(PERSONA).first.scroll_into_view_if_needed()
    tile, story = text_of(page, PERSONA_SL), text_of(page, STORY)
    assert "%" in tile and "elderly member" in story, (tile, story)
    page.locator(PERSONA).first.select_option(label="a TTY user (a member with hearing loss who types)")
    new_tile = wait_text_change(page, PERSONA_SL, tile)
    wait_kernel_settled(page)
    new_story = text_of(page, STORY)
    assert "%" in new_tile and "TTY user" in new_story, (new_tile, new_story)
    assert_no_errors(page, f"{where} after picking a persona")
    page.locator(ANOTHER).first.click()
    wait_text_change(page, STORY, new_story)
    wait_kernel_settled(page)
    assert "TTY user" in text_of(page, STORY)
    assert_no_errors(page, f"{where} after Show me another member")


def test_lab02_persona_and_another_member_in_jupyterlab(page, lab_server):
    interact_in_lab(page, lab_server, LAB_02, pick_persona_and_another_member, "lab02_member_panel_lab.png")


def test_lab02_persona_and_another_member_in_voila(page, voila_server):
    interact_in_voila(page, voila_server, LAB_02, pick_persona_and_another_member, "voila_lab02_member_panel.png")
