"""A hand-sized warehouse for the quarterly review tests, with the expected figures worked out.

Two journeys (buy, move), four touchpoints (two moments of truth), three KPIs, fact rows in
2025Q3 (factor 0.9), 2026Q2 (0.95) and 2026Q3 (1.0); 2026Q4 is empty. Numerators are the base
numbers times the quarter's factor, so a ratio KPI scales by the factor too.

2026Q3, journey buy:  csat = (420 + 380) / (100 + 100) = 4.0, target 4.1 tol 0.2 -> at risk;
                      conversion = (30 + 20) / 200 * 100 = 25 %, target 22 -> on target
           journey move: csat = 350 / 100 = 3.5, target 4.1 tol 0.2 -> off target;
                      conversion = (10 + 30) / 200 * 100 = 20 %, target 22 tol 2 -> at risk
Budget 2026Q3: buy planned 3 x 1000, actual 3 x 1100 = 3300 -> off target (band 5 % = 150);
               move actual 3 x 1020 = 3060 -> at risk; cost per conversion buy 3300 / 50 = 66.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.demo import write_warehouse
from connectors.warehouse import Warehouse, open_warehouse
from metrics.model import TABLES
from metrics.registry import DEFAULT_KPIS, KpiRegistry

QUARTER_FACTORS = {dt.date(2025, 7, 1): 0.9, dt.date(2026, 4, 1): 0.95, dt.date(2026, 7, 1): 1.0}
#: (touchpoint, kpi): (numerator, denominator) in 2026Q3.
BASE_FACTS = {
    ("tp_buy_web", "csat"): (420, 100), ("tp_buy_store", "csat"): (380, 100),
    ("tp_move_call", "csat"): (350, 100),
    ("tp_buy_web", "conversion_rate"): (30, 100), ("tp_buy_store", "conversion_rate"): (20, 100),
    ("tp_move_call", "conversion_rate"): (10, 100), ("tp_move_mail", "conversion_rate"): (30, 100),
    ("tp_buy_web", "reach"): (1000, None), ("tp_move_mail", "reach"): (2000, None),
}
REVIEW_KPIS = ("reach", "conversion_rate", "csat")


def review_frames() -> dict[str, pd.DataFrame]:
    kpis = [k for k in DEFAULT_KPIS if k.kpi_id in REVIEW_KPIS]
    facts = [
        (start + dt.timedelta(days=10), tp, kpi, num * factor, None if den is None else float(den))
        for start, factor in QUARTER_FACTORS.items()
        for (tp, kpi), (num, den) in BASE_FACTS.items()
    ]
    budget = [
        (dt.date(start.year, start.month + m, 1), journey, None, "all", 1000.0, actual)
        for start in QUARTER_FACTORS
        for m in range(3)
        for journey, actual in (("buy", 1100.0), ("move", 1020.0))
    ]
    rows = {
        "journeys": [("buy", "Buy a contract", "Newcomer", "Ana", ""),
                     ("move", "Move house", "Mover", "Ben", "")],
        "stages": [("buy_aware", "buy", "Awareness", 1), ("buy_decide", "buy", "Decision", 2),
                   ("move_aware", "move", "Awareness", 1), ("move_service", "move", "Service", 2)],
        "touchpoints": [
            ("tp_buy_web", "buy", "buy_aware", "Web shop", "web", "Ana", True, "must_be", 1.0, False),
            ("tp_buy_store", "buy", "buy_decide", "Store advice", "store", "Ana", False, None, 1.0, False),
            ("tp_move_call", "move", "move_service", "Move hotline", "call", "Ben", True, None, 1.0, False),
            ("tp_move_mail", "move", "move_aware", "Move mailing", "email", "Ben", False, None, 1.0, False),
        ],
        "kpis": [(k.kpi_id, k.name, k.unit.value, k.direction.value, k.aggregation.value, k.scale,
                  k.description) for k in kpis],
        "touchpoint_kpis": facts,
        "targets": [
            ("csat", "all", None, dt.date(2025, 1, 1), dt.date(2025, 12, 31), 4.0, 0.2, None),
            ("csat", "all", None, dt.date(2026, 1, 1), None, 4.1, 0.2, None),
            ("conversion_rate", "all", None, dt.date(2025, 1, 1), None, 22.0, 2.0, None),
            ("csat", "touchpoint", "tp_move_call", dt.date(2026, 1, 1), None, 3.4, 0.1, None),
        ],
        "budget": budget,
        "funnel": [(dt.date(2026, 7, 11), "buy", "buy_aware", 100.0)],
    }
    return {name: pd.DataFrame(rows[name], columns=list(TABLES[name])) for name in TABLES}


def build_review_warehouse(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, review_frames())
    finally:
        engine.dispose()
    return url


def change_fact(url: str, touchpoint_id: str, kpi_id: str, numerator: float) -> None:
    """Overwrite the numerator of one touchpoint's KPI rows: the warehouse 'changes later'."""
    engine = sa.create_engine(url)
    table = sa.table("touchpoint_kpis", sa.column("touchpoint_id"), sa.column("kpi_id"),
                     sa.column("numerator"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.update(table).where(table.c.touchpoint_id == touchpoint_id,
                                                table.c.kpi_id == kpi_id).values(numerator=numerator))
    finally:
        engine.dispose()


@pytest.fixture
def review_warehouse_url(tmp_path: Path) -> str:
    return build_review_warehouse(tmp_path / "warehouse.sqlite")


@pytest.fixture
def review_wh(review_warehouse_url: str) -> Warehouse:
    return open_warehouse(review_warehouse_url, None)


@pytest.fixture
def review_registry() -> KpiRegistry:
    return KpiRegistry(k for k in DEFAULT_KPIS if k.kpi_id in REVIEW_KPIS)


@pytest.fixture
def state_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.sqlite'}"
