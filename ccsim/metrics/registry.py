"""One vocabulary: every KPI ccsim reports, with its label, unit, scale, direction and definition.

The KPI tables (:mod:`ccsim.metrics.kpis`), scorecards, plots, widget tiles and the command line's JSON
all name a KPI by its key here (``service_level``, ``asa_s``, ``abandonment_rate``, ...), so the same
thing has the same name everywhere. Rates are fractions 0–1 inside (``scale`` 100 turns them into
percent at the edges); times are seconds (keys end in ``_s``), except the member-journey figures
that read better in minutes or days (their keys say so: ``member_minutes_per_issue``, ``days_to_resolution_mean``).

    >>> KPIS["asa_s"].label, KPIS["asa_s"].unit
    ('Average speed of answer', 's')
    >>> KPIS["abandonment_rate"].display(0.0312)
    '3.1 %'
    >>> KPIS["asa_s"].format(24.34, ci95=0.41)
    '24.3 ± 0.4 s'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["ENDLESS", "JOURNEY_KPIS", "KPIS", "NO_DATA", "REPORT_KEYS", "Kpi", "format_quantity", "kpi"]

Direction = Literal["higher_is_better", "lower_is_better", "neither"]
Unit = Literal["%", "s", "min", "days", "count", "ratio"]

NO_DATA = "no data"
"""What a missing number (None or NaN: e.g. the ASA when nobody was answered) reads as."""
ENDLESS = "endless"
"""What an infinite number (the wait of an unstable queue) reads as."""


def format_quantity(
    value: float | None,
    unit: str,
    digits: int = 1,
    *,
    ci95: float | None = None,
    threshold: float | None = None,
) -> str:
    """``value`` in words for its ``unit``: '81.9 %' (a fraction ×100), '24.3 s', '7.6 min', '2.9 days', '3,492', '0.12'.

    ``digits`` after the point for "%" and "s" (counts are whole, ratios have two); ``ci95`` adds
    '± half-width' before the unit ('81.9 ± 1.2 %'); with ``threshold``, a value that would look equal
    to it gets more digits ('85.004 %', not '85.0 %' beside a target of 85 %).
    :data:`NO_DATA` for None or NaN, :data:`ENDLESS` for infinity.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    if math.isinf(value):
        return ENDLESS
    scale = 100.0 if unit == "%" else 1.0
    if unit == "count":
        spec, ci_spec = ",.0f", ",.0f"
    elif unit == "ratio":
        spec, ci_spec = ".2f", ".2f"
    else:
        if threshold is not None and value != threshold:
            while digits < 4 and f"{scale * value:.{digits}f}" == f"{scale * threshold:.{digits}f}":
                digits += 1
        spec, ci_spec = f".{digits}f", f".{min(digits, 1)}f"
    text = format(scale * value, spec)
    if ci95 is not None and math.isfinite(ci95):
        text += " ± " + format(scale * ci95, ci_spec)
    return text if unit in ("count", "ratio") else f"{text} {unit}"


@dataclass(frozen=True)
class Kpi:
    """A KPI: ``key`` (its name in every table and JSON), words, unit and how to show it.

    ``unit`` is ``"%"`` (a fraction 0–1 shown ×100), ``"s"`` (seconds), ``"min"`` (minutes), ``"days"``,
    ``"count"`` or ``"ratio"``;
    ``direction`` says which way is better for members and the center (``"neither"`` where both ways
    cost something, as with occupancy); ``css`` is the class its widget tile carries (``ccsim-kpi-<css>``).
    """

    key: str
    label: str
    unit: Unit
    direction: Direction
    definition: str
    css: str
    axis: str = ""

    @property
    def scale(self) -> float:
        """Multiplier from the inside value to the shown one (100 for percentages, else 1)."""
        return 100.0 if self.unit == "%" else 1.0

    @property
    def axis_label(self) -> str:
        """A figure axis label with the unit."""
        if self.axis:
            return self.axis
        words = {"%": "%", "s": "seconds", "min": "minutes", "days": "days"}
        return f"{self.label} ({words[self.unit]})" if self.unit in words else self.label

    def display(self, value: float | None, digits: int = 1) -> str:
        """``value`` for a tile: ``'3.1 %'``, ``'28 s'`` (whole seconds), ``'3,492'``; ``'no data'`` for None or NaN."""
        return format_quantity(value, self.unit, digits if self.unit == "%" else 0)

    def format(
        self, value: float | None, digits: int = 1, *, ci95: float | None = None, threshold: float | None = None
    ) -> str:
        """``value`` for a table: ``'81.9 %'``, ``'24.3 s'``, ``'81.9 ± 1.2 %'`` (see :func:`format_quantity`)."""
        return format_quantity(value, self.unit, digits, ci95=ci95, threshold=threshold)


def _k(key: str, label: str, unit: Unit, direction: Direction, definition: str,
       css: str, axis: str = "") -> Kpi:  # fmt: skip
    return Kpi(key, label, unit, direction, definition, css, axis)


_FCR_RULE = (
    "a Kaplan–Meier (life-table) estimate when some issues were opened less than W days before the calls "
    "stopped; it equals the plain share when every window fits"
)

JOURNEY_KPIS: tuple[Kpi, ...] = (
    _k("issues", "Member issues", "count", "neither", "issues members called about (one per member's first contact)", "issues"),
    _k(
        "fcr",
        "First-contact resolution",
        "%",
        "higher_is_better",
        "issues whose first contact an agent answered and that had no further contact within W days "
        "(the look-back window), over the issues whose first contact an agent answered; " + _FCR_RULE,
        "fcr",
    ),
    _k("fcr_window_days", "FCR look-back window", "days", "neither", "W: the days after a first contact in which "
       "any further contact means the issue was not resolved the first time", "fcr-window"),
    _k(
        "fcr_agent_reported",
        "First-contact resolution (agent-reported)",
        "%",
        "higher_is_better",
        "the same issues, the share the agent marked resolved at the end of the first contact; unlike fcr it "
        "counts a resolution that did not hold (the member called again within W days) as resolved, and an "
        "issue left unresolved as unresolved even when the member did not call again within W days",
        "fcr-agent",
    ),
    _k(
        "repeat_contact_rate",
        "Repeat contacts",
        "%",
        "lower_is_better",
        "contacts that were not an issue's first (redials, returns, chases, recontacts), over all contacts",
        "repeat-contacts",
    ),
    _k("contacts_per_issue", "Contacts per issue", "ratio", "lower_is_better",
       "calls per member issue, its first call included", "contacts-per-issue"),
    _k("handoffs_per_100_issues", "Hand-offs per 100 issues", "ratio", "lower_is_better",
       "warm transfers plus back-office hand-offs, per 100 issues", "handoffs-per-100"),
    _k("consults_per_100_issues", "Consults per 100 issues", "ratio", "neither",
       "consults (the agent stays on the line with a specialist), per 100 issues", "consults-per-100"),
    _k("member_minutes_per_issue", "Member minutes per issue", "min", "lower_is_better",
       "minutes a member spent in the voice menu, waiting and talking, per issue (all its contacts)", "member-minutes"),
    _k("days_to_resolution_mean", "Days to resolution (mean)", "days", "lower_is_better",
       "mean days from an issue's first contact to its resolution, over resolved issues", "days-to-resolution"),
    _k("days_to_resolution_median", "Days to resolution (median)", "days", "lower_is_better",
       "median days from an issue's first contact to its resolution, over resolved issues", "days-to-resolution-median"),
    _k("days_to_resolution_p90", "Days to resolution (90th percentile)", "days", "lower_is_better",
       "days within which 9 in 10 resolved issues were resolved, from the first contact", "days-to-resolution-p90"),
    _k("open_issues", "Open issues", "count", "lower_is_better", "issues not yet resolved when the run ended", "open-issues"),
    _k("open_issue_share", "Open issues (share)", "%", "lower_is_better",
       "issues not yet resolved when the run ended, over all issues", "open-issue-share"),
)  # fmt: skip
"""The member-journey KPIs (:mod:`ccsim.metrics.journeys`), last in :data:`KPIS`; W is the model's
``journeys.lookback_days``."""


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        _k(
            "calls",
            "Callers",
            "count",
            "neither",
            "callers offered to the queues (a transfer is not a new caller)",
            "calls",
        ),
        _k("answered", "Answered", "count", "higher_is_better", "callers an agent answered", "answered"),
        _k("abandoned", "Hung up", "count", "lower_is_better", "callers who hung up while waiting", "abandoned"),
        _k(
            "unanswered",
            "Still waiting at the end",
            "count",
            "lower_is_better",
            "callers still waiting when the drain time after the horizon ran out",
            "unanswered",
        ),
        _k(
            "service_level",
            "Service level",
            "%",
            "higher_is_better",
            "callers answered within T seconds, over the callers the named definition counts",
            "service-level",
        ),
        _k(
            "asa_s",
            "Average speed of answer",
            "s",
            "lower_is_better",
            "mean wait of the answered callers, in seconds",
            "asa",
            "Average speed of answer (seconds)",
        ),
        _k(
            "abandonment_rate",
            "Abandonment",
            "%",
            "lower_is_better",
            "callers who hung up while waiting, over callers offered",
            "abandonment",
            "Abandoned calls (%)",
        ),
        _k(
            "aht_s",
            "Average handle time",
            "s",
            "neither",
            "mean talk plus after-call work of answered calls, in seconds",
            "aht",
        ),
        _k(
            "occupancy",
            "Busy occupancy",
            "%",
            "neither",
            "busy occupancy (the industry's): time agents spend on calls and after-call work, over the time they "
            "are logged in; a target, not a guarantee",
            "occupancy",
            "Busy occupancy: on calls over logged-in time (%)",
        ),
        _k("p_wait", "Callers who wait", "%", "lower_is_better", "callers who were not answered at once", "p-wait"),
        _k(
            "mean_wait_s",
            "Mean wait",
            "s",
            "lower_is_better",
            "mean wait of every caller who queued, in seconds",
            "mean-wait",
        ),
        _k(
            "max_wait_s",
            "Longest wait",
            "s",
            "lower_is_better",
            "the longest wait of any caller, in seconds",
            "max-wait",
        ),
        _k(
            "self_service",
            "Resolved in the voice menu",
            "count",
            "neither",
            "callers the voice menu resolved; they never queued",
            "self-service",
        ),
        _k(
            "callbacks",
            "Call-backs",
            "count",
            "neither",
            "callers who accepted a call-back instead of holding",
            "callbacks",
        ),
        _k(
            "transfers_per_contact",
            "Transfers per caller",
            "ratio",
            "lower_is_better",
            "transfers to another queue, per caller offered",
            "transfers",
        ),
        _k(
            "handoffs",
            "Back-office hand-offs",
            "count",
            "lower_is_better",
            "answered calls handed to the back office",
            "handoffs",
        ),
        _k("agents", "Agents on the phones", "count", "neither", "agents taking calls (after shrinkage)", "agents"),
        _k(
            "scheduled_agents",
            "Agents to schedule",
            "count",
            "neither",
            "agents on the schedule so that enough are on the phones after shrinkage",
            "scheduled-agents",
        ),
        *JOURNEY_KPIS,
    )
}
"""Every KPI by key, in the order tables and JSON list them."""

REPORT_KEYS: tuple[str, ...] = (
    "calls",
    "answered",
    "abandoned",
    "service_level",
    "asa_s",
    "abandonment_rate",
    "p_wait",
    "occupancy",
    "aht_s",
    "agents",
    "scheduled_agents",
)
"""The KPIs every report names the same way at its top level: the JSON of ``ccsim erlang``, ``staff``,
``simulate`` and ``run`` has each of these keys (null where the command has no such number)."""


def kpi(key: str) -> Kpi:
    """The registry entry for ``key``; a :class:`~ccsim.errors.CcsimInputError` names the known keys."""
    from ccsim.errors import CcsimInputError

    try:
        return KPIS[key]
    except KeyError:
        raise CcsimInputError("kpi", key, "one of " + ", ".join(KPIS)) from None
