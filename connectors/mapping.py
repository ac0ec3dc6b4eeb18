"""The mapping file: canonical table and column names to the warehouse's physical ones.

Format (docs/design.md)::

    tables:
      touchpoints:
        table: crm.dim_touchpoint        # physical name, schema-qualified if needed
        columns:                         # canonical: physical; a column left out keeps its name
          touchpoint_id: tp_key

A canonical table left out of the file keeps its canonical name. An optional table
(metrics.model.OPTIONAL_TABLES: the monthly KPI summary) is used only when present: named in the file
(then it must fit like any other) or found under its canonical name with every column
(``fit_optional_columns``). ``check_against`` compares the
mapping with the live warehouse and reports every problem at once, each naming the canonical table,
the physical name and what the warehouse has instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from connectors._spark_sql import SPARK_DIALECTS, spark_table_names
from connectors.column_types import KIND_WORDS, accepts, type_family
from metrics.i18n import tr
from metrics.model import COLUMN_KINDS, OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES

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
    #: Whether the mapping file names the table (an optional table named there must exist).
    named: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Mapping:
    tables: dict[str, TableMapping]
    #: The mapping file it was read from (None: no file, canonical names), for messages.
    source: str | None = None
    #: Every optional table (metrics.model.OPTIONAL_TABLES) as the file maps it, present or not.
    optional: dict[str, TableMapping] = field(default_factory=dict)
    #: The optional tables in use: found in the warehouse with every column (``fit_optional_columns``).
    present: frozenset[str] = frozenset()

    def table(self, canonical: str) -> TableMapping:
        if canonical in self.tables:
            return self.tables[canonical]
        if canonical in self.present:
            return self.optional[canonical]
        raise KeyError(canonical)

    def has(self, canonical: str) -> bool:
        """Whether the warehouse has this canonical table (every required one; an optional one in use)."""
        return canonical in self.tables or canonical in self.present

    def without_optional(self) -> Mapping:
        """The mapping with no optional table in use (MOT_KPI_SUMMARY=off)."""
        return replace(self, present=frozenset())

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
    file = repr(str(path))
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix in (".yaml", ".yml"))[:5]
        hint = tr(" (it holds {files})").format(files=", ".join(inside)) if inside else ""
        raise MappingFileError([
            tr("Mapping file {file} is a folder{hint}. Set MOT_MAPPING to the YAML file itself, not its "
               "folder.").format(file=file, hint=hint)
        ])
    if not path.exists():
        raise MappingFileError([tr("Mapping file {file} does not exist. Set MOT_MAPPING to a YAML "
                                   "file.").format(file=file)])
    if not path.is_file():
        raise MappingFileError([tr("Mapping file {file} is not a regular file. Set MOT_MAPPING to a YAML "
                                   "file.").format(file=file)])
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingFileError([
            tr("Mapping file {file} cannot be read: {reason}. Check that this user may read it.").format(
                file=file, reason=exc.strerror or exc)
        ]) from None
    except UnicodeDecodeError:
        raise MappingFileError([tr("Mapping file {file} is not UTF-8 text. Save it as a UTF-8 YAML "
                                   "file.").format(file=file)]) from None
    except yaml.YAMLError as exc:
        raise MappingFileError([tr("Mapping file {file} is not valid YAML: {reason}").format(
            file=file, reason=exc)]) from None


def parse_mapping(data: Any, source: str = "mapping") -> Mapping:
    """Validate the structure of a parsed mapping; unknown names are errors, not ignored."""
    tables_section = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not (tables_section is None or isinstance(tables_section, dict)):
        raise MappingFileError([tr("{source}: expected a top-level 'tables:' section mapping table "
                                   "names.").format(source=source)])
    problems = [
        tr("{source}: unknown top-level key {key}; the file has one section, 'tables:', and every canonical "
           "table goes under it.").format(source=source, key=repr(str(key)))
        for key in data
        if key != "tables"
    ]
    declared: dict[Any, Any] = tables_section or {}
    for name in declared:
        if name not in TABLES and name not in OPTIONAL_TABLES:
            problems.append(
                tr("{source}: unknown canonical table {table}{suggestion}; canonical tables are: "
                   "{tables}.").format(source=source, table=repr(str(name)),
                                       suggestion=_suggest(str(name), [*TABLES, *OPTIONAL_TABLES]),
                                       tables=", ".join([*TABLES, *OPTIONAL_TABLES]))
            )
    tables = {name: _table_mapping(name, declared.get(name), source, problems) for name in TABLES}
    optional = {name: _table_mapping(name, declared.get(name), source, problems) for name in OPTIONAL_TABLES}
    named = {name: tm for name, tm in optional.items() if tm.named}  # one left out may well be absent
    problems += _shared_tables({**tables, **named}, source)
    for tm in (*tables.values(), *optional.values()):
        problems += _shared_columns(tm, declared.get(tm.canonical), source)
    if problems:
        raise MappingFileError(problems)
    return Mapping(tables, optional=optional)


def _table_mapping(canonical: str, entry: Any, source: str, problems: list[str]) -> TableMapping:
    """One canonical table's mapping; what is wrong with its entry goes to ``problems``."""
    where = tr("{source}: table {table}").format(source=source, table=repr(canonical))
    if entry is not None and not isinstance(entry, dict):
        problems.append(tr("{where} must be a mapping with 'table' and 'columns'.").format(where=where))
    entry = entry if isinstance(entry, dict) else {}
    for key in entry:
        if key not in ("table", "columns"):
            problems.append(
                tr("{where} has an unknown key {key}{suggestion}; it may have 'table' and 'columns'.").format(
                    where=where, key=repr(str(key)), suggestion=_suggest(str(key), ("table", "columns")))
            )
    physical = _name(entry.get("table"), f"{where}: 'table'", problems) or canonical
    schema, _, name = physical.rpartition(".")
    if not name:
        problems.append(tr("{where} is mapped to {physical}, which has no table name after the "
                           "schema.").format(where=where, physical=repr(physical)))
    mapped = entry.get("columns") or {}
    if not isinstance(mapped, dict):
        problems.append(tr("{source}: columns of table {table} must map canonical: physical.").format(
            source=source, table=repr(canonical)))
        mapped = {}
    columns = TABLES.get(canonical) or OPTIONAL_TABLES[canonical]
    for column in mapped:
        if column not in columns:
            problems.append(
                tr("{where} has no canonical column {column}{suggestion}; its columns are: "
                   "{columns}.").format(
                    where=where, column=repr(str(column)), suggestion=_suggest(str(column), columns),
                    columns=", ".join(columns))
            )
    return TableMapping(
        canonical=canonical,
        schema=schema or None,
        name=name or canonical,
        columns={c: _name(mapped.get(c), tr("{where}: column {column}").format(where=where, column=repr(c)),
                          problems) or c for c in columns},
        explicit=frozenset(c for c in columns if mapped.get(c)),
        named=isinstance(entry, dict) and bool(entry),
    )


def _name(value: Any, what: str, problems: list[str]) -> str:
    """A physical name from the file: text (empty or null keeps the canonical name)."""
    if value is None or isinstance(value, str):
        return value or ""
    problems.append(
        tr("{what} must be a name (text), not {value}. Write the physical name, in quotes if it looks like a "
           "number, a date or true/false.").format(what=what, value=repr(value))
    )
    return ""


def _shared_tables(tables: dict[str, TableMapping], source: str) -> list[str]:
    by_physical: dict[str, list[str]] = {}
    for tm in tables.values():
        by_physical.setdefault(tm.qualified_name, []).append(tm.canonical)
    return [
        (tr("{source}: canonical tables {tables} are both mapped to the physical table {physical} (a table "
            "left out of the file keeps its canonical name). Each canonical table needs a table or view of "
            "its own.") if len(canonicals) == 2 else
         tr("{source}: canonical tables {tables} are all mapped to the physical table {physical} (a table "
            "left out of the file keeps its canonical name). Each canonical table needs a table or view of "
            "its own.")).format(source=source, tables=_listed(canonicals), physical=repr(physical))
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
            (tr(" ({columns} is not mapped in the file, so it keeps its canonical name)")
             if len(implicit) == 1
             else tr(" ({columns} are not mapped in the file, so they keep their canonical name)")).format(
                columns=_listed(implicit))
            if implicit
            else ""
        )
        problems.append(
            tr("{source}: table {table} maps canonical columns {columns} to the same physical column "
               "{physical} of {qualified}{note}. Each canonical column needs a column of its own: map them "
               "to different columns.").format(source=source, table=repr(tm.canonical),
                                               columns=_listed(canonicals), physical=repr(physical),
                                               qualified=repr(tm.qualified_name), note=note)
        )
    return problems


def _listed(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    if len(quoted) < 2:
        return quoted[0]
    return tr("{names} and {last}").format(names=", ".join(quoted[:-1]), last=quoted[-1])


def check_against(engine: sa.Engine, mapping: Mapping) -> list[str]:
    """Every way the mapping disagrees with the live warehouse; an empty list means it fits.

    A column must exist and its type must be able to hold the canonical column (e.g. a DATE for a
    date). A type the app does not recognise is let through here; the schema checks report it.
    """
    inspector = sa.inspect(engine)
    problems: list[str] = []
    names_by_schema: dict[str | None, list[str]] = {}
    # An optional table the file does not name may be missing (fit_optional_columns looks for it).
    named = [tm for tm in mapping.optional.values() if tm.named]
    for tm in (*mapping.tables.values(), *named):
        if tm.schema not in names_by_schema:
            names_by_schema[tm.schema] = _table_names(inspector, tm.schema)
        existing = names_by_schema[tm.schema]
        if tm.name not in existing:
            have = ", ".join(sorted(existing)) or tr("no tables")
            message = (
                tr("Canonical table {table} is mapped to {physical}, which schema {schema} does not "
                   "have{suggestion}. Tables there: {tables}.") if tm.schema else
                tr("Canonical table {table} is mapped to {physical}, which the warehouse does not "
                   "have{suggestion}. Tables there: {tables}.")
            )
            problems.append(message.format(table=repr(tm.canonical), physical=repr(tm.qualified_name),
                                           schema=repr(tm.schema), suggestion=_suggest(tm.name, existing),
                                           tables=have))
            continue
        found = physical_columns(engine, tm.name, tm.schema, inspector)
        problems += _column_problems(tm, found, mapping.source)
    return problems


def _may_be_absent(tm: TableMapping, canonical_column: str) -> bool:
    """An optional column the mapping file does not name may be missing from the warehouse."""
    return canonical_column in OPTIONAL_COLUMNS.get(tm.canonical, {}) and canonical_column not in tm.explicit


def fit_optional_columns(engine: sa.Engine, mapping: Mapping) -> Mapping:
    """The mapping with each table's ``absent`` optional columns: those the file does not name and
    the warehouse lacks (they read as their default), and the optional tables ``present``: those
    the warehouse has with every column, of a kind that can hold it. Only tables with optional
    columns are looked at; a table that cannot be inspected keeps its columns (``check_against``
    reports it)."""
    present = frozenset(name for name, tm in mapping.optional.items() if _fits(engine, tm))
    tables = dict(mapping.tables)
    for canonical in OPTIONAL_COLUMNS:
        tm = tables[canonical]
        try:
            found = physical_columns(engine, tm.name, tm.schema)
        except sa.exc.SQLAlchemyError:
            continue
        absent = frozenset(c for c in tm.columns if _may_be_absent(tm, c) and tm.columns[c] not in found)
        tables[canonical] = replace(tm, absent=absent)
    return replace(mapping, tables=tables, present=present)


def _fits(engine: sa.Engine, tm: TableMapping) -> bool:
    """Whether the warehouse has this (optional) table with every column, each of an accepted kind."""
    try:
        if tm.name not in _table_names(sa.inspect(engine), tm.schema):
            return False
        found = physical_columns(engine, tm.name, tm.schema)
    except sa.exc.SQLAlchemyError:
        return False
    return not _column_problems(tm, found, None)


def _column_problems(tm: TableMapping, found: dict[str, object], source: str | None) -> list[str]:
    problems = []
    for canonical_column, physical_column in tm.columns.items():
        if physical_column not in found and _may_be_absent(tm, canonical_column):
            continue
        if physical_column not in found:
            problems.append(
                tr("Column {column} of canonical table {table} is mapped to {physical}, which {qualified} "
                   "does not have{suggestion}. Its columns: {columns}.").format(
                    column=repr(canonical_column), table=repr(tm.canonical), physical=repr(physical_column),
                    qualified=repr(tm.qualified_name), suggestion=_suggest(physical_column, found),
                    columns=", ".join(found))
            )
            continue
        kind, col_type = COLUMN_KINDS[tm.canonical][canonical_column], found[physical_column]
        if type_family(col_type) != "other" and not accepts(kind, col_type):
            file = (tr("mapping file {file}").format(file=repr(source)) if source
                    else tr("no mapping file: canonical names"))
            problems.append(
                tr("Column {column} of canonical table {table} holds {kind}, but it is mapped to {physical} "
                   "of {qualified} ({file}), which is {type}. Map it to a column of that kind, or change the "
                   "column's type in the warehouse.").format(
                    column=repr(canonical_column), table=repr(tm.canonical), kind=tr(KIND_WORDS[kind]),
                    physical=repr(physical_column), qualified=repr(tm.qualified_name), file=file,
                    type=str(col_type).upper())
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
    return tr(" (did you mean {name}?)").format(name=repr(close[0])) if close else ""
