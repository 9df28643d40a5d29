"""Shared fixtures and the Hypothesis profiles. Importable helpers live in ``shared_data.py`` (conftest modules are not for importing).

Hypothesis profiles (pick one with the environment variable ``HYPOTHESIS_PROFILE``):

* ``ci`` (the default): the same examples on every run and every machine (derandomized, no example
  database), no deadline (a shared machine is not a stopwatch), and a reproduction blob on failure.
* ``explore``: random examples, 1000 per test instead of 100, failures remembered in ``.hypothesis/``:
  for hunting bugs locally, e.g. ``HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_erlang.py``.
  (A test that sets its own ``max_examples`` keeps it under every profile.)
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None)
settings.register_profile("explore", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
