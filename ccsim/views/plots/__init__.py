"""Figures for the labs: matplotlib only (no widgets), readable on a projector.

Every function takes data (DataFrames, numbers) and returns a :class:`matplotlib.figure.Figure`
built without pyplot, so no figure is left open in pyplot's registry and nothing is shown by
accident: the caller decides where it goes (``fig_to_png`` for a widget, ``display(fig)`` in a cell).
Large fonts, axes labelled with units (words from :data:`ccsim.metrics.registry.KPIS`), Okabe–Ito
colours (colour-blind safe) and never colour alone: each source also has its own marker and line
style (:data:`ccsim.views.style.SOURCES`), and lines carry text labels.

    >>> curve = erlang_curve(213.75, 1800, 400, range(45, 56), patience_s=300)
    >>> fig = staffing_curve(curve, targets={"service_level": 0.8}, current_agents=50)
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()]
    ['Service level', 'Average speed of answer', 'Abandonment', 'Busy occupancy']
"""

from ccsim.views.plots._common import STYLE, fig_to_png
from ccsim.views.plots.blit import StaffingCurvePNG
from ccsim.views.plots.curves import agents_around, erlang_curve
from ccsim.views.plots.days import day_spread, interval_profile
from ccsim.views.plots.staffing import staffing_curve
from ccsim.views.style import SOURCES

__all__ = [
    "SOURCES",
    "STYLE",
    "StaffingCurvePNG",
    "agents_around",
    "day_spread",
    "erlang_curve",
    "fig_to_png",
    "interval_profile",
    "staffing_curve",
]
