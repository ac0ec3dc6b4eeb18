"""The warehouse calls each page makes, expressed once, and the three ways of answering them.

- **ours**: the same ``connectors.queries`` calls the page makes through its loaders (with the
  page's default widget values), without Streamlit and without its cache, plus, where written
  down here, the metric calls the page makes on the result;
- **floor**: the very SQL our path sent (captured from SQLAlchemy's ``before_cursor_execute``
  event, with its parameters) executed directly on the DBAPI connection, all rows fetched;
- **naive**: what most dashboards do: ``SELECT *`` from the fact table joined to touchpoints (and
  the funnel and budget tables) into pandas with ``pandas.read_sql``, then group there.

A page missing here is reported as not covered; add its calls to ``WORKLOADS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.period_queries import budget_periods_frame, kpi_periods_frame
from connectors.queries import (
    budget_frame,
    date_bounds,
    dimension_frame,
    funnel_frame,
    kpi_frame,
    kpi_personas_frame,
)
from connectors.warehouse import Warehouse
from metrics.judgement import Yardstick, judge
from metrics.model import Filters, Grain, KpiRequest, Period, Scope, Unit
from metrics.periods import period_for, previous_period
from metrics.registry import KpiRegistry
from metrics.targets import kpis_with_targets
from metrics.trends import complete_window, last_year_window, to_date_periods
from metrics.trust import TrustEvidence
from ui.read_parts import owner_parts, trend_parts


@dataclass(frozen=True)
class BenchContext:
    """What ui.context.AppContext holds, opened without Streamlit."""

    warehouse: Warehouse
    registry: KpiRegistry
    dims: dict[str, pd.DataFrame]
    first_date: dt.date
    as_of: dt.date

    def default_period(self) -> Period:
        """ui.filters.period_filter's default (last full quarter), clipped to the data."""
        period = period_for("last_quarter", self.as_of)
        return Period(max(period.start, self.first_date), period.end, period.label)


def open_context(wh: Warehouse, today: dt.date) -> BenchContext:
    dims = {n: dimension_frame(wh, n) for n in ("journeys", "stages", "touchpoints", "kpis", "targets")}
    bounds = date_bounds(wh, not_after=today)
    if bounds is None:
        raise RuntimeError("the benchmark warehouse has no KPI data")
    return BenchContext(wh, KpiRegistry.from_frame(dims["kpis"]), dims, bounds[0], bounds[1])


# --- the calls ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiCall:
    request: KpiRequest


@dataclass(frozen=True)
class FunnelCall:
    start: dt.date
    end: dt.date
    journey_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BudgetCall:
    start: dt.date
    end: dt.date
    by: tuple[str, ...]


@dataclass(frozen=True)
class KpiPeriodsCall:
    """Several periods of one KPI request in one statement (connectors.period_queries)."""

    request: KpiRequest
    periods: dict[str, Period]


@dataclass(frozen=True)
class BudgetPeriodsCall:
    periods: dict[str, Period]
    by: tuple[str, ...]


@dataclass(frozen=True)
class KpiPersonasCall:
    """One KPI request for several personas (each filtered to its journeys) in one statement."""

    request: KpiRequest
    personas: dict[str, tuple[str, ...]]


Call = KpiCall | FunnelCall | BudgetCall | KpiPeriodsCall | BudgetPeriodsCall | KpiPersonasCall


def kpis(
    ctx: BenchContext,
    start: dt.date,
    end: dt.date,
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
) -> KpiCall:
    """A call like ui.loaders.load_kpis builds it."""
    return KpiCall(KpiRequest(kpi_ids or ctx.registry.ids(), start, end, grain, by, filters or Filters()))


def run_ours(wh: Warehouse, call: Call) -> pd.DataFrame:
    if isinstance(call, KpiCall):
        return kpi_frame(wh, call.request)
    if isinstance(call, FunnelCall):
        return funnel_frame(wh, call.start, call.end, call.journey_ids)
    if isinstance(call, KpiPeriodsCall):
        return kpi_periods_frame(wh, call.request, call.periods)
    if isinstance(call, BudgetPeriodsCall):
        return budget_periods_frame(wh, call.periods, call.by)
    if isinstance(call, KpiPersonasCall):
        return kpi_personas_frame(wh, call.request, call.personas)
    return budget_frame(wh, call.start, call.end, call.by)


# --- per page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PagePlan:
    """The calls a page makes, and the metric work on their results (None: not expressed here)."""

    calls: list[Call]
    metrics: Callable[[list[pd.DataFrame]], object] | None = field(default=None)


def _yardstick(ctx: BenchContext) -> Yardstick:
    """The pages' judging inputs; trust as in a store with no check run (reading it is not timed)."""
    d = ctx.dims
    return Yardstick(ctx.registry, d["targets"], d["touchpoints"], TrustEvidence.unchecked())


def _of(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """One period of a KpiPeriodsCall's frame (ui.period_loaders.of_period)."""
    return frame[frame["period"] == label].drop(columns="period").reset_index(drop=True)


def overview_plan(ctx: BenchContext) -> PagePlan:
    from metrics.effectiveness import with_deltas
    from metrics.overview import headline_cells, journey_summary, moments_off_target

    period = ctx.default_period()
    earlier = previous_period(period)
    compared = {"now": period, "before": earlier}
    months = complete_window(period.end, Grain.MONTH, 12)
    trend_start = max(months.start, ctx.first_date)
    # ui.overview_figures.trend_kpis: the health trend reads only KPIs with a target in its months.
    judgeable = kpis_with_targets(ctx.dims["targets"], trend_start, months.end)
    trend_kpis = tuple(k for k in ctx.registry.ids() if k in judgeable) or None
    headline = tuple(k.kpi_id for k in ctx.registry.headline())
    # The health trend a part of the journeys at a time where the summary answers its months
    # (ui.overview_figures.health_trend), else at once.
    journeys = trend_parts(ctx.warehouse, ctx.dims["touchpoints"], (), Period(trend_start, months.end))
    # The period with the one before in one statement per breakdown (ui.period_loaders.load_judged_pair).
    calls: list[Call] = [
        KpiPeriodsCall(kpis(ctx, period.start, period.end, by=Scope.TOUCHPOINT).request, compared),
        *(kpis(ctx, trend_start, months.end, by=Scope.TOUCHPOINT, grain=Grain.MONTH, kpi_ids=trend_kpis,
               filters=Filters(journey_ids=part)) for part in journeys),
        KpiPeriodsCall(kpis(ctx, period.start, period.end, by=Scope.JOURNEY, kpi_ids=headline).request,
                       compared),
    ]

    def metrics(frames: list[pd.DataFrame]) -> object:
        d, reg, ys = ctx.dims, ctx.registry, _yardstick(ctx)
        tp = judge(_of(frames[0], "now"), ys, period.start, period.end)
        judge(_of(frames[0], "before"), ys, earlier.start, earlier.end)
        now = judge(_of(frames[-1], "now"), ys, period.start, period.end)
        before = judge(_of(frames[-1], "before"), ys, earlier.start, earlier.end)
        scored = with_deltas(now, before, ["journey_id", "kpi_id"], "prev")
        journey_summary(tp, d["touchpoints"], d["journeys"])
        moments_off_target(tp, d["touchpoints"], reg)
        return headline_cells(scored, reg, d["journeys"])

    return PagePlan(calls, metrics)


def journey_plan(ctx: BenchContext) -> PagePlan:
    from metrics.effectiveness import pain_points, stage_conversion, with_deltas
    from metrics.journey_map import journey_map_cards, scorecard

    d, reg = ctx.dims, ctx.registry
    journey_id = str(d["journeys"].sort_values("name")["journey_id"].iloc[0])
    feeling = next(k.kpi_id for k in reg if k.unit is Unit.SCORE)
    period = ctx.default_period()
    earlier = previous_period(period)
    only = Filters(journey_ids=(journey_id,))
    calls: list[Call] = [
        KpiPeriodsCall(kpis(ctx, period.start, period.end, by=Scope.TOUCHPOINT, filters=only).request,
                       {"now": period, "before": earlier}),
        FunnelCall(period.start, period.end, (journey_id,)),
        kpis(ctx, period.start, period.end, by=Scope.STAGE, filters=only, kpi_ids=(feeling,)),
    ]

    def metrics(frames: list[pd.DataFrame]) -> object:
        stages = d["stages"][d["stages"]["journey_id"] == journey_id]
        tps = d["touchpoints"][d["touchpoints"]["journey_id"] == journey_id]
        ys = _yardstick(ctx)
        now = judge(_of(frames[0], "now"), ys, period.start, period.end)
        before = judge(_of(frames[0], "before"), ys, earlier.start, earlier.end)
        scored = with_deltas(now, before, ["touchpoint_id", "kpi_id"], "prev")
        journey_map_cards(scored, tps, stages, reg)
        conversion = stage_conversion(frames[1], stages)
        judge(frames[2], ys, period.start, period.end, keys={"journey_id": journey_id})
        pain_points(scored, tps, conversion)
        return scorecard(scored, tps, stages, reg)

    return PagePlan(calls, metrics)


def trends_plan(ctx: BenchContext) -> PagePlan:
    """Defaults: the first two KPIs with a target, monthly, scope all, last year shown."""
    reg, targets = ctx.registry, ctx.dims["targets"]
    judged = [k.kpi_id for k in reg if targets["kpi_id"].eq(k.kpi_id).any()] or list(reg.ids())
    kpi_ids = tuple(judged[:2])
    window = complete_window(ctx.as_of, Grain.MONTH, 24)
    start = max(window.start, ctx.first_date)
    windows = {"current": Period(start, window.end),
               "last_year": last_year_window(Period(start, window.end), Grain.MONTH)}
    to_date = {label: Period(max(p.start, ctx.first_date), p.end, label)
               for label, (p, _whole) in to_date_periods(ctx.as_of).items()}
    # The window and last year in one statement, the pacing of every shown KPI in another.
    calls: list[Call] = [
        KpiPeriodsCall(kpis(ctx, start, window.end, grain=Grain.MONTH, kpi_ids=kpi_ids).request, windows),
        KpiPeriodsCall(kpis(ctx, start, window.end, kpi_ids=kpi_ids).request, to_date),
    ]
    return PagePlan(calls)


#: Owners' actions the My touchpoints plan shows (the demo records none; each shown action's KPI
#: before and after its start is read from the warehouse, ui.actions).
OWNER_ACTIONS = 6


def action_periods(ctx: BenchContext, touchpoint_ids: list[str]) -> tuple[KpiRequest, dict[str, Period]]:
    """The request and windows ui.actions sends for OWNER_ACTIONS actions on these touchpoints
    (started 15, 30, ... days before as_of, on KPIs in registry order), all in one statement."""
    from metrics.action_effects import action_windows

    ids = list(ctx.registry.ids())
    actions = [(touchpoint_ids[i % len(touchpoint_ids)], ids[i % len(ids)],
                ctx.as_of - dt.timedelta(days=15 * (i + 1))) for i in range(OWNER_ACTIONS)]
    windows: dict[str, Period] = {}
    for _tp, _kpi, started in actions:
        for window in action_windows(started, ctx.as_of):
            if window is not None and window.end >= ctx.first_date:
                start = max(window.start, ctx.first_date)
                windows[f"{start}/{window.end}"] = Period(start, window.end)
    first = min(windows.values(), key=lambda p: p.start)
    request = kpis(ctx, first.start, first.end, by=Scope.TOUCHPOINT,
                   filters=Filters(touchpoint_ids=tuple(sorted({a[0] for a in actions}))),
                   kpi_ids=tuple(sorted({a[1] for a in actions}))).request
    return request, dict(sorted(windows.items()))


def my_touchpoints_plan(ctx: BenchContext) -> PagePlan:
    """Defaults: the first owner by name, monthly periods, OWNER_ACTIONS actions on their touchpoints."""
    from metrics.alerts import DEFAULT_WINDOW
    from metrics.owners import owner_names, owner_touchpoints

    d = ctx.dims
    owner = owner_names(d["journeys"], d["touchpoints"])[0]
    mine = owner_touchpoints(owner, d["journeys"], d["touchpoints"])
    window = complete_window(ctx.as_of, Grain.MONTH, DEFAULT_WINDOW + 1)
    latest_start = (pd.Timestamp(window.end).replace(day=1)).date()
    spend_from = (pd.Timestamp(window.end) - pd.DateOffset(months=3) + pd.Timedelta(days=1)).date()
    read = Period(max(window.start, ctx.first_date), window.end)
    parts = owner_parts(ctx.warehouse, mine["touchpoint_id"], Grain.MONTH, read)  # as ui.owner_figures
    calls: list[Call] = [
        *(kpis(ctx, read.start, read.end, by=Scope.TOUCHPOINT, grain=Grain.MONTH,
               filters=Filters(touchpoint_ids=part)) for part in parts),
        FunnelCall(latest_start, window.end, tuple(mine["journey_id"].unique())),
        BudgetCall(spend_from, window.end, ("month", "touchpoint_id")),
        KpiPeriodsCall(*action_periods(ctx, mine["touchpoint_id"].astype(str).tolist())),
    ]
    return PagePlan(calls)


def budget_plan(ctx: BenchContext) -> PagePlan:
    """Defaults: last full quarter, outcome and effectiveness conversion_rate, per touchpoint."""
    period = ctx.default_period()
    first = ctx.first_date.replace(day=1)
    calls: list[Call] = [
        BudgetCall(period.start, period.end, ("month", "journey_id", "touchpoint_id", "channel")),
        kpis(ctx, period.start, period.end, by=Scope.TOUCHPOINT, kpi_ids=("conversion_rate",)),
        FunnelCall(period.start, period.end),
        BudgetCall(first, ctx.as_of, ("month", "touchpoint_id")),
        kpis(ctx, first, ctx.as_of, by=Scope.TOUCHPOINT, grain=Grain.MONTH, kpi_ids=("conversion_rate",)),
    ]
    return PagePlan(calls)


def review_plan(ctx: BenchContext) -> PagePlan:
    """Default: the last full quarter; for it, the quarter before and the same quarter last year,
    journey KPIs, moment-of-truth KPIs by touchpoint and budget by journey (review.pack)."""
    from review.quarters import previous_quarter, quarters_between, same_quarter_last_year

    quarters = quarters_between(ctx.first_date, ctx.as_of)
    quarter = next((q for q in quarters if q.end <= ctx.as_of), quarters[0])
    periods = {"current": quarter, "previous": previous_quarter(quarter),
               "last_year": same_quarter_last_year(quarter)}
    calls: list[Call] = [  # review.pack.fetch_periods: one statement per kind of figure
        KpiPeriodsCall(kpis(ctx, quarter.start, quarter.end, by=Scope.JOURNEY).request, periods),
        KpiPeriodsCall(kpis(ctx, quarter.start, quarter.end, by=Scope.TOUCHPOINT,
                            filters=Filters(moment_of_truth=True)).request, periods),
        BudgetPeriodsCall(periods, ("journey_id",)),
    ]
    return PagePlan(calls)


def persona_journeys(ctx: BenchContext) -> dict[str, tuple[str, ...]]:
    """ui.persona_sections.persona_journeys: each named persona (sorted) with its journeys."""
    journeys = ctx.dims["journeys"]
    named = journeys["persona"].astype("object").where(journeys["persona"].notna(), "")
    named = named.astype(str).str.strip()
    return {p: tuple(sorted(journeys.loc[named == p, "journey_id"])) for p in sorted(set(named) - {""})}


def personas_plan(ctx: BenchContext) -> PagePlan:
    """Default: the last full quarter; every KPI for every persona (its journeys), in one statement."""
    period = ctx.default_period()
    calls: list[Call] = [KpiPersonasCall(kpis(ctx, period.start, period.end).request, persona_journeys(ctx))]
    return PagePlan(calls)


#: Pages that ask the warehouse nothing on a render, and why.
NO_WAREHOUSE_CALLS: dict[str, str] = {
    "pages/data_quality.py": "reads check history from the state store; only its 'Run checks now' "
    "button queries the warehouse (timed by scripts/bench_checks.py)",  # i18n: not shown (benchmark report)
}

#: Page script (as in ui.navigation.PAGES) -> its plan.
WORKLOADS: dict[str, Callable[[BenchContext], PagePlan]] = {
    "pages/overview.py": overview_plan,
    "pages/journey.py": journey_plan,
    "pages/trends.py": trends_plan,
    "pages/my_touchpoints.py": my_touchpoints_plan,
    "pages/budget.py": budget_plan,
    "pages/review.py": review_plan,
    "pages/personas.py": personas_plan,
}


# --- the three paths ---------------------------------------------------------------------------


def run_page_ours(ctx: BenchContext, plan: PagePlan) -> tuple[list[pd.DataFrame], float]:
    """Our path: every call through connectors.queries; returns the frames and metric seconds."""
    import time

    frames = [run_ours(ctx.warehouse, call) for call in plan.calls]
    started = time.perf_counter()
    if plan.metrics is not None:
        plan.metrics(frames)
    return frames, time.perf_counter() - started


def capture_statements(ctx: BenchContext, plan: PagePlan) -> list[tuple[str, Any]]:
    """The SQL and parameters our path sends for this page, as the driver receives them."""
    sent: list[tuple[str, Any]] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    sa.event.listen(ctx.warehouse.engine, "before_cursor_execute", remember)
    try:
        for call in plan.calls:
            run_ours(ctx.warehouse, call)
    finally:
        sa.event.remove(ctx.warehouse.engine, "before_cursor_execute", remember)
    return sent


def run_floor(dbapi_connection: Any, statements: list[tuple[str, Any]]) -> int:
    """The floor: each captured statement executed on the raw DBAPI connection, all rows fetched."""
    fetched = 0
    for statement, parameters in statements:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement, parameters)
        fetched += len(cursor.fetchall())
        cursor.close()
    return fetched
