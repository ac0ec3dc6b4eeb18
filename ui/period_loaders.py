"""Cached loaders for several periods of one KPI question in one warehouse statement (#19).

``load_kpi_periods`` is ``ui.loaders.load_kpis`` for several date ranges at once
(connectors.period_queries.kpi_periods_frame: one statement, one scan, a ``period`` column);
``load_judged_periods`` judges each period over its own dates, like ``load_judged`` does one.
Keys as ui/loaders.py: warehouse key (with the scope's fingerprint), request, and for judged
frames the dimensions version and the check run (ui/caching.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from connectors.access import AccessScope
from connectors.period_queries import kpi_periods_frame
from connectors.warehouse import Warehouse
from metrics.judgement import judge
from metrics.model import Filters, Grain, KpiRequest, Period, Scope
from metrics.trust import TrustEvidence
from ui import caching
from ui.context import AppContext
from ui.loaders import kpi_request, yardstick
from ui.quality_loaders import load_trust

#: (label, first day, last day) per period, in order: a hashable form of {label: Period}.
Spans = tuple[tuple[str, dt.date, dt.date], ...]


def _spans(periods: dict[str, Period]) -> Spans:
    return tuple((label, p.start, p.end) for label, p in periods.items())


# Shared frames (ui/caching.py), as ui/loaders.py keeps its own: one object for the server, not a
# pickle written on the first call and read back on every other (#19: 0.15 s of the Overview's first run
# at 100 M rows).
@caching.shared_frames(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.KPI_FRAMES)
def _kpi_periods(_wh: Warehouse, key: str, request: KpiRequest, spans: Spans,
                 _scope: AccessScope) -> pd.DataFrame:
    # ``key`` carries the scope's fingerprint (ui/context.py: scoped), so the scope is not hashed.
    return kpi_periods_frame(_wh, request, {label: Period(s, e, label) for label, s, e in spans}, _scope)


def load_kpi_periods(
    ctx: AppContext,
    periods: dict[str, Period],
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """kpi_frame columns plus ``period`` (the key of ``periods``) for every period, from one statement."""
    first = next(iter(periods.values()))
    request = kpi_request(ctx, first.start, first.end, by, grain, filters, kpi_ids)
    return _kpi_periods(ctx.warehouse, ctx.key, request, _spans(periods), ctx.scope)


def of_period(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """One period's rows of a ``load_kpi_periods`` frame, without the ``period`` column."""
    return frame[frame["period"] == label].drop(columns="period").reset_index(drop=True)


@caching.shared(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.JUDGED_FRAMES)
def _judged_periods(_ctx: AppContext, _evidence: TrustEvidence, key: str, dimensions_version: str,
                    evidence_key: str, spans: Spans, by: Scope, grain: Grain, filters: Filters | None,
                    kpi_ids: tuple[str, ...] | None,
                    keys: tuple[tuple[str, str], ...]) -> dict[str, pd.DataFrame]:
    periods = {label: Period(s, e, label) for label, s, e in spans}
    frame = load_kpi_periods(_ctx, periods, by=by, grain=grain, filters=filters, kpi_ids=kpi_ids)
    judging = yardstick(_ctx, _evidence)
    return {label: judge(of_period(frame, label), judging, s, e, grain, dict(keys)) for label, s, e in spans}


def load_judged_periods(
    ctx: AppContext,
    periods: dict[str, Period],
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
    keys: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """``ui.loaders.load_judged`` for each period (judged over its own dates), from one statement."""
    evidence = load_trust(ctx)
    args = (ctx, evidence, ctx.key, ctx.dimensions_version, evidence.key, _spans(periods), by, grain, filters,
            kpi_ids, tuple(sorted((keys or {}).items())))
    judged = _judged_periods(*args)
    caching.let_go_after_build(_judged_periods, args, {}, sum(len(frame) for frame in judged.values()))
    return {label: caching.own_view(frame) for label, frame in judged.items()}


def load_judged_pair(
    ctx: AppContext,
    now: Period,
    before: Period,
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
    keys: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``load_judged`` for a period and the period it is compared with, from one statement."""
    judged = load_judged_periods(ctx, {"now": now, "before": before}, by=by, grain=grain,  # i18n: not shown
                                 filters=filters, kpi_ids=kpi_ids, keys=keys)
    return judged["now"], judged["before"]
