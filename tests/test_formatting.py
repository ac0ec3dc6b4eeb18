"""Numbers, money, changes and dates read the same everywhere, in English and German (Babel)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from metrics.formatting import (
    change_text,
    count_text,
    date_text,
    kpi_change_text,
    kpi_change_texts,
    kpi_value_text,
    kpi_value_texts,
    money_text,
    month_text,
    number_text,
    number_texts,
    percent_text,
    quarter_text,
    set_language,
)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_language("en")


def test_english_formats() -> None:
    assert number_text(1234.5, 1) == "1,234.5"
    assert percent_text(25.34) == "25.3%"
    assert money_text(11022, signed=True) == "+€11,022"
    assert money_text(-250) == "-€250"
    assert money_text(1_530_000, compact=True) == "€1.5M"
    assert count_text(1_534_000, compact=True) == "1.5M"
    assert kpi_value_text(32.4, "score", 100) == "+32"
    assert kpi_value_text(4.213, "score", 5) == "4.21"
    assert kpi_change_text(2, "percent") == "+2.0 pp"
    assert kpi_change_text(-32.9, "score", 100) == "-33 pts"
    assert date_text(dt.date(2026, 11, 22)) == "Nov 22, 2026"
    assert month_text(dt.date(2026, 11, 22)) == "Nov 2026"
    assert quarter_text(dt.date(2026, 11, 22)) == "Q4 2026"


def test_german_formats() -> None:
    set_language("de")
    assert number_text(1234.5, 1) == "1.234,5"
    assert date_text(dt.date(2026, 11, 22)) == "22.11.2026"
    assert money_text(11022, signed=True) == "+11.022\u00a0€"
    assert kpi_change_text(2, "percent") == "+2,0 Pp."


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_reads_as_a_dash_never_none_or_nan(value: float | None) -> None:
    for text in (number_text(value), percent_text(value), money_text(value), change_text(value, "score"),
                 kpi_value_text(value, "percent"), date_text(value)):
        assert text == "–"


def test_no_negative_zero() -> None:
    assert change_text(-0.004, "score") == "±0.00 pts"
    assert number_text(-0.01, 1) == "0.0"
    assert kpi_value_text(-0.2, "score", 100) == "0"
    assert money_text(-0.3) == "€0"


@pytest.mark.parametrize("value", [-0.05, 0.05, -0.25, -0.0049999])
def test_a_value_on_a_rounding_tie_is_zero_as_its_text_says(value: float) -> None:
    """-0.05 at one decimal rounds half to even to zero in its text, while float ``round`` says -0.1:
    the zero test follows the text, so it reads '0.0' / '±0.0', never '-0.0' or '+0.0'."""
    decimals = 1 if abs(value) < 0.1 else 0
    assert number_text(value, decimals) == "0" + (".0" if decimals else "")
    assert number_text(value, decimals, signed=True).startswith("±")
    assert number_texts([value], decimals, signed=True) == [number_text(value, decimals, signed=True)]
    assert percent_text(-0.05) == "0.0%"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="en, de"):
        set_language("fr")


def _column_values() -> list[float]:
    rng = np.random.default_rng(19)
    ties = [0.05, -0.05, 0.005, 0.015, 2.5, -2.5, 0.5, 1.005, 2.675, 999.95, 9999.5, 0.049, 1e-9, -1e-9]
    return [0.0, -0.0, math.nan, None, 1e12, 1e20, *ties, *rng.uniform(-1e6, 1e6, 300),
            *np.round(rng.uniform(-100, 100, 300), 2) + 0.005, *np.round(rng.uniform(-10, 10, 300), 1) + 0.05,
            *rng.normal(0, 1, 300), *np.repeat(rng.uniform(0, 5, 5), 4)]


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_column_reads_as_each_of_its_values(language: str) -> None:
    """The column-wise functions give the very strings of the value-by-value ones (#19)."""
    set_language(language)
    values = _column_values()
    floats = pd.Series([np.nan if v is None else v for v in values], dtype=float)
    odd = pd.Series([None, 1.5, np.nan, Decimal("2.675"), 3, pd.NA, "x"], dtype=object)
    for column in (floats, floats.to_numpy(), values, odd):
        items: list[float] = column if isinstance(column, list) else column.tolist()  # as a Series gives
        for unit in ("percent", "count", "seconds", "score"):
            for scale in (1.0, 5.0, 100.0):
                for compact in (False, True):
                    assert kpi_value_texts(column, unit, scale, compact) == [
                        kpi_value_text(v, unit, scale, compact) for v in items]
                assert kpi_change_texts(column, unit, scale) == [
                    kpi_change_text(v, unit, scale) for v in items]
        for decimals in (0, 1, 2):
            for signed in (False, True):
                assert number_texts(column, decimals, signed) == [
                    number_text(v, decimals, signed) for v in items]
    infinite = [math.inf, -math.inf, 1.5]
    assert number_texts(infinite, 1, True) == [number_text(v, 1, True) for v in infinite]
    finite = floats[np.isfinite(floats)]
    assert kpi_value_texts(finite, "currency") == [kpi_value_text(v, "currency") for v in finite]
    assert kpi_change_texts(finite, "currency") == [kpi_change_text(v, "currency") for v in finite]
