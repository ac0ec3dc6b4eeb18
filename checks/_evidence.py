"""The small frames the suites validate, built lazily from warehouse profiles and dimension tables.

``Evidence.get(key)`` returns one frame per key (``fact_profile``, ``dim:touchpoints``,
``schema:budget``, ``volume:funnel``, ...). A key that cannot be built (unreachable warehouse,
missing table or column, a value of the wrong type) raises ``EvidenceUnavailable`` with a reason a
data steward can act on; the runner records the checks that needed it as errors and goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import sqlalchemy as sa

from checks._summary import summary_disagreements
from checks.catalogue import FRESHNESS_LAG_DAYS
from connectors import profile_queries
from connectors.column_types import accepts
from connectors.db_errors import database_reason
from connectors.mapping import physical_columns
from connectors.warehouse import Warehouse, WarehouseError
from metrics.i18n import tr
from metrics.model import COLUMN_KINDS, TABLES
from metrics.registry import KpiRegistry

#: Days of daily counts looked at by the volume checks, and the trailing window they compare to.
VOLUME_DAYS = 90
VOLUME_WINDOW = 28
#: A touchpoint that never delivered counts as this many days behind.
NEVER_DELIVERED_DAYS = 99_999


class EvidenceUnavailable(RuntimeError):
    """Evidence for some checks could not be built; the message says why."""


class Evidence:
    def __init__(self, wh: Warehouse, registry: KpiRegistry, as_of: dt.date) -> None:
        self.wh, self.registry, self.as_of = wh, registry, as_of
        self._cache: dict[str, pd.DataFrame | EvidenceUnavailable] = {}
        self._pending: dict[str, Future[pd.DataFrame | EvidenceUnavailable]] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        """Start building warehouse-only keys in a background thread (the warehouse works while
        Great Expectations is imported and the small suites run). Only keys that need no other key."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mot-evidence")
        for key in keys:
            self._pending[key] = executor.submit(self._build, key)
        executor.shutdown(wait=False)

    def get(self, key: str) -> pd.DataFrame:
        if key not in self._cache:
            pending = self._pending.pop(key, None)
            self._cache[key] = pending.result() if pending is not None else self._build(key)
        found = self._cache[key]
        if isinstance(found, EvidenceUnavailable):
            raise found
        return found

    def ids(self, table: str, column: str) -> list[str]:
        """Distinct non-null values of a dimension column, for referential-integrity checks."""
        values = self.get(f"dim:{table}")[column].dropna().astype(str)
        return sorted(values.unique().tolist())

    def _build(self, key: str) -> pd.DataFrame | EvidenceUnavailable:
        kind, _, arg = key.partition(":")
        builder = _BUILDERS.get(kind)
        if builder is None:
            # a rule names a key no builder has: a programming error
            return EvidenceUnavailable(f"no evidence called {key!r}")  # i18n: not shown
        try:
            return builder(self, arg).reset_index(drop=True)
        except EvidenceUnavailable as exc:
            return exc
        except WarehouseError as exc:
            return EvidenceUnavailable(str(exc))
        except (sa.exc.SQLAlchemyError, ValueError, TypeError, KeyError) as exc:
            return EvidenceUnavailable(
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )


def schema_frame(wh: Warehouse, table: str) -> pd.DataFrame:
    """One row per canonical column: present, type_ok, found_type (the type the warehouse reports)."""
    tm = wh.mapping.table(table)
    found = _column_types(wh, tm.name, tm.schema)
    rows = []
    for column in TABLES[table]:
        if column in tm.absent:  # optional and not in the warehouse: read as its default, not a fault
            continue
        physical = tm.columns[column]
        col_type = found.get(physical)
        present = col_type is not None
        ok = present and accepts(COLUMN_KINDS[table][column], col_type)
        rows.append((column, physical, present, bool(ok), str(col_type) if present else "missing"))
    return pd.DataFrame(rows, columns=["column", "physical", "present", "type_ok", "found_type"])


def _column_types(wh: Warehouse, name: str, schema: str | None) -> dict[str, object]:
    """Physical column -> type; a table that is not there has none."""
    try:
        return physical_columns(wh.engine, name, schema)
    except sa.exc.NoSuchTableError:
        return {}


def _schema(ev: Evidence, _: str) -> pd.DataFrame:
    """Every canonical table's columns; a table that cannot be inspected shows as all missing."""
    parts = []
    for table in TABLES:
        try:
            frame = schema_frame(ev.wh, table)
        except sa.exc.SQLAlchemyError as exc:
            unreadable = tr("unreadable: {reason}").format(reason=database_reason(exc))
            frame = pd.DataFrame({"column": list(TABLES[table]), "physical": "", "present": False,
                                  "type_ok": False, "found_type": unreadable})
        parts.append(frame.assign(table_name=table))
    return pd.concat(parts, ignore_index=True)


def _rows(ev: Evidence, _: str) -> pd.DataFrame:
    """Row count per table; -1 (and the reason) when the table cannot be counted."""
    rows = []
    for table in TABLES:
        try:
            rows.append((table, profile_queries.row_count(ev.wh, table), ""))
        except WarehouseError as exc:
            rows.append((table, -1, str(exc)))
    return pd.DataFrame(rows, columns=["table_name", "rows", "problem"])


def _dim(ev: Evidence, table: str) -> pd.DataFrame:
    frame = profile_queries.dimension_rows(ev.wh, table)
    if table == "touchpoints":
        stage_journey = _lookup(ev, "stages", "stage_id", "journey_id")
        frame["stage_journey_id"] = frame["stage_id"].map(stage_journey)
    if table == "stages":
        frame["journey_position"] = frame["journey_id"].astype(str) + "#" + frame["position"].astype(str)
    if table == "targets":
        frame = _target_evidence(ev, frame)
    return frame


def _lookup(ev: Evidence, table: str, key: str, value: str) -> dict[object, object]:
    dim = ev.get(f"dim:{table}").dropna(subset=[key]).drop_duplicates(key)
    return dict(zip(dim[key], dim[value], strict=True))


def _target_evidence(ev: Evidence, targets: pd.DataFrame) -> pd.DataFrame:
    """Targets with scope columns, overlap counts and whether the target fits the KPI's range."""
    out = targets.copy()
    for column in ("valid_from", "valid_to"):
        out[column] = pd.to_datetime(out[column], errors="coerce")
    for scope, column in (("journey", "journey_id"), ("stage", "stage_id"), ("touchpoint", "touchpoint_id")):
        out[column] = out["scope_id"].where(out["scope"] == scope)
    out["scope_key"] = out["scope"].astype(str) + ":" + out["scope_id"].fillna("").astype(str)
    out["overlaps"] = _overlap_counts(out)
    target = pd.to_numeric(out["target"], errors="coerce")
    lower = out["kpi_id"].map(lambda k: _bound(ev.registry, k, "lower")).astype("float64")
    upper = out["kpi_id"].map(lambda k: _bound(ev.registry, k, "upper")).astype("float64")
    out["target_in_range"] = ~((target < lower) | (target > upper))
    out["valid_days"] = (out["valid_to"] - out["valid_from"]).dt.days
    return out


def _bound(registry: KpiRegistry, kpi_id: object, which: str) -> float:
    kpi = registry.get(str(kpi_id))
    value = getattr(kpi, which) if kpi is not None else None
    return np.nan if value is None else float(value)


def _overlap_counts(targets: pd.DataFrame) -> pd.Series:
    """How many other targets of the same KPI and scope are in force on a shared day."""
    start = targets["valid_from"].to_numpy(dtype="datetime64[ns]")
    end = targets["valid_to"].to_numpy(dtype="datetime64[ns]").copy()
    end[np.isnat(end)] = np.datetime64("2262-01-01")  # open-ended: in force forever
    counts = np.zeros(len(targets), dtype="int64")
    for _, index in targets.groupby(["kpi_id", "scope_key"], dropna=False).indices.items():
        if len(index) < 2:
            continue
        s, e = start[index], end[index]
        overlap = (s[:, None] <= e[None, :]) & (s[None, :] <= e[:, None])
        counts[index] = overlap.sum(axis=1) - 1
    return pd.Series(counts, index=targets.index)


def _fact_profile(ev: Evidence, _: str) -> pd.DataFrame:
    return profile_queries.fact_profile(ev.wh, ev.registry, ev.as_of)


def _touchpoint_freshness(ev: Evidence, _: str) -> pd.DataFrame:
    """Latest fact date and days behind the warehouse's own latest fact date (on or before as-of)
    for every touchpoint in touchpoints or in the facts.

    A touchpoint is stale when it lags the others, which is what its owner expects: a warehouse
    that loads up to last Friday leaves every touchpoint equally behind today, and that is the
    table-level freshness check's finding (``touchpoint_kpis.freshness``), not each touchpoint's.
    """
    profile = ev.get("fact_profile")
    latest = profile.groupby("touchpoint_id", dropna=True)["latest_date"].max()
    reference = latest.max() if latest.notna().any() else pd.Timestamp(ev.as_of)
    known = pd.Index(ev.ids("touchpoints", "touchpoint_id"))
    latest = latest.reindex(known.union(latest.index))
    frame = latest.rename("latest_date").rename_axis("touchpoint_id").reset_index()
    behind = (min(pd.Timestamp(reference), pd.Timestamp(ev.as_of)) - frame["latest_date"]).dt.days
    frame["days_behind"] = behind.fillna(NEVER_DELIVERED_DAYS).astype("int64")
    return frame


def _latest(ev: Evidence, _: str) -> pd.DataFrame:
    """Latest date on or before as-of per dated table, days behind and the days allowed."""
    rows = []
    for table, allowed in FRESHNESS_LAG_DAYS.items():
        try:
            latest = profile_queries.latest_date(ev.wh, table, ev.as_of)
        except WarehouseError:
            latest = None
        behind = NEVER_DELIVERED_DAYS if latest is None else (ev.as_of - latest).days
        rows.append((table, pd.Timestamp(latest) if latest else pd.NaT, behind, allowed))
    return pd.DataFrame(rows, columns=["table_name", "latest_date", "days_behind", "allowed_days"])


def _volume(ev: Evidence, table: str) -> pd.DataFrame:
    """Recent daily row counts (up to the latest loaded day) with the median of the 28 days before
    each day and their ratio; days without rows inside that range count as 0."""
    start = ev.as_of - dt.timedelta(days=VOLUME_DAYS + VOLUME_WINDOW)
    counts = profile_queries.daily_counts(ev.wh, table, start, ev.as_of).set_index("date")["rows"]
    if counts.empty:
        return pd.DataFrame(columns=["date", "rows", "median_before", "ratio"])
    # Days after the latest loaded day are the freshness checks' business, not a volume drop.
    days = pd.date_range(max(pd.Timestamp(start), counts.index.min()), counts.index.max(), freq="D")
    counts = counts.reindex(days, fill_value=0)
    median = counts.shift(1).rolling(VOLUME_WINDOW, min_periods=7).median()
    frame = pd.DataFrame({"date": days, "rows": counts.to_numpy(), "median_before": median.to_numpy()})
    frame["ratio"] = frame["rows"] / frame["median_before"].where(frame["median_before"] > 0)
    recent = frame["date"] > pd.Timestamp(ev.as_of - dt.timedelta(days=VOLUME_DAYS))
    return frame[recent & frame["ratio"].notna()]


def _funnel_profile(ev: Evidence, _: str) -> pd.DataFrame:
    frame = profile_queries.funnel_profile(ev.wh, ev.as_of)
    frame["stage_journey_id"] = frame["stage_id"].map(_lookup(ev, "stages", "stage_id", "journey_id"))
    return frame


def _budget_profile(ev: Evidence, _: str) -> pd.DataFrame:
    return profile_queries.budget_profile(ev.wh)


def _summary_agreement(ev: Evidence, _: str) -> pd.DataFrame:
    """The monthly KPI summary against the facts (checks/_summary.py); empty without a summary."""
    return summary_disagreements(ev.wh, ev.get("fact_profile"))


_BUILDERS: dict[str, Callable[[Evidence, str], pd.DataFrame]] = {
    "summary_agreement": _summary_agreement,
    "schema": _schema,
    "rows": _rows,
    "dim": _dim,
    "fact_profile": _fact_profile,
    "touchpoint_freshness": _touchpoint_freshness,
    "latest": _latest,
    "volume": _volume,
    "funnel_profile": _funnel_profile,
    "budget_profile": _budget_profile,
}
