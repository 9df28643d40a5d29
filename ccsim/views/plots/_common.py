"""What every figure shares: projector-sized rc settings, a pyplot-free Figure, PNG bytes, target lines."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure

from ccsim.metrics.registry import format_quantity
from ccsim.metrics.registry import kpi as registry_kpi

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

STYLE: dict[RcKeyType, Any] = {
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "figure.titlesize": 17,
    "lines.linewidth": 2.6,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
"""matplotlib rc settings every figure here is drawn with (projector-sized text)."""


def new_figure(width_in: float, height_in: float, **margins: float) -> Figure:
    """A Figure outside pyplot, ``width_in`` × ``height_in`` inches, with fixed margins (fractions of the figure)."""
    # Fixed margins, not constrained layout: the layout engine doubles the drawing time and a
    # slider change must redraw well inside 250 ms.
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width_in, height_in))
        fig.subplots_adjust(**margins)
        return fig


def fig_to_png(fig: Figure, dpi: int = 90) -> bytes:
    """PNG bytes of ``fig`` (drawn with :data:`STYLE`), lightly compressed: encoding fast beats bytes saved."""
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def shown(kpi: str, value: float, digits: int = 0) -> str:
    """``value`` as a figure writes it: '80%', '30 s', '2.9 days' (the unit of the KPI in the registry)."""
    k = registry_kpi(kpi)
    if k.unit == "%":
        return f"{value * k.scale:.{digits}f}%"
    if k.unit == "s":
        return f"{value:.{digits}f} s"
    return format_quantity(value, k.unit, digits)


def target_text(kpi: str, value: float) -> str:
    """'target 80%', 'target 30 s', 'target 3 days': the words beside a target line."""
    k = registry_kpi(kpi)
    if k.unit in ("%", "s"):
        return f"target {value * k.scale:g}{'%' if k.unit == '%' else ' s'}"
    return f"target {format_quantity(value, k.unit, 1)}"


def target_line(ax: Axes, value: float, text: str, *, below_left: bool = False) -> None:
    """A black dash-dot line at ``value`` (in the axis' unit) labelled ``text``; its artist id is ``target``."""
    line = ax.axhline(value, color="black", linestyle="-.", linewidth=1.8, zorder=1)
    line.set_gid("target")
    x, dy, ha, va = (0.0, -4, "left", "top") if below_left else (1.0, 4, "right", "bottom")
    ax.annotate(
        text,
        xy=(x, value),
        xycoords=("axes fraction", "data"),
        xytext=(4 if below_left else -4, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=12,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
    )
