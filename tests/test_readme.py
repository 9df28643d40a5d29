"""Every Python example in the README runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_python_examples():
    assert EXAMPLES


@pytest.mark.parametrize("code", EXAMPLES)
def test_readme_python_example_runs(code, capsys):
    exec(compile(code, str(README), "exec"), {})
    out = capsys.readouterr().out
    assert "Erlang A: 85.8% answered within 20 s, 2.5% abandon" in out
    assert "arrival_s" in out and "met" in out


def test_readme_lists_every_lab_and_its_guide():
    text = README.read_text(encoding="utf-8")
    root = README.parent
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"notebooks/{nb.name}" in text
        guide = root / "lessons" / (nb.stem + ".md")
        assert guide.exists() and f"lessons/{guide.name}" in text


def test_readme_lists_every_preset():
    from ccsim.scenario import list_presets

    text = README.read_text(encoding="utf-8")
    for name in list_presets():
        assert f"`{name}`" in text


def test_readme_documents_the_json_keys_every_command_shares():
    from ccsim.metrics.registry import REPORT_KEYS

    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The JSON every command prints") :]
    first_cells = " ".join(line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))
    for key in (*REPORT_KEYS, "ci95"):
        assert f"`{key}`" in first_cells, key


def test_readme_says_how_to_start_the_labs_without_make():
    text = README.read_text(encoding="utf-8")
    assert "pip install ." in text and "ccsim lab" in text and "ccsim-labs" in text
