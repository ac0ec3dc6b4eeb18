"""The demo warehouse: every injected fault is found by a named check; the CLI, history and trust."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from checks import history
from checks.__main__ import main

# private: tested directly because report-only faults are expected to untrust nothing
from checks._scoping import REPORT_ONLY
from checks.demo import CheckedDemo, build_checked_demo
from checks.runner import run_checks
from checks.trust import untrusted_scopes
from connectors.demo import INJECTED_FAULTS, build_demo_file
from connectors.demo_file import DemoInfo, read_demo_info
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine
from metrics.formatting import date_text
from tests.markdown import shown_text
from tests.test_checks_page import FAULTY_PERIOD

#: The demo's last day. Not a fixed constant of the generator: the demo must pass on any day, so
#: the clean demo is also checked with other ends (a year start, the day after a leap day).
END = dt.date(2026, 11, 22)
CLEAN_ENDS = (dt.date(2027, 1, 1), dt.date(2028, 3, 1))
DAY = dt.timedelta(days=1)  # the app opens the demo the day after its last day
APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")

#: Injected demo fault -> the check that must find it.
FAULT_CHECKS: dict[str, str] = {
    "duplicate_rows": "touchpoint_kpis.unique_keys",
    "orphan_touchpoint": "touchpoint_kpis.touchpoint_known",
    "csat_out_of_range": "touchpoint_kpis.value_range",
    "bad_denominator": "touchpoint_kpis.denominator_positive",
    "future_dates": "touchpoint_kpis.no_future_dates",
    "stale_touchpoint": "touchpoint_kpis.touchpoint_freshness",
    "volume_drop": "touchpoint_kpis.volume",
    "overlapping_targets": "targets.no_overlap",
    "negative_budget": "budget.non_negative",
    "unknown_kpi": "touchpoint_kpis.kpi_known",
}


def _url(path: Path) -> str:
    return sa.URL.create("duckdb", database=str(path)).render_as_string()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dq-demo")
    return {
        "faulty": build_demo_file(folder / "demo.duckdb", end=END),
        "clean": build_demo_file(folder / "clean.duckdb", end=END, faults=False),
    }


def test_every_injected_fault_has_a_check() -> None:
    assert set(FAULT_CHECKS) == {f.fault_id for f in INJECTED_FAULTS}


def test_demo_faults_are_each_found_by_their_named_check(demo_files: dict[str, Path]) -> None:
    run = run_checks(open_for_checks(_url(demo_files["faulty"])), END + DAY)
    results = {r.check.check_id: r for r in run.results}
    for fault in INJECTED_FAULTS:
        result = results[FAULT_CHECKS[fault.fault_id]]
        assert result.outcome.value == "failed", fault.fault_id
        if fault.touchpoint_id is not None and result.check.check_id in REPORT_ONLY:
            # rows no value can hold (an unknown touchpoint): named in the reason, untrusting nothing
            assert result.scopes.empty and fault.touchpoint_id in result.reason, fault.fault_id
        elif fault.touchpoint_id is not None and "touchpoint_id" in result.scopes:
            assert fault.touchpoint_id in set(result.scopes["touchpoint_id"]), fault.fault_id
    unexpected = {r.check.check_id for r in run.results if r.failed} - set(FAULT_CHECKS.values())
    assert unexpected == set()


def test_clean_demo_passes_every_check(demo_files: dict[str, Path]) -> None:
    run = run_checks(open_for_checks(_url(demo_files["clean"])), END)  # checked on its last day
    assert [r.check.check_id for r in run.results if r.failed] == []


@pytest.mark.parametrize("end", CLEAN_ENDS, ids=str)
def test_clean_demo_passes_every_check_whatever_day_it_ends(tmp_path: Path, end: dt.date) -> None:
    path = build_demo_file(tmp_path / "clean.duckdb", end=end, faults=False)
    run = run_checks(open_for_checks(_url(path)), end + DAY)  # opened the next morning, as the app does
    assert [(r.check.check_id, r.reason) for r in run.results if r.failed] == []


def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, warehouse: Path) -> str:
    state_url = sa.URL.create("sqlite", database=str(tmp_path / "state.sqlite")).render_as_string()
    monkeypatch.setenv("MOT_WAREHOUSE_URL", _url(warehouse))
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOT_STATE_URL", state_url)
    monkeypatch.delenv("MOT_MAPPING", raising=False)
    return state_url


def test_cli_exits_non_zero_writes_json_docs_and_history(
    demo_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    state_url = _env(monkeypatch, tmp_path, demo_files["faulty"])
    out = tmp_path / "results.json"
    assert main(["run", "--json", str(out), "--as-of", (END + DAY).isoformat()]) == 1
    printed = capsys.readouterr().out
    assert "FAIL  critical  touchpoint_kpis.unique_keys" in printed
    document = json.loads(out.read_text())
    assert document["exit_code"] == 1 and document["counts"]["failed_critical"] >= 8
    by_id = {r["check_id"]: r for r in document["results"]}
    assert by_id["touchpoint_kpis.value_range"]["sample"][0]["touchpoint_id"] == "tp_buy_store_advice"
    assert document["docs_url"] and Path(document["docs_url"].removeprefix("file://")).exists()
    engine = create_state_engine(state_url)
    assert list(history.list_runs(engine)["run_id"]) == [document["run_id"]]


def test_cli_fail_on_levels_and_history_kept(
    demo_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_url = _env(monkeypatch, tmp_path, demo_files["clean"])
    assert main(["run", "--no-docs", "--as-of", (END + DAY).isoformat()]) == 0
    # 100 days later the clean demo is stale: a warning, so only --fail-on warning fails
    later = (END + dt.timedelta(days=100)).isoformat()
    assert main(["run", "--no-docs", "--as-of", later]) == 0
    assert main(["run", "--no-docs", "--as-of", later, "--fail-on", "warning"]) == 1
    engine = create_state_engine(state_url)
    runs = history.list_runs(engine)
    assert len(runs) == 3
    trend = history.results_history(engine)
    stale = trend[trend["check_id"] == "touchpoint_kpis.freshness"].sort_values("started_at")
    assert list(stale["outcome"]) == ["passed", "failed", "failed"]
    since = history.since_failing(trend).set_index("check_id")["failing_since"]
    assert since["touchpoint_kpis.freshness"] == stale["started_at"].iloc[1]


def test_untrusted_scopes_come_from_failing_critical_kpi_checks(
    demo_files: dict[str, Path], tmp_path: Path
) -> None:
    engine = create_state_engine(
        sa.URL.create("sqlite", database=str(tmp_path / "s.sqlite")).render_as_string()
    )
    assert untrusted_scopes(engine).empty  # no run yet: nothing marked
    history.save_run(engine, run_checks(open_for_checks(_url(demo_files["faulty"])), END + DAY))
    scopes = untrusted_scopes(engine)
    pairs = set(zip(scopes["touchpoint_id"], scopes["kpi_id"], strict=True))
    assert ("tp_buy_store_advice", "csat") in pairs
    assert ("tp_fault_chat", "first_contact_resolution") in pairs
    assert set(scopes["check_id"]) >= {"touchpoint_kpis.unique_keys", "targets.no_overlap"}
    # budget faults and warnings never make a KPI untrusted
    assert not set(scopes["check_id"]) & {"budget.non_negative", "touchpoint_kpis.touchpoint_freshness"}
    overlap = scopes[scopes["check_id"] == "targets.no_overlap"].iloc[0]
    assert (overlap["journey_id"], overlap["kpi_id"]) == ("move", "nps")
    assert all(reason for reason in scopes["reason"])


# --- the demo file seen by the app, checked from the start (checks/demo.py) -----------------


def _state_url(path: Path) -> str:
    return sa.URL.create("sqlite", database=str(path)).render_as_string()


def _open_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path, state_url: str,
              period: str | None = None) -> AppTest:
    monkeypatch.delenv("MOT_WAREHOUSE_URL", raising=False)
    monkeypatch.delenv("MOT_MAPPING", raising=False)
    monkeypatch.setenv("MOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MOT_STATE_URL", state_url)
    at = AppTest.from_file(APP, default_timeout=180)
    if period is not None:
        at.session_state["url_period"] = period
    at.run()
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [e.label for e in at.get("status")]
    return "\n".join(str(p) for p in parts)


def test_a_built_demo_comes_with_its_check_run(tmp_path: Path) -> None:
    today = dt.date(2027, 5, 10)  # the demo then ends 9 May 2027
    path, state_url = tmp_path / "data" / "demo.duckdb", _state_url(tmp_path / "state.sqlite")
    steps: list[str] = []
    built = build_checked_demo(path, state_url, today, progress=steps.append)
    assert built.saved and built.problem == ""
    assert built.info == read_demo_info(path) == DemoInfo(dt.date(2027, 5, 9))
    assert "Checking the demo's data quality…" in steps
    engine = create_state_engine(state_url)
    runs = history.list_runs(engine)
    assert len(runs) == 1
    run = runs.iloc[0]
    assert (run["trigger"], run["as_of"], run["warehouse"]) == ("demo", today, f"duckdb:///{path}")
    results = history.run_results(engine, str(run["run_id"]))
    failing = results[results["outcome"] != "passed"]
    assert set(failing["check_id"]) == set(FAULT_CHECKS.values())  # the planted faults, nothing else
    critical = set(failing.loc[failing["severity"] == "critical", "check_id"])
    assert critical >= {"touchpoint_kpis.unique_keys", "touchpoint_kpis.no_future_dates",
                        "touchpoint_kpis.value_range", "targets.no_overlap"}
    assert int(run["failed_critical"]) == len(critical) >= 8
    scopes = untrusted_scopes(engine)
    assert ("tp_buy_store_advice", "csat") in set(zip(scopes["touchpoint_id"], scopes["kpi_id"], strict=True))
    engine.dispose()


def test_an_unwritable_state_store_leaves_the_demo_built(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    state_url = _state_url(tmp_path / "a-file" / "state.sqlite")  # its folder cannot be made
    built: CheckedDemo = build_checked_demo(tmp_path / "demo.duckdb", state_url, dt.date(2027, 5, 10))
    assert not built.saved and "state store" in built.problem
    assert built.run is not None and built.run.counts()["failed_critical"] >= 8
    assert read_demo_info(tmp_path / "demo.duckdb") == DemoInfo(dt.date(2027, 5, 9))


def test_a_state_store_that_cannot_exist_is_a_setting_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A state file under a plain file can never be written: the settings check says so before any
    # work (a store that fails later still leaves the demo built: the test above).
    (tmp_path / "a-file").write_text("not a folder")
    at = _open_app(monkeypatch, tmp_path / "data", _state_url(tmp_path / "a-file" / "state.sqlite"))
    assert not at.exception, [e.value for e in at.exception]
    errors = [shown_text(e.value) for e in at.error]
    assert any("A setting is wrong" in e and "MOT_STATE_URL" in e for e in errors), errors


def test_the_app_rebuilds_a_stale_demo_and_shows_its_faults_as_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date.today()  # what dashboard.py passes
    stale = build_demo_file(tmp_path / "demo.duckdb", end=dt.date(2026, 1, 31), touchpoints=12, years=1)
    state_url = _state_url(tmp_path / "state.sqlite")
    # Not the Overview's default (the last full quarter), which holds no fault for about a month of
    # every quarter.
    at = _open_app(monkeypatch, tmp_path, state_url, period=FAULTY_PERIOD)
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at)
    assert "Checking the demo's data quality…" in text
    ready = f"Demo warehouse ready, data up to {date_text(today - DAY)}"
    assert [s.label for s in at.get("status")] == [ready]
    assert "KPI values on this page are not trusted" in text
    assert read_demo_info(stale) == DemoInfo(today - DAY, touchpoints=12, years=1)  # size kept
    assert f"Data as of **{date_text(today - DAY)}**" in [c.value for c in at.sidebar.caption]
    engine = create_state_engine(state_url)
    assert list(history.list_runs(engine)["trigger"]) == ["demo"]
    again = _open_app(monkeypatch, tmp_path, state_url)  # the next visitor finds the demo current
    assert not again.exception and not again.get("status")  # no status box: no rebuild
    assert len(history.list_runs(engine)) == 1
    engine.dispose()


def test_the_app_reads_a_replaced_demo_file_not_the_one_it_had_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    yesterday = dt.date.today() - DAY
    path = build_demo_file(tmp_path / "demo.duckdb", end=yesterday, touchpoints=12, years=1)
    at = _open_app(monkeypatch, tmp_path, _state_url(tmp_path / "state.sqlite"))
    assert not at.exception and not at.get("status")  # current: no status box, no rebuild
    assert len(at.session_state["_mot_context"].touchpoints) == 12
    build_demo_file(path, end=yesterday, touchpoints=9, years=1)  # e.g. another process rebuilt it
    # The next visitor, in the same server process, which still has the old file open.
    again = _open_app(monkeypatch, tmp_path, _state_url(tmp_path / "state.sqlite"))
    assert not again.exception
    assert len(again.session_state["_mot_context"].touchpoints) == 9
