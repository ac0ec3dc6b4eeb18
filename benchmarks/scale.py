"""Large benchmark warehouses (100 M fact rows and up) built inside DuckDB, not in pandas.

``connectors.demo`` simulates every fact row in pandas: right for the app's demo, but 100 M rows
took over 20 GB of memory on a 23 GB machine. For a large point the benchmark builds a base demo
of ``BASE_TOUCHPOINTS`` touchpoints (about 10 M rows) and copies it ``copies`` times inside DuckDB:
copy 0 keeps the ids (so the planted faults stay on their named touchpoints), copy ``k`` appends
``_x<k>`` to touchpoint ids and names; facts, budget rows and touchpoint targets follow their
touchpoint, journeys/stages/KPIs/funnel stay as they are. Facts are written sorted by date as the
demo writer does (zone maps skip row groups for date filters). DuckDB runs with a bounded
memory_limit and spills the sort to disk, so the build's peak memory does not grow with the rows.

Every benchmark warehouse also gets the monthly KPI summary (touchpoint_kpis_monthly), built from its
facts by the demo writer's one CREATE TABLE ... AS SELECT ... GROUP BY (``ensure_summary``; a cached
warehouse built before there was one gets it on its next use).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import sqlalchemy as sa

from metrics.model import KPI_SUMMARY

#: The base demo's touchpoints (about 10 M fact rows over five years).
BASE_TOUCHPOINTS = 1447
#: memory_limit of the DuckDB that builds the copy.
BUILD_MEMORY_LIMIT = "1GB"


def _suffixed(column: str) -> str:
    return f"CASE WHEN c.k = 0 THEN {column} ELSE {column} || '_x' || c.k END"


def build_scaled(path: Path, base: Path, copies: int) -> Path:
    """Write ``copies`` copies of the demo at ``base`` as one warehouse at ``path`` (atomically)."""
    path = Path(path)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    temp = work_dir / path.name
    try:
        with duckdb.connect(str(temp)) as conn:
            conn.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
            conn.execute(f"SET temp_directory = '{work_dir / 'spill'}'")
            conn.execute("SET enable_progress_bar = false")
            conn.execute("SET preserve_insertion_order = true")
            conn.execute("ATTACH ? AS base (READ_ONLY)", [str(base)])
            conn.execute(f"CREATE TEMP TABLE c AS SELECT range AS k FROM range({int(copies)})")
            for table in ("journeys", "stages", "kpis", "funnel"):
                conn.execute(f"CREATE TABLE {table} AS SELECT * FROM base.{table}")
            conn.execute(
                "CREATE TABLE touchpoints AS SELECT t.* REPLACE ("
                f"{_suffixed('t.touchpoint_id')} AS touchpoint_id, {_suffixed('t.name')} AS name) "
                "FROM base.touchpoints t, c ORDER BY c.k"
            )
            conn.execute(
                "CREATE TABLE targets AS SELECT t.* FROM base.targets t WHERE t.scope <> 'touchpoint' "
                f"UNION ALL SELECT t.* REPLACE ({_suffixed('t.scope_id')} AS scope_id) "
                "FROM base.targets t, c WHERE t.scope = 'touchpoint'"
            )
            conn.execute(  # in month order, as the demo writes it (connectors/_demo_facts.py)
                "CREATE TABLE budget AS SELECT * FROM (SELECT b.* FROM base.budget b "
                "WHERE b.touchpoint_id IS NULL "
                f"UNION ALL SELECT b.* REPLACE ({_suffixed('b.touchpoint_id')} AS touchpoint_id) "
                "FROM base.budget b, c WHERE b.touchpoint_id IS NOT NULL) ORDER BY month"
            )
            conn.execute(
                "CREATE TABLE touchpoint_kpis AS SELECT f.* REPLACE "
                f"({_suffixed('f.touchpoint_id')} AS touchpoint_id) "
                "FROM base.touchpoint_kpis f, c ORDER BY f.date"
            )
            conn.execute(
                "CREATE TABLE mot_demo AS SELECT * REPLACE (touchpoints * ? AS touchpoints) "
                "FROM base.mot_demo",
                [int(copies)],
            )
            conn.execute("DETACH base")
            conn.execute("CHECKPOINT")
        ensure_summary(temp)
        os.replace(temp, path)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return path


def has_summary(path: Path) -> bool:
    """Whether the DuckDB file has the monthly KPI summary table."""
    with duckdb.connect(str(path), read_only=True) as conn:
        found = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                             [KPI_SUMMARY]).fetchone()
    return bool(found and found[0])


def ensure_summary(path: Path) -> float | None:
    """Add the monthly KPI summary to the DuckDB warehouse at ``path`` if it lacks one, by the demo
    writer's one CTAS (within BUILD_MEMORY_LIMIT, spilling beside the file); the seconds it took,
    None when the file had one. The file is written in place: no reader may have it open."""
    from connectors.demo import write_kpi_summary

    if has_summary(path):
        return None
    print(f"  adding the monthly KPI summary to {path.name}…", flush=True)
    started = time.perf_counter()
    engine = sa.create_engine(sa.URL.create("duckdb", database=str(path)))

    @sa.event.listens_for(engine, "connect")
    def _limits(dbapi_connection: object, _record: object) -> None:
        for statement in (f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'", "SET enable_progress_bar = false"):
            dbapi_connection.execute(statement)  # type: ignore[attr-defined]

    try:
        write_kpi_summary(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("CHECKPOINT")
    finally:
        engine.dispose()
    return time.perf_counter() - started


def ensure_scaled(path: Path, touchpoints: int, years: int, end: dt.date) -> Path:
    """A warehouse of about ``touchpoints`` touchpoints at ``path``: the base demo copied."""
    from connectors.demo import build_demo_file

    copies = max(1, round(touchpoints / BASE_TOUCHPOINTS))
    base = path.parent / f"warehouse-tp{BASE_TOUCHPOINTS}-y{years}.duckdb"
    if not base.exists():
        build_demo_file(base, end=end, touchpoints=BASE_TOUCHPOINTS, years=years)
    return build_scaled(path, base, copies)
