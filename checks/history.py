"""Check-run history in the state store (MOT_STATE_URL): tables prefixed ``check_``.

Runs are only ever inserted, each in one transaction, so the app and a scheduled
``python -m checks run`` see the same history and a failing run never loses an earlier one.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import sqlalchemy as sa

from checks._scoping import SCOPE_COLUMNS
from checks.results import CheckRun
from connectors.db_errors import database_reason
from connectors.state import StateStoreError, add_missing_columns, ensure_tables
from metrics.i18n import tr

__all__ = ["latest_run_id", "list_runs", "prepare_history", "results_history", "run_freshness",
    "run_results", "run_scopes", "sample_rows", "save_run", "since_failing"]

METADATA = sa.MetaData()

check_runs = sa.Table(
    "check_runs",
    METADATA,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("warehouse", sa.Text, nullable=False),
    sa.Column("trigger", sa.String(32), nullable=False),
    sa.Column("passed", sa.Integer, nullable=False),
    sa.Column("failed_critical", sa.Integer, nullable=False),
    sa.Column("failed_warning", sa.Integer, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("docs_url", sa.Text),
)

check_results = sa.Table(
    "check_results",
    METADATA,
    sa.Column("run_id", sa.String(64), sa.ForeignKey("check_runs.run_id"), primary_key=True),
    sa.Column("check_id", sa.String(128), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("table_name", sa.String(64), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("failing_count", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("sample_json", sa.Text, nullable=False),
)

check_scopes = sa.Table(
    "check_scopes",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), sa.ForeignKey("check_runs.run_id"), nullable=False, index=True),
    sa.Column("check_id", sa.String(128), nullable=False),
    sa.Column("journey_id", sa.Text),
    sa.Column("stage_id", sa.Text),
    sa.Column("touchpoint_id", sa.Text),
    sa.Column("kpi_id", sa.Text),
    # Added after the first release: stores made before have them added by _add_missing_columns;
    # their old rows have nulls, which mean "every date", as those runs did.
    sa.Column("date_from", sa.Date),
    sa.Column("date_to", sa.Date),
)

#: Columns added to existing tables since the first release: (table, column).
_ADDED_COLUMNS: tuple[tuple[sa.Table, str], ...] = ((check_scopes, "date_from"), (check_scopes, "date_to"))

check_freshness = sa.Table(
    "check_freshness",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), sa.ForeignKey("check_runs.run_id"), nullable=False, index=True),
    sa.Column("table_name", sa.String(64), nullable=False),
    sa.Column("touchpoint_id", sa.Text),
    sa.Column("latest_date", sa.Date),
    sa.Column("days_behind", sa.Integer),
)


def prepare_history(engine: sa.Engine) -> None:
    """Create missing check tables and add columns older stores lack; once per engine
    (connectors.state.ensure_tables), so reads do not inspect the store every time."""
    ensure_tables(engine, METADATA, _add_missing_columns)


def _add_missing_columns(engine: sa.Engine) -> None:
    """Columns added since the first release (never drops anything)."""
    add_missing_columns(engine, _ADDED_COLUMNS, tr("the state store's check history"))


def _records(frame: pd.DataFrame, columns: list[str], **fixed: Any) -> list[dict[str, Any]]:
    rows = frame.reindex(columns=columns).astype(object)
    rows = rows.where(rows.notna(), None)
    return [{**fixed, **row} for row in rows.to_dict("records")]


def _sample_json(sample: pd.DataFrame) -> str:
    return sample.head(50).to_json(orient="records", date_format="iso") if not sample.empty else "[]"


def save_run(engine: sa.Engine, run: CheckRun) -> None:
    """Insert one run with its results, failing scopes and freshness; never touches older runs."""
    prepare_history(engine)
    counts = run.counts()
    run_row = {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "as_of": run.as_of,
        "warehouse": run.warehouse,
        "trigger": run.trigger,
        "docs_url": run.docs_url,
        **counts,
    }
    results = [
        {
            "run_id": run.run_id,
            "check_id": r.check.check_id,
            "name": r.check.name,
            "table_name": r.check.table,
            "severity": r.check.severity.value,
            "outcome": r.outcome.value,
            "failing_count": int(r.failing_count),
            "reason": r.reason,
            "sample_json": _sample_json(r.sample),
        }
        for r in run.results
    ]
    scopes = [
        row
        for r in run.results
        if r.failed
        for row in _records(
            r.scopes,
            list(SCOPE_COLUMNS),
            run_id=run.run_id,
            check_id=r.check.check_id,
        )
    ]
    freshness = run.freshness.assign(latest_date=pd.to_datetime(run.freshness["latest_date"]).dt.date)
    fresh_rows = _records(
        freshness, ["table_name", "touchpoint_id", "latest_date", "days_behind"], run_id=run.run_id
    )
    try:
        with engine.begin() as connection:
            connection.execute(check_runs.insert(), [run_row])
            connection.execute(check_results.insert(), results)
            for table, rows in ((check_scopes, scopes), (check_freshness, fresh_rows)):
                if rows:
                    connection.execute(table.insert(), rows)
    except sa.exc.SQLAlchemyError as exc:
        reason = database_reason(exc)
        raise StateStoreError(
            tr("Could not save the check run to the state store: {reason}. "
               "Earlier runs are unchanged; check MOT_STATE_URL.").format(reason=reason)
        ) from None


def _read(engine: sa.Engine, statement: sa.Select[Any]) -> pd.DataFrame:
    prepare_history(engine)
    with engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame([tuple(r) for r in result], columns=list(result.keys()))


def list_runs(engine: sa.Engine, limit: int = 50) -> pd.DataFrame:
    """The latest runs, newest first (columns of check_runs)."""
    return _read(engine, sa.select(check_runs).order_by(check_runs.c.started_at.desc()).limit(limit))


def latest_run_id(engine: sa.Engine) -> str | None:
    runs = list_runs(engine, limit=1)
    return None if runs.empty else str(runs.iloc[0]["run_id"])


def run_results(engine: sa.Engine, run_id: str) -> pd.DataFrame:
    """One row per check of a run (with sample_json), failures first."""
    frame = _read(engine, sa.select(check_results).where(check_results.c.run_id == run_id))
    if frame.empty:
        return frame
    order = frame["outcome"].eq("passed").astype(int) * 10 + frame["severity"].ne("critical").astype(int)
    return frame.assign(_o=order).sort_values(["_o", "check_id"]).drop(columns="_o").reset_index(drop=True)


def results_history(engine: sa.Engine, runs: int = 30) -> pd.DataFrame:
    """Each check's outcome over the latest ``runs`` runs.

    Columns: run_id, started_at, check_id, severity, outcome, failing_count."""
    recent = sa.select(check_runs.c.run_id).order_by(check_runs.c.started_at.desc()).limit(runs).subquery()
    statement = (
        sa.select(
            check_results.c.run_id,
            check_runs.c.started_at,
            check_results.c.check_id,
            check_results.c.severity,
            check_results.c.outcome,
            check_results.c.failing_count,
        )
        .join(check_runs, check_runs.c.run_id == check_results.c.run_id)
        .where(check_results.c.run_id.in_(sa.select(recent.c.run_id)))
        .order_by(check_runs.c.started_at)
    )
    frame = _read(engine, statement)
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    return frame


def run_scopes(engine: sa.Engine, run_id: str) -> pd.DataFrame:
    columns = [check_scopes.c[c] for c in ("check_id", *SCOPE_COLUMNS)]
    return _read(engine, sa.select(*columns).where(check_scopes.c.run_id == run_id))


def run_freshness(engine: sa.Engine, run_id: str) -> pd.DataFrame:
    columns = [check_freshness.c[c] for c in ("table_name", "touchpoint_id", "latest_date", "days_behind")]
    return _read(engine, sa.select(*columns).where(check_freshness.c.run_id == run_id))


def sample_rows(sample_json: str) -> pd.DataFrame:
    """The stored sample of failing rows back as a frame."""
    try:
        return pd.DataFrame(json.loads(sample_json or "[]"))
    except (ValueError, TypeError):
        return pd.DataFrame()


def since_failing(history: pd.DataFrame) -> pd.DataFrame:
    """Per check: when its current run of failures started (NaT when it passes now)."""
    rows = []
    for check_id, group in history.sort_values("started_at").groupby("check_id"):
        passed = group["outcome"].eq("passed").to_numpy()
        if passed[-1]:
            rows.append((check_id, pd.NaT))
            continue
        last_pass = max((i for i, p in enumerate(passed) if p), default=-1)
        rows.append((check_id, group["started_at"].iloc[last_pass + 1]))
    return pd.DataFrame(rows, columns=["check_id", "failing_since"])
