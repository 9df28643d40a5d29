"""The package's shape, checked: one-way imports, lint, format, types, and modules and functions small enough to read.

Each check runs the project's own configuration (pyproject.toml, .importlinter), so `make test` fails
on a finding exactly as a contributor's editor would show it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ccsim"
BIN = Path(sys.executable).parent

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_imports_flow_one_way():
    """scenario → simulation → metrics → views → labs; nothing below the views draws; no Jupyter in the library."""
    done = _run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_ruff_finds_nothing():
    done = _run(str(BIN / "ruff"), "check", "ccsim", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_code_is_formatted():
    done = _run(str(BIN / "ruff"), "format", "--check", "ccsim", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_mypy_finds_nothing():
    done = _run(str(BIN / "mypy"))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success" in done.stdout


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_short_enough_to_read(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by concept"


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    too_long = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                too_long.append(f"{node.name} (line {node.lineno}: {length} lines)")
    return too_long


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_are_short_enough_to_read(path: Path):
    assert _long_functions(path) == []


def test_the_size_checks_can_fail(tmp_path: Path):
    """A long function is found (so an empty list above means something)."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 5))
    probe = tmp_path / "probe.py"
    probe.write_text(f"def long_one():\n{body}\n    return 0\n", encoding="utf-8")
    assert [f.split(" ")[0] for f in _long_functions(probe)] == ["long_one"]
