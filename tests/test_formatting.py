"""Numbers, money, changes and dates read the same everywhere, in English and German (Babel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from metrics.formatting import (
    change_text,
    count_text,
    date_text,
    kpi_change_text,
    kpi_value_text,
    money_text,
    month_text,
    number_text,
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


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="en, de"):
        set_language("fr")
