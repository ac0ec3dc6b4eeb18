"""The app on Spark SQL: a Thrift server on a two-worker local cluster, read through ``hive://``.

The queries, mapping, injection, snapshot and check-run tests run on Spark through their
``warehouse``/``build``/``live`` fixtures; this module adds what is Spark's own: the server really is
a cluster with two executors, and every page renders under AppTest with the overview's figures
equal to hand-written SQL, as on DuckDB (tests/test_pages_apptest.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.fixtures import QUOTED_JOURNEY_ID, QUOTED_JOURNEY_NAME, FixtureWarehouse
from tests.markdown import shown_text
from tests.spark import SPARK_MASTER
from tests.test_pages_apptest import PAGES, app_env, assert_rendered, expected_overview, run_page

pytestmark = pytest.mark.spark


def test_the_server_is_a_cluster_of_two_workers(fixture_warehouse_spark: FixtureWarehouse) -> None:
    with fixture_warehouse_spark.warehouse.engine.connect() as connection:
        master = connection.execute(sa.text("SET spark.master")).all()
        # A query that shuffles: it must be planned over the cluster and still add up.
        total = connection.execute(
            sa.text(fixture_warehouse_spark.sql("SELECT COUNT(DISTINCT tp_key) FROM {touchpoint_kpis}"))
        ).scalar_one()
    assert [tuple(row) for row in master] == [("spark.master", SPARK_MASTER)]
    assert total == 12


@pytest.fixture(scope="module")
def spark_env(
    fixture_warehouse_spark: FixtureWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    fx = fixture_warehouse_spark
    return app_env(fx.url, fx.mapping_path, tmp_path_factory.mktemp("app-data-spark"))


@pytest.fixture(scope="module")
def rendered(spark_env: dict[str, str]) -> Iterator[dict[str, tuple[AppTest, float]]]:
    """Every page run once on Spark, with the seconds its first (uncached) run took."""
    pages = {}
    for path, _, _ in PAGES:
        started = time.perf_counter()
        at = run_page(spark_env, path)
        pages[path] = (at, time.perf_counter() - started)
    yield pages


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_page_renders_on_spark(rendered: dict[str, tuple[AppTest, float]], path: str) -> None:
    at, seconds = rendered[path]
    assert_rendered(at)
    print(f"{path}: {seconds:.1f} s on Spark")  # shown with -s; the README quotes these


def test_overview_figures_equal_hand_written_sql_on_spark(
    rendered: dict[str, tuple[AppTest, float]], fixture_warehouse_spark: FixtureWarehouse
) -> None:
    at, _ = rendered["pages/overview.py"]
    shown = {m.label: str(m.value) for m in at.metric}
    expected = expected_overview(fixture_warehouse_spark)
    assert expected["Journeys"] == "5"
    assert {k: shown.get(k) for k in expected} == expected


def test_journey_with_quotes_and_umlauts_on_spark(spark_env: dict[str, str]) -> None:
    at = run_page(spark_env, "pages/journey.py", {"journey": QUOTED_JOURNEY_ID})
    assert_rendered(at)
    assert shown_text(at.title[0].value) == f"Journey: {QUOTED_JOURNEY_NAME}"


def test_unreachable_spark_server_says_so(tmp_path: Path) -> None:
    at = run_page(app_env("hive://127.0.0.1:1/default", None, tmp_path))
    assert not at.exception
    assert at.error
    assert "Cannot reach the warehouse at hive://127.0.0.1:1/default" in shown_text(at.error[0].value)
