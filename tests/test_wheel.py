"""The built wheel works without the checkout: presets, profiles and labs travel inside the package.

The wheel is built offline (``pip wheel --no-deps --no-build-isolation --no-index``) from a copy of the
sources, unpacked into a temporary folder and put first on PYTHONPATH; every command runs from another
folder, so nothing can be read from the checkout's data/ or notebooks/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q")
SOURCES = ("pyproject.toml", "setup.py", "README.md", "ccsim", "data", "notebooks")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the unpacked wheel's folder, the wheel file)."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(path, src / name)
    built = subprocess.run(
        [*PIP_WHEEL, "-w", str(root / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (root / "dist").glob("ccsim-*.whl")
    site = root / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site, wheel


def run_elsewhere(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    cwd.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_holds_every_module_the_presets_profiles_and_labs(installed):
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "ccsim").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules <= names, f"missing from the wheel: {sorted(modules - names)}"
    for folder, pattern, inside in (
        ("data/scenarios", "*.toml", "ccsim/data/scenarios"),
        ("data/profiles", "*.csv", "ccsim/data/profiles"),
        ("data/personas", "*.toml", "ccsim/data/personas"),
        ("notebooks", "[0-9][0-9]_*.ipynb", "ccsim/notebooks"),
    ):
        files = sorted((REPO / folder).glob(pattern))
        assert files, f"{folder} has no {pattern}"
        missing = [f.name for f in files if f"{inside}/{f.name}" not in names]
        assert not missing, f"{folder}: not shipped as {inside}: {missing}"


def test_installed_package_runs_presets_from_another_folder(installed, tmp_path):
    site, _ = installed
    where = run_elsewhere(site, tmp_path, "-c", "import ccsim; print(ccsim.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(site), f"ccsim came from {where.stdout} instead of the wheel"
    for preset in ("classroom", "member_services_network"):
        proc = run_elsewhere(site, tmp_path, "-m", "ccsim", "run", preset, "--json")
        assert proc.returncode == 0, proc.stderr
        d = json.loads(proc.stdout)
        assert d["scenario"] == preset and d["calls"] > 0 and d["scorecard"]
    proc = run_elsewhere(
        site,
        tmp_path,
        "-c",
        "from ccsim.scenario import load_preset; print(load_preset('classroom').name)",
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "classroom", proc.stderr


def test_installed_package_copies_its_labs_for_ccsim_lab(installed, tmp_path):
    site, _ = installed
    code = (
        "from pathlib import Path; from ccsim.cli.launch import kit_labs, working_copy; "
        "print(kit_labs()); print(working_copy(Path('ccsim-labs'))[0])"
    )
    proc = run_elsewhere(site, tmp_path, "-c", code)
    assert proc.returncode == 0, proc.stderr
    source, copied = proc.stdout.splitlines()
    assert Path(source) == site / "ccsim" / "notebooks"
    labs = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.name for p in (tmp_path / "ccsim-labs").glob("*.ipynb")) == labs and all(n in copied for n in labs)
