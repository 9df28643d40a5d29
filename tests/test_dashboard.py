"""Dashboard figure: renders headless, shows every value and verdict in words and symbols, sites as columns."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ccsim.errors import CcsimInputError
from ccsim.metrics.scorecard import ALL, format_value, replicate_by_site, scorecard
from ccsim.scenario import load_scenario
from ccsim.simulation.engine import simulate
from ccsim.views.dashboard import VERDICT, scorecard_figure

TWO_SITES = Path(__file__).parent / "data" / "two_sites.toml"


@pytest.fixture(scope="module")
def model():
    return load_scenario(TWO_SITES).to_model()


@pytest.fixture(scope="module")
def card(model):
    return scorecard(simulate(model, seed=3))


def texts(fig: Figure) -> list:
    return [t for ax in fig.axes for t in ax.texts]


def render(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # e.g. "Glyph ... missing from font"
        fig.savefig(buf, format="png")
    return buf.getvalue()


def test_renders_to_png_without_missing_glyphs(card):
    png = render(scorecard_figure(card))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_every_value_and_verdict_is_written_in_the_cell(card):
    fig = scorecard_figure(card)
    words = [t.get_text() for t in texts(fig)]
    for row in card.itertuples():
        assert format_value(row.result, row.unit, threshold=row.target) in words
    verdicts = [w for w in words if w.startswith(("✓ ", "✗ ", "– "))]
    assert len(verdicts) == len(card)
    assert sorted(verdicts) == sorted(f"{VERDICT[s]['symbol']} {VERDICT[s]['word']}" for s in card["status"])
    for label, guaranteed in zip(card["label"], card["guaranteed"], strict=True):
        assert (f"{label} *" if guaranteed else label) in words  # the plan's guarantees are starred
    assert "target at least 80 %" in words and "target at most 400 s" in words


def test_sites_are_columns_with_all_sites_last(card):
    fig = scorecard_figure(card)
    heads = {t.get_text(): t.get_position()[0] for t in texts(fig) if t.get_text() in ("East", "West", "All sites")}
    assert set(heads) == {"East", "West", "All sites"}
    assert heads["East"] < heads["West"] < heads["All sites"]


def test_cell_colour_follows_the_verdict_and_is_never_alone(card):
    fig = scorecard_figure(card)
    cells = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert len(cells) == len(card)
    faces = {matplotlib.colors.to_hex(p.get_facecolor()) for p in cells}
    assert faces == {VERDICT[s]["face"].lower() for s in card["status"].unique()}
    assert (
        VERDICT["met"]["face"] != VERDICT["missed"]["face"] and VERDICT["met"]["symbol"] != VERDICT["missed"]["symbol"]
    )


def test_replications_show_plus_minus(model):
    card = scorecard(replicate_by_site(model, 3, seed=1, progress=False))
    words = [t.get_text() for t in texts(scorecard_figure(card))]
    for row in card.itertuples():
        assert format_value(row.result, row.unit, row.ci95, threshold=row.target) in words
    assert render(scorecard_figure(card, title="Three days")).startswith(b"\x89PNG")
    assert "Three days" in [t.get_text() for t in texts(scorecard_figure(card, title="Three days"))]


def test_one_site_is_one_column():
    from ccsim.scenario import load_preset

    card = scorecard(simulate(load_preset("classroom").to_model(), seed=1))
    fig = scorecard_figure(card)
    heads = [t.get_text() for t in texts(fig) if t.get_text() == "All sites"]
    assert heads == ["All sites"] and (card["site"] == ALL).all()


@pytest.mark.parametrize("bad", [None, "table", __import__("pandas").DataFrame()])
def test_bad_input_is_one_sentence(bad):
    with pytest.raises(CcsimInputError) as e:
        scorecard_figure(bad)
    assert "\n" not in str(e.value)
