"""Every example in a ccsim docstring runs and gives what it shows.

Modules are discovered (pkgutil.walk_packages), so a module that moves or is added is checked
without editing this file. For each module, the examples written in its docstrings (module, class,
function, method, and attribute docstrings, found by parsing the source) must be exactly the
examples doctest runs: an example doctest cannot reach (say in a nested function's or an
attribute's docstring) would otherwise pass unnoticed while it rots.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import io
import pkgutil
from pathlib import Path

import pytest

import ccsim

PARSER = doctest.DocTestParser()


def runs_on_import(name: str) -> bool:
    """A ``__main__`` module runs the command line when imported (``python -m ccsim``): it is read, not imported."""
    return name.rpartition(".")[2] == "__main__"


def ccsim_modules() -> list[str]:
    """ccsim and every module below it, by dotted name."""
    found = pkgutil.walk_packages(ccsim.__path__, prefix="ccsim.", onerror=lambda name: None)
    return ["ccsim", *sorted(info.name for info in found)]


MODULES = ccsim_modules()


def module_source(name: str) -> str:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, f"{name}: no source file"
    return Path(spec.origin).read_text(encoding="utf-8")


def written_examples(source: str) -> list[tuple[int, str]]:
    """(line, docstring start) of every ``>>>`` example in the source's docstrings, attribute docstrings included."""
    examples = []
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for stmt in body:
            if (
                isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
                and ">>>" in stmt.value.value
            ):
                for example in PARSER.get_examples(stmt.value.value):
                    examples.append((stmt.lineno, example.source))
    return examples


def test_discovery_finds_the_packages():
    assert {"ccsim.__main__", "ccsim.analytics.erlang", "ccsim.analytics.staffing", "ccsim.metrics.kpis"} <= set(
        MODULES
    )
    assert len(MODULES) == len(set(MODULES)) > 10


def test_written_examples_reads_every_kind_of_docstring():
    source = '''
"""Module.

>>> 1 + 1
2
"""
X = 1
"""Attribute.

>>> X
1
"""
def f():
    """Function.

    >>> f()
    """
    def inner():
        """Nested.

        >>> 3
        3
        """
class C:
    """Class: no example, only the word >>> in prose."""
'''
    assert [line for line, _ in written_examples(source)] == [2, 8, 14, 19]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_all_run_and_pass(name):
    written = written_examples(module_source(name))
    if runs_on_import(name):
        assert not written, f"{name} runs on import, so its examples cannot run: move them to an importable module"
        return
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(recurse=True).find(module, name)
    attempted = sum(len(t.examples) for t in tests)
    assert attempted == len(written), (
        f"{name}: {len(written)} examples written in docstrings, {attempted} found by doctest "
        f"(examples doctest cannot reach: nested functions, attribute docstrings, objects from other modules)"
    )
    runner = doctest.DocTestRunner(verbose=False)
    report = io.StringIO()
    results = [runner.run(test, out=report.write) for test in tests]
    failed, ran = sum(r.failed for r in results), sum(r.attempted for r in results)
    assert failed == 0, f"{name}: {failed} of {ran} examples failed\n{report.getvalue()}"
    assert ran == len(written)
