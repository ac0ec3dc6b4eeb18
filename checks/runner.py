"""Run every check against a warehouse and turn Great Expectations' findings into ``CheckResult``s.

Never raises for data problems: an unreachable warehouse, a missing table or column, a column of
the wrong type or an empty table each end as a failed (or error) check with a reason, and every
other check still runs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from checks._evidence import Evidence, EvidenceUnavailable
from checks._scoping import FACT_RULE_CHECKS, REPORT_ONLY, failing_scopes, whole_table
from checks.catalogue import CHECKS, CHECKS_BY_ID, CheckDef, Outcome
from checks.results import FRESHNESS_COLUMNS, CheckResult, CheckRun
from connectors import profile_queries
from connectors.profile_queries import DUPLICATE_SPAN, FACT_RULE_SPANS
from connectors.runtime import KpiTableError, WarehouseUnavailable, read_kpi_registry
from connectors.warehouse import Warehouse, WarehouseError
from metrics.i18n import tr, tr_n
from metrics.model import TABLES
from metrics.registry import KpiRegistry, default_registry

__all__ = ["run_checks"]

Progress = Callable[[float, str], None]
#: Evidence that needs only the warehouse: built in the background while Great Expectations loads.
PREFETCHED = ("fact_profile", "volume:touchpoint_kpis", "latest", "rows")
SAMPLE_ROWS = 20

#: Checks whose evidence rows count fact rows in a column: the failing count is that column's sum.
_COUNT_COLUMNS: dict[str, str] = {
    **{check: column for column, check in FACT_RULE_CHECKS.items()},
    "touchpoint_kpis.unique_keys": "duplicate_rows",
    "budget.non_negative": "negative_rows",
}


def run_checks(
    target: Warehouse | WarehouseUnavailable,
    as_of: dt.date,
    docs_dir: Path | None = None,
    trigger: str = "cli",
    progress: Progress | None = None,
) -> CheckRun:
    """Run all checks on an opened warehouse (connectors.runtime.open_for_checks, or the app's own);
    ``docs_dir`` (e.g. MOT_DATA_DIR/gx) also builds Great Expectations Data Docs. A warehouse that
    could not be opened gives a failed ``warehouse.reachable`` check with its reason."""
    started = dt.datetime.now(dt.UTC)
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    if isinstance(target, WarehouseUnavailable):
        results = [_unreachable(check, target.reason) for check in CHECKS]
        return CheckRun(run_id, started, dt.datetime.now(dt.UTC), as_of, target.label, trigger, results)
    wh = target
    evidence = Evidence(wh, _registry(wh), as_of)
    evidence.prefetch(PREFETCHED)
    from checks._validation import validate  # Great Expectations is slow to import; only runs need it

    validation = validate(evidence, run_id, docs_dir, progress)
    by_check: dict[str, list[Any]] = {}
    for outcome in validation.outcomes:
        by_check.setdefault(outcome.check_id, []).append(outcome)
    note = "; ".join(wh.mapping_problems)
    results = [CheckResult(CHECKS_BY_ID["warehouse.reachable"], Outcome.PASSED, note)]
    for check in CHECKS:
        if check.check_id != "warehouse.reachable":
            results.append(_result(check, by_check.get(check.check_id, []), evidence))
    if progress is not None:
        progress(1.0, tr("done"))
    return CheckRun(
        run_id,
        started,
        dt.datetime.now(dt.UTC),
        as_of,
        wh.engine.url.render_as_string(hide_password=True),
        trigger,
        results,
        docs_url=validation.docs_url,
        freshness=_freshness(evidence),
    )


def _registry(wh: Warehouse) -> KpiRegistry:
    """The warehouse's KPIs when readable (bounds of known KPIs kept), else the built-in list."""
    try:
        return read_kpi_registry(wh)
    except (WarehouseError, KpiTableError):
        return default_registry()


def _unreachable(check: CheckDef, reason: str) -> CheckResult:
    if check.check_id == "warehouse.reachable":
        return CheckResult(check, Outcome.FAILED, reason, failing_count=1, scopes=whole_table())
    reason = tr("not run: the warehouse cannot be reached")
    return CheckResult(check, Outcome.ERROR, reason, scopes=_all_scope(check))


def _all_scope(check: CheckDef) -> pd.DataFrame:
    """A check that could not be evaluated: the whole table, unless no value can hold its rows."""
    return failing_scopes(check.check_id, pd.DataFrame()) if check.check_id in REPORT_ONLY else whole_table()


def _result(check: CheckDef, outcomes: list[Any], evidence: Evidence) -> CheckResult:
    if not outcomes:
        return CheckResult(check, Outcome.ERROR, tr("no rule evaluated this check"), scopes=_all_scope(check))
    errors = [o.error for o in outcomes if o.error]
    failing = [o.failing for o in outcomes if not o.success and not o.error]
    if not errors and not failing:
        return CheckResult(check, Outcome.PASSED)
    rows = (
        pd.concat([f for f in failing if not f.empty])
        if any(not f.empty for f in failing)
        else pd.DataFrame()
    )
    if failing:
        details = "; ".join(d for o in outcomes for d in o.details)
        count, reason = _failure_text(check, rows, details)
        return CheckResult(
            check, Outcome.FAILED, reason, count, failing_scopes(check.check_id, rows),
            _sample(check, rows, evidence),
        )
    reason = "; ".join(errors)
    if check.table in TABLES:
        reason = tr("{errors} (the check {schema_check} says which columns are wrong)").format(
            errors=reason, schema_check=f"{check.table}.schema")
    return CheckResult(check, Outcome.ERROR, reason, scopes=_all_scope(check))


def _schema_text(rows: pd.DataFrame) -> str:
    missing = [tr("{column} (mapped to {physical})").format(column=r.column, physical=repr(r.physical))
               for r in rows.itertuples() if not r.present]
    wrong = [tr("{column} is {type}").format(column=r.column, type=r.found_type)
             for r in rows.itertuples() if r.present and not r.type_ok]
    parts = ([tr("missing columns: {columns}").format(columns=", ".join(missing))] if missing else []) + (
        [tr("wrong types: {columns}").format(columns=", ".join(wrong))] if wrong else []
    )
    problems = "; ".join(parts)
    return tr("{problems}. Fix the table or the mapping file (MOT_MAPPING).").format(problems=problems)


def _failure_text(check: CheckDef, rows: pd.DataFrame, details: str) -> tuple[int, str]:
    if check.check_id.endswith(".schema") and {"present", "type_ok"} <= set(rows.columns):
        return len(rows), _schema_text(rows)
    column = _COUNT_COLUMNS.get(check.check_id)
    count = int(rows[column].sum()) if column and column in rows.columns else len(rows)
    where = _scope_labels(rows)
    # English says "rows" for one row too (as it always has); German has both forms.
    if not column:
        what = tr_n("{count} failing rows", "{count} failing rows", count)
    elif check.table == "touchpoint_kpis":
        what = tr_n("{count} fact rows", "{count} fact rows", count)
    else:
        what = tr_n("{count} rows", "{count} rows", count)
    what = what.format(count=count)
    return count, f"{what}{' (' + where + ')' if where else ''}. {details}"


def _scope_labels(rows: pd.DataFrame, limit: int = 5) -> str:
    present = [c for c in ("touchpoint_id", "stage_id", "journey_id", "kpi_id") if c in rows.columns]
    if rows.empty or not present:
        return ""
    values = rows[present].astype(object).to_numpy().tolist()
    labels = list(
        dict.fromkeys("/".join(str(v) for v in row if v is not None and not pd.isna(v)) for row in values)
    )
    shown = ", ".join(labels[:limit])
    if len(labels) <= limit:
        return shown
    return tr("{labels} and {count} more").format(labels=shown, count=len(labels) - limit)


def _sample(check: CheckDef, rows: pd.DataFrame, evidence: Evidence) -> pd.DataFrame:
    """Failing fact rows for row rules (bounded query), else the failing evidence rows."""
    rules = {c: n for n, c in FACT_RULE_CHECKS.items()}
    try:
        if check.check_id in rules:
            name = rules[check.check_id]
            rule = profile_queries.fact_rules(evidence.wh, evidence.registry, evidence.as_of)[name]
            since = _newest_failing_since(evidence, name, FACT_RULE_SPANS[name])
            return profile_queries.sample_fact_rows(evidence.wh, rule, SAMPLE_ROWS, since)
        if check.check_id == "touchpoint_kpis.unique_keys":
            touchpoints = rows["touchpoint_id"].dropna().astype(str).unique().tolist()
            since = _newest_failing_since(evidence, "duplicate_rows", DUPLICATE_SPAN)
            return profile_queries.duplicate_fact_rows(evidence.wh, touchpoints, SAMPLE_ROWS, since)
    except WarehouseError:
        pass
    return rows.head(SAMPLE_ROWS).reset_index(drop=True)


def _newest_failing_since(evidence: Evidence, count: str, span: tuple[str, str]) -> dt.date | None:
    """A date on or before the newest SAMPLE_ROWS rows failing a fact rule (``count``: its
    profile column, ``span``: its first and last failing date per group), so the sample reads only
    the table's newest part: the SAMPLE_ROWS-th latest of the groups' last failing dates (each such
    group has a failing row on that day), else the earliest first failing date. None (no bound)
    when any fact row lacks a date or a key (``bad_keys``: a row without a date sorts among the
    newest on some engines and has no span) or no group fails."""
    try:
        profile = evidence.get("fact_profile")
    except EvidenceUnavailable:
        return None
    if count == "bad_keys" or pd.to_numeric(profile["bad_keys"], errors="coerce").fillna(0).sum() > 0:
        return None
    failing = profile[pd.to_numeric(profile[count], errors="coerce").fillna(0) > 0]
    first, last = pd.to_datetime(failing[span[0]]), pd.to_datetime(failing[span[1]])
    if failing.empty or first.isna().any() or last.isna().any():
        return None
    newest = last.sort_values(ascending=False)
    bound = newest.iloc[SAMPLE_ROWS - 1] if len(newest) >= SAMPLE_ROWS else first.min()
    return pd.Timestamp(bound).date()


def _freshness(evidence: Evidence) -> pd.DataFrame:
    parts = []
    for key in ("latest", "touchpoint_freshness"):
        try:
            frame = evidence.get(key)
        except EvidenceUnavailable:
            continue
        parts.append(frame.assign(table_name=frame.get("table_name", "touchpoint_kpis")))
    if not parts:
        return pd.DataFrame(columns=list(FRESHNESS_COLUMNS))
    return pd.concat([p.reindex(columns=list(FRESHNESS_COLUMNS)) for p in parts], ignore_index=True)
