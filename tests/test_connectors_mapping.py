"""The mapping file: structure errors, and mismatches with a live warehouse on every dialect.

A mapping that names a missing table or column must fail in open_warehouse with a MappingError
whose message names the canonical table, the physical name and what the warehouse has instead.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from connectors.mapping import MappingError, MappingFileError, load_mapping, parse_mapping
from connectors.warehouse import WarehouseError, open_warehouse
from metrics.model import TABLES
from tests.fixtures import (
    FIXTURE_MAPPING,
    FIXTURE_MAPPING_FILE,
    FIXTURE_SCHEMA,
    FixtureWarehouse,
    mapping_document,
    physical_names,
)


def _mapping_file(tmp_path: Path, fx: FixtureWarehouse, change: Any) -> Path:
    document = copy.deepcopy(mapping_document(fx.schema))
    change(document["tables"])
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _open_fails(fx: FixtureWarehouse, mapping_path: Path) -> str:
    with pytest.raises(MappingError) as caught:
        wh = open_warehouse(fx.url, mapping_path)
        wh.engine.dispose()
    return str(caught.value)


def test_fixture_mapping_file_matches_the_fixture_names() -> None:
    """tests/fixture_mapping.yaml is FIXTURE_MAPPING written out; the two cannot drift apart."""
    assert yaml.safe_load(FIXTURE_MAPPING_FILE.read_text(encoding="utf-8")) == mapping_document(
        FIXTURE_SCHEMA
    )
    mapping = load_mapping(FIXTURE_MAPPING_FILE)
    for canonical in TABLES:
        assert mapping.physical(canonical) == physical_names(FIXTURE_SCHEMA)(canonical)
    assert mapping.table("touchpoints").columns["owner"] == "tp owner"
    assert mapping.table("touchpoints").columns["name"] == "name"  # left out: keeps its name


def test_missing_table_names_canonical_physical_and_existing(
    warehouse: FixtureWarehouse, tmp_path: Path
) -> None:
    def rename(tables: dict[str, Any]) -> None:
        tables["touchpoints"]["table"] = tables["touchpoints"]["table"].replace(
            "wh_touchpoint", "wh_touchpoints"
        )

    message = _open_fails(warehouse, _mapping_file(tmp_path, warehouse, rename))
    assert "'touchpoints'" in message
    assert "wh_touchpoints" in message
    assert "did you mean 'wh_touchpoint'" in message
    assert "wh_fact_touchpoint_kpi" in message  # the tables that do exist are listed


def test_missing_column_names_canonical_physical_and_existing(
    warehouse: FixtureWarehouse, tmp_path: Path
) -> None:
    def rename(tables: dict[str, Any]) -> None:
        tables["touchpoint_kpis"]["columns"]["numerator"] = "num_val"

    message = _open_fails(warehouse, _mapping_file(tmp_path, warehouse, rename))
    assert "'numerator'" in message and "'touchpoint_kpis'" in message
    assert "'num_val'" in message
    assert "did you mean 'num_value'" in message
    assert "event_date" in message  # the columns that do exist are listed


def test_column_left_out_of_the_mapping_must_exist_under_its_canonical_name(
    warehouse: FixtureWarehouse, tmp_path: Path
) -> None:
    def forget(tables: dict[str, Any]) -> None:
        del tables["touchpoints"]["columns"]["moment_of_truth"]

    message = _open_fails(warehouse, _mapping_file(tmp_path, warehouse, forget))
    assert "'moment_of_truth'" in message and "'touchpoints'" in message and "is_mot" in message


def test_every_problem_is_reported_at_once(warehouse: FixtureWarehouse, tmp_path: Path) -> None:
    def break_two(tables: dict[str, Any]) -> None:
        tables["journeys"]["table"] = tables["journeys"]["table"].replace("wh_journey", "dim_journey")
        tables["funnel"]["columns"]["customers"] = "customers_reached"

    path = _mapping_file(tmp_path, warehouse, break_two)
    with pytest.raises(MappingError) as caught:
        open_warehouse(warehouse.url, path)
    assert len(caught.value.problems) == 2
    assert "dim_journey" in caught.value.problems[0] and "customers_reached" in caught.value.problems[1]


@pytest.mark.parametrize("dialect", ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_missing_schema(dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    fx: FixtureWarehouse = request.getfixturevalue(
        "fixture_warehouse_duckdb" if dialect == "duckdb" else "fixture_warehouse_postgres"
    )

    def elsewhere(tables: dict[str, Any]) -> None:
        tables["kpis"]["table"] = "crm.wh_kpi"

    message = _open_fails(fx, _mapping_file(tmp_path, fx, elsewhere))
    assert "'kpis'" in message and "'crm.wh_kpi'" in message and "schema 'crm'" in message


def test_canonical_names_on_a_renamed_warehouse_fail(warehouse: FixtureWarehouse) -> None:
    """No mapping at all (identity) against the fixture's physical names: every table is missing."""
    with pytest.raises(MappingError) as caught:
        open_warehouse(warehouse.url, None)
    assert len(caught.value.problems) == len(TABLES)


# --- the file itself ---------------------------------------------------------------------------


def _load(tmp_path: Path, text: str) -> MappingError:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    return caught.value


def test_malformed_yaml(tmp_path: Path) -> None:
    error = _load(tmp_path, "tables:\n  touchpoints: {table: [unclosed\n")
    assert "not valid YAML" in str(error) and "mapping.yaml" in str(error)


def test_yaml_that_is_not_a_tables_section(tmp_path: Path) -> None:
    assert "top-level 'tables:'" in str(_load(tmp_path, "- journeys\n- stages\n"))
    assert "top-level 'tables:'" in str(_load(tmp_path, "tables: [journeys]\n"))


def test_table_entry_and_columns_must_be_mappings(tmp_path: Path) -> None:
    assert "'journeys' must be a mapping" in str(_load(tmp_path, "tables:\n  journeys: wh_journey\n"))
    error = _load(tmp_path, "tables:\n  journeys:\n    table: wh_journey\n    columns: [journey_key]\n")
    assert "columns of table 'journeys'" in str(error)


def test_unknown_canonical_table_and_column(tmp_path: Path) -> None:
    error = _load(
        tmp_path, "tables:\n  touchpoint:\n    table: x\n  kpis:\n    columns:\n      kpi_ident: k\n"
    )
    assert len(error.problems) == 2
    assert "unknown canonical table 'touchpoint' (did you mean 'touchpoints'?)" in error.problems[0]
    assert "no canonical column 'kpi_ident' (did you mean 'kpi_id'?)" in error.problems[1]


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="does not exist. Set MOT_MAPPING"):
        load_mapping(tmp_path / "nowhere.yaml")


def test_empty_file_is_the_identity_mapping(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.physical("funnel") == (None, "funnel", {c: c for c in TABLES["funnel"]})
    assert parse_mapping({"tables": None}).physical("kpis")[1] == "kpis"


def test_schema_qualified_name_is_split() -> None:
    table, columns = FIXTURE_MAPPING["touchpoints"]
    mapping = parse_mapping({"tables": {"touchpoints": {"table": "crm.sales." + table}}})
    assert mapping.table("touchpoints").schema == "crm.sales"
    assert mapping.table("touchpoints").name == table
    assert mapping.table("touchpoints").qualified_name == "crm.sales." + table
    assert "tp owner" in columns.values()


# --- unreachable or unusable warehouses ------------------------------------------------------


def test_unreachable_warehouse_is_a_warehouse_error() -> None:
    with pytest.raises(WarehouseError, match="Cannot reach the warehouse") as caught:
        open_warehouse("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", None)
    assert "secret" not in str(caught.value)


def test_missing_duckdb_file_and_bad_url(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="does not exist"):
        open_warehouse(sa.URL.create("duckdb", database=str(tmp_path / "no.duckdb")).render_as_string(), None)
    with pytest.raises(WarehouseError, match="not a SQLAlchemy URL"):
        open_warehouse("not a url", None)
    with pytest.raises(WarehouseError, match="dialect 'nosuchdb'"):
        open_warehouse("nosuchdb://host/db", None)


# --- mappings the app cannot build tables from, and columns of the wrong type ---------------------


def test_two_canonical_columns_on_one_physical_column_name_all_three(tmp_path: Path) -> None:
    error = _load(tmp_path, "tables:\n  touchpoints:\n    columns: {journey_id: jk, stage_id: jk}\n")
    assert isinstance(error, MappingFileError) and len(error.problems) == 1
    assert "'journey_id' and 'stage_id'" in str(error) and "physical column 'jk'" in str(error)
    # A column left out keeps its canonical name, so it can collide with a mapped one.
    implicit = _load(tmp_path, "tables:\n  touchpoints:\n    columns:\n      name: owner\n")
    assert "'name' and 'owner'" in str(implicit) and "'owner' is not mapped in the file" in str(implicit)


def test_two_canonical_tables_on_one_physical_table(tmp_path: Path) -> None:
    error = _load(tmp_path, "tables:\n  journeys:\n    table: stages\n")
    assert "canonical tables 'journeys' and 'stages'" in str(error) and "'stages'" in str(error)


def test_names_that_are_not_text_and_unknown_keys(tmp_path: Path) -> None:
    error = _load(
        tmp_path,
        "tables:\n  kpis:\n    table: [a]\n    colums: {}\n    columns:\n      scale: 2024-01-01\n",
    )
    text = str(error)
    assert "'table' must be a name (text), not ['a']" in text
    assert "unknown key 'colums' (did you mean 'columns'?)" in text
    assert "column 'scale' must be a name (text)" in text


def test_sections_outside_tables_and_scalar_documents_are_errors(tmp_path: Path) -> None:
    assert "unknown top-level key 'journeys'" in str(_load(tmp_path, "journeys:\n  table: x\n"))
    assert "top-level 'tables:'" in str(_load(tmp_path, "0\n"))  # not silently the identity mapping
    assert "no table name after the schema" in str(_load(tmp_path, "tables:\n  kpis:\n    table: 'mart.'\n"))


def test_mapping_path_that_is_a_folder_or_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "mapping.yaml").write_text("tables: {}\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match=r"is a folder \(it holds mapping.yaml\)\. Set MOT_MAPPING"):
        load_mapping(folder)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("tables:\n  kpis:\n    table: k\xe4\n".encode("latin-1"))
    with pytest.raises(MappingFileError, match="is not UTF-8 text"):
        load_mapping(latin1)


def test_swapped_column_types_name_mapping_columns_and_types(
    warehouse: FixtureWarehouse, tmp_path: Path
) -> None:
    def swap(tables: dict[str, Any]) -> None:
        columns = tables["touchpoint_kpis"]["columns"]
        columns["date"], columns["kpi_id"] = columns["kpi_id"], columns["date"]

    path = _mapping_file(tmp_path, warehouse, swap)
    with pytest.raises(MappingError) as caught:
        open_warehouse(warehouse.url, path)
    assert not isinstance(caught.value, MappingFileError)
    date_problem, kpi_problem = caught.value.problems
    assert "Column 'date' of canonical table 'touchpoint_kpis' holds dates" in date_problem
    assert "'kpi_key'" in date_problem and str(path) in date_problem
    assert "VARCHAR" in date_problem or "TEXT" in date_problem
    assert "Column 'kpi_id'" in kpi_problem and "'event_date'" in kpi_problem and "DATE" in kpi_problem
