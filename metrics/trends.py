"""Trends against targets: series with the target of each period, last year's overlay, pacing
quarter-to-date and year-to-date, and comparisons with earlier periods.

Rules (also in README "Trends"):
- **Periods** start where the warehouse truncates dates (connectors/_sql_periods.py): weeks on
  Monday, months and quarters on their first day. A period's value is judged against the target
  in force on the period's *last* day (metrics/targets.py), also for the current, unfinished one.
- **Complete periods**: alerts and owner views use only periods that ended on or before ``as_of``,
  so a half-finished week is never compared with whole ones.
- **Same period last year overlay**: day and week series are shifted forward by 52 weeks (364
  days) so that weekdays line up; month, quarter and year series by one calendar year.
- **Pacing** (quarter-to-date, year-to-date): the KPI over the days from the start of the quarter
  (year) to ``as_of``, against the target in force on the last day of the quarter (year).
  Ratio KPIs are judged on the to-date value itself; sum KPIs on the *projection*
  ``to_date / elapsed_share`` (elapsed_share = elapsed days / days in the period), so a sum target
  is read as the target for the whole quarter (year).
- **Comparisons**: ``change = value - earlier``; ``pct_change = change / |earlier|`` with NaN when
  the earlier value is zero or missing (never infinity); ``improved`` is direction aware
  (a fall in a lower-is-better KPI is an improvement).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics.effectiveness import with_deltas
from metrics.formatting import MISSING, date_text, month_text, quarter_text
from metrics.i18n import N_, tr
from metrics.model import Direction, Grain, Period, Scope
from metrics.periods import quarter_of
from metrics.registry import KpiRegistry, kpi_directions
from metrics.targets import resolve_targets_on

__all__ = ["compare_periods", "complete_window", "last_year_overlay", "last_year_window", "period_end",
    "period_start_of", "period_text", "scope_chain", "scope_keys", "target_step_points", "to_date_periods",
    "GRAIN_TEXT", "grain_text", "SCOPE_TEXT", "scope_text", "TO_DATE_TEXT", "TREND_GRAINS",
    "with_period_targets"]

#: Grains a trend can be drawn at, in the order pages offer them.
TREND_GRAINS: tuple[Grain, ...] = (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER)

#: A grain as a word people read (shown with ``tr``: grain_text).
GRAIN_TEXT: dict[Grain, str] = {
    Grain.DAY: N_("day"), Grain.WEEK: N_("week"), Grain.MONTH: N_("month"), Grain.QUARTER: N_("quarter"),
    Grain.YEAR: N_("year"), Grain.PERIOD: N_("period"),
}
#: A scope as a word people read (shown with ``tr``: scope_text).
SCOPE_TEXT: dict[Scope, str] = {
    Scope.ALL: N_("all"), Scope.JOURNEY: N_("journey"), Scope.STAGE: N_("stage"),
    Scope.TOUCHPOINT: N_("touchpoint"), Scope.CHANNEL: N_("channel"),
}
#: The to-date periods of pacing (to_date_periods keys), as people read them ('QTD' in English,
#: 'Quartal bis heute' in German).
TO_DATE_TEXT: dict[str, str] = {"QTD": N_("QTD"), "YTD": N_("YTD")}


def grain_text(grain: Grain | str) -> str:
    """'month' / 'Monat': a grain in the current language."""
    return tr(GRAIN_TEXT[Grain(grain)])


def scope_text(scope: Scope | str | None) -> str:
    """'journey' / 'Journey': a target or breakdown scope in the current language ('' for none)."""
    if scope is None or (isinstance(scope, float) and scope != scope):
        return ""
    try:
        return tr(SCOPE_TEXT[Scope(scope)])
    except ValueError:
        return str(scope)

_OFFSETS: dict[Grain, pd.DateOffset] = {
    Grain.DAY: pd.DateOffset(days=1),
    Grain.WEEK: pd.DateOffset(weeks=1),
    Grain.MONTH: pd.DateOffset(months=1),
    Grain.QUARTER: pd.DateOffset(months=3),
    Grain.YEAR: pd.DateOffset(years=1),
}


def _offset(grain: Grain) -> pd.DateOffset:
    if grain not in _OFFSETS:
        raise ValueError(  # i18n: not shown (a programming error)
            f"grain {grain!r} has no fixed period length; use day, week, month or quarter")
    return _OFFSETS[grain]


def period_start_of(day: dt.date, grain: Grain) -> dt.date:
    """The first day of the period of ``grain`` that contains ``day`` (weeks start on Monday)."""
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    if grain is Grain.QUARTER:
        return quarter_of(day).start
    if grain is Grain.YEAR:
        return dt.date(day.year, 1, 1)
    raise ValueError(f"grain {grain!r} has no period start")  # i18n: not shown


def period_text(start: object, grain: Grain) -> str:
    """A period named for people (metrics.formatting): 'Q4 2026', 'Nov 2026', 'week of Nov 2, 2026',
    'Nov 2, 2026'."""
    if grain is Grain.QUARTER:
        return quarter_text(start)
    if grain is Grain.MONTH:
        return month_text(start)
    if grain is Grain.YEAR:
        day = pd.Timestamp(start)
        return MISSING if pd.isna(day) else str(day.year)
    if grain is Grain.WEEK:
        return tr("week of {date}").format(date=date_text(start))
    return date_text(start)


def period_end(start: dt.date, grain: Grain) -> dt.date:
    """The last day (inclusive) of the period of ``grain`` starting on ``start``."""
    return (pd.Timestamp(start) + _offset(grain) - pd.Timedelta(days=1)).date()


def complete_window(as_of: dt.date, grain: Grain, count: int) -> Period:
    """The last ``count`` complete periods of ``grain`` ending on or before ``as_of``."""
    if count < 1:
        raise ValueError("a window needs at least one period")  # i18n: not shown
    current = period_start_of(as_of, grain)
    last_start = current if period_end(current, grain) <= as_of else _shift(current, grain, -1)
    first_start = _shift(last_start, grain, -(count - 1))
    return Period(first_start, period_end(last_start, grain),
                  f"last {count} complete {grain.value}s")  # i18n: not shown (a name for code and logs)


def _shift(day: dt.date, grain: Grain, periods: int) -> dt.date:
    return (pd.Timestamp(day) + periods * _offset(grain)).date()


def with_period_targets(series: pd.DataFrame, targets: pd.DataFrame, grain: Grain) -> pd.DataFrame:
    """A copy of a value series with target, tolerance, stretch and target_scope per period.

    ``series`` has period_start, kpi_id and any scope keys (touchpoint_id, stage_id, journey_id);
    each period is judged against the targets in force on its last day.
    """
    return resolve_targets_on(series, targets, period_ends(series["period_start"], grain))


def period_ends(starts: pd.Series, grain: Grain) -> pd.Series:
    """The last day of each period of ``grain`` starting on ``starts`` (one computation per period)."""
    starts = pd.to_datetime(starts)
    codes, uniques = pd.factorize(starts)
    ends = [pd.Timestamp(period_end(start.date(), grain)) for start in uniques]
    if len(ends) == 0 or (codes < 0).any():  # a missing start: Series.map's own answer
        return starts.map(dict(zip(uniques, ends, strict=True)))
    # Taken by code: a map of 486,000 timestamps through a dict took 0.05 s (#19).
    return pd.Series(ends, name=starts.name).iloc[codes].set_axis(starts.index)


def last_year_overlay(series: pd.DataFrame, grain: Grain) -> pd.DataFrame:
    """Last year's series moved onto this year's time axis (see module docstring).

    Adds ``original_start`` (the real period start) and shifts ``period_start``.
    """
    out = series.copy()
    starts = pd.to_datetime(out["period_start"])
    out["original_start"] = starts
    if grain in (Grain.DAY, Grain.WEEK):
        out["period_start"] = starts + pd.Timedelta(days=364)
    else:
        out["period_start"] = starts + pd.DateOffset(years=1)
    return out


def to_date_periods(as_of: dt.date) -> dict[str, tuple[Period, Period]]:
    """{"QTD": (to-date period, whole quarter), "YTD": (to-date period, whole year)}."""
    quarter = quarter_of(as_of)
    year = Period(dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31), str(as_of.year))
    return {
        "QTD": (Period(quarter.start, as_of, f"{quarter.label} to date"), quarter),  # i18n: not shown
        "YTD": (Period(year.start, as_of, f"{year.label} to date"), year),  # i18n: not shown (TO_DATE_TEXT)
    }


def compare_periods(
    current: pd.DataFrame,
    earlier: dict[str, pd.DataFrame],
    keys: list[str],
    registry: KpiRegistry,
) -> pd.DataFrame:
    """Current values against earlier periods, one suffix per earlier frame.

    Every frame has ``keys`` (must include kpi_id) and value. For each suffix (e.g.
    "previous", "last_year") adds value_<s>, delta_<s>, pct_change_<s> and improved_<s>
    (True/False, None when either value is missing).
    """
    out = current.copy()
    higher = kpi_directions(out["kpi_id"], registry).eq(Direction.HIGHER_IS_BETTER.value)  # per KPI, #19
    for suffix, frame in earlier.items():
        out = with_deltas(out, frame, keys, suffix)
        before = out[f"value_{suffix}"].astype("float64")
        delta = out[f"delta_{suffix}"].astype("float64")
        out[f"pct_change_{suffix}"] = delta / before.abs().where(before != 0)
        better = np.where(higher.to_numpy(), delta > 0, delta < 0)
        improved = pd.Series(better, index=out.index, dtype="object")
        out[f"improved_{suffix}"] = improved.where(delta.notna(), None)
    return out


def scope_keys(scope: Scope, member: str | None, touchpoints: pd.DataFrame) -> dict[str, str]:
    """The journey_id / stage_id / touchpoint_id that a chosen scope member sits in, so the most
    specific target applies (a channel or "all" matches only targets of scope all)."""
    if scope is Scope.TOUCHPOINT:
        row = touchpoints[touchpoints["touchpoint_id"] == member].iloc[0]
        return {"touchpoint_id": str(member), "stage_id": str(row["stage_id"]),
                "journey_id": str(row["journey_id"])}
    if scope is Scope.STAGE:
        rows = touchpoints[touchpoints["stage_id"] == member]
        journey = {"journey_id": str(rows["journey_id"].iloc[0])} if not rows.empty else {}
        return {"stage_id": str(member), **journey}
    if scope is Scope.JOURNEY:
        return {"journey_id": str(member)}
    return {}


def scope_chain(keys: dict[str, str]) -> dict[Scope, str | None]:
    """scope_keys as the chain metrics.targets.target_steps expects."""
    named = {"touchpoint_id": Scope.TOUCHPOINT, "stage_id": Scope.STAGE, "journey_id": Scope.JOURNEY}
    return {named[k]: v for k, v in keys.items()}


def target_step_points(steps: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    """Target steps (metrics.targets.target_steps) as points for a step-after line and band.

    One point where each step starts, plus one on the last step's final day so the last step is
    drawn to the end. ``band_edge`` is the target moved by the tolerance to the *bad* side (below
    for higher-is-better, above for lower-is-better): the at-risk zone lies between the two.
    """
    if steps.empty:
        return pd.DataFrame(columns=["date", "target", "band_edge", "stretch", "target_scope"])
    columns = ["date", "target", "tolerance", "stretch", "target_scope"]
    points = steps.rename(columns={"start": "date"})[columns]
    last = steps.iloc[[-1]].rename(columns={"end": "date"})[list(points.columns)]
    points = pd.concat([points, last], ignore_index=True)
    sign = -1.0 if higher_is_better else 1.0
    points["band_edge"] = points["target"] + sign * points["tolerance"].fillna(0.0)
    points["date"] = pd.to_datetime(points["date"])
    return points[["date", "target", "band_edge", "stretch", "target_scope"]]


def last_year_window(window: Period, grain: Grain) -> Period:
    """The dates whose series, moved by ``last_year_overlay``, lands on ``window``."""
    if grain in (Grain.DAY, Grain.WEEK):
        shift = pd.Timedelta(days=364)
        return Period((pd.Timestamp(window.start) - shift).date(), (pd.Timestamp(window.end) - shift).date(),
                      N_("same period last year"))
    start = (pd.Timestamp(window.start) - pd.DateOffset(years=1)).date()
    end = (pd.Timestamp(window.end) - pd.DateOffset(years=1)).date()
    return Period(start, end, N_("same period last year"))
