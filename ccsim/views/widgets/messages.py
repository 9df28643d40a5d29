"""The message area: plain-language sentences for the learner; tracebacks only in collapsed details."""

from __future__ import annotations

import html
import traceback
from collections.abc import Sequence

import ipywidgets as widgets

from ccsim.errors import CcsimInputError
from ccsim.views.style import MET, MISSED, ORANGE


class MessageArea:
    """Plain-language messages (``ccsim-message``); tracebacks only inside a collapsed ``ccsim-error-details``."""

    def __init__(self) -> None:
        self.html = widgets.HTML()
        self.html.add_class("ccsim-message")
        self.details = widgets.HTML(layout=widgets.Layout(display="none"))
        self.details.add_class("ccsim-error-details")
        self.widget = widgets.VBox([self.html, self.details])
        self.kind: str = ""
        """'' (nothing shown), 'info', 'warning' or 'error'."""
        self.text: str = ""

    def clear(self) -> None:
        self.kind, self.text = "", ""
        self.html.value = ""
        self.details.value = ""
        self.details.layout.display = "none"

    def _show(self, kind: str, text: str, color: str) -> None:
        """Show ``text``; each of its lines (one sentence each) on a line of its own."""
        self.kind, self.text = kind, text
        body = "<br>".join(html.escape(line) for line in text.split("\n"))
        self.html.value = (
            f"<div role='status' style='border-left:6px solid {color};padding:4px 10px;margin:4px 0;"
            f"color:#111;background:#fafafa'>{body}</div>"
        )

    def info(self, text: str) -> None:
        """A neutral note, e.g. 'Simulating 20 days…'."""
        self._show("info", text, MET["color"])

    def warning(self, text: str | Sequence[str]) -> None:
        """Something the learner should know about the numbers (e.g. a result's ``warnings``: an overload sentence).

        Several sentences are shown together, one per line (``text`` then joins them with newlines)."""
        sentences = [text] if isinstance(text, str) else [t for t in text if t]
        if sentences:
            self._show("warning", "\n".join("⚠ " + t for t in sentences), ORANGE)

    def error(self, exc: BaseException) -> None:
        """A bad value gets its one sentence; anything else a kind sentence plus the details, collapsed."""
        if isinstance(exc, CcsimInputError):
            self._show("error", "⚠ " + str(exc), MISSED["color"])
            self.details.value = ""
            self.details.layout.display = "none"
            return
        self._show(
            "error",
            "⚠ Something went wrong while working out these numbers. Try another value; if it "
            "keeps happening, restart the kernel (Kernel menu → Restart Kernel) and run all cells "
            "again.",
            MISSED["color"],
        )
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.details.value = (
            "<details><summary>Details for the trainer</summary>"
            f"<pre style='white-space:pre-wrap;font-size:0.8em'>{html.escape(tb)}</pre></details>"
        )
        self.details.layout.display = None
