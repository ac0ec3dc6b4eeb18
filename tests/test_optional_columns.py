"""Optional model columns (persona, Kano class, weight, third party) on a warehouse without them.

The fixture warehouse with its mapping file, written without the optional columns: it opens, the
dimensions read the documented defaults, the pages that use them still render, and a mapping that
names a missing optional column still fails with a message naming it (docs/design.md "Optional
columns")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from connectors.mapping import MappingError
from connectors.queries import dimension_frame
from connectors.warehouse import open_warehouse
from metrics.model import OPTIONAL_COLUMNS
from tests.fixtures import (
    FIXTURE_MAPPING_FILE,
    build_duckdb_file,
    build_fixture_warehouse,
    fixture_frames,
    write_mapping_file,
)
from tests.test_pages_apptest import app_env, run_page


def _without_optional() -> dict[str, pd.DataFrame]:
    frames = fixture_frames()
    for table, columns in OPTIONAL_COLUMNS.items():
        frames[table] = frames[table].drop(columns=list(columns))
    return frames


@pytest.fixture(scope="module")
def bare_duckdb(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_duckdb_file(tmp_path_factory.mktemp("bare") / "bare.duckdb", _without_optional())


def test_duckdb_warehouse_without_optional_columns_reads_the_defaults(bare_duckdb: str) -> None:
    wh = open_warehouse(bare_duckdb, FIXTURE_MAPPING_FILE)
    try:
        touchpoints = dimension_frame(wh, "touchpoints")
        journeys = dimension_frame(wh, "journeys")
    finally:
        wh.engine.dispose()
    assert len(touchpoints) == 12
    assert touchpoints["third_party"].dtype == bool and not touchpoints["third_party"].any()
    assert touchpoints["weight"].eq(1.0).all()
    assert touchpoints["kano"].isna().all()
    assert journeys["persona"].isna().all()
    assert wh.mapping.table("touchpoints").absent == frozenset({"kano", "weight", "third_party"})


def test_sqlite_warehouse_without_optional_columns_reads_the_defaults(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bare.sqlite'}"
    engine = sa.create_engine(url)
    build_fixture_warehouse(engine, None, _without_optional())
    engine.dispose()
    wh = open_warehouse(url, write_mapping_file(tmp_path / "mapping.yaml", None))
    try:
        touchpoints = dimension_frame(wh, "touchpoints")
    finally:
        wh.engine.dispose()
    assert not touchpoints["third_party"].any() and touchpoints["weight"].eq(1.0).all()


def test_the_full_fixture_has_its_third_party_touchpoints() -> None:
    touchpoints = fixture_frames()["touchpoints"]
    third = touchpoints.loc[touchpoints["third_party"], "channel"]
    assert set(third) == {"review site", "marketplace"}


def test_a_named_optional_column_must_exist(bare_duckdb: str, tmp_path: Path) -> None:
    document = yaml.safe_load(FIXTURE_MAPPING_FILE.read_text(encoding="utf-8"))
    document["tables"]["touchpoints"]["columns"]["third_party"] = "is_partner"
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        open_warehouse(bare_duckdb, path)
    assert any("'third_party'" in p and "'is_partner'" in p for p in caught.value.problems)


def test_postgresql_warehouse_without_optional_columns(postgres_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(postgres_url)
    build_fixture_warehouse(engine, "bare", _without_optional())  # its own schema: "mart" is shared
    engine.dispose()
    wh = open_warehouse(postgres_url, write_mapping_file(tmp_path / "mapping.yaml", "bare"))
    try:
        touchpoints, journeys = dimension_frame(wh, "touchpoints"), dimension_frame(wh, "journeys")
    finally:
        wh.engine.dispose()
    assert not touchpoints["third_party"].any() and touchpoints["kano"].isna().all()
    assert journeys["persona"].isna().all()


@pytest.mark.parametrize(("page", "says"), [
    ("pages/personas.py", "No journey names a persona"),
    ("pages/journey.py", "Persona: not named"),
    ("pages/my_touchpoints.py", "What to fix first"),
])
def test_pages_work_without_the_optional_columns(bare_duckdb: str, tmp_path: Path, page: str,
                                                 says: str) -> None:
    at = run_page(app_env(bare_duckdb, FIXTURE_MAPPING_FILE, tmp_path), page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.subheader])
    assert says in shown
