"""metrics.owners: whose touchpoints, movers, quick wins and their reasons, on hand-sized frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.owners import (
    ROLE_MAP,
    ROLE_TOUCHPOINT,
    bands,
    biggest_movers,
    monthly_spend,
    owner_names,
    owner_touchpoints,
    pain_reasons,
    quick_wins,
)
from metrics.registry import default_registry

REGISTRY = default_registry()
JOURNEYS = pd.DataFrame({"journey_id": ["buy", "move"], "owner": ["Ana", "Ben"]})
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["tp_shop", "tp_call", "tp_mail"],
    "journey_id": ["buy", "buy", "move"],
    "name": ["Web shop", "Call centre", "Mailing"],
    "owner": ["Cleo", "Ana", None],
    "moment_of_truth": [True, True, False],
    "weight": [2.0, 1.0, 1.0],
})


def test_owner_touchpoints_and_roles() -> None:
    assert owner_names(JOURNEYS, TOUCHPOINTS) == ["Ana", "Ben", "Cleo"]
    ana = owner_touchpoints("Ana", JOURNEYS, TOUCHPOINTS).set_index("touchpoint_id")["role"]
    # Ana owns the buy map (both its touchpoints) and the call centre itself.
    assert ana.to_dict() == {"tp_shop": ROLE_MAP, "tp_call": ROLE_TOUCHPOINT}
    assert owner_touchpoints("Cleo", JOURNEYS, TOUCHPOINTS)["touchpoint_id"].tolist() == ["tp_shop"]
    assert owner_touchpoints("Nobody", JOURNEYS, TOUCHPOINTS).empty


def test_bands_fall_back_to_five_percent_of_target_then_one_unit() -> None:
    frame = pd.DataFrame({"target": [4.0, 40.0, np.nan], "tolerance": [0.2, 0.0, np.nan]})
    assert bands(frame).tolist() == pytest.approx([0.2, 2.0, 1.0])


def test_biggest_movers_rank_by_bands_and_respect_direction() -> None:
    compared = pd.DataFrame({
        "touchpoint_id": ["tp_shop", "tp_call", "tp_mail"],
        "kpi_id": ["csat", "ces", "nps"],
        "value": [4.0, 3.2, 12.0], "value_previous": [4.3, 3.0, 11.0],
        "target": [4.2, 3.0, 10.0], "tolerance": [0.1, 0.4, 5.0],
    })
    movers = biggest_movers(compared, REGISTRY, TOUCHPOINTS, top=2)
    # csat -0.3 / 0.1 = -3 bands; ces +0.2 worse (lower is better) / 0.4 = -0.5; nps +1/5 = +0.2
    assert movers["touchpoint_id"].tolist() == ["tp_shop", "tp_call"]
    assert movers["move"].tolist() == pytest.approx([-3.0, -0.5])
    assert movers.iloc[0]["reason"] == (
        "CSAT fell from 4.30 to 4.00 since the previous period: 3.0 tolerance widths worse")


def test_quick_wins_rank_by_weight_times_shortfall_per_cost_and_say_why() -> None:
    scored = pd.DataFrame({
        "touchpoint_id": ["tp_shop", "tp_call", "tp_mail", "tp_shop"],
        "kpi_id": ["csat", "first_contact_resolution", "csat", "nps"],
        "value": [4.0, 70.0, 3.0, 30.0], "target": [4.2, 80.0, 4.2, 20.0],
        "tolerance": [0.1, 5.0, 0.1, 5.0],
        "status": ["off_target", "off_target", "off_target", "on_target"],
        "gap": [-0.2, -10.0, -1.2, 10.0],
    })
    spend = pd.DataFrame({"touchpoint_id": ["tp_shop"], "monthly_spend": [4000.0]})
    wins = quick_wins(scored, TOUCHPOINTS, spend, REGISTRY)
    # tp_mail is no moment of truth and nps is on target: both left out.
    # tp_shop csat: weight 2 x (0.2 / 0.1 = 2 bands) / 4 (thousand EUR) = 1.0
    # tp_call: no spend -> score NaN, listed after, though weight 1 x 2 bands is as large.
    assert wins["touchpoint_id"].tolist() == ["tp_shop", "tp_call"]
    assert wins.iloc[0]["score"] == pytest.approx(1.0) and np.isnan(wins.iloc[1]["score"])
    assert "€4,000 a month" in wins.iloc[0]["reason"]
    assert "no spend recorded" in wins.iloc[1]["reason"]
    assert wins.iloc[1]["reason"].startswith("Moment of truth off target on First-contact resolution")


def test_monthly_spend_is_the_mean_over_months_with_spend() -> None:
    budget = pd.DataFrame({
        "month": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-01", "2026-10-01"]),
        "touchpoint_id": ["tp_shop", "tp_shop", "tp_shop", None],
        "actual": [1000.0, 2000.0, 1000.0, 9999.0],
    })
    # September 1000, October 2000 + 1000 = 3000 -> mean 2000; the journey-level row is left out.
    assert monthly_spend(budget).to_dict("records") == [{"touchpoint_id": "tp_shop", "monthly_spend": 2000.0}]


def test_pain_reasons() -> None:
    pain = pd.DataFrame({"kpi_id": ["csat"], "shortfall": [2.0], "moment_of_truth": [True],
                         "drop_off": [0.25]})
    assert pain_reasons(pain, REGISTRY).iloc[0] == (
        "CSAT is 2.0 tolerance widths below target at a moment of truth (counts double); "
        "25% of customers drop off after this stage")


def test_movers_leave_out_kpis_without_target() -> None:
    compared = pd.DataFrame({"touchpoint_id": ["tp_shop"], "kpi_id": ["reach"], "value": [900.0],
                             "value_previous": [100.0], "target": [np.nan], "tolerance": [np.nan]})
    assert biggest_movers(compared, REGISTRY, TOUCHPOINTS).empty
