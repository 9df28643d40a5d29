"""``ccsim profile``: interval counts as an ACD exports them → profile, weekday factors, a CSV a scenario accepts; bad files."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run, run_json

from ccsim.calibration.profile import read_profile
from ccsim.scenario import Scenario

MONDAY = pd.Timestamp("2026-03-02")  # a Monday


def counts_file(path, *, weeks=2, step_min=15, start="08:00", n=8, factor=None, tz=None, drop=()):
    """Mon-Fri rows of ``n`` intervals of ``step_min`` minutes; calls = (k + 1) × the weekday's factor × 10."""
    factor = factor or {0: 2.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    rows = []
    for d in range(7 * weeks):
        day = MONDAY + pd.Timedelta(days=d)
        if day.weekday() not in factor:
            continue
        for k in range(n):
            t = day + pd.Timedelta(start + ":00") + pd.Timedelta(minutes=k * step_min)
            if (d, k) in drop:
                continue
            rows.append((t, round((k + 1) * 10 * factor[day.weekday()])))
    frame = pd.DataFrame(rows, columns=["interval_start", "calls"])
    if tz is not None:
        local = frame["interval_start"].dt.tz_localize(tz)
        frame["interval_start"] = local.map(lambda t: t.isoformat())
    frame.to_csv(path, index=False)
    return frame


def test_profile_measures_days_factors_shares_and_peak(tmp_path, capsys):
    f = tmp_path / "acd.csv"
    counts_file(f)
    out = run_json(capsys, "profile", f)
    assert out["days"] == 12  # Monday of week 1 to Friday of week 2
    assert out["interval_min"] == 15
    # Mondays: 2 × 360 calls, other weekdays 360; mean over the 10 open days = 432
    assert out["calls_per_day_mean"] == pytest.approx(432.0)
    assert out["weekday_factors"] == pytest.approx(
        {"Mon": 720 / 432, "Tue": 360 / 432, "Wed": 360 / 432, "Thu": 360 / 432, "Fri": 360 / 432}
    )
    assert "Sat" not in out["weekday_factors"]
    assert [p["time"] for p in out["profile"]] == [
        "08:00",
        "08:15",
        "08:30",
        "08:45",
        "09:00",
        "09:15",
        "09:30",
        "09:45",
    ]
    assert [p["share"] for p in out["profile"]] == pytest.approx([(k + 1) / 36 for k in range(8)])
    assert out["profile"][0]["calls_mean"] == pytest.approx(432 / 36)
    assert out["peak"] == {"time": "09:45", "calls_mean": pytest.approx(432 * 8 / 36)}


def test_regrouping_adds_intervals_and_refuses_a_finer_or_uneven_grid(tmp_path, capsys):
    f = tmp_path / "acd.csv"
    counts_file(f)
    out = run_json(capsys, "profile", f, "--interval-min", "30")
    assert out["interval_min"] == 30
    assert [p["time"] for p in out["profile"]] == ["08:00", "08:30", "09:00", "09:30"]
    assert [p["share"] for p in out["profile"]] == pytest.approx([3 / 36, 7 / 36, 11 / 36, 15 / 36])
    code, _, err = run(capsys, "profile", f, "--interval-min", "20")
    assert code == 2 and "--interval-min" in err and "multiple of the file's 15-minute interval" in err
    code, _, err = run(capsys, "profile", f, "--interval-min", "-5")
    assert code == 2 and err.strip() == "--interval-min: -5 is not allowed; use a whole number from 1 to 60"


def test_missing_intervals_count_as_no_calls_and_time_zones_keep_local_time(tmp_path, capsys):
    plain, zoned = tmp_path / "plain.csv", tmp_path / "zoned.csv"
    counts_file(plain, weeks=2, drop={(1, 3)})
    # 8 March 2026: US clocks go forward, so the offsets change from -05:00 to -04:00 within the file
    counts_file(zoned, weeks=2, tz="America/New_York", drop={(1, 3)})
    a, b = run_json(capsys, "profile", plain), run_json(capsys, "profile", zoned)
    assert "-04:00" in zoned.read_text() and "-05:00" in zoned.read_text()
    assert a["profile"] == b["profile"]
    # 08:45: 80 calls on the 2 Mondays, 40 on 7 other days, none on the Tuesday whose row is missing
    assert a["profile"][3]["calls_mean"] == pytest.approx((40 * 2 * 2 + 40 * 7) / 10)


def test_out_writes_a_profile_a_scenario_accepts(tmp_path, capsys):
    f, out = tmp_path / "acd.csv", tmp_path / "profile.csv"
    counts_file(f)
    code, text, err = run(capsys, "profile", f, "--out", out)
    assert code == 0 and "Busiest interval: 09:45" in text and "profile.csv" in err
    s = Scenario.from_toml(
        '[horizon]\nstart = "08:00"\nhours = 2\ninterval_min = 15\n'
        '[[call_types]]\nname = "c"\nvolume_share = 1\nhandle_time = { kind = "exponential", mean_s = 100 }\n'
        '[arrivals]\ncalls_per_day = 432\nprofile = "profile.csv"\n'
        '[[agent_groups]]\nname = "a"\nskills = ["c"]\nheadcount = 5\n',
        base_dir=tmp_path,
    )
    calls = s.to_model().arrivals[0].calls_per_interval
    assert list(calls) == pytest.approx([12 * (k + 1) for k in range(8)], rel=1e-4)


def _bad(tmp_path, text: str | bytes) -> str:
    f = tmp_path / "bad.csv"
    f.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(f)


HEAD = "interval_start,calls\n"
BAD = {
    "text in a number column": (
        HEAD + "2026-03-02 08:00,5\n2026-03-02 08:15,n/a\n",
        "bad.csv line 3, column calls: 'n/a'",
    ),
    "negative count": (HEAD + "2026-03-02 08:00,5\n2026-03-02 08:15,-2\n", "bad.csv line 3, column calls: '-2'"),
    "fraction of a call": (HEAD + "2026-03-02 08:00,5.5\n", "bad.csv line 2, column calls: '5.5'"),
    "duplicated time": (
        HEAD + "2026-03-02 08:00,5\n2026-03-02 08:15,5\n2026-03-02 08:15,5\n",
        "bad.csv line 4, column interval_start",
    ),
    "unsorted times": (HEAD + "2026-03-02 08:15,5\n2026-03-02 08:00,5\n", "bad.csv line 3, column interval_start"),
    "not a time": (HEAD + "2026-03-02 08:00,5\nnoon,5\n", "bad.csv line 3, column interval_start: 'noon'"),
    "off the grid": (
        HEAD + "2026-03-02 08:00,5\n2026-03-02 08:10,5\n2026-03-02 08:25,5\n",
        "bad.csv line 4, column interval_start",
    ),
    "too coarse": (HEAD + "2026-03-02 08:00,5\n2026-03-02 10:00,5\n", "bad.csv line 3, column interval_start"),
    "empty file": ("", "bad.csv: the file is empty"),
    "header only": (HEAD, "bad.csv: the file has a header but no rows"),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "bad.csv: the file holds binary data"),
    "ragged row": (
        HEAD + "2026-03-02 08:00,5\n2026-03-02 08:15,5,7\n",
        "bad.csv line 3: 3 values where the header has 2 columns",
    ),
    "no such column": ("when,n_calls\n2026-03-02 08:00,5\n", "bad.csv line 1: none of the columns (when, n_calls)"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_files_exit_2_with_one_sentence_naming_line_and_column(tmp_path, capsys, case):
    text, start = BAD[case]
    code, out, err = run(capsys, "profile", _bad(tmp_path, text))
    assert code == 2 and out == ""
    assert err.startswith(start), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_named_columns_and_a_missing_one(tmp_path, capsys):
    f = _bad(tmp_path, "when,n_calls\n2026-03-02 08:00,5\n2026-03-02 08:30,7\n")
    out = run_json(capsys, "profile", f, "--time-column", "when", "--calls-column", "n_calls")
    assert out["interval_min"] == 30 and out["calls_per_day_mean"] == 12
    code, _, err = run(capsys, "profile", f, "--time-column", "start", "--calls-column", "n_calls")
    assert (
        code == 2
        and "no column named 'start'; use --time-column with one of the header's columns (when, n_calls)" in err
    )


def test_a_million_rows_load_in_seconds(tmp_path):
    """A year of 1-minute rows, 24 hours a day (525,600 rows) twice over two years: 1,051,200 rows."""
    f = tmp_path / "big.csv"
    times = pd.date_range("2025-01-01", periods=1_051_200, freq="min")
    calls = np.random.default_rng(1).poisson(3, len(times))
    pd.DataFrame({"interval_start": times.strftime("%Y-%m-%d %H:%M"), "calls": calls}).to_csv(f, index=False)
    t = time.perf_counter()
    p = read_profile(f, interval_min=30)
    took = time.perf_counter() - t
    assert p.days == 730 and len(p.calls_mean) == 48
    assert p.calls_per_day_mean == pytest.approx(calls.sum() / 730)
    assert took < 20, f"{took:.1f} s"
