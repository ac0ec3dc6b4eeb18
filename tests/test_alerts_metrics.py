"""metrics.alerts: crossings and unusual changes on crafted series; silence on normal noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.alerts import (
    BACK_ON_TARGET,
    TARGET_CROSSING,
    UNUSUAL_CHANGE,
    compute_alerts,
    robust_z,
    target_crossings,
    unusual_changes,
)
from metrics.registry import default_registry
from metrics.status import STATUS_LABELS, STATUS_SEVERITY, Status, classify

REGISTRY = default_registry()
KEYS = ["touchpoint_id"]


def _series(values: list[float], kpi_id: str = "csat", target: float = 4.2, tolerance: float = 0.1,
            touchpoint_id: str = "tp_a") -> pd.DataFrame:
    return pd.DataFrame({
        "period_start": pd.date_range("2026-01-05", periods=len(values), freq="7D"),
        "touchpoint_id": touchpoint_id, "kpi_id": kpi_id, "value": values,
        "target": target, "tolerance": tolerance,
    })


def test_robust_z_by_hand() -> None:
    history = [4.30, 4.32, 4.28, 4.31, 4.29, 4.33, 4.27, 4.30]
    # median 4.30; |deviations| sorted 0,0,.01,.01,.02,.02,.03,.03 -> MAD .015
    assert robust_z(history, 4.31) == pytest.approx(0.6745 * 0.01 / 0.015)  # 0.45
    assert robust_z(history, 4.10) == pytest.approx(0.6745 * -0.20 / 0.015)  # -8.99
    # MAD 0 (seven of eight equal): mean absolute deviation 1/8 -> z = 2 / (1.253314 * 0.125)
    assert robust_z([5, 5, 5, 5, 5, 5, 5, 6], 7) == pytest.approx(2 / (1.253314 * 0.125))
    assert np.isnan(robust_z([5.0] * 8, 7.0))  # a constant history cannot judge anything


def test_crossing_fires_on_a_crafted_drop_below_target() -> None:
    # on target (4.3 >= 4.2) for 9 weeks, then 4.05: gap -0.15 beyond the 0.1 band -> off target.
    alerts = target_crossings(_series([4.3] * 9 + [4.05]), REGISTRY, KEYS)
    assert len(alerts) == 1
    alert = alerts.iloc[0]
    assert alert["kind"] == TARGET_CROSSING and alert["severity"] == "critical"
    assert (alert["status_before"], alert["status_after"]) == ("on_target", "off_target")
    assert alert["touchpoint_id"] == "tp_a" and alert["period_start"] == pd.Timestamp("2026-03-09")
    assert "on target to off target" in alert["reason"]


def test_crossing_is_direction_aware_and_reports_recovery() -> None:
    # CES is lower-is-better: 2.9 is on target 3.0; 3.05 is 0.05 worse, inside the 0.1 band.
    worse = target_crossings(_series([2.9, 3.05], "ces", 3.0, 0.1), REGISTRY, KEYS).iloc[0]
    assert (worse["status_after"], worse["severity"]) == ("at_risk", "warning")
    back = target_crossings(_series([3.05, 2.9], "ces", 3.0, 0.1), REGISTRY, KEYS).iloc[0]
    assert (back["status_after"], back["severity"]) == ("on_target", "info")


def test_no_crossing_without_a_change_or_without_data() -> None:
    assert target_crossings(_series([4.3, 4.25]), REGISTRY, KEYS).empty  # on target both times
    assert target_crossings(_series([4.3, np.nan]), REGISTRY, KEYS).empty  # no data is not a crossing
    no_target = _series([4.3, 3.0]).assign(target=np.nan)
    assert target_crossings(no_target, REGISTRY, KEYS).empty


def test_unusual_change_fires_on_a_crafted_jump() -> None:
    rng = np.random.default_rng(3)
    values = list(4.3 + rng.normal(0, 0.02, 26)) + [4.0]  # a drop of 15 standard deviations
    alerts = unusual_changes(_series(values), REGISTRY, KEYS)
    assert len(alerts) == 1
    assert alerts.iloc[0]["kind"] == UNUSUAL_CHANGE and alerts.iloc[0]["severity"] == "warning"
    assert alerts.iloc[0]["score"] < -3.5 and "fell to 4.00" in alerts.iloc[0]["reason"]


def test_unusual_change_needs_enough_history() -> None:
    assert unusual_changes(_series([4.3, 4.31, 4.29, 4.3, 4.0]), REGISTRY, KEYS).empty


def test_noise_of_normal_size_stays_silent() -> None:
    # 200 series of Gaussian noise (sd 0.02 around 4.5, far above target): with the default
    # window the false-alarm rate is about 0.6%; allow a little chance, never a flood.
    rng = np.random.default_rng(11)
    frames = [_series(list(4.5 + rng.normal(0, 0.02, 27)), touchpoint_id=f"tp_{i}") for i in range(200)]
    alerts = compute_alerts(pd.concat(frames, ignore_index=True), REGISTRY, KEYS)
    assert len(alerts) <= 4
    assert (alerts["kind"] != TARGET_CROSSING).all()
    # and a typical value (within two standard deviations) never fires
    steady = _series(list(4.5 + rng.normal(0, 0.02, 26)) + [4.5 + 0.03])
    assert compute_alerts(steady, REGISTRY, KEYS).empty


def test_compute_alerts_orders_most_severe_first() -> None:
    crossing = _series([4.3] * 26 + [4.0], touchpoint_id="tp_cross")
    rising = _series(list(4.5 + np.random.default_rng(5).normal(0, 0.02, 26)) + [4.9], touchpoint_id="tp_up")
    alerts = compute_alerts(pd.concat([rising, crossing], ignore_index=True), REGISTRY, KEYS)
    assert alerts.iloc[0]["severity"] == "critical" and alerts.iloc[0]["touchpoint_id"] == "tp_cross"
    assert set(alerts["severity"]) <= {"critical", "warning", "info"}
    assert alerts.iloc[-1]["severity"] == "info" and alerts.iloc[-1]["touchpoint_id"] == "tp_up"


def _reference_crossings(series: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """target_crossings one series at a time, each row judged by ``classify``."""
    rows = []
    for group_key, group in series.sort_values("period_start").groupby([*keys, "kpi_id"], dropna=False):
        ident = dict(zip([*keys, "kpi_id"], group_key, strict=True))
        kpi = REGISTRY[str(ident["kpi_id"])]
        statuses = [classify(r.value, r.target, r.tolerance, kpi.direction) for r in group.itertuples()]
        judged = {Status.ON_TARGET, Status.AT_RISK, Status.OFF_TARGET}
        if len(statuses) < 2 or not {statuses[-1], statuses[-2]} <= judged or statuses[-1] is statuses[-2]:
            continue
        before, after = statuses[-2], statuses[-1]
        worse = STATUS_SEVERITY[after] < STATUS_SEVERITY[before]
        latest, previous = group.iloc[-1], group.iloc[-2]
        rows.append({
            "kind": BACK_ON_TARGET if after is Status.ON_TARGET else TARGET_CROSSING,
            "severity": ("critical" if after is Status.OFF_TARGET else "warning") if worse else "info",
            **ident, "period_start": latest["period_start"], "value": latest["value"],
            "previous_value": previous["value"], "status_before": before.value, "status_after": after.value,
            "score": np.nan,
            "reason": f"{kpi.name} went from {STATUS_LABELS[before].lower()} to "
                      f"{STATUS_LABELS[after].lower()}: "
                      f"{kpi.format(previous['value'])} → {kpi.format(latest['value'])} "
                      f"against a target of {kpi.format(latest['target'])}",
        })
    return pd.DataFrame(rows)


def _many_series() -> pd.DataFrame:
    """300 short series of both directions whose values land on target, inside the band, beyond
    it, on the float-noise edge (57 / 100 * 100 against 57), or have no value or no target."""
    rng = np.random.default_rng(23)
    kpis = [("csat", 4.2, 0.1), ("ces", 3.0, 0.1), ("conversion_rate", 57.0, 2.0)]
    frames = []
    for i in range(300):
        kpi_id, target, band = kpis[i % 3]
        size = int(rng.integers(1, 5))
        offsets = rng.choice([-3.0, -0.5, 0.0, 0.5, 3.0, np.nan], size) * band
        values = target + offsets
        if kpi_id == "conversion_rate":
            values[rng.random(size) < 0.3] = 57 / 100 * 100
        frames.append(_series(list(values), kpi_id, target, band, touchpoint_id=f"tp_{i // 3:03d}").assign(
            target=lambda f: f["target"].where(rng.random(len(f)) > 0.1),
            journey_id="buy" if i % 2 else "move"))
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["touchpoint_id"] == "tp_007", "touchpoint_id"] = None  # a series without a key
    return frame.sample(frac=1.0, random_state=4)  # rows in no particular order


@pytest.mark.parametrize("keys", [["touchpoint_id"], ["journey_id", "touchpoint_id"]])
def test_target_crossings_match_the_row_by_row_reference(keys: list[str]) -> None:
    series = _many_series()
    expected = _reference_crossings(series, keys)
    assert len(expected) > 20 and expected["severity"].nunique() == 3  # every kind of crossing occurs
    pd.testing.assert_frame_equal(target_crossings(series, REGISTRY, keys), expected)
    one = series[series["touchpoint_id"] == expected["touchpoint_id"].iloc[0]]  # keyed by KPI alone
    pd.testing.assert_frame_equal(target_crossings(one, REGISTRY, []), _reference_crossings(one, []))


def _reference_unusual(
    series: pd.DataFrame, keys: list[str], window: int = 26, least: int = 12
) -> pd.DataFrame:
    """unusual_changes one series at a time through ``robust_z``."""
    rows = []
    for group_key, group in series.sort_values("period_start").groupby([*keys, "kpi_id"], dropna=False):
        ident = dict(zip([*keys, "kpi_id"], group_key, strict=True))
        kpi = REGISTRY[str(ident["kpi_id"])]
        values = group["value"].astype("float64").to_numpy()
        history = values[:-1][-window:]
        if np.count_nonzero(~np.isnan(history)) < least:
            continue
        z = robust_z(history, values[-1])
        if np.isnan(z) or abs(z) < 3.5:
            continue
        if abs(values[-1] - np.nanmedian(history)) < kpi.effect_floor - 1e-9:  # too small to matter
            continue
        rows.append({
            "kind": UNUSUAL_CHANGE, "severity": "info" if (z > 0) == kpi.higher_is_better else "warning",
            **ident, "period_start": group["period_start"].iloc[-1], "value": values[-1],
            "previous_value": values[-2] if len(values) > 1 else np.nan,
            "status_before": None, "status_after": None, "score": z,
            "reason": f"{kpi.name} {'rose' if z > 0 else 'fell'} to {kpi.format(values[-1])}, "
                      f"unusual against its last {len(history)} periods "
                      f"(typical {kpi.format(float(np.nanmedian(history)))}; "
                      f"robust z = {z:+.1f})",
        })
    return pd.DataFrame(rows)


def _noisy_series() -> pd.DataFrame:
    """240 series of 1-40 periods: noise, jumps both ways, gaps, constant and half-constant
    histories (MAD 0, then mean AD), a missing latest value and a series without a key."""
    rng = np.random.default_rng(31)
    frames = []
    for i in range(240):
        kpi_id = ("csat", "ces", "conversion_rate")[i % 3]
        size = int(rng.integers(1, 41))
        values = 4.0 + rng.normal(0, 0.05, size)
        if i % 5 == 0:
            values[-1] += rng.choice([-1.0, 1.0])  # a jump
        if i % 7 == 0:
            values[: size // 2 + 1] = 4.0  # more than half identical: MAD is 0
        if i % 11 == 0:
            values[:] = 4.0  # constant: no score
        values[rng.random(size) < 0.08] = np.nan
        frames.append(_series(list(values), kpi_id, touchpoint_id=f"tp_{i:03d}"))
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["touchpoint_id"] == "tp_013", "touchpoint_id"] = None
    return frame.sample(frac=1.0, random_state=8)


def test_unusual_changes_match_the_series_by_series_reference() -> None:
    series = _noisy_series()
    expected = _reference_unusual(series, KEYS)
    assert len(expected) > 12 and set(expected["severity"]) == {"info", "warning"}  # small ones dropped
    pd.testing.assert_frame_equal(unusual_changes(series, REGISTRY, KEYS), expected)
    short = _reference_unusual(series, KEYS, window=8, least=5)
    pd.testing.assert_frame_equal(unusual_changes(series, REGISTRY, KEYS, window=8, min_history=5), short)


def test_an_unusual_change_too_small_to_matter_raises_nothing() -> None:
    """The issue's case: CSAT 4.14 against a history of 4.14 with almost no spread gives z = -10,
    but 0.004 points is below CSAT's minimum effect of 0.1 points; 0.3 points is not."""
    flat = [4.144 + 0.0001 * (i % 3) for i in range(26)]
    assert abs(robust_z(flat, 4.140)) > 3.5
    assert unusual_changes(_series([*flat, 4.140]), REGISTRY, KEYS).empty
    dropped = unusual_changes(_series([*flat, 3.84]), REGISTRY, KEYS)
    assert len(dropped) == 1 and REGISTRY["csat"].effect_floor == 0.1
    assert REGISTRY["nps"].effect_floor == 3.0 and REGISTRY["conversion_rate"].effect_floor == 1.0
