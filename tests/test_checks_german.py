"""The checks speak German with MOT_LANGUAGE=de: the summary ``python -m checks run`` prints, its
command-line messages, the plain reasons and the trust reasons. English stays as it was; the stored
keys (check ids, severities, outcomes) never change with the language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from checks.__main__ import main, summary_text
from checks.catalogue import CHECKS_BY_ID, Outcome, check_label
from checks.impact import plain_reason
from checks.results import CheckResult, CheckRun
from metrics.formatting import set_language
from metrics.trust import TrustEvidence

STARTED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    try:
        yield
    finally:
        set_language("en")  # the language is process-wide: later tests read English again


def _run() -> CheckRun:
    results = [
        CheckResult(CHECKS_BY_ID["touchpoint_kpis.unique_keys"], Outcome.FAILED, "12 fact rows", 12),
        CheckResult(CHECKS_BY_ID["touchpoints.values"], Outcome.ERROR, "no rule evaluated this check"),
        CheckResult(CHECKS_BY_ID["kpis.keys"], Outcome.PASSED),
    ]
    return CheckRun("20261201T093000-abcdef", STARTED, STARTED + dt.timedelta(seconds=2.5),
                    dt.date(2026, 12, 1), "duckdb:///demo.duckdb", "cli", results)


def test_summary_in_english_is_unchanged() -> None:
    lines = summary_text(_run()).splitlines()
    assert lines[0].startswith("      severity  check ")
    assert lines[1].startswith("FAIL  critical  touchpoint_kpis.unique_keys")
    assert lines[-1] == ("3 checks: 1 passed, 1 critical and 1 warning failed (1 could not run) in 2.5 s; "
                         "as of 2026-12-01; run 20261201T093000-abcdef")


def test_summary_in_german(german: None) -> None:
    text = summary_text(_run())
    lines = text.splitlines()
    assert "Schweregrad" in lines[0] and "Prüfung" in lines[0]
    assert lines[1].startswith("FEHLER") and "kritisch" in lines[1]
    assert "touchpoint_kpis.unique_keys" in lines[1]  # the check id is a key: never translated
    assert lines[-1] == ("3 Prüfungen: 1 bestanden, 1 kritische und 1 Warnungen fehlgeschlagen "
                         "(1 nicht ausführbar) in 2,5 s; Stand 2026-12-01; Lauf 20261201T093000-abcdef")
    for english in ("passed", "critical", "warning failed", "could not run", "severity"):
        assert english not in text


def test_command_line_errors_in_german(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOT_LANGUAGE", "de")
    try:
        with pytest.raises(SystemExit):
            main(["run", "--as-of", "morgen"])
        assert "kein Datum in der Form JJJJ-MM-TT: 'morgen'" in capsys.readouterr().err
        with pytest.raises(SystemExit):
            main(["--help"])
        out = capsys.readouterr().out
        assert "Datenqualitätsprüfungen des Warehouse." in out and "jede Prüfung ausführen" in out
        with pytest.raises(SystemExit):
            main(["run", "--help"])
        assert "keine Great Expectations Data Docs erstellen" in capsys.readouterr().out
    finally:
        set_language("en")


def test_reasons_and_names_in_german(german: None) -> None:
    assert check_label("touchpoint_kpis.unique_keys") == "Keine doppelten Faktenzeilen"
    assert check_label("budget.freshness") == "budget: aktuell"
    assert check_label("gone.check", "An old check") == "An old check"  # no longer in the catalogue
    assert plain_reason("touchpoint_kpis.unique_keys", "failed", 1, "touchpoint_kpis").startswith(
        "1 Faktenzeile verletzt diese Regel: Höchstens eine Zeile je Datum")
    assert plain_reason("budget.freshness", "failed", 1200, "budget") == (
        "1.200 Zeilen verletzen diese Regel: Das neueste Datum liegt höchstens 62 Tage vor dem Stichtag.")
    assert TrustEvidence.unchecked().blanket_reason() == (
        "Bisher lief keine Datenqualitätsprüfung: Dieser Wert ist ungeprüft.")


def test_reasons_and_names_in_english() -> None:
    assert check_label("touchpoint_kpis.unique_keys") == "No duplicate fact rows"
    assert check_label("budget.freshness") == "budget: fresh"
    assert plain_reason("touchpoint_kpis.unique_keys", "failed", 1, "touchpoint_kpis").startswith(
        "1 fact row breaks this rule: At most one row per date")
    assert CHECKS_BY_ID["budget.freshness"].description == "The latest date is at most 62 days before as-of."
