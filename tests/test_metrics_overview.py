"""metrics.overview: journey rows, headline cells and moments of truth off target; arithmetic in comments."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from metrics.overview import headline_cells, journey_summary, moments_off_target
from metrics.registry import KpiRegistry, default_registry

REGISTRY = default_registry()

JOURNEYS = pd.DataFrame({
    "journey_id": ["buy", "move", "renew", "idle"],
    "name": ["Buy a contract", "Move house", "Renew", "Idle"],
    "owner": ["Ana", "Ben", "Cem", "Dee"],
    "persona": ["Starter", "Family", "Loyal", "Nobody"],
})
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["tp_a", "tp_b", "tp_c", "tp_d", "tp_e"],
    "journey_id": ["buy", "buy", "buy", "move", "renew"],
    "stage_id": ["s1", "s2", "s2", "m1", "r1"],
    "name": ["Ad", "Shop", "Checkout", "Call", "Offer mail"],
    "owner": ["Ola", "Pia", "Quin", "Rui", "Sam"],
    "moment_of_truth": [True, False, True, True, True],
    "weight": [1.0, 2.0, 1.0, 1.0, 1.0],
})


def _tp_scored(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["touchpoint_id", "kpi_id", "value", "target", "tolerance", "status"])
    higher = frame["kpi_id"].map(lambda k: REGISTRY[k].higher_is_better)
    frame["gap"] = np.where(higher, frame["value"] - frame["target"], frame["target"] - frame["value"])
    # as effectiveness.score_values leaves them: each row knows its stage and journey
    return frame.merge(TOUCHPOINTS[["touchpoint_id", "stage_id", "journey_id"]], on="touchpoint_id")


TP_SCORED = _tp_scored([
    ("tp_a", "csat", 4.1, 4.2, 0.2, "at_risk"),  # gap -0.1 = 0.5 bands
    ("tp_a", "nps", 10.0, 30.0, 8.0, "off_target"),  # gap -20 = 2.5 bands
    ("tp_b", "csat", 3.0, 4.2, 0.2, "off_target"),  # not a moment of truth
    ("tp_c", "csat", 3.0, 4.2, 0.2, "off_target"),  # gap -1.2 = 6 bands
    ("tp_d", "conversion_rate", 20.0, 22.0, 3.0, "at_risk"),  # gap -2 = 0.667 bands
    ("tp_d", "csat", 2.0, 4.2, 0.2, "not_trusted"),  # not judged
    ("tp_d", "nps", 40.0, 30.0, 8.0, "on_target"),
])


def test_journey_summary_worst_health_first_with_mot_text() -> None:
    out = journey_summary(TP_SCORED, TOUCHPOINTS, JOURNEYS)
    # buy: MoT tp_a (w 3): csat 0.5, nps 0; tp_b (w 2): 0; tp_c MoT (w 3): 0
    #   -> 100 x (3 x 0.5) / (3 + 3 + 2 + 3) = 150 / 11 = 13.64 -> off target
    # move: tp_d MoT (w 3): conversion 0.5, nps 1 (csat not trusted: left out)
    #   -> 100 x (1.5 + 3) / 6 = 75 -> at risk
    # renew and idle: nothing judged -> NaN, last
    assert out["journey_id"].tolist()[:2] == ["buy", "move"]
    assert set(out["journey_id"].tolist()[2:]) == {"renew", "idle"}
    assert out["health"].iloc[:2].tolist() == pytest.approx([150 / 11, 75.0])
    assert out["status"].tolist() == ["off_target", "at_risk", "no_data", "no_data"]
    # buy: tp_a and tp_c judged, neither all on target -> 0 of 2; move: tp_d at risk -> 0 of 1
    assert out["mot_text"].tolist()[:2] == ["0 of 2 (0%)", "0 of 1 (0%)"]
    assert out["mot_text"].tolist()[2:] == ["none judged", "none judged"]
    assert out.loc[0, ["journey", "owner", "persona"]].tolist() == ["Buy a contract", "Ana", "Starter"]


def test_journey_summary_counts_moments_on_target() -> None:
    scored = _tp_scored([("tp_d", "nps", 40.0, 30.0, 8.0, "on_target"),
                         ("tp_e", "csat", 4.5, 4.2, 0.2, "on_target")])
    out = journey_summary(scored, TOUCHPOINTS, JOURNEYS).set_index("journey_id")
    assert out.loc["move", "mot_text"] == "1 of 1 (100%)"
    assert out.loc["renew", "mot_text"] == "1 of 1 (100%)"
    assert out.loc["move", "health"] == pytest.approx(100.0)


def _journey_scored() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("buy", "csat", 4.21, 4.2, "on_target", 0.11, None),
            ("buy", "nps", 12.0, 30.0, "off_target", -5.0, None),
            ("buy", "conversion_rate", 25.0, 22.0, "on_target", np.nan, None),
            ("buy", "reach", 5000.0, np.nan, "no_data", 10.0, None),  # not a headline KPI
            ("buy", "first_contact_resolution", np.nan, 75.0, "no_data", np.nan, None),  # not measured
            ("move", "csat", 3.9, 4.2, "not_trusted", 0.0, "duplicate rows on 3 days"),
            ("move", "nps", 31.0, 30.0, "not_trusted", 2.0, None),
        ],
        columns=["journey_id", "kpi_id", "value", "target", "status", "delta_prev", "trust_reason"],
    )


def test_headline_cells_text_delta_and_reason() -> None:
    cells = headline_cells(_journey_scored(), REGISTRY, JOURNEYS)
    # reach is no headline KPI and first-contact resolution has no value: both left out
    assert list(zip(cells["journey_id"], cells["kpi_id"], strict=True)) == [
        ("buy", "csat"), ("buy", "nps"), ("buy", "conversion_rate"), ("move", "csat"), ("move", "nps")]
    assert cells["journey"].tolist()[:1] == ["Buy a contract"]
    assert cells["kpi"].tolist()[:3] == ["CSAT", "NPS", "Conversion rate"]
    assert cells["text"].tolist() == ["4.21", "+12", "25.0%", "3.90", "+31"]
    assert cells["target_text"].tolist() == ["4.20", "+30", "22.0%", "4.20", "+30"]
    # csat +0.11 higher is better: up and better; nps -5: down and worse, no '+' on the size;
    # conversion has no earlier value; move csat unchanged: "no change", never "▼ 0 (worse)"
    assert cells["delta_text"].tolist() == ["▲ 0.11 pts (better)", "▼ 5 pts (worse)", "no earlier value",
                                            "no change (±0.00 pts)", "▲ 2 pts (better)"]
    # a status label, or for not-trusted values the reason (a default one when none was given)
    assert cells["reason"].tolist()[:3] == ["On target", "Off target", "On target"]
    assert cells["reason"].iloc[3] == "Not trusted: duplicate rows on 3 days"
    assert cells["reason"].iloc[4] == "Not trusted: critical data-quality checks fail for these rows"


def test_headline_cells_for_a_lower_is_better_kpi_and_without_optional_columns() -> None:
    ces = dataclasses.replace(REGISTRY["ces"], headline=True)
    registry = KpiRegistry([ces, REGISTRY["csat"]])
    scored = pd.DataFrame({"journey_id": ["buy"], "kpi_id": ["ces"], "value": [2.5], "target": [2.8],
                           "status": ["on_target"]})
    cells = headline_cells(scored, registry, JOURNEYS)
    # no delta_prev column: no earlier value; no trust_reason column: the status label
    assert cells[["text", "delta_text", "reason"]].iloc[0].tolist() == [
        "2.50", "no earlier value", "On target"]
    falling = headline_cells(scored.assign(delta_prev=-0.3), registry, JOURNEYS)
    # effort fell by 0.3 and lower is better: down and better
    assert falling["delta_text"].iloc[0] == "▼ 0.30 pts (better)"


def test_moments_off_target_worst_first() -> None:
    out = moments_off_target(TP_SCORED, TOUCHPOINTS, REGISTRY)
    # off target first, most bands below first: tp_c csat 1.2 / 0.2 = 6, tp_a nps 20 / 8 = 2.5;
    # then at risk: tp_d conversion 2 / 3 = 0.667, tp_a csat 0.1 / 0.2 = 0.5.
    # tp_b is no moment of truth; tp_d csat is not trusted and tp_d nps on target.
    assert list(zip(out["touchpoint_id"], out["kpi_id"], strict=True)) == [
        ("tp_c", "csat"), ("tp_a", "nps"), ("tp_d", "conversion_rate"), ("tp_a", "csat")]
    assert out["status"].tolist() == ["off_target", "off_target", "at_risk", "at_risk"]
    assert out["bands_below"].tolist() == pytest.approx([6.0, 2.5, 2 / 3, 0.5])
    assert out.loc[0, ["touchpoint", "owner", "kpi", "value_text", "target_text"]].tolist() == [
        "Checkout", "Quin", "CSAT", "3.00", "4.20"]
    assert out.loc[2, ["value_text", "target_text"]].tolist() == ["20.0%", "22.0%"]


def test_moments_off_target_ignores_touchpoint_columns_on_the_scored_rows() -> None:
    scored = TP_SCORED.assign(name="stale", owner="stale", moment_of_truth=False)
    out = moments_off_target(scored, TOUCHPOINTS, REGISTRY)
    assert out["touchpoint"].iloc[0] == "Checkout" and out["owner"].iloc[0] == "Quin"


def test_moments_off_target_empty_when_all_on_target() -> None:
    scored = _tp_scored([("tp_a", "csat", 4.5, 4.2, 0.2, "on_target")])
    out = moments_off_target(scored, TOUCHPOINTS, REGISTRY)
    assert out.empty and "bands_below" in out.columns
