"""The scorecard as a performance dashboard: metrics as rows, sites as columns, met or missed in each cell.

Shaped like the three-region member-service dashboard (facts.md): one column per site and one for
all sites, one row per metric with its target (the plan's guarantees marked *; AHT and busy occupancy
are targets, not guarantees). Each cell shows the value (with ± the 95%
confidence half-width after replications) and the verdict in a symbol *and* a word (✓ met,
✗ missed, – no data), so colour is never the only signal. Colours are Okabe–Ito tints (blue for met,
orange for missed), distinguishable with the common colour-vision deficiencies; fonts are
projector-sized. matplotlib only, built without pyplot (nothing left open, nothing shown by accident).

Example::

    >>> from ccsim.scenario import load_preset
    >>> from ccsim.simulation.engine import simulate
    >>> from ccsim.metrics.scorecard import scorecard
    >>> fig = scorecard_figure(scorecard(simulate(load_preset("classroom").to_model(), seed=1)))
    >>> fig.axes[0].get_title(loc="left")
    'Guarantees (*) and targets: met or missed'
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ccsim.errors import CcsimInputError
from ccsim.metrics.scorecard import ALL, format_value, target_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

__all__ = ["VERDICT", "scorecard_figure"]

# Okabe & Ito (2008): blue and orange stay distinct with red-green colour blindness; light tints keep
# black text readable, and a darker edge of the same hue marks the cell.
VERDICT: dict[str, dict[str, str]] = {
    "met": {"symbol": "✓", "word": "met", "face": "#D4E9F7", "edge": "#0072B2"},
    "missed": {"symbol": "✗", "word": "missed", "face": "#FBDDB0", "edge": "#D55E00"},
    "no data": {"symbol": "–", "word": "no data", "face": "#EEEEEE", "edge": "#777777"},
}
"""How each status is drawn: symbol, word, cell colour and edge colour."""

_STYLE: dict[RcKeyType, Any] = {"font.size": 14, "font.family": "DejaVu Sans"}


def _column_title(name: str) -> str:
    return "All sites" if name == ALL else str(name)


_LABEL_W, _COL_W, _ROW_H, _HEAD_H = 3.6, 2.3, 1.05, 0.75
"""Grid geometry in inches: metric-label column, site column, row and header heights."""


def _cell_value(r: dict | None, has_ci: bool) -> str:
    if r is None:
        return "-"
    ci = r.get("ci95") if has_ci else None
    ci = None if ci is None or (isinstance(ci, float) and math.isnan(ci)) else ci
    return format_value(r["result"], r["unit"], ci, threshold=r["target"])


def _draw_cell(ax: Axes, x0: float, y0: float, r: dict | None, has_ci: bool) -> None:
    """One site's value and verdict for one metric: a tinted box, the value, the verdict in a symbol and a word."""
    v = VERDICT.get(r["status"] if r is not None else "no data", VERDICT["no data"])
    box = Rectangle((x0 + 0.06, y0 + 0.06), _COL_W - 0.12, _ROW_H - 0.12, facecolor=v["face"], edgecolor=v["edge"])
    box.set_linewidth(2)
    ax.add_patch(box)
    value = _cell_value(r, has_ci)
    x = x0 + _COL_W / 2
    size = 16 if len(value) <= 10 else 13
    ax.text(x, y0 + _ROW_H * 0.36, value, ha="center", va="center", fontsize=size, fontweight="bold")
    ax.text(x, y0 + _ROW_H * 0.72, f"{v['symbol']} {v['word']}", ha="center", va="center", fontsize=13, color="black")


def _draw_metric_label(ax: Axes, y0: float, ref: dict) -> None:
    star = " *" if ref.get("guaranteed", False) is True else ""
    ax.text(0.15, y0 + _ROW_H * 0.38, str(ref["label"]) + star, ha="left", va="center", fontsize=14, fontweight="bold")
    words = "target " + target_text(ref["direction"], ref["target"], ref["unit"])
    ax.text(0.15, y0 + _ROW_H * 0.72, words, ha="left", va="center", fontsize=12, color="#333333")


def _draw_header(ax: Axes, df: pd.DataFrame, groups: list, rows: int, title: str | None) -> None:
    t, sl = df.attrs.get("answer_within_s"), df.attrs.get("sl_definition")
    default = f"Service level: answered within {t:g} s, definition '{sl}'." if t is not None and sl else ""
    sub = title if title is not None else default
    ax.set_title("Guarantees (*) and targets: met or missed", loc="left", fontsize=18, fontweight="bold", pad=22)
    if sub:
        ax.text(0.1, -0.08, sub, fontsize=12, color="#333333", va="bottom", ha="left")
    for j, g in enumerate(groups):
        x = _LABEL_W + _COL_W * (j + 0.5)
        ax.text(x, _HEAD_H / 2, _column_title(g), ha="center", va="center", fontsize=15, fontweight="bold")
    if ALL in groups and len(groups) > 1:  # a rule between the sites and the total
        x = _LABEL_W + _COL_W * (len(groups) - 1)
        ax.plot([x, x], [0.1, _HEAD_H + _ROW_H * rows], color="black", linewidth=2)


def scorecard_figure(df: pd.DataFrame, *, title: str | None = None) -> Figure:
    """A dashboard figure of a :func:`ccsim.metrics.scorecard.scorecard` table: one row per metric, one column per site, "All sites" last.

    ``title``: a line above the grid (default: what the service level means). Returns a
    :class:`matplotlib.figure.Figure`; display it in a notebook or save it with ``fig.savefig``.
    """
    need = {"metric", "label", "target", "direction", "unit", "result", "status"}
    if not isinstance(df, pd.DataFrame) or not need <= set(df.columns) or df.empty:
        raise CcsimInputError("df", type(df).__name__, "a non-empty table from ccsim.metrics.scorecard.scorecard")
    group_col = df.attrs.get("by") or ("site" if "site" in df.columns else "call_type")
    groups = [g for g in dict.fromkeys(df[group_col]) if g != ALL] + ([ALL] if (df[group_col] == ALL).any() else [])
    metrics = list(dict.fromkeys(df["metric"]))
    records = df.to_dict("records")
    cell = {(r[group_col], r["metric"]): r for r in records}
    first = {r["metric"]: r for r in reversed(records)}

    width = _LABEL_W + _COL_W * len(groups) + 0.2
    height = _HEAD_H + _ROW_H * len(metrics) + 1.0
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(width, height), dpi=90)
        ax = fig.add_axes((0.012, 0.0, 0.976, 1.0 - 0.8 / height))
        ax.set_xlim(0, width)
        ax.set_ylim(_HEAD_H + _ROW_H * len(metrics) + 0.05, 0)
        ax.axis("off")
        _draw_header(ax, df, groups, len(metrics), title)
        for i, k in enumerate(metrics):
            y0 = _HEAD_H + _ROW_H * i
            _draw_metric_label(ax, y0, first[k])
            for j, g in enumerate(groups):
                _draw_cell(ax, _LABEL_W + _COL_W * j, y0, cell.get((g, k)), "ci95" in df.columns)
    return fig
