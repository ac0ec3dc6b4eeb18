"""metrics.alerts: crossings and unusual changes on crafted series; silence on normal noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.alerts import (
    TARGET_CROSSING,
    UNUSUAL_CHANGE,
    compute_alerts,
    robust_z,
    target_crossings,
    unusual_changes,
)
from metrics.registry import default_registry

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
