"""The kit map (ccsim.labs.kit_map): which labs exist, read from the notebooks folder."""

from __future__ import annotations

from ccsim.labs.kit_map import LABS, kit_map


def test_kit_map_marks_the_labs_that_exist(tmp_path):
    (tmp_path / "00_start_here.ipynb").write_text("{}")
    (tmp_path / "01_queues_and_service_level.ipynb").write_text("{}")
    (tmp_path / "01_a_draft.ipynb").write_text("{}")  # two notebooks for one lab: the first by name is shown
    table = kit_map(tmp_path)
    assert "ccsim-kit-map" in table._dom_classes
    assert table.ready == ["00", "01"]
    assert table.value.count("ready ✓") == 2 and table.value.count("coming later") == len(LABS) - 2
    assert "<code>01_a_draft.ipynb</code>" in table.value and "01_queues_and_service_level" not in table.value


def test_kit_map_of_the_repository_lists_every_lab_in_order():
    table = kit_map()
    assert table.ready[:2] == ["00", "01"]
    positions = [table.value.index(f"<b>{number}</b>") for number, *_ in LABS]
    assert positions == sorted(positions) and len(LABS) == 10


def test_an_empty_folder_has_no_lab_ready(tmp_path):
    table = kit_map(tmp_path)
    assert table.ready == [] and "ready ✓" not in table.value
