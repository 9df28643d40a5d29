"""Packaging and the two-command promise: pyproject.toml and environment.yml agree, the README starts with
`make lab` and `make test`, the Makefile has the documented targets, and CI runs `make test`."""

from __future__ import annotations

import ast
import itertools
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONDA_ONLY = {"python", "pip"}
TARGETS = ["lab", "test", "bench", "workshop"]


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of -, _ and . become one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(req: str) -> tuple[str, str]:
    """'pandas >= 2.1' -> ('pandas', '>=2.1'); extras and markers are not used in this kit."""
    m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$", req)
    assert m, f"cannot read requirement {req!r}"
    assert "[" not in m.group(2) and ";" not in m.group(2), f"unexpected extras/markers in {req!r}"
    return normalise(m.group(1)), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    """Runtime packages and every optional extra's (test, mutation, ...), name → version bound."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    pairs = [split_requirement(r) for r in reqs]
    assert len({n for n, _ in pairs}) == len(pairs), f"a package is listed twice in pyproject.toml: {reqs}"
    return dict(pairs)


def environment_requirements() -> dict[str, str]:
    """The `dependencies:` list of environment.yml (plain `- name spec` lines; a nested pip: list is refused)."""
    lines = (REPO / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:")
    reqs = []
    for line in lines[start + 1 :]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\s+-\s+(.+?)\s*(#.*)?$", line)
        if not m:
            break  # next top-level key
        assert not m.group(1).endswith(":"), "environment.yml: keep every package in the conda list (no pip: section)"
        reqs.append(m.group(1))
    pairs = [split_requirement(r) for r in reqs]
    return {n: spec for n, spec in pairs if n not in CONDA_ONLY}


def test_environment_yml_lists_the_same_packages_as_pyproject():
    py, conda = pyproject_requirements(), environment_requirements()
    assert set(py) == set(conda), (
        f"only in pyproject.toml: {sorted(set(py) - set(conda))}; only in environment.yml: {sorted(set(conda) - set(py))}"
    )
    differ = {n: (py[n], conda[n]) for n in py if py[n] != conda[n]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_environment_yml_requires_the_same_python():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    text = (REPO / "environment.yml").read_text()
    assert re.search(rf"^\s+-\s+python\s*{re.escape(project['requires-python'])}\s*$", text, re.M), (
        f"environment.yml should pin python{project['requires-python']} like pyproject.toml"
    )


def test_readme_starts_with_make_lab_and_make_test():
    lines = (REPO / "README.md").read_text().splitlines()
    body = [ln for ln in lines if ln.strip()]
    assert body[0].startswith("# "), "README should open with its title"
    assert body[1].startswith("```"), f"the first thing after the title should be the setup commands, not {body[1]!r}"
    block = []
    for ln in body[2:]:
        if ln.startswith("```"):
            break
        block.append(ln.split("#", 1)[0].strip())
    assert [c for c in block if c] == ["make lab", "make test"], block


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.M))


def test_makefile_has_the_documented_targets():
    text = (REPO / "Makefile").read_text()
    assert set(TARGETS) <= makefile_targets(), sorted(makefile_targets())
    phony = re.search(r"^\.PHONY:(.*)$", text, re.M)
    assert phony and set(TARGETS) <= set(phony.group(1).split()), "lab/test/bench/workshop should be .PHONY"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dry_run(target: str) -> list[list[str]]:
    """The commands `make <target>` would run (installation step skipped), split into words."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = subprocess.run(
        ["make", "-s", "-n", "-o", ".venv/.installed-stamp", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [shlex.split(line) for line in out.splitlines() if line.strip()]


def _stop(proc: subprocess.Popen) -> None:
    """End the server we started (by its PID), then anything left in its process group (kernels)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_make_lab_runs_ccsim_lab_which_opens_lab_00_in_jupyterlab(tmp_path):
    """Start exactly what `make lab` starts (no browser, own port and token): `ccsim lab notebooks/` serves
    the labs and the page it would open in the browser is lab 00."""
    (cmd,) = dry_run("lab")
    assert Path(cmd[0]).name == "ccsim" and cmd[1:] == ["lab", "notebooks/"], cmd
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "ccsim",
        *cmd[1:],
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]
    runtime = tmp_path / "runtime"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(tmp_path)}
    with open(tmp_path / "lab.log", "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        opened = None
        deadline = time.monotonic() + 60
        while opened is None and time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            pages = list(runtime.glob("jpserver-file-to-run-*-open.html"))
            if pages:
                opened = re.search(r'href="([^"]+)"', pages[0].read_text()).group(1)
            time.sleep(0.3)
        assert opened is not None, (tmp_path / "lab.log").read_text()[-3000:]
        assert re.search(r"/lab/tree/00_start_here\.ipynb\?token=", opened), opened
        url = f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb?content=0&token={token}"
        with urllib.request.urlopen(url, timeout=10) as r:
            assert json.load(r)["type"] == "notebook"
    finally:
        _stop(proc)


def test_make_test_runs_every_test_including_notebooks_and_browser():
    (cmd,) = dry_run("test")
    assert cmd[1:3] == ["-m", "pytest"] and "tests" in cmd and "notebooks" in cmd, cmd
    assert "--nbval-lax" in cmd, cmd
    assert not any(a == "-m" and "browser" in b for a, b in itertools.pairwise(cmd[3:])), (
        "make test must include browser tests"
    )


def test_make_workshop_runs_ccsim_workshop_on_the_labs_folder_and_port():
    (cmd,) = dry_run("workshop")
    assert Path(cmd[0]).name == "ccsim" and cmd[1:4] == ["workshop", "notebooks/", "--port=8866"], cmd
    if shutil.which("make"):
        out = subprocess.run(
            [
                "make",
                "-s",
                "-n",
                "-o",
                ".venv/.installed-stamp",
                "workshop",
                "LABS_DIR=x/",
                "PORT=9",
                "VOILA_FLAGS=--a=1",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert shlex.split(out)[1:] == ["workshop", "x/", "--port=9", "--a=1"], out


def test_ci_script_runs_make_test_and_installs_chromium():
    script = REPO / ".ci" / "run"
    assert os.access(script, os.X_OK), ".ci/run should be executable"
    code = [ln.strip() for ln in script.read_text().splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert "make test" in code, code
    assert any("apt-get install" in ln for ln in code) and any("chromium" in ln for ln in code), (
        "CI should install Debian's chromium when it is missing"
    )
    assert any(re.match(r"export CI=", ln) for ln in code), "CI should set CI so browser tests cannot be skipped"


# A learner's clone has only the repository: tests must read nothing outside it, in particular not the
# project's shared folder (reference data the tests use is copied into tests/data/reference/).
SHARED = "shar" + "ed"  # spelled in two parts so this file's own patterns are not findings
PY_PATH = re.compile(rf"(^|[/\\]){SHARED}([/\\]|$)")
TEXT_PATH = re.compile(rf"(\.\.[/\\]|[/\\]){SHARED}[/\\]")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of a module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def references_to_shared(path: Path) -> list[str]:
    """Strings in ``path`` that point into a shared/ folder: any path-like text constant of a Python file
    (docstrings and comments may mention the folder), or a ../shared/ or /shared/ path in any other text file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".py":
        return [m.group(0) for m in TEXT_PATH.finditer(text)]
    tree = ast.parse(text)
    skip = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if node.value == SHARED or PY_PATH.search(node.value)
    ]


def test_the_shared_folder_check_finds_paths_and_ignores_prose(tmp_path):
    bad = {
        "a.py": f'from pathlib import Path\nP = Path(__file__).parents[2] / "{SHARED}" / "reference"\n',
        "b.py": f'open("/work/{SHARED}/reference/facts.md")\n',
        "c.toml": f'profile = "../../{SHARED}/profiles/x.csv"\n',
    }
    good = {
        "d.py": f'"""Copied from the project\'s {SHARED}/ folder."""\n# see {SHARED}/reference\nX = "{SHARED}_data"\n',
        "e.csv": f"# Copied from the project's {SHARED}/reference/erlang_vectors.csv\na,b\n",
    }
    for name, text in {**bad, **good}.items():
        (tmp_path / name).write_text(text)
    assert [n for n in sorted(bad) if references_to_shared(tmp_path / n)] == sorted(bad)
    assert [n for n in sorted(good) if references_to_shared(tmp_path / n)] == []


def test_tests_read_nothing_from_the_shared_folder():
    found = {}
    for path in sorted((REPO / "tests").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".png", ".pyc"):
            hits = references_to_shared(path)
            if hits:
                found[str(path.relative_to(REPO))] = hits
    assert not found, f"tests must read only the repository; these point into a {SHARED}/ folder: {found}"
