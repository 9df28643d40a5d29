"""Lab 04 in a real browser, in JupyterLab and in Voila (`make workshop`): after Run All, switching the line to
"After" turns the handle-time tile red while contacts per issue get better, a slider step (back-office days)
changes the tiles again, and no error shows."""

from __future__ import annotations

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif("04_one_and_done.ipynb" not in lab_notebooks(), reason="no lab 04"),
]

LAB_04 = "04_one_and_done.ipynb"
DESIGN = ".ccsim-design select"
AHT = ".ccsim-kpi-aht.ccsim-source-preview"
CONTACTS = ".ccsim-kpi-contacts-per-issue.ccsim-source-preview"
DAYS = ".ccsim-kpi-days-to-resolution.ccsim-source-preview"
BACK_OFFICE = ".ccsim-back-office .noUi-handle"
BACK_OFFICE_READOUT = ".ccsim-back-office .widget-readout"


def switch_line_and_move_back_office(page, where: str) -> None:
    page.locator(DESIGN).first.scroll_into_view_if_needed()
    aht, contacts = text_of(page, AHT), text_of(page, CONTACTS)
    assert "met ✓" in aht and "the same" in contacts, (aht, contacts)
    page.locator(DESIGN).first.select_option(label="After: one and done (January 2015)")
    new_aht = wait_text_change(page, AHT, aht)
    wait_kernel_settled(page)
    new_contacts = text_of(page, CONTACTS)
    assert "missed ✗" in new_aht, new_aht  # the aha: handle time over its target ...
    assert "better ✓" in new_contacts, new_contacts  # ... while members make fewer calls
    assert text_of(page, BACK_OFFICE_READOUT) == "3"
    assert_no_errors(page, f"{where} after switching to After")
    days = text_of(page, DAYS)
    press_on(page, BACK_OFFICE, "ArrowRight", 1)
    wait_text_change(page, DAYS, days)
    wait_kernel_settled(page)
    assert text_of(page, BACK_OFFICE_READOUT) == "4"
    assert "days" in text_of(page, DAYS)
    assert_no_errors(page, f"{where} after moving back-office days")


def test_lab04_before_after_in_jupyterlab(page, lab_server):
    interact_in_lab(page, lab_server, LAB_04, switch_line_and_move_back_office, "lab04_one_and_done_lab.png")


def test_lab04_before_after_in_voila(page, voila_server):
    interact_in_voila(page, voila_server, LAB_04, switch_line_and_move_back_office, "voila_lab04_one_and_done.png")
