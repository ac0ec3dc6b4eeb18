"""metrics.targets: which target is in force and which scope wins; dates written out in comments."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.model import Scope
from metrics.targets import kpis_with_targets, resolve_targets, target_steps, targets_in_force

D = dt.date


def targets_frame(rows: list[tuple]) -> pd.DataFrame:
    """A targets table from (kpi_id, scope, scope_id, valid_from, valid_to, target, tolerance,
    stretch) tuples, typed as connectors.queries.dimension_frame returns it; other tests use it."""
    frame = pd.DataFrame(rows, columns=["kpi_id", "scope", "scope_id", "valid_from", "valid_to",
                                        "target", "tolerance", "stretch"])
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


#: csat targets for all journeys that change between years, plus more specific ones.
TARGETS = targets_frame([
    ("csat", "all", None, D(2025, 1, 1), D(2025, 12, 31), 4.0, 0.2, 4.3),
    ("csat", "all", None, D(2026, 1, 1), None, 4.2, 0.2, 4.5),
    ("csat", "journey", "buy", D(2025, 1, 1), None, 4.1, 0.1, np.nan),
    ("csat", "stage", "buy.purchase", D(2026, 1, 1), None, 4.3, 0.15, np.nan),
    ("csat", "touchpoint", "tp_shop", D(2026, 1, 1), None, 4.5, 0.1, 4.8),
    ("nps", "all", None, D(2025, 1, 1), None, 30.0, 8.0, 45.0),
])


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 12, 31), []),  # before any valid_from
        (D(2025, 1, 1), [4.0, 4.1]),  # valid_from is inclusive
        (D(2025, 12, 31), [4.0, 4.1]),  # valid_to is inclusive
        (D(2026, 1, 1), [4.2, 4.1, 4.3, 4.5]),  # 2025 row closed; open-ended rows go on
        (D(2030, 6, 30), [4.2, 4.1, 4.3, 4.5]),
    ],
)
def test_targets_in_force_validity(on: dt.date, expected: list[float]) -> None:
    live = targets_in_force(TARGETS, on)
    assert sorted(live[live["kpi_id"] == "csat"]["target"].tolist()) == sorted(expected)


def test_targets_in_force_does_not_change_its_input() -> None:
    before = TARGETS.copy()
    targets_in_force(TARGETS, D(2026, 3, 1))
    pd.testing.assert_frame_equal(TARGETS, before)


def test_overlapping_rows_latest_start_wins() -> None:
    # Two open-ended rows for the same KPI and scope (a data fault): from 1 Jan (30) and from 1 Jul (35).
    overlapping = targets_frame([
        ("nps", "journey", "move", D(2026, 7, 1), None, 35.0, 8.0, np.nan),
        ("nps", "journey", "move", D(2026, 1, 1), None, 30.0, 8.0, np.nan),
    ])
    assert targets_in_force(overlapping, D(2026, 3, 31))["target"].tolist() == [30.0]  # only the first
    assert targets_in_force(overlapping, D(2026, 9, 30))["target"].tolist() == [35.0]  # later start wins
    values = pd.DataFrame({"kpi_id": ["nps"], "journey_id": ["move"]})
    assert resolve_targets(values, overlapping, D(2026, 9, 30))["target"].tolist() == [35.0]


def test_most_specific_scope_wins() -> None:
    values = pd.DataFrame({
        "kpi_id": ["csat", "csat", "csat", "csat", "nps"],
        "touchpoint_id": ["tp_shop", "tp_cart", "tp_call", "tp_mail", "tp_shop"],
        "stage_id": ["buy.purchase", "buy.purchase", "buy.research", "move.booking", "buy.purchase"],
        "journey_id": ["buy", "buy", "buy", "move", "buy"],
    })
    before = values.copy()
    out = resolve_targets(values, TARGETS, D(2026, 6, 30))
    # tp_shop has its own target; tp_cart falls to its stage; tp_call to its journey; tp_mail to "all";
    # nps has only an "all" target.
    assert out["target"].tolist() == [4.5, 4.3, 4.1, 4.2, 30.0]
    assert out["tolerance"].tolist() == [0.1, 0.15, 0.1, 0.2, 8.0]
    assert out["target_scope"].tolist() == ["touchpoint", "stage", "journey", "all", "all"]
    assert out["stretch"].iloc[0] == 4.8 and np.isnan(out["stretch"].iloc[1])
    assert out["target"].dtype == "float64"
    pd.testing.assert_frame_equal(values, before)


def test_past_quarter_keeps_the_target_in_force_then() -> None:
    values = pd.DataFrame({"kpi_id": ["csat"], "journey_id": ["move"]})
    # 2025Q4 is judged on its last day, 31 Dec 2025: the 2025 "all" target 4.0
    assert resolve_targets(values, TARGETS, D(2025, 12, 31))["target"].tolist() == [4.0]
    # the same journey in 2026Q1 meets the raised target 4.2
    assert resolve_targets(values, TARGETS, D(2026, 3, 31))["target"].tolist() == [4.2]


def test_values_aggregated_above_a_level_do_not_get_itstargets_frame() -> None:
    # journey-level values: no touchpoint_id or stage_id column, so tp_shop's and the stage's
    # targets cannot apply; the journey target does.
    journey_values = pd.DataFrame({"kpi_id": ["csat"], "journey_id": ["buy"]})
    out = resolve_targets(journey_values, TARGETS, D(2026, 6, 30))
    assert (out["target"].iloc[0], out["target_scope"].iloc[0]) == (4.1, "journey")
    # a null key on a row means the same thing for that row
    mixed = pd.DataFrame({"kpi_id": ["csat", "csat"], "touchpoint_id": [None, "tp_shop"]})
    out = resolve_targets(mixed, TARGETS, D(2026, 6, 30))
    assert out["target"].tolist() == [4.2, 4.5]
    # a KPI without any target gets NaN and no scope
    none = resolve_targets(pd.DataFrame({"kpi_id": ["ces"]}), TARGETS, D(2026, 6, 30))
    assert np.isnan(none["target"].iloc[0]) and none["target_scope"].iloc[0] is None


def test_target_steps_change_where_validity_changes_and_merge_equal_neighbours() -> None:
    chain = {Scope.TOUCHPOINT: "tp_other", Scope.STAGE: "buy.research", Scope.JOURNEY: "move"}
    steps = target_steps(TARGETS, "csat", chain, D(2025, 7, 1), D(2026, 6, 30))
    # 1 Jul - 31 Dec 2025: "all" 4.0; from 1 Jan 2026 (valid_from, and valid_to 31 Dec + 1 day): 4.2
    assert steps["start"].tolist() == [pd.Timestamp(2025, 7, 1), pd.Timestamp(2026, 1, 1)]
    assert steps["end"].tolist() == [pd.Timestamp(2025, 12, 31), pd.Timestamp(2026, 6, 30)]
    assert steps["target"].tolist() == [4.0, 4.2]
    assert steps["target_scope"].tolist() == ["all", "all"]


def test_target_steps_use_the_scope_chain_and_merge_unchanged_steps() -> None:
    chain = {Scope.TOUCHPOINT: "tp_cart", Scope.STAGE: "buy.purchase", Scope.JOURNEY: "buy"}
    steps = target_steps(TARGETS, "csat", chain, D(2025, 7, 1), D(2026, 6, 30))
    # 2025: the journey target 4.1 (beats "all" 4.0); 2026: the stage target 4.3
    assert steps["target"].tolist() == [4.1, 4.3]
    assert steps["target_scope"].tolist() == ["journey", "stage"]
    # Wholly inside 2026 nothing changes: one step from start to end.
    one = target_steps(TARGETS, "csat", chain, D(2026, 2, 1), D(2026, 5, 31))
    assert len(one) == 1
    assert (one["start"].iloc[0], one["end"].iloc[0]) == (pd.Timestamp(2026, 2, 1), pd.Timestamp(2026, 5, 31))
    # nps has one open target from 2025: a single step over the two years
    nps = target_steps(TARGETS, "nps", chain, D(2025, 1, 1), D(2026, 12, 31))
    assert nps["target"].tolist() == [30.0]


def test_target_steps_merge_neighbours_even_when_a_boundary_falls_inside() -> None:
    same = targets_frame([
        ("ces", "all", None, D(2025, 1, 1), D(2025, 12, 31), 2.8, 0.3, np.nan),
        ("ces", "all", None, D(2026, 1, 1), None, 2.8, 0.3, np.nan),  # renewed with the same numbers
        ("ces", "all", None, D(2026, 7, 1), None, 2.6, 0.3, np.nan),
    ])
    steps = target_steps(same, "ces", {}, D(2025, 6, 1), D(2026, 12, 31))
    # 1 Jun 2025 - 30 Jun 2026: 2.8 (two rows, one step); from 1 Jul 2026: 2.6 (latest start wins)
    assert steps["target"].tolist() == [2.8, 2.6]
    assert steps["end"].tolist() == [pd.Timestamp(2026, 6, 30), pd.Timestamp(2026, 12, 31)]


def test_target_steps_without_any_target_give_one_empty_step() -> None:
    steps = target_steps(TARGETS, "ces", {}, D(2026, 1, 1), D(2026, 3, 31))
    assert len(steps) == 1 and np.isnan(steps["target"].iloc[0])


def test_a_stray_scope_id_on_an_all_target_does_not_duplicate_rows() -> None:
    # Two "all" rows for csat (one with a scope_id it should not have): one value row stays one row,
    # and the row that started last (1 Mar, 4.1) wins.
    stray = targets_frame([
        ("csat", "all", None, D(2026, 1, 1), None, 4.0, 0.2, np.nan),
        ("csat", "all", "everything", D(2026, 3, 1), None, 4.1, 0.2, np.nan),
    ])
    out = resolve_targets(pd.DataFrame({"kpi_id": ["csat", "nps"]}), stray, D(2026, 6, 30))
    assert len(out) == 2
    assert out["target"].iloc[0] == 4.1 and np.isnan(out["target"].iloc[1])


def test_kpis_with_targets_are_those_with_a_target_in_force_on_some_day_of_the_range() -> None:
    targets = targets_frame([
        ("csat", "touchpoint", "tp_shop", D(2026, 3, 1), D(2026, 3, 31), 4.5, 0.1, 4.8),  # March 2026
        ("nps", "all", None, D(2025, 1, 1), D(2025, 12, 31), 30.0, 8.0, 45.0),  # 2025 only
        ("ces", "all", None, D(2026, 1, 1), None, np.nan, np.nan, np.nan),  # a row without a target
    ])
    assert kpis_with_targets(targets, D(2026, 1, 1), D(2026, 12, 31)) == {"csat"}
    assert kpis_with_targets(targets, D(2025, 12, 31), D(2026, 2, 28)) == {"nps"}
    assert kpis_with_targets(targets, D(2026, 4, 1), D(2026, 12, 31)) == set()
    assert kpis_with_targets(targets.iloc[:0], D(2026, 1, 1), D(2026, 12, 31)) == set()
