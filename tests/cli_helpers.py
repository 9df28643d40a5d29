"""Helpers for the command-line tests (test_cli.py, test_cli_run.py): run ``ccsim.cli.main`` in this process.

A plain module (not conftest) so test modules can import it: ``from cli_helpers import run, run_json``.
"""

from __future__ import annotations

import json

from ccsim.cli import main


def run(capsys, *argv):
    """``main(argv)`` (each argument as text, so paths and numbers may be passed) → (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    """``main(argv + ["--json"])`` → the parsed JSON; the command must succeed."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)
