"""Data-quality loaders: check history from the state store, trust for KPI values, "run checks now".

The state store is small and changed by other processes (a scheduled ``python -m checks run``), so
history is read on every page run. Untrusted scopes are cached per latest run id: a new run, from
the app or the CLI, is picked up on the next page run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from checks import history
from checks.results import CheckRun
from checks.trust import untrusted_scopes
from connectors.state import StateStoreError, create_state_engine
from metrics.trust import apply_trust, count_untrusted, empty_scopes
from pages.context import AppContext


@st.cache_resource(show_spinner=False)
def _state_engine(url: str) -> sa.Engine:
    return create_state_engine(url)


def quality_state(ctx: AppContext) -> tuple[sa.Engine | None, str]:
    """The state store holding check history, or None and what is wrong with it."""
    try:
        return _state_engine(ctx.settings.state_url), ""
    except StateStoreError as exc:
        return None, str(exc)


@st.cache_data(ttl=3600, show_spinner=False, max_entries=16)
def _scopes(_engine: sa.Engine, url: str, run_id: str) -> pd.DataFrame:
    return untrusted_scopes(_engine)


def load_untrusted_scopes(ctx: AppContext) -> pd.DataFrame:
    """Scopes the latest check run does not trust; empty when no run exists or history is unreadable."""
    engine, _ = quality_state(ctx)
    if engine is None:
        return empty_scopes()
    try:
        run_id = history.latest_run_id(engine)
        return empty_scopes() if run_id is None else _scopes(engine, ctx.settings.state_url, run_id)
    except StateStoreError:
        return empty_scopes()


def with_trust(ctx: AppContext, values: pd.DataFrame) -> pd.DataFrame:
    """``values`` with trusted / trust_reason columns and NOT_TRUSTED status (metrics.trust)."""
    return apply_trust(values, load_untrusted_scopes(ctx), ctx.touchpoints)


@dataclass(frozen=True)
class QualityView:
    """What the data-quality page shows about the latest run."""

    run: pd.Series
    results: pd.DataFrame
    history: pd.DataFrame
    freshness: pd.DataFrame


def load_quality(engine: sa.Engine, runs: int = 30) -> QualityView | None:
    """The latest run with its results (plus failing_since), history and freshness; None if no run."""
    latest = history.list_runs(engine, limit=1)
    if latest.empty:
        return None
    run = latest.iloc[0]
    trend = history.results_history(engine, runs)
    results = history.run_results(engine, str(run["run_id"])).merge(
        history.since_failing(trend), on="check_id", how="left"
    )
    freshness = history.run_freshness(engine, str(run["run_id"]))
    return QualityView(run=run, results=results, history=trend, freshness=freshness)


def run_checks_now(
    ctx: AppContext, engine: sa.Engine, today: dt.date, progress: Callable[[float, str], None]
) -> CheckRun:
    """Run every check on the app's warehouse (as of ``today``), store the run, build Data Docs."""
    from checks.runner import run_checks  # imports Great Expectations: only when asked to run

    run = run_checks(
        ctx.settings.effective_warehouse_url,
        today,
        mapping_path=ctx.settings.mapping_path,
        docs_dir=ctx.settings.data_dir / "gx",
        trigger="app",
        progress=progress,
        engine=ctx.warehouse.engine,
    )
    history.save_run(engine, run)
    return run


def show_trust_note(ctx: AppContext, *frames: pd.DataFrame) -> None:
    """How many values on the page are not trusted, with a link to the data-quality page."""
    untrusted = sum(count_untrusted(f) for f in frames)
    shown = sum(len(f) for f in frames)
    if untrusted == 0:
        engine, _ = quality_state(ctx)
        checked = engine is not None and _latest_run_or_none(engine) is not None
        st.caption("✓ Every value on this page passes the critical data-quality checks of the latest run."
                   if checked else "No data-quality checks have run yet: values are shown unchecked.")
        return
    with st.container(border=True):
        st.markdown(
            f"**⊘ {untrusted} of {shown} KPI values on this page are not trusted**: critical "
            "data-quality checks fail for the rows behind them, so they show as *Not trusted* "
            "instead of a status colour. Hover a cell for the reason."
        )
        st.page_link("pages/data_quality.py", label="See what is wrong on the Data quality page",
                     icon=":material/fact_check:")


def _latest_run_or_none(engine: sa.Engine) -> str | None:
    try:
        return history.latest_run_id(engine)
    except StateStoreError:
        return None
