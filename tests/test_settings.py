"""Settings are checked when they are resolved, before any work: a clear SettingsError, never a
traceback later; the app creates folders only inside MOT_DATA_DIR; ``python -m checks run`` exits 2
with the cause first and saves nothing when the checks cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from checks import history
from checks.__main__ import main as checks_main
from connectors.demo import build_demo_file
from connectors.settings import SettingsError, create_data_folders, resolve_settings
from connectors.state import StateStoreError, create_state_engine
from tests.fixtures import DEMO_END


def _sqlite(path: Path) -> str:
    return sa.URL.create("sqlite", database=str(path)).render_as_string()


def _refused(environ: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as caught:
        resolve_settings(environ)
    return str(caught.value)


def test_urls_that_are_not_urls_or_have_no_driver(tmp_path: Path) -> None:
    data = str(tmp_path)
    assert "MOT_STATE_URL 'garbage' is not a SQLAlchemy URL" in _refused(
        {"MOT_DATA_DIR": data, "MOT_STATE_URL": "garbage"}
    )
    not_url = _refused({"MOT_WAREHOUSE_URL": "not a url"})
    assert "MOT_WAREHOUSE_URL 'not a url' is not a SQLAlchemy URL" in not_url
    no_driver = _refused({"MOT_DATA_DIR": data, "MOT_STATE_URL": "nosuchdb://x"})
    assert "'nosuchdb', which cannot be loaded" in no_driver


def test_data_dir_that_is_a_file_or_has_no_parent(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert "is a file, not a folder" in _refused({"MOT_DATA_DIR": str(a_file)})
    assert f"{str(a_file)!r} above it is a file" in _refused({"MOT_DATA_DIR": str(a_file / "data")})
    deep = tmp_path / "no" / "such" / "data"
    assert "no folders above it" in _refused({"MOT_DATA_DIR": str(deep)})
    assert not (tmp_path / "no").exists()


def test_sqlite_state_store_outside_the_data_dir_needs_an_existing_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "x" / "y"
    message = _refused({"MOT_DATA_DIR": str(data), "MOT_STATE_URL": _sqlite(folder / "s.sqlite")})
    assert f"The folder {str(folder)!r} of the state store (MOT_STATE_URL) does not exist" in message
    assert "folders only inside MOT_DATA_DIR" in message
    assert "is a folder" in _refused({"MOT_DATA_DIR": str(data), "MOT_STATE_URL": _sqlite(tmp_path)})
    with pytest.raises(StateStoreError, match="does not exist"):  # the store never makes folders itself
        create_state_engine(_sqlite(tmp_path / "x" / "s.sqlite"))
    assert not (tmp_path / "x").exists()


def test_only_the_data_dir_and_folders_inside_it_are_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state_url = _sqlite(data / "state" / "s.sqlite")
    settings = resolve_settings({"MOT_DATA_DIR": str(data), "MOT_STATE_URL": state_url})
    assert not data.exists()  # resolving creates nothing
    create_data_folders(settings)
    assert (data / "state").is_dir()
    create_state_engine(settings.state_url).dispose()


# --- python -m checks run: cause first, exit 2, nothing saved ------------------------------------


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings")
    return build_demo_file(folder / "demo.duckdb", end=DEMO_END, touchpoints=8, years=1)


def _run_checks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> tuple[int, str, str]:
    for key in ("MOT_WAREHOUSE_URL", "MOT_MAPPING", "MOT_STATE_URL", "MOT_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    status = checks_main(["run", "--no-docs"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    "change",
    [
        {"MOT_WAREHOUSE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"},
        {"MOT_MAPPING": "{data}/missing.yaml"},
        {"MOT_MAPPING": "{data}"},
    ],
    ids=["unreachable", "missing-mapping", "mapping-is-a-folder"],
)
def test_checks_cli_that_cannot_run_exits_2_with_the_cause_first(
    change: dict[str, str],
    small_demo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    state = tmp_path / "state.sqlite"
    env = {"MOT_WAREHOUSE_URL": f"duckdb:///{small_demo}", "MOT_DATA_DIR": str(tmp_path),
           "MOT_STATE_URL": _sqlite(state)}
    env.update({k: v.format(data=tmp_path) for k, v in change.items()})
    status, out, err = _run_checks(monkeypatch, capsys, env)
    assert status == 2 and out == ""
    assert err.startswith("error: the checks could not run: ") and "Nothing was saved" in err
    assert history.list_runs(create_state_engine(_sqlite(state))).empty


def test_checks_cli_refuses_a_bad_state_store_before_running(
    small_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"MOT_WAREHOUSE_URL": f"duckdb:///{small_demo}", "MOT_DATA_DIR": str(tmp_path)}
    status, out, err = _run_checks(monkeypatch, capsys, {**env, "MOT_STATE_URL": "garbage"})
    assert status == 2 and out == "" and "MOT_STATE_URL 'garbage' is not a SQLAlchemy URL" in err
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/state?connect_timeout=2"
    status, out, err = _run_checks(monkeypatch, capsys, {**env, "MOT_STATE_URL": unreachable})
    assert status == 2 and out == "" and "Check MOT_STATE_URL" in err
