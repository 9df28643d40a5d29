"""What importing ccsim costs and needs: `import ccsim` is light, and the library works without Jupyter.

Each check runs in a fresh interpreter (``sys.modules`` of this test process already holds everything).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "simpy", "scipy", "matplotlib", "ipywidgets")
JUPYTER = ("jupyterlab", "voila", "jupyter_server")
NEEDS_JUPYTER = ("ccsim.views", "ccsim.labs", "ccsim.cli.launch")
"""The parts of ccsim that may need Jupyter: the views and labs (widgets), and the launcher of lab and workshop."""


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_import_ccsim_loads_no_heavy_library():
    code = f"import sys, json; import ccsim; print(json.dumps(sorted(set({HEAVY!r}) & set(sys.modules))))"
    proc = python(code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [], "import ccsim should stay light; it imported " + proc.stdout


# Every module of the library (not the views, labs or launcher; not the __main__ scripts, which run the
# command line) is imported with Jupyter blocked, then `ccsim run classroom` runs.
WITHOUT_JUPYTER = f"""
import importlib, pkgutil, sys
for name in {JUPYTER!r}:
    sys.modules[name] = None  # `import name` now raises ImportError
import ccsim

def modules(package):
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name.startswith({NEEDS_JUPYTER!r}) or info.name.endswith(".__main__"):
            continue
        module = importlib.import_module(info.name)
        yield info.name
        if info.ispkg:
            yield from modules(module)

names = list(modules(ccsim))
print(len(names), "modules imported", file=sys.stderr)
assert "ccsim.cli.run" in names and "ccsim.metrics.scorecard" in names, names
from ccsim.cli import main
sys.exit(main(["run", "classroom"]))
"""


def test_the_library_and_ccsim_run_work_without_jupyterlab_or_voila():
    proc = python(WITHOUT_JUPYTER)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "All sites" in proc.stdout and "modules imported" in proc.stderr


def test_the_blocking_works():
    proc = python(
        WITHOUT_JUPYTER.replace("sys.exit(main", "import ccsim.cli.launch as l; l.start_app('lab', []); (main")
    )
    assert proc.returncode != 0 and "jupyterlab is not installed" in proc.stderr
