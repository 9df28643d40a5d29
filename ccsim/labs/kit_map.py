"""The map of the kit (lab 00): every lab, who it is for, and whether its notebook exists yet."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from ccsim.views.style import MET, NEUTRAL

__all__ = ["LABS", "kit_map"]

LABS: tuple[tuple[str, str, str, str], ...] = (
    # number, title, notebook file, who it is for (from KIT_PLAN.md)
    ("00", "Start here", "00_start_here.ipynb", "everyone, first"),
    ("01", "Queues and service level", "01_queues_and_service_level.ipynb", "new hires, UBT teams, self-paced"),
    ("02", "In the caller's shoes", "02_in_the_callers_shoes.ipynb", "new hires, UBT teams"),
    ("03", "Metric trade-offs", "03_metric_trade_offs.ipynb", "new hires, UBT teams, supervisors"),
    ("04", "One and done (hand-off reduction)", "04_one_and_done.ipynb", "UBT teams, new hires"),
    ("05", "What-if staffing", "05_what_if_staffing.ipynb", "supervisors, workforce planners, UBT teams"),
    ("06", "Routing and call sharing", "06_routing_and_call_sharing.ipynb", "supervisors, UBT teams"),
    ("07", "Technology levers", "07_technology_levers.ipynb", "UBT teams, supervisors"),
    ("08", "Case: a 24-hour public hotline", "08_case_24_hour_hotline.ipynb", "everyone"),
    ("09", "UBT workshop capstone", "09_ubt_workshop_capstone.ipynb", "UBT teams"),
)
"""Number, title, notebook file and audience of each lab."""

_CELL = "padding:3px 8px"


def _notebook_dir() -> Path:
    here = Path(__file__).resolve().parents[2] / "notebooks"
    return here if here.is_dir() else Path.cwd()


def _row(number: str, title: str, audience: str, notebook: str | None) -> str:
    ready = notebook is not None
    shown = f"{html.escape(title)} — <code>{html.escape(notebook)}</code>" if notebook else html.escape(title)
    color = MET["color"] if ready else NEUTRAL["color"]
    return (
        f"<tr><td style='{_CELL}'><b>{number}</b></td><td style='{_CELL}'>{shown}</td>"
        f"<td style='{_CELL}'>{html.escape(audience)}</td>"
        f"<td style='{_CELL};color:{color}'>{'ready ✓' if ready else 'coming later'}</td></tr>"
    )


class KitMap(widgets.HTML):
    """The kit map's HTML widget; ``ready`` lists the numbers of the labs whose notebook exists."""

    def __init__(self, value: str, ready: list[str]):
        super().__init__(value)
        self.ready = ready


def kit_map(notebook_dir: str | Path | None = None) -> KitMap:
    """A table of the labs 00–09: title, who it is for, and whether its notebook exists yet (``ccsim-kit-map``).

    A lab counts as ready when a notebook starting with its number is in ``notebook_dir``.
    """
    folder = Path(notebook_dir) if notebook_dir else _notebook_dir()
    found = {p.name[:2]: p.name for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"), reverse=True)}
    rows = [_row(number, title, audience, found.get(number)) for number, title, _file, audience in LABS]
    head = "".join(f"<th style='text-align:left;{_CELL}'>{h}</th>" for h in ("Lab", "Title", "Who it is for", "Status"))
    table = (
        f"<table style='border-collapse:collapse;font-size:1.05em'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    w = KitMap(table, sorted(set(found) & {n for n, *_ in LABS}))
    w.add_class("ccsim-kit-map")
    return w
