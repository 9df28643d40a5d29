"""Import time: what `import ccsim` costs in a fresh interpreter (the command line and every notebook pay it).

Each figure is the median of several fresh interpreters, timed inside the interpreter around the import
alone (``time.perf_counter`` before and after), so interpreter start-up is not counted. Target:
``import ccsim`` ≤ 0.5 s (it loads no pandas, SciPy, SimPy, matplotlib or ipywidgets; tests/test_imports.py
checks that). ``import ccsim.cli`` (what ``ccsim --help`` pays before a command runs) has no target.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REPEATS = 7
TARGET_S = 0.5


def import_seconds(module: str) -> float:
    """Median seconds to import ``module`` in a fresh interpreter started in the repository."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def run() -> list[dict]:
    package = import_seconds("ccsim")
    cli = import_seconds("ccsim.cli")
    return [
        dict(
            benchmark="import",
            measure="import ccsim (s)",
            value=package,
            target=f"≤ {TARGET_S}",
            met=package <= TARGET_S,
        ),
        dict(benchmark="import", measure="import ccsim.cli (s)", value=cli, target="", met=""),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
