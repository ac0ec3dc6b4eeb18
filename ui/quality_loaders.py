"""Data-quality loaders: check history from the state store, trust for KPI values, "run checks now".

The state store is small and changed by other processes (a scheduled ``python -m checks run``), so
history is read on every page run. The trust evidence is cached per latest run id: a new run,
from the app or the CLI, is picked up on the next page run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from checks import history
from checks.trust import load_trust_evidence
from connectors.runtime import state_engine
from connectors.state import StateStoreError
from metrics.formatting import current_language
from metrics.i18n import tr
from metrics.status import Status
from metrics.trust import TrustEvidence, TrustState, count_untrusted
from ui import caching
from ui.context import AppContext
from ui.text import literal


def quality_state(ctx: AppContext) -> tuple[sa.Engine | None, str]:
    """The state store holding check history (connectors.runtime: one engine per URL, shared with
    the review page), or None and what is wrong with it."""
    try:
        return state_engine(ctx.settings.state_url), ""
    except StateStoreError as exc:
        return None, str(exc)


@st.cache_data(ttl=caching.EVIDENCE_TTL_SECONDS, show_spinner=False, max_entries=caching.TRUST_RUNS)
def _evidence(_engine: sa.Engine, url: str, run_id: str, language: str) -> TrustEvidence:
    """``language`` keys the cache: the evidence's reasons are worded in it."""
    return load_trust_evidence(_engine)


def load_trust(ctx: AppContext) -> TrustEvidence:
    """What the latest check run says (metrics.trust): cached per run, so a new run from the app
    or the CLI shows on the next page run; unchecked without a run; unknown, with the reason,
    when the history cannot be read."""
    engine, problem = quality_state(ctx)
    if engine is None:
        return TrustEvidence.unknown(problem)
    try:
        run_id = history.latest_run_id(engine)
    except (StateStoreError, sa.exc.SQLAlchemyError):
        return load_trust_evidence(engine)  # the same failure, worded as "unknown" with its reason
    if run_id is None:
        return TrustEvidence.unchecked()
    return _evidence(engine, ctx.settings.state_url, run_id, current_language())


@dataclass(frozen=True)
class QualityView:
    """What the data-quality page shows about the latest run."""

    run: pd.Series
    results: pd.DataFrame
    history: pd.DataFrame
    freshness: pd.DataFrame
    scopes: pd.DataFrame  # the failing checks' scopes (checks/_scoping.py): places, KPIs, data dates


def load_quality(engine: sa.Engine, runs: int = 30) -> QualityView | None:
    """The latest run with its results (plus failing_since), history, freshness and failing scopes;
    None if no run."""
    latest = history.list_runs(engine, limit=1)
    if latest.empty:
        return None
    run = latest.iloc[0]
    trend = history.results_history(engine, runs)
    results = history.run_results(engine, str(run["run_id"])).merge(
        history.since_failing(trend), on="check_id", how="left"
    )
    freshness = history.run_freshness(engine, str(run["run_id"]))
    scopes = history.run_scopes(engine, str(run["run_id"]))
    return QualityView(run=run, results=results, history=trend, freshness=freshness, scopes=scopes)


def trust_counts(*frames: pd.DataFrame) -> tuple[int, int]:
    """(values not trusted, values) over the frames a page shows: what ``show_trust_counts`` says."""
    return sum(count_untrusted(f) for f in frames), sum(len(f) for f in frames)


def show_trust_note(ctx: AppContext, *frames: pd.DataFrame) -> None:
    """The trust of the values on this page in one place: how many are not trusted (with a link
    to the data-quality page), or that nothing is checked yet, or that trust is unknown."""
    show_trust_counts(ctx, *trust_counts(*frames))


def show_trust_counts(ctx: AppContext, untrusted: int, shown: int) -> None:
    """``show_trust_note`` from the counts (``trust_counts``), for figures built once (ui/page_figures.py)."""
    evidence = load_trust(ctx)
    if evidence.state is TrustState.UNKNOWN:
        st.warning(
            tr("**Trust unknown**: the data-quality history cannot be read, so nobody can tell whether "
               "the values on this page pass their checks. They show their status against target, "
               "unverified. Fix the state store (MOT_STATE_URL) and reload."),
            icon="⚠️",
        )
        st.text(tr("Why: {reason}").format(reason=evidence.detail))
        return
    if evidence.state is TrustState.UNCHECKED:
        st.info(
            tr("**Unchecked**: no data-quality check has run yet, so these values are not verified. "
               "Run the checks on the Data quality page or with `python -m checks run`."),
            icon="ℹ️",
        )
        return
    if untrusted == 0:
        st.caption(tr("✓ Every value on this page passes the critical data-quality checks of the latest "
                      "{run}.").format(run=literal(evidence.detail) or tr("check run")))
        return
    with st.container(border=True):
        st.markdown(tr(
            "**⊘ {untrusted} of {shown} KPI values on this page are not trusted**: critical "
            "data-quality checks fail for their rows in this period, so they show in purple with "
            "their status against target and a question mark (⊘ {on_target}?). Hover for the reason."
        ).format(untrusted=untrusted, shown=shown, on_target=Status.ON_TARGET.label))
        st.page_link("pages/data_quality.py", label=tr("See what is wrong on the Data quality page"),
                     icon="🔎")
