"""`ccsim lab` and `ccsim workshop`: what they start, where the labs come from, and a learner's edits kept.

JupyterLab and Voila are not started here (test_packaging.py starts `make lab` for real, the browser
tests `make workshop`): ``start_app`` is replaced by a recorder, or the apps by stand-ins.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from cli_helpers import run

from ccsim.cli import launch

REPO = Path(__file__).resolve().parents[1]
LABS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture()
def started(monkeypatch):
    """What start_app was asked to run: a list of (app, argv)."""
    calls: list[tuple[str, list[str]]] = []

    def record(app, argv):
        calls.append((app, list(argv)))
        return 0

    monkeypatch.setattr(launch, "start_app", record)
    return calls


def test_kit_labs_in_a_checkout_are_the_notebooks_folder():
    assert launch.kit_labs() == REPO / "notebooks"


def test_lab_on_a_folder_serves_it_as_it_is_and_opens_lab_00(capsys, started, monkeypatch):
    monkeypatch.setattr(launch, "_is_root", lambda: False)
    code, out, err = run(capsys, "lab", REPO / "notebooks", "--port", "9999", "--no-browser")
    assert out == ""
    assert code == 0 and err == ""
    ((app, argv),) = started
    folder = (REPO / "notebooks").resolve()
    assert app == "lab"
    assert argv == [
        f"--ServerApp.root_dir={folder}",
        "--port=9999",
        "--no-browser",
        str(folder / "00_start_here.ipynb"),
    ]


def test_lab_as_root_adds_allow_root(capsys, started, monkeypatch):
    monkeypatch.setattr(launch, "_is_root", lambda: True)
    assert run(capsys, "lab", REPO / "notebooks")[0] == 0
    assert "--allow-root" in started[0][1]
    monkeypatch.setattr(launch, "_is_root", lambda: False)
    assert run(capsys, "lab", REPO / "notebooks")[0] == 0
    assert "--allow-root" not in started[1][1]


def test_workshop_runs_voila_with_the_rooms_options(capsys, started):
    code, _, err = run(capsys, "workshop", REPO / "notebooks", "--port=8123", "--no-browser")
    assert code == 0 and err == ""
    ((app, argv),) = started
    assert app == "voila" and argv[0] == str((REPO / "notebooks").resolve()) and argv[1] == "--port=8123"
    assert {"--strip_sources=True", "--show_tracebacks=False", "--Voila.ip=127.0.0.1", "--theme=light"} <= set(argv)
    assert argv[-1] == "--no-browser"
    run(capsys, "workshop", REPO / "notebooks")
    assert "--port=8866" in started[1][1]


def test_without_a_folder_the_labs_are_copied_once_and_a_learners_edit_is_kept(capsys, started, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "lab")
    copy = tmp_path / launch.WORKING_COPY
    assert code == 0 and sorted(p.name for p in copy.glob("*.ipynb")) == LABS
    assert f"Your labs are in {copy}" in err and f"{len(LABS)} copied" in err
    assert started[0][1][0] == f"--ServerApp.root_dir={copy}" and started[0][1][-1] == str(copy / "00_start_here.ipynb")
    edited = copy / LABS[-1]
    edited.write_text("my notes")
    (copy / LABS[0]).unlink()
    code, _, err = run(capsys, "workshop")
    assert code == 0 and edited.read_text() == "my notes"
    assert (copy / LABS[0]).read_bytes() == (REPO / "notebooks" / LABS[0]).read_bytes()
    assert "1 copied" in err and f"your own version of {LABS[-1]} is kept" in err
    assert started[1][0] == "voila" and started[1][1][0] == str(copy)


def test_copies_are_writable_even_when_the_kits_files_are_not(tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "00_start_here.ipynb").write_text("{}")
    (kit / "00_start_here.ipynb").chmod(0o444)
    (kit / ".ipynb_checkpoints").mkdir()
    (kit / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    monkeypatch.setattr(launch, "kit_labs", lambda: kit)
    copied, kept = launch.working_copy(tmp_path / "mine")
    assert copied == ["00_start_here.ipynb"] and kept == []
    target = tmp_path / "mine" / "00_start_here.ipynb"
    target.write_text("edited")  # the learner can save
    assert not (tmp_path / "mine" / ".ipynb_checkpoints").exists()


BAD = [
    (["lab", "no/such/folder"], "FOLDER", "no/such/folder"),
    (["workshop", "--port", "0"], "--port", "0"),
    (["workshop", "--port", "http"], "--port", "http"),
    (["lab", "notebooks", "extra"], "extra", None),
]


@pytest.mark.parametrize("argv, flag, value", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_is_one_sentence(capsys, started, argv, flag, value, monkeypatch):
    monkeypatch.chdir(REPO)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(flag), err
    if value is not None:
        assert value in err
    assert started == []


def test_missing_kit_labs_is_one_sentence(capsys, started, tmp_path, monkeypatch):
    import ccsim

    fake = tmp_path / "site" / "ccsim"
    fake.mkdir(parents=True)
    monkeypatch.setattr(ccsim, "__file__", str(fake / "__init__.py"))
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "lab")
    assert code == 2 and err.startswith("lab: the kit's labs are missing") and err.count("\n") == 1
    assert started == []


def test_start_app_runs_the_app_in_this_process_and_says_when_it_is_missing(monkeypatch):
    seen = {}

    class Stand:
        @classmethod
        def launch_instance(cls, argv):
            seen[cls.__name__] = argv

    for module, name in (("jupyterlab.labapp", "LabApp"), ("voila.app", "Voila")):
        monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**{name: type(name, (Stand,), {})}))
    assert launch.start_app("lab", ["--a=1"]) == 0 and launch.start_app("voila", ["x"]) == 0
    assert seen == {"LabApp": ["--a=1"], "Voila": ["x"]}
    monkeypatch.setitem(sys.modules, "voila.app", None)
    with pytest.raises(launch.CliError, match=r"^voila: voila is not installed; use pip install voila"):
        launch.start_app("voila", [])


def test_an_app_ending_with_a_code_or_a_message_is_the_exit_code(capsys, monkeypatch):
    def ends(code):
        def start(app, argv):
            raise SystemExit(code)

        return start

    monkeypatch.setattr(launch, "start_app", ends(3))
    assert run(capsys, "workshop", REPO / "notebooks")[0] == 3
    monkeypatch.setattr(launch, "start_app", ends("port in use"))
    code, _, err = run(capsys, "workshop", REPO / "notebooks")
    assert code == 1 and err == "port in use\n"
