"""Periods and their comparisons: previous period, same period last year, quarters.

Pure date arithmetic; ``as_of`` is always passed in, never read from the clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from metrics.i18n import N_, tr
from metrics.model import Period

__all__ = ["parse_quarter", "PERIOD_CHOICES", "period_for", "previous_period", "quarter_of",
    "quarters_between", "same_period_last_year"]

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")

#: Period choices offered by pages, as (key, label); the key goes into the URL. The labels are
#: English (marked): show them (and a Period's ``label``) with ``tr(label)``.
PERIOD_CHOICES: tuple[tuple[str, str], ...] = (
    ("last_30_days", N_("Last 30 days")),
    ("last_90_days", N_("Last 90 days")),
    ("quarter_to_date", N_("Quarter to date")),
    ("last_quarter", N_("Last full quarter")),
    ("year_to_date", N_("Year to date")),
    ("last_365_days", N_("Last 12 months")),
)


def quarter_of(day: dt.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    return Period(start, end, f"{day.year}Q{(day.month - 1) // 3 + 1}")


def parse_quarter(text: str) -> Period:
    """'2026Q3' (also '2026-Q3', '2026 q3') -> that quarter; anything else raises ValueError."""
    match = _QUARTER.match(text or "")
    if not match:
        raise ValueError(tr("{text} is not a quarter; write it like 2026Q3.").format(text=repr(text)))
    year, quarter = int(match.group(1)), int(match.group(2))
    return quarter_of(dt.date(year, 3 * quarter - 2, 1))


def previous_period(period: Period) -> Period:
    """The period of the same kind just before: the previous quarter for a quarter, else the
    same number of days immediately before."""
    if _is_quarter(period):
        return quarter_of(period.start - dt.timedelta(days=1))
    end = period.start - dt.timedelta(days=1)
    return Period(end - dt.timedelta(days=period.days - 1), end, N_("previous period"))


def same_period_last_year(period: Period) -> Period:
    """The same dates one year earlier (29 February falls back to 28 February)."""
    if _is_quarter(period):
        return quarter_of(_minus_year(period.start))
    return Period(_minus_year(period.start), _minus_year(period.end), N_("same period last year"))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _is_quarter(period: Period) -> bool:
    q = quarter_of(period.start)
    return q.start == period.start and q.end == period.end


def period_for(choice: str, as_of: dt.date) -> Period:
    """The period a page choice (PERIOD_CHOICES key) means on ``as_of``."""
    labels = dict(PERIOD_CHOICES)
    if choice not in labels:
        raise ValueError(tr("unknown period {choice}; choose one of {choices}").format(
            choice=repr(choice), choices=", ".join(labels)))
    if choice.startswith("last_") and choice.endswith("_days"):
        days = int(choice.split("_")[1])
        return Period(as_of - dt.timedelta(days=days - 1), as_of, labels[choice])
    if choice == "quarter_to_date":
        return Period(quarter_of(as_of).start, as_of, labels[choice])
    if choice == "last_quarter":
        q = previous_period(quarter_of(as_of))
        return Period(q.start, q.end, q.label)
    return Period(dt.date(as_of.year, 1, 1), as_of, labels[choice])


def quarters_between(first: dt.date, last: dt.date) -> list[Period]:
    """Every quarter that overlaps [first, last], newest first."""
    quarters = []
    q = quarter_of(last)
    while q.end >= first:
        quarters.append(q)
        q = quarter_of(q.start - dt.timedelta(days=1))
    return quarters
