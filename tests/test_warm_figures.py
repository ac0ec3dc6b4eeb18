"""What warm page runs reuse instead of rebuilding (#19) reads exactly as before: numbers through
Babel's parsed patterns, tables' missing text marked a column at a time, the review's status labels
all coloured."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal

from metrics import formatting
from metrics.formatting import LANGUAGES, MISSING, current_language, number_text, set_language
from metrics.i18n import tr
from metrics.judgement import _texts, status_texts
from metrics.owners import recent_values
from metrics.status import Status
from ui.tables import _missing, readable, status_table

VALUES = [0.0, -0.0, 0.25, 0.35, 2.5, 3.5, -2.5, -0.05, 0.05, 0.049, 1e-9, -1e-9, 1234.5678, -98765.4321,
          1e12, 1e20, 17.0, 999.95, 2.675, 1.005, 0.125, 0.375]


@pytest.fixture(params=list(LANGUAGES))
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def _babel(value: float, decimals: int, signed: bool, locale: str) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=f"+{body};-{body}" if signed else body, locale=locale)


@pytest.mark.parametrize("decimals", [0, 1, 2])
@pytest.mark.parametrize("signed", [False, True])
def test_numbers_read_as_babel_formats_them(language: str, decimals: int, signed: bool) -> None:
    locale = LANGUAGES[language]
    rng = np.random.default_rng(7)
    randoms = [*rng.uniform(-1e7, 1e7, 3000), *np.round(rng.uniform(-1000, 1000, 3000), 3),
               *(rng.integers(-10**9, 10**9, 1000) / 8), *rng.integers(-10**6, 10**6, 200).tolist()]
    for value in [*VALUES, *randoms, math.inf, -math.inf]:
        expected = _babel(value, decimals, signed, locale)
        assert formatting._decimal_text(value, decimals, signed) == expected, value
    assert number_text(1234.5, 1) == ("1,234.5" if language == "en" else "1.234,5")
    assert number_text(-0.04, 1, signed=True).startswith("±")
    assert number_text(math.nan) == MISSING


def _readable_cell_by_cell(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(lambda v: MISSING if _missing(v) else v)
    return out


def test_missing_text_is_marked_as_cell_by_cell() -> None:
    frame = pd.DataFrame({
        "text": pd.array(["x", None, " NaN ", "none", "ok", "NaT", ""], dtype="string"),
        "default": pd.Series(["x", None, "nan", "a", "b", "c", " None"], dtype="str"),
        "mixed": pd.Series(["x", None, "nan", 1, [1], np.nan, "y"], dtype=object),
        "number": [1.0, np.nan, 2, 3, 4, 5, 6],
    })
    shown = readable(frame)
    pd.testing.assert_frame_equal(shown, _readable_cell_by_cell(frame))
    assert list(shown["text"]) == ["x", MISSING, MISSING, MISSING, "ok", MISSING, ""]


def test_status_table_puts_the_label_first() -> None:
    frame = pd.DataFrame({"name": ["A", None], "status": [Status.ON_TARGET.value, Status.OFF_TARGET.value],
                          "status_text": ["● On target", "▼ Off target"]})
    shown = status_table(frame, {"name": "Name"})
    assert list(shown.columns) == [tr("Status"), "Name"]
    assert shown[tr("Status")].tolist() == [["● On target"], ["▼ Off target"]]
    assert shown["Name"].tolist() == ["A", MISSING]


def _recent_values_per_group(series: pd.DataFrame, keys: list[str], periods: int) -> pd.DataFrame:
    starts = sorted(series["period_start"].unique())[-periods:]
    recent = series[series["period_start"].isin(starts)].sort_values("period_start")
    lists = recent.groupby(keys)["value"].agg(lambda v: [None if pd.isna(x) else float(x) for x in v])
    return lists.rename("trend").reset_index()


def test_recent_values_split_the_column_as_a_loop_per_series_did() -> None:
    rng = np.random.default_rng(1)
    rows = [(month, touchpoint, kpi, np.nan if rng.random() < 0.2 else rng.random())
            for touchpoint in ("t1", "t10", "t2", "b") for kpi in ("nps", "conversion")
            for month in pd.date_range("2025-01-01", periods=16, freq="MS") if rng.random() >= 0.2]
    series = pd.DataFrame(rows, columns=["period_start", "touchpoint_id", "kpi_id", "value"]).sample(
        frac=1, random_state=2)
    keys = ["touchpoint_id", "kpi_id"]
    pd.testing.assert_frame_equal(recent_values(series, keys, 13), _recent_values_per_group(series, keys, 13))
    assert recent_values(series.iloc[:0], keys, 13).empty


def test_status_labels_read_as_one_lookup_per_row_did() -> None:
    texts = _texts(current_language())
    statuses = [s.value for s in Status]
    rng = np.random.default_rng(0)
    shown = pd.Series(rng.choice([*statuses, "unknown"], 500), index=rng.permutation(500))
    for behind in (pd.Series(rng.choice(np.array([*statuses, None], dtype=object), 500), index=shown.index,
                             dtype=object),
                   pd.Series(rng.choice(statuses, 500), index=shown.index, dtype="str")):
        pairs = pd.Series(list(zip(shown.astype(str), behind.astype(str), strict=True)), index=shown.index,
                          dtype=object)
        pd.testing.assert_series_equal(status_texts(shown, behind), pairs.map(texts).astype("str"))
    assert status_texts(shown.iloc[:0], shown.iloc[:0]).empty
