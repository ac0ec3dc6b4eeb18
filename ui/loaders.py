"""Cached loaders: the only way pages reach the warehouse.

Each loader takes the context (not hashed) plus hashable request arguments, and caches the small
aggregated frame keyed by the warehouse key and the request (lifetime and size: ui/caching.py).

The frames are shared frames (ui/caching.py ``shared_frames``): one object for the server, not
pickled and copied for every call as ``st.cache_data`` does; each caller gets its own shallow view,
which pandas' copy-on-write keeps apart from the shared frame.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from connectors.access import AccessScope
from connectors.queries import budget_frame, funnel_frame, kpi_frame
from connectors.warehouse import Warehouse
from metrics.judgement import Yardstick, judge
from metrics.model import Filters, Grain, KpiRequest, Scope
from metrics.trust import TrustEvidence
from ui import caching
from ui.context import AppContext
from ui.quality_loaders import load_trust


@caching.shared_frames(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.KPI_FRAMES)
def _kpis(_wh: Warehouse, key: str, request: KpiRequest, _scope: AccessScope) -> pd.DataFrame:
    # ``key`` carries the scope's fingerprint (ui/context.py: scoped), so the scope is not hashed.
    return kpi_frame(_wh, request, _scope)


@caching.shared_frames(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.FUNNEL_FRAMES)
def _funnel(
    _wh: Warehouse, key: str, start: dt.date, end: dt.date, journey_ids: tuple[str, ...], grain: Grain,
    _scope: AccessScope,
) -> pd.DataFrame:
    return funnel_frame(_wh, start, end, journey_ids, grain, _scope)


@caching.shared_frames(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.BUDGET_FRAMES)
def _budget(_wh: Warehouse, key: str, start: dt.date, end: dt.date, by: tuple[str, ...],
            _scope: AccessScope) -> pd.DataFrame:
    return budget_frame(_wh, start, end, by, _scope)


def load_kpis(
    ctx: AppContext,
    start: dt.date,
    end: dt.date,
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
    kept: bool = True,
) -> pd.DataFrame:
    """Aggregated numerators and denominators (connectors.queries.kpi_frame), cached; with
    ``kept=False`` read for this call alone (a part of a series read in parts, ui/read_parts.py)."""
    request = kpi_request(ctx, start, end, by, grain, filters, kpi_ids)
    if not kept:
        return kpi_frame(ctx.warehouse, request, ctx.scope)
    return _kpis(ctx.warehouse, ctx.key, request, ctx.scope)


def kpi_request(
    ctx: AppContext,
    start: dt.date,
    end: dt.date,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
) -> KpiRequest:
    """The request ``load_kpis`` sends: every KPI of the registry unless ``kpi_ids`` names some."""
    return KpiRequest(kpi_ids=kpi_ids or ctx.registry.ids(), start=start, end=end, grain=grain, by=by,
                      filters=filters or Filters())


def load_funnel(
    ctx: AppContext,
    start: dt.date,
    end: dt.date,
    journey_ids: tuple[str, ...] = (),
    grain: Grain = Grain.PERIOD,
) -> pd.DataFrame:
    return _funnel(ctx.warehouse, ctx.key, start, end, journey_ids, grain, ctx.scope)


def load_budget(ctx: AppContext, start: dt.date, end: dt.date, by: tuple[str, ...]) -> pd.DataFrame:
    return _budget(ctx.warehouse, ctx.key, start, end, by, ctx.scope)


@caching.shared_frames(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.JUDGED_FRAMES)
def _judged(
    _ctx: AppContext,
    _evidence: TrustEvidence,
    key: str,
    dimensions_version: str,
    evidence_key: str,
    start: dt.date,
    end: dt.date,
    by: Scope,
    grain: Grain,
    filters: Filters | None,
    kpi_ids: tuple[str, ...] | None,
    keys: tuple[tuple[str, str], ...],
    columns: tuple[str, ...] | None,
) -> pd.DataFrame:
    # The cached frame on purpose: a new check run or target re-judges without a warehouse query.
    frame = load_kpis(_ctx, start, end, by=by, grain=grain, filters=filters, kpi_ids=kpi_ids)
    judging = yardstick(_ctx, _evidence)
    return _judged_frame(frame, judging, start, end, grain, dict(keys), columns, JUDGED_PARTS)


def _judged_frame(frame: pd.DataFrame, judging: Yardstick, start: dt.date, end: dt.date, grain: Grain,
                  keys: dict[str, str], columns: tuple[str, ...] | None, runs: int) -> pd.DataFrame:
    if columns is None:
        return judge(frame, judging, start, end, grain, keys)
    return judged_columns(frame, judging, start, end, grain, keys, list(columns), runs=runs)


#: Parts a multi-period frame is judged in when only some columns are kept (``judged_columns``).
JUDGED_PARTS = 4


def judged_columns(frame: pd.DataFrame, judging: Yardstick, start: dt.date, end: dt.date, grain: Grain,
                   keys: dict[str, str], columns: list[str], shared: tuple[str, ...] = (),
                   runs: int = JUDGED_PARTS) -> pd.DataFrame:
    """``judge(frame, ...)[columns]``, judged in JUDGED_PARTS runs of whole periods (each row is
    judged on its own, and ``frame`` is ordered by period first), so the judged frame's twenty
    columns never exist for all rows at once. At 100 M fact rows, judging the Overview's 12-month
    frame of every touchpoint whole took about 240 MB at its peak, in four parts 100 MB, at the same CPU;
    one part per month 55 MB but up to 40 % more CPU (#19: memory). The text columns named in
    ``shared`` come as ``shared_texts`` makes them. ``runs``: how many (one for a frame that is
    already a part of a series read in parts)."""
    periods = pd.unique(frame["period_start"]) if grain is not Grain.PERIOD else []
    if len(periods) < 2 or runs < 2:
        return shared_texts(judge(frame, judging, start, end, grain, keys)[columns].copy(), shared)
    part_of = pd.Series(np.arange(len(periods)) * runs // len(periods), index=periods)
    parts = frame.groupby(frame["period_start"].map(part_of).to_numpy(), sort=False)
    return pd.concat([shared_texts(judge(part, judging, start, end, grain, keys)[columns], shared)
                      for _, part in parts], ignore_index=True)


def shared_texts(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with its text columns ``names`` as Python strings (object), each distinct text one
    object shared by its rows, for columns of a few distinct values (statuses, trust reasons): an
    Arrow string column holds every row's characters (the trust reason of My touchpoints' 411,210
    rows at 100 M fact rows took 28 MB, shared 3 MB; #19: memory). The same values; missing ones
    stay NaN."""
    out = frame.copy(deep=False)
    for name in names:
        codes, uniques = pd.factorize(out[name])
        texts = np.append(np.asarray(uniques, dtype=object), np.nan)  # code -1 (missing): the last
        out[name] = pd.Series(texts[codes], index=out.index, dtype=object)
    return out


def judged_series(
    ctx: AppContext,
    start: dt.date,
    end: dt.date,
    *,
    by: Scope,
    grain: Grain,
    filters: Filters,
    columns: tuple[str, ...],
    whole_periods: int,
    kept: bool = True,
    judging: Yardstick | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A long judged series for a builder whose figures are cached under the keys a judged frame
    has (ui/page_figures.py): ``load_judged``'s frame without caching it a second time. Returns
    ``columns`` of every row (``judged_columns``, judged in parts) and every column of the rows of
    the last ``whole_periods`` periods, each row at its position in the series (its index). The
    series' status and trust columns are shared Python strings (``SHARED_TEXTS``).

    The KPI frame stays cached (load_kpis: a new check run re-judges without a query). My
    touchpoints' 27 months of an owner's ~4,000 touchpoints at 100 M fact rows are 411,210 rows:
    judged whole and cached they held 144 MB (trust reasons, target scopes and status texts of
    every month) for figures that keep a few of them (#19: memory). ``kept=False``: the KPI frame is
    read for this call alone, not cached, and judged in one run (a part of a series read in parts,
    ui/read_parts.py: already a part). ``judging``: what to judge against when the caller has it
    (each part of a series against the same, built once)."""
    frame = load_kpis(ctx, start, end, by=by, grain=grain, filters=filters, kept=kept)
    judging = judging or yardstick(ctx)
    runs = JUDGED_PARTS if kept else 1
    last = sorted(pd.unique(frame["period_start"]))[-whole_periods:]
    rows = np.flatnonzero(frame["period_start"].isin(last).to_numpy())
    recent = judge(frame.iloc[rows].reset_index(drop=True), judging, start, end, grain)
    recent = recent.set_axis(pd.RangeIndex(len(frame))[rows])
    earlier = len(frame) - len(rows)
    shared = tuple(c for c in SHARED_TEXTS if c in columns)
    if len(rows) and rows[0] != earlier:  # not the frame's tail: judge the series apart
        return judged_columns(frame, judging, start, end, grain, {}, list(columns), shared, runs), recent
    # The latest periods are the frame's last rows (ordered by period): their judged rows serve the
    # series too instead of being judged a second time, thin (each row is judged on its own).
    parts = [judged_columns(frame.iloc[:earlier], judging, start, end, grain, {}, list(columns), shared, runs)
             ] if earlier else []
    series = pd.concat([*parts, shared_texts(recent[list(columns)], shared)], ignore_index=True)
    return series, recent


#: The judged series' text columns of a few distinct values, kept as shared Python strings
#: (``shared_texts``); the keys stay Arrow strings, as merges and groupings expect them.
SHARED_TEXTS = ("status", "trust", "trust_reason")


def yardstick(ctx: AppContext, evidence: TrustEvidence | None = None) -> Yardstick:
    """What this run judges against: the context's KPIs, targets, touchpoints and trust."""
    return Yardstick(ctx.registry, ctx.targets, ctx.touchpoints, evidence or load_trust(ctx))


def load_judged(
    ctx: AppContext,
    start: dt.date,
    end: dt.date,
    *,
    by: Scope = Scope.ALL,
    grain: Grain = Grain.PERIOD,
    filters: Filters | None = None,
    kpi_ids: tuple[str, ...] | None = None,
    keys: dict[str, str] | None = None,
    columns: tuple[str, ...] | None = None,
    kept: bool = True,
    judging: Yardstick | None = None,
) -> pd.DataFrame:
    """KPI values over [start, end] judged in one step (metrics.judgement.judge): value, target in
    force, status and trust. The only way pages get KPI numbers to show.

    ``columns``: keep only these columns of the judged frame in the cache (all when None), for a
    reader of a large frame that uses a few: the Overview's 12-month trend of every touchpoint
    (about 490,000 rows at 100 M fact rows) needs three of its twenty-one (#19: memory).

    Cached per request, version of the dimension tables and check run: judging took about a
    third of a warm Overview or Journey run at 10 M rows, and a new check run must show at once.
    ``kept=False``: read and judged for this call alone, nothing cached, in one run (a part of a
    series read in parts, ui/read_parts.py), against ``judging`` when given (the parts' own, built
    once).
    """
    if not kept:
        frame = load_kpis(ctx, start, end, by=by, grain=grain, filters=filters, kpi_ids=kpi_ids, kept=False)
        return _judged_frame(frame, judging or yardstick(ctx), start, end, grain, keys or {}, columns, runs=1)
    evidence = load_trust(ctx)
    return _judged(ctx, evidence, ctx.key, ctx.dimensions_version, evidence.key, start, end, by, grain,
                   filters, kpi_ids, tuple(sorted((keys or {}).items())), columns)
