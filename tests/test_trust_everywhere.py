"""One planted fault, judged the same on every page, pack and alert (README "Status and trust").

A clean demo warehouse gets one critical fault: CSAT above 5 at one moment of truth ("Advice in the
store", tp_buy_store_advice) on 29-31 Oct 2026, the last days of its latest complete month. After a
check run, every surface must show:
- that touchpoint's CSAT in a period holding those days as not trusted (⊘);
- the same CSAT in the clean quarter before (2026Q3) as trusted;
- another KPI of the same touchpoint (conversion) in the faulty period as trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from checks import history
from checks.runner import run_checks
from connectors.demo import build_demo_file
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine
from tests.grid_html import grid_cells

END = dt.date(2026, 11, 22)
FAULT_DAYS = ("2026-10-29", "2026-10-31")
TOUCHPOINT, TP_NAME, OWNER = "tp_buy_store_advice", "Advice in the store", "Fatima El Amrani"
ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
UNTRUSTED = "⊘"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("planted")
    warehouse = folder / "warehouse.duckdb"
    build_demo_file(warehouse, end=END, faults=False)
    with duckdb.connect(str(warehouse)) as db:
        db.execute(
            "UPDATE touchpoint_kpis SET numerator = denominator * 6.5 WHERE touchpoint_id = ? "
            "AND kpi_id = 'csat' AND date BETWEEN ? AND ?", [TOUCHPOINT, *FAULT_DAYS])
    url = sa.URL.create("duckdb", database=str(warehouse)).render_as_string()
    state_url = sa.URL.create("sqlite", database=str(folder / "state.sqlite")).render_as_string()
    engine = create_state_engine(state_url)
    run = run_checks(open_for_checks(url), END)
    failing = {r.check.check_id for r in run.results if r.failed}
    assert "touchpoint_kpis.value_range" in failing
    history.save_run(engine, run)
    engine.dispose()
    yield {"MOT_WAREHOUSE_URL": url, "MOT_STATE_URL": state_url, "MOT_DATA_DIR": str(folder)}


def _app(
    env: dict[str, str], page: str, state: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> AppTest:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MOT_MAPPING", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _chart_data(at: AppTest, title: str) -> pd.DataFrame:
    specs = [c.proto for c in at.get("vega_lite_chart") if title in c.proto.spec]
    assert specs, f"no chart titled {title!r}"
    return pd.concat(pa.ipc.open_stream(d.data.data).read_pandas() for d in specs[0].datasets)


def _status_of(table: pd.DataFrame, **where: str) -> str:
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (where, rows)
    status = rows["Status"].iloc[0]
    return str(status[0] if isinstance(status, list | tuple) else list(status)[0])


def _scorecard(at: AppTest) -> pd.DataFrame:
    tables = [t.value for t in at.dataframe if "Touchpoint" in t.value.columns and "KPI" in t.value.columns]
    return tables[-1]


@pytest.mark.parametrize("period, csat_untrusted", [("last_30_days", True), ("last_quarter", False)])
def test_journey_scorecard(planted: dict[str, str], monkeypatch: pytest.MonkeyPatch, period: str,
                           csat_untrusted: bool) -> None:
    at = _app(planted, "pages/journey.py", {"url_journey": "buy", "url_period": period}, monkeypatch)
    card = _scorecard(at)
    csat = _status_of(card, Touchpoint=TP_NAME, KPI="CSAT")
    assert csat.startswith(UNTRUSTED) is csat_untrusted, csat
    assert not _status_of(card, Touchpoint=TP_NAME, KPI="Conversion rate").startswith(UNTRUSTED)


@pytest.mark.parametrize("period, csat_untrusted", [("last_30_days", True), ("last_quarter", False)])
def test_overview_grid(planted: dict[str, str], monkeypatch: pytest.MonkeyPatch, period: str,
                       csat_untrusted: bool) -> None:
    at = _app(planted, "pages/overview.py", {"url_period": period}, monkeypatch)
    grids = [m.value for m in at.markdown if "Headline KPIs" in m.value]
    assert grids, "the headline grid is drawn"
    cells = grid_cells(grids[0])
    buy = cells[cells["journey"] == "Buy a phone contract"].set_index("kpi")
    assert (buy.loc["CSAT", "status_label"] == "Not trusted") is csat_untrusted
    others = buy.drop(index="CSAT")
    assert not others.empty and others["status_label"].ne("Not trusted").all()


def test_trends_of_the_touchpoint(planted: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"url_kpi": ["csat", "conversion_rate"], "url_scope": "touchpoint",
             "url_touchpoint_id": TOUCHPOINT, "url_grain": "month"}
    at = _app(planted, "pages/trends.py", state, monkeypatch)
    csat = _chart_data(at, "CSAT by month").dropna(subset=["status_label"])
    by_month = csat.set_index(pd.to_datetime(csat["period_start"]).dt.strftime("%Y-%m"))["status_label"]
    assert by_month["2026-10"] == "Not trusted"
    assert by_month["2026-09"] != "Not trusted" and by_month["2026-07"] != "Not trusted"
    conversion = _chart_data(at, "Conversion rate by month").dropna(subset=["status_label"])
    assert conversion["status_label"].ne("Not trusted").all()


def test_my_touchpoints(planted: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"url_owner_name": OWNER, "url_owner_grain": "month"}
    at = _app(planted, "pages/my_touchpoints.py", state, monkeypatch)
    table = [t.value for t in at.dataframe if "Why it comes here" in t.value.columns][0]
    marked = f"★ {TP_NAME}"  # a moment of truth: its name carries the mark, as on the journey map
    assert _status_of(table, Touchpoint=marked, KPI="CSAT").startswith(UNTRUSTED)
    assert not _status_of(table, Touchpoint=marked, KPI="Conversion rate").startswith(UNTRUSTED)
    lines = [m.value for m in at.markdown]
    # the faulty value is no mover and no pain point; it shows once, as a data-quality line
    about = [line for line in lines if "CSAT" in line and "Advice in the store" in line.replace("\\", "")]
    assert about and all(line.startswith(UNTRUSTED) for line in about), about


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    full.pop("MOT_MAPPING", None)
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=300, check=False)


def _alerts(env: dict[str, str], as_of: str, out: Path) -> pd.DataFrame:
    done = _cli(env, "metrics.alerts", "--owner", OWNER, "--grain", "month", "--as-of", as_of,
                "--json", str(out))
    assert done.returncode == 0, done.stderr
    alerts = pd.DataFrame(json.loads(out.read_text(encoding="utf-8"))["alerts"])
    return alerts if not alerts.empty else pd.DataFrame(columns=["kind", "touchpoint_id", "kpi_id"])


def test_alerts_cli(planted: dict[str, str], tmp_path: Path) -> None:
    october = _alerts(planted, "2026-11-22", tmp_path / "october.json")
    mine = october[october["touchpoint_id"] == TOUCHPOINT]
    csat = mine[mine["kpi_id"] == "csat"]
    assert csat["kind"].tolist() == ["data_quality"]  # for the data team; no KPI alert to the owner
    assert "data_quality" not in set(mine.loc[mine["kpi_id"] != "csat", "kind"])
    september = _alerts(planted, "2026-09-30", tmp_path / "september.json")
    assert "data_quality" not in set(september["kind"])


def _csv_pack(env: dict[str, str], quarter: str, out: Path) -> pd.DataFrame:
    done = _cli(env, "review", "export", "--quarter", quarter, "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out, comment="#", keep_default_na=False)


def test_csv_pack(planted: dict[str, str], tmp_path: Path) -> None:
    q4 = _csv_pack(planted, "2026Q4", tmp_path / "q4.csv")
    at_tp = q4[q4["touchpoint_id"] == TOUCHPOINT].set_index("figure_id")
    assert at_tp.loc["csat", "trust"] == "not_trusted"
    assert at_tp.loc["conversion_rate", "trust"] == "trusted"
    q3 = _csv_pack(planted, "2026Q3", tmp_path / "q3.csv")
    assert set(q3["trust"]) == {"trusted"}


def test_unreadable_check_history_reads_as_unknown(
    planted: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "state.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    env = {**planted, "MOT_STATE_URL": sa.URL.create("sqlite", database=str(broken)).render_as_string()}
    at = _app(env, "pages/journey.py", {"url_journey": "buy", "url_period": "last_30_days"}, monkeypatch)
    warnings = " ".join(w.value for w in at.warning)
    assert "Trust unknown" in warnings and "cannot be read" in warnings
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    texts = " ".join(shown)
    assert "No data-quality checks have run" not in texts and "Unchecked" not in texts
