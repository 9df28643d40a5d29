"""Helpers for tests that read the project's shared/ folder beside the repository.

A plain module (not conftest) so test modules can import it: ``from shared_data import erlang_vectors``.
"""

from __future__ import annotations

import csv
from pathlib import Path


def shared_dir() -> Path:
    """The project's shared/ folder beside the repository (reference vectors, facts, seeds)."""
    return Path(__file__).resolve().parents[1].parent / "shared"


def erlang_vectors(*models: str) -> list[dict[str, str]]:
    """Rows of shared/reference/erlang_vectors.csv, optionally only those whose model is in ``models``."""
    with open(shared_dir() / "reference" / "erlang_vectors.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if not models or r["model"] in models]
