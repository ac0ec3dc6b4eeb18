"""Pure parts of alert delivery: off-target streaks, stable keys, who gets which alert, mutes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from connectors.alert_digests import route_alerts
from connectors.contacts import Contact, Contacts
from metrics.alerts import (
    CHECK_FAILING,
    DATA_QUALITY,
    OFF_TARGET_STREAK,
    alert_keys,
    compute_alerts,
    describe_alerts,
    failing_check_alerts,
)
from metrics.registry import default_registry
from metrics.streaks import streak_runs

REGISTRY = default_registry()
BASE = "https://mot.example.com"


def _series(values: list[float], touchpoint_id: str = "tp_a", kpi_id: str = "csat",
            trust: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"period_start": pd.date_range("2026-01-05", periods=len(values), freq="7D"),
                          "touchpoint_id": touchpoint_id, "kpi_id": kpi_id, "value": values,
                          "target": 4.2, "tolerance": 0.1})
    return frame.assign(trust=trust) if trust is not None else frame


def test_streak_counts_consecutive_off_target_periods_to_the_latest() -> None:
    # target 4.2, band 0.1: 4.0 is off target, 4.15 at risk, 4.3 on target
    frame = pd.concat([
        _series([4.3, 4.0, 4.0, 4.0], "tp_three"),                 # on, off, off, off -> 3 since week 2
        _series([4.0, 4.0, 4.15, 4.0], "tp_one"),                  # at risk breaks it -> 1
        _series([4.0, 4.0, 4.0, 4.3], "tp_none"),                  # back on target -> no streak
        _series([4.0, 4.0, 4.0], "tp_stale"),                      # stopped a week early -> none
        _series([4.0, 4.0, np.nan, 4.0], "tp_gap"),                # no data ends it -> 1
    ], ignore_index=True)
    streaks = streak_runs(frame, ["touchpoint_id"], REGISTRY).set_index("touchpoint_id")
    assert streaks["periods"].to_dict() == {"tp_gap": 1, "tp_one": 1, "tp_three": 3}
    assert streaks.loc["tp_three", "since"] == pd.Timestamp("2026-01-12")


def test_streak_alert_is_keyed_by_its_start_and_never_from_untrusted_values() -> None:
    frame = _series([4.3, 4.0, 4.0, 4.0])
    alerts = compute_alerts(frame, REGISTRY, ["touchpoint_id"], streak=3)
    streak = alerts[alerts["kind"] == OFF_TARGET_STREAK]
    assert len(streak) == 1 and "off target for 3 periods in a row" in streak["reason"].iloc[0]
    later = compute_alerts(_series([4.3, 4.0, 4.0, 4.0, 4.0]), REGISTRY, ["touchpoint_id"], streak=3)
    assert set(alert_keys(streak)) == set(alert_keys(later[later["kind"] == OFF_TARGET_STREAK]))  # sent once
    four = compute_alerts(frame, REGISTRY, ["touchpoint_id"], streak=4)
    assert (four["kind"] != OFF_TARGET_STREAK).all()
    untrusted = _series([4.3, 4.0, 4.0, 4.0], trust=["trusted"] * 3 + ["not_trusted"])
    kinds = set(compute_alerts(untrusted, REGISTRY, ["touchpoint_id"], streak=1)["kind"])
    assert kinds == {DATA_QUALITY}


def _touchpoints() -> pd.DataFrame:
    return pd.DataFrame({"touchpoint_id": ["tp_a", "tp_b"], "name": ["Web shop", "Hotline"],
                         "journey_id": ["buy", "buy"], "owner": ["Ann Owner", "bob@example.com"]})


JOURNEYS = pd.DataFrame({"journey_id": ["buy"], "name": ["Buy a contract"], "owner": ["Mia Map"]})
CONTACTS = Contacts(people={"ann owner": Contact("Ann Owner", "ann@example.com"),
                            "mia map": Contact("Mia Map", "mia@example.com", "https://hooks.example.com/x"),
                            "data team": Contact("Data team", "data@example.com")},
                    steward_default="Data team", steward_checks={"facts_unique": "Steve Steward"})


def _kpi_alerts() -> pd.DataFrame:
    frame = pd.concat([_series([4.3, 4.0], "tp_a"),
                       _series([4.3, 4.0], "tp_b", trust=["trusted", "not_trusted"])], ignore_index=True)
    alerts = describe_alerts(compute_alerts(frame, REGISTRY, ["touchpoint_id"]), _touchpoints(), REGISTRY)
    return alerts.assign(key=alert_keys(alerts))


def _checks() -> pd.DataFrame:
    results = pd.DataFrame({"check_id": ["facts_unique", "targets_cover"],
                            "name": ["Facts unique", "Targets"],
                            "table_name": ["touchpoint_kpis", "targets"], "severity": ["critical", "warning"],
                            "outcome": ["failed", "failed"], "reason": ["3 duplicates", "gap"],
                            "failing_since": [pd.Timestamp("2026-11-20T06:00Z"), pd.NaT]})
    checks = failing_check_alerts(results)
    assert list(checks["kind"]) == [CHECK_FAILING]  # warnings are not alerts
    return checks.assign(key=alert_keys(checks))


def test_owners_map_owners_and_stewards_each_get_their_part() -> None:
    digests = {d.contact.name: d for d in route_alerts(_kpi_alerts(), _checks(), JOURNEYS, CONTACTS,
                                                        pd.DataFrame(), BASE, "week")}
    assert set(digests) == {"Ann Owner", "Mia Map", "Data team", "Steve Steward"}
    ann, mia = digests["Ann Owner"].items, digests["Mia Map"].items
    assert list(ann["section"]) == ["Your touchpoints"] and set(ann["touchpoint_id"]) == {"tp_a"}
    assert set(mia["section"]) == {"Journey summary: Buy a contract"}
    assert set(mia["touchpoint_id"]) == {"tp_a"}
    assert list(digests["Data team"].items["kind"]) == [DATA_QUALITY]  # tp_b's untrusted value
    assert list(digests["Steve Steward"].items["kind"]) == [CHECK_FAILING]
    assert digests["Data team"].items["link"].iloc[0] == f"{BASE}/data_quality"
    assert "1 alert(s) on 1 touchpoint(s): 1 critical" in digests["Mia Map"].text()
    assert ann["link"].iloc[0] == f"{BASE}/trends?kpi=csat&grain=week&scope=touchpoint&touchpoint_id=tp_a"


def test_a_mute_hides_an_alert_only_from_who_muted_it() -> None:
    alerts = _kpi_alerts()
    key = alerts.loc[alerts["touchpoint_id"] == "tp_a", "key"].iloc[0]
    mutes = pd.DataFrame({"person": ["mia map"], "touchpoint_id": [None], "alert_key": [key]})
    digests = {d.contact.name for d in route_alerts(alerts, _checks().iloc[:0], JOURNEYS, CONTACTS, mutes,
                                                     BASE, "week")}
    assert "Mia Map" not in digests and "Ann Owner" in digests


def test_chat_payload_escapes_warehouse_text() -> None:
    touchpoints = _touchpoints().assign(name=["<!channel> & <https://evil.example|click>", "Hotline"])
    alerts = describe_alerts(compute_alerts(_series([4.3, 4.0]), REGISTRY, ["touchpoint_id"]), touchpoints,
                             REGISTRY)
    digest = route_alerts(alerts.assign(key=alert_keys(alerts)), _checks().iloc[:0], JOURNEYS, CONTACTS,
                          pd.DataFrame(), BASE, "week")[0]
    text = digest.chat_payload()["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in text
