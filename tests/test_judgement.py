"""metrics.judgement on hand-sized frames: value, target, status and trust in one call."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.judgement import Yardstick, judge, judge_pacing, judged_count, status_text, trusted_values
from metrics.model import Grain, Period
from metrics.registry import default_registry
from metrics.trust import TrustEvidence, TrustState

D = dt.date
REGISTRY = default_registry()
TOUCHPOINTS = pd.DataFrame({"touchpoint_id": ["t1", "t2"], "stage_id": ["s1", "s2"],
                            "journey_id": ["buy", "buy"], "channel": ["web", "app"]})
TARGETS = pd.DataFrame({
    "kpi_id": ["csat", "conversion_rate"], "scope": ["all", "all"], "scope_id": [None, None],
    "valid_from": pd.to_datetime([D(2026, 1, 1)] * 2), "valid_to": pd.to_datetime([None, None]),
    "target": [4.0, 20.0], "tolerance": [0.2, 2.0], "stretch": [np.nan, np.nan],
})
#: CSAT of t1 broken on 29-31 Oct 2026 (a failing value-range check).
FAULT = pd.DataFrame([{"journey_id": None, "stage_id": None, "touchpoint_id": "t1", "kpi_id": "csat",
                       "date_from": D(2026, 10, 29), "date_to": D(2026, 10, 31),
                       "check_id": "touchpoint_kpis.value_range", "reason": "CSAT above 5"}])


def _yardstick(evidence: TrustEvidence) -> Yardstick:
    return Yardstick(REGISTRY, TARGETS, TOUCHPOINTS, evidence)


def _frame(**columns: object) -> pd.DataFrame:
    # csat t1: 410 / 100 = 4.1 (on target 4.0); conversion t1: 19 / 100 x 100 = 19 % (at risk: 20 - 2)
    base = {"touchpoint_id": ["t1", "t1", "t2"], "kpi_id": ["csat", "conversion_rate", "csat"],
            "numerator": [410.0, 19.0, 350.0], "denominator": [100.0, 100.0, 100.0]}
    return pd.DataFrame({**base, **columns})


def test_one_call_gives_value_target_status_and_trust_for_the_period() -> None:
    faulty = _yardstick(TrustEvidence.from_run("r1", FAULT))
    october = judge(_frame(), faulty, D(2026, 10, 1), D(2026, 10, 31))
    by = october.set_index(["touchpoint_id", "kpi_id"])
    csat = by.loc[("t1", "csat")]
    assert csat["value"] == pytest.approx(4.1) and csat["target"] == 4.0
    assert csat["target_status"] == "on_target" and csat["status"] == "not_trusted"
    assert csat["trust"] == TrustState.NOT_TRUSTED.value and csat["trust_reason"] == "CSAT above 5"
    assert csat["status_text"] == "⊘ On target?"  # both facts stay visible
    assert by.loc[("t1", "conversion_rate"), "status_text"] == "▲ At risk"  # another KPI: trusted
    # t2 csat 3.5 < 4.0 - 0.2: off target, and trusted (another touchpoint)
    assert by.loc[("t2", "csat"), ["status", "trust"]].tolist() == ["off_target", "trusted"]
    september = judge(_frame(), faulty, D(2026, 9, 1), D(2026, 9, 30))
    assert set(september["trust"]) == {"trusted"}  # the fault's dates are outside September


def test_series_are_judged_period_by_period() -> None:
    starts = pd.to_datetime([D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)])
    frame = pd.DataFrame({"period_start": starts, "kpi_id": "csat", "numerator": [410.0, 420.0, 430.0],
                          "denominator": 100.0})
    out = judge(frame, _yardstick(TrustEvidence.from_run("r1", FAULT)), D(2026, 9, 1), D(2026, 11, 30),
                Grain.MONTH, keys={"touchpoint_id": "t1"})
    assert out["trust"].tolist() == ["trusted", "not_trusted", "trusted"]
    assert out["period_end"].dt.date.tolist() == [D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30)]


def test_unchecked_and_unknown_keep_status_colours_but_say_so() -> None:
    unchecked = judge(_frame(), _yardstick(TrustEvidence.unchecked()), D(2026, 10, 1), D(2026, 10, 31))
    assert set(unchecked["trust"]) == {"unchecked"} and unchecked["status"].ne("not_trusted").all()
    assert "No data-quality check has run yet" in unchecked["trust_reason"].iloc[0]
    unknown = judge(_frame(), _yardstick(TrustEvidence.unknown("disk I/O error")), D(2026, 10, 1),
                    D(2026, 10, 31))
    assert set(unknown["trust"]) == {"unknown"} and "disk I/O error" in unknown["trust_reason"].iloc[0]


def test_nothing_judged_is_counted_as_nothing() -> None:
    evidence = TrustEvidence.from_run("r1", FAULT.assign(touchpoint_id=None, kpi_id=None))  # whole table
    out = judge(_frame(), _yardstick(evidence), D(2026, 10, 1), D(2026, 10, 31))
    assert judged_count(out) == 0 and trusted_values(out).empty
    assert judged_count(judge(_frame(), _yardstick(TrustEvidence.unchecked()), D(2026, 10, 1),
                              D(2026, 10, 31))) == 3


def test_pacing_is_judged_and_trusted_over_the_days_to_date() -> None:
    quarter = Period(D(2026, 10, 1), D(2026, 12, 31), "2026Q4")
    to_date = pd.DataFrame({"kpi_id": ["csat"], "numerator": [410.0], "denominator": [100.0],
                            "touchpoint_id": ["t1"]})
    paced = judge_pacing(to_date, quarter, D(2026, 11, 15), _yardstick(TrustEvidence.from_run("r1", FAULT)))
    assert paced["status_text"].tolist() == ["⊘ On target?"]


@pytest.mark.parametrize(("status", "behind", "text"), [
    ("on_target", "on_target", "● On target"),
    ("not_trusted", "off_target", "⊘ Off target?"),
    ("not_trusted", "no_data", "⊘ Not trusted"),
    ("no_data", "no_data", "○ No data"),
])
def test_status_text(status: str, behind: str, text: str) -> None:
    assert status_text(status, behind) == text
