"""Reference data the tests check against, copied into the repository (a user's clone has no shared/).

A plain module (not conftest) so test modules can import it: ``from shared_data import erlang_vectors``.
"""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "data" / "reference"
"""tests/data/reference/: copies of published reference data, each file naming its source."""

QUANTITY_NAMES = {"p_abandon": "abandonment_rate"}
"""The published vectors' quantity names that ccsim calls otherwise."""


def erlang_vectors(*models: str) -> list[dict[str, str]]:
    """Rows of tests/data/reference/erlang_vectors.csv, optionally only those whose model is in ``models``."""
    with open(REFERENCE_DIR / "erlang_vectors.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    for r in rows:
        r["quantity"] = QUANTITY_NAMES.get(r["quantity"], r["quantity"])
    return [r for r in rows if not models or r["model"] in models]
