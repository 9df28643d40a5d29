"""Notebook hygiene: labs are committed clean, follow the lab skeleton, and each has a facilitator guide."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
LESSONS = REPO / "lessons"
ALL_NOTEBOOKS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
LABS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
# KIT_PLAN: "Every lab follows one skeleton", in this order.
SKELETON = [
    "overview",
    "the story",
    "explore",
    "what happened and why",
    "reflect",
    "check yourself",
    "key points",
    "what's next",
]


def rel(p: Path) -> str:
    return str(p.relative_to(REPO))


def headings(nb) -> list[str]:
    """Markdown headings (# to ######), lower-cased, curly apostrophes straightened."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                found.append(m.group(1).replace("\u2019", "'").lower())
    return found


def test_the_first_two_labs_exist():
    names = [p.name for p in LABS]
    assert "00_start_here.ipynb" in names and "01_queues_and_service_level.ipynb" in names, names


def test_lab_numbers_are_unique():
    numbers = [p.name[:2] for p in LABS]
    assert len(numbers) == len(set(numbers)), numbers


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=rel)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{rel(path)}: cells {dirty} have outputs or execution counts; run `make clean-outputs`"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=rel)
def test_notebook_runs_on_the_kits_kernel_without_empty_cells(path):
    """JupyterLab asks for a kernel when the notebook names none; empty code cells never get a prompt number."""
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{rel(path)}: kernelspec should be python3"
    empty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.source.strip()]
    assert not empty, f"{rel(path)}: empty code cells {empty}"


@pytest.mark.parametrize("path", LABS, ids=rel)
def test_lab_has_a_facilitator_guide(path):
    guides = sorted(LESSONS.glob(f"{path.name[:2]}_*")) if LESSONS.is_dir() else []
    assert guides, f"{rel(path)} has no facilitator guide lessons/{path.name[:2]}_*.md"


@pytest.mark.parametrize("path", LABS, ids=rel)
def test_lab_follows_the_skeleton(path):
    found = headings(nbformat.read(path, as_version=4))
    positions = []
    for part in SKELETON:
        hits = [i for i, h in enumerate(found) if part in h]
        assert hits, f"{rel(path)}: no heading containing {part!r}; headings are {found}"
        positions.append(hits[0])
    assert positions == sorted(positions), (
        f"{rel(path)}: skeleton headings out of order; expected {SKELETON}, headings are {found}"
    )
