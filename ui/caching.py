"""The app's cache policy in one place: what is cached where, for how long, and under which keys.

Caching happens only at the I/O edge, in ui/. Every decorator takes its lifetime and size from the
constants below; nothing else in the app sets a TTL or ``max_entries``.

**Resources** (``st.cache_resource``: one object for the server, shared by every session)

- ``ui/context.py _warehouse``: the opened warehouse (engine and checked mapping), keyed by URL,
  mapping file and demo file; replaced (its engine closed) when the demo file is rebuilt.
- ``ui/context.py _demo_lock``: one lock per demo file, so one session rebuilds it.
- The state store's engine is not a Streamlit resource: connectors.runtime.state_engine keeps one
  per URL for the process (the check history, trust and review pages share it), and each feature
  creates its tables once per engine, never per read.

**Shared frames** (``st.cache_resource`` holding a DataFrame, handed out through ``own_view``):
ui/loaders.py's KPI, funnel, budget and judged frames, and (through ``shared``) ui/context.py's
dimension tables. ``st.cache_data`` pickles what it keeps and unpickles a copy for every call; at 10
M rows the Overview's monthly judged frame is about 25 MB, so each run of each session built its own
copy of it (CPU and memory while the run lasts). A shared frame is one object for the server; every
caller gets ``own_view(frame)``, a shallow copy: with pandas' copy-on-write (always on since pandas
3) a caller that sets, adds or drops columns or values of its view copies what it changes and leaves
the shared frame as it was (tests/test_shared_frames.py). Nothing may write into a frame's arrays
directly (``to_numpy()`` of a copy-on-write frame is read-only). A large shared frame (over
LARGE_FRAME_ROWS rows) read while a page's cached figures are built (ui/page_figures.py) is let go
when the build ends: the figures are what later runs read (``building_figures``). So are the judged
periods of ui/period_loaders.py (one entry, a frame per period), large by their rows together.

**Data** (``st.cache_data``: each call gets its own copy). The keys the caches carry:

- *warehouse key* (``AppContext.key``): URL without credentials, mapping file and, for the demo,
  the version of its file, so nothing read from one warehouse (or one build of the demo) is
  served for another.
- *dimensions version* (``AppContext.dimensions_version``): a fingerprint of the dimension tables
  as loaded, so a target changed in the warehouse is never judged by the old one.
- *trust evidence key* (``TrustEvidence.key``): the latest check run, so a run from the app or
  from ``python -m checks run`` changes trust marks on the next page run.
- *access scope* (``AccessScope.fingerprint``, connectors/access.py): a scoped person's context
  key is the warehouse key plus the fingerprint of their scope (ui/context.py ``scoped``), so
  every cache keyed by ``AppContext.key`` keeps their frames apart; the scope itself is passed to
  the queries unhashed. Everyone who reads everything shares the unscoped entries. Dimension
  tables and date bounds are read unscoped (they hold no figures) and cut to the person's
  journeys in the context.

Where, with the keys besides each call's own arguments (TTL WAREHOUSE_TTL_SECONDS unless noted):

- ui/context.py: dimension tables (shared: every session's context holds a view of them) and
  date bounds (warehouse key; WAREHOUSE_VERSIONS); the demo
  file's record (its path and stamp: inode, mtime, size; no TTL; DEMO_FILES).
- ui/loaders.py (shared frames, see above): KPI, funnel and budget frames (warehouse key,
  request; KPI_FRAMES, FUNNEL_FRAMES, BUDGET_FRAMES); judged KPI values (warehouse key, dimensions
  version, trust evidence key, request; JUDGED_FRAMES).
- ui/period_loaders.py: KPI frames of several periods from one statement (warehouse key, request,
  periods; KPI_FRAMES) and their judged values (as ui/loaders.py; JUDGED_FRAMES).
- ui/persona_loaders.py: KPI frames of every persona from one statement (warehouse key, request,
  each persona's journeys; KPI_FRAMES) and their judged values (as ui/loaders.py; JUDGED_FRAMES).
- ui/budget_what_if.py: the optimiser's result and the default goal for a scenario (warehouse
  key, item level, outcome, period, as_of, the edited scenario; WHAT_IF_RESULTS).
- ui/budget_loaders.py: response-curve fits with their history (warehouse key, item level, KPI,
  dates; CURVE_FITS); a period's budget rows with dimensions and names (warehouse key, dimensions
  version, dates; BUDGET_FRAMES).
- ui/review_loaders.py: a quarter's live figures with their content hash (warehouse key, trust
  evidence key, quarter, as_of; QUARTER_FIGURES); what the review store holds about a quarter:
  comments, their history, the snapshot (state URL without password, quarter, the quarter's
  version: the count and highest id of its audit rows, read on every run; no TTL; REVIEW_STATES).
- ui/quality_loaders.py: trust evidence (state URL, latest run id; EVIDENCE_TTL_SECONDS;
  TRUST_RUNS).
- ui/trend_sections.py: a KPI's quarter- and year-to-date pacing (warehouse key, trust evidence
  key, dimensions version, request; JUDGED_FRAMES); the Trends page's judged series with each
  KPI's chart spec and comparison text (the same keys; JUDGED_FRAMES).
- ui/page_figures.py: what a page derives from its judged frames (cards, tables, values in words),
  once per request (warehouse key, dimensions version, trust evidence key, date bounds, request;
  PAGE_FIGURES). It calls the cached loaders, like judged values do.
- ui/review_sections.py: journey views (chart spec, table and chart data as Arrow) and the executive
  summary (the figures' content: ui/review_loaders.py ShownReview.content, a hash of the live
  figures taken when they are computed, or of the snapshot's; no TTL; REVIEW_CHART_SPECS).
- ui/cached_charts.py: every other page chart's spec (its builder and arguments' content; no TTL;
  CHART_SPECS).

Why: anything read from the warehouse lives ``WAREHOUSE_TTL_SECONDS``, so a load into the warehouse
shows within ten minutes while a page run stays warm. Caches keyed by content (a file's stamp, the
figures) cannot go stale and need no TTL. The latest check run id is read on every page run (one
small query) and the evidence for a run never changes; its TTL only bounds memory. Check history is not
cached at all: the state store is small and other people and processes change it. The review's
comments and closed quarters are cached by the quarter's version in the store (review.store
quarter_version), read first on every run, so a save, a close or a reopen by anyone, on any replica,
shows on the next run, and this run's own save too.

Nesting: judged values call the cached KPI frames on purpose (a new check run or a target change
re-judges without asking the warehouse again), and page figures call the loaders (a new check run
or target re-derives them). No other cached function calls a cached function.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from ui.server_load import release_free_memory

#: Anything read from the warehouse (queries, dimensions, fits built from them), in seconds.
WAREHOUSE_TTL_SECONDS = 600
#: Trust evidence of one check run, in seconds. A run never changes (the latest run id is read on
#: every page run), so this only bounds how long an older run's evidence is held.
EVIDENCE_TTL_SECONDS = 600

#: Warehouses (and demo builds) whose dimensions and bounds are kept at once.
WAREHOUSE_VERSIONS = 16
#: Aggregated frames: one entry per warehouse key and request (pages ask for a handful per run).
KPI_FRAMES = 512
JUDGED_FRAMES = 512
FUNNEL_FRAMES = 256
BUDGET_FRAMES = 256
#: Figures pages derive from judged frames (ui/page_figures.py): a few per page and request.
PAGE_FIGURES = 256
#: Expensive, few and large: one per item level and outcome KPI, one per quarter.
CURVE_FITS = 32
QUARTER_FIGURES = 32
#: Trust evidence of the latest check runs (state store URLs times runs).
TRUST_RUNS = 16
#: Records of demo files (path and version).
DEMO_FILES = 8
#: What the review store holds about a quarter, per state store, quarter and version.
REVIEW_STATES = 32
#: Chart specs of journey sections on the review page.
REVIEW_CHART_SPECS = 64
#: What-if results and default goals of the Budget page (ui/budget_what_if.py).
WHAT_IF_RESULTS = 64
#: Vega-Lite specs of charts (ui/cached_charts.py), keyed by content: no TTL needed.
CHART_SPECS = 256


P = ParamSpec("P")
R = TypeVar("R")
_SHARED_CLEARS: list[Callable[[], None]] = []


def own_view(frame: pd.DataFrame) -> pd.DataFrame:
    """A caller's own view of a shared cached frame: a shallow copy (no data copied). pandas'
    copy-on-write copies what the caller then changes, so the shared frame stays as it was."""
    return frame.copy(deep=False)


def shared(*, ttl: float | None, max_entries: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``st.cache_resource`` (one object for the server, arguments starting with ``_`` not hashed)
    for data read from the warehouse, which ``clear_data`` forgets too. What it returns is shared
    by every caller: hand out frames in it through ``own_view``."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        cached = st.cache_resource(ttl=ttl, max_entries=max_entries, show_spinner=False)(func)
        _SHARED_CLEARS.append(cached.clear)
        return cached

    return decorate


def shared_frames(
    *, ttl: float | None, max_entries: int
) -> Callable[[Callable[P, pd.DataFrame]], Callable[P, pd.DataFrame]]:
    """``shared`` for a function returning a frame: each call returns ``own_view`` of it."""

    def decorate(func: Callable[P, pd.DataFrame]) -> Callable[P, pd.DataFrame]:
        cached = shared(ttl=ttl, max_entries=max_entries)(func)

        @functools.wraps(func)
        def view(*args: P.args, **kwargs: P.kwargs) -> pd.DataFrame:
            frame = cached(*args, **kwargs)
            let_go_after_build(cached, args, kwargs, len(frame))
            return own_view(frame)

        return view

    return decorate


#: A shared frame of more rows than this, read while cached figures are built (``building_figures``),
#: is let go when the build ends: the figures are what later runs read. At 100 M fact rows the
#: Overview's and My touchpoints' monthly frames per touchpoint and KPI (486,000 and 411,210 rows,
#: with their judged values about 100 MB) stayed under every later page's first run. Read again
#: (figures rebuilt after a new check run, or the same request on another page) such a frame is read
#: again from the warehouse. Frames read outside a build, and smaller frames, stay as before.
LARGE_FRAME_ROWS = 100_000

#: Per thread (each session's script runs in its own): the large shared frames read by the figures
#: build running in it, None outside a build.
_builds = threading.local()


def let_go_after_build(cached: Any, args: tuple[Any, ...], kwargs: dict[str, Any], rows: int) -> None:
    """Note the entry ``cached(*args, **kwargs)`` (a ``shared`` function's, holding ``rows`` rows of
    frames) to be let go when the figures build running in this thread ends, if it is large; outside
    a build, nothing."""
    building = getattr(_builds, "large", None)
    if building is not None and rows > LARGE_FRAME_ROWS:
        building.append((cached, args, kwargs))


@contextlib.contextmanager
def building_figures() -> Iterator[None]:
    """Hold this while building figures that are cached: the large shared frames read meanwhile
    (``LARGE_FRAME_ROWS``) stay cached until the outermost build ends, then are let go, and the
    allocators hand what the build freed back (ui.server_load.release_free_memory) before the page
    draws the figures: drawing then starts from what is held, not from the build's high-water mark."""
    if getattr(_builds, "large", None) is not None:  # nested: the outermost build lets them go
        yield
        return
    _builds.large = []
    try:
        yield
    finally:
        large, _builds.large = _builds.large, None
        for cached, args, kwargs in large:
            cached.clear(*args, **kwargs)
        release_free_memory()


def clear_data() -> None:
    """Forget everything read from the warehouse (``st.cache_data`` and the shared frames) while
    keeping resources such as the opened warehouse: for tests and benchmarks that need a cold cache."""
    st.cache_data.clear()
    for clear in _SHARED_CLEARS:
        clear()
