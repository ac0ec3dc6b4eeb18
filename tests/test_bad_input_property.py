"""Property: any mapping file and any setting give a working app or one clear message, never a
traceback: through the library entry points the app uses (resolve settings, create the data
folders, open the warehouse with its mapping check), through Streamlit's AppTest on dashboard.py
and through every command-line tool in a subprocess.

Mapping files are generated as YAML documents (right and wrong table and column names, duplicate
physical columns, swapped column types, names that are not text, unknown keys), as free text and
as raw bytes, or replaced by a missing path or a folder. Settings are drawn from URLs and paths that
work, that do not exist, that are files or folders in the wrong place, or free text. Example counts
stay small (a Streamlit run or a subprocess takes seconds on a 2-core machine).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from connectors.demo import build_demo_file, generate, write_warehouse
from connectors.mapping import MappingError
from connectors.settings import SettingsError, create_data_folders, resolve_settings
from connectors.warehouse import WarehouseError, open_warehouse
from metrics.model import TABLES
from tests.fixtures import DEMO_END
from tests.test_pages_apptest import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = "../dashboard.py"  # AppTest resolves it relative to this file
KEYS = ("MOT_WAREHOUSE_URL", "MOT_MAPPING", "MOT_STATE_URL", "MOT_DATA_DIR")
COLUMNS = sorted({c for columns in TABLES.values() for c in columns})
#: A SQLAlchemy driver error as it reads before our message replaces it.
RAW_DRIVER_TEXT = "sqlalche.me"


# --- generated mapping files -------------------------------------------------------------------

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_. ", max_size=8)
_physical_column = st.one_of(
    st.sampled_from(COLUMNS), _names, st.none(), st.integers(), st.booleans(),
    st.lists(st.integers(), max_size=2),
)
_physical_table = st.one_of(
    st.sampled_from([*TABLES, "main.kpis", "main.nosuch", "nosuch.kpis", "", "mart.", "."]),
    _names,
    st.integers(),
)
_table_entry = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "table": _physical_table,
            "columns": st.one_of(
                st.dictionaries(st.one_of(st.sampled_from(COLUMNS), _names), _physical_column, max_size=4),
                st.lists(_names, max_size=2),
            ),
            "colums": st.none(),
        },
    ),
    st.none(),
    _names,
    st.integers(),
)
_table_names = st.one_of(st.sampled_from(list(TABLES)), _names)
_document = st.one_of(
    st.fixed_dictionaries({"tables": st.dictionaries(_table_names, _table_entry, max_size=4)}),
    st.fixed_dictionaries({"tables": st.one_of(st.none(), st.lists(_names, max_size=2), st.integers())}),
    st.dictionaries(_names, st.integers(), max_size=2),
    st.none(),
    st.integers(),
    st.lists(_names, max_size=3),
)


@st.composite
def _plausible_document(draw: Any) -> dict[str, Any]:
    """Canonical names mapped onto the warehouse's own tables and columns, often the wrong ones:
    swapped types, two canonical columns on one physical column, missing tables and columns."""
    tables: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(list(TABLES)), unique=True, max_size=3)):
        entry: dict[str, Any] = {}
        if draw(st.booleans()):
            other = draw(st.sampled_from(list(TABLES)))
            entry["table"] = draw(st.sampled_from([name, f"main.{name}", "nosuch", other]))
        physical = st.sampled_from([*TABLES[name], "nosuch"])
        entry["columns"] = draw(st.dictionaries(st.sampled_from(TABLES[name]), physical, max_size=3))
        if draw(st.booleans()):  # two columns swapped: both exist, often with each other's type
            first, second = draw(st.lists(st.sampled_from(TABLES[name]), min_size=2, max_size=2, unique=True))
            entry["columns"] = {first: second, second: first}
        tables[name] = entry
    return {"tables": tables}


def _yaml(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


#: What MOT_MAPPING names: nothing, a missing file, a folder, or a file with these bytes.
mapping_files = st.one_of(
    _plausible_document().map(_yaml),
    _document.map(_yaml),
    st.one_of(st.text(max_size=40).map(lambda t: t.encode("utf-8")), st.binary(max_size=40)),
    st.sampled_from(["unset", "missing", "folder"]),
)


# --- generated settings --------------------------------------------------------------------------

WAREHOUSES = [
    "duckdb", "sqlite", "demo", "missing-duckdb", "folder-duckdb", "garbage", "nosuchdb", "unreachable"
]
DATA_DIRS = ["existing", "new", "file", "under-file", "deep-missing"]
STATES = ["unset", "in-data", "in-data-sub", "missing-folder", "folder", "garbage", "nosuchdb", "memory"]


@dataclass(frozen=True)
class Case:
    warehouse: str
    data_dir: str
    state: str
    mapping: str | bytes


@st.composite
def setting_cases(draw: Any) -> Case:
    """Any settings (and any mapping file)."""
    warehouse = draw(st.sampled_from(WAREHOUSES))
    # The demo must already be in the data folder: generating it takes seconds (tested elsewhere).
    data_dir = "existing" if warehouse == "demo" else draw(st.sampled_from(DATA_DIRS))
    return Case(warehouse, data_dir, draw(st.sampled_from(STATES)), draw(mapping_files))


@st.composite
def mapping_cases(draw: Any) -> Case:
    """Settings that work, and any mapping file: the mapping decides."""
    warehouse = draw(st.sampled_from(["duckdb", "sqlite", "demo"]))
    data_dir = "existing" if warehouse == "demo" else draw(st.sampled_from(["existing", "new"]))
    state = draw(st.sampled_from(["unset", "in-data", "in-data-sub", "memory"]))
    return Case(warehouse, data_dir, state, draw(mapping_files))


cases = st.one_of(mapping_cases(), setting_cases())


@dataclass(frozen=True)
class Warehouses:
    duckdb: Path
    sqlite: Path


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
    """A small demo under canonical names, in DuckDB and in SQLite (reflected types)."""
    folder = tmp_path_factory.mktemp("property")
    duckdb = build_demo_file(folder / "warehouse.duckdb", end=DEMO_END, touchpoints=8, years=1)
    sqlite = folder / "warehouse.sqlite"
    engine = sa.create_engine(sa.URL.create("sqlite", database=str(sqlite)))
    try:
        write_warehouse(engine, generate(touchpoints=8, years=1, end=DEMO_END))
    finally:
        engine.dispose()
    return Warehouses(duckdb, sqlite)


def _url(dialect: str, path: Path) -> str:
    return sa.URL.create(dialect, database=str(path)).render_as_string()


def environment(case: Case, tmp: Path, whs: Warehouses) -> dict[str, str]:
    """The MOT_* settings for ``case``, with every file and folder it needs made under ``tmp``."""
    a_file = tmp / "a-file"
    a_file.write_text("not a folder")
    data = {"existing": tmp / "data", "new": tmp / "new-data", "file": a_file, "under-file": a_file / "data",
            "deep-missing": tmp / "no" / "such" / "data"}[case.data_dir]
    if case.data_dir == "existing":
        data.mkdir()
    env = {"MOT_DATA_DIR": str(data)}
    warehouse = {
        "duckdb": _url("duckdb", whs.duckdb), "sqlite": _url("sqlite", whs.sqlite),
        "missing-duckdb": _url("duckdb", tmp / "none.duckdb"), "folder-duckdb": _url("duckdb", tmp),
        "garbage": "not a url", "nosuchdb": "nosuchdb://host/db",
        "unreachable": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
    }.get(case.warehouse)
    if warehouse is None:
        shutil.copyfile(whs.duckdb, data / "demo.duckdb")
    else:
        env["MOT_WAREHOUSE_URL"] = warehouse
    state = {
        "in-data": _url("sqlite", data / "state.sqlite"),
        "in-data-sub": _url("sqlite", data / "s" / "state.sqlite"),
        "missing-folder": _url("sqlite", tmp / "x" / "y" / "state.sqlite"), "folder": _url("sqlite", tmp),
        "garbage": "garbage", "nosuchdb": "nosuchdb://x", "memory": "sqlite://",
    }.get(case.state)
    if state is not None:
        env["MOT_STATE_URL"] = state
    mapping = _mapping_path(case.mapping, tmp)
    if mapping is not None:
        env["MOT_MAPPING"] = str(mapping)
    return env


def _mapping_path(mapping: str | bytes, tmp: Path) -> Path | None:
    if mapping == "unset":
        return None
    path = tmp / "mapping.yaml"
    if mapping == "folder":
        path.mkdir()
    elif isinstance(mapping, bytes):
        path.write_bytes(mapping)
    return path


@contextlib.contextmanager
def scratch(chdir: bool = False) -> Iterator[Path]:
    """A fresh folder per example; with ``chdir`` also the working directory (relative paths land
    there instead of in the repository)."""
    with (
        tempfile.TemporaryDirectory(prefix="mot-property-") as folder,
        contextlib.chdir(folder) if chdir else contextlib.nullcontext(),
    ):
        yield Path(folder)


def assert_clear(message: str) -> None:
    assert message.strip(), "an empty message"
    assert "Traceback" not in message and RAW_DRIVER_TEXT not in message, message


# --- the library entry points the app uses ---------------------------------------------------------


def open_like_the_app(environ: dict[str, str]) -> str | None:
    """None when the warehouse opens with its mapping, else the one message a person would see."""
    try:
        resolved = resolve_settings(environ)
        create_data_folders(resolved)
        if resolved.is_demo and not resolved.demo_path.exists():
            return None  # the app would generate the demo here (tests/test_demo.py)
        open_warehouse(resolved.effective_warehouse_url, resolved.mapping_path).engine.dispose()
    except (SettingsError, MappingError, WarehouseError) as exc:
        return str(exc)
    return None


@settings(max_examples=60, deadline=None)
@given(case=mapping_cases())
def test_any_mapping_file_opens_or_says_what_is_wrong(warehouses: Warehouses, case: Case) -> None:
    with scratch(chdir=True) as tmp:
        message = open_like_the_app(environment(case, tmp, warehouses))
    if message is not None:
        assert_clear(message)


@settings(max_examples=60, deadline=None)
@given(case=setting_cases())
def test_any_setting_opens_or_says_what_is_wrong(warehouses: Warehouses, case: Case) -> None:
    with scratch(chdir=True) as tmp:
        message = open_like_the_app(environment(case, tmp, warehouses))
    if message is not None:
        assert_clear(message)
    else:
        assert case.warehouse not in ("garbage", "nosuchdb", "missing-duckdb", "folder-duckdb", "unreachable")
        assert case.state not in ("garbage", "nosuchdb", "missing-folder", "folder")
        assert case.data_dir not in ("file", "under-file", "deep-missing")


@settings(max_examples=60, deadline=None)
@given(values=st.fixed_dictionaries({}, optional={key: st.text(max_size=30) for key in KEYS}))
def test_free_text_settings_resolve_or_say_which_is_wrong(values: dict[str, str]) -> None:
    with scratch(chdir=True):  # resolving creates nothing; free text never becomes a folder here
        try:
            resolve_settings(values)
        except SettingsError as exc:
            assert_clear(str(exc))
            assert any(key in str(exc) for key in KEYS), str(exc)


# --- the app, through Streamlit's AppTest ---------------------------------------------------------


def run_app(env: dict[str, str], page: str) -> AppTest:
    with pytest.MonkeyPatch.context() as patch:
        for key in KEYS:
            patch.delenv(key, raising=False)
        for key, value in env.items():
            patch.setenv(key, value)
        at = AppTest.from_file(APP, default_timeout=90)
        if page != PAGES[0][0]:
            at.switch_page(page)
        at.run(timeout=90)
    return at


#: The cases of issue #13, always tried besides the generated ones.
SWAPPED_TYPES = _yaml({"tables": {"touchpoint_kpis": {"columns": {"date": "kpi_id", "kpi_id": "date"}}}})
ONE_PHYSICAL_COLUMN = _yaml({"tables": {"touchpoints": {"columns": {"name": "owner"}}}})


@settings(max_examples=25, deadline=None)
@given(case=cases, page=st.sampled_from([path for path, _, _ in PAGES]))
@example(case=Case("duckdb", "existing", "garbage", "unset"), page="pages/data_quality.py")
@example(case=Case("duckdb", "file", "unset", "unset"), page="pages/review.py")
@example(case=Case("duckdb", "existing", "missing-folder", "unset"), page="pages/review.py")
@example(case=Case("duckdb", "existing", "unset", SWAPPED_TYPES), page="pages/overview.py")
@example(case=Case("sqlite", "existing", "unset", ONE_PHYSICAL_COLUMN), page="pages/overview.py")
@example(case=Case("duckdb", "existing", "unset", "folder"), page="pages/overview.py")
def test_app_shows_a_page_or_one_problem_and_the_fix(warehouses: Warehouses, case: Case, page: str) -> None:
    with scratch() as tmp:
        at = run_app(environment(case, tmp, warehouses), page)
    assert not at.exception, [e.value for e in at.exception]
    if at.error:
        assert len(at.error) == 1 and at.info, [e.value for e in at.error]
        assert_clear(at.error[0].value)
    else:
        assert at.title, "neither a page nor a problem"


# --- every command-line tool, in a subprocess -------------------------------------------------------

CLIS: dict[str, list[str]] = {
    "checks": ["checks", "run", "--no-docs", "--as-of", "2026-11-22"],
    "alerts": ["metrics.alerts", "--as-of", "2026-11-22"],
    "review": ["review", "export", "--quarter", "2026Q3", "--format", "csv", "--out", "pack.csv"],
}
DEMO_OUTS = ["new/sub/demo.duckdb", ".", "a-file/demo.duckdb"]


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in KEYS}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env={**clean, **env, "PYTHONPATH": str(ROOT), "GX_ANALYTICS_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=180,
    )


def assert_cli_outcome(cli: str, result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)
    if result.returncode == 1 and cli == "checks":
        assert " checks: " in result.stdout  # the data failed checks: the summary says which
    elif result.returncode != 0:
        lines = result.stderr.splitlines()
        assert any(line.startswith("error:") or ": error:" in line for line in lines), result.stderr
        assert_clear(result.stderr)


@settings(max_examples=8, deadline=None)
@given(cli=st.sampled_from(sorted(CLIS)), case=cases)
@example(cli="checks", case=Case("unreachable", "existing", "unset", "unset"))
@example(cli="alerts", case=Case("duckdb", "existing", "unset", SWAPPED_TYPES))
def test_each_cli_runs_or_exits_with_one_clear_message(warehouses: Warehouses, cli: str, case: Case) -> None:
    with scratch() as tmp:
        env = environment(case, tmp, warehouses)
        result = run_cli(CLIS[cli], env, tmp)
    assert_cli_outcome(cli, result)


@settings(max_examples=len(DEMO_OUTS), deadline=None)
@given(out=st.sampled_from(DEMO_OUTS))
def test_demo_cli_writes_or_says_why_not(out: str) -> None:
    with scratch() as tmp:
        (tmp / "a-file").write_text("not a folder")
        result = run_cli(["connectors.demo", "--out", out, "--touchpoints", "8", "--years", "1"], {}, tmp)
    assert_cli_outcome("demo", result)
