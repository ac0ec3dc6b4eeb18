"""What the tests of series read in parts share (ui/read_parts.py; tests/test_owner_parts.py,
tests/test_overview_parts.py): the fixture data with planted gaps on DuckDB with the monthly summary
in canonical names, and an app context on it read with or without the summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.demo import write_kpi_summary, write_warehouse
from connectors.queries import date_bounds
from connectors.warehouse import open_warehouse
from metrics.registry import KpiRegistry
from metrics.trust import TrustEvidence
from tests.fixtures import DEMO_END


def summary_warehouse(path: Path, frames: dict[str, pd.DataFrame]) -> str:
    """A DuckDB file of ``frames`` and the monthly summary built from its facts; returns its URL.
    The facts must start on a month's first day for the summary to answer whole months from the start."""
    url = sa.URL.create("duckdb", database=str(path))
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, frames)
        write_kpi_summary(engine)
    finally:
        engine.dispose()
    return url.render_as_string()


@contextmanager
def parts_context(url: str, frames: dict[str, pd.DataFrame], summary: bool, folder: Path,
                  monkeypatch: pytest.MonkeyPatch, evidence: TrustEvidence | None = None) -> Iterator[object]:
    """An AppContext on ``url`` (as of DEMO_END) read with the summary or from the facts alone, with
    the settings of a SQLite state store in ``folder`` that holds no check run (values unchecked).
    ``evidence``: what the KPI loaders judge trust by instead (ui.loaders.load_trust replaced, as in
    tests/test_shared_frames.py), for a failing check without running the checks."""
    from connectors.runtime import load_settings
    from ui import caching, loaders
    from ui.context import AppContext

    if evidence is not None:
        monkeypatch.setattr(loaders, "load_trust", lambda _ctx: evidence)
    state_url = sa.URL.create("sqlite", database=str(folder / "state.sqlite")).render_as_string()
    environ = {"MOT_WAREHOUSE_URL": url, "MOT_STATE_URL": state_url, "MOT_DATA_DIR": str(folder)}
    settings = load_settings(environ, folder / "no-secrets.toml")
    caching.clear_data()
    warehouse = open_warehouse(url, None, kpi_summary=summary)
    assert warehouse.has_summary is summary
    assert date_bounds(warehouse) is not None  # as the app's context: reads the summary's end
    try:
        yield AppContext(settings=settings, warehouse=warehouse,
                         registry=KpiRegistry.from_frame(frames["kpis"]), journeys=frames["journeys"],
                         stages=frames["stages"], touchpoints=frames["touchpoints"],
                         targets=frames["targets"],
                         first_date=pd.Timestamp(frames["touchpoint_kpis"]["date"].min()).date(),
                         as_of=DEMO_END, key=f"parts-{summary}")
    finally:
        warehouse.engine.dispose()
        caching.clear_data()


def kpi_statements(sent: list[object]) -> int:
    """How many of the statements sent (tests.fixtures.sent_statements) read KPI sums."""
    return sum("sum(" in s.sql and "kpi_id" in s.sql for s in sent)  # type: ignore[attr-defined]
