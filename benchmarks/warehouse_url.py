"""``python -m benchmarks --warehouse-url URL [--mapping FILE]``: ours against the floor on any
warehouse the app can read (Spark, PostgreSQL, ...), instead of the generated DuckDB sizes.

Only the timing of our path and the floor runs there: the naive pattern would pull the whole
fact table over the network and the memory and browser figures measure the app server, which
the warehouse does not change. ``load_spark_demo`` builds the small Spark warehouse the README's
Spark table was measured on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors.warehouse import open_warehouse

__all__ = ["bench_warehouse_url", "load_spark_demo"]


def redact_url(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


def fact_rows(url: str, mapping: Path | None) -> int:
    wh = open_warehouse(url, mapping)
    try:
        with wh.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(wh.table("touchpoint_kpis")))
                       .scalar_one())
    finally:
        wh.engine.dispose()


def bench_warehouse_url(url: str, mapping: Path | None, pages: list[str], today: dt.date,
                        repeats: int) -> dict[str, Any]:
    from benchmarks.__main__ import time_ours_and_floor

    rows = fact_rows(url, mapping)
    print(f"== {rows:,} fact rows ({redact_url(url)})", flush=True)
    print("  timing our path and the floor…", flush=True)
    timings = time_ours_and_floor(url, pages, today, repeats, mapping)
    return {
        "rows": rows,
        "warehouse": redact_url(url),
        "pages": timings,
        "naive_skipped": "not run on a warehouse URL (it would read the whole fact table)",
    }


def load_spark_demo(spark_url: str, folder: Path, touchpoints: int, years: int, end: dt.date) -> None:
    """The demo company (canonical names, database ``default``) as Parquet tables on a Spark
    Thrift server running on this machine."""
    from connectors.demo import generate
    from metrics.model import TABLES
    from tests.spark import load_parquet_tables

    frames = generate(touchpoints=touchpoints, years=years, seed=7, end=end, faults=False)
    engine = sa.create_engine(spark_url)
    try:
        with engine.connect() as connection:
            names: dict[str, tuple[str | None, str, dict[str, str]]] = {
                t: (None, t, {c: c for c in TABLES[t]}) for t in frames
            }
            load_parquet_tables(connection.connection.cursor(), folder, frames, names)
    finally:
        engine.dispose()
