"""``ccsim lab`` and ``ccsim workshop``: JupyterLab or Voila on the labs, from a checkout or an installed kit.

Without a folder, both serve the learner's own copy of the labs, ``./ccsim-labs``: made from the kit's
labs on first use (the labs ship inside the package as ``ccsim/notebooks``; in a checkout they are
``notebooks/``), then only topped up with labs that are missing, so a learner's edits are never
overwritten. JupyterLab and Voila are imported here only, when one of these commands runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from ccsim.cli.args import CliError, number

__all__ = ["VOILA_OPTIONS", "WORKING_COPY", "cmd_lab", "cmd_workshop", "kit_labs", "start_app", "working_copy"]

WORKING_COPY = "ccsim-labs"
"""The folder, in the current directory, where ``ccsim lab`` keeps the learner's copy of the labs."""
START_PAGE = "00_start_here.ipynb"
VOILA_OPTIONS = ("--Voila.ip=127.0.0.1", "--strip_sources=True", "--show_tracebacks=False", "--theme=light")
"""Voila for a room: this machine only, no code, no tracebacks (a learner sees one sentence), light theme."""
_SKIP = {".ipynb_checkpoints", "__pycache__"}


def kit_labs() -> Path:
    """The kit's labs: ``ccsim/notebooks`` in an installed package, else ``notebooks/`` beside the package (a checkout)."""
    import ccsim

    package = Path(ccsim.__file__).resolve().parent
    for folder in (package / "notebooks", package.parent / "notebooks"):
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return folder
    raise CliError(
        f"lab: the kit's labs are missing (neither {package / 'notebooks'} nor {package.parent / 'notebooks'} "
        "has any); reinstall the kit with pip install ."
    )


def working_copy(folder: Path) -> tuple[list[str], list[str]]:
    """Copy the kit's labs into ``folder`` where missing → (names copied, names kept because the learner changed them).

    A file already there is never overwritten; new copies get the learner's usual permissions.
    """
    source = kit_labs()
    folder.mkdir(parents=True, exist_ok=True)
    copied: list[str] = []
    kept: list[str] = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or any(part in _SKIP or part.startswith(".") for part in rel.parts):
            continue
        target = folder / rel
        if target.exists():
            if target.read_bytes() != path.read_bytes():
                kept.append(rel.as_posix())
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel.as_posix())
    return copied, kept


def _labs_folder(args: argparse.Namespace) -> Path:
    """The folder to serve: the one given (as it is), else the working copy, made or topped up now."""
    if args.folder is not None:
        folder = Path(args.folder)
        if not folder.is_dir():
            raise CliError(f"FOLDER: {args.folder} is not allowed; use a folder of labs that exists, e.g. notebooks/")
        return folder.resolve()
    folder = Path(WORKING_COPY).resolve()
    try:
        copied, kept = working_copy(folder)
    except OSError as e:
        raise CliError(
            f"lab: cannot copy the labs into {folder} ({e.strerror}); run ccsim lab in a folder you own"
        ) from None
    note = f"Your labs are in {folder}"
    if copied:
        note += f" ({len(copied)} copied from the kit)"
    if kept:
        note += f"; your own version of {', '.join(kept)} is kept (delete a file to get the kit's version back)"
    print(note + ".", file=sys.stderr)
    return folder


def _app_options(args: argparse.Namespace) -> list[str]:
    extra = list(getattr(args, "app_options", []))
    for word in extra:
        if not word.startswith("--"):
            raise CliError(f"{word}: not an option of `ccsim {args.command}`; see `ccsim {args.command} --help`")
    return extra


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def start_app(app: str, argv: list[str]) -> int:
    """Run JupyterLab (``app`` "lab") or Voila ("voila") in this process with ``argv`` until it is stopped."""
    try:
        if app == "lab":
            from jupyterlab.labapp import LabApp as App
        else:
            from voila.app import Voila as App
    except ImportError:
        package = "jupyterlab" if app == "lab" else "voila"
        raise CliError(
            f"{app}: {package} is not installed; use pip install {package} (pip install ccsim brings it)"
        ) from None
    App.launch_instance(argv=argv)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """``ccsim lab``: JupyterLab on the labs, opening lab 00 (``--allow-root`` when running as root)."""
    port = number(args, "--port")
    extra = _app_options(args)
    folder = _labs_folder(args)
    argv = [f"--ServerApp.root_dir={folder}"]
    if port is not None:
        argv.append(f"--port={port}")
    if _is_root():  # JupyterLab refuses to start as root without it (containers, CI-like machines)
        argv.append("--allow-root")
    argv += extra
    if (folder / START_PAGE).is_file():
        argv.append(str(folder / START_PAGE))
    return start_app("lab", argv)


def cmd_workshop(args: argparse.Namespace) -> int:
    """``ccsim workshop``: Voila on the labs (no code shown) on http://127.0.0.1:PORT."""
    port = number(args, "--port")
    extra = _app_options(args)
    folder = _labs_folder(args)
    return start_app("voila", [str(folder), f"--port={port}", *VOILA_OPTIONS, *extra])
