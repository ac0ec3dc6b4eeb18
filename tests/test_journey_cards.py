"""metrics.journey_cards, metrics.changes and metrics.samples: the overview's card figures, how a
change reads and which values come from too few; arithmetic in comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.changes import NO_EARLIER, change_verdict, delta_shown
from metrics.journey_cards import health_series, journey_cards, score_drags
from metrics.registry import default_registry
from metrics.samples import sample_text, with_sample_sizes

REGISTRY = default_registry()
JOURNEYS = pd.DataFrame({"journey_id": ["buy", "move"], "name": ["Buy a contract", "Move house"],
                         "owner": ["Ana", None], "persona": ["Starter", "Family"]})
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["ad", "shop", "checkout", "call"],
    "journey_id": ["buy", "buy", "buy", "move"],
    "name": ["Ad", "Shop", "Checkout", "Call"],
    "moment_of_truth": [False, False, True, True],
    "weight": [1.0, 2.0, 1.0, 1.0],
})


def _scored(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["touchpoint_id", "kpi_id", "value", "target", "status"])
    higher = frame["kpi_id"].map(lambda k: REGISTRY[k].higher_is_better)
    frame["gap"] = np.where(higher, frame["value"] - frame["target"], frame["target"] - frame["value"])
    return frame


NOW = _scored([
    ("ad", "engagement_rate", 15.0, 14.0, "on_target"),  # weight 1, 1 point
    ("shop", "conversion_rate", 20.0, 22.0, "at_risk"),  # weight 2, 0.5 point
    ("checkout", "csat", 3.9, 4.2, "off_target"),  # moment of truth: weight 3, 0 points
    ("checkout", "nps", 10.0, 30.0, "not_trusted"),  # not in the score, costs nothing
    ("call", "ces", 3.0, 3.5, "on_target"),
])
BEFORE = _scored([
    ("ad", "engagement_rate", 15.0, 14.0, "on_target"),
    ("shop", "conversion_rate", 23.0, 22.0, "on_target"),
    ("checkout", "csat", 4.3, 4.2, "on_target"),
])


def test_score_drags_name_the_kpis_costing_most_health_points() -> None:
    drags = score_drags(NOW, TOUCHPOINTS, REGISTRY)
    # buy: total weight 1 + 2 + 3 = 6; checkout csat loses 100 x 3 x 1 / 6 = 50 points,
    # shop conversion 100 x 2 x 0.5 / 6 = 16.67; ad loses nothing; nps is not trusted: not listed
    buy = drags[drags["journey_id"] == "buy"]
    assert buy["kpi_id"].tolist() == ["csat", "conversion_rate"]
    assert buy["points_lost"].tolist() == pytest.approx([50.0, 100 / 6])
    assert drags[drags["journey_id"] == "move"].empty  # everything on target: nothing drags


def test_journey_cards_figures_change_trend_and_text() -> None:
    series = pd.concat([BEFORE.assign(period_start=pd.Timestamp("2026-08-01")),
                        NOW.assign(period_start=pd.Timestamp("2026-09-01"))])
    cards = {c.journey_id: c for c in journey_cards(NOW, BEFORE, series, TOUCHPOINTS, JOURNEYS, REGISTRY)}
    buy = cards["buy"]
    # now: 100 x (1 x 1 + 2 x 0.5 + 3 x 0) / 6 = 33.3 -> reads 33, off target; before: 100 -> -67 pts
    assert buy.health == pytest.approx(100 / 3)
    assert (buy.health_text, buy.status) == ("33 / 100", "off_target")
    assert buy.change_text == "▼ 67 pts (worse)"
    assert (buy.change.text, buy.change.color) == ("-67 pts", "normal")
    assert buy.trend == pytest.approx((100.0, 100 / 3))
    assert [d.text for d in buy.drags] == [
        "★ Checkout · CSAT 3.90, target 4.20 (0.30 pts below target)",
        "Shop · Conversion rate 20.0%, target 22.0% (2.0 pp below target)",
    ]
    assert buy.mot_text == "0 of 1 (0%)"
    # move: no earlier value, owner missing reads '–', never 'None'
    move = cards["move"]
    assert (move.health_text, move.change_text, move.change.text) == ("100 / 100", NO_EARLIER, None)
    assert move.owner == "–"
    # worst health first
    assert [c.journey_id for c in journey_cards(NOW, BEFORE, series, TOUCHPOINTS, JOURNEYS, REGISTRY)] == [
        "buy", "move"]


def test_health_series_per_month() -> None:
    series = pd.concat([BEFORE.assign(period_start=pd.Timestamp("2026-08-01")),
                        NOW.assign(period_start=pd.Timestamp("2026-09-01"))])
    out = health_series(series, TOUCHPOINTS)
    buy = out[out["journey_id"] == "buy"].sort_values("period_start")["health"].tolist()
    assert buy == pytest.approx([100.0, 100 / 3])


@pytest.mark.parametrize(
    ("kpi_id", "delta", "expected"),
    [
        ("nps", -32.9, "▼ 33 pts (worse)"),  # a score changes in points, never "-32.9 %"
        ("conversion_rate", 2.04, "▲ 2.0 pp (better)"),  # a percent in percentage points
        ("ces", -0.3, "▼ 0.30 pts (better)"),  # lower is better: a fall is better
        ("csat", -0.001, "no change (±0.00 pts)"),  # never "-0.00 (worse)"
        ("nps", 0.2, "no change (±0 pts)"),
        ("csat", None, NO_EARLIER),
        ("csat", float("nan"), NO_EARLIER),
    ],
)
def test_change_verdict(kpi_id: str, delta: float | None, expected: str) -> None:
    kpi = REGISTRY[kpi_id]
    assert change_verdict(delta, kpi.unit.value, kpi.scale, kpi.higher_is_better) == expected


def test_delta_shown_for_tiles() -> None:
    assert delta_shown(2.0, "percent", 100.0, True).text == "+2.0 pp"
    assert delta_shown(3, "count", 1.0, False).color == "inverse"  # more off target is worse
    zero = delta_shown(-0.001, "score", 1.0, True)
    assert (zero.text, zero.color, zero.arrow) == ("±0.00 pts", "off", "off")
    assert delta_shown(None, "score", 1.0, True).text is None


def test_min_sample_marks_values_from_too_few() -> None:
    frame = pd.DataFrame({"kpi_id": ["nps", "nps", "reach", "conversion_rate"],
                          "numerator": [4.0, 300.0, 900.0, 20.0], "denominator": [12.0, 1240.0, None, 99.0]})
    out = with_sample_sizes(frame, REGISTRY)
    # nps needs 30 responses: 12 is too few, 1,240 is not; reach is a sum: no sample;
    # conversion needs 100 customers: 99 is too few
    assert out["too_few"].tolist() == [True, False, False, True]
    assert out["sample_text"].tolist() == [
        "n = 12 responses, too few (fewer than 30)",
        "n = 1,240 responses",
        "",
        "n = 99 customers at the touchpoint, too few (fewer than 100)",
    ]
    assert np.isnan(out["sample_size"].iloc[2])
    assert "too_few" not in frame  # the input is not changed


def test_every_ratio_kpi_has_a_minimum_sample_and_the_readme_names_it() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for kpi in REGISTRY:
        if kpi.denominator:
            assert kpi.min_sample and kpi.min_sample > 0, kpi.kpi_id
            assert sample_text(kpi, kpi.min_sample - 1).endswith(f"(fewer than {kpi.min_sample})")
    assert "min_sample" in readme
