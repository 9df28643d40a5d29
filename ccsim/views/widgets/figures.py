"""The figure area: one matplotlib figure shown as a PNG, with its description in words."""

from __future__ import annotations

import html
import sys
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from ccsim.views import plots


class FigureArea:
    """A fixed-height area showing one matplotlib figure as a PNG (``ccsim-figure``).

    The figure is rendered to PNG bytes and shown in an Image widget, so Run All, JupyterLab and
    Voila all show exactly one picture per update and no figure stays open. ``alt`` describes it
    in words (``ccsim-figure-caption``) for screen readers and for anyone who cannot see colour.
    ``figure`` is the matplotlib Figure behind the picture (when known), for checks of what it shows.
    In a notebook, an area on the last line of a cell shows itself.
    """

    def __init__(self, height: str = "520px", dpi: int = 90):
        self.dpi = dpi
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(max_width="100%", max_height=height, object_fit="contain")
        )
        self.caption = widgets.HTML()
        self.caption.add_class("ccsim-figure-caption")
        box = widgets.Box(
            [self.image], layout=widgets.Layout(height=height, overflow="hidden", justify_content="flex-start")
        )
        box.add_class("ccsim-figure")
        box.add_class("ccsim-result")
        self.widget = widgets.VBox([box, self.caption])
        self.png: bytes = b""
        self.alt: str = ""
        self.figure: Figure | None = None

    def show(self, image: Figure | bytes | bytearray, alt: str = "", figure: Figure | None = None) -> None:
        """Show ``image`` (a Figure, or PNG bytes already drawn from ``figure``) with ``alt`` as its caption."""
        if isinstance(image, (bytes, bytearray)):
            self.png = bytes(image)
            self.figure = figure
        else:
            self.png = plots.fig_to_png(image, dpi=self.dpi)
            self.figure = image
            _close(image)
        self.image.value = self.png
        # No image.tooltip: ipywidgets 8.1's ImageView reads description.length (an Image has none) and the
        # figure fails to render ("Click to show javascript error"); the caption carries the words.
        self.alt = alt
        self.caption.value = f"<div style='font-size:0.9em;color:#333'>{html.escape(alt)}</div>" if alt else ""

    def clear(self) -> None:
        self.png, self.alt, self.figure = b"", "", None
        self.image.value = b""
        self.caption.value = ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _close(fig: Figure) -> None:
    """Close ``fig`` in pyplot if pyplot made it (figures from ccsim.views.plots are not registered there)."""
    plt = sys.modules.get("matplotlib.pyplot")
    number = getattr(fig, "number", None)
    if plt is not None and number is not None and plt.fignum_exists(number):
        plt.close(fig)


def show_figure(fig: Figure, alt: str = "", height: str = "480px") -> FigureArea:
    """A static figure for a notebook cell: a :class:`FigureArea` already showing ``fig`` (it displays itself)."""
    area = FigureArea(height=height)
    area.show(fig, alt)
    return area
