"""Run every benchmark (benchmarks/bench_*.py) and print one markdown table; also write benchmarks/results/latest.md.

Each bench module has ``run() -> list[dict]`` with keys ``benchmark``, ``measure``, ``value``,
``target`` and ``met`` (True, False, or "" for a figure without a target). Speeds are ratios
against a baseline run in the same process, so a busy machine slows both sides alike.

Usage: ``make bench`` or ``.venv/bin/python benchmarks/run.py [name ...]`` (e.g. ``engine`` for bench_engine.py only).
Exit code 1 if a target was missed.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("benchmark", "measure", "value", "target", "met")


def discover(names: list[str] | None = None) -> list[Path]:
    """The bench_*.py files beside this script, optionally only those named (``engine`` → bench_engine.py)."""
    files = sorted(HERE.glob("bench_*.py"))
    if names:
        files = [f for f in files if f.stem.removeprefix("bench_") in names or f.stem in names]
    return files


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _cell(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "**no**"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c, "")) for c in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict] = []
    failed = False
    for path in discover(argv or None):
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(load(path).run())
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            rows.append(dict(benchmark=path.stem, measure="crashed (see stderr)", value="", target="", met=False))
    failed = any(row.get("met") is False for row in rows)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"
    text = f"# Benchmarks, {stamp}\n\nMachine: {machine}\n\n{table(rows)}\n"
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
