"""`python -m metrics.alerts` against a real DuckDB demo warehouse, and its clear failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.demo import build_demo_file
from metrics.alerts.__main__ import main
from tests.fixtures import DEMO_END

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_demo_file(tmp_path_factory.mktemp("alerts") / "demo.duckdb", end=DEMO_END, touchpoints=12,
                           years=2)
    return f"duckdb:///{path}"


def test_writes_json_for_one_owner(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    out = tmp_path / "out" / "alerts.json"
    assert main(["--json", str(out), "--as-of", "2026-11-22"]) == 0
    everyone = json.loads(out.read_text())
    assert everyone["as_of"] == "2026-11-22" and everyone["grain"] == "week"
    assert "robust z-score" in everyone["method"]
    owner = everyone["alerts"][0]["touchpoint_owner"] if everyone["alerts"] else None
    if owner is None:
        pytest.skip("the demo raised no alerts to filter by owner")
    assert main(["--owner", owner, "--json", str(out), "--as-of", "2026-11-22"]) == 0
    mine = json.loads(out.read_text())
    assert mine["owner"] == owner and mine["alerts"]
    assert {a["period_start"] for a in mine["alerts"]} == {"2026-11-16"}  # the last complete week
    assert f"alert(s) for {owner}" in capsys.readouterr().out


def test_unknown_owner_lists_the_owners(demo_url: str, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    assert main(["--owner", "Nobody Known"]) == 2
    assert "no owner called 'Nobody Known'; owners are:" in capsys.readouterr().err


def test_unreachable_warehouse_exits_2_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "MOT_WAREHOUSE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    result = subprocess.run([sys.executable, "-m", "metrics.alerts"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Cannot reach the warehouse" in result.stderr and "Traceback" not in result.stderr


def test_missing_demo_file_says_how_to_create_it(tmp_path: Path) -> None:
    env = {**os.environ, "MOT_WAREHOUSE_URL": "", "MOT_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "metrics.alerts"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "python -m connectors.demo --out" in result.stderr


def test_reads_the_warehouse_from_secrets_toml_in_the_working_folder(demo_url: str, tmp_path: Path) -> None:
    """Like the app and every other command: .streamlit/secrets.toml where the command runs."""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'MOT_WAREHOUSE_URL = "{demo_url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-m", "metrics.alerts", "--as-of", "2026-11-22"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "weekly periods complete by 2026-11-22" in result.stdout
    (tmp_path / ".streamlit" / "secrets.toml").write_text("MOT_WAREHOUSE_URL = \n")
    broken = subprocess.run([sys.executable, "-m", "metrics.alerts"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert broken.returncode == 2 and "secrets.toml cannot be read" in broken.stderr
    assert "Traceback" not in broken.stderr
