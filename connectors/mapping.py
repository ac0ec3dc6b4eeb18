"""The mapping file: canonical table and column names to the warehouse's physical ones.

Format (DESIGN.md)::

    tables:
      touchpoints:
        table: crm.dim_touchpoint        # physical name, schema-qualified if needed
        columns:                         # canonical: physical; a column left out keeps its name
          touchpoint_id: tp_key

A canonical table left out of the file keeps its canonical name. ``check_against`` compares the
mapping with the live warehouse and reports every problem at once, each naming the canonical table,
the physical name and what the warehouse has instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from metrics.model import TABLES


class MappingError(ValueError):
    """The mapping file is malformed or does not match the warehouse."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class TableMapping:
    canonical: str
    schema: str | None
    name: str
    #: canonical column -> physical column, for every canonical column of the table.
    columns: dict[str, str]

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Mapping:
    tables: dict[str, TableMapping]

    def table(self, canonical: str) -> TableMapping:
        return self.tables[canonical]

    def physical(self, canonical: str) -> tuple[str | None, str, dict[str, str]]:
        """(schema, table, {canonical column: physical column}), as the demo writer takes it."""
        tm = self.tables[canonical]
        return tm.schema, tm.name, dict(tm.columns)


def identity_mapping() -> Mapping:
    return parse_mapping({})


def load_mapping(path: Path | None) -> Mapping:
    """Read and validate a mapping file; None gives the identity mapping."""
    if path is None:
        return identity_mapping()
    if not path.is_file():
        raise MappingError([f"Mapping file {str(path)!r} does not exist. Set MOT_MAPPING to a YAML file."])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise MappingError([f"Mapping file {str(path)!r} is not valid YAML: {exc}"]) from None
    return parse_mapping(data, source=str(path))


def parse_mapping(data: Any, source: str = "mapping") -> Mapping:
    """Validate the structure of a parsed mapping; unknown names are errors, not ignored."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("tables") or {}, dict):
        raise MappingError([f"{source}: expected a top-level 'tables:' section mapping table names."])
    declared: dict[str, Any] = data.get("tables") or {}
    for name in declared:
        if name not in TABLES:
            problems.append(
                f"{source}: unknown canonical table {name!r}{_suggest(name, TABLES)}; "
                f"canonical tables are: {', '.join(TABLES)}."
            )
    tables: dict[str, TableMapping] = {}
    for canonical, columns in TABLES.items():
        entry = declared.get(canonical) or {}
        if not isinstance(entry, dict):
            problems.append(f"{source}: table {canonical!r} must be a mapping with 'table' and 'columns'.")
            entry = {}
        physical = str(entry.get("table") or canonical)
        schema, _, name = physical.rpartition(".")
        mapped = entry.get("columns") or {}
        if not isinstance(mapped, dict):
            problems.append(f"{source}: columns of table {canonical!r} must map canonical: physical.")
            mapped = {}
        for column in mapped:
            if column not in columns:
                problems.append(
                    f"{source}: table {canonical!r} has no canonical column {column!r}"
                    f"{_suggest(str(column), columns)}; its columns are: {', '.join(columns)}."
                )
        tables[canonical] = TableMapping(
            canonical=canonical,
            schema=schema or None,
            name=name,
            columns={c: str(mapped.get(c) or c) for c in columns},
        )
    if problems:
        raise MappingError(problems)
    return Mapping(tables)


def check_against(engine: sa.Engine, mapping: Mapping) -> list[str]:
    """Every way the mapping disagrees with the live warehouse; an empty list means it fits."""
    inspector = sa.inspect(engine)
    problems: list[str] = []
    names_by_schema: dict[str | None, list[str]] = {}
    for tm in mapping.tables.values():
        if tm.schema not in names_by_schema:
            names_by_schema[tm.schema] = _table_names(inspector, tm.schema)
        existing = names_by_schema[tm.schema]
        if tm.name not in existing:
            where = f"schema {tm.schema!r}" if tm.schema else "the warehouse"
            have = ", ".join(sorted(existing)) or "no tables"
            problems.append(
                f"Canonical table {tm.canonical!r} is mapped to {tm.qualified_name!r}, which "
                f"{where} does not have{_suggest(tm.name, existing)}. Tables there: {have}."
            )
            continue
        physical_columns = _column_names(engine, inspector, tm.name, tm.schema)
        for canonical_column, physical_column in tm.columns.items():
            if physical_column not in physical_columns:
                problems.append(
                    f"Column {canonical_column!r} of canonical table {tm.canonical!r} is mapped to "
                    f"{physical_column!r}, which {tm.qualified_name!r} does not have"
                    f"{_suggest(physical_column, physical_columns)}. Its columns: "
                    f"{', '.join(physical_columns)}."
                )
    return problems


def _table_names(inspector: sa.Inspector, schema: str | None) -> list[str]:
    try:
        return list(inspector.get_table_names(schema=schema)) + list(inspector.get_view_names(schema=schema))
    except sa.exc.SQLAlchemyError:
        return []


def _column_names(engine: sa.Engine, inspector: sa.Inspector, table: str, schema: str | None) -> list[str]:
    """Column names of a physical table.

    DuckDB 2 with duckdb-engine 0.17 cannot reflect columns (its query needs
    pg_catalog.pg_collation, which DuckDB 2 lacks), so DuckDB reads information_schema directly.
    """
    if engine.dialect.name != "duckdb":
        return [c["name"] for c in inspector.get_columns(table, schema=schema)]
    columns = sa.table(
        "columns",
        sa.column("table_name"),
        sa.column("table_schema"),
        sa.column("column_name"),
        sa.column("ordinal_position"),
        schema="information_schema",
    )
    statement = (
        sa.select(columns.c.column_name)
        .where(columns.c.table_name == table, columns.c.table_schema == (schema or "main"))
        .order_by(columns.c.ordinal_position)
    )
    with engine.connect() as connection:
        return [str(name) for name in connection.execute(statement).scalars()]


def _suggest(name: str, options: Any) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
