"""What the latest check run says about KPI rows: the ``TrustEvidence`` every judgement uses.

Only failing *critical* checks on tables that shape a KPI value or its status count (journeys,
stages, touchpoints, kpis, touchpoint_kpis, targets, and the warehouse itself); budget and funnel
faults show on their own pages. Each failing check untrusts only its scopes (checks/_scoping.py:
places, KPI and dates). No run yet gives "unchecked"; a state store that cannot be read gives
"unknown" with the reason, never "no checks have run".

The reasons are worded here, in the current language, from the stored structured fields (check id,
outcome, failing count), not from the stored Great Expectations text: a cache of the evidence
keys by language.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from checks import history
from checks.catalogue import KPI_TABLES, Severity, check_label
from checks.impact import plain_reason
from connectors.db_errors import database_reason
from connectors.state import StateStoreError
from metrics.i18n import tr
from metrics.trust import SCOPE_COLUMNS, TrustEvidence, empty_scopes

__all__ = ["load_trust_evidence", "untrusted_scopes"]

REASON_CHARS = 160
TRUST_TABLES: tuple[str, ...] = (*KPI_TABLES, "warehouse")


def load_trust_evidence(state_engine: sa.Engine | None, problem: str = "") -> TrustEvidence:
    """The latest run's verdict, or unchecked (no run) or unknown (history unreadable).

    ``state_engine`` None means the store could not even be opened; ``problem`` says why.
    """
    if state_engine is None:
        return TrustEvidence.unknown(problem or tr("the state store (MOT_STATE_URL) cannot be opened"))
    try:
        runs = history.list_runs(state_engine, limit=1)
        if runs.empty:
            return TrustEvidence.unchecked()
        run = runs.iloc[0]
        run_id = str(run["run_id"])
        started = pd.Timestamp(run["started_at"]).strftime(tr("%d %b %Y %H:%M"))
        detail = tr("check run {run_id} ({started} UTC)").format(run_id=run_id, started=started)
        return TrustEvidence.from_run(run_id, untrusted_scopes(state_engine, run_id), detail)
    except StateStoreError as exc:
        return TrustEvidence.unknown(str(exc))
    except sa.exc.SQLAlchemyError as exc:
        return TrustEvidence.unknown(
            tr("the state store cannot be read: {reason}").format(reason=database_reason(exc)))


def untrusted_scopes(state_engine: sa.Engine, run_id: str | None = None) -> pd.DataFrame:
    """Scopes from a run's (default: the latest) failing critical checks: journey_id, stage_id,
    touchpoint_id, kpi_id, date_from, date_to (None = all), check_id, reason."""
    run_id = run_id or history.latest_run_id(state_engine)
    if run_id is None:
        return empty_scopes()
    results = history.run_results(state_engine, run_id)
    failing = results[
        results["outcome"].ne("passed")
        & results["severity"].eq(Severity.CRITICAL.value)
        & results["table_name"].isin(TRUST_TABLES)
    ]
    if failing.empty:
        return empty_scopes()
    scopes = history.run_scopes(state_engine, run_id)
    # Inner join: a failing check without scope rows (its rows are in no value) untrusts nothing.
    columns = ["check_id", "name", "outcome", "failing_count", "table_name"]
    merged = failing[columns].merge(scopes, on="check_id", how="inner")
    # The plain reason (checks/impact.py), not Great Expectations' wording cut off mid-word: the
    # data-quality page has the detail.
    rows = zip(*(merged[c] for c in columns), strict=True)
    merged["reason"] = [_reason(check_label(c, n), plain_reason(c, o, int(k), t)) for c, n, o, k, t in rows]
    out = merged.reindex(columns=[*SCOPE_COLUMNS, "check_id", "reason"]).astype(object)
    return out.where(out.notna(), None).drop_duplicates().reset_index(drop=True)


def _reason(name: str, reason: str) -> str:
    text = tr("{name} failed: {reason}").format(name=name, reason=reason)
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"
