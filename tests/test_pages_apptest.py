"""Every page through Streamlit's AppTest on the DuckDB fixture warehouse (non-canonical names).

Pages must render without an exception or error; the overview's key figures must equal figures
computed by hand-written SQL over the physical tables plus the target rule; and every problem a
user can cause (unreachable warehouse, wrong mapping, empty data, hand-edited URLs) ends in a
clear message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml
from streamlit.testing.v1 import AppTest

from metrics.effectiveness import mot_on_target_text
from metrics.model import Direction
from metrics.periods import period_for
from metrics.status import Status, classify
from tests.fixtures import (
    QUOTED_JOURNEY_ID,
    QUOTED_JOURNEY_NAME,
    FixtureWarehouse,
    build_duckdb_file,
    fixture_frames,
    mapping_document,
)
from tests.markdown import shown_text
from ui.navigation import PAGES as NAVIGATION_PAGES

APP = "../dashboard.py"  # AppTest resolves it relative to this file
RUN_TIMEOUT_S = 90


PAGES = list(NAVIGATION_PAGES)


def app_env(fx_url: str, mapping: Path | None, data_dir: Path) -> dict[str, str]:
    env = {
        "MOT_WAREHOUSE_URL": fx_url,
        "MOT_DATA_DIR": str(data_dir),
        "MOT_STATE_URL": "sqlite:///" + str(data_dir / "state.sqlite"),
    }
    if mapping is not None:
        env["MOT_MAPPING"] = str(mapping)
    return env


def run_page(env: dict[str, str], page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Run the app once with ``env`` (MOT_MAPPING removed when absent), on ``page``, with URL params."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MOT_MAPPING", raising=False)
        for key, value in env.items():
            patch.setenv(key, value)
        at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
        if page is not None and page != PAGES[0][0]:
            at.switch_page(page)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run(timeout=RUN_TIMEOUT_S)
    return at


def assert_rendered(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, "the page has no title"


@pytest.fixture(scope="module")
def fixture_env(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    fx = fixture_warehouse_duckdb
    return app_env(fx.url, fx.mapping_path, tmp_path_factory.mktemp("app-data"))


@pytest.fixture(scope="module")
def rendered(fixture_env: dict[str, str]) -> Iterator[dict[str, AppTest]]:
    """Every page run once on the fixture warehouse (shared by the tests that only read them)."""
    yield {path: run_page(fixture_env, path) for path, _, _ in PAGES}


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_page_renders_without_errors(rendered: dict[str, AppTest], path: str) -> None:
    assert_rendered(rendered[path])


# --- the overview's figures, recomputed by hand-written SQL --------------------------------------


def _sql(fx: FixtureWarehouse, text: str, **params: Any) -> pd.DataFrame:
    statement = sa.text(fx.sql(text)).bindparams(
        *(sa.bindparam(k, type_=sa.Date) for k, v in params.items() if isinstance(v, dt.date))
    )
    with fx.warehouse.engine.connect() as connection:
        result = connection.execute(statement, params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def expected_overview(fx: FixtureWarehouse, period_choice: str = "last_quarter") -> dict[str, str]:
    """ "Journeys" and the moment-of-truth tiles from SQL, the default period and the target rule:
    the most specific target in force on the period's last day (touchpoint, stage, journey, all;
    the latest start wins), classified with metrics.status.classify."""
    today = dt.date.today()
    bounds = _sql(
        fx,
        "SELECT MIN(event_date) AS first, MAX(event_date) AS last FROM {touchpoint_kpis}"
        " WHERE event_date <= :today",
        today=today,
    ).iloc[0]
    first, as_of = pd.Timestamp(bounds["first"]).date(), pd.Timestamp(bounds["last"]).date()
    period = period_for(period_choice, as_of)
    start, end = max(period.start, first), period.end
    values = _sql(
        fx,
        """
        SELECT f.tp_key, f.kpi_key, k.direction,
               CASE WHEN k.aggregation = 'ratio'
                    THEN SUM(f.num_value) / NULLIF(SUM(f.den_value), 0) * k.kpi_scale
                    ELSE SUM(f.num_value) END AS value
        FROM {touchpoint_kpis} AS f
        JOIN {touchpoints} AS t ON t.tp_key = f.tp_key
        JOIN {kpis} AS k ON k.kpi_key = f.kpi_key
        WHERE f.event_date BETWEEN :start AND :end
        GROUP BY f.tp_key, f.kpi_key, k.direction, k.aggregation, k.kpi_scale""",
        start=start,
        end=end,
    )
    targets = _sql(
        fx,
        """
        SELECT kpi_key, scope, scope_id, valid_from, target_value, tolerance FROM {targets}
        WHERE valid_from <= :on AND (valid_until IS NULL OR valid_until >= :on)
        ORDER BY valid_from""",
        on=end,
    )
    touchpoints = _sql(fx, "SELECT tp_key, stage_key, journey_key, is_mot, weight FROM {touchpoints}")
    journeys = _sql(fx, "SELECT COUNT(*) AS n FROM {journeys}").iloc[0]["n"]
    scopes = {
        tp.tp_key: (
            ("touchpoint", tp.tp_key),
            ("stage", tp.stage_key),
            ("journey", tp.journey_key),
            ("all", None),
        )
        for tp in touchpoints.itertuples()
    }
    statuses: dict[str, list[Status]] = {}
    for row in values.itertuples():
        target = _target_in_force(targets, row.kpi_key, scopes[row.tp_key])
        status = classify(row.value, *target, Direction(row.direction))
        statuses.setdefault(row.tp_key, []).append(status)
    judged = on_target = off_target_cells = 0
    for tp in touchpoints[touchpoints["is_mot"].astype(bool)].itertuples():
        kpi_statuses = [s for s in statuses.get(tp.tp_key, []) if s is not Status.NO_DATA]
        off_target_cells += sum(s is Status.OFF_TARGET for s in kpi_statuses)
        if kpi_statuses:
            judged += 1
            on_target += all(s is Status.ON_TARGET for s in kpi_statuses)
    return {
        "Journeys": str(journeys),
        "Moments of truth on target": mot_on_target_text(on_target, judged),
        "Moments of truth off target": str(off_target_cells),
        "Healthy journeys (score ≥ 80)": str(_healthy_journeys(touchpoints, statuses)),
    }


def _healthy_journeys(touchpoints: pd.DataFrame, statuses: dict[str, list[Status]]) -> int:
    """Journeys whose weighted share of status points (on target 1, at risk 0.5, off target 0;
    a moment of truth weighs 3x) is at least 80 %."""
    points = {Status.ON_TARGET: 1.0, Status.AT_RISK: 0.5, Status.OFF_TARGET: 0.0}
    sums: dict[str, list[float]] = {}
    for tp in touchpoints.itertuples():
        weight = max(float(tp.weight), 0.0) * (3.0 if tp.is_mot else 1.0)
        for status in statuses.get(tp.tp_key, []):
            if status in points:
                total = sums.setdefault(tp.journey_key, [0.0, 0.0])
                total[0] += weight * points[status]
                total[1] += weight
    return sum(1 for earned, possible in sums.values() if possible > 0 and 100 * earned / possible >= 80)


def _target_in_force(targets: pd.DataFrame, kpi: str, chain: tuple[tuple[str, str | None], ...]) -> tuple:
    for scope, scope_id in chain:
        rows = targets[(targets["kpi_key"] == kpi) & (targets["scope"] == scope)]
        rows = rows[rows["scope_id"].isna()] if scope_id is None else rows[rows["scope_id"] == scope_id]
        if not rows.empty:
            latest = rows.iloc[-1]
            return float(latest["target_value"]), float(latest["tolerance"])
    return None, None


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


@pytest.mark.parametrize("period", ["last_quarter", "year_to_date", "last_30_days"])
def test_overview_figures_equal_hand_written_sql(
    rendered: dict[str, AppTest],
    fixture_env: dict[str, str],
    fixture_warehouse_duckdb: FixtureWarehouse,
    period: str,
) -> None:
    at = (
        rendered["pages/overview.py"]
        if period == "last_quarter"
        else run_page(fixture_env, "pages/overview.py", {"period": period})
    )
    assert_rendered(at)
    shown = _metrics(at)
    expected = expected_overview(fixture_warehouse_duckdb, period)
    assert expected["Journeys"] == "5"
    judged = int(expected["Moments of truth on target"].split(" of ")[1].split()[0])
    assert judged > 0, "no moment of truth was judged; the comparison would prove nothing"
    assert {k: shown.get(k) for k in expected} == expected


def test_journey_with_quotes_and_umlauts_chosen_by_url(fixture_env: dict[str, str]) -> None:
    at = run_page(fixture_env, "pages/journey.py", {"journey": QUOTED_JOURNEY_ID})
    assert_rendered(at)
    assert shown_text(at.title[0].value) == f"Journey: {QUOTED_JOURNEY_NAME}"
    assert at.selectbox(key="url_journey").value == QUOTED_JOURNEY_ID


# --- problems a user can cause ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_hand_edited_url_parameters_are_ignored(fixture_env: dict[str, str], path: str) -> None:
    query = {
        "period": "x' OR 1=1 --",
        "journey": "<script>alert(1)</script>",
        "channel": "x' OR 1=1 --",
        "feeling": "'; DROP TABLE wh_kpi; --",
    }
    at = run_page(fixture_env, path, query)
    assert_rendered(at)
    periods = [box for box in at.selectbox if box.key == "url_period"]
    assert all(box.value == "last_quarter" for box in periods)  # pages with a period fall back to it
    if path == "pages/journey.py":
        assert "<script>" not in at.title[0].value


def test_unreachable_warehouse(tmp_path: Path) -> None:
    at = run_page(app_env("postgresql+psycopg://nobody@127.0.0.1:1/none", None, tmp_path))
    assert not at.exception
    assert at.error and "cannot be reached" in at.error[0].value
    assert "Cannot reach the warehouse at postgresql+psycopg://nobody@127.0.0.1:1/none" in shown_text(
        at.error[0].value)
    assert at.info, "the page says what to do"


def test_unreadable_secrets_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads .streamlit/secrets.toml as every command does (connectors/runtime.py)."""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("MOT_WAREHOUSE_URL = \n")
    monkeypatch.chdir(tmp_path)
    at = run_page(app_env("duckdb:///nowhere.duckdb", None, tmp_path))
    assert not at.exception
    assert at.error and "A setting is wrong" in at.error[0].value
    assert "secrets.toml cannot be read" in shown_text(at.error[0].value)


def test_wrong_mapping_names_the_canonical_table(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path
) -> None:
    document = mapping_document("mart")
    document["tables"]["touchpoints"]["table"] = "mart.wh_touchpoints"
    mapping = tmp_path / "wrong.yaml"
    mapping.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    at = run_page(app_env(fixture_warehouse_duckdb.url, mapping, tmp_path))
    assert not at.exception
    assert at.error and "mapping file does not fit" in at.error[0].value
    shown = shown_text(at.error[0].value)
    assert "'touchpoints'" in shown and "mart.wh_touchpoints" in shown


def _variant_env(fx: FixtureWarehouse, folder: Path, keep_facts: Any) -> dict[str, str]:
    """The fixture warehouse with only some fact rows, in its own DuckDB file."""
    frames = fixture_frames()
    frames["touchpoint_kpis"] = keep_facts(frames["touchpoint_kpis"]).reset_index(drop=True)
    return app_env(build_duckdb_file(folder / "warehouse.duckdb", frames), fx.mapping_path, folder)


@pytest.fixture(scope="module")
def empty_facts_env(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return _variant_env(fixture_warehouse_duckdb, tmp_path_factory.mktemp("empty"), lambda f: f.iloc[0:0])


@pytest.fixture(scope="module")
def recent_facts_env(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return _variant_env(
        fixture_warehouse_duckdb,
        tmp_path_factory.mktemp("recent"),
        lambda f: f[f["date"] > f["date"].max() - pd.Timedelta(days=20)],
    )


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_empty_fact_table(empty_facts_env: dict[str, str], path: str) -> None:
    at = run_page(empty_facts_env, path)
    assert not at.exception
    assert at.error and "no KPI data yet" in at.error[0].value


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_period_without_data(recent_facts_env: dict[str, str], path: str) -> None:
    """Facts only in the last 20 days: the default period (last full quarter) has none.

    Every page stays up; the overview and journey pages say so in a warning."""
    at = run_page(recent_facts_env, path)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if path in ("pages/overview.py", "pages/journey.py"):
        assert at.warning and "no kpi data" in at.warning[0].value.lower()
