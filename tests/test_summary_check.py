"""The check "The monthly summary agrees with the fact table" on a planted disagreement, and the number
read from that summary shown as not trusted on a page (as tests/test_trust_everywhere.py does for a
fault in the facts).

A clean demo warehouse (its summary built from its facts) gets a summary that disagrees: CSAT of
"Advice in the store" (tp_buy_store_advice) 5 % higher in October 2026 than its facts, and September
2026 of "Fault chat" (tp_fault_chat) missing from the summary. The facts stay clean, so only this
check fails; Trends reads whole months from the summary, and must mark October's CSAT of that
touchpoint not trusted and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from checks._summary import summary_disagreements
from connectors.profile_queries import fact_profile
from connectors.runtime import open_for_checks
from connectors.warehouse import Warehouse
from metrics.registry import default_registry
from tests.planted import plant_fault
from tests.test_trust_everywhere import _app, _chart_data

END = dt.date(2026, 11, 22)
TOUCHPOINT = "tp_buy_store_advice"
CHECK = "touchpoint_kpis.summary_agrees"


def _clean_summary_agrees(url: str) -> None:
    clean = open_for_checks(url)
    assert isinstance(clean, Warehouse) and clean.has_summary
    try:
        assert summary_disagreements(clean, fact_profile(clean, default_registry(), END)).empty
    finally:
        clean.engine.dispose()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    disagreements = [
        ("UPDATE touchpoint_kpis_monthly SET numerator = numerator * 1.05 WHERE touchpoint_id = ? "
         "AND kpi_id = 'csat' AND month = DATE '2026-10-01'", [TOUCHPOINT]),
        ("DELETE FROM touchpoint_kpis_monthly WHERE touchpoint_id = 'tp_fault_chat' "
         "AND month = DATE '2026-09-01'", []),
    ]
    planted = plant_fault(tmp_path_factory.mktemp("summary-planted"), END, disagreements,
                          before=_clean_summary_agrees)
    yield {"env": planted.env, "run": planted.run}


def test_only_the_summary_check_fails_scoped_to_what_disagrees(planted: dict[str, object]) -> None:
    run = planted["run"]
    failing = {r.check.check_id for r in run.results if r.failed}  # type: ignore[attr-defined]
    assert CHECK in failing
    assert not {c for c in failing if c.startswith("touchpoint_kpis.") and c != CHECK}, failing
    result = next(r for r in run.results if r.check.check_id == CHECK)  # type: ignore[attr-defined]
    scopes = result.scopes.set_index(["touchpoint_id", "kpi_id"])
    assert scopes.loc[(TOUCHPOINT, "csat"), "date_from"] == dt.date(2026, 10, 1)
    assert scopes.loc[(TOUCHPOINT, "csat"), "date_to"] == dt.date(2026, 10, 31)
    chat = scopes.loc["tp_fault_chat"]
    assert len(chat) >= 1 and set(chat["date_from"]) == {dt.date(2026, 9, 1)}
    assert set(scopes.index.get_level_values(0)) == {TOUCHPOINT, "tp_fault_chat"}
    assert TOUCHPOINT in result.reason


def test_the_number_from_the_summary_shows_as_not_trusted(planted: dict[str, object],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"url_kpi": ["csat", "conversion_rate"], "url_scope": "touchpoint",
             "url_touchpoint_id": TOUCHPOINT, "url_grain": "month"}
    at = _app(planted["env"], "pages/trends.py", state, monkeypatch)  # type: ignore[arg-type]
    csat = _chart_data(at, "CSAT by month").dropna(subset=["status_label"])
    by_month = csat.set_index(pd.to_datetime(csat["period_start"]).dt.strftime("%Y-%m"))["status_label"]
    assert by_month["2026-10"] == "Not trusted"
    assert by_month["2026-09"] != "Not trusted" and by_month["2026-07"] != "Not trusted"
    conversion = _chart_data(at, "Conversion rate by month").dropna(subset=["status_label"])
    assert conversion["status_label"].ne("Not trusted").all()
