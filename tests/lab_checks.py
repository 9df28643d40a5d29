"""Checks that a lab cannot silently show a wrong number.

After a panel updates, :func:`check_panel` compares **every tile** (its value, the number it shows, the
verdict, the target's numbers, the numbers in its small print, which source it names) and **every line
of the panel's figure** (the data of each line matplotlib drew: formula curves, simulation points and
their 95% interval, target lines, the "now" marker, day markers, averages) with numbers computed
independently through ccsim's public API, and asserts the message area says nothing after a normal update.
Nothing goes unchecked: a tile or a drawn line without an expectation fails, and so does an expectation
that finds nothing to check.

How a lab's test uses it (one test module per lab, e.g. ``tests/test_lab01_queues.py``):

1. Build the panel and move its controls as a learner would (``panel.set(agents=45)``).
2. Say what it must show *without the lab's code*: formulas from :mod:`ccsim.analytics.erlang`, the
   simulation from :func:`ccsim.metrics.replications.replicate` on a model built with
   :class:`ccsim.simulation.model.CenterModel`, targets from :func:`ccsim.metrics.scorecard.targets_from` on
   the scenario's targets. Put them in an :class:`Expected`: one :class:`TileCheck` per tile (keyed by
   ``(kpi, source)``) and one :class:`LineCheck` per line the figure draws (found by the axis' KPI and the
   line's legend words, or its artist id when it has no legend entry; see :mod:`ccsim.views.plots`).
3. Call ``check_panel(panel, expected)``; for a static figure, :func:`check_figure`.

For the single-queue panels of labs 00 and 01, :func:`queue_expected` does step 2 and :func:`day_spread_expected`
does it for the day-spread panel; a new lab writes its own ``*_expected`` beside them (or in its test module)
from the same pieces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ccsim.analytics.erlang import QueueMetrics, erlang_a, erlang_c
from ccsim.metrics.registry import KPIS
from ccsim.metrics.replications import ReplicationResult, replicate
from ccsim.metrics.scorecard import Target, targets_from
from ccsim.scenario import load_preset
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.model import CenterModel

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
REL = 1e-9


# ---------------------------------------------------------------------------------------------- what to expect


@dataclass(frozen=True)
class TileCheck:
    """What one tile must show.

    ``value``: inside units (fraction, seconds; ``inf`` for an endless wait; None: nothing computed yet). ``target``: the independent
    target the tile judges against (None: the tile gives no verdict). ``shows_number`` False: the tile must
    show no number and no verdict (Erlang C's abandonment, an assumption). ``note_numbers``: the numbers its
    small print must show, in order, in shown units (``()``: none). ``source_words``: how its source line begins.
    """

    value: float | None
    """None: the tile has no number yet (a simulation waiting for Run) and must say why."""
    target: Target | None
    source_words: str
    shows_number: bool = True
    note_numbers: tuple[float, ...] = ()


@dataclass(frozen=True)
class LineCheck:
    """One line of a figure and the numbers it must carry (inside units: fractions, seconds).

    ``axis``: the KPI key of its axis (the axis' artist id). ``name``: a regular expression matched against
    the line's legend words, or against its artist id when it has no legend entry. ``kind``:

    * ``"curve"``: ``y(x)`` gives the expected value at each drawn x; ``x_includes`` must be among the x;
    * ``"points"``: markers at ``x`` with values ``y``;
    * ``"hline"``: a horizontal line at ``y[0]``; ``"vline"``: a vertical line at ``x[0]``.

    ``label_numbers``: the numbers its legend words must show, in order, in shown units (None: not checked).
    """

    axis: str
    name: str
    kind: str
    x: Sequence[float] = ()
    y: Sequence[float] | Callable[[np.ndarray], Sequence[float]] = ()
    x_includes: Sequence[float] = ()
    label_numbers: tuple[float, ...] | None = None


@dataclass
class Expected:
    """Everything a panel must show after an update: its tiles, its figure's lines, its caption's numbers."""

    tiles: dict[tuple[str, str], TileCheck]
    lines: list[LineCheck] = field(default_factory=list)
    """Empty: the panel draws no figure."""
    caption_numbers: tuple[float, ...] | None = None
    """The numbers the figure's caption must show, in order, in shown units (None: not checked)."""


# ---------------------------------------------------------------------------------------------- numbers in words


def shown_numbers(text: str) -> list[str]:
    """The numbers written in ``text``, as written (commas dropped)."""
    return [m.replace(",", "") for m in NUMBER.findall(text)]


def assert_numbers(text: str, expected: Sequence[float], where: str) -> None:
    """Every number written in ``text`` is the expected one, rounded as written (``'82'`` ±0.5, ``'3.1'`` ±0.05)."""
    written = shown_numbers(text)
    assert len(written) == len(expected), f"{where}: {text!r} shows {written}, expected {list(expected)}"
    for w, e in zip(written, expected, strict=True):
        decimals = len(w.split(".")[1]) if "." in w else 0
        assert abs(float(w) - e) <= 0.5 * 10.0**-decimals + 1e-9, f"{where}: {text!r} shows {w}, expected {e:.6g}"


def classes(widget: Any) -> set[str]:
    """The CSS classes of an ipywidget."""
    return set(widget._dom_classes)


def walk(widget: Any):
    """``widget`` and every widget inside it, depth first (page order)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def shown(kpi: str, value: float) -> float:
    """``value`` in the unit a learner reads (percent for fractions)."""
    return value * KPIS[kpi].scale


# ---------------------------------------------------------------------------------------------- tiles


def check_tile(tile: Any, want: TileCheck) -> None:
    """One :class:`ccsim.views.widgets.KpiTile` against ``want``."""
    where = f"tile ({tile.kpi}, {tile.source})"
    classes = set(tile.widget._dom_classes)
    assert tile.source_name.startswith(want.source_words), f"{where}: names its source {tile.source_name!r}"
    headline, _, detail = tile.text.partition(" — ")
    if want.value is None:
        assert tile.value is None and tile.met is None and not shown_numbers(tile.text), f"{where}: {tile.text!r}"
        assert "ccsim-pending" in classes, f"{where}: classes {classes}"
        return
    if not want.shows_number:
        assert not shown_numbers(headline) and tile.met is None, f"{where}: shows {tile.text!r}"
        assert "ccsim-no-target" in classes, f"{where}: classes {classes}"
        return
    assert tile.value is not None, f"{where}: no number ({tile.text!r})"
    if math.isinf(want.value):
        assert math.isinf(tile.value) and "endless" in headline, f"{where}: {tile.text!r}, expected endless"
    else:
        assert math.isclose(tile.value, want.value, rel_tol=REL, abs_tol=REL), f"{where}: {tile.value} != {want.value}"
        assert_numbers(headline, [shown(tile.kpi, want.value)], where)
    _check_verdict(tile, want, detail, classes, where)
    assert_numbers(tile.note, want.note_numbers, f"{where} note")


def _check_verdict(tile: Any, want: TileCheck, detail: str, classes: set[str], where: str) -> None:
    t = want.target
    if t is None:
        assert tile.met is None and "ccsim-no-target" in classes, f"{where}: judged without a target ({tile.text!r})"
        return
    met = t.met(want.value)
    assert tile.met is met, f"{where}: verdict {tile.met}, expected {met} against {t}"
    assert ("met ✓" if met else "missed ✗") in detail, f"{where}: says {detail!r}"
    assert ("ccsim-met" if met else "ccsim-missed") in classes, f"{where}: classes {classes}"
    words = detail.split(" — ")[0]
    expected = [shown(t.metric, t.threshold)] + ([t.answer_within_s] if t.answer_within_s is not None else [])
    assert_numbers(words, expected, f"{where} target")


def check_tiles(tiles: Sequence[Any], expected: Mapping[tuple[str, str], TileCheck]) -> None:
    """Every tile has an expectation and meets it; every expectation has its tile."""
    by_key = {(t.kpi, t.source): t for t in tiles}
    assert set(by_key) == set(expected), f"tiles {sorted(by_key)} but expectations for {sorted(expected)}"
    for key, want in expected.items():
        check_tile(by_key[key], want)


# ---------------------------------------------------------------------------------------------- figure lines


@dataclass(frozen=True)
class Drawn:
    """One line matplotlib drew: its axis' KPI, its name (legend words or artist id), data, and axis top."""

    axis: str
    name: str
    label: str
    x: np.ndarray
    y: np.ndarray
    y_top: float


def drawn_lines(fig: Figure) -> list[Drawn]:
    """Every Line2D and LineCollection on the visible axes of ``fig``."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        top = ax.get_ylim()[1]
        # an error bar's legend words belong to its container; its data line is what they name
        legend = {id(c[0]): c.get_label() for c in ax.containers if isinstance(c, ErrorbarContainer)}
        for artist in [*ax.lines, *(c for c in ax.collections if isinstance(c, LineCollection))]:
            label = str(legend.get(id(artist)) or artist.get_label() or "")
            named = label if label and not label.startswith("_") else str(artist.get_gid() or "")
            assert named, f"axis {ax.get_gid()!r}: a line with neither legend words nor an artist id ({artist})"
            if isinstance(artist, Line2D):
                x = np.asarray(artist.get_xdata(), dtype=float)
                y = np.asarray(artist.get_ydata(), dtype=float)
            else:  # error bars: one vertical segment per point
                segments = artist.get_segments()
                x = np.array([s[0][0] for s in segments], dtype=float)
                y = np.array([v for s in segments for v in (s[0][1], s[1][1])], dtype=float)
            out.append(Drawn(str(ax.get_gid()), named, label, x, y, top))
    return out


def _close(drawn: np.ndarray, expected: np.ndarray, top: float, where: str) -> None:
    assert drawn.shape == expected.shape, f"{where}: drew {drawn}, expected {expected}"
    for d, e in zip(drawn, expected, strict=True):
        if math.isnan(d):  # cut off above the axis (ASA) or not finite
            assert not math.isfinite(e) or e > top / 1.02 * (1 - 1e-9), f"{where}: drew nothing where {e} belongs"
        else:
            assert math.isclose(d, e, rel_tol=REL, abs_tol=REL), f"{where}: drew {drawn}, expected {expected}"


def check_line(d: Drawn, want: LineCheck) -> None:
    """One drawn line against ``want``."""
    where = f"line {d.name!r} on axis {d.axis!r}"
    scale = KPIS[want.axis].scale
    if want.kind == "curve":
        assert callable(want.y)
        assert set(want.x_includes) <= set(d.x.tolist()), f"{where}: x {d.x} lacks {want.x_includes}"
        assert np.all(d.x == np.round(d.x)), f"{where}: x {d.x} are not whole agents"
        _close(d.y, np.asarray(want.y(d.x), dtype=float) * scale, d.y_top, where)
    elif want.kind == "points":
        assert not callable(want.y)
        _close(d.x, np.asarray(want.x, dtype=float), math.inf, where + " x")
        _close(d.y, np.asarray(want.y, dtype=float) * scale, d.y_top, where)
    elif want.kind == "hline":
        assert not callable(want.y)
        _close(d.y, np.full(d.y.shape, float(want.y[0]) * scale), d.y_top, where)
    elif want.kind == "vline":
        _close(d.x, np.full(d.x.shape, float(want.x[0])), math.inf, where)
    else:
        raise AssertionError(f"unknown kind {want.kind!r}")
    if want.label_numbers is not None:
        assert_numbers(d.label, want.label_numbers, f"{where} legend")


def check_figure(fig: Figure | None, lines: Sequence[LineCheck]) -> None:
    """Every line of ``fig`` matches exactly one check, and every check exactly one line."""
    assert fig is not None, "the panel kept no figure to check"
    drawn = drawn_lines(fig)
    matches = {i: [d for d in drawn if d.axis == c.axis and re.search(c.name, d.name)] for i, c in enumerate(lines)}
    for i, found in matches.items():
        assert len(found) == 1, f"{lines[i].axis}/{lines[i].name}: found {[d.name for d in found]} in the figure"
        check_line(found[0], lines[i])
    checked = {id(found[0]) for found in matches.values()}
    unchecked = [f"{d.axis}/{d.name}" for d in drawn if id(d) not in checked]
    assert not unchecked, f"lines nobody checked: {unchecked}"


def check_panel(panel: Any, expected: Expected) -> None:
    """``panel`` (a :class:`ccsim.views.widgets.WhatIfPanel`) after a normal update shows exactly ``expected``."""
    assert panel.message.kind == "", f"the message area says {panel.message.text!r}"
    check_tiles(panel.tiles, expected.tiles)
    area = panel.figure_area
    if not expected.lines:
        assert area is None or area.png == b"", "the panel draws a figure nobody checks"
        return
    assert area is not None and area.png.startswith(b"\x89PNG"), "the panel shows no picture"
    check_figure(area.figure, expected.lines)
    if expected.caption_numbers is not None:
        assert_numbers(area.alt, expected.caption_numbers, "caption")


# ---------------------------------------------------------------------------------------------- labs 00 and 01: one queue

SOURCE_WORDS = {"erlang_a": "Erlang A", "erlang_c": "Erlang C", "simulation": "Simulation"}
"""How the learner tells the sources apart: the first words of a tile's source line and of a legend entry."""
QUEUE_KPIS = ("service_level", "asa_s", "abandonment_rate", "occupancy")


def classroom_targets(answer_within_s: float) -> dict[str, Target]:
    """The classroom preset's targets (scorecard), service level counted within ``answer_within_s`` seconds."""
    by_metric = {t.metric: t for t in targets_from(load_preset("classroom").targets)}
    by_metric["service_level"] = by_metric["service_level"].with_answer_within_s(answer_within_s)
    return by_metric


@dataclass(frozen=True)
class Queue:
    """The settings of one queue, as a panel's controls (and its case, for the rest) give them."""

    agents: int
    calls_per_hour: float
    aht_s: float
    patience_s: float
    answer_within_s: float
    sl_definition: str
    hours: float
    interval_s: float

    @classmethod
    def of(cls, case: Any, params: Mapping[str, Any]) -> Queue:
        """``case``'s numbers (any object with the fields above), overridden by a panel's ``params``."""
        fields = {k: getattr(case, k) for k in cls.__dataclass_fields__}
        fields.update({k: v for k, v in params.items() if k in fields})
        return cls(**fields)

    @property
    def calls(self) -> float:
        return self.calls_per_hour * self.interval_s / 3600.0

    def erlang_a(self, agents: int | None = None) -> QueueMetrics:
        n = self.agents if agents is None else agents
        return erlang_a(
            self.calls, self.interval_s, self.aht_s, n, self.patience_s, self.answer_within_s, self.sl_definition
        )

    def erlang_c(self, agents: int | None = None) -> QueueMetrics:
        n = self.agents if agents is None else agents
        return erlang_c(self.calls, self.interval_s, self.aht_s, n, self.answer_within_s, self.sl_definition)

    def simulate(self, days: int, seed: int) -> ReplicationResult:
        """``days`` days through :func:`replicate` (the labs' seed rule: day *i* from ``SeedSequence(seed)``)."""
        model = CenterModel.single_queue(
            self.calls,
            self.agents,
            Exponential(self.aht_s),
            Exponential(self.patience_s),
            interval_s=self.interval_s,
            intervals=max(1, math.ceil(self.hours * 3600.0 / self.interval_s - 1e-9)),
            answer_within_s=self.answer_within_s,
        )
        return replicate(
            model,
            days,
            seed,
            workers=1,
            progress=False,
            answer_within_s=self.answer_within_s,
            sl_definition=self.sl_definition,
        )


def _sim_note(kpi: str, days: int, low: float, high: float) -> tuple[float, ...]:
    if days > 1 and math.isfinite(low) and math.isfinite(high):
        return (days, 95, shown(kpi, low), shown(kpi, high))
    return (days,)


def _queue_tiles(q: Queue, sources: Sequence[str], kpis: Sequence[str], rep: ReplicationResult | None, days: int):
    targets = classroom_targets(q.answer_within_s)
    formulas = {"erlang_a": q.erlang_a(), "erlang_c": q.erlang_c()}
    tiles = {}
    for kpi in kpis:
        for source in sources:
            if source == "simulation":
                assert rep is not None
                s = rep.summary.loc[kpi]
                note = _sim_note(kpi, days, float(s["low"]), float(s["high"]))
                check = TileCheck(float(s["mean"]), targets.get(kpi), "Simulation", note_numbers=note)
            else:
                value = float(getattr(formulas[source], kpi))
                assumed = source == "erlang_c" and kpi == "abandonment_rate"  # nobody hangs up, by assumption
                check = TileCheck(value, targets.get(kpi), SOURCE_WORDS[source], shows_number=not assumed)
            tiles[(kpi, source)] = check
    return tiles


def _curve_lines(q: Queue, rep: ReplicationResult | None) -> list[LineCheck]:
    targets = classroom_targets(q.answer_within_s)
    lines = []
    for kpi in QUEUE_KPIS:

        def formula(source: str, kpi: str = kpi) -> Callable[[np.ndarray], list[float]]:
            model = q.erlang_a if source == "erlang_a" else q.erlang_c
            return lambda xs: [getattr(model(int(n)), kpi) for n in xs]

        lines += [
            LineCheck(kpi, r"^Erlang A\b", "curve", y=formula("erlang_a"), x_includes=(q.agents,)),
            LineCheck(kpi, r"^Erlang C\b", "curve", y=formula("erlang_c"), x_includes=(q.agents,)),
            LineCheck(kpi, "^target$", "hline", y=(targets[kpi].threshold,)),
            LineCheck(kpi, "^now$", "vline", x=(q.agents,)),
        ]
        if rep is not None:
            s = rep.summary.loc[kpi]
            mean, low, high = float(s["mean"]), float(s["low"]), float(s["high"])
            lo, hi = min(low, mean), max(high, mean)  # the bars start at the point
            lines += [
                LineCheck(kpi, r"^Simulation\b", "points", x=(q.agents,), y=(mean,), label_numbers=(95,)),
                LineCheck(kpi, "^simulation-low$", "points", x=(q.agents,), y=(lo,)),
                LineCheck(kpi, "^simulation-high$", "points", x=(q.agents,), y=(hi,)),
                LineCheck(kpi, "^simulation-ci$", "points", x=(q.agents,), y=(lo, hi)),
            ]
    return lines


def queue_expected(
    panel: Any,
    case: Any,
    *,
    sources: Sequence[str] = ("simulation", "erlang_a", "erlang_c"),
    kpis: Sequence[str] = QUEUE_KPIS,
    days: int | None = None,
    seed: int = 1,
    figure: bool = True,
) -> Expected:
    """What a single-queue panel (lab 00's try-it panel, lab 01's queue panel) must show for its controls now.

    ``case``: the case the panel was built on (its numbers fill in the settings without a control).
    ``days``: simulated days when there is no days control. The simulation is expected only when it is
    current (the panel's tiles show it), as the panel shows it only then.
    """
    q = Queue.of(case, panel.params)
    days = int(panel.params.get("days", days or 1))
    simulated = "simulation" in sources and panel.results.get("simulation") is not None
    rep = q.simulate(days, seed) if simulated else None
    shown_sources = [s for s in sources if s != "simulation" or simulated]
    tiles = _queue_tiles(q, shown_sources, kpis, rep, days)
    for kpi in kpis:  # the simulation's tiles wait for Run: they show no number
        if "simulation" in sources and not simulated:
            tiles[(kpi, "simulation")] = TileCheck(None, None, "Simulation")
    if not figure:
        return Expected(tiles)
    sl = [q.erlang_a().service_level, q.erlang_c().service_level]
    if rep is not None:
        sl.append(float(rep.summary.loc["service_level", "mean"]))
    caption = (q.calls_per_hour, q.aht_s, q.agents, *(100 * v for v in sl))
    return Expected(tiles, _curve_lines(q, rep), caption)


def day_spread_expected(panel: Any, case: Any, *, seed: int = 1) -> Expected:
    """What the day-spread panel must show: each simulated day's service level, their average, Erlang A and C."""
    q = Queue.of(case, panel.params)
    days = int(panel.params.get("days", 20))
    rep = q.simulate(days, seed)
    target = classroom_targets(q.answer_within_s)["service_level"]
    sl = rep.runs["service_level"].to_numpy(dtype=float)
    met = sl >= target.threshold
    day = np.arange(1, len(sl) + 1)
    s = rep.summary.loc["service_level"]
    mean, ea, ec = float(s["mean"]), q.erlang_a().service_level, q.erlang_c().service_level
    tile = TileCheck(mean, target, "Simulation", note_numbers=_sim_note("service_level", days, s["low"], s["high"]))
    lines = [
        LineCheck("service_level", r"^day met\b", "points", x=day[met], y=sl[met], label_numbers=(met.sum(), days)),
        LineCheck(
            "service_level", r"^day missed\b", "points", x=day[~met], y=sl[~met], label_numbers=((~met).sum(), days)
        ),
        LineCheck("service_level", r"^average of\b", "hline", y=(mean,), label_numbers=(days, 100 * mean)),
        LineCheck("service_level", r"^Erlang A\b", "hline", y=(ea,), label_numbers=(100 * ea,)),
        LineCheck("service_level", r"^Erlang C\b", "hline", y=(ec,), label_numbers=(100 * ec,)),
        LineCheck("service_level", "^target$", "hline", y=(target.threshold,)),
    ]
    caption = (days, q.agents, 100 * sl.min(), 100 * sl.max(), met.sum(), days)
    return Expected({("service_level", "simulation"): tile}, lines, caption)


def staffing_curve_lines(case: Any) -> list[LineCheck]:
    """The lines lab 01's static staffing curve must draw for ``case`` (formulas, targets, the case's agents)."""
    return _curve_lines(Queue.of(case, {}), None)
