"""metrics.trends on hand-sized frames; the arithmetic is in the comments."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.judgement import Yardstick, judge_pacing
from metrics.model import Grain
from metrics.registry import default_registry
from metrics.trends import (
    compare_periods,
    complete_window,
    last_year_overlay,
    period_end,
    period_start_of,
    to_date_periods,
    with_period_targets,
)
from metrics.trust import TrustEvidence
from tests.test_metrics_targets import targets_frame

REGISTRY = default_registry()


def test_period_boundaries() -> None:
    sunday = dt.date(2026, 11, 22)
    assert period_start_of(sunday, Grain.WEEK) == dt.date(2026, 11, 16)  # Monday
    assert period_start_of(sunday, Grain.QUARTER) == dt.date(2026, 10, 1)
    assert period_end(dt.date(2026, 10, 1), Grain.QUARTER) == dt.date(2026, 12, 31)
    assert period_end(dt.date(2024, 2, 1), Grain.MONTH) == dt.date(2024, 2, 29)


def test_complete_window_leaves_out_the_unfinished_period() -> None:
    # The week of Sunday 22 Nov ends that day, so it is complete; three weeks start 2 Nov.
    weeks = complete_window(dt.date(2026, 11, 22), Grain.WEEK, 3)
    assert (weeks.start, weeks.end) == (dt.date(2026, 11, 2), dt.date(2026, 11, 22))
    # November is not over on the 22nd: the last two complete months are September and October.
    months = complete_window(dt.date(2026, 11, 22), Grain.MONTH, 2)
    assert (months.start, months.end) == (dt.date(2026, 9, 1), dt.date(2026, 10, 31))


def test_each_period_is_judged_against_the_target_on_its_last_day() -> None:
    targets = targets_frame([
        ("csat", "all", None, "2025-01-01", "2025-12-14", 4.0, 0.1, None),
        ("csat", "all", None, "2025-12-15", None, 4.2, 0.1, 4.5),
    ])
    series = pd.DataFrame({
        "period_start": pd.to_datetime(["2025-11-01", "2025-12-01", "2026-01-01"]),
        "kpi_id": "csat", "value": [4.1, 4.1, 4.1],
    })
    out = with_period_targets(series, targets, Grain.MONTH)
    # November ends under the old target; December ends (31 Dec) under the new one.
    assert out["target"].tolist() == [4.0, 4.2, 4.2]
    assert out["stretch"].isna().tolist() == [True, False, False]
    assert "target" not in series.columns  # input untouched


def test_last_year_overlay_lines_up_months_and_weekdays() -> None:
    monthly = pd.DataFrame({"period_start": pd.to_datetime(["2025-03-01"]), "value": [1.0]})
    assert last_year_overlay(monthly, Grain.MONTH)["period_start"].iloc[0] == pd.Timestamp("2026-03-01")
    weekly = pd.DataFrame({"period_start": pd.to_datetime(["2025-03-03"]), "value": [1.0]})  # a Monday
    shifted = last_year_overlay(weekly, Grain.WEEK)["period_start"].iloc[0]
    assert shifted == pd.Timestamp("2026-03-02") and shifted.weekday() == 0


def test_to_date_periods() -> None:
    periods = to_date_periods(dt.date(2026, 11, 15))
    qtd, quarter = periods["QTD"]
    assert (qtd.start, qtd.end) == (dt.date(2026, 10, 1), dt.date(2026, 11, 15))
    assert quarter.end == dt.date(2026, 12, 31)
    ytd, year = periods["YTD"]
    assert (ytd.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_quarter_to_date_pacing_equals_hand_computed_values() -> None:
    targets = targets_frame([
        ("csat", "all", None, "2026-01-01", "2026-11-30", 4.2, 0.1, None),
        ("csat", "all", None, "2026-12-01", None, 4.4, 0.2, None),  # in force at quarter end
        ("reach", "all", None, "2026-01-01", None, 12000.0, 1000.0, None),
        ("conversion_rate", "all", None, "2026-01-01", None, 20.0, 3.0, None),
        ("ces", "all", None, "2026-01-01", None, 3.0, 0.5, None),
    ])
    to_date = pd.DataFrame({
        "kpi_id": ["csat", "reach", "conversion_rate", "ces"],
        "numerator": [430.0, 5000.0, 18.0, 350.0],
        "denominator": [100.0, np.nan, 100.0, 100.0],
    })
    _, quarter = to_date_periods(dt.date(2026, 11, 15))["QTD"]
    nowhere = pd.DataFrame(columns=["touchpoint_id"])
    yardstick = Yardstick(REGISTRY, targets, nowhere, TrustEvidence.unchecked())
    out = judge_pacing(to_date, quarter, dt.date(2026, 11, 15), yardstick).set_index("kpi_id")
    # 1 Oct .. 15 Nov = 46 of the quarter's 92 days.
    assert out["elapsed_share"].iloc[0] == pytest.approx(0.5)
    # csat 430/100 = 4.3 against 4.4 (the target on 31 Dec), band 0.2: gap -0.1 -> at risk.
    assert out.loc["csat", "value"] == pytest.approx(4.3)
    assert out.loc["csat", "target"] == 4.4 and out.loc["csat", "status"] == "at_risk"
    assert out.loc["csat", "gap"] == pytest.approx(-0.1)
    # reach is a sum: 5000 in half the quarter projects to 10000; 12000 - 1000 band -> off target.
    assert out.loc["reach", "projected"] == pytest.approx(10000.0)
    assert out.loc["reach", "status"] == "off_target" and out.loc["reach", "gap"] == pytest.approx(-2000.0)
    # conversion 18/100*100 = 18% against 20 (band 3): gap -2 -> at risk.
    assert out.loc["conversion_rate", "status"] == "at_risk"
    # CES is lower-is-better: 3.5 against 3.0 is a gap of -0.5, exactly one band -> at risk.
    assert out.loc["ces", "gap"] == pytest.approx(-0.5) and out.loc["ces", "status"] == "at_risk"


def test_comparisons_equal_hand_computed_values() -> None:
    keys = ["touchpoint_id", "kpi_id"]
    current = pd.DataFrame({"touchpoint_id": ["a", "a", "b"], "kpi_id": ["csat", "ces", "nps"],
                            "value": [4.3, 3.5, 10.0]})
    previous = pd.DataFrame({"touchpoint_id": ["a", "a", "b"], "kpi_id": ["csat", "ces", "nps"],
                             "value": [4.0, 3.0, 0.0]})
    last_year = pd.DataFrame({"touchpoint_id": ["a"], "kpi_id": ["csat"], "value": [4.5]})
    out = compare_periods(current, {"previous": previous, "last_year": last_year}, keys, REGISTRY)
    csat, ces, nps = (out.iloc[i] for i in range(3))
    # csat: 4.3 - 4.0 = +0.3, +0.3/4.0 = +7.5%, better; against last year 4.3 - 4.5 = -0.2, worse.
    assert csat["delta_previous"] == pytest.approx(0.3)
    assert csat["pct_change_previous"] == pytest.approx(0.075)
    assert csat["improved_previous"] is True and csat["improved_last_year"] is False
    assert csat["delta_last_year"] == pytest.approx(-0.2)
    # ces is lower-is-better: 3.5 - 3.0 = +0.5 (+16.7%) is worse.
    assert ces["pct_change_previous"] == pytest.approx(0.5 / 3.0) and ces["improved_previous"] is False
    # nps from 0: the change is +10 but the percentage has no meaning -> NaN, never inf.
    assert nps["delta_previous"] == 10.0 and np.isnan(nps["pct_change_previous"])
    # no last-year value: no delta, and improved is None.
    assert np.isnan(nps["delta_last_year"]) and nps["improved_last_year"] is None
