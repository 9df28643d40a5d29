"""Shared fixtures. Importable helpers live in ``shared_data.py`` (conftest modules are not for importing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import shared_dir


@pytest.fixture
def shared() -> Path:
    """The project's shared/ folder beside the repository."""
    return shared_dir()
