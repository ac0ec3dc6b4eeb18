"""The demo warehouse as a file: written atomically, and saying which day its data ends.

A demo file records how it was built in a one-row table ``mot_demo`` (end date, touchpoints,
years, seed, faults). It is not a canonical table and nothing reads it as data. The end date is
recorded rather than derived from ``max(date)`` because the demo's future-dated fault puts rows a
year after the end. The demo opened on a day should end the day before (``demo_end_for``): a file
that ends earlier is stale (``demo_is_current``) and the app rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import sqlalchemy as sa

from connectors._demo_writer import write_kpi_summary, write_warehouse

__all__ = ["demo_end_for", "demo_is_current", "DemoInfo", "read_demo_info"]

#: Runs on the finished file before it replaces the old one, e.g. to check it (checks/demo.py).
BeforePublish = Callable[[Path], None]


@dataclass(frozen=True)
class DemoInfo:
    """How a demo file was built: the arguments of ``connectors.demo.generate``."""

    end: dt.date
    touchpoints: int = 40
    years: int = 3
    seed: int = 7
    faults: bool = True


_INFO = sa.Table(
    "mot_demo",
    sa.MetaData(),
    sa.Column("end_date", sa.Date),
    sa.Column("touchpoints", sa.Integer),
    sa.Column("years", sa.Integer),
    sa.Column("seed", sa.Integer),
    sa.Column("faults", sa.Boolean),
)


def demo_end_for(today: dt.date) -> dt.date:
    """The demo's last day when it is opened on ``today``: yesterday, the last complete day."""
    return today - dt.timedelta(days=1)


def demo_is_current(info: DemoInfo | None, today: dt.date) -> bool:
    """Whether a demo file with ``info`` (None: missing or unreadable) needs no rebuild on ``today``."""
    return info is not None and info.end >= demo_end_for(today)


def read_demo_info(path: Path) -> DemoInfo | None:
    """What ``mot_demo`` in the file says; None when the file is missing, not a demo or unreadable.

    Read through an in-memory DuckDB that attaches the file: a plain ``duckdb.connect(path)`` in a
    process that still has the file open returns that open database, which after a rebuild is the
    old file.
    """
    if not Path(path).is_file():
        return None
    try:
        with duckdb.connect(":memory:") as conn:
            conn.execute("ATTACH ? AS demo_file (READ_ONLY)", [str(path)])  # i18n: not shown (SQL)
            row = conn.execute(
                "SELECT end_date, touchpoints, years, seed, faults FROM demo_file.mot_demo"
            ).fetchone()
    except duckdb.Error:
        return None
    if row is None:
        return None
    return DemoInfo(row[0], int(row[1]), int(row[2]), int(row[3]), bool(row[4]))


def write_demo_file(
    path: Path,
    info: DemoInfo,
    frames: dict[str, pd.DataFrame],
    before_publish: BeforePublish | None = None,
) -> Path:
    """Write ``frames`` and ``info`` as a DuckDB file under a temporary name, then rename it to
    ``path``: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        temp = work_dir / path.name
        engine = sa.create_engine(sa.URL.create("duckdb", database=str(temp)))
        try:
            write_warehouse(engine, frames)
            write_kpi_summary(engine)  # the data team's monthly aggregate model (metrics.model.KPI_SUMMARY)
            with engine.begin() as conn:
                _INFO.create(conn)
                conn.execute(_INFO.insert(), [{
                    "end_date": info.end, "touchpoints": info.touchpoints, "years": info.years,
                    "seed": info.seed, "faults": info.faults,
                }])
            with engine.begin() as conn:
                conn.exec_driver_sql("CHECKPOINT")
        finally:
            engine.dispose()
        if before_publish is not None:
            before_publish(temp)
        os.replace(temp, path)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return path
