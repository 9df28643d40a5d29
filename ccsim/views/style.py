"""How the views show things: the Okabe–Ito palette, met/missed colours, and each source of numbers.

One place for the words and colours a figure and a widget tile share, so the simulation is the
same blue circle, and Erlang A the same orange square, wherever it appears. KPI words (labels,
units, axis labels, CSS names) come from :data:`ccsim.metrics.registry.KPIS`.
"""

from __future__ import annotations

__all__ = [
    "BLUE",
    "GREEN",
    "GREY",
    "MET",
    "MISSED",
    "NEUTRAL",
    "ORANGE",
    "PURPLE",
    "SKY",
    "SOURCES",
    "VERMILLION",
    "source_style",
]

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"
GREY = "#555555"

MET = {"color": BLUE, "background": "#e6f0f8"}
"""A met target: blue, with words and a ✓ beside it (never colour alone)."""
MISSED = {"color": VERMILLION, "background": "#fbe9df"}
"""A missed target: vermillion, with words and a ✗."""
NEUTRAL = {"color": "#6b6b6b", "background": "#f2f2f2"}
"""No verdict (no target, nothing computed yet)."""

SOURCES: dict[str, dict[str, str]] = {
    "simulation": {"label": "Simulation", "tile": "Simulation", "color": BLUE, "marker": "o", "linestyle": "-"},
    "erlang_a": {
        "label": "Erlang A (callers hang up)",
        "tile": "Erlang A formula (callers hang up)",
        "color": ORANGE,
        "marker": "s",
        "linestyle": "--",
    },
    "erlang_c": {
        "label": "Erlang C (nobody hangs up)",
        "tile": "Erlang C formula (nobody hangs up)",
        "color": PURPLE,
        "marker": "^",
        "linestyle": ":",
    },
}
"""Each source of numbers: ``label`` (figure legends), ``tile`` (under a tile's value), colour, marker, line style."""


def source_style(source: str) -> dict[str, str]:
    """The :data:`SOURCES` entry of ``source``; an unknown source gets grey diamonds and its own name."""
    return SOURCES.get(source, {"label": source, "tile": source, "color": GREY, "marker": "D", "linestyle": "-."})
