"""Fixtures for the real-browser tests: one JupyterLab and one Voila server per session, Debian's chromium.

Both servers serve a temporary copy of notebooks/ (the browser may autosave; the repository must not
change). The Voila server is started with exactly the command `make workshop` runs (read from
`make -n`), so these tests also check that the workshop target starts and serves the labs.

Run: `.venv/bin/python -m pytest tests/browser -q` (about a minute). Pictures of every lab, in Lab and in
Voila, land in test-artifacts/screenshots/ (git-ignored). CCSIM_LABS_DIR=<folder> tests a draft folder of
labs instead of notebooks/. Without chromium the tests skip, unless CI is set: then they fail.
Known-good launch flags and Lab settings for these machines are the constants below.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from labpage import NOTEBOOKS, REPO, SCREENSHOTS, lab_notebooks

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# JupyterLab settings that remove flakiness: no news toast over widgets; every cell stays in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
SERVER_START_TIMEOUT_S = 90


def chromium_path() -> str | None:
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail under CI, which must never skip the browser tests silently."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server process we started, in its own process group."""

    name: str
    proc: subprocess.Popen
    log_path: Path
    base_url: str
    token: str = ""

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def wait_ready(self, probe_url: str) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(probe_url, timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(
            f"{self.name} did not answer {probe_url} within {SERVER_START_TIMEOUT_S} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Terminate by PID; if it does not exit, or leaves children (kernels), kill its process group."""
        pgid = self.proc.pid  # start_new_session=True: the group id is our child's PID
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _killpg(pgid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # Leftover kernels of this server are still in the group: end them too.
        _killpg(pgid, signal.SIGTERM)
        time.sleep(0.2)
        _killpg(pgid, signal.SIGKILL)


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group may be gone already
        os.killpg(pgid, sig)


def _start(
    name: str, cmd: list[str], workdir: Path, cwd: Path, base_url: str, probe_url: str, token: str = ""
) -> Server:
    env = dict(os.environ)
    tmp = workdir / "tmp"
    tmp.mkdir(exist_ok=True)
    # Kernel connection files, browser profiles and temp files stay inside the test's temp dir.
    env.update(TMPDIR=str(tmp), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), PYTHONUNBUFFERED="1")
    env.pop("JUPYTER_TOKEN", None)
    log_path = workdir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(name=name, proc=proc, log_path=log_path, base_url=base_url, token=token)
    try:
        server.wait_ready(probe_url)
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def browser_workdir(tmp_path_factory) -> Path:
    labs = {name.removesuffix(".ipynb") for name in lab_notebooks()}
    for old in SCREENSHOTS.glob("*_[0-9][0-9]_*.png"):  # pictures of labs that no longer exist
        if old.stem.split("_", 1)[1] not in labs:
            old.unlink()
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def served_labs(browser_workdir) -> Path:
    """A temporary copy of notebooks/ (and data/, which labs may read by a relative path)."""
    root = browser_workdir / "kit"
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (REPO / "data").is_dir():
        shutil.copytree(REPO / "data", root / "data")
    return root / "notebooks"


@pytest.fixture(scope="session")
def chromium_exe() -> str:
    exe = chromium_path()
    if exe is None:
        skip_or_fail("chromium is not installed: run `apt-get install -y chromium` (Debian) to run the browser tests")
    return exe


@pytest.fixture(scope="session")
def browser(chromium_exe, browser_workdir):
    from playwright.sync_api import sync_playwright

    old_tmp = os.environ.get("TMPDIR")
    tmp = browser_workdir / "tmp"
    tmp.mkdir(exist_ok=True)
    os.environ["TMPDIR"] = str(tmp)  # chromium's profile goes here
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium_exe, args=CHROMIUM_ARGS, headless=True)
            yield b
            b.close()
    finally:
        if old_tmp is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_tmp


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def lab_server(chromium_exe, served_labs, browser_workdir) -> Server:
    work = browser_workdir / "lab"
    settings = work / "settings"
    for rel, value in LAB_SETTINGS.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served_labs}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={work / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    server = _start("jupyterlab", cmd, work, served_labs, base, f"{base}/api/status?token={token}", token)
    yield server
    server.stop()


def workshop_command(labs_dir: Path, port: int) -> list[str]:
    """The command `make workshop` runs, for another folder and port (read with `make -n`, nothing rebuilt)."""
    if shutil.which("make") is None:
        skip_or_fail("make is not installed; the Voila tests run the `make workshop` command")
    out = (
        subprocess.run(
            [
                "make",
                "-s",
                "-n",
                "-o",
                ".venv/.installed-stamp",
                "workshop",
                f"LABS_DIR={labs_dir}",
                f"PORT={port}",
                "VOILA_FLAGS=--no-browser",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(out) == 1, f"`make -n workshop` should run one command, got: {out}"
    cmd = shlex.split(out[0])
    program = Path(cmd[0]).name
    # Same options, this interpreter (the Makefile's .venv/bin may not be the environment under test).
    if program == "ccsim":
        assert cmd[1:2] == ["workshop"], f"`make workshop` should run `ccsim workshop`, got: {out[0]}"
        return [sys.executable, "-m", "ccsim", *cmd[1:]]
    assert program == "voila", f"`make workshop` should run `ccsim workshop` or voila, got: {out[0]}"
    return [sys.executable, "-m", "voila", *cmd[1:]]


@pytest.fixture(scope="session")
def voila_server(chromium_exe, served_labs, browser_workdir) -> Server:
    work = browser_workdir / "voila"
    work.mkdir()
    port = free_port()
    cmd = workshop_command(served_labs, port)
    assert str(served_labs) in cmd and f"--port={port}" in cmd and "--no-browser" in cmd, cmd
    base = f"http://127.0.0.1:{port}"
    server = _start("voila", cmd, work, REPO, base, f"{base}/voila/tree")
    yield server
    server.stop()
