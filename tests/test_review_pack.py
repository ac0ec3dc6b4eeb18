"""The quarter's figures on the hand-sized warehouse (arithmetic in tests/test_review_fixtures.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from metrics.trust import TrustEvidence

# private: tested directly because live figures are always marked by the current run
from review._figures import mark_trust
from review.chart_spec import AXIS_MAX, bullet_chart_rows, bullet_chart_spec, target_index
from review.frozen import figures_from_snapshot, snapshot_payload
from review.pack import FIGURE_COLUMNS, EmptyQuarterError, build_quarter_figures
from review.quarters import QuarterError, parse_quarter
from tests.test_review_fixtures import review_registry, review_warehouse_url, review_wh  # noqa: F401

REVIEW_DIR = Path(__file__).resolve().parent.parent / "review"


def _figure(figures: pd.DataFrame, journey: str, figure: str, section: str = "kpi",
            touchpoint: str = "") -> pd.Series:
    hit = figures[(figures["journey_id"] == journey) & (figures["figure_id"] == figure)
                  & (figures["section"] == section) & (figures["touchpoint_id"] == touchpoint)]
    assert len(hit) == 1, (journey, figure, section, touchpoint)
    return hit.iloc[0]


def test_journey_kpis_against_targets_previous_quarter_and_last_year(review_wh, review_registry) -> None:  # noqa: F811
    figures = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3")).figures
    assert list(figures.columns) == list(FIGURE_COLUMNS)
    csat = _figure(figures, "buy", "csat")
    # 2026Q3 (420 + 380) / 200 = 4.0; 2026Q2 x0.95 = 3.8; 2025Q3 x0.9 = 3.6; target 4.1 (2026 row)
    assert (csat["value"], csat["target"], csat["status"]) == (4.0, 4.1, "at_risk")
    assert csat["previous_value"] == pytest.approx(3.8) and csat["last_year_value"] == pytest.approx(3.6)
    assert csat["vs_target"] == pytest.approx(-0.1) and csat["vs_last_year"] == pytest.approx(0.4)
    assert _figure(figures, "move", "csat")["status"] == "off_target"  # 3.5 vs 4.1 - 0.2
    assert _figure(figures, "move", "conversion_rate")["status"] == "at_risk"  # 20 = 22 - 2
    assert figures["trust"].eq("unchecked").all()


def test_moments_of_truth_and_budget(review_wh, review_registry) -> None:  # noqa: F811
    figures = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3")).figures
    # move hotline: CSAT 3.5 vs touchpoint target 3.4 on target; conversion 10 vs 22 off target
    assert _figure(figures, "move", "csat", "moment_of_truth", "tp_move_call")["status"] == "on_target"
    mot = _figure(figures, "move", "mot_on_target", "moment_of_truth")
    # one definition everywhere: the hotline is the journey's one judged moment of truth and not
    # every KPI of it is on target -> 0 of 1 on target = 0 %; a share has no target, so no status
    assert (mot["value"], mot["status"]) == (0.0, "no_data")
    actual = _figure(figures, "buy", "budget_actual", "budget")
    assert (actual["value"], actual["target"], actual["status"]) == (3300.0, 3000.0, "off_target")
    assert _figure(figures, "move", "budget_actual", "budget")["status"] == "at_risk"  # 3060 <= 3000 + 150
    assert _figure(figures, "buy", "cost_per_conversion", "budget")["value"] == pytest.approx(66.0)


def test_untrusted_touchpoint_marks_its_figures_not_trusted(review_wh, review_registry) -> None:  # noqa: F811
    live = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3"))
    touchpoints = pd.DataFrame({"touchpoint_id": ["tp_buy_web", "tp_move_call"], "stage_id": ["a", "b"],
                                "journey_id": ["buy", "move"], "channel": ["web", "call"]})
    scopes = pd.DataFrame([{"journey_id": None, "stage_id": None, "touchpoint_id": "tp_move_call",
                            "kpi_id": None, "check_id": "dup", "reason": "duplicate rows"}])
    marked = mark_trust(live.figures, TrustEvidence.from_run("run-1", scopes), touchpoints)
    move = marked[marked["journey_id"] == "move"]
    assert set(move["trust"]) == {"not_trusted"} and set(move["status"]) == {"not_trusted"}
    assert set(move["trust_reason"]) == {"duplicate rows"}
    assert set(marked.loc[marked["journey_id"] == "buy", "trust"]) == {"trusted"}
    assert mark_trust(live.figures, None, touchpoints)["trust"].eq("unchecked").all()


def test_quarter_without_data_and_bad_quarter_strings(review_wh, review_registry) -> None:  # noqa: F811
    expected = "no KPI data for 2026Q4. Choose a quarter from 2025Q3 to 2026Q3"
    with pytest.raises(EmptyQuarterError, match=expected):
        build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q4"))
    for text in ("2026Q5", "Q3 2026", "", "2026-07"):
        with pytest.raises(QuarterError, match="for example 2026Q3"):
            parse_quarter(text)
    assert parse_quarter("2026-q3").start.isoformat() == "2026-07-01"


def _budget_row(**values: object) -> dict[str, object]:
    row = {"figure_name": "Budget actual (against plan)", "figure_id": "budget_actual", "section": "budget",
           "touchpoint_name": "", "direction": "lower_is_better", "unit": "currency", "scale": 1.0,
           "value": 3300.0, "target": 3000.0, "tolerance": 150.0, "status": "off_target",
           "previous_value": 2200.0, "previous_target": 2000.0, "last_year_value": None}
    return {**row, **values}


def test_target_index_and_bullet_chart_layers() -> None:
    # 25 / 20 * 100 = 125 (higher is better); 20 / 25 * 100 = 80 (lower is better); 0 -> NaN
    index = target_index(pd.Series([25.0, 25.0, 0.0]), pd.Series([20.0, 20.0, 20.0]),
                         pd.Series(["higher_is_better", "lower_is_better", "lower_is_better"]))
    assert index.iloc[0] == 125.0 and index.iloc[1] == 80.0 and pd.isna(index.iloc[2])
    figures = pd.DataFrame([
        {"figure_name": "CSAT", "figure_id": "csat", "section": "kpi", "touchpoint_name": "",
         "direction": "higher_is_better", "unit": "score", "scale": 1.0, "value": 4.0, "target": 4.1,
         "tolerance": 0.2, "status": "at_risk", "previous_value": 3.8, "previous_target": 4.1,
         "last_year_value": None},
        {**_budget_row(), "section": "moment_of_truth", "touchpoint_name": "Shop"},  # stays in the table
    ])
    spec = bullet_chart_spec(figures, "Buy")
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    # bands: off target, tolerance, on target; the value's bar; the target's tick; the previous quarter's
    assert marks == ["bar", "bar", "bar", "bar", "tick", "tick"]
    assert spec["layer"][4]["encoding"]["x"]["datum"] == 100
    assert spec["layer"][3]["encoding"]["color"]["scale"]["range"][4] == "#7b3294"  # purple: not trusted
    (row,) = spec["data"]["values"]
    # 4.0 / 4.1 = 97.6 %, amber band from (4.1 - 0.2) / 4.1 = 95.1 % to 100; CSAT on two lines
    assert row["index"] == pytest.approx(97.56, abs=0.01)
    assert row["band_low"] == pytest.approx(95.12, abs=0.01)
    assert row["row"] == "CSAT\n4.00 · target 4.10" and row["status_label"] == "▲ At risk"


def test_budget_marker_of_the_previous_quarter_is_judged_against_its_own_plan() -> None:
    # this quarter 3300 spent of a 3000 plan: 3000 / 3300 = 90.9 % of target; the previous quarter
    # 2200 of its own 2000 plan: 2000 / 2200 = 90.9 %, not 3000 / 2200 = 136 % (this quarter's plan)
    (row,) = bullet_chart_rows(pd.DataFrame([_budget_row()])).to_dict("records")
    assert row["index"] == pytest.approx(90.91, abs=0.01)
    assert row["previous"] == pytest.approx(90.91, abs=0.01)
    # a snapshot closed before earlier targets were kept draws no previous marker rather than a wrong one
    (old,) = bullet_chart_rows(pd.DataFrame([_budget_row(previous_target=None)])).to_dict("records")
    assert pd.isna(old["previous"])
    # far beyond target: drawn to the axis' end
    (far,) = bullet_chart_rows(pd.DataFrame([_budget_row(value=1000.0)])).to_dict("records")
    assert far["index"] == AXIS_MAX


def test_earlier_quarters_keep_their_own_targets_and_plans(review_wh, review_registry) -> None:  # noqa: F811
    figures = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3")).figures
    csat = _figure(figures, "buy", "csat")
    # 2026Q2: 3.8 against the 2026 target 4.1 (band 0.2): off target; 2025Q3 had the 2025 target 4.0
    earlier = (csat["previous_target"], csat["previous_status"], csat["last_year_target"])
    assert earlier == (4.1, "off_target", 4.0)
    actual = _figure(figures, "buy", "budget_actual", "budget")
    # every quarter of the fixture plans 3 x 1000 and spends 3 x 1100
    assert (actual["previous_target"], actual["previous_status"]) == (3000.0, "off_target")


def test_review_imports_no_streamlit_and_no_altair() -> None:
    for path in REVIEW_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in {"streamlit", "altair", "pages", "dashboard"}, (path, name)


def test_a_snapshot_closed_before_earlier_targets_were_kept_still_reads(review_wh, review_registry) -> None:  # noqa: F811
    live = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3"))
    payload = snapshot_payload(live, pd.DataFrame(columns=["journey_id", "kpi_id", "text", "author",
                                                           "saved_at", "version"]))
    added = ("previous_target", "previous_status", "last_year_target", "scale")
    keep = [i for i, c in enumerate(payload["figures"]["columns"]) if c not in added]
    payload["figures"] = {"columns": [payload["figures"]["columns"][i] for i in keep],
                          "rows": [[row[i] for i in keep] for row in payload["figures"]["rows"]]}
    old = figures_from_snapshot(payload).figures
    assert list(old.columns) == list(FIGURE_COLUMNS)
    assert old["previous_status"].eq("no_data").all() and old["previous_target"].isna().all()
    rows = bullet_chart_rows(old[old["journey_id"] == "buy"])
    assert rows["previous"].isna().all() and rows["index"].notna().all()  # no marker rather than a wrong one
