"""Alerts in German (MOT_LANGUAGE=de): the reasons, the digest each person gets and what
``python -m metrics.alerts send --dry-run`` prints hold no English but the data (touchpoint, KPI,
journey and people's names, which are shown as stored in every language)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml

from connectors.alert_digests import route_alerts
from connectors.contacts import Contact, Contacts
from connectors.demo import build_demo_file, generate
from metrics.alerts import alert_keys, compute_alerts, describe_alerts, failing_check_alerts
from metrics.alerts.__main__ import main
from metrics.formatting import set_language
from metrics.registry import default_registry
from tests.fixtures import DEMO_END
from tests.german import english_left

REGISTRY = default_registry()
BASE = "https://mot.example.com"
TOUCHPOINTS = pd.DataFrame({"touchpoint_id": ["tp_a", "tp_b", "tp_c"],
                            "name": ["Web shop", "Hotline", "Shop"],
                            "journey_id": ["buy"] * 3, "owner": ["Ann Owner"] * 3})
JOURNEYS = pd.DataFrame({"journey_id": ["buy"], "name": ["Buy a contract"], "owner": ["Mia Map"]})
CONTACTS = Contacts(people={"ann owner": Contact("Ann Owner", "ann@example.com"),
                            "mia map": Contact("Mia Map", "mia@example.com"),
                            "data team": Contact("Data team", "data@example.com")},
                    steward_default="Data team")
CHECK = {"check_id": "facts_unique", "name": "facts_unique", "table_name": "touchpoint_kpis",
         "severity": "critical", "outcome": "failed", "reason": "12 doppelte Zeilen",
         "failing_since": pd.Timestamp("2026-03-09")}
#: What the digests show as stored: names of touchpoints, KPIs, the journey, people, the check.
DATA = [*TOUCHPOINTS["name"], *JOURNEYS["name"], "Ann Owner", "Mia Map", "Data team", "facts_unique",
        "touchpoint_kpis", *(k.name for k in REGISTRY)]


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")


def _series(values: list[float], touchpoint_id: str, kpi_id: str = "csat",
            trust: str = "trusted") -> pd.DataFrame:
    return pd.DataFrame({"period_start": pd.date_range("2026-01-05", periods=len(values), freq="7D"),
                         "touchpoint_id": touchpoint_id, "kpi_id": kpi_id, "value": values,
                         "target": 4.2, "tolerance": 0.1, "trust": [*["trusted"] * (len(values) - 1), trust]})


def _planted() -> pd.DataFrame:
    """A crossing into off target (tp_a), a streak of off-target weeks plus an unusual drop (tp_b,
    CSAT stable at 4.0 for 12 weeks, then 3.2) and a value that is not trusted (tp_c)."""
    return pd.concat([
        _series([4.3] * 9 + [4.05], "tp_a"),
        _series([4.0 + 0.01 * (i % 3) for i in range(12)] + [3.2], "tp_b"),
        _series([4.3] * 9 + [4.0], "tp_c", trust="not_trusted"),
    ], ignore_index=True).assign(period_start=lambda f: f["period_start"] - (
        f.groupby("touchpoint_id")["period_start"].transform("max") - pd.Timestamp("2026-03-30")))


def _digest_texts(digests: list) -> list[tuple[str, str]]:
    texts = []
    for digest in digests:
        texts.append(("subject", digest.subject))
        texts += [("digest", line) for line in digest.text().splitlines() if line.strip()]
        texts.append(("chat", digest.chat_payload()["text"]))
    return texts


def test_a_german_digest_has_no_english_but_the_data(german: None) -> None:
    kpi_alerts = describe_alerts(compute_alerts(_planted(), REGISTRY, ["touchpoint_id"], streak=3),
                                 TOUCHPOINTS, REGISTRY)
    kinds = {"target_crossing", "off_target_streak", "unusual_change", "data_quality"}
    assert kinds <= set(kpi_alerts["kind"])
    checks = failing_check_alerts(pd.DataFrame([CHECK]))
    mutes = pd.DataFrame(columns=["person", "touchpoint_id", "alert_key", "until", "muted_by", "muted_at"])
    digests = route_alerts(kpi_alerts.assign(key=alert_keys(kpi_alerts)),
                           checks.assign(key=alert_keys(checks)), JOURNEYS, CONTACTS, mutes, BASE, "week")
    assert {d.contact.name for d in digests} == {"Ann Owner", "Mia Map", "Data team"}
    texts = _digest_texts(digests)
    assert not english_left(texts, DATA), english_left(texts, DATA)
    body = "\n".join(text for _, text in texts)
    assert "Momente der Wahrheit" in body and "Guten Tag Ann Owner," in body
    assert "Journey-Übersicht: Buy a contract" in body and "Ziel verfehlt" in body
    assert "13 Zeiträume in Folge" in body and "4,05" in body  # German numbers too


def test_english_stays_as_it_was() -> None:
    kpi_alerts = describe_alerts(compute_alerts(_planted(), REGISTRY, ["touchpoint_id"], streak=3),
                                 TOUCHPOINTS, REGISTRY)
    reasons = " ".join(kpi_alerts["reason"])
    assert "went from on target to off target: 4.30 → 4.05 against a target of 4.20" in reasons
    assert "has been off target for 13 periods in a row (since 2026-01-05)" in reasons


@pytest.fixture
def german_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The demo warehouse, contacts for its owners, MOT_LANGUAGE=de; yields the demo's names."""
    path = build_demo_file(tmp_path / "demo.duckdb", end=DEMO_END, touchpoints=12, years=2)
    frames = generate(12, 2, end=DEMO_END)
    owners = sorted({*frames["touchpoints"]["owner"], *frames["journeys"]["owner"]})
    people = {name: {"email": name.lower().replace(" ", ".") + "@example.com"}
              for name in [*owners, "Data team"]}
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(yaml.safe_dump({"people": people, "stewards": {"default": "Data team"}}))
    for key, value in {"MOT_WAREHOUSE_URL": f"duckdb:///{path}", "MOT_DATA_DIR": str(tmp_path),
                       "MOT_BASE_URL": BASE, "MOT_CONTACTS": str(contacts), "MOT_LANGUAGE": "de"}.items():
        monkeypatch.setenv(key, value)
    for key in ("MOT_SMTP_HOST", "MOT_WEBHOOK_FORMAT", "MOT_ALERT_STREAK", "MOT_MAPPING"):
        monkeypatch.delenv(key, raising=False)
    names = [*owners, "Data team"]
    for table in ("journeys", "touchpoints", "stages", "kpis"):
        names += [str(v) for v in frames[table]["name"]]
    yield names
    set_language("en")


def test_send_dry_run_speaks_german(german_cli: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "--dry-run", "--as-of", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Zusammenfassung(en) zu senden" in out and "Momente der Wahrheit" in out, out[:2000]
    texts = [("cli", line) for line in out.splitlines() if line.strip()]
    assert not english_left(texts, german_cli), english_left(texts, german_cli)[:20]
