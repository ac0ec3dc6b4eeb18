"""metrics.priorities, metrics.streaks and metrics.kano on hand-sized frames."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.effectiveness import pain_points
from metrics.kano import super_touchpoints
from metrics.priorities import TIER_TEXT, owner_priorities
from metrics.streaks import off_target_streaks, standing_off_target

KEYS = ["touchpoint_id", "kpi_id"]
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["mot", "must", "delight", "perf", "calm"],
    "journey_id": "buy",
    "name": ["Checkout", "First bill", "Loyalty mail", "Store advice", "Newsletter"],
    "moment_of_truth": [True, False, False, False, False],
    "kano": ["performance", "must_be", "delighter", "performance", None],
    "weight": [3.0, 1.0, 1.0, 1.0, 1.0],
})


def _latest(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    """(touchpoint, status, value, target, tolerance 1) for CSAT (higher is better)."""
    frame = pd.DataFrame(rows, columns=["touchpoint_id", "status", "value", "target", "tolerance"])
    return frame.assign(kpi_id="csat", gap=frame["value"] - frame["target"])


def test_must_be_above_delighter_and_moment_of_truth_first() -> None:
    latest = _latest([
        ("delight", "off_target", 3.0, 4.0, 1.0),   # 1 band short, x weight 1 x delighter 0.5 = 0.5
        ("perf", "at_risk", 3.5, 4.0, 1.0),          # 0.5 band short x 1 x 1 = 0.5
        ("calm", "on_target", 4.2, 4.0, 1.0),        # above target
        ("must", "off_target", 3.8, 4.0, 1.0),       # only 0.2 bands short, but a must-be
        ("mot", "off_target", 3.9, 4.0, 1.0),        # the moment of truth, least short of all
    ])
    streaks = off_target_streaks(latest.assign(period_start=pd.Timestamp("2026-10-01")), KEYS)
    ranked = owner_priorities(latest, TOUCHPOINTS, streaks)
    assert ranked["touchpoint_id"].tolist() == ["mot", "must", "perf", "delight", "calm"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5]
    assert ranked["tier_text"].tolist()[:2] == [TIER_TEXT[1], TIER_TEXT[2]]
    assert ranked.loc[1, "reason"] == "0.2 tolerance widths short · must-be"
    assert ranked.loc[1, "kano_text"] == "must-be (disappointment factor)"
    assert "Bands" not in " ".join(ranked["reason"])


def test_equal_shortfall_must_be_ranks_above_delighter() -> None:
    touchpoints = TOUCHPOINTS.assign(kano=["performance", "delighter", "must_be", "performance", None])
    latest = _latest([("must", "at_risk", 3.5, 4.0, 1.0), ("delight", "at_risk", 3.5, 4.0, 1.0)])
    ranked = owner_priorities(latest, touchpoints, off_target_streaks(latest.iloc[:0], KEYS))
    # "delight" is now the must-be: 0.5 bands x 1.5 = 0.75 against 0.5 x 0.5 = 0.25.
    assert ranked["touchpoint_id"].tolist() == ["delight", "must"]
    assert ranked["score"].tolist() == pytest.approx([0.75, 0.25])


def test_a_standing_off_target_value_leads_its_tier_and_says_so() -> None:
    months = pd.to_datetime(["2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"])
    series = pd.concat([
        # perf: off target four months running (no crossing in October); delight: newly off.
        _latest([("perf", "off_target", 3.6, 4.0, 1.0)] * 4).assign(period_start=months),
        _latest([("delight", "on_target", 4.1, 4.0, 1.0)] * 3 + [("delight", "off_target", 2.0, 4.0, 1.0)])
        .assign(period_start=months),
    ], ignore_index=True)
    streaks = off_target_streaks(series, KEYS)
    assert dict(zip(streaks["touchpoint_id"], streaks["streak"], strict=True)) == {"delight": 1, "perf": 4}
    assert streaks["periods_seen"].tolist() == [4, 4]
    standing = standing_off_target(series, KEYS, periods=3)
    assert standing["touchpoint_id"].tolist() == ["perf"]
    assert standing_off_target(series, KEYS, periods=5).empty
    latest = series[series["period_start"] == months[-1]]
    ranked = owner_priorities(latest, TOUCHPOINTS, streaks, streak_periods=3)
    # delight is 2 bands short x 0.5 = 1.0 > perf 0.4 x 1, but perf has stood off target 4 months.
    assert ranked["touchpoint_id"].tolist() == ["perf", "delight"]
    # The frame has four periods and perf was off in all of them: it may have begun earlier.
    assert "off target 4 or more periods in a row" in ranked.loc[0, "reason"]


def test_a_gap_or_untrusted_period_ends_a_streak() -> None:
    months = pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"])
    series = _latest([("perf", "off_target", 3.0, 4.0, 1.0), ("perf", "not_trusted", 3.0, 4.0, 1.0),
                      ("perf", "off_target", 3.0, 4.0, 1.0)]).assign(period_start=months)
    assert off_target_streaks(series, KEYS)["streak"].tolist() == [1]
    with pytest.raises(ValueError):
        standing_off_target(series, KEYS, periods=0)


def test_untrusted_and_targetless_values_come_last() -> None:
    latest = _latest([("calm", "not_trusted", 1.0, 4.0, 1.0), ("perf", "on_target", 4.0, 4.0, 1.0)])
    ranked = owner_priorities(latest, TOUCHPOINTS, off_target_streaks(latest.iloc[:0], KEYS))
    assert ranked["touchpoint_id"].tolist() == ["perf", "calm"]
    assert ranked.loc[1, "reason"] == "no trusted value with a target this period"


def test_super_touchpoints_need_moment_of_truth_class_and_weight() -> None:
    touchpoints = pd.DataFrame({
        "journey_id": ["j", "j", "j", "j"],
        "moment_of_truth": [True, True, True, False],
        "kano": ["must_be", "performance", "delighter", "must_be"],
        "weight": [3.0, 3.0, 0.5, 3.0],  # journey mean 2.375
    })
    assert super_touchpoints(touchpoints).tolist() == [True, False, False, False]


def test_pain_points_weigh_must_be_above_delighter() -> None:
    scored = _latest([("must", "off_target", 3.0, 4.0, 1.0), ("delight", "off_target", 2.5, 4.0, 1.0)])
    touchpoints = TOUCHPOINTS.assign(stage_id="s")
    conversion = pd.DataFrame({"stage_id": ["s"], "drop_off": [float("nan")]})
    pains = pain_points(scored, touchpoints, conversion)
    # must: 1 band x 1.5 = 1.5; delight: 1.5 bands x 0.5 = 0.75.
    assert pains["touchpoint_id"].tolist() == ["must", "delight"]
    assert pains["pain"].tolist() == pytest.approx([1.5, 0.75])
