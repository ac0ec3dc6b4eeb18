"""Which KPI rows the latest check run says are not to be trusted (input to metrics.trust).

Only failing *critical* checks on tables that shape a KPI value or its status count (journeys,
stages, touchpoints, kpis, touchpoint_kpis, targets, and the warehouse itself); budget and funnel
faults show on their own pages. A check that could not tell which rows it is about (a missing
column, an unreachable warehouse) taints everything its table covers. With no run yet, nothing is
marked untrusted: the data-quality page says that no checks have run.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from checks import history
from checks.catalogue import KPI_TABLES, Severity
from metrics.trust import SCOPE_COLUMNS, empty_scopes

REASON_CHARS = 160


def untrusted_scopes(
    state_engine: sa.Engine, tables: tuple[str, ...] = (*KPI_TABLES, "warehouse")
) -> pd.DataFrame:
    """Scopes from the latest run's failing critical checks: journey_id, stage_id, touchpoint_id,
    kpi_id (None = all), check_id, reason."""
    run_id = history.latest_run_id(state_engine)
    if run_id is None:
        return empty_scopes()
    results = history.run_results(state_engine, run_id)
    failing = results[
        results["outcome"].ne("passed")
        & results["severity"].eq(Severity.CRITICAL.value)
        & results["table_name"].isin(tables)
    ]
    if failing.empty:
        return empty_scopes()
    scopes = history.run_scopes(state_engine, run_id)
    merged = failing[["check_id", "name", "reason"]].merge(scopes, on="check_id", how="left")
    merged["reason"] = [_reason(n, r) for n, r in zip(merged["name"], merged["reason"], strict=True)]
    out = merged.reindex(columns=[*SCOPE_COLUMNS, "check_id", "reason"]).astype(object)
    return out.where(out.notna(), None).drop_duplicates().reset_index(drop=True)


def _reason(name: str, reason: str) -> str:
    text = f"{name} failed: {reason}"
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"
