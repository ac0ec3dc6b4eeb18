"""connectors.queries on DuckDB, SQLite, PostgreSQL and Spark SQL against two independent references.

The fixture warehouse stores the data under non-canonical names (tests/fixtures.py). Every figure
``kpi_frame`` returns must equal (1) a hand-written SQL query against the *physical* names, with
its own per-dialect date arithmetic (no date_trunc, so it does not repeat connectors/_sql_periods),
and (2) pandas over the canonical fixture frames.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.queries import budget_frame, date_bounds, dimension_frame, funnel_frame, kpi_frame
from metrics.model import TABLES, Filters, Grain, KpiRequest, Scope
from metrics.registry import DEFAULT_KPIS
from tests.fixtures import QUOTED_JOURNEY_ID, FixtureWarehouse

START, END = dt.date(2025, 2, 12), dt.date(2026, 5, 20)  # deliberately not on period boundaries
KPI_IDS = tuple(k.kpi_id for k in DEFAULT_KPIS)

# Period starts written out per dialect without date_trunc: ISO weeks start on Monday.
_EXTRACT = "CAST(EXTRACT({part} FROM f.event_date) AS INTEGER)"
_ANSI_PERIOD = {
    Grain.DAY: "f.event_date",
    Grain.WEEK: "f.event_date - " + _EXTRACT.format(part="ISODOW") + " + 1",
    Grain.MONTH: "make_date(" + _EXTRACT.format(part="YEAR") + ", " + _EXTRACT.format(part="MONTH") + ", 1)",
    Grain.QUARTER: "make_date("
    + _EXTRACT.format(part="YEAR")
    + ", ("
    + _EXTRACT.format(part="QUARTER")
    + " - 1) * 3 + 1, 1)",
    Grain.YEAR: "make_date(" + _EXTRACT.format(part="YEAR") + ", 1, 1)",
}
HAND_PERIOD_START: dict[str, dict[Grain, str]] = {
    "duckdb": _ANSI_PERIOD,
    "postgresql": _ANSI_PERIOD,
    # Spark SQL: the same arithmetic; its ISO day of the week is DAYOFWEEK_ISO.
    "hive": {grain: sql.replace("ISODOW", "DAYOFWEEK_ISO") for grain, sql in _ANSI_PERIOD.items()},
    "sqlite": {
        Grain.DAY: "f.event_date",
        Grain.WEEK: "date(f.event_date, 'weekday 0', '-6 days')",  # next Sunday (or today), back to Monday
        Grain.MONTH: "strftime('%Y-%m-01', f.event_date)",
        Grain.QUARTER: "printf('%04d-%02d-01', CAST(strftime('%Y', f.event_date) AS INTEGER), "
        "(CAST(strftime('%m', f.event_date) AS INTEGER) - 1) / 3 * 3 + 1)",
        Grain.YEAR: "strftime('%Y-01-01', f.event_date)",
    },
}
HAND_BREAKDOWN = {
    Scope.JOURNEY: ("t.journey_key", "journey_id"),
    Scope.STAGE: ("t.stage_key", "stage_id"),
    Scope.TOUCHPOINT: ("t.tp_key", "touchpoint_id"),
    Scope.CHANNEL: ("t.channel_name", "channel"),
}
HAND_FILTERS = {  # Filters field -> (where clause on the physical names, bound parameter)
    "journey_ids": "t.journey_key IN :journey_ids",
    "stage_ids": "t.stage_key IN :stage_ids",
    "touchpoint_ids": "t.tp_key IN :touchpoint_ids",
    "channels": "t.channel_name IN :channels",
    "owners": "t.{tp_owner} IN :owners",  # quoted per dialect (Spark quotes with backticks)
}


def _quoted(fx: FixtureWarehouse, name: str) -> str:
    return fx.warehouse.engine.dialect.identifier_preparer.quote_identifier(name)


def hand_sql(fx: FixtureWarehouse, request: KpiRequest) -> pd.DataFrame:
    """The request answered by plain SQL text over the physical tables."""
    keys: list[str] = []
    if request.grain is not Grain.PERIOD:
        keys.append(HAND_PERIOD_START[fx.dialect][request.grain] + " AS period_start")
    if request.by is not Scope.ALL:
        physical, canonical = HAND_BREAKDOWN[request.by]
        keys.append(physical + " AS " + canonical)
    keys.append("f.kpi_key AS kpi_id")
    where = ["f.event_date BETWEEN :start AND :end", "f.kpi_key IN :kpi_ids"]
    params: dict[str, Any] = {"start": request.start, "end": request.end, "kpi_ids": list(request.kpi_ids)}
    binds = [
        sa.bindparam("start", type_=sa.Date),
        sa.bindparam("end", type_=sa.Date),
        sa.bindparam("kpi_ids", expanding=True),
    ]
    for field, clause in HAND_FILTERS.items():
        values = getattr(request.filters, field)
        if values:
            where.append(clause.replace("{tp_owner}", _quoted(fx, "tp owner")))
            params[field] = list(values)
            binds.append(sa.bindparam(field, expanding=True))
    if request.filters.moment_of_truth is not None:
        where.append("t.is_mot" if request.filters.moment_of_truth else "NOT t.is_mot")
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    text = (
        "SELECT " + ", ".join(keys) + ", SUM(f.num_value) AS numerator, SUM(f.den_value) AS denominator,"
        " COUNT(*) AS row_count FROM {touchpoint_kpis} AS f JOIN {touchpoints} AS t ON f.tp_key = t.tp_key"
        " WHERE " + " AND ".join(where) + " GROUP BY " + group
    )
    statement = sa.text(fx.sql(text)).bindparams(*binds)
    with fx.warehouse.engine.connect() as connection:
        result = connection.execute(statement, params)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return frame.rename(columns={"row_count": "rows"})


def pandas_kpis(frames: dict[str, pd.DataFrame], request: KpiRequest) -> pd.DataFrame:
    """The request answered by pandas over the canonical fixture frames."""
    facts = frames["touchpoint_kpis"].merge(frames["touchpoints"], on="touchpoint_id")
    day = facts["date"]
    keep = (day >= pd.Timestamp(request.start)) & (day <= pd.Timestamp(request.end))
    keep &= facts["kpi_id"].isin(request.kpi_ids)
    f = request.filters
    for field, column in (
        ("journey_ids", "journey_id"),
        ("stage_ids", "stage_id"),
        ("touchpoint_ids", "touchpoint_id"),
        ("channels", "channel"),
        ("owners", "owner"),
    ):
        if getattr(f, field):
            keep &= facts[column].isin(getattr(f, field))
    if f.moment_of_truth is not None:
        keep &= facts["moment_of_truth"] == f.moment_of_truth
    facts = facts[keep].copy()
    keys = []
    if request.grain is not Grain.PERIOD:
        facts["period_start"] = _pandas_period_start(facts["date"], request.grain)
        keys.append("period_start")
    if request.by is not Scope.ALL:
        keys.append(HAND_BREAKDOWN[request.by][1])
    keys.append("kpi_id")
    grouped = facts.groupby(keys, as_index=False).agg(
        numerator=("numerator", lambda s: s.sum(min_count=1)),
        denominator=("denominator", lambda s: s.sum(min_count=1)),
        rows=("kpi_id", "size"),
    )
    return grouped


def _pandas_period_start(dates: pd.Series, grain: Grain) -> pd.Series:
    if grain is Grain.DAY:
        return dates
    if grain is Grain.WEEK:
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    return dates.dt.to_period({Grain.MONTH: "M", Grain.QUARTER: "Q", Grain.YEAR: "Y"}[grain]).dt.start_time


def assert_same_figures(actual: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    """Same key rows; numerators and denominators equal up to float summation order."""
    keys = [
        c
        for c in ("period_start", "journey_id", "stage_id", "touchpoint_id", "channel", "kpi_id")
        if c in expected.columns
    ]
    a, e = _normalised(actual, keys), _normalised(expected, keys)
    assert len(a) > 0, f"{what}: no rows at all, the comparison would prove nothing"
    assert a[keys].equals(e[keys]), (
        f"{what}: different rows\n{a[keys].compare(e[keys]) if len(a) == len(e) else ''}"
    )
    for column in ("numerator", "denominator"):
        assert np.allclose(a[column], e[column], rtol=1e-9, atol=1e-6, equal_nan=True), f"{what}: {column}"
    assert (a["rows"].to_numpy() == e["rows"].to_numpy()).all(), f"{what}: rows"


def _normalised(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.copy()
    if "period_start" in keys:
        out["period_start"] = pd.to_datetime(out["period_start"]).astype("datetime64[us]")
    for key in keys:
        if key != "period_start":
            out[key] = out[key].astype(str)
    for column in ("numerator", "denominator"):
        out[column] = pd.to_numeric(out[column]).astype("float64")
    out["rows"] = out["rows"].astype("int64")
    return out.sort_values(keys).reset_index(drop=True)[[*keys, "numerator", "denominator", "rows"]]


def check_request(fx: FixtureWarehouse, frames: dict[str, pd.DataFrame], request: KpiRequest) -> pd.DataFrame:
    result = kpi_frame(fx.warehouse, request)
    if request.grain is Grain.PERIOD:  # kpi_frame labels the whole range with its start
        assert (result["period_start"] == pd.Timestamp(request.start)).all()
        result = result.drop(columns="period_start")
    assert_same_figures(result, hand_sql(fx, request), f"{fx.dialect} vs hand-written SQL")
    assert_same_figures(result, pandas_kpis(frames, request), f"{fx.dialect} vs pandas")
    return result


@pytest.mark.parametrize("grain", list(Grain), ids=str)
def test_kpi_frame_at_every_grain(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], grain: Grain
) -> None:
    result = check_request(warehouse, frames, KpiRequest(KPI_IDS, START, END, grain=grain))
    assert set(result["kpi_id"]) == set(KPI_IDS)


@pytest.mark.parametrize("by", list(Scope), ids=str)
def test_kpi_frame_for_every_breakdown(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], by: Scope
) -> None:
    result = check_request(warehouse, frames, KpiRequest(KPI_IDS, START, END, grain=Grain.MONTH, by=by))
    breakdown = [] if by is Scope.ALL else [HAND_BREAKDOWN[by][1]]
    assert list(result.columns) == ["period_start", *breakdown, "kpi_id", "numerator", "denominator", "rows"]


FILTERS = {
    "journey": Filters(journey_ids=(QUOTED_JOURNEY_ID, "buy")),
    "stage": Filters(stage_ids=("buy.purchase", "fault.diagnosis", "move.installation")),
    "touchpoint": Filters(touchpoint_ids=("tp_buy_web_shop", "tp_fault_chat")),
    "channel": Filters(channels=("web", "app", "call centre")),
    "owner": Filters(owners=("Olivia Brown", "Priya Nair")),
    "moment_of_truth": Filters(moment_of_truth=True),
    "not_moment_of_truth": Filters(moment_of_truth=False),
    "combined": Filters(
        journey_ids=("buy", QUOTED_JOURNEY_ID, "fault"),
        channels=("web", "delivery", "chat"),
        moment_of_truth=True,
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_kpi_frame_with_filters(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], name: str
) -> None:
    request = KpiRequest(KPI_IDS, START, END, grain=Grain.PERIOD, by=Scope.TOUCHPOINT, filters=FILTERS[name])
    result = check_request(warehouse, frames, request)
    everything = frames["touchpoints"]["touchpoint_id"].nunique()
    assert 0 < result["touchpoint_id"].nunique() < everything, "a filter must keep some, not all, touchpoints"


def test_kpi_frame_week_by_channel_filtered(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame]
) -> None:
    request = KpiRequest(
        ("csat", "nps", "reach"),
        START,
        END,
        grain=Grain.WEEK,
        by=Scope.CHANNEL,
        filters=Filters(moment_of_truth=True),
    )
    result = check_request(warehouse, frames, request)
    assert (pd.to_datetime(result["period_start"]).dt.day_of_week == 0).all(), "weeks start on Monday"
    # reach is a sum KPI with null denominators: the sum stays null, not 0
    assert result.loc[result["kpi_id"] == "reach", "denominator"].isna().all()


def test_kpi_frame_needs_a_kpi(warehouse: FixtureWarehouse) -> None:
    with pytest.raises(ValueError, match="at least one KPI"):
        kpi_frame(warehouse.warehouse, KpiRequest((), START, END))


def test_kpi_frame_of_an_empty_range_is_empty(warehouse: FixtureWarehouse) -> None:
    result = kpi_frame(
        warehouse.warehouse,
        KpiRequest(KPI_IDS, dt.date(2020, 1, 1), dt.date(2020, 3, 31), grain=Grain.MONTH, by=Scope.JOURNEY),
    )
    assert result.empty
    assert list(result.columns) == [
        "period_start",
        "journey_id",
        "kpi_id",
        "numerator",
        "denominator",
        "rows",
    ]


@pytest.mark.parametrize("grain", [Grain.PERIOD, Grain.MONTH], ids=str)
def test_funnel_frame(warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], grain: Grain) -> None:
    journeys = (QUOTED_JOURNEY_ID, "fault")
    result = funnel_frame(warehouse.warehouse, START, END, journeys, grain)
    keys = "f.journey_key, f.stage_id"
    if grain is Grain.MONTH:
        keys = HAND_PERIOD_START[warehouse.dialect][Grain.MONTH] + ", " + keys
    text = (
        "SELECT "
        + keys
        + ", SUM(f.customer_count) FROM {funnel} AS f WHERE f.event_date BETWEEN :start AND :end"
        " AND f.journey_key IN :journeys GROUP BY " + keys
    )
    statement = sa.text(warehouse.sql(text)).bindparams(
        sa.bindparam("start", type_=sa.Date),
        sa.bindparam("end", type_=sa.Date),
        sa.bindparam("journeys", expanding=True),
    )
    with warehouse.warehouse.engine.connect() as connection:
        rows = connection.execute(statement, {"start": START, "end": END, "journeys": list(journeys)}).all()
    expected = pd.DataFrame(
        rows,
        columns=[*(["period_start"] if grain is Grain.MONTH else []), "journey_id", "stage_id", "customers"],
    )
    if grain is Grain.PERIOD:
        assert (result["period_start"] == pd.Timestamp(START)).all()
        expected["period_start"] = pd.Timestamp(START)
    expected["period_start"] = pd.to_datetime(expected["period_start"]).astype("datetime64[us]")
    order = ["period_start", "journey_id", "stage_id"]
    got = result.assign(period_start=result["period_start"].astype("datetime64[us]"))
    got = got.sort_values(order).reset_index(drop=True)
    expected = expected.sort_values(order).reset_index(drop=True)
    assert set(got["journey_id"]) == set(journeys)
    assert got[order].astype(str).equals(expected[order].astype(str))
    assert np.allclose(got["customers"], pd.to_numeric(expected["customers"]).astype(float))
    # and pandas agrees on the total
    funnel = frames["funnel"]
    in_range = funnel["date"].between(pd.Timestamp(START), pd.Timestamp(END)) & funnel["journey_id"].isin(
        journeys
    )
    assert got["customers"].sum() == pytest.approx(funnel.loc[in_range, "customers"].sum())


@pytest.mark.parametrize(
    "by", [("month", "journey_id"), ("channel",), ("month", "touchpoint_id", "channel")], ids=str
)
def test_budget_frame(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], by: tuple[str, ...]
) -> None:
    start, end = dt.date(2025, 3, 1), dt.date(2025, 12, 31)
    result = budget_frame(warehouse.warehouse, start, end, by)
    physical = {
        "month": "b.budget_month",
        "journey_id": "b.journey_key",
        "touchpoint_id": "b.touchpoint_id",
        "channel": "b.channel",
    }
    keys = ", ".join(physical[c] for c in by)
    text = (
        "SELECT " + keys + ", SUM(b.planned_eur), SUM(b.actual) FROM {budget} AS b"
        " WHERE b.budget_month BETWEEN :start AND :end GROUP BY " + keys
    )
    statement = sa.text(warehouse.sql(text)).bindparams(
        sa.bindparam("start", type_=sa.Date), sa.bindparam("end", type_=sa.Date)
    )
    with warehouse.warehouse.engine.connect() as connection:
        rows = connection.execute(statement, {"start": start, "end": end}).all()
    expected = pd.DataFrame(rows, columns=[*by, "planned", "actual"])
    if "month" in by:
        expected["month"] = pd.to_datetime(expected["month"])
        assert result["month"].min() == pd.Timestamp(start) and result["month"].max() == pd.Timestamp(
            2025, 12, 1
        )
    order = list(by)
    got = result.sort_values(order).reset_index(drop=True)
    expected = expected.sort_values(order).reset_index(drop=True)
    assert got[order].astype(str).equals(expected[order].astype(str))
    for column in ("planned", "actual"):
        assert np.allclose(got[column], pd.to_numeric(expected[column]).astype(float))
    budget = frames["budget"]
    in_range = budget["month"].between(pd.Timestamp(start), pd.Timestamp(end))
    assert got["planned"].sum() == pytest.approx(budget.loc[in_range, "planned"].sum())


def test_budget_frame_refuses_unknown_columns(warehouse: FixtureWarehouse) -> None:
    with pytest.raises(ValueError, match="cannot be grouped"):
        budget_frame(warehouse.warehouse, START, END, ("month", "planned"))


@pytest.mark.parametrize("table", ["journeys", "stages", "touchpoints", "kpis", "targets"])
def test_dimension_frame_reads_canonical_names(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], table: str
) -> None:
    result = dimension_frame(warehouse.warehouse, table)
    expected = frames[table]
    assert list(result.columns) == list(TABLES[table])
    key = list(TABLES[table])[:3]
    got = result.sort_values(key).reset_index(drop=True)
    want = expected.sort_values(key).reset_index(drop=True)
    for column in TABLES[table]:
        a, e = got[column], want[column]
        if pd.api.types.is_float_dtype(e):
            assert np.allclose(a.astype(float), e, equal_nan=True), column
        elif pd.api.types.is_datetime64_any_dtype(e):
            assert pd.to_datetime(a).astype("datetime64[us]").equals(e.astype("datetime64[us]")), column
        elif pd.api.types.is_bool_dtype(e) or pd.api.types.is_integer_dtype(e):
            assert a.tolist() == e.tolist(), column
        else:
            assert a.where(a.notna(), None).tolist() == e.where(e.notna(), None).tolist(), column
    if table == "journeys":
        assert QUOTED_JOURNEY_ID in set(result["journey_id"])


def test_dimension_frame_refuses_fact_tables(warehouse: FixtureWarehouse) -> None:
    with pytest.raises(ValueError, match="not a dimension table"):
        dimension_frame(warehouse.warehouse, "touchpoint_kpis")


def test_date_bounds(warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame]) -> None:
    first, last = (
        frames["touchpoint_kpis"]["date"].min().date(),
        frames["touchpoint_kpis"]["date"].max().date(),
    )
    assert date_bounds(warehouse.warehouse) == (first, last)
    assert date_bounds(warehouse.warehouse, not_after=last + dt.timedelta(days=30)) == (first, last)
    assert date_bounds(warehouse.warehouse, not_after=dt.date(2025, 6, 30)) == (first, dt.date(2025, 6, 30))
    assert date_bounds(warehouse.warehouse, not_after=first - dt.timedelta(days=1)) is None
