"""metrics.registry on hand-sized frames; the arithmetic is in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics.model import Aggregation, Direction, Unit
from metrics.registry import DEFAULT_KPIS, KpiDef, KpiRegistry, compute_values, default_registry

REGISTRY = default_registry()


def _kpi(kpi_id: str, unit: Unit, scale: float = 1.0) -> KpiDef:
    return KpiDef(kpi_id, kpi_id.title(), unit, Direction.HIGHER_IS_BETTER, Aggregation.RATIO, scale, "")


def test_ratio_kpi_is_sum_numerator_over_sum_denominator_times_scale() -> None:
    frame = pd.DataFrame({"kpi_id": ["conversion_rate", "csat"], "numerator": [30.0, 421.0],
                          "denominator": [120.0, 100.0]})
    values = compute_values(frame, REGISTRY)
    # conversion: 30 / 120 * 100 = 25.0 %; csat: 421 / 100 * 1 = 4.21
    assert values.tolist() == pytest.approx([25.0, 4.21])
    assert values.dtype == "float64"


def test_sum_kpi_is_the_numerator_and_ignores_the_denominator() -> None:
    frame = pd.DataFrame({"kpi_id": ["reach", "reach"], "numerator": [12340.0, 7.0],
                          "denominator": [np.nan, 0.0]})
    # reach = sum(numerator): 12340 and 7, whatever the denominator holds (NaN, 0)
    assert compute_values(frame, REGISTRY).tolist() == [12340.0, 7.0]


def test_nps_is_promoters_minus_detractors_over_responses_times_100() -> None:
    # 50 promoters, 20 passives, 30 detractors in 100 responses: (50 - 30) / 100 * 100 = +20
    # 10 promoters, 40 detractors in 80 responses: (10 - 40) / 80 * 100 = -37.5
    frame = pd.DataFrame({"kpi_id": ["nps", "nps"], "numerator": [50.0 - 30.0, 10.0 - 40.0],
                          "denominator": [100.0, 80.0]})
    assert compute_values(frame, REGISTRY).tolist() == pytest.approx([20.0, -37.5])


def test_zero_or_missing_denominator_gives_nan_never_inf_or_zero() -> None:
    frame = pd.DataFrame({
        "kpi_id": ["csat", "csat", "conversion_rate", "conversion_rate"],
        "numerator": [12.0, 12.0, 0.0, 5.0],
        "denominator": [0.0, None, 0.0, 10.0],
    })
    values = compute_values(frame, REGISTRY)
    # 12/0 -> NaN; 12/None -> NaN; 0/0 -> NaN; 5/10*100 = 50
    assert values.iloc[:3].isna().all()
    assert not np.isinf(values).any()
    assert values.iloc[3] == pytest.approx(50.0)


def test_compute_values_keeps_the_index_and_does_not_change_its_input() -> None:
    frame = pd.DataFrame({"kpi_id": ["csat", "reach"], "numerator": [8.0, 3.0], "denominator": [2.0, 0.0]},
                         index=[10, 20])
    before = frame.copy()
    values = compute_values(frame, REGISTRY)
    # csat 8 / 2 = 4.0; reach = 3
    assert values.to_dict() == {10: 4.0, 20: 3.0}
    pd.testing.assert_frame_equal(frame, before)


def test_compute_values_on_an_empty_frame() -> None:
    frame = pd.DataFrame({"kpi_id": [], "numerator": [], "denominator": []})
    values = compute_values(frame, REGISTRY)
    assert values.empty and values.dtype == "float64"


def test_compute_values_of_an_unknown_kpi_names_the_known_ones() -> None:
    frame = pd.DataFrame({"kpi_id": ["churn"], "numerator": [1.0], "denominator": [2.0]})
    with pytest.raises(KeyError, match="unknown KPI 'churn'.*reach"):
        compute_values(frame, REGISTRY)


@pytest.mark.parametrize(
    ("kpi", "value", "text"),
    [
        (_kpi("p", Unit.PERCENT, 100.0), 87.54, "87.5%"),
        (_kpi("c", Unit.COUNT), 12340.4, "12,340"),
        (_kpi("m", Unit.CURRENCY), 1234567.0, "€1,234,567"),
        (_kpi("s", Unit.SECONDS), 95.4, "95 s"),
        (_kpi("s", Unit.SECONDS), 1234.0, "1,234 s"),
        (_kpi("csat", Unit.SCORE, 1.0), 4.2149, "4.21"),
        (_kpi("nps", Unit.SCORE, 100.0), 20.4, "+20"),
        (_kpi("nps", Unit.SCORE, 100.0), -37.5, "-38"),  # format rounds half to even: -37.5 -> -38
        (_kpi("p", Unit.PERCENT, 100.0), None, "–"),
        (_kpi("p", Unit.PERCENT, 100.0), float("nan"), "–"),
    ],
)
def test_format_per_unit(kpi: KpiDef, value: float | None, text: str) -> None:
    assert kpi.format(value) == text


def test_unit_label_and_direction() -> None:
    assert [REGISTRY[k].unit_label for k in ("reach", "conversion_rate", "csat", "response_time")] == [
        "count", "%", "score", "s"]
    assert _kpi("m", Unit.CURRENCY).unit_label == "EUR"
    assert REGISTRY["csat"].higher_is_better
    assert not REGISTRY["ces"].higher_is_better


def test_registry_iterates_in_order_and_lists_headline_kpis() -> None:
    assert REGISTRY.ids() == tuple(k.kpi_id for k in DEFAULT_KPIS)
    assert len(REGISTRY) == len(DEFAULT_KPIS)
    assert "nps" in REGISTRY and "churn" not in REGISTRY
    assert REGISTRY.get("churn") is None
    assert [k.kpi_id for k in REGISTRY.headline()] == ["conversion_rate", "csat", "nps",
                                                      "first_contact_resolution"]


def test_duplicate_kpi_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="'csat' is defined twice"):
        KpiRegistry([REGISTRY["csat"], REGISTRY["nps"], REGISTRY["csat"]])


def test_unknown_id_key_error_lists_known_ones() -> None:
    small = KpiRegistry([REGISTRY["csat"], REGISTRY["nps"]])
    with pytest.raises(KeyError) as raised:
        small["churn"]
    assert "unknown KPI 'churn'; known KPIs: csat, nps" in str(raised.value)


def _kpis_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kpi_id", "name", "unit", "direction", "aggregation", "scale",
                                       "description"])


def test_from_frame_keeps_builtin_notes_and_accepts_new_kpis() -> None:
    frame = _kpis_frame([
        ("csat", "Satisfaction", "score", "higher_is_better", "ratio", 1.0, "1-5"),
        ("churn", "Churn", "percent", "lower_is_better", "ratio", 100.0, None),
        ("calls", "Calls", "count", "lower_is_better", "sum", np.nan, "inbound calls"),
    ])
    registry = KpiRegistry.from_frame(frame)
    assert registry.ids() == ("csat", "churn", "calls")
    csat = registry["csat"]
    assert (csat.name, csat.numerator, csat.lower, csat.upper, csat.headline) == (
        "Satisfaction", "sum of scores", 1, 5, True)
    churn = registry["churn"]
    assert (churn.unit, churn.direction, churn.description, churn.lower, churn.headline) == (
        Unit.PERCENT, Direction.LOWER_IS_BETTER, "", None, False)
    # a missing scale counts as 1
    assert math.isclose(registry["calls"].scale, 1.0)
    assert registry["calls"].aggregation is Aggregation.SUM


@pytest.mark.parametrize(
    "row",
    [
        ("churn", "Churn", "ratio_of_people", "lower_is_better", "ratio", 100.0, ""),  # bad unit
        ("churn", "Churn", "percent", "down", "ratio", 100.0, ""),  # bad direction
        ("churn", "Churn", "percent", "lower_is_better", "mean", 100.0, ""),  # bad aggregation
    ],
)
def test_from_frame_rejects_unknown_enums(row: tuple) -> None:
    with pytest.raises(ValueError):
        KpiRegistry.from_frame(_kpis_frame([row]))


def test_from_frame_rejects_duplicate_ids() -> None:
    row = ("csat", "CSAT", "score", "higher_is_better", "ratio", 1.0, "")
    with pytest.raises(ValueError, match="defined twice"):
        KpiRegistry.from_frame(_kpis_frame([row, row]))
