"""metrics.effectiveness on a tiny company; every expected number is worked out in a comment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.effectiveness import (
    health_scores,
    health_status,
    moments_on_target,
    pain_points,
    stage_conversion,
    touchpoint_status,
    with_deltas,
)
from metrics.judgement import Yardstick, judge
from metrics.registry import default_registry
from metrics.status import HEALTH_AT_RISK, HEALTH_ON_TARGET, Status, health_points
from metrics.trust import TrustEvidence

REGISTRY = default_registry()
D = dt.date

# Journey "buy": stages s1 -> s2 -> s3; journey "move": m1 -> m2; journey "renew": r1.
STAGES = pd.DataFrame({
    "stage_id": ["s3", "m2", "s1", "m1", "s2", "r1"],  # deliberately out of order
    "journey_id": ["buy", "move", "buy", "move", "buy", "renew"],
    "name": ["Purchase", "Booking", "Awareness", "Research", "Decision", "Offer"],
    "position": [3, 2, 1, 1, 2, 1],
})
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["tp_a", "tp_b", "tp_c", "tp_d", "tp_e"],
    "journey_id": ["buy", "buy", "buy", "move", "renew"],
    "stage_id": ["s1", "s2", "s2", "m1", "r1"],
    "name": ["Ad", "Shop", "Checkout", "Call", "Offer mail"],
    "moment_of_truth": [True, False, True, True, True],
    "weight": [1.0, 2.0, 1.0, 1.0, 1.0],
})


def _scored(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["touchpoint_id", "kpi_id", "status"])


#: tp_a: on target and at risk; tp_b: off target; tp_c: no data and not trusted (nothing judged);
#: tp_d: on target; tp_e: nothing at all.
STATUSES = _scored([
    ("tp_a", "csat", "on_target"),
    ("tp_a", "nps", "at_risk"),
    ("tp_b", "csat", "off_target"),
    ("tp_c", "csat", "no_data"),
    ("tp_c", "nps", "not_trusted"),
    ("tp_d", "csat", "on_target"),
])


def test_stage_conversion_orders_by_position_and_divides_by_this_stage() -> None:
    funnel = pd.DataFrame({
        "journey_id": ["buy", "buy", "buy", "move", "move"],
        "stage_id": ["s1", "s2", "s3", "m1", "m2"],
        "customers": [1000, 400, 100, 0, 0],
    })
    out = stage_conversion(funnel, STAGES)
    assert out["stage_id"].tolist() == ["s1", "s2", "s3", "m1", "m2", "r1"]
    conversion = out.set_index("stage_id")["conversion_to_next"]
    drop_off = out.set_index("stage_id")["drop_off"]
    # s1 -> s2: 400 / 1000 = 0.4, drop-off 0.6; s2 -> s3: 100 / 400 = 0.25, drop-off 0.75
    assert conversion["s1"] == pytest.approx(0.4) and drop_off["s1"] == pytest.approx(0.6)
    assert conversion["s2"] == pytest.approx(0.25) and drop_off["s2"] == pytest.approx(0.75)
    # the last stage has no next stage; m1 has zero customers (0 / 0); r1 has no funnel row
    for stage in ("s3", "m1", "m2", "r1"):
        assert np.isnan(conversion[stage]) and np.isnan(drop_off[stage])
    assert not np.isinf(conversion).any()


def test_touchpoint_status_is_the_worst_judged_kpi() -> None:
    scored = pd.concat([STATUSES, _scored([("tp_d", "nps", "no_data"), ("tp_e", "csat", "no_data")])])
    out = touchpoint_status(scored).set_index("touchpoint_id")["status"].to_dict()
    # tp_a: at risk beats on target; tp_c: not trusted outranks no data; tp_d: on target, its
    # no-data KPI does not drag it down; tp_e: nothing judged -> no data
    assert out == {"tp_a": "at_risk", "tp_b": "off_target", "tp_c": "not_trusted", "tp_d": "on_target",
                   "tp_e": "no_data"}


def test_moments_on_target_counts_x_of_y() -> None:
    out = moments_on_target(STATUSES, TOUCHPOINTS).set_index("journey_id")
    # buy: MoTs tp_a (on + at risk: not on target) and tp_c (nothing judged: not counted) -> 0 of 1
    # move: tp_d on target -> 1 of 1; renew: tp_e without data -> 0 of 0
    assert out.loc["buy", ["mot_on_target", "mot_judged"]].tolist() == [0, 1]
    assert out.loc["move", ["mot_on_target", "mot_judged"]].tolist() == [1, 1]
    assert out.loc["renew", ["mot_on_target", "mot_judged"]].tolist() == [0, 0]
    assert out["mot_judged"].dtype == int


def test_health_score_weighs_moments_of_truth_three_times() -> None:
    out = health_scores(STATUSES, TOUCHPOINTS).set_index("journey_id")["health"]
    # buy: tp_a is a MoT with weight 1 -> w = 1 x 3 = 3 per KPI; tp_b weight 2, not a MoT -> w = 2
    #   points: tp_a csat on (1), tp_a nps at risk (0.5), tp_b csat off (0); tp_c not judged
    #   health = 100 x (3 x 1 + 3 x 0.5 + 2 x 0) / (3 + 3 + 2) = 100 x 4.5 / 8 = 56.25
    assert out["buy"] == pytest.approx(56.25)
    # move: tp_d on target only -> 100; renew: nothing judged -> NaN
    assert out["move"] == pytest.approx(100.0)
    assert np.isnan(out["renew"])


def test_health_score_ignores_a_journey_id_already_on_the_scored_rows() -> None:
    scored = STATUSES.assign(journey_id="wrong")
    assert health_scores(scored, TOUCHPOINTS).set_index("journey_id")["health"]["buy"] == pytest.approx(56.25)


def test_health_score_with_zero_weights_is_nan_not_inf() -> None:
    weightless = TOUCHPOINTS.assign(weight=0.0)
    out = health_scores(STATUSES, weightless)
    # every weight 0: 0 / 0 -> NaN for every journey
    assert out["health"].isna().all()


@pytest.mark.parametrize(
    ("health", "status"),
    # judged on the whole points shown: 79.5 reads "80" and is on target, 79.4 reads "79"
    [(100.0, Status.ON_TARGET), (80.0, Status.ON_TARGET), (79.5, Status.ON_TARGET), (79.4, Status.AT_RISK),
     (60.0, Status.AT_RISK), (59.5, Status.AT_RISK), (59.4, Status.OFF_TARGET), (0.0, Status.OFF_TARGET),
     (float("nan"), Status.NO_DATA), (None, Status.NO_DATA)],
)
def test_health_status_bands(health: float | None, status: Status) -> None:
    assert health_status(health) is status


@pytest.mark.parametrize("health", [79.5, 79.9, 80.0, 59.5, 59.4, 12.5])
def test_health_label_colour_and_tile_agree(health: float) -> None:
    # One definition: the score a person reads decides the label; the "healthy" tile counts
    # exactly the scores that read HEALTH_ON_TARGET or more.
    shown = health_points(health)
    assert shown is not None
    assert (health_status(health) is Status.ON_TARGET) == (shown >= HEALTH_ON_TARGET)
    assert (health_status(health) is Status.OFF_TARGET) == (shown < HEALTH_AT_RISK)


def _pain_rows() -> pd.DataFrame:
    rows = [
        # touchpoint, kpi, value, target, tolerance
        ("tp_a", "csat", 4.0, 4.2, 0.2),  # gap -0.2 / band 0.2 = 1.0 band below
        ("tp_a", "nps", 25.0, 30.0, 8.0),  # gap -5 / 8 = 0.625: not tp_a's worst
        ("tp_b", "conversion_rate", 10.0, 22.0, 3.0),  # gap -12 / 3 = 4 bands
        ("tp_c", "csat", 4.3, 4.2, 0.2),  # above target: no pain
        ("tp_c", "response_time", 200.0, 180.0, np.nan),  # lower is better: gap -20; no tolerance ->
        # band = 5% of the target = 9 -> 20 / 9 = 2.222 bands
        ("tp_d", "csat", np.nan, 4.2, 0.2),  # no value: no pain
    ]
    frame = pd.DataFrame(rows, columns=["touchpoint_id", "kpi_id", "value", "target", "tolerance"])
    higher = frame["kpi_id"] != "response_time"
    frame["gap"] = np.where(higher, frame["value"] - frame["target"], frame["target"] - frame["value"])
    frame["status"] = "off_target"
    return frame


def test_pain_points_rank_by_shortfall_in_bands_and_drop_off() -> None:
    conversion = pd.DataFrame({"stage_id": ["s1", "s2", "m1"], "drop_off": [0.6, 0.75, np.nan]})
    out = pain_points(_pain_rows(), TOUCHPOINTS, conversion)
    # tp_c: MoT, worst is response time 2.222 bands x 2 + drop-off after s2 0.75 = 5.194
    # tp_b: not a MoT, 4 bands x 1 + 0.75 = 4.75
    # tp_a: MoT, csat 1 band x 2 + drop-off after s1 0.6 = 2.6
    assert out["touchpoint_id"].tolist() == ["tp_c", "tp_b", "tp_a"]
    assert out["kpi_id"].tolist() == ["response_time", "conversion_rate", "csat"]
    assert out["shortfall"].tolist() == pytest.approx([20 / 9, 4.0, 1.0])
    assert out["pain"].tolist() == pytest.approx([2 * 20 / 9 + 0.75, 4.75, 2.6])
    assert out.loc[0, "name"] == "Checkout" and out.loc[0, "journey_id"] == "buy"


def test_pain_point_without_a_drop_off_or_tolerance_band() -> None:
    rows = pd.DataFrame({"touchpoint_id": ["tp_d"], "kpi_id": ["nps"], "value": [-3.0], "target": [0.0],
                         "tolerance": [0.0], "gap": [-3.0], "status": ["off_target"]})
    out = pain_points(rows, TOUCHPOINTS, pd.DataFrame({"stage_id": ["m1"], "drop_off": [np.nan]}))
    # tolerance 0 and target 0: the band falls back to 1 -> 3 bands; MoT x 2 = 6; no drop-off counts 0
    assert out["shortfall"].tolist() == [3.0]
    assert out["pain"].tolist() == [6.0]


def test_with_deltas_matches_by_keys() -> None:
    current = pd.DataFrame({"touchpoint_id": ["tp_a", "tp_a", "tp_b"], "kpi_id": ["csat", "nps", "csat"],
                            "value": [4.3, 20.0, 3.9]})
    earlier = pd.DataFrame({"touchpoint_id": ["tp_a", "tp_b"], "kpi_id": ["csat", "csat"],
                            "value": [4.1, 4.0], "target": [4.2, 4.2]})
    before = current.copy()
    out = with_deltas(current, earlier, ["touchpoint_id", "kpi_id"], "prev")
    # tp_a csat 4.3 - 4.1 = +0.2; tp_a nps has no earlier value -> NaN; tp_b csat 3.9 - 4.0 = -0.1
    assert out["value_prev"].tolist()[0] == 4.1
    assert out["delta_prev"].tolist()[0] == pytest.approx(0.2)
    assert np.isnan(out["delta_prev"].iloc[1])
    assert out["delta_prev"].iloc[2] == pytest.approx(-0.1)
    assert "target_prev" not in out.columns and "target" not in out.columns
    pd.testing.assert_frame_equal(current, before)


def test_score_values_end_to_end() -> None:
    frame = pd.DataFrame({
        "touchpoint_id": ["tp_a", "tp_b", "tp_a", "tp_b", "tp_b"],
        "kpi_id": ["csat", "conversion_rate", "response_time", "reach", "csat"],
        "numerator": [420.0, 30.0, 12000.0, 500.0, 10.0],
        "denominator": [100.0, 200.0, 60.0, np.nan, 0.0],
    })
    targets = pd.DataFrame({
        "kpi_id": ["csat", "csat", "conversion_rate", "response_time", "csat"],
        "scope": ["all", "touchpoint", "stage", "all", "touchpoint"],
        "scope_id": [None, "tp_a", "s2", None, "tp_a"],
        "valid_from": pd.to_datetime([D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1),
                                      D(2025, 1, 1)]),
        "valid_to": pd.to_datetime([None, None, None, None, D(2025, 12, 31)]),
        "target": [4.0, 4.5, 14.0, 180.0, 3.0],
        "tolerance": [0.2, 0.2, 3.0, 30.0, 0.2],
        "stretch": [np.nan] * 5,
    })
    before = frame.copy()
    yardstick = Yardstick(REGISTRY, targets, TOUCHPOINTS, TrustEvidence.unchecked())
    out = judge(frame, yardstick, D(2026, 1, 1), D(2026, 3, 31))
    pd.testing.assert_frame_equal(frame, before)
    by = out.set_index(["touchpoint_id", "kpi_id"])
    # tp_a csat: 420 / 100 = 4.2 vs its own 2026 target 4.5 (the 2025 row 3.0 has ended):
    #   gap -0.3, beyond the 0.2 band -> off target
    assert by.loc[("tp_a", "csat"), ["value", "target", "gap"]].tolist() == pytest.approx([4.2, 4.5, -0.3])
    assert by.loc[("tp_a", "csat"), "status"] == "off_target"
    # tp_b conversion: 30 / 200 x 100 = 15% vs the stage s2 target 14 -> gap +1, on target
    assert by.loc[("tp_b", "conversion_rate"), ["value", "gap"]].tolist() == pytest.approx([15.0, 1.0])
    assert by.loc[("tp_b", "conversion_rate"), ["status", "target_scope"]].tolist() == ["on_target", "stage"]
    # tp_a response time: 12000 / 60 = 200 s vs 180 (lower is better): gap 180 - 200 = -20, within 30
    assert by.loc[("tp_a", "response_time"), ["value", "gap"]].tolist() == pytest.approx([200.0, -20.0])
    assert by.loc[("tp_a", "response_time"), "status"] == "at_risk"
    # reach 500 has no target; tp_b csat 10 / 0 -> NaN: both no data
    assert by.loc[("tp_b", "reach"), ["value", "status"]].tolist() == [500.0, "no_data"]
    assert np.isnan(by.loc[("tp_b", "csat"), "value"]) and by.loc[("tp_b", "csat"), "status"] == "no_data"
    # the touchpoint's stage and journey came from the touchpoints frame
    assert by.loc[("tp_b", "reach"), ["stage_id", "journey_id"]].tolist() == ["s2", "buy"]


def test_health_score_ignores_touchpoint_columns_already_on_the_scored_rows() -> None:
    # stale copies of weight and moment_of_truth must not break the merge nor override TOUCHPOINTS
    scored = STATUSES.assign(weight=99.0, moment_of_truth=False)
    assert health_scores(scored, TOUCHPOINTS).set_index("journey_id")["health"]["buy"] == pytest.approx(56.25)


def test_a_value_on_target_up_to_float_noise_is_no_pain_point() -> None:
    # 57 / 100 * 100 = 56.99999999999999 against 57: on target, so not a pain point at all
    rows = pd.DataFrame({"touchpoint_id": ["tp_b"], "kpi_id": ["conversion_rate"], "value": [57 / 100 * 100],
                         "target": [57.0], "tolerance": [3.0], "status": ["on_target"]})
    rows["gap"] = rows["value"] - rows["target"]
    assert pain_points(rows, TOUCHPOINTS, pd.DataFrame({"stage_id": ["s2"], "drop_off": [0.5]})).empty
