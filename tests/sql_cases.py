"""Every warehouse statement the app sends, as named cases for tests/test_sql_snapshots.py.

A case names a statement builder from connectors/ (``*_statement``), the arguments to give it, and
the functions that send that statement when the app or the checks run: the KPI, funnel, budget,
date-bound and dimension readers of connectors/queries.py and the data-quality profiles of
connectors/profile_queries.py. Arguments are a function of the warehouse because fact-row rules
are predicates over its tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

# private: tested directly because the volume profile case must span the window the checks read
from checks._evidence import VOLUME_DAYS, VOLUME_WINDOW
from connectors import period_queries as pp
from connectors import profile_queries as pq
from connectors import queries as q
from connectors import summary_queries as sq
from connectors.access import AccessScope
from connectors.warehouse import Warehouse, build_tables
from metrics.model import KPI_SUMMARY, Filters, Grain, KpiRequest, Period, Scope
from metrics.registry import default_registry
from tests.fixtures import DEMO_END, QUOTED_JOURNEY_ID

Arguments = Callable[[Warehouse], tuple[Any, ...]]


@dataclass(frozen=True)
class SqlCase:
    builder: Callable[..., sa.Select[Any]]
    args: Arguments
    #: The functions that send this statement (called with the same arguments).
    runs: tuple[Callable[..., object], ...]
    #: Read with the monthly KPI summary in use (``with_summary``). The fixture warehouses have no
    #: summary, so these are compiled only; tests/test_kpi_summary.py runs them on real engines.
    summary: bool = False

    def statement(self, wh: Warehouse) -> sa.Select[Any]:
        return self.builder(self._warehouse(wh), *self.args(wh))

    def run(self, wh: Warehouse) -> None:
        for run in self.runs:
            run(self._warehouse(wh), *self.args(wh))

    def _warehouse(self, wh: Warehouse) -> Warehouse:
        return with_summary(wh) if self.summary else wh


#: The summary's physical columns in the summary cases.
SUMMARY_COLUMNS = {"month": "kpi_month", "touchpoint_id": "tp_key", "kpi_id": "kpi_key",
                   "numerator": "num_sum", "denominator": "den_sum", "rows": "fact_rows"}


def with_summary(wh: Warehouse) -> Warehouse:
    """``wh`` with the monthly KPI summary in use, as table ``wh_tp_kpi_month`` beside the fact table,
    covering every month through 2026."""
    tm = wh.mapping.optional[KPI_SUMMARY]
    schema = wh.mapping.table("touchpoint_kpis").schema
    optional = {**wh.mapping.optional,
                KPI_SUMMARY: replace(tm, schema=schema, name="wh_tp_kpi_month", columns=SUMMARY_COLUMNS)}
    mapping = replace(wh.mapping, optional=optional, present=frozenset({KPI_SUMMARY}))
    return Warehouse(wh.engine, mapping, build_tables(mapping), summary_end=dt.date(2027, 1, 1))


def _fixed(*args: Any) -> Arguments:
    return lambda _wh: args


REQUESTS: dict[str, KpiRequest] = {
    "kpi_month_by_touchpoint_filtered": KpiRequest(
        ("csat", "nps"),
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        grain=Grain.MONTH,
        by=Scope.TOUCHPOINT,
        filters=Filters(
            journey_ids=(QUOTED_JOURNEY_ID, "buy"),
            channels=("web",),
            owners=("Priya Nair",),
            moment_of_truth=True,
        ),
    ),
    "kpi_week_by_journey": KpiRequest(
        ("csat",), dt.date(2026, 1, 1), dt.date(2026, 3, 31), grain=Grain.WEEK, by=Scope.JOURNEY
    ),
    "kpi_quarter_by_channel_not_mot": KpiRequest(
        ("reach",),
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        grain=Grain.QUARTER,
        by=Scope.CHANNEL,
        filters=Filters(moment_of_truth=False),
    ),
    "kpi_year_all": KpiRequest(("nps",), dt.date(2025, 1, 1), dt.date(2026, 12, 31), grain=Grain.YEAR),
    "kpi_day_by_stage": KpiRequest(
        ("ces",),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 7),
        grain=Grain.DAY,
        by=Scope.STAGE,
        filters=Filters(stage_ids=("buy.purchase",)),
    ),
    "kpi_period_all": KpiRequest(("csat", "reach"), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
}

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
AS_OF = DEMO_END
#: The checks' volume window: the recent days and the days before them that they are compared to.
VOLUME_START = AS_OF - dt.timedelta(days=VOLUME_DAYS + VOLUME_WINDOW)
REGISTRY = default_registry()
SAMPLE_ROWS = 20  # as checks/runner.py asks for failing-row samples
TOUCHPOINTS = ["tp_buy_store_advice", "tp_move_install"]
DIMENSIONS = ("journeys", "stages", "touchpoints", "kpis", "targets")
#: A scoped person (connectors/access.py): map owner of the quoted journey, touchpoint owner of one more.
SCOPE = AccessScope(touchpoint_ids=frozenset({"tp_move_mailing", "tp_move_install", "tp_fault_hotline"}),
                    journey_ids=frozenset({QUOTED_JOURNEY_ID}), context_journey_ids=frozenset({"fault"}))


#: The Review's three quarters, and the Trends window with the same window last year (overlapping).
QUARTERS = {"current": Period(START, END), "previous": Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
            "last_year": Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))}
WINDOWS = {"current": Period(dt.date(2024, 4, 1), END),
           "last_year": Period(dt.date(2023, 4, 1), dt.date(2025, 3, 31))}

#: Personas with their journeys, as the Personas page sends them (one of them with two journeys).
PERSONAS = {"Family on the move": (QUOTED_JOURNEY_ID, "fault"), "Young professional": ("buy",)}


def _rule(name: str) -> Arguments:
    return lambda wh: (pq.fact_rules(wh, REGISTRY, AS_OF)[name], SAMPLE_ROWS)


CASES: dict[str, SqlCase] = {
    **{name: SqlCase(q.kpi_statement, _fixed(r), (q.kpi_frame,)) for name, r in REQUESTS.items()},
    # Row-level scope: the touchpoint (and journey) ids as expanding bound parameters.
    "kpi_month_by_touchpoint_scoped": SqlCase(
        q.kpi_statement, _fixed(REQUESTS["kpi_month_by_touchpoint_filtered"], SCOPE), (q.kpi_frame,)
    ),
    "kpi_period_all_scoped": SqlCase(
        q.kpi_statement, _fixed(REQUESTS["kpi_period_all"], SCOPE), (q.kpi_frame,)
    ),
    "funnel_week_scoped": SqlCase(
        q.funnel_statement, _fixed(START, END, (), Grain.WEEK, SCOPE), (q.funnel_frame,)
    ),
    "budget_month_by_journey_scoped": SqlCase(
        q.budget_statement, _fixed(START, END, ("month", "journey_id"), SCOPE), (q.budget_frame,)
    ),
    # Several periods in one statement (connectors/period_queries.py), as the Review and Trends send.
    "kpi_periods_quarters_by_journey": SqlCase(
        pp.kpi_periods_statement,
        _fixed(KpiRequest(("csat", "reach"), START, END, by=Scope.JOURNEY), QUARTERS),
        (pp.kpi_periods_frame,),
    ),
    "kpi_periods_quarters_mot_by_touchpoint_scoped": SqlCase(
        pp.kpi_periods_statement,
        _fixed(KpiRequest(("csat",), START, END, by=Scope.TOUCHPOINT, filters=Filters(moment_of_truth=True)),
               QUARTERS, SCOPE),
        (pp.kpi_periods_frame,),
    ),
    "kpi_periods_month_and_last_year": SqlCase(
        pp.kpi_periods_statement,
        _fixed(KpiRequest(("csat", "nps"), START, END, grain=Grain.MONTH,
                          filters=Filters(journey_ids=(QUOTED_JOURNEY_ID,))), WINDOWS),
        (pp.kpi_periods_frame,),
    ),
    "budget_periods_quarters_by_journey": SqlCase(
        pp.budget_periods_statement, _fixed(QUARTERS, ("journey_id",)), (pp.budget_periods_frame,)
    ),
    "budget_periods_quarters_by_journey_scoped": SqlCase(
        pp.budget_periods_statement, _fixed(QUARTERS, ("journey_id",), SCOPE), (pp.budget_periods_frame,)
    ),
    # Every persona's KPIs in one statement, grouped by a persona label (the Personas page).
    "kpi_personas_period": SqlCase(
        q.kpi_personas_statement, _fixed(REQUESTS["kpi_period_all"], PERSONAS), (q.kpi_personas_frame,)
    ),
    "kpi_personas_month_by_touchpoint_scoped": SqlCase(
        q.kpi_personas_statement,
        _fixed(KpiRequest(("csat",), START, END, grain=Grain.MONTH, by=Scope.TOUCHPOINT,
                          filters=Filters(moment_of_truth=True)), PERSONAS, SCOPE),
        (q.kpi_personas_frame,),
    ),
    "funnel_period_all": SqlCase(q.funnel_statement, _fixed(START, END), (q.funnel_frame,)),
    "funnel_week_by_journey": SqlCase(
        q.funnel_statement, _fixed(START, END, (QUOTED_JOURNEY_ID, "buy"), Grain.WEEK), (q.funnel_frame,)
    ),
    "budget_month_by_journey": SqlCase(q.budget_statement, _fixed(START, END), (q.budget_frame,)),
    "budget_by_touchpoint_and_channel": SqlCase(
        q.budget_statement, _fixed(START, END, ("touchpoint_id", "channel")), (q.budget_frame,)
    ),
    # The same questions read from the monthly KPI summary (whole months it covers).
    "summary_kpi_month_by_touchpoint_scoped": SqlCase(
        q.kpi_statement, _fixed(REQUESTS["kpi_month_by_touchpoint_filtered"], SCOPE), (q.kpi_frame,), True
    ),
    "summary_kpi_period_all": SqlCase(
        q.kpi_statement, _fixed(REQUESTS["kpi_period_all"]), (q.kpi_frame,), True
    ),
    "summary_kpi_periods_quarters_mot_by_touchpoint_scoped": SqlCase(
        pp.kpi_periods_statement,
        _fixed(KpiRequest(("csat",), START, END, by=Scope.TOUCHPOINT, filters=Filters(moment_of_truth=True)),
               QUARTERS, SCOPE),
        (pp.kpi_periods_frame,), True,
    ),
    "summary_kpi_personas_month_by_touchpoint_scoped": SqlCase(
        q.kpi_personas_statement,
        _fixed(KpiRequest(("csat",), START, END, grain=Grain.MONTH, by=Scope.TOUCHPOINT,
                          filters=Filters(moment_of_truth=True)), PERSONAS, SCOPE),
        (q.kpi_personas_frame,), True,
    ),
    # Ranges ending mid-month: the summary's months before that month, the fact rows from its first day.
    "summary_and_facts_kpi_year_to_date_scoped": SqlCase(
        q.kpi_statement,
        _fixed(KpiRequest(("csat",), START, AS_OF, by=Scope.JOURNEY, filters=Filters(moment_of_truth=True)),
               SCOPE),
        (q.kpi_frame,), True,
    ),
    "summary_and_facts_kpi_periods_to_date": SqlCase(
        pp.kpi_periods_statement,
        _fixed(KpiRequest(("csat", "nps"), START, AS_OF),
               {"quarter": Period(dt.date(2026, 10, 1), AS_OF), "year": Period(START, AS_OF)}),
        (pp.kpi_periods_frame,), True,
    ),
    "summary_date_bounds_not_after": SqlCase(q.date_bounds_statement, _fixed(AS_OF), (q.date_bounds,), True),
    # date_bounds with the summary: its months first, then the facts near them only.
    "summary_bounds_not_after": SqlCase(q.summary_bounds_statement, _fixed(AS_OF), (q.date_bounds,), True),
    "summary_bounds_all": SqlCase(q.summary_bounds_statement, _fixed(), (q.date_bounds,), True),
    "near_date_bounds_not_after": SqlCase(
        q.near_date_bounds_statement, _fixed(dt.date(2025, 2, 1), dt.date(2026, 11, 1), AS_OF), (), True
    ),
    # The check "The monthly summary agrees with the fact table" (connectors/summary_queries.py).
    "summary_totals_by_touchpoint": SqlCase(
        sq.summary_totals_statement, _fixed("touchpoint"), (sq.summary_totals,), True
    ),
    "summary_totals_by_month": SqlCase(
        sq.summary_totals_statement, _fixed("month"), (sq.summary_totals,), True
    ),
    # The fact side needs no summary: these run on the fixture warehouses too.
    "summary_fact_month_totals": SqlCase(sq.fact_month_totals_statement, _fixed(), (sq.fact_month_totals,)),
    "summary_drill_facts": SqlCase(
        sq.summary_drill_statement, _fixed("facts", [dt.date(2026, 3, 1)], TOUCHPOINTS), (sq.summary_drill,)
    ),
    "summary_drill_summary_months_only": SqlCase(
        sq.summary_drill_statement, _fixed("summary", [dt.date(2026, 3, 1), dt.date(2026, 4, 1)], []),
        (sq.summary_drill,), True,
    ),
    "date_bounds_all": SqlCase(q.date_bounds_statement, _fixed(), (q.date_bounds,)),
    "date_bounds_not_after": SqlCase(q.date_bounds_statement, _fixed(AS_OF), (q.date_bounds,)),
    # The pages read dimensions coerced, the checks read them raw: the same statement.
    **{
        "dimension_" + table: SqlCase(
            q.dimension_statement, _fixed(table), (q.dimension_frame, pq.dimension_rows)
        )
        for table in DIMENSIONS
    },
    "profile_fact": SqlCase(pq.fact_profile_statement, _fixed(REGISTRY, AS_OF), (pq.fact_rule_profile,)),
    # DuckDB's differs (a hash of the keys finds candidates first): built with a DuckDB engine.
    "profile_fact_duplicates": SqlCase(
        pq.duplicate_keys_profile_statement, _fixed(), (pq.duplicate_keys_profile,)
    ),
    **{
        "profile_failing_" + rule: SqlCase(
            pq.failing_fact_rows_statement, _rule(rule), (pq.sample_fact_rows,)
        )
        for rule in pq.FACT_RULES
    },
    "profile_duplicate_keys": SqlCase(
        pq.duplicate_keys_statement, _fixed(TOUCHPOINTS, SAMPLE_ROWS), (pq.duplicate_fact_rows,)
    ),
    # Samples bounded by a date the profile proves holds the newest failing rows (checks/runner.py).
    "profile_failing_out_of_range_since": SqlCase(
        pq.failing_fact_rows_statement,
        lambda wh: (pq.fact_rules(wh, REGISTRY, AS_OF)["out_of_range"], SAMPLE_ROWS, VOLUME_START),
        (pq.sample_fact_rows,),
    ),
    "profile_duplicate_keys_since": SqlCase(
        pq.duplicate_keys_statement, _fixed(TOUCHPOINTS, SAMPLE_ROWS, VOLUME_START), (pq.duplicate_fact_rows,)
    ),
    "profile_funnel": SqlCase(pq.funnel_profile_statement, _fixed(AS_OF), (pq.funnel_profile,)),
    "profile_budget": SqlCase(pq.budget_profile_statement, _fixed(), (pq.budget_profile,)),
    **{
        "profile_daily_counts_" + table: SqlCase(
            pq.daily_counts_statement, _fixed(table, VOLUME_START, AS_OF), (pq.daily_counts,)
        )
        for table in ("touchpoint_kpis", "funnel")
    },
    # Only the mapped table name differs between tables; the fact table stands for all eight.
    "profile_row_count": SqlCase(pq.row_count_statement, _fixed("touchpoint_kpis"), (pq.row_count,)),
    # budget is dated by month, the others by date.
    **{
        "profile_latest_" + table: SqlCase(pq.latest_date_statement, _fixed(table, AS_OF), (pq.latest_date,))
        for table in ("touchpoint_kpis", "funnel", "budget")
    },
}
