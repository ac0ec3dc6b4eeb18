"""The mapping file: canonical table and column names to the warehouse's physical ones.

Format (docs/design.md)::

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from connectors._spark_sql import SPARK_DIALECTS, spark_table_names
from connectors.column_types import KIND_WORDS, accepts, type_family
from metrics.model import COLUMN_KINDS, OPTIONAL_COLUMNS, TABLES

__all__ = ["fit_optional_columns", "load_mapping", "MappingError", "MappingFileError", "parse_mapping",
    "physical_columns"]


class MappingError(ValueError):
    """The mapping file is malformed or does not match the warehouse."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class MappingFileError(MappingError):
    """The mapping file itself cannot be used: missing, a folder, unreadable or malformed."""


@dataclass(frozen=True)
class TableMapping:
    canonical: str
    schema: str | None
    name: str
    #: canonical column -> physical column, for every canonical column of the table.
    columns: dict[str, str]
    #: Canonical columns the mapping file names (an optional column named there must exist).
    explicit: frozenset[str] = frozenset()
    #: Optional columns (metrics.model.OPTIONAL_COLUMNS) the warehouse does not have: they read as
    #: their default. Filled in by ``fit_optional_columns``.
    absent: frozenset[str] = frozenset()

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Mapping:
    tables: dict[str, TableMapping]
    #: The mapping file it was read from (None: no file, canonical names), for messages.
    source: str | None = None

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
    data = yaml_document(path)
    return replace(parse_mapping({} if data is None else data, source=str(path)), source=str(path))


def yaml_document(path: Path) -> Any:
    """The parsed YAML of a mapping file; MappingFileError says what is wrong with the file."""
    where = f"Mapping file {str(path)!r}"
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix in (".yaml", ".yml"))[:5]
        hint = f" (it holds {', '.join(inside)})" if inside else ""
        raise MappingFileError(
            [f"{where} is a folder{hint}. Set MOT_MAPPING to the YAML file itself, not its folder."]
        )
    if not path.exists():
        raise MappingFileError([f"{where} does not exist. Set MOT_MAPPING to a YAML file."])
    if not path.is_file():
        raise MappingFileError([f"{where} is not a regular file. Set MOT_MAPPING to a YAML file."])
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingFileError(
            [f"{where} cannot be read: {exc.strerror or exc}. Check that this user may read it."]
        ) from None
    except UnicodeDecodeError:
        raise MappingFileError([f"{where} is not UTF-8 text. Save it as a UTF-8 YAML file."]) from None
    except yaml.YAMLError as exc:
        raise MappingFileError([f"{where} is not valid YAML: {exc}"]) from None


def parse_mapping(data: Any, source: str = "mapping") -> Mapping:
    """Validate the structure of a parsed mapping; unknown names are errors, not ignored."""
    tables_section = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not (tables_section is None or isinstance(tables_section, dict)):
        raise MappingFileError([f"{source}: expected a top-level 'tables:' section mapping table names."])
    problems = [
        f"{source}: unknown top-level key {str(key)!r}; the file has one section, 'tables:', and "
        "every canonical table goes under it."
        for key in data
        if key != "tables"
    ]
    declared: dict[Any, Any] = tables_section or {}
    for name in declared:
        if name not in TABLES:
            problems.append(
                f"{source}: unknown canonical table {str(name)!r}{_suggest(str(name), TABLES)}; "
                f"canonical tables are: {', '.join(TABLES)}."
            )
    tables = {name: _table_mapping(name, declared.get(name), source, problems) for name in TABLES}
    problems += _shared_tables(tables, source)
    for tm in tables.values():
        problems += _shared_columns(tm, declared.get(tm.canonical), source)
    if problems:
        raise MappingFileError(problems)
    return Mapping(tables)


def _table_mapping(canonical: str, entry: Any, source: str, problems: list[str]) -> TableMapping:
    """One canonical table's mapping; what is wrong with its entry goes to ``problems``."""
    where = f"{source}: table {canonical!r}"
    if entry is not None and not isinstance(entry, dict):
        problems.append(f"{where} must be a mapping with 'table' and 'columns'.")
    entry = entry if isinstance(entry, dict) else {}
    for key in entry:
        if key not in ("table", "columns"):
            problems.append(
                f"{where} has an unknown key {str(key)!r}{_suggest(str(key), ('table', 'columns'))}; "
                "it may have 'table' and 'columns'."
            )
    physical = _name(entry.get("table"), f"{where}: 'table'", problems) or canonical
    schema, _, name = physical.rpartition(".")
    if not name:
        problems.append(f"{where} is mapped to {physical!r}, which has no table name after the schema.")
    mapped = entry.get("columns") or {}
    if not isinstance(mapped, dict):
        problems.append(f"{source}: columns of table {canonical!r} must map canonical: physical.")
        mapped = {}
    columns = TABLES[canonical]
    for column in mapped:
        if column not in columns:
            problems.append(
                f"{where} has no canonical column {str(column)!r}"
                f"{_suggest(str(column), columns)}; its columns are: {', '.join(columns)}."
            )
    return TableMapping(
        canonical=canonical,
        schema=schema or None,
        name=name or canonical,
        columns={c: _name(mapped.get(c), f"{where}: column {c!r}", problems) or c for c in columns},
        explicit=frozenset(c for c in columns if mapped.get(c)),
    )


def _name(value: Any, what: str, problems: list[str]) -> str:
    """A physical name from the file: text (empty or null keeps the canonical name)."""
    if value is None or isinstance(value, str):
        return value or ""
    problems.append(
        f"{what} must be a name (text), not {value!r}. Write the physical name, in quotes if it "
        "looks like a number, a date or true/false."
    )
    return ""


def _shared_tables(tables: dict[str, TableMapping], source: str) -> list[str]:
    by_physical: dict[str, list[str]] = {}
    for tm in tables.values():
        by_physical.setdefault(tm.qualified_name, []).append(tm.canonical)
    return [
        f"{source}: canonical tables {_listed(canonicals)} are {_all(canonicals)} mapped to the "
        f"physical table {physical!r} (a table left out of the file keeps its canonical name). Each "
        "canonical table needs a table or view of its own."
        for physical, canonicals in by_physical.items()
        if len(canonicals) > 1
    ]


def _shared_columns(tm: TableMapping, entry: Any, source: str) -> list[str]:
    mapped = entry.get("columns") if isinstance(entry, dict) else None
    explicit = {c for c, physical in mapped.items() if physical} if isinstance(mapped, dict) else set()
    by_physical: dict[str, list[str]] = {}
    for canonical, physical in tm.columns.items():
        by_physical.setdefault(physical, []).append(canonical)
    problems = []
    for physical, canonicals in by_physical.items():
        if len(canonicals) < 2:
            continue
        implicit = [c for c in canonicals if c not in explicit]
        note = (
            f" ({_listed(implicit)} {'is' if len(implicit) == 1 else 'are'} not mapped in the file, so "
            f"{'it keeps its' if len(implicit) == 1 else 'they keep their'} canonical name)"
            if implicit
            else ""
        )
        problems.append(
            f"{source}: table {tm.canonical!r} maps canonical columns {_listed(canonicals)} to the same "
            f"physical column {physical!r} of {tm.qualified_name!r}{note}. Each canonical column "
            "needs a column of its own: map them to different columns."
        )
    return problems


def _all(names: list[str]) -> str:
    return "both" if len(names) == 2 else "all"


def _listed(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]


def check_against(engine: sa.Engine, mapping: Mapping) -> list[str]:
    """Every way the mapping disagrees with the live warehouse; an empty list means it fits.

    A column must exist and its type must be able to hold the canonical column (e.g. a DATE for a
    date). A type the app does not recognise is let through here; the schema checks report it.
    """
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
        found = physical_columns(engine, tm.name, tm.schema, inspector)
        problems += _column_problems(tm, found, mapping.source)
    return problems


def _may_be_absent(tm: TableMapping, canonical_column: str) -> bool:
    """An optional column the mapping file does not name may be missing from the warehouse."""
    return canonical_column in OPTIONAL_COLUMNS.get(tm.canonical, {}) and canonical_column not in tm.explicit


def fit_optional_columns(engine: sa.Engine, mapping: Mapping) -> Mapping:
    """The mapping with each table's ``absent`` optional columns: those the file does not name and
    the warehouse lacks (they read as their default). Only tables with optional columns are looked
    at; a table that cannot be inspected keeps its columns (``check_against`` reports it)."""
    tables = dict(mapping.tables)
    for canonical in OPTIONAL_COLUMNS:
        tm = tables[canonical]
        try:
            found = physical_columns(engine, tm.name, tm.schema)
        except sa.exc.SQLAlchemyError:
            continue
        absent = frozenset(c for c in tm.columns if _may_be_absent(tm, c) and tm.columns[c] not in found)
        tables[canonical] = replace(tm, absent=absent)
    return replace(mapping, tables=tables)


def _column_problems(tm: TableMapping, found: dict[str, object], source: str | None) -> list[str]:
    problems = []
    for canonical_column, physical_column in tm.columns.items():
        if physical_column not in found and _may_be_absent(tm, canonical_column):
            continue
        if physical_column not in found:
            problems.append(
                f"Column {canonical_column!r} of canonical table {tm.canonical!r} is mapped to "
                f"{physical_column!r}, which {tm.qualified_name!r} does not have"
                f"{_suggest(physical_column, found)}. Its columns: {', '.join(found)}."
            )
            continue
        kind, col_type = COLUMN_KINDS[tm.canonical][canonical_column], found[physical_column]
        if type_family(col_type) != "other" and not accepts(kind, col_type):
            file = f"mapping file {source!r}" if source else "no mapping file: canonical names"
            problems.append(
                f"Column {canonical_column!r} of canonical table {tm.canonical!r} holds "
                f"{KIND_WORDS[kind]}, but it is mapped to {physical_column!r} of "
                f"{tm.qualified_name!r} ({file}), which is {str(col_type).upper()}. Map it to a "
                "column of that kind, or change the column's type in the warehouse."
            )
    return problems


def _table_names(inspector: sa.Inspector, schema: str | None) -> list[str]:
    try:
        if inspector.engine.dialect.name in SPARK_DIALECTS:
            return spark_table_names(inspector.engine, schema)
        return list(inspector.get_table_names(schema=schema)) + list(inspector.get_view_names(schema=schema))
    except sa.exc.SQLAlchemyError:
        return []


def physical_columns(
    engine: sa.Engine, table: str, schema: str | None, inspector: sa.Inspector | None = None
) -> dict[str, object]:
    """Physical column name -> its type (a SQLAlchemy type, or DuckDB's type name), in table order.

    DuckDB 2 with duckdb-engine 0.17 cannot reflect columns (its query needs
    pg_catalog.pg_collation, which DuckDB 2 lacks), so DuckDB reads information_schema directly.
    """
    if engine.dialect.name != "duckdb":
        columns = (inspector or sa.inspect(engine)).get_columns(table, schema=schema)
        return {str(c["name"]): c["type"] for c in columns}
    info = sa.table(
        "columns",
        sa.column("table_name"),
        sa.column("table_schema"),
        sa.column("column_name"),
        sa.column("data_type"),
        sa.column("ordinal_position"),
        schema="information_schema",
    )
    statement = (
        sa.select(info.c.column_name, info.c.data_type)
        .where(info.c.table_name == table, info.c.table_schema == (schema or "main"))
        .order_by(info.c.ordinal_position)
    )
    with engine.connect() as connection:
        return {str(name): str(data_type) for name, data_type in connection.execute(statement)}


def _suggest(name: str, options: Any) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
