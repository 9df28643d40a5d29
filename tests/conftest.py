"""Shared fixtures. Importable helpers live in ``shared_data.py`` (conftest modules are not for importing)."""
