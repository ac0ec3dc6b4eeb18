"""``--as EMAIL`` on the command-line tools: exactly the pack or the alerts that person would see.

Without ``--as`` the tools read everything (a service identity). The review warehouse has two
journeys: Ana owns "buy" and its touchpoints, Ben owns "move". A pack exported as Ana holds only
her rows, live and after the quarter is closed (the snapshot holds everyone's); comments, closes
and reopens leave their names in the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from connectors.demo import build_demo_file
from metrics.alerts.__main__ import main as alerts_main
from review.store import audit_log, open_review_store, save_comment
from tests.fixtures import DEMO_END
from tests.test_review_fixtures import (  # noqa: F401 - pytest fixtures
    review_warehouse_url,
    state_url,
)

REPO = Path(__file__).resolve().parents[1]


def _access_files(folder: Path, access: str, contacts: str) -> dict[str, str]:
    (folder / "access.yaml").write_text(access, encoding="utf-8")
    (folder / "contacts.yaml").write_text(contacts, encoding="utf-8")
    return {"MOT_ACCESS": str(folder / "access.yaml"), "MOT_CONTACTS": str(folder / "contacts.yaml")}


def _review(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "review", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_a_pack_exported_as_someone_holds_only_their_rows(
    review_warehouse_url: str, state_url: str, tmp_path: Path  # noqa: F811
) -> None:
    env = {"MOT_WAREHOUSE_URL": review_warehouse_url, "MOT_STATE_URL": state_url,
           **_access_files(tmp_path, "people: {ana@example.com: [map_owner]}",
                           "people: {Ana: {email: ana@example.com}}")}
    store = open_review_store(state_url)
    save_comment(store, "2026Q3", "move", "", "Ben's note on his journey", "ben@example.com", 0,
                 dt.datetime(2026, 10, 2, tzinfo=dt.UTC))
    everything, ana = tmp_path / "all.csv", tmp_path / "ana.csv"
    for out, extra in ((everything, ()), (ana, ("--as", "ana@example.com"))):
        done = _review(env, "export", "--quarter", "2026Q3", "--format", "csv", "--out", str(out), *extra)
        assert done.returncode == 0, done.stderr
    assert set(pd.read_csv(everything)["journey_id"]) == {"buy", "move"}
    live = pd.read_csv(ana)
    assert set(live["journey_id"]) == {"buy"}
    assert set(live["touchpoint_id"].dropna()) <= {"tp_buy_web", "tp_buy_store"}

    closed = _review(env, "close", "--quarter", "2026Q3", "--by", "ops@example.com")
    assert closed.returncode == 0, closed.stderr
    frozen_out = tmp_path / "ana_frozen.csv"
    done = _review(env, "export", "--quarter", "2026Q3", "--format", "csv", "--out", str(frozen_out),
                   "--as", "ana@example.com")
    assert done.returncode == 0 and "as ana@example.com sees it" in done.stdout, done.stderr
    frozen = pd.read_csv(frozen_out)
    assert set(frozen["source"]) == {"snapshot"} and set(frozen["journey_id"]) == {"buy"}
    # Her journey's frozen figures are the ones she saw live (her map: all of its rows).
    assert frozen["value"].sum() == pytest.approx(live["value"].sum())

    log = audit_log(store, "2026Q3")
    assert list(log["action"]) == ["quarter closed", "comment saved"]
    assert list(log["who"]) == ["ops@example.com", "ben@example.com"]

    stranger = _review(env, "export", "--quarter", "2026Q3", "--format", "csv", "--out",
                       str(tmp_path / "x.csv"), "--as", "stranger@example.org")
    assert stranger.returncode == 2 and "no rule in the access file" in stranger.stderr
    assert "Traceback" not in stranger.stderr and not (tmp_path / "x.csv").exists()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_demo_file(tmp_path_factory.mktemp("alerts_as") / "demo.duckdb", end=DEMO_END, touchpoints=12,
                           years=2)
    return f"duckdb:///{path}"


def test_alerts_as_someone_are_exactly_their_owners_alerts(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    out = tmp_path / "alerts.json"
    assert alerts_main(["--json", str(out), "--as-of", "2026-11-22"]) == 0
    alerts = json.loads(out.read_text())["alerts"]
    if not alerts:
        pytest.skip("the demo raised no alerts")
    owner = alerts[0]["touchpoint_owner"]
    for key, value in _access_files(tmp_path, "domains: {example.com: [map_owner, touchpoint_owner]}",
                                    f"people: {{{json.dumps(owner)}: {{email: owner@example.com}}}}").items():
        monkeypatch.setenv(key, value)
    assert alerts_main(["--owner", owner, "--json", str(out), "--as-of", "2026-11-22"]) == 0
    by_owner = json.loads(out.read_text())["alerts"]
    assert alerts_main(["--as", "owner@example.com", "--json", str(out), "--as-of", "2026-11-22"]) == 0
    as_owner = json.loads(out.read_text())["alerts"]
    assert as_owner and as_owner == by_owner
    assert alerts_main(["--as", "stranger@example.org", "--as-of", "2026-11-22"]) == 2
