"""Each check fails on a warehouse with its fault and passes on a clean one: DuckDB, SQLite, PostgreSQL
and Spark SQL.

The faulty warehouse carries one hand-made fault per check (FAULTS below), all at once: a check
must fail on it, and every check must pass on the clean warehouse built from the same frames.
Schema, empty-table and freshness faults need their own warehouses (test_checks_bad_input.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from checks.catalogue import CHECKS, Outcome
from checks.results import CheckRun
from checks.runner import run_checks
from connectors import profile_queries
from connectors.demo import generate, write_warehouse
from connectors.runtime import WarehouseUnavailable, open_for_checks
from metrics.model import TABLES
from metrics.registry import default_registry
from tests.fixtures import sent_statements

END = dt.date(2026, 11, 22)
Frames = dict[str, pd.DataFrame]


def clean_frames() -> Frames:
    return generate(touchpoints=8, years=1, seed=5, faults=False, end=END)


def _append(frame: pd.DataFrame, row: dict[str, object]) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


def _first_fact(f: Frames, kpi_id: str) -> int:
    facts = f["touchpoint_kpis"]
    quiet_day = pd.Timestamp(END - dt.timedelta(days=200))  # away from the dated faults
    return int(facts.index[(facts["kpi_id"] == kpi_id) & (facts["date"] == quiet_day)][0])


def _set(f: Frames, table: str, row: int, **values: object) -> None:
    for column, value in values.items():
        f[table].loc[row, column] = value


def _fact(f: Frames, **values: object) -> None:
    base = f["touchpoint_kpis"].iloc[-1].to_dict()
    f["touchpoint_kpis"] = _append(f["touchpoint_kpis"], {**base, **values})


def _drop_day(table: str, days_before: int, share: float) -> Callable[[Frames], None]:
    def mutate(f: Frames) -> None:
        frame = f[table]
        day = (frame["date"] == pd.Timestamp(END - dt.timedelta(days=days_before))).to_numpy()
        drop = day & (np.arange(len(frame)) % 100 < share * 100)
        f[table] = frame[~drop].reset_index(drop=True)

    return mutate


def _stale_touchpoint(f: Frames) -> None:
    facts = f["touchpoint_kpis"]
    stale = (facts["touchpoint_id"] == "tp_move_mailing") & (
        facts["date"] > pd.Timestamp(END - dt.timedelta(10))
    )
    f["touchpoint_kpis"] = facts[~stale].reset_index(drop=True)


def _overlap(f: Frames) -> None:
    latest = f["targets"].iloc[-1].to_dict()
    f["targets"] = _append(f["targets"], {**latest, "valid_to": pd.NaT, "target": 1.0})


#: check id -> a fault that only that check (and perhaps a related one) should notice.
FAULTS: dict[str, Callable[[Frames], None]] = {
    "journeys.keys": lambda f: f.update(journeys=_append(f["journeys"], f["journeys"].iloc[0].to_dict())),
    "stages.keys": lambda f: f.update(
        stages=_append(f["stages"], {**f["stages"].iloc[0].to_dict(), "position": 99})
    ),
    "touchpoints.keys": lambda f: f.update(
        touchpoints=_append(f["touchpoints"], f["touchpoints"].iloc[0].to_dict())
    ),
    "kpis.keys": lambda f: f.update(kpis=_append(f["kpis"], f["kpis"].iloc[0].to_dict())),
    "touchpoint_kpis.keys_present": lambda f: _set(f, "touchpoint_kpis", 0, kpi_id=None),
    "touchpoint_kpis.unique_keys": lambda f: _fact(f),
    "funnel.unique_keys": lambda f: f.update(funnel=_append(f["funnel"], f["funnel"].iloc[5].to_dict())),
    "stages.journey_known": lambda f: f.update(
        stages=_append(
            f["stages"], {"stage_id": "nowhere.x", "journey_id": "nowhere", "name": "X", "position": 1}
        )
    ),
    "touchpoints.references": lambda f: _set(f, "touchpoints", 7, stage_id="buy.research"),
    "touchpoint_kpis.touchpoint_known": lambda f: _fact(
        f, touchpoint_id="tp_ghost", kpi_id="reach", denominator=np.nan, date=pd.Timestamp(END)
    ),
    "touchpoint_kpis.kpi_known": lambda f: _fact(f, kpi_id="ghost_kpi", date=pd.Timestamp(END)),
    "targets.references": lambda f: _set(f, "targets", 3, scope="touchpoint", scope_id="tp_ghost"),
    "budget.references": lambda f: _set(f, "budget", 2, journey_id="nowhere"),
    "funnel.references": lambda f: _set(f, "funnel", 3, stage_id="ghost.stage"),
    "kpis.definitions": lambda f: f.update(
        kpis=_append(
            f["kpis"],
            {
                "kpi_id": "odd",
                "name": "Odd",
                "unit": "furlongs",
                "direction": "sideways",
                "aggregation": "ratio",
                "scale": 0.0,
                "description": "",
            },
        )
    ),
    "touchpoints.values": lambda f: _set(f, "touchpoints", 2, weight=-1.0),
    "stages.positions": lambda f: _set(f, "stages", 4, position=0),
    "touchpoint_kpis.value_range": lambda f: _set(
        f, "touchpoint_kpis", _first_fact(f, "csat"), numerator=9.0, denominator=1.0
    ),
    "touchpoint_kpis.rate_not_above_100": lambda f: _set(
        f, "touchpoint_kpis", _first_fact(f, "conversion_rate"), numerator=30.0, denominator=10.0
    ),
    "touchpoint_kpis.denominator_positive": lambda f: _set(
        f, "touchpoint_kpis", _first_fact(f, "ces"), denominator=0.0
    ),
    "touchpoint_kpis.no_future_dates": lambda f: _fact(f, date=pd.Timestamp(END + dt.timedelta(days=4))),
    "funnel.values": lambda f: _set(f, "funnel", 8, customers=-5.0),
    "budget.non_negative": lambda f: _set(f, "budget", 4, actual=-1.0),
    "targets.values": lambda f: _set(f, "targets", 6, tolerance=-1.0),
    "targets.no_overlap": _overlap,
    "touchpoint_kpis.touchpoint_freshness": _stale_touchpoint,
    "touchpoint_kpis.volume": _drop_day("touchpoint_kpis", 30, 0.9),
    "funnel.volume": _drop_day("funnel", 40, 1.0),
}


def faulty_frames() -> Frames:
    frames = clean_frames()
    for mutate in FAULTS.values():
        mutate(frames)
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}


def outcomes(run: CheckRun) -> dict[str, str]:
    return {r.check.check_id: r.outcome.value for r in run.results}


# --- warehouses on each dialect -----------------------------------------------------------------

Builder = Callable[[str, Frames], tuple[str, Path | None]]


def _mapping_file(path: Path, schema: str) -> Path:
    tables = {t: {"table": f"{schema}.{t}"} for t in TABLES}
    path.write_text(yaml.safe_dump({"tables": tables}))
    return path


@pytest.fixture(
    params=[
        "duckdb",
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("hive", marks=pytest.mark.spark),
    ]
)
def build(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Builder]:
    """``build(name, frames) -> (url, mapping_path)``: a warehouse holding ``frames``."""
    if request.param in ("duckdb", "sqlite"):
        dialect = request.param

        def build_file(name: str, frames: Frames) -> tuple[str, Path | None]:
            url = sa.URL.create(dialect, database=str(tmp_path / f"{name}.{dialect}")).render_as_string()
            engine = sa.create_engine(url)
            write_warehouse(engine, frames)
            engine.dispose()
            return url, None

        yield build_file
        return
    if request.param == "hive":
        yield _spark_builder(request.getfixturevalue("spark_url"), tmp_path)
        return
    url = request.getfixturevalue("postgres_url")

    def build_postgres(name: str, frames: Frames) -> tuple[str, Path | None]:
        schema = f"dq_{name}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(url)
        write_warehouse(engine, frames, lambda t: (schema, t, {c: c for c in TABLES[t]}))
        engine.dispose()
        return url, _mapping_file(tmp_path / f"{schema}.yaml", schema)

    yield build_postgres


def _spark_builder(url: str, tmp_path: Path) -> Builder:
    """Each warehouse in a Spark database of its own, loaded from Parquet files."""
    from tests.spark import load_parquet_tables

    def build_spark(name: str, frames: Frames) -> tuple[str, Path | None]:
        schema = f"dq_{name}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                names = {t: (schema, t, {c: c for c in TABLES[t]}) for t in frames}
                load_parquet_tables(connection.connection.cursor(), tmp_path / schema, frames, names)
        finally:
            engine.dispose()
        return url, _mapping_file(tmp_path / f"{schema}.yaml", schema)

    return build_spark


def test_clean_warehouse_passes_every_check(build: Builder) -> None:
    url, mapping = build("clean", clean_frames())
    run = run_checks(open_for_checks(url, mapping), END)
    failing = {r.check.check_id: r.reason for r in run.results if r.failed}
    assert failing == {}
    assert len(run.results) == len(CHECKS)


def test_each_fault_is_found_by_its_check(build: Builder) -> None:
    url, mapping = build("faulty", faulty_frames())
    found = outcomes(run_checks(open_for_checks(url, mapping), END))
    assert {check: found[check] for check in FAULTS} == dict.fromkeys(FAULTS, Outcome.FAILED.value)
    # the faults touch values, never the schema
    assert all(found[f"{t}.schema"] == "passed" for t in TABLES)


def test_freshness_checks_fail_when_as_of_is_far_after_the_data(build: Builder) -> None:
    url, mapping = build("stale", clean_frames())
    found = outcomes(run_checks(open_for_checks(url, mapping), END + dt.timedelta(days=100)))
    for check in ("touchpoint_kpis.freshness", "funnel.freshness", "budget.freshness"):
        assert found[check] == "failed", check
    # touchpoints are judged against the warehouse's own latest date: all equally behind is the
    # table's finding above, not each touchpoint's
    assert found["touchpoint_kpis.touchpoint_freshness"] == "passed"
    assert found["touchpoint_kpis.no_future_dates"] == "passed"
    # days after the latest load are a freshness problem, not a volume drop
    assert found["touchpoint_kpis.volume"] == "passed"


# --- duplicate keys counted in the fact profile's own scan (DuckDB) ------------------------------


def _many_duplicates(f: Frames) -> None:
    """Duplicate keys of every kind the profile tells apart: several dates of one group, a key
    loaded three times, keys without a touchpoint or a KPI, and rows without a date (no key)."""
    facts = f["touchpoint_kpis"]
    for days in (3, 40, 41, 200):
        _fact(f, **facts.iloc[-1 - days].to_dict())
    for share in (3, 2):  # two more touchpoints' groups
        _fact(f, **facts.iloc[len(facts) // share].to_dict())
    _fact(f, **facts.iloc[-5].to_dict())
    _fact(f, **facts.iloc[-5].to_dict())
    for column in ("touchpoint_id", "kpi_id"):
        row = {**facts.iloc[-9].to_dict(), column: None}
        _fact(f, **row)
        _fact(f, **row)
    undated = {**facts.iloc[-12].to_dict(), "date": pd.NaT}
    _fact(f, **undated)
    _fact(f, **undated)


def _profile_and_sql(
    url: str, monkeypatch: pytest.MonkeyPatch, **patches: object
) -> tuple[pd.DataFrame, str]:
    """The fact profile (sorted by its keys) with ``patches`` to connectors.profile_queries, and the
    SQL it sent."""
    with monkeypatch.context() as patched:
        for name, value in patches.items():
            patched.setattr(profile_queries, name, value)
        wh = open_for_checks(url)
        assert not isinstance(wh, WarehouseUnavailable)
        try:
            with sent_statements(wh.engine) as sent:
                frame = profile_queries.fact_profile(wh, default_registry(), END)
        finally:
            wh.engine.dispose()
    keys = ["touchpoint_id", "kpi_id"]
    frame = frame.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)
    return frame, "\n".join(s.sql for s in sent)


def test_duckdb_counts_duplicate_keys_in_the_profile_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = faulty_frames()
    _many_duplicates(frames)
    url = sa.URL.create("duckdb", database=str(tmp_path / "dups.duckdb")).render_as_string()
    engine = sa.create_engine(url)
    write_warehouse(engine, frames)
    engine.dispose()

    counted, sql = _profile_and_sql(url, monkeypatch)
    assert "bitstring_agg" in sql and "doubled" not in sql  # one scan, then only the doubled touchpoints
    grouped, sql = _profile_and_sql(url, monkeypatch, DISTINCT_DATES_MAX_SPAN=0)
    assert "bitstring_agg" not in sql and "doubled" in sql  # a span too long: every key grouped
    pd.testing.assert_frame_equal(counted, grouped)
    doubled = counted[counted["duplicate_rows"] > 0]
    assert int(doubled["duplicate_rows"].sum()) == 1 + 4 + 2 + 2 + 1 + 1  # the faults' one, then these
    assert len(doubled) == 5
    assert doubled["touchpoint_id"].isna().sum() == 1 and doubled["kpi_id"].isna().sum() == 1
    assert doubled["duplicate_from"].isna().sum() == 1  # the group without a touchpoint: no dates

    # A row dated outside the span the profile was given (loaded between the two reads): all grouped.
    def narrow(wh: object) -> tuple[dt.date, dt.date]:
        return (END - dt.timedelta(days=30), END)

    fallen_back, sql = _profile_and_sql(url, monkeypatch, _fact_date_span=narrow)
    assert "bitstring_agg" in sql and "doubled" in sql
    pd.testing.assert_frame_equal(fallen_back, grouped)

    # More duplicated rows than are worth reading into Python (a load repeated whole): grouped.
    many, sql = _profile_and_sql(url, monkeypatch, DUPLICATE_KEYS_READ_MAX=5)
    assert "bitstring_agg" in sql and "doubled" in sql
    pd.testing.assert_frame_equal(many, grouped)
