"""Quarter strings ("2026Q3"), the quarters a review can show, and the quarters it compares with.

The date arithmetic is metrics.periods; this adds a named error type, so the CLI and the page can
tell a bad quarter string from other value errors, review-specific names for the two comparison
quarters, and ``review_quarters``: the one list of quarters with data on or before ``as_of``.
"""

from __future__ import annotations

import datetime as dt

from connectors.queries import date_bounds
from connectors.warehouse import Warehouse
from metrics.i18n import tr
from metrics.model import Period
from metrics.periods import parse_quarter as _parse_quarter
from metrics.periods import previous_period, quarter_of, quarters_between, same_period_last_year

__all__ = ["QuarterError", "parse_quarter", "previous_quarter", "quarter_of", "quarters_between",
           "review_quarters", "same_quarter_last_year"]


class QuarterError(ValueError):
    """A quarter string the review cannot read; the message says how to write one."""


def parse_quarter(text: str) -> Period:
    """'2026Q3' (also '2026-Q3', '2026q3') -> Period(2026-07-01, 2026-09-30, '2026Q3')."""
    try:
        return _parse_quarter(str(text))
    except ValueError:
        raise QuarterError(
            tr("{text} is not a quarter. Write the year then Q1-Q4, for example 2026Q3.").format(
                text=repr(text))
        ) from None


def previous_quarter(quarter: Period) -> Period:
    return previous_period(quarter)


def same_quarter_last_year(quarter: Period) -> Period:
    return same_period_last_year(quarter)


def review_quarters(wh: Warehouse, as_of: dt.date | None) -> list[Period]:
    """The quarters a review can show on ``as_of``, newest first: from the first fact date to the
    last one on or before ``as_of``. Rows dated later (a mistyped year, planted future rows) add no
    quarter. Empty when the warehouse has no fact dated on or before ``as_of``. None counts every
    row, future-dated ones too: only for callers without a clock."""
    bounds = date_bounds(wh, not_after=as_of)
    return [] if bounds is None else quarters_between(*bounds)
