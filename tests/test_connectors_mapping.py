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

from connectors.mapping import MappingError, load_mapping, parse_mapping
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
