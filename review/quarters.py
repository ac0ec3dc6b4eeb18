"""Quarter strings ("2026Q3") and the quarters a review compares with, from metrics.periods.

Only adds a named error type, so the CLI and the page can tell a bad quarter string from other
value errors, and review-specific names for the two comparison quarters.
"""

from __future__ import annotations

from metrics.model import Period
from metrics.periods import parse_quarter as _parse_quarter
from metrics.periods import previous_period, quarter_of, quarters_between, same_period_last_year

__all__ = ["QuarterError", "parse_quarter", "previous_quarter", "quarter_of", "quarters_between",
           "same_quarter_last_year"]


class QuarterError(ValueError):
    """A quarter string the review cannot read; the message says how to write one."""


def parse_quarter(text: str) -> Period:
    """'2026Q3' (also '2026-Q3', '2026q3') -> Period(2026-07-01, 2026-09-30, '2026Q3')."""
    try:
        return _parse_quarter(str(text))
    except ValueError:
        raise QuarterError(
            f"{text!r} is not a quarter. Write the year then Q1-Q4, for example 2026Q3."
        ) from None


def previous_quarter(quarter: Period) -> Period:
    return previous_period(quarter)


def same_quarter_last_year(quarter: Period) -> Period:
    return same_period_last_year(quarter)
