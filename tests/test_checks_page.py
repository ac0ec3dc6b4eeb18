"""AppTest of the data-quality page and of trust badges on the overview, on the demo warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from checks import history
from checks.runner import run_checks
from connectors.demo import build_demo_file
from connectors.demo_file import demo_end_for
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine
from metrics.periods import period_for
from tests.grid_html import grid_cells
from ui.check_runs import current_job, start_check_run

# The app runs on the demo warehouse (no MOT_WAREHOUSE_URL) and rebuilds a demo whose data ends
# before yesterday, so the demo here ends yesterday and checks judge it as of today, as the app does.
TODAY = dt.date.today()
END = demo_end_for(TODAY)
APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dq-page")
    build_demo_file(folder / "demo.duckdb", end=END)
    return folder


@pytest.fixture
def app_env(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    state_url = sa.URL.create("sqlite", database=str(tmp_path / "state.sqlite")).render_as_string()
    monkeypatch.setenv("MOT_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("MOT_STATE_URL", state_url)
    monkeypatch.delenv("MOT_WAREHOUSE_URL", raising=False)
    monkeypatch.delenv("MOT_MAPPING", raising=False)
    engine = create_state_engine(state_url)
    yield engine
    engine.dispose()


#: A period that holds the demo's planted faults on KPI values on any day: they sit 27–62 days before
#: its end (connectors.demo; trust is scoped by date). The last full quarter holds none for about a
#: month of every quarter, year to date none in January.
FAULTY_PERIOD = "last_90_days"


def test_the_faulty_period_holds_every_dated_fault_on_kpi_values() -> None:
    from connectors import demo

    days = (*demo._DUPLICATE_DAYS, *demo._CSAT_DAYS, *demo._ZERO_DEN_DAYS, *demo._NEGATIVE_DEN_DAYS)
    period = period_for(FAULTY_PERIOD, END)
    assert all(period.start <= END - dt.timedelta(days=d) <= period.end for d in days)


def _page(path: str, period: str = FAULTY_PERIOD) -> AppTest:
    """The page over a period that holds planted faults."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["url_period"] = period
    at.run()
    at.switch_page(path)
    at.run()
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_page_without_runs_offers_to_run(app_env: sa.Engine) -> None:
    at = _page("pages/data_quality.py")
    assert not at.exception
    assert "No checks have run yet" in _texts(at)
    assert at.button[0].label == "Run checks now"


def test_page_shows_failing_checks_history_and_samples(app_env: sa.Engine, demo_dir: Path) -> None:
    url = sa.URL.create("duckdb", database=str(demo_dir / "demo.duckdb")).render_as_string()
    history.save_run(app_env, run_checks(open_for_checks(url), TODAY))
    at = _page("pages/data_quality.py")
    assert not at.exception
    text = _texts(at)
    for name in ("No duplicate fact rows", "No overlapping targets", "KPI values in range for their unit"):
        assert name in text
    assert at.metric[1].label == "Critical failing" and int(at.metric[1].value) >= 8
    at.selectbox[-1].set_value("touchpoint_kpis.unique_keys").run()  # one failing check in detail
    detail = " ".join(t.value for t in at.text) + _texts(at)
    # touchpoints by name, ids in the sample of failing rows
    assert "Online shop checkout" in detail and "tp_buy_web_shop" in detail
    assert "Social media ads" in text  # freshness per touchpoint, by name


def test_run_now_button_stores_a_run(app_env: sa.Engine) -> None:
    at = _page("pages/data_quality.py")
    at.button[0].click()
    at.run()
    assert not at.exception
    job = current_job(str(app_env.url))
    assert job is not None and job.finished.wait(240), "the check run did not end"
    at.run()
    assert not at.exception
    assert any("Checks done in" in s.value for s in at.success)
    runs = history.list_runs(app_env)
    assert list(runs["trigger"]) == ["app"]
    assert int(runs.iloc[0]["failed_critical"]) >= 8


def test_pressing_run_twice_starts_one_run(app_env: sa.Engine, demo_dir: Path) -> None:
    url = sa.URL.create("duckdb", database=str(demo_dir / "demo.duckdb")).render_as_string()
    wh = open_for_checks(url)
    first, started = start_check_run("two-presses", wh, app_env, TODAY, None)
    again, started_again = start_check_run("two-presses", wh, app_env, TODAY, None)
    assert started and not started_again and again is first  # the second press joins the first run
    assert first.finished.wait(240) and first.problem == ""
    assert len(history.list_runs(app_env)) == 1


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/journey.py"])
def test_kpi_pages_count_untrusted_values_after_a_failing_run(
    app_env: sa.Engine, demo_dir: Path, page: str
) -> None:
    at = _page(page)
    assert not at.exception
    assert "Unchecked" in _texts(at)  # no run yet: nothing marked, and the page says so
    url = sa.URL.create("duckdb", database=str(demo_dir / "demo.duckdb")).render_as_string()
    history.save_run(app_env, run_checks(open_for_checks(url), TODAY))
    at = _page(page)
    assert not at.exception
    assert "KPI values on this page are not trusted" in _texts(at)


def test_overview_grid_marks_journey_values_not_trusted(app_env: sa.Engine, demo_dir: Path) -> None:
    url = sa.URL.create("duckdb", database=str(demo_dir / "demo.duckdb")).render_as_string()
    history.save_run(app_env, run_checks(open_for_checks(url), TODAY))
    at = _page("pages/overview.py")
    grids = [m.value for m in at.markdown if "Headline KPIs" in m.value]
    assert grids, "the headline grid is drawn"
    cells = grid_cells(grids[0])
    untrusted = cells[cells["status_label"] == "Not trusted"]
    assert not untrusted.empty
    assert untrusted["reason"].str.contains("failed").all()  # the reason shows on hover ("Why")


def test_emotional_curve_marks_stages_with_failing_rows_not_trusted(
    app_env: sa.Engine, demo_dir: Path
) -> None:
    # The demo's CSAT fault sits at "Advice in the store" (tp_buy_store_advice, Decision stage of
    # "Buy a phone contract"): its card is not trusted, so the Decision point of the curve is too.
    url = sa.URL.create("duckdb", database=str(demo_dir / "demo.duckdb")).render_as_string()
    history.save_run(app_env, run_checks(open_for_checks(url), TODAY))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["journey"] = "buy"
    at.query_params["feeling"] = "csat"
    at.session_state["url_period"] = FAULTY_PERIOD  # the CSAT fault sits 42-45 days before the end
    at.run()
    at.switch_page("pages/journey.py").run()
    assert not at.exception
    curves = [c.proto for c in at.get("vega_lite_chart") if "Emotional journey" in c.proto.spec]
    assert curves, "the emotional curve is drawn"
    points = pd.concat(pa.ipc.open_stream(d.data.data).read_pandas() for d in curves[0].datasets)
    decision = points[points["stage"] == "Decision"]
    assert not decision.empty
    assert (decision["status_label"] == "Not trusted").all()


def test_history_chart_colours_come_from_the_status_palette() -> None:
    from metrics.status import STATUS_COLOURS
    from ui.quality_charts import check_history_chart

    frame = pd.DataFrame({
        "run_id": ["r1", "r1", "r2", "r2"],
        "started_at": pd.to_datetime(["2026-11-01 10:00", "2026-11-01 10:00", "2026-11-02 10:00",
                                      "2026-11-02 10:00"], utc=True),
        "check_id": ["a", "b", "a", "b"],
        "severity": ["critical", "warning", "critical", "warning"],
        "outcome": ["passed", "failed", "failed", "error"],
        "failing_count": [0, 3, 5, 0],
    })
    spec = check_history_chart(frame, {"a": "Check A"}).to_dict()
    assert set(spec["encoding"]["color"]["scale"]["range"]) <= set(STATUS_COLOURS.values())
    data = next(iter(spec["datasets"].values()))
    assert {row["result"] for row in data} == {"passed", "warning failed", "critical failed", "could not run"}
    assert {row["check"] for row in data} == {"Check A", "b"}
