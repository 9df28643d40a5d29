"""Shared test helpers and fixtures. Keep each helper small and documented."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


def shared_dir() -> Path:
    """The project's shared/ folder beside the repository (reference vectors, facts, seeds)."""
    return Path(__file__).resolve().parents[1].parent / "shared"


def erlang_vectors(*models: str) -> list[dict[str, str]]:
    """Rows of shared/reference/erlang_vectors.csv, optionally only those whose model is in ``models``."""
    with open(shared_dir() / "reference" / "erlang_vectors.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if not models or r["model"] in models]


@pytest.fixture
def shared() -> Path:
    """Fixture form of :func:`shared_dir`."""
    return shared_dir()
