"""Cached loaders and store access for the quarterly review page.

The live figures are cached (warehouse queries; ui/caching.py). Other people change the state
store (snapshots, comments), so every run reads the quarter's version from it (one small
statement, review.store.quarter_version) and reads the quarter's comments, their history and its
snapshot again only when that changed (``load_review_state``). Its engine is the one the
data-quality page uses (connectors.runtime.state_engine).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from connectors.access import AccessScope
from connectors.runtime import state_engine
from connectors.state import StateStoreError
from connectors.warehouse import Warehouse, WarehouseError
from metrics.i18n import tr
from metrics.registry import KpiRegistry
from metrics.trust import TrustEvidence
from review.frozen import QuarterReview, review_with_store
from review.pack import EmptyQuarterError, QuarterFigures, build_quarter_figures
from review.quarters import parse_quarter
from review.scoped import review_in_scope
from review.store import QuarterState, prepare_review_store, quarter_state, quarter_version
from ui import caching
from ui.context import AppContext, warehouse_dimensions
from ui.quality_loaders import load_trust
from ui.text import literal


def review_store(ctx: AppContext) -> tuple[sa.Engine | None, str]:
    """The review store, or None and what is wrong with it (the page then shows live figures).
    Its tables are created on the first run only (once per engine)."""
    try:
        engine = state_engine(ctx.settings.state_url)
        prepare_review_store(engine)
    except StateStoreError as exc:
        return None, str(exc)
    return engine, ""


def fingerprint(frame: pd.DataFrame | None) -> str:
    """The content of a frame as a short key: hashed once per run instead of once per cached call
    (live figures are hashed once per cache entry: ShownReview.content)."""
    if frame is None:
        return ""
    if frame.empty:  # as often the comments: hashing no rows takes pandas milliseconds
        return hashlib.sha256(repr(["empty", *frame.columns]).encode()).hexdigest()
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(repr(list(frame.columns)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ShownReview:
    """The quarter as the review page shows it, and a key of its figures' content (what the
    page's cached summary and journey views are keyed by): live figures are hashed once when they
    are computed, not on every run (2 ms at 10 M rows, 10 ms at 100 M)."""

    review: QuarterReview
    content: str


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.QUARTER_FIGURES)
def _live(
    _wh: Warehouse, _registry: KpiRegistry, _trust: TrustEvidence, key: str, trust_key: str, quarter: str,
    as_of: dt.date, _scope: AccessScope, _dimensions: dict[str, pd.DataFrame] | None = None,
) -> tuple[QuarterFigures, str]:
    # ``key`` (AppContext.key) carries the scope's fingerprint; ``_dimensions`` are _wh's own
    # (ui.context.warehouse_dimensions), named by ``key`` too.
    figures = build_quarter_figures(_wh, _registry, parse_quarter(quarter), _trust, as_of, _scope,
                                    dimensions=_dimensions)
    return figures, fingerprint(figures.figures)


@st.cache_data(show_spinner=False, max_entries=caching.REVIEW_STATES)
def _stored(store: str, quarter: str, version: tuple[int, int], _state: sa.Engine) -> QuarterState:
    # ``store``: the state URL without password; ``version``: review.store.quarter_version, read first.
    return quarter_state(_state, quarter)


def load_review_state(state: sa.Engine, quarter: str) -> QuarterState:
    """What the review store holds about ``quarter`` (comments, their history, the snapshot), as of
    this run: its version is read on every call, the rest only when the version changed.
    StateStoreError when the store cannot be read (never an empty quarter)."""
    version = quarter_version(state, quarter)
    return _stored(state.url.render_as_string(hide_password=True), quarter, version, state)


def reread_review_state(state: sa.Engine, quarter: str) -> QuarterState | None:
    """load_review_state after this run saved a comment (so a decision saved is listed at once), or
    None with a warning on screen when the store cannot be read now."""
    try:
        return load_review_state(state, quarter)
    except StateStoreError as exc:
        st.warning(literal(exc))
        return None


def load_quarter_review(ctx: AppContext, state: sa.Engine | None, quarter: str,
                        stored: QuarterState | None = None) -> ShownReview:
    """The quarter as the review shows it: snapshot when closed, else live figures with trust.
    ``stored``: load_review_state's answer for ``state`` (read here when not given)."""
    live: QuarterFigures | Exception
    content = ""
    try:
        trust = load_trust(ctx)
        # st.spinner, not show_spinner: its text is read in the current language on every run
        with st.spinner(tr("Computing the quarter's figures…")):
            live, content = _live(ctx.warehouse, ctx.registry, trust, ctx.key, trust.key, quarter, ctx.as_of,
                                  ctx.scope, warehouse_dimensions(ctx))
    except (EmptyQuarterError, WarehouseError) as exc:
        live = exc
    if state is not None and stored is None:
        stored = load_review_state(state, quarter)
    review = review_in_scope(review_with_store(state, quarter, live, stored), ctx.scope)
    if review.is_closed:  # shown from the snapshot: hash what is shown
        return ShownReview(review, fingerprint(review.figures.figures))
    # the live figures as computed, cut to the scope (review_in_scope): their hash and the scope's
    key = hashlib.sha256(f"live\x1f{content}\x1f{ctx.scope.fingerprint}".encode()).hexdigest()
    return ShownReview(review, key)


def forget_live_figures() -> None:
    _live.clear()
