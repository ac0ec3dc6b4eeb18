"""The demo warehouse: deterministic, believable, clean when asked, faulty where it says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.demo import (
    FUTURE_SHIFT_DAYS,
    INJECTED_FAULTS,
    UNKNOWN_KPI,
    UNKNOWN_TOUCHPOINT,
    build_demo_file,
    generate,
    main,
    rebuild_demo,
    write_warehouse,
)
from connectors.demo_file import DemoInfo, demo_end_for, demo_is_current, read_demo_info
from metrics.model import COLUMN_KINDS, TABLES, Aggregation
from metrics.registry import DEFAULT_KPIS

END = dt.date(2026, 11, 22)  # a fixed last day, so the figures below are reproducible
SMALL = {"touchpoints": 12, "years": 2, "seed": 11, "end": END}
KPIS = {k.kpi_id: k for k in DEFAULT_KPIS}
DTYPES = {"str": "str", "int": "int64", "float": "float64", "bool": "bool", "date": "datetime64[us]"}


@pytest.fixture(scope="module")
def default_clean() -> dict[str, pd.DataFrame]:
    return generate(end=END, faults=False)


@pytest.fixture(scope="module")
def small_clean() -> dict[str, pd.DataFrame]:
    return generate(**SMALL, faults=False)


@pytest.fixture(scope="module")
def small_faulty() -> dict[str, pd.DataFrame]:
    return generate(**SMALL, faults=True)


def test_same_seed_gives_equal_frames(small_faulty):
    again = generate(**SMALL, faults=True)
    for name in TABLES:
        pd.testing.assert_frame_equal(small_faulty[name], again[name])
    other = generate(**{**SMALL, "seed": 12}, faults=True)
    assert not other["touchpoint_kpis"]["numerator"].equals(small_faulty["touchpoint_kpis"]["numerator"])


def test_clean_data_is_the_faulty_data_without_faults(small_clean, small_faulty):
    pd.testing.assert_frame_equal(small_clean["touchpoints"], small_faulty["touchpoints"])
    drop_day = pd.Timestamp(END - dt.timedelta(days=20))  # the volume-drop fault hits every touchpoint

    def healthy(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        facts = frames["touchpoint_kpis"]
        rows = facts[(facts["touchpoint_id"] == "tp_buy_delivery") & (facts["date"] != drop_day)]
        return rows.reset_index(drop=True)

    pd.testing.assert_frame_equal(healthy(small_faulty), healthy(small_clean))


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_and_dtypes_follow_the_model(small_faulty, name):
    frame = small_faulty[name]
    assert list(frame.columns) == list(TABLES[name])
    assert len(frame) > 0
    for column, kind in COLUMN_KINDS[name].items():
        assert str(frame[column].dtype) == DTYPES[kind], (name, column)
        if kind == "date":
            values = frame[column].dropna()
            assert (values == values.dt.normalize()).all()


def test_the_company_looks_believable(default_clean):
    stages, tps = default_clean["stages"], default_clean["touchpoints"]
    assert 4 <= len(default_clean["journeys"]) <= 5
    assert default_clean["journeys"][["persona", "owner", "description"]].notna().all().all()
    for _, journey_stages in stages.groupby("journey_id"):
        assert len(journey_stages) >= 5
        assert sorted(journey_stages["position"]) == list(range(1, len(journey_stages) + 1))
    assert stages["stage_id"].is_unique
    assert stages.groupby("journey_id")["name"].apply(tuple).nunique() == len(default_clean["journeys"])
    assert len(tps) == 40 and tps["touchpoint_id"].is_unique
    assert tps["channel"].nunique() >= 10
    assert 8 <= tps["owner"].nunique() <= 12
    assert tps.groupby("owner").size().min() >= 2
    assert 0.20 <= tps["moment_of_truth"].mean() <= 0.25
    assert set(tps["kano"].dropna()) == {"must_be", "performance", "delighter"}
    assert tps["kano"].isna().any()
    assert (tps["weight"] > 0).all()
    kpis = default_clean["kpis"]
    assert list(kpis["kpi_id"]) == [k.kpi_id for k in DEFAULT_KPIS]
    assert list(kpis["aggregation"]) == [k.aggregation.value for k in DEFAULT_KPIS]


def test_three_years_of_daily_data(default_clean):
    dates = default_clean["touchpoint_kpis"]["date"]
    assert dates.max() == pd.Timestamp(END)
    assert dates.min() == pd.Timestamp(dt.date(2023, 11, 23))
    assert dates.nunique() == (END - dt.date(2023, 11, 23)).days + 1


def test_many_touchpoints_get_numbered_names():
    tps = generate(touchpoints=95, years=1, end=END, faults=False)["touchpoints"]
    assert tps["touchpoint_id"].is_unique
    assert "tp_buy_delivery_3" in set(tps["touchpoint_id"])


def _csat(facts: pd.DataFrame, start: str, end: str) -> float:
    rows = facts[(facts["date"] >= start) & (facts["date"] <= end)]
    return rows["numerator"].sum() / rows["denominator"].sum()


def test_the_delivery_moment_of_truth_degrades(default_clean):
    facts = default_clean["touchpoint_kpis"]
    delivery = facts[(facts["touchpoint_id"] == "tp_buy_delivery") & (facts["kpi_id"] == "csat")]
    first = _csat(delivery, "2023-11-23", "2024-02-22")
    last = _csat(delivery, "2026-08-23", "2026-11-22")
    assert first > 4.2 and last < 3.9  # target 4.2, tolerance 0.2: ends off target
    targets = default_clean["targets"]
    mot = targets[(targets["scope_id"] == "tp_buy_delivery") & (targets["kpi_id"] == "csat")]
    assert mot["valid_to"].isna().sum() == 1
    assert mot.loc[mot["valid_to"].isna(), "target"].item() == 4.2


def test_targets_tighten_every_year(default_clean):
    targets = default_clean["targets"]
    csat = targets[(targets["kpi_id"] == "csat") & (targets["scope"] == "all")].sort_values("valid_from")
    assert list(csat["valid_from"].dt.year) == [2023, 2024, 2025, 2026]
    assert csat["target"].is_monotonic_increasing and csat["target"].nunique() == 4
    assert set(targets["scope"]) == {"all", "journey", "stage", "touchpoint"}
    assert targets["stretch"].notna().any() and (targets["tolerance"] > 0).all()


def test_reach_responds_to_spend_with_diminishing_returns(default_clean):
    facts, budget = default_clean["touchpoint_kpis"], default_clean["budget"]
    reach = facts[facts["kpi_id"] == "reach"].assign(month=lambda f: f["date"].dt.to_period("M"))
    monthly = reach.groupby(["touchpoint_id", "month"])["numerator"].mean().rename("reach")
    spend = budget.dropna(subset=["touchpoint_id"]).assign(month=lambda f: f["month"].dt.to_period("M"))
    joined = spend.join(monthly, on=["touchpoint_id", "month"])
    relative = joined.groupby("touchpoint_id")[["actual", "reach"]].transform(lambda s: s / s.mean())
    assert relative["actual"].corr(relative["reach"], method="spearman") > 0.3
    assert budget["touchpoint_id"].isna().any()  # journey-level brand campaigns


def _assert_clean(frames: dict[str, pd.DataFrame], end: dt.date) -> None:
    facts, tps = frames["touchpoint_kpis"], frames["touchpoints"]
    for table, key in {
        "touchpoint_kpis": ["date", "touchpoint_id", "kpi_id"],
        "funnel": ["date", "journey_id", "stage_id"],
        "budget": ["month", "journey_id", "touchpoint_id", "channel"],
        "touchpoints": ["touchpoint_id"],
        "stages": ["stage_id"],
        "journeys": ["journey_id"],
        "kpis": ["kpi_id"],
    }.items():
        assert not frames[table].duplicated(key).any(), table
    assert set(facts["touchpoint_id"]) <= set(tps["touchpoint_id"])
    assert set(facts["kpi_id"]) | set(frames["targets"]["kpi_id"]) <= set(frames["kpis"]["kpi_id"])
    assert set(tps["stage_id"]) <= set(frames["stages"]["stage_id"])
    assert set(frames["stages"]["journey_id"]) <= set(frames["journeys"]["journey_id"])
    assert set(frames["budget"]["touchpoint_id"].dropna()) <= set(tps["touchpoint_id"])
    for table, column in (("touchpoint_kpis", "date"), ("funnel", "date"), ("budget", "month")):
        assert frames[table][column].max() <= pd.Timestamp(end), table
    per_pair = facts.groupby(["touchpoint_id", "kpi_id"]).size()
    assert per_pair.nunique() == 1 and per_pair.iloc[0] == facts["date"].nunique()
    assert set(per_pair.index.get_level_values(0)) == set(tps["touchpoint_id"])
    assert (frames["budget"][["planned", "actual"]] >= 0).all().all()
    _assert_values_in_bounds(facts)
    _assert_targets_do_not_overlap(frames["targets"])


def _assert_values_in_bounds(facts: pd.DataFrame) -> None:
    for kpi_id, rows in facts.groupby("kpi_id"):
        kpi = KPIS[kpi_id]
        if kpi.aggregation is Aggregation.RATIO:
            assert (rows["denominator"] > 0).all(), kpi_id
            values = rows["numerator"] / rows["denominator"] * kpi.scale
        else:
            values = rows["numerator"]
        assert values.notna().all(), kpi_id
        assert kpi.lower is None or values.min() >= kpi.lower - 1e-9, kpi_id
        assert kpi.upper is None or values.max() <= kpi.upper + 1e-9, kpi_id


def _overlapping_targets(targets: pd.DataFrame) -> int:
    overlaps = 0
    for _, rows in targets.groupby(["kpi_id", "scope", targets["scope_id"].fillna("")]):
        rows = rows.sort_values("valid_from")
        ends = rows["valid_to"].fillna(pd.Timestamp("9999-12-31")).to_numpy()[:-1]
        overlaps += int((rows["valid_from"].to_numpy()[1:] <= ends).sum())
    return overlaps


def _assert_targets_do_not_overlap(targets: pd.DataFrame) -> None:
    assert _overlapping_targets(targets) == 0


def test_clean_mode_is_clean(small_clean):
    _assert_clean(small_clean, END)


def test_default_clean_demo_is_clean(default_clean):
    _assert_clean(default_clean, END)


def _fact_rows(frames, touchpoint_id=None, kpi_id=None):
    facts = frames["touchpoint_kpis"]
    mask = pd.Series(True, index=facts.index)
    if touchpoint_id is not None:
        mask &= facts["touchpoint_id"] == touchpoint_id
    if kpi_id is not None:
        mask &= facts["kpi_id"] == kpi_id
    return facts[mask]


def _fault_present(
    fault_id: str, tp: str | None, frames: dict[str, pd.DataFrame], end: dt.date = END
) -> bool:
    facts, budget = frames["touchpoint_kpis"], frames["budget"]
    own = _fact_rows(frames, tp)
    rows_per_day = facts.groupby("date").size()
    checks = {
        "duplicate_rows": lambda: own.duplicated(["date", "touchpoint_id", "kpi_id"]).sum() > 0,
        "orphan_touchpoint": lambda: tp not in set(frames["touchpoints"]["touchpoint_id"]) and len(own) > 0,
        "csat_out_of_range": lambda: (
            (own["kpi_id"] == "csat") & (own["numerator"] > 5 * own["denominator"])).any(),
        "bad_denominator": lambda: (own["denominator"] == 0).any() and (own["denominator"] < 0).any(),
        "future_dates": lambda: (own["date"] > pd.Timestamp(end)).any(),
        "stale_touchpoint": lambda: own["date"].max() == pd.Timestamp(end - dt.timedelta(days=10)),
        "volume_drop": lambda: rows_per_day.min() < 0.15 * rows_per_day.median(),
        "overlapping_targets": lambda: _overlapping_targets(frames["targets"]) > 0,
        "negative_budget": lambda: (budget.loc[budget["touchpoint_id"] == tp, "planned"] < 0).any(),
        "unknown_kpi": lambda: (~own["kpi_id"].isin(frames["kpis"]["kpi_id"])).any(),
    }
    return bool(checks[fault_id]())


@pytest.mark.parametrize("fault", INJECTED_FAULTS, ids=lambda f: f.fault_id)
def test_each_injected_fault_is_in_the_data(small_faulty, small_clean, fault):
    assert fault.table in TABLES
    assert _fault_present(fault.fault_id, fault.touchpoint_id, small_faulty)
    assert not _fault_present(fault.fault_id, fault.touchpoint_id, small_clean)


def test_faults_are_listed_once_and_named():
    assert len({f.fault_id for f in INJECTED_FAULTS}) == len(INJECTED_FAULTS) == 10
    ids = {f.touchpoint_id for f in INJECTED_FAULTS}
    assert UNKNOWN_TOUCHPOINT in ids
    assert UNKNOWN_KPI not in {k.kpi_id for k in DEFAULT_KPIS}


def test_orphan_rows_only_with_faults(small_clean, small_faulty):
    assert len(_fact_rows(small_clean, UNKNOWN_TOUCHPOINT)) == 0
    assert len(_fact_rows(small_faulty, UNKNOWN_TOUCHPOINT)) == 30


def _prefixed(table: str) -> tuple[str | None, str, dict[str, str]]:
    return None, "wh_" + table, {column: "c_" + column for column in TABLES[table]}


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_writer_round_trip_with_physical_names(tmp_path: Path, small_faulty, dialect):
    engine = sa.create_engine(sa.URL.create(dialect, database=str(tmp_path / f"wh.{dialect}")))
    try:
        write_warehouse(engine, small_faulty, physical=_prefixed)
        write_warehouse(engine, small_faulty, physical=_prefixed)  # drops and recreates
        inspector = sa.inspect(engine)
        assert set(inspector.get_table_names()) == {"wh_" + t for t in TABLES}
        with engine.connect() as conn:
            for name, frame in small_faulty.items():
                count = conn.execute(sa.select(sa.func.count()).select_from(sa.table("wh_" + name))).scalar()
                assert count == len(frame), name
            facts = sa.table("wh_touchpoint_kpis", sa.column("c_date", sa.Date), sa.column("c_denominator"))
            first, nulls = conn.execute(
                sa.select(sa.func.min(facts.c.c_date), sa.func.count()
                          .filter(facts.c.c_denominator.is_(None)))).one()
        assert first == small_faulty["touchpoint_kpis"]["date"].min().date()
        assert nulls == small_faulty["touchpoint_kpis"]["denominator"].isna().sum()
        assert _stored_type(engine, "wh_targets", "c_valid_from") in ("DATE", "date")
    finally:
        engine.dispose()


def _stored_type(engine: sa.Engine, table: str, column: str) -> str:
    if engine.dialect.name == "sqlite":
        types = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns(table)}
        return str(types[column])
    # duckdb_engine's inspector.get_columns fails on SQLAlchemy 2.1 (pg_collation), so ask DuckDB.
    source = sa.table(table, sa.column(column))
    with engine.connect() as conn:
        return str(conn.execute(sa.select(sa.func.typeof(source.c[column])).limit(1)).scalar())


def test_build_demo_file_is_atomic_and_readable(tmp_path: Path):
    out = tmp_path / "data" / "demo.duckdb"
    assert build_demo_file(out, end=END, touchpoints=10, years=1) == out
    build_demo_file(out, end=END, touchpoints=10, years=1)  # replaces an existing file
    assert sorted(p.name for p in out.parent.iterdir()) == ["demo.duckdb"]
    engine = sa.create_engine(sa.URL.create("duckdb", database=str(out)))
    try:
        with engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(sa.table("touchpoints"))).scalar()
        assert count == 10
    finally:
        engine.dispose()


def test_cli_prints_counts_and_ends_yesterday_by_default(tmp_path: Path, capsys):
    out = tmp_path / "cli.duckdb"
    today = dt.date(2027, 3, 1)
    assert main(["--out", str(out), "--touchpoints", "9", "--years", "1", "--clean"], today=today) == 0
    printed = capsys.readouterr().out
    assert "touchpoint_kpis" in printed and "generated in" in printed
    assert read_demo_info(out) == DemoInfo(dt.date(2027, 2, 28), touchpoints=9, years=1, faults=False)
    assert main(["--out", str(out), "--touchpoints", "9", "--years", "1", "--end", "2026-05-04"]) == 0
    assert read_demo_info(out) == DemoInfo(dt.date(2026, 5, 4), touchpoints=9, years=1)


# --- the demo on any day --------------------------------------------------------------------------

#: Last days other than END: a year start (targets change on 1 Jan) and the day after a leap day.
OTHER_ENDS = (dt.date(2027, 1, 1), dt.date(2028, 3, 1))


@pytest.mark.parametrize("end", OTHER_ENDS, ids=str)
def test_any_end_gives_the_same_company_up_to_that_day(small_faulty, end):
    frames = generate(**{**SMALL, "end": end}, faults=True)
    again = generate(**{**SMALL, "end": end}, faults=True)
    for name in TABLES:  # deterministic for a given end
        pd.testing.assert_frame_equal(frames[name], again[name])
    pd.testing.assert_frame_equal(frames["touchpoints"], small_faulty["touchpoints"])
    dates = frames["touchpoint_kpis"]["date"]
    assert dates[dates <= pd.Timestamp(end)].max() == pd.Timestamp(end)
    assert dates[dates <= pd.Timestamp(end)].min() == pd.Timestamp(end.replace(year=end.year - 2)
                                                                      + dt.timedelta(days=1))
    future = dates[dates > pd.Timestamp(end)]  # only the mistyped-year fault, a year ahead
    assert future.min() > pd.Timestamp(end + dt.timedelta(days=FUTURE_SHIFT_DAYS - 3))
    for fault in INJECTED_FAULTS:
        assert _fault_present(fault.fault_id, fault.touchpoint_id, frames, end), fault.fault_id
    clean = generate(**{**SMALL, "end": end}, faults=False)
    _assert_clean(clean, end)
    for fault in INJECTED_FAULTS:
        assert not _fault_present(fault.fault_id, fault.touchpoint_id, clean, end), fault.fault_id


def test_a_demo_is_current_when_its_data_ends_yesterday() -> None:
    today = dt.date(2027, 1, 2)
    assert demo_end_for(today) == dt.date(2027, 1, 1)
    assert demo_is_current(DemoInfo(dt.date(2027, 1, 1)), today)
    assert demo_is_current(DemoInfo(dt.date(2027, 1, 2)), today)  # newer is not older: kept
    assert not demo_is_current(DemoInfo(dt.date(2026, 12, 31)), today)
    assert not demo_is_current(None, today)  # missing, or a file without a record


def test_rebuild_moves_the_end_to_yesterday_and_keeps_size_seed_and_faults(tmp_path: Path):
    out = tmp_path / "demo.duckdb"
    assert read_demo_info(out) is None
    build_demo_file(out, end=END, touchpoints=9, years=1, seed=5, faults=False)
    assert read_demo_info(out) == DemoInfo(END, touchpoints=9, years=1, seed=5, faults=False)
    today = dt.date(2027, 6, 15)
    assert rebuild_demo(out, today) == DemoInfo(dt.date(2027, 6, 14), 9, 1, 5, False)
    assert read_demo_info(out) == DemoInfo(dt.date(2027, 6, 14), 9, 1, 5, False)
    with duckdb.connect(str(out), read_only=True) as conn:
        assert conn.execute("SELECT max(date) FROM touchpoint_kpis").fetchone() == (dt.date(2027, 6, 14),)
    missing = tmp_path / "new" / "demo.duckdb"
    assert rebuild_demo(missing, today) == DemoInfo(dt.date(2027, 6, 14))  # the defaults
    (tmp_path / "not-a-demo.duckdb").write_text("no database")
    assert read_demo_info(tmp_path / "not-a-demo.duckdb") is None


def test_before_publish_sees_the_finished_file_while_readers_still_see_the_old_one(tmp_path: Path):
    out = tmp_path / "demo.duckdb"
    build_demo_file(out, end=END, touchpoints=9, years=1)
    seen: list[tuple[Path, DemoInfo | None, DemoInfo | None]] = []
    later = END + dt.timedelta(days=30)

    def look(written: Path) -> None:
        seen.append((written, read_demo_info(written), read_demo_info(out)))

    build_demo_file(out, end=later, touchpoints=9, years=1, before_publish=look)
    [(written, new, old)] = seen
    assert written != out and written.name == out.name
    assert (new.end, old.end) == (later, END)  # type: ignore[union-attr]
    assert read_demo_info(out).end == later  # type: ignore[union-attr]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--touchpoints", "3"], "at least 8"),
        (["--end", "22.11.2026"], "YYYY-MM-DD"),
        (["--years", "0"], "years must be"),
        (["--years", "x"], "invalid int value"),
    ],
)
def test_cli_rejects_bad_arguments_without_traceback(tmp_path: Path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path / "x.duckdb"), *args])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (tmp_path / "x.duckdb").exists()


def test_no_fault_rows_are_nan_in_keys(small_faulty):
    nullable = {("targets", "scope_id"), ("budget", "touchpoint_id")}
    for name, frame in small_faulty.items():
        key_columns = [c for c in TABLES[name] if c.endswith("_id") and (name, c) not in nullable]
        assert not frame[key_columns].isna().any().any(), name
    assert np.isfinite(small_faulty["touchpoint_kpis"]["numerator"]).all()
