"""The KPI registry: one name, label, unit and way of writing each KPI, used by the KPI tables, scorecards and CLI."""

from __future__ import annotations

import math

import pytest

from ccsim.errors import CcsimInputError
from ccsim.metrics.kpis import KPI_NAMES
from ccsim.metrics.registry import ENDLESS, KPIS, NO_DATA, REPORT_KEYS, format_quantity, kpi


def test_every_kpi_the_tables_compute_is_in_the_registry_in_its_order():
    assert set(KPI_NAMES) <= set(KPIS), set(KPI_NAMES) - set(KPIS)
    assert [k for k in KPIS if k in KPI_NAMES] == list(KPI_NAMES)


def test_report_keys_are_registry_kpis_and_the_agents():
    assert set(REPORT_KEYS) <= set(KPIS) and len(set(REPORT_KEYS)) == len(REPORT_KEYS)
    assert {"agents", "scheduled_agents"} <= set(REPORT_KEYS) and set(REPORT_KEYS) - {
        "agents",
        "scheduled_agents",
    } <= set(KPI_NAMES)


def test_keys_name_their_unit():
    for key, k in KPIS.items():
        assert k.key == key
        assert key.endswith("_s") == (k.unit == "s"), key
        assert (k.unit == "%") == (k.scale == 100.0)


@pytest.mark.parametrize(
    "value, unit, kwargs, text",
    [
        (0.8192, "%", {}, "81.9 %"),
        (0.8192, "%", {"ci95": 0.0123}, "81.9 ± 1.2 %"),
        (24.34, "s", {}, "24.3 s"),
        (24.34, "s", {"digits": 0}, "24 s"),
        (24.34, "s", {"ci95": 0.41}, "24.3 ± 0.4 s"),
        (3491.6, "count", {}, "3,492"),
        (3491.6, "count", {"ci95": 12.4}, "3,492 ± 12"),
        (0.1234, "ratio", {}, "0.12"),
        (7.649, "min", {}, "7.6 min"),
        (2.949, "days", {"ci95": 0.31}, "2.9 ± 0.3 days"),
        (0.85004, "%", {"threshold": 0.85}, "85.004 %"),
        (0.85, "%", {"threshold": 0.85}, "85.0 %"),
        (29.96, "s", {"threshold": 30}, "29.96 s"),
        (None, "%", {}, NO_DATA),
        (math.nan, "s", {}, NO_DATA),
        (math.inf, "s", {}, ENDLESS),
        (0.5, "%", {"ci95": math.nan}, "50.0 %"),
    ],
)
def test_format_quantity(value, unit, kwargs, text):
    assert format_quantity(value, unit, **kwargs) == text


def test_display_for_tiles_and_format_for_tables():
    assert KPIS["asa_s"].display(24.6) == "25 s" and KPIS["asa_s"].format(24.6) == "24.6 s"
    assert KPIS["service_level"].display(0.8192) == KPIS["service_level"].format(0.8192) == "81.9 %"
    assert KPIS["calls"].display(3491.6) == "3,492" and KPIS["transfers_per_contact"].display(0.1234) == "0.12"
    assert KPIS["abandonment_rate"].display(None) == NO_DATA and KPIS["asa_s"].display(math.inf) == ENDLESS


def test_unknown_key_names_the_known_ones():
    assert kpi("occupancy") is KPIS["occupancy"]
    with pytest.raises(CcsimInputError, match=r"^kpi: 'asa' is not allowed; use one of calls, answered"):
        kpi("asa")


def test_axis_labels_name_the_unit():
    assert KPIS["service_level"].axis_label == "Service level (%)"
    assert KPIS["mean_wait_s"].axis_label == "Mean wait (seconds)"
    assert KPIS["calls"].axis_label == "Callers"
    assert KPIS["asa_s"].axis_label == "Average speed of answer (seconds)"  # given in the registry
    assert KPIS["member_minutes_per_issue"].axis_label == "Member minutes per issue (minutes)"
    assert KPIS["fcr"].axis_label == "First-contact resolution (%)"
