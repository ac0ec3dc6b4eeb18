"""What Spark SQL (the ``hive://`` dialect of PyHive) needs beyond SQLAlchemy's defaults.

Table listing: PyHive's inspector reads the first column of ``SHOW TABLES``. Hive puts the table
name there; Spark puts the database (``namespace``) first and the name in ``tableName``, so every
table of a Spark warehouse would be listed as its schema. Spark's ``SHOW TABLES`` also lists views.

Connecting: PyHive lets Thrift's transport error out of ``connect`` (not a DB-API error), so
SQLAlchemy would not wrap it and a stopped server would end in a traceback instead of the app's
"cannot reach the warehouse" message. ``raise_connect_errors_as_dbapi`` turns it into one.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

SPARK_DIALECTS = frozenset({"hive"})


def raise_connect_errors_as_dbapi(engine: sa.Engine) -> None:
    """Make a refused or dropped Thrift connection a DB-API OperationalError (once per engine)."""
    sa.event.listen(engine, "do_connect", _connect)


def _connect(dialect: sa.Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
    from thrift.transport.TTransport import TTransportException  # installed with PyHive

    dbapi = dialect.loaded_dbapi
    try:
        return dbapi.connect(*cargs, **cparams)
    except (TTransportException, OSError) as exc:
        raise dbapi.OperationalError(str(exc) or type(exc).__name__) from exc


def spark_table_names(engine: sa.Engine, schema: str | None) -> list[str]:
    """Tables and views in ``schema`` (the connection's database when None)."""
    statement = "SHOW TABLES"
    if schema:
        statement += " IN " + engine.dialect.identifier_preparer.quote_identifier(schema)
    with engine.connect() as connection:
        result = connection.execute(sa.text(statement))
        keys = list(result.keys())
        column = keys.index("tableName") if "tableName" in keys else 0  # Hive: tab_name only
        return [str(row[column]) for row in result]
