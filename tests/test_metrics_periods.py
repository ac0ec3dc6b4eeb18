"""metrics.periods: quarters, previous periods and last year; the dates are worked out in comments."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.model import Period
from metrics.periods import (
    PERIOD_CHOICES,
    parse_quarter,
    period_for,
    previous_period,
    quarter_of,
    quarters_between,
    same_period_last_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31), "2026Q1"),
        (D(2024, 2, 29), D(2024, 1, 1), D(2024, 3, 31), "2024Q1"),
        (D(2026, 6, 30), D(2026, 4, 1), D(2026, 6, 30), "2026Q2"),
        (D(2026, 8, 15), D(2026, 7, 1), D(2026, 9, 30), "2026Q3"),
        (D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31), "2026Q4"),
    ],
)
def test_quarter_of(day: dt.date, start: dt.date, end: dt.date, label: str) -> None:
    assert quarter_of(day) == Period(start, end, label)


@pytest.mark.parametrize("text", ["2026Q3", "2026-Q3", "2026 q3", " 2026q3 "])
def test_parse_quarter_accepts_common_spellings(text: str) -> None:
    assert parse_quarter(text) == Period(D(2026, 7, 1), D(2026, 9, 30), "2026Q3")


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "x", "", "26Q1", "2026", "Q3 2026", "2026Q3x"])
def test_parse_quarter_rejects_anything_else_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="write it like 2026Q3"):
        parse_quarter(text)


def test_previous_period_of_a_quarter_is_the_previous_quarter() -> None:
    # 2026Q1 -> 2025Q4, across the year boundary
    assert previous_period(parse_quarter("2026Q1")) == Period(D(2025, 10, 1), D(2025, 12, 31), "2025Q4")
    assert previous_period(parse_quarter("2026Q3")).label == "2026Q2"
    # a quarter-shaped Period without a label is still a quarter: 1 Apr - 30 Jun -> Q1 (90 days)
    assert previous_period(Period(D(2026, 4, 1), D(2026, 6, 30))).start == D(2026, 1, 1)


def test_previous_period_of_a_day_range_is_as_many_days_just_before() -> None:
    # 30 days 24 Oct - 22 Nov 2026 -> the 30 days 24 Sep - 23 Oct
    last_30 = Period(D(2026, 10, 24), D(2026, 11, 22))
    before = previous_period(last_30)
    assert (before.start, before.end, before.days) == (D(2026, 9, 24), D(2026, 10, 23), 30)
    # a month is not a quarter: February 2026 (28 days) -> 4 Jan - 31 Jan
    feb = previous_period(Period(D(2026, 2, 1), D(2026, 2, 28)))
    assert (feb.start, feb.end) == (D(2026, 1, 4), D(2026, 1, 31))
    # quarter to date (1 Oct - 22 Nov, 53 days) -> 9 Aug - 30 Sep
    qtd = previous_period(Period(D(2026, 10, 1), D(2026, 11, 22)))
    assert (qtd.start, qtd.end) == (D(2026, 8, 9), D(2026, 9, 30))


def test_same_period_last_year() -> None:
    assert same_period_last_year(parse_quarter("2026Q2")) == Period(D(2025, 4, 1), D(2025, 6, 30), "2025Q2")
    ytd = same_period_last_year(Period(D(2026, 1, 1), D(2026, 11, 22)))
    assert (ytd.start, ytd.end) == (D(2025, 1, 1), D(2025, 11, 22))
    # 29 February falls back to 28 February: Feb 2024 -> 1 - 28 Feb 2023
    leap = same_period_last_year(Period(D(2024, 2, 1), D(2024, 2, 29)))
    assert (leap.start, leap.end) == (D(2023, 2, 1), D(2023, 2, 28))
    # a range starting on 29 Feb starts on 28 Feb a year earlier
    assert same_period_last_year(Period(D(2024, 2, 29), D(2024, 3, 31))).start == D(2023, 2, 28)
    # 2024Q1 (with 29 Feb) -> 2023Q1 as a whole quarter
    assert same_period_last_year(parse_quarter("2024Q1")).end == D(2023, 3, 31)


AS_OF = D(2026, 11, 22)


@pytest.mark.parametrize(
    ("choice", "start", "end"),
    [
        ("last_30_days", D(2026, 10, 24), AS_OF),  # 22 Nov - 29 days
        ("last_90_days", D(2026, 8, 25), AS_OF),  # 22 Nov - 89 days: 8 (Nov) + 31 + 30 + 7 (25-31 Aug) = 90
        ("quarter_to_date", D(2026, 10, 1), AS_OF),
        ("last_quarter", D(2026, 7, 1), D(2026, 9, 30)),
        ("year_to_date", D(2026, 1, 1), AS_OF),
        ("last_365_days", D(2025, 11, 23), AS_OF),  # 22 Nov 2026 - 364 days
    ],
)
def test_period_for_each_choice(choice: str, start: dt.date, end: dt.date) -> None:
    period = period_for(choice, AS_OF)
    assert (period.start, period.end) == (start, end)
    assert period.label  # every choice has a label for captions


def test_period_for_labels_and_last_quarter_in_january() -> None:
    labels = dict(PERIOD_CHOICES)
    assert period_for("last_30_days", AS_OF).days == 30
    assert period_for("year_to_date", AS_OF).label == labels["year_to_date"]
    # last full quarter on 15 Jan 2026 is 2025Q4, labelled as such
    assert period_for("last_quarter", D(2026, 1, 15)) == Period(D(2025, 10, 1), D(2025, 12, 31), "2025Q4")
    # on a quarter's last day, quarter to date is that whole quarter
    assert period_for("quarter_to_date", D(2026, 9, 30)).start == D(2026, 7, 1)


def test_period_for_an_unknown_choice_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown period 'last_week'.*last_30_days"):
        period_for("last_week", AS_OF)


def test_quarters_between_newest_first_and_overlapping() -> None:
    quarters = quarters_between(D(2025, 11, 15), D(2026, 5, 2))
    # 15 Nov 2025 lies in 2025Q4 and 2 May 2026 in 2026Q2: three quarters overlap
    assert [q.label for q in quarters] == ["2026Q2", "2026Q1", "2025Q4"]
    assert [q.label for q in quarters_between(D(2026, 7, 1), D(2026, 7, 1))] == ["2026Q3"]
    # first after last (an empty range): no quarter
    assert quarters_between(D(2026, 7, 1), D(2026, 6, 30)) == []
