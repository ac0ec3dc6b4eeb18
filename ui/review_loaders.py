"""Cached loaders and store access for the quarterly review page.

The live figures are cached (warehouse queries; ui/caching.py); the state store (snapshots,
comments, trust) is read on every run, because other people change it and it is small. Its engine
is the one the data-quality page uses (connectors.runtime.state_engine).
"""

from __future__ import annotations

import datetime as dt

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
from review.store import prepare_review_store
from ui import caching
from ui.context import AppContext
from ui.quality_loaders import load_trust


def review_store(ctx: AppContext) -> tuple[sa.Engine | None, str]:
    """The review store, or None and what is wrong with it (the page then shows live figures).
    Its tables are created on the first run only (once per engine)."""
    try:
        engine = state_engine(ctx.settings.state_url)
        prepare_review_store(engine)
    except StateStoreError as exc:
        return None, str(exc)
    return engine, ""


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.QUARTER_FIGURES)
def _live(
    _wh: Warehouse, _registry: KpiRegistry, _trust: TrustEvidence, key: str, trust_key: str, quarter: str,
    as_of: dt.date, _scope: AccessScope,
) -> QuarterFigures:
    # ``key`` (AppContext.key) carries the scope's fingerprint.
    return build_quarter_figures(_wh, _registry, parse_quarter(quarter), _trust, as_of, _scope)


def load_quarter_review(ctx: AppContext, state: sa.Engine | None, quarter: str) -> QuarterReview:
    """The quarter as the review shows it: snapshot when closed, else live figures with trust."""
    live: QuarterFigures | Exception
    try:
        trust = load_trust(ctx)
        # st.spinner, not show_spinner: its text is read in the current language on every run
        with st.spinner(tr("Computing the quarter's figures…")):
            live = _live(ctx.warehouse, ctx.registry, trust, ctx.key, trust.key, quarter, ctx.as_of,
                         ctx.scope)
    except (EmptyQuarterError, WarehouseError) as exc:
        live = exc
    return review_in_scope(review_with_store(state, quarter, live), ctx.scope)


def forget_live_figures() -> None:
    _live.clear()
