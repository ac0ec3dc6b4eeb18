"""Warehouse-side profiles: grouped aggregate queries whose small results are the checks' evidence.

Great Expectations' SQL engine is broken on DuckDB and very slow on SQLite (docs/design.md), so the
warehouse does the heavy part for every dialect: one grouped query per fact table gives a profile
per (touchpoint, KPI) or (journey, stage) with row counts, duplicate keys, latest date and the
number of rows breaking each row rule. Rules are SQLAlchemy Core predicates over the ``Warehouse``
tables with bound parameters; the same predicate fetches a bounded sample of failing rows.

Each query has a ``*_statement`` builder that needs no connection (tests/test_sql_snapshots.py
compiles every one per dialect) and a function that runs it. What a rule or column means to the
checks (which check id it feeds, what it untrusts) is decided in checks/, not here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.queries import date_bounds_statement, dimension_statement, read_frame
from connectors.warehouse import Warehouse, WarehouseError
from metrics.model import TABLES, Aggregation, Unit
from metrics.registry import KpiRegistry

__all__ = ["budget_profile", "budget_profile_statement", "daily_counts", "daily_counts_statement",
    "dimension_rows", "duplicate_fact_rows", "duplicate_keys_profile", "duplicate_keys_profile_statement",
    "duplicate_keys_statement", "DUPLICATE_SPAN", "fact_profile", "fact_profile_statement",
    "fact_rule_profile", "FACT_RULE_SPANS", "FACT_RULES", "fact_rules", "failing_fact_rows_statement",
    "funnel_profile", "funnel_profile_statement", "latest_date", "latest_date_statement", "row_count",
    "row_count_statement", "sample_fact_rows"]

#: Relative slack on value bounds, so that a CSAT of exactly 5.0 stored as 4.9999999/1 passes.
_BOUND_SLACK = 1e-9

#: Fact-row rules (profile count columns), each with the profile columns holding the first and
#: last date of the rows breaking it. Written out: labels are fixed names, never built from text.
FACT_RULE_SPANS: dict[str, tuple[str, str]] = {
    "bad_keys": ("bad_keys_from", "bad_keys_to"),
    "out_of_range": ("out_of_range_from", "out_of_range_to"),
    "rate_above_100": ("rate_above_100_from", "rate_above_100_to"),
    "bad_denominator": ("bad_denominator_from", "bad_denominator_to"),
    "future_rows": ("future_rows_from", "future_rows_to"),
}
FACT_RULES: tuple[str, ...] = tuple(FACT_RULE_SPANS)
#: First and last date of a (touchpoint, KPI)'s duplicate keys, added to the fact profile.
DUPLICATE_SPAN: tuple[str, str] = ("duplicate_from", "duplicate_to")
#: Longest span of fact dates (first to last, in days) for which DuckDB counts each (touchpoint,
#: KPI)'s distinct dates with a bitstring in the fact profile's own scan: one bit per day of the span
#: per group (at most 512 bytes; 274 for the benchmark warehouses' six years, 15 MB for the 55,000
#: groups at 100 M rows). Longer spans, and other databases, find duplicate keys with their own
#: grouped statement.
DISTINCT_DATES_MAX_SPAN = 4_096
#: The fact profile's helper columns for counting distinct dates (``fact_profile_statement`` with
#: ``dates``); not part of the profile's frame.
_DATE_COUNTS = ("dated_rows", "dated_in_span", "distinct_dates")
#: Most duplicated rows whose keys ``_duplicates_of`` reads to date them; above it (a load repeated
#: whole, say) the duplicate keys are grouped in the warehouse instead of read into Python.
DUPLICATE_KEYS_READ_MAX = 50_000


def _next_day(as_of: dt.date) -> dt.date:
    return as_of + dt.timedelta(days=1)


def fact_rules(wh: Warehouse, registry: KpiRegistry, as_of: dt.date) -> dict[str, sa.ColumnElement[bool]]:
    """Row predicates over touchpoint_kpis, true for a row that breaks the rule (keys: FACT_RULES)."""
    f = wh.table("touchpoint_kpis")
    num, den = f.c.numerator, f.c.denominator
    range_clauses: list[sa.ColumnElement[bool]] = []
    for kpi in registry:
        outside: list[sa.ColumnElement[bool]] = []
        if kpi.aggregation is Aggregation.RATIO:
            scaled = num * float(kpi.scale)
            if kpi.lower is not None:
                outside.append(scaled < den * (float(kpi.lower) - _BOUND_SLACK))
            if kpi.upper is not None:
                outside.append(scaled > den * (float(kpi.upper) + _BOUND_SLACK))
            if outside:
                range_clauses.append(sa.and_(f.c.kpi_id == kpi.kpi_id, den > 0, sa.or_(*outside)))
        else:
            if kpi.lower is not None:
                outside.append(num < float(kpi.lower))
            if kpi.upper is not None:
                outside.append(num > float(kpi.upper))
            if outside:
                range_clauses.append(sa.and_(f.c.kpi_id == kpi.kpi_id, sa.or_(*outside)))
    ratio_ids = [k.kpi_id for k in registry if k.aggregation is Aggregation.RATIO]
    percent_ids = [
        k.kpi_id for k in registry if k.unit is Unit.PERCENT and k.aggregation is Aggregation.RATIO
    ]
    return {
        "bad_keys": sa.or_(f.c.date.is_(None), f.c.touchpoint_id.is_(None), f.c.kpi_id.is_(None)),
        "out_of_range": sa.or_(*range_clauses) if range_clauses else sa.false(),
        "rate_above_100": sa.and_(f.c.kpi_id.in_(percent_ids), den > 0, num > den),
        "bad_denominator": sa.and_(f.c.kpi_id.in_(ratio_ids), sa.or_(den.is_(None), den <= 0)),
        "future_rows": f.c.date >= _next_day(as_of),
    }


def _count_where(clause: sa.ColumnElement[bool], label: str) -> sa.ColumnElement[Any]:
    return sa.func.sum(sa.case((clause, 1), else_=0)).label(label)


def _dates_where(
    clause: sa.ColumnElement[bool], date: sa.ColumnElement[Any], span: tuple[str, str]
) -> list[Any]:
    """First and last date of the rows breaking a rule, labelled with the rule's span columns."""
    return [
        sa.func.min(sa.case((clause, date))).label(span[0]),
        sa.func.max(sa.case((clause, date))).label(span[1]),
    ]


def fact_profile_statement(
    wh: Warehouse, registry: KpiRegistry, as_of: dt.date, dates: tuple[dt.date, dt.date] | None = None
) -> sa.Select[Any]:
    """The grouped select behind ``fact_profile`` (without the duplicate keys).

    Each rule's predicate is evaluated once per row, as a 0/1 flag in a derived table; the groups
    then sum the flags and take the first and last date where a flag is set (the predicates
    written out three times each cost about twice as much on DuckDB).

    With ``dates`` (DuckDB only: the fact table's first and last date, read just before), each group
    also counts its dated rows (``dated_rows``), those inside ``dates`` (``dated_in_span``) and their
    distinct dates (``distinct_dates``: the set bits of a bitstring with one bit per day of ``dates``),
    so duplicate keys are found in the same scan instead of a grouping of every row by its keys."""
    f = wh.table("touchpoint_kpis")
    rules = fact_rules(wh, registry, as_of)
    flagged = sa.select(
        f.c.touchpoint_id.label("touchpoint_id"),
        f.c.kpi_id.label("kpi_id"),
        f.c.date.label("date"),
        f.c.numerator.label("numerator"),
        f.c.denominator.label("denominator"),
        *(sa.case((clause, 1), else_=0).label(name) for name, clause in rules.items()),
    ).subquery("flagged")
    date = flagged.c.date
    keys = [flagged.c.touchpoint_id.label("touchpoint_id"), flagged.c.kpi_id.label("kpi_id")]
    return sa.select(
        *keys,
        sa.func.count().label("rows"),
        # Compared with the monthly KPI summary's (checks/_summary.py): no scan of its own.
        sa.func.sum(flagged.c.numerator).label("numerator_sum"),
        sa.func.sum(flagged.c.denominator).label("denominator_sum"),
        sa.func.min(date).label("first_date"),
        sa.func.max(sa.case((date < _next_day(as_of), date))).label("latest_date"),
        *(sa.func.sum(flagged.c[name]).label(name) for name in rules),
        *(c for name in rules for c in _dates_where(flagged.c[name] == 1, date, FACT_RULE_SPANS[name])),
        *(_date_counts(date, dates) if dates is not None else ()),
    ).group_by(flagged.c.touchpoint_id, flagged.c.kpi_id)


def _date_counts(date: sa.ColumnElement[Any], dates: tuple[dt.date, dt.date]) -> list[Any]:
    """``_DATE_COUNTS`` for ``fact_profile_statement`` (DuckDB's ``bitstring_agg``, whose range must
    be constants: whole numbers written into the SQL; the first date is a bound value)."""
    first, last = dates
    inside = sa.and_(date >= first, date <= last)
    bits: sa.ColumnElement[Any] = sa.literal_column(str(int((last - first).days)))  # an int: safe in SQL
    offset = sa.case((inside, date - sa.cast(sa.literal(first, sa.Date), sa.Date)))
    return [
        sa.func.count(date).label(_DATE_COUNTS[0]),
        sa.func.count(sa.case((inside, 1))).label(_DATE_COUNTS[1]),
        sa.func.bit_count(sa.func.bitstring_agg(offset, sa.literal_column("0"), bits)).label(_DATE_COUNTS[2]),
    ]


def fact_profile(wh: Warehouse, registry: KpiRegistry, as_of: dt.date) -> pd.DataFrame:
    """One row per (touchpoint_id, kpi_id): rows, numerator_sum, denominator_sum, duplicate_rows,
    first/latest date, rule counts,
    and for each rule (and duplicates) the first and last date of the rows breaking it
    (``<rule>_from``, ``<rule>_to``): what lets trust be scoped by date (checks/README.md).

    On DuckDB, when the fact dates span at most ``DISTINCT_DATES_MAX_SPAN`` days, one scan finds the
    (touchpoint, KPI)s with duplicate keys (``fact_profile_statement`` with ``dates``) and only their
    touchpoints' keys are then grouped (``duplicate_keys_statement``); otherwise, and whenever a count
    does not add up (a row dated outside the span read first) or that statement fails, the profile
    without them and ``duplicate_keys_profile``: the same frame either way."""
    dates = _fact_date_span(wh)
    counted = None
    if dates is not None:
        try:
            counted = read_frame(wh, fact_profile_statement(wh, registry, as_of, dates))
        except WarehouseError:  # e.g. too many groups for the bitstrings in DuckDB's memory limit
            counted = None
    if counted is None:
        frame = _with_duplicates(fact_rule_profile(wh, registry, as_of), duplicate_keys_profile(wh))
    else:
        frame = _with_duplicates(counted.drop(columns=list(_DATE_COUNTS)), _duplicates_of(wh, counted))
    spans = tuple(column for span in (*FACT_RULE_SPANS.values(), DUPLICATE_SPAN) for column in span)
    return _typed(
        frame,
        dates=("first_date", "latest_date", *spans),
        counts=("rows", "duplicate_rows", *FACT_RULES),
    )


def fact_rule_profile(wh: Warehouse, registry: KpiRegistry, as_of: dt.date) -> pd.DataFrame:
    """The rows of ``fact_profile_statement``, untyped."""
    return read_frame(wh, fact_profile_statement(wh, registry, as_of))


def _fact_date_span(wh: Warehouse) -> tuple[dt.date, dt.date] | None:
    """The fact table's first and last date, when distinct dates are to be counted in the profile's
    scan (DuckDB, a span of at most ``DISTINCT_DATES_MAX_SPAN`` days); else None."""
    if wh.engine.dialect.name != "duckdb":
        return None
    bounds = read_frame(wh, date_bounds_statement(wh))
    first, last = bounds.iloc[0, 0], bounds.iloc[0, 1]
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return None
    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    return (first, last) if (last - first).days < DISTINCT_DATES_MAX_SPAN else None


def _duplicates_of(wh: Warehouse, counted: pd.DataFrame) -> pd.DataFrame:
    """What ``duplicate_keys_profile`` gives, from a profile with ``_DATE_COUNTS``: the groups whose
    dated rows outnumber their distinct dates, with the first and last duplicated date from their
    touchpoints' duplicate keys (a group without a touchpoint gets its count and no dates, which is
    all ``_with_duplicates`` keeps of it). Falls back to ``duplicate_keys_profile`` when a dated row
    lies outside the span or the two counts disagree."""
    dated, in_span, distinct = (
        pd.to_numeric(counted[c], errors="coerce").fillna(0).astype("int64") for c in _DATE_COUNTS
    )
    if (dated != in_span).any():
        return duplicate_keys_profile(wh)
    extra = dated - distinct
    if int(extra.sum()) > DUPLICATE_KEYS_READ_MAX:
        return duplicate_keys_profile(wh)
    doubled = counted.loc[extra > 0, ["touchpoint_id", "kpi_id"]].assign(duplicate_rows=extra[extra > 0])
    columns = ["touchpoint_id", "kpi_id", "duplicate_rows", *DUPLICATE_SPAN]
    if doubled.empty:
        return pd.DataFrame(columns=columns)
    touchpoints = sorted(set(doubled["touchpoint_id"].dropna().tolist()), key=str)
    found = pd.DataFrame(columns=[*columns[:2], "date", "copies"])
    if touchpoints:
        # Every duplicate key of these touchpoints: each adds at least one to ``extra``, and each of
        # their groups has at most one key without a date, which is dropped here.
        groups = int(counted["touchpoint_id"].isin(touchpoints).sum())
        found = duplicate_fact_rows(wh, touchpoints, int(extra.sum()) + groups)
        found = found[found["date"].notna()]
    found = found.assign(extra=pd.to_numeric(found["copies"]) - 1, date=pd.to_datetime(found["date"]))
    spans = found.groupby(["touchpoint_id", "kpi_id"], sort=False, dropna=False).agg(
        found_rows=("extra", "sum"), duplicate_from=("date", "min"), duplicate_to=("date", "max")
    ).reset_index()
    named = doubled[doubled["touchpoint_id"].notna()]
    merged = named.merge(spans, on=["touchpoint_id", "kpi_id"], how="outer")
    if len(merged) != len(named) or (merged["found_rows"] != merged["duplicate_rows"]).any():
        return duplicate_keys_profile(wh)
    unnamed = doubled[doubled["touchpoint_id"].isna()].assign(duplicate_from=None, duplicate_to=None)
    return pd.concat([merged[columns], unnamed[columns]], ignore_index=True)


def duplicate_keys_profile(wh: Warehouse) -> pd.DataFrame:
    """The rows of ``duplicate_keys_profile_statement``, untyped."""
    return read_frame(wh, duplicate_keys_profile_statement(wh))


def duplicate_keys_profile_statement(wh: Warehouse) -> sa.Select[Any]:
    """Per (touchpoint, KPI) with a (date, touchpoint, KPI) key loaded more than once: the extra
    rows (``duplicate_rows``, what ``count(date) - count(DISTINCT date)`` gives) and the first and
    last duplicated date. Only those groups come back: a clean warehouse gets no rows.

    DuckDB first finds candidate keys grouped by a 64-bit hash of (touchpoint, KPI) and the date,
    which is much cheaper than grouping 100 M rows by two strings and a date; only the fact rows
    of a candidate (hash, date) are then grouped by their real keys, so a hash collision cannot
    add a duplicate."""
    f = wh.table("touchpoint_kpis")
    source: Any = f
    if wh.engine.dialect.name == "duckdb":
        key_hash = sa.func.hash(f.c.touchpoint_id, f.c.kpi_id)
        candidates = (
            sa.select(key_hash.label("key_hash"), f.c.date.label("date"))
            .where(f.c.date.is_not(None))
            .group_by(key_hash, f.c.date)
            .having(sa.func.count() > 1)
            .subquery("candidates")
        )
        source = f.join(
            candidates, sa.and_(key_hash == candidates.c.key_hash, f.c.date == candidates.c.date)
        )
    doubled = (
        sa.select(
            f.c.touchpoint_id.label("touchpoint_id"),
            f.c.kpi_id.label("kpi_id"),
            f.c.date.label("date"),
            sa.func.count().label("copies"),
        )
        .select_from(source)
        .where(f.c.date.is_not(None))
        .group_by(f.c.touchpoint_id, f.c.kpi_id, f.c.date)
        .having(sa.func.count() > 1)
        .subquery("doubled")
    )
    return sa.select(
        doubled.c.touchpoint_id,
        doubled.c.kpi_id,
        sa.func.sum(doubled.c.copies - 1).label("duplicate_rows"),
        sa.func.min(doubled.c.date).label(DUPLICATE_SPAN[0]),
        sa.func.max(doubled.c.date).label(DUPLICATE_SPAN[1]),
    ).group_by(doubled.c.touchpoint_id, doubled.c.kpi_id)


def _with_duplicates(profile: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """The profile with ``duplicate_rows`` (0 where none) and ``duplicate_from`` / ``duplicate_to``.
    A group without a touchpoint id keeps its count but no dates (no touchpoint to scope)."""
    for column in ("touchpoint_id", "kpi_id"):
        duplicates[column] = duplicates[column].astype(profile[column].dtype)
    merged = profile.merge(duplicates, on=["touchpoint_id", "kpi_id"], how="left")
    merged.loc[merged["touchpoint_id"].isna(), list(DUPLICATE_SPAN)] = None
    columns = list(profile.columns)  # duplicate_rows after rows, the spans last, as they always were
    columns.insert(columns.index("rows") + 1, "duplicate_rows")
    return merged[[*columns, *DUPLICATE_SPAN]]


def funnel_profile_statement(wh: Warehouse, as_of: dt.date) -> sa.Select[Any]:
    """The grouped select behind ``funnel_profile``."""
    fu = wh.table("funnel")
    keys = [fu.c.journey_id.label("journey_id"), fu.c.stage_id.label("stage_id")]
    return sa.select(
        *keys,
        sa.func.count().label("rows"),
        (sa.func.count(fu.c.date) - sa.func.count(sa.distinct(fu.c.date))).label("duplicate_rows"),
        _count_where(
            sa.or_(fu.c.date.is_(None), fu.c.journey_id.is_(None), fu.c.stage_id.is_(None)), "bad_keys"
        ),
        _count_where(fu.c.customers < 0, "negative_customers"),
        _count_where(fu.c.date >= _next_day(as_of), "future_rows"),
        sa.func.max(sa.case((fu.c.date < _next_day(as_of), fu.c.date))).label("latest_date"),
    ).group_by(*keys)


def funnel_profile(wh: Warehouse, as_of: dt.date) -> pd.DataFrame:
    """One row per (journey_id, stage_id): rows, duplicate_rows, bad_keys, negative, future, latest."""
    counts = ("rows", "duplicate_rows", "bad_keys", "negative_customers", "future_rows")
    return _typed(read_frame(wh, funnel_profile_statement(wh, as_of)), dates=("latest_date",), counts=counts)


def budget_profile_statement(wh: Warehouse) -> sa.Select[Any]:
    """The grouped select behind ``budget_profile``."""
    b = wh.table("budget")
    keys = [b.c.journey_id.label("journey_id"), b.c.touchpoint_id.label("touchpoint_id")]
    return sa.select(
        *keys,
        sa.func.count().label("rows"),
        _count_where(sa.or_(b.c.planned < 0, b.c.actual < 0), "negative_rows"),
        sa.func.min(b.c.planned).label("min_planned"),
        sa.func.min(b.c.actual).label("min_actual"),
        sa.func.max(b.c.month).label("latest_date"),
    ).group_by(*keys)


def budget_profile(wh: Warehouse) -> pd.DataFrame:
    """One row per (journey_id, touchpoint_id): rows, negative_rows, min planned/actual, latest month."""
    frame = _typed(
        read_frame(wh, budget_profile_statement(wh)), dates=("latest_date",), counts=("rows", "negative_rows")
    )
    for column in ("min_planned", "min_actual"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def daily_counts_statement(wh: Warehouse, table: str, start: dt.date, as_of: dt.date) -> sa.Select[Any]:
    """Rows per day of a dated table (touchpoint_kpis, funnel) from ``start`` to ``as_of``."""
    t = wh.table(table)
    return (
        sa.select(t.c.date.label("date"), sa.func.count().label("rows"))
        .where(t.c.date >= start, t.c.date < _next_day(as_of))
        .group_by(t.c.date)
    )


def daily_counts(wh: Warehouse, table: str, start: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Rows per day from ``start`` to ``as_of`` (days without rows are absent): date, rows."""
    frame = read_frame(wh, daily_counts_statement(wh, table, start, as_of))
    return _typed(frame, dates=("date",), counts=("rows",))


def row_count_statement(wh: Warehouse, table: str) -> sa.Select[Any]:
    return sa.select(sa.func.count().label("rows")).select_from(wh.table(table))


def row_count(wh: Warehouse, table: str) -> int:
    return int(read_frame(wh, row_count_statement(wh, table)).iloc[0, 0])


def latest_date_statement(wh: Warehouse, table: str, as_of: dt.date) -> sa.Select[Any]:
    """Latest date (budget: month) of a table on or before as-of."""
    t = wh.table(table)
    column = t.c.month if table == "budget" else t.c.date
    return sa.select(sa.func.max(column)).where(column < _next_day(as_of))


def latest_date(wh: Warehouse, table: str, as_of: dt.date) -> dt.date | None:
    """The table's latest date on or before as-of (future rows are a separate check)."""
    value = read_frame(wh, latest_date_statement(wh, table, as_of)).iloc[0, 0]
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def dimension_rows(wh: Warehouse, table: str) -> pd.DataFrame:
    """A whole (small) dimension table in canonical names, without coercion: checks see it raw."""
    return read_frame(wh, dimension_statement(wh, table))


def failing_fact_rows_statement(
    wh: Warehouse, rule: sa.ColumnElement[bool], limit: int = 20, since: dt.date | None = None
) -> sa.Select[Any]:
    """Fact rows breaking a rule (a ``fact_rules`` predicate), newest first, at most ``limit``;
    with ``since``, only rows dated on or after it (a bound the caller knows holds the newest
    ``limit`` failing rows: a date-sorted table then reads only its last blocks)."""
    f = wh.table("touchpoint_kpis")
    where = rule if since is None else sa.and_(rule, f.c.date >= since)
    return (
        sa.select(*(f.c[c].label(c) for c in TABLES["touchpoint_kpis"]))
        .where(where)
        .order_by(f.c.date.desc(), f.c.touchpoint_id, f.c.kpi_id)  # the same sample on every run
        .limit(limit)
    )


def sample_fact_rows(
    wh: Warehouse, rule: sa.ColumnElement[bool], limit: int = 20, since: dt.date | None = None
) -> pd.DataFrame:
    """Up to ``limit`` fact rows breaking a rule, newest first: what a data steward looks at."""
    return read_frame(wh, failing_fact_rows_statement(wh, rule, limit, since))


def duplicate_keys_statement(
    wh: Warehouse, touchpoint_ids: list[str], limit: int = 20, since: dt.date | None = None
) -> sa.Select[Any]:
    """(date, touchpoint, KPI) keys of the given touchpoints loaded more than once, newest first
    (with ``since``, only keys dated on or after it)."""
    f = wh.table("touchpoint_kpis")
    keys = [f.c.date.label("date"), f.c.touchpoint_id.label("touchpoint_id"), f.c.kpi_id.label("kpi_id")]
    where = f.c.touchpoint_id.in_(touchpoint_ids)
    return (
        sa.select(*keys, sa.func.count().label("copies"))
        .where(where if since is None else sa.and_(where, f.c.date >= since))
        .group_by(*keys)
        .having(sa.func.count() > 1)
        .order_by(f.c.date.desc(), f.c.touchpoint_id, f.c.kpi_id)  # the same sample on every run
        .limit(limit)
    )


def duplicate_fact_rows(
    wh: Warehouse, touchpoint_ids: list[str], limit: int = 20, since: dt.date | None = None
) -> pd.DataFrame:
    """Up to ``limit`` (date, touchpoint, KPI) keys of the given touchpoints loaded more than once."""
    return read_frame(wh, duplicate_keys_statement(wh, touchpoint_ids, limit, since))


def _typed(frame: pd.DataFrame, dates: tuple[str, ...], counts: tuple[str, ...]) -> pd.DataFrame:
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    for column in counts:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype("int64")
    return frame
