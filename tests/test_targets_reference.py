"""metrics.targets and metrics.trends.with_period_targets against a row-by-row reference.

The reference below applies the rules of README "Targets" one value row at a time, in plain
Python; the vectorised functions must give the same frame (columns, dtypes, index, order).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from metrics.model import TARGET_SCOPE_PRIORITY, Grain, Scope
from metrics.targets import SCOPE_KEY, resolve_targets, resolve_targets_on, target_steps
from metrics.trends import period_end, with_period_targets
from tests.test_metrics_targets import targets_frame

D = dt.date
TP, STAGE, JOURNEY, ALL = "touchpoint", "stage", "journey", "all"


#: Every rule at once: four scopes, targets that change mid-range, open ends, overlaps, a stray
#: scope_id on "all", a tie in start dates, a winner without a target number, and "reach" with
#: no target at all. csat is higher-is-better, ces lower-is-better.
TARGETS = targets_frame([
    ("csat", ALL, None, D(2025, 1, 1), D(2025, 12, 31), 4.0, 0.2, 4.3),
    ("csat", ALL, None, D(2026, 1, 1), None, 4.2, 0.2, 4.5),
    ("csat", ALL, "stray", D(2026, 4, 1), None, 4.25, 0.2, np.nan),  # started last: wins from April
    ("csat", JOURNEY, "buy", D(2025, 1, 1), None, 4.1, 0.1, np.nan),
    ("csat", JOURNEY, "buy", D(2026, 3, 1), D(2026, 5, 31), 4.15, 0.1, np.nan),  # overlaps for 3 months
    ("csat", STAGE, "buy.purchase", D(2026, 1, 1), None, 4.3, 0.15, np.nan),
    ("csat", TP, "tp_shop", D(2026, 1, 1), None, 4.5, 0.1, 4.8),
    ("csat", TP, "tp_cart", D(2026, 2, 1), None, np.nan, 0.1, np.nan),  # no number: the stage applies
    ("ces", ALL, None, D(2025, 1, 1), None, 3.0, 0.2, 2.7),
    ("ces", TP, "tp_call", D(2025, 6, 1), D(2026, 6, 30), 2.8, 0.1, np.nan),
    ("ces", TP, "tp_call", D(2025, 6, 1), None, 2.9, 0.1, np.nan),  # same start: the later row wins
    ("nps", JOURNEY, "move", D(2026, 1, 1), None, 30.0, 8.0, 45.0),
    ("nps", JOURNEY, "move", D(2026, 7, 1), None, 35.0, 8.0, 45.0),
])

#: (touchpoint_id, stage_id, journey_id); None where the value is aggregated above that level.
PLACES = [
    ("tp_shop", "buy.purchase", "buy"), ("tp_cart", "buy.purchase", "buy"),
    ("tp_call", "buy.research", "buy"), ("tp_mail", "move.booking", "move"),
    (None, "buy.purchase", "buy"), (None, None, "buy"), (None, None, "move"), (None, None, None),
]
MONTHS = pd.date_range("2024-12-01", "2026-12-01", freq="MS")


def _values() -> pd.DataFrame:
    rows = [
        {"period_start": month, "touchpoint_id": tp, "stage_id": stage, "journey_id": journey,
         "kpi_id": kpi, "value": 1.0}
        for month in MONTHS for tp, stage, journey in PLACES for kpi in ("csat", "ces", "nps", "reach")
    ]
    frame = pd.DataFrame(rows)
    order = np.random.default_rng(5).permutation(len(frame))
    return frame.iloc[order].set_axis(10_000 - order)  # shuffled rows and a label index


def _in_force(target: Any, day: pd.Timestamp) -> bool:
    return bool(target.valid_from <= day and (pd.isna(target.valid_to) or day <= target.valid_to))


def _reference_one(row: pd.Series, targets: pd.DataFrame, day: pd.Timestamp) -> tuple:
    for scope in TARGET_SCOPE_PRIORITY:
        key = SCOPE_KEY.get(scope)
        if key is not None and key not in row.index:
            continue
        found = [
            (t.valid_from, i, t) for i, t in enumerate(targets.itertuples(index=False))
            if t.kpi_id == row["kpi_id"] and t.scope == scope.value and not pd.isna(day) and _in_force(t, day)
            and (key is None or (pd.notna(row[key]) and t.scope_id == row[key]))
        ]
        if not found:
            continue
        best = max(found, key=lambda f: (f[0], f[1]))[2]  # latest start, then the later row
        if pd.isna(best.target):
            continue
        return best.target, best.tolerance, best.stretch, scope.value
    return np.nan, np.nan, np.nan, None


def _reference(values: pd.DataFrame, targets: pd.DataFrame, days: list[pd.Timestamp]) -> pd.DataFrame:
    rows = (row for _, row in values.iterrows())
    judged = [_reference_one(row, targets, day) for row, day in zip(rows, days, strict=True)]
    out = values.copy()
    for i, column in enumerate(("target", "tolerance", "stretch")):
        out[column] = pd.Series([j[i] for j in judged], index=out.index, dtype="float64")
    out["target_scope"] = pd.Series([j[3] for j in judged], index=out.index, dtype="object")
    return out


@pytest.mark.parametrize(
    "on", [D(2024, 12, 31), D(2025, 6, 1), D(2026, 1, 1), D(2026, 4, 15), D(2026, 9, 30)]
)
def test_resolve_targets_on_one_date_matches_the_reference(on: dt.date) -> None:
    values = _values()
    expected = _reference(values, TARGETS, [pd.Timestamp(on)] * len(values))
    pd.testing.assert_frame_equal(resolve_targets(values, TARGETS, on), expected)


def test_resolve_targets_on_each_rows_own_date_matches_the_reference() -> None:
    values = _values()
    days = [pd.Timestamp(d) - pd.Timedelta(days=1) + pd.DateOffset(months=1) for d in values["period_start"]]
    days[3] = pd.NaT  # a row without a date has no target
    expected = _reference(values, TARGETS, days)
    on = pd.Series(days, index=values.index)
    pd.testing.assert_frame_equal(resolve_targets_on(values, TARGETS, on), expected)
    with_column = values.assign(day=on)
    columns = [*with_column.columns, *expected.columns[-4:]]
    pd.testing.assert_frame_equal(resolve_targets_on(with_column, TARGETS, "day"),
                                  expected.assign(day=on)[columns])


@pytest.mark.parametrize("grain", [Grain.WEEK, Grain.MONTH, Grain.QUARTER])
def test_with_period_targets_matches_the_reference(grain: Grain) -> None:
    values = _values()
    if grain is Grain.WEEK:  # weeks start on Monday
        values = values.assign(period_start=values["period_start"] - pd.to_timedelta(
            values["period_start"].dt.day_of_week, unit="D"))
    elif grain is Grain.QUARTER:
        values = values[values["period_start"].dt.month.isin([1, 4, 7, 10])]
    days = [pd.Timestamp(period_end(d.date(), grain)) for d in values["period_start"]]
    expected = _reference(values, TARGETS, days)
    pd.testing.assert_frame_equal(with_period_targets(values, TARGETS, grain), expected)


def test_values_without_some_key_columns_match_the_reference() -> None:
    values = _values().drop(columns=["touchpoint_id", "stage_id"])
    on = D(2026, 4, 30)
    expected = _reference(values, TARGETS, [pd.Timestamp(on)] * len(values))
    pd.testing.assert_frame_equal(resolve_targets(values, TARGETS, on), expected)


def test_empty_values_and_empty_targets() -> None:
    empty = _values().iloc[:0]
    out = with_period_targets(empty, TARGETS, Grain.MONTH)
    assert list(out.columns[-4:]) == ["target", "tolerance", "stretch", "target_scope"]
    assert [str(t) for t in out.dtypes.iloc[-4:]] == ["float64", "float64", "float64", "object"]
    values = _values()
    none = resolve_targets(values, TARGETS.iloc[:0], D(2026, 1, 1))
    assert none["target"].isna().all() and none["target_scope"].isna().all()
    pd.testing.assert_index_equal(none.index, values.index)


def _reference_steps(
    kpi_id: str, chain: dict[Scope, str | None], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """target_steps one step at a time: the day after each change, resolved on its own."""
    rows = TARGETS[TARGETS["kpi_id"] == kpi_id]
    dates = {pd.Timestamp(start)}
    for column, shift in (("valid_from", 0), ("valid_to", 1)):
        for value in pd.to_datetime(rows[column]).dropna():
            if pd.Timestamp(start) < value + pd.Timedelta(days=shift) <= pd.Timestamp(end):
                dates.add(value + pd.Timedelta(days=shift))
    ordered = sorted(dates)
    probe = pd.Series({"kpi_id": kpi_id, **{SCOPE_KEY[s]: v for s, v in chain.items() if v is not None}})
    steps = []
    for i, moment in enumerate(ordered):
        last = ordered[i + 1] - pd.Timedelta(days=1) if i + 1 < len(ordered) else pd.Timestamp(end)
        target, tolerance, stretch, scope = _reference_one(probe, rows, moment)
        steps.append({"start": moment, "end": last, "target": target, "tolerance": tolerance,
                      "stretch": stretch, "target_scope": scope})
    frame = pd.DataFrame(steps)
    comparable = frame[["target", "tolerance", "stretch"]].fillna(float("-inf"))
    group = comparable.ne(comparable.shift()).any(axis=1).cumsum()
    first = frame.groupby(group).first().drop(columns="end")
    return first.assign(end=frame.groupby(group)["end"].last())[list(frame.columns)].reset_index(drop=True)


@pytest.mark.parametrize("kpi_id", ["csat", "ces", "nps", "reach"])
@pytest.mark.parametrize("place", PLACES[:5] + PLACES[-1:])
def test_target_steps_match_the_reference(kpi_id: str, place: tuple) -> None:
    chain = dict(zip((Scope.TOUCHPOINT, Scope.STAGE, Scope.JOURNEY), place, strict=True))
    got = target_steps(TARGETS, kpi_id, chain, D(2024, 11, 15), D(2026, 12, 31))
    pd.testing.assert_frame_equal(got, _reference_steps(kpi_id, chain, D(2024, 11, 15), D(2026, 12, 31)))
