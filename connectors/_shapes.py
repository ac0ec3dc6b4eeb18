"""Statement shapes: each aggregate select is built once per warehouse and shape, its values bound at
execution (#19: ours against the floor).

Building a select with SQLAlchemy Core takes 0.1–1.5 ms per call (a statement comparing twelve
periods has thirty-six CASE expressions), and SQLAlchemy then walks the new select for its
compiled-cache key. The readers in queries.py and period_queries.py split a request into its
*shape*, what decides the SQL text (grain, breakdown, which filters, how many periods or personas),
and its *values* (dates, ids, names), each value a named bound parameter. The select of a shape is
built on its first request and kept with the warehouse's tables; later requests of that shape only
compute their values, and SQLAlchemy finds the select's compiled form by the key it memoised on it.
On the embedded DuckDB reader the select's compiled SQL and its IN-list expansion are kept with the
shape instead, and run on the driver's cursor (connectors/queries.py: ``_driver_plan``).

The parameters are named as SQLAlchemy names anonymous ones (the column's key and a count in order
of appearance: ``date_1``, ``date_2``, ``kpi_id_1``), and typed as the column they are compared
with, so the SQL and the values sent are exactly those of a select built per call with the values
in it (tests/test_sql_snapshots.py holds both to the same snapshots).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.visitors import cloned_traverse

#: Shapes kept per warehouse: far above what the pages ask for (a few dozen), a bound on odd callers.
MAX_SHAPES = 512


class Values(dict[str, Any]):
    """A shape's values by parameter name, in order of appearance in the SQL."""

    def add(self, base: str, value: Any) -> str:
        """Record ``value`` under the next free name ``base_N`` (SQLAlchemy's anonymous naming)."""
        count = 1
        while f"{base}_{count}" in self:
            count += 1
        return self.named(f"{base}_{count}", value)

    def named(self, name: str, value: Any) -> str:
        self[name] = value
        return name


@dataclass(frozen=True)
class Bound:
    """A shape's select and one request's values for it."""

    select: sa.Select[Any]
    values: Values

    def statement(self) -> sa.Select[Any]:
        """The select with the values in it, as a select built for this request alone would be
        (for the ``*_statement`` builders: snapshots, benchmarks)."""
        values = self.values

        def with_value(bind: sa.BindParameter[Any]) -> None:
            if bind.key in values:
                bind.value, bind.required = values[bind.key], False

        # A copy with the values in its parameters (SQLAlchemy 2.1's Select.params keeps them apart,
        # which a statement compiled with render_postcompile, as the snapshots are, refuses).
        return cloned_traverse(self.select, {"maintain_key": True, "detect_subquery_cols": True},
                               {"bindparam": with_value})


def bind(name: str, column: sa.ColumnElement[Any], *, expanding: bool = False) -> sa.BindParameter[Any]:
    """A required named parameter typed as ``column`` (its value comes with each execution)."""
    return sa.bindparam(name, type_=column.type, expanding=expanding, required=True)


#: Where a warehouse's tables keep their shapes (``MetaData.info``, SQLAlchemy's room for user data:
#: the shapes live and go with the tables they are built on).
_INFO_KEY = "statement_shapes"
_LOCK = threading.Lock()


def shaped(metadata: sa.MetaData, key: tuple[Any, ...],
           build: Callable[[], sa.Select[Any]]) -> sa.Select[Any]:
    """The select of shape ``key`` over these tables, built by ``build`` the first time. ``key``
    must determine the SQL text (including every parameter name)."""
    with _LOCK:
        shapes: dict[tuple[Any, ...], sa.Select[Any]] = metadata.info.setdefault(_INFO_KEY, {})
        select = shapes.get(key)
    if select is None:
        select = build()
        with _LOCK:
            if len(shapes) >= MAX_SHAPES:
                shapes.clear()
            select = shapes.setdefault(key, select)
    return select
