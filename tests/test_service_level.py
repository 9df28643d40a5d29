"""Service-level definitions: exact counts, the denominators, names and labels, and the closed forms' use of them."""

from __future__ import annotations

import math

import pytest

from ccsim import SLDefinition as ExportedSLDefinition
from ccsim.analytics.erlang import erlang_a, erlang_c
from ccsim.analytics.service_level import (
    ALLOWED,
    LABELS,
    PLAIN,
    SLDefinition,
    parse_sl_definition,
    service_level_from_counts,
)
from ccsim.errors import CcsimInputError

# 40 offered: 30 answered (24 within T), 10 abandoned (6 within T). Every definition gives another number.
COUNTS = dict(offered=40, answered=30, answered_within=24, abandoned_within=6)
EXPECTED = {
    SLDefinition.OFFERED: 24 / 40,
    SLDefinition.EXCLUDE_SHORT_ABANDONS: 24 / 34,
    SLDefinition.ANSWERED: 24 / 30,
    SLDefinition.ANSWERED_OR_ABANDONED_WITHIN: 30 / 40,
}


@pytest.mark.parametrize("definition", list(SLDefinition), ids=lambda d: d.value)
def test_each_definition_from_counts(definition):
    assert len(set(EXPECTED.values())) == 4
    assert service_level_from_counts(**COUNTS, definition=definition) == EXPECTED[definition]
    assert service_level_from_counts(**COUNTS, definition=definition.value) == EXPECTED[definition]


def test_offered_is_the_default_definition():
    assert service_level_from_counts(**COUNTS) == 24 / 40


def test_short_abandons_at_the_threshold_make_service_level_one():
    # 25 answered within T, 2 hung up within T (e.g. after exactly T): excluding them leaves 25 / 25.
    counts = dict(offered=27, answered=25, answered_within=25, abandoned_within=2)
    assert service_level_from_counts(**counts, definition="exclude_short_abandons") == 1.0
    assert service_level_from_counts(**counts, definition="answered_or_abandoned_within") == 1.0
    assert service_level_from_counts(**counts, definition="offered") == pytest.approx(0.926, abs=5e-4)


@pytest.mark.parametrize(
    "definition, counts",
    [
        ("offered", dict(offered=0, answered=0, answered_within=0, abandoned_within=0)),
        ("exclude_short_abandons", dict(offered=3, answered=0, answered_within=0, abandoned_within=3)),
        ("answered", dict(offered=3, answered=0, answered_within=0, abandoned_within=1)),
        ("answered_or_abandoned_within", dict(offered=0, answered=0, answered_within=0, abandoned_within=0)),
    ],
)
def test_an_empty_denominator_gives_nan_not_an_error(definition, counts):
    assert math.isnan(service_level_from_counts(**counts, definition=definition))


def test_a_tiny_denominator_still_divides():
    value = service_level_from_counts(offered=1e-300, answered=1e-300, answered_within=1e-300, abandoned_within=0)
    assert value == 1.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("offered", SLDefinition.OFFERED),
        ("exclude-short-abandons", SLDefinition.EXCLUDE_SHORT_ABANDONS),
        ("  Answered ", SLDefinition.ANSWERED),
        ("ANSWERED_OR_ABANDONED_WITHIN", SLDefinition.ANSWERED_OR_ABANDONED_WITHIN),
        (SLDefinition.ANSWERED, SLDefinition.ANSWERED),
    ],
)
def test_names_are_read_forgivingly(text, expected):
    assert parse_sl_definition(text) is expected


def test_a_bad_name_is_one_sentence_naming_the_field_and_the_choices():
    with pytest.raises(CcsimInputError) as info:
        parse_sl_definition("within")
    assert info.value.field == "sl_definition" and info.value.value == "within"
    assert str(info.value).startswith("sl_definition: ") and "\n" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    for d in SLDefinition:
        assert d.value in str(info.value)
    with pytest.raises(CcsimInputError) as info:
        parse_sl_definition("nope", field="scenario.service_level.definition")
    assert info.value.field == "scenario.service_level.definition"


def test_allowed_lists_every_definition_in_order():
    assert ALLOWED == "offered, exclude_short_abandons, answered, answered_or_abandoned_within"


def test_labels_spell_out_each_ratio():
    assert {d: d.label for d in SLDefinition} == LABELS
    assert SLDefinition.OFFERED.label == "answered within T / offered"
    assert SLDefinition.EXCLUDE_SHORT_ABANDONS.label == "answered within T / (offered - abandoned within T)"
    assert SLDefinition.ANSWERED.label == "answered within T / answered"
    assert SLDefinition.ANSWERED_OR_ABANDONED_WITHIN.label == "(answered within T + abandoned within T) / offered"
    assert {d.plain for d in SLDefinition} == set(PLAIN.values()) and len(set(PLAIN.values())) == 4
    assert all("/" not in d.plain and "T" not in d.plain.split() for d in SLDefinition)  # no formulas for a new hire


def test_the_package_exports_the_same_enum():
    assert ExportedSLDefinition is SLDefinition
    assert SLDefinition("offered") == "offered"  # a str enum: compares equal to its value


# ----------------------------------------------------------------------------------------------
# the closed forms put their probabilities through the same definitions


@pytest.mark.parametrize("t", [0.0, 20.0, 120.0])
def test_erlang_a_service_level_is_the_definition_applied_to_its_probabilities(t):
    for definition in SLDefinition:
        m = erlang_a(100, 1800, 180, 11, 120, t, sl_definition=definition)
        p_answered = 1.0 - m.abandonment_rate
        expected = {
            SLDefinition.OFFERED: m.p_answered_within,
            SLDefinition.EXCLUDE_SHORT_ABANDONS: m.p_answered_within / (1.0 - m.p_abandoned_within),
            SLDefinition.ANSWERED: m.p_answered_within / p_answered,
            SLDefinition.ANSWERED_OR_ABANDONED_WITHIN: m.p_answered_within + m.p_abandoned_within,
        }[definition]
        assert m.sl_definition is definition
        assert m.service_level == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if t == 0.0:
        assert m.p_abandoned_within == 0.0 and m.p_answered_within == pytest.approx(1.0 - m.p_wait, abs=1e-12)


def test_erlang_c_gives_every_definition_the_same_number():
    values = {d: erlang_c(100, 1800, 180, 12, 20, sl_definition=d).service_level for d in SLDefinition}
    assert max(values.values()) - min(values.values()) < 1e-15
    assert values[SLDefinition.OFFERED] == pytest.approx(
        1 - erlang_c(100, 1800, 180, 12, 20).p_wait * math.exp(-20 * 2 / 180)
    )


def test_definitions_order_as_expected_when_callers_hang_up():
    """Excluding or crediting short abandons, or ignoring abandons, can only raise the offered figure."""
    by = {d: erlang_a(100, 1800, 180, 9, 60, 30, sl_definition=d).service_level for d in SLDefinition}
    offered = by[SLDefinition.OFFERED]
    assert by[SLDefinition.EXCLUDE_SHORT_ABANDONS] > offered + 0.01
    assert by[SLDefinition.ANSWERED] > by[SLDefinition.EXCLUDE_SHORT_ABANDONS]
    assert by[SLDefinition.ANSWERED_OR_ABANDONED_WITHIN] > offered + 0.01
