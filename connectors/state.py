"""The app's own writable store (MOT_STATE_URL): comments, frozen quarters, check-run history.

The warehouse is read-only for the app; everything the app writes goes here. Each feature defines
its own tables (checks/history.py, review/store.py, ...) on its own MetaData and creates them with
``ensure_tables`` before each read or write; that does the work once per engine, so a page run
never inspects or creates tables. The default is a SQLite file in WAL mode with a busy timeout, so
the app and a scheduled ``python -m checks run`` can write at the same time without "database is
locked". The app and the commands get one engine per URL from connectors.runtime.state_engine.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors.db_errors import database_reason
from metrics.i18n import tr

__all__ = ["add_missing_columns", "create_state_engine", "ensure_tables", "StateStoreError"]


class StateStoreError(RuntimeError):
    """The state store cannot be opened or written; the message says what to do."""


def create_state_engine(url: str) -> sa.Engine:
    """An engine for the state store. It creates no folder: a SQLite file's folder must exist
    (connectors.settings.create_data_folders makes MOT_DATA_DIR and the folders inside it)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StateStoreError(
            tr("MOT_STATE_URL {value} is not a SQLAlchemy URL. Use e.g. sqlite:////var/lib/mot/state.sqlite.").format(
                value=repr(url))
        ) from None
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        _check_sqlite_folder(parsed)
    try:
        if sqlite and parsed.database in (None, "", ":memory:"):
            # One in-memory database shared by every thread: SQLAlchemy's default pool gives each
            # thread (each Streamlit session) its own empty database, without the tables that the
            # first one created ("no such table: review_closed_quarters").
            engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                      connect_args={"timeout": 30, "check_same_thread": False})
        elif sqlite:
            engine = sa.create_engine(url, connect_args={"timeout": 30})
        else:
            engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StateStoreError(
            tr("The state store URL (MOT_STATE_URL) cannot be used: {reason}. Install that database's "
               "SQLAlchemy driver or correct the URL.").format(reason=exc)
        ) from None
    if sqlite:
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _check_sqlite_folder(parsed: sa.URL) -> None:
    # A URI-form database (``sqlite:///file:/path?mode=ro&uri=true``) names a file that sqlite
    # opens itself; its "folder" is not a path to check.
    is_uri = str(parsed.query.get("uri", "")).lower() == "true"
    folder = Path(parsed.database).parent if parsed.database not in (None, "", ":memory:") else None
    if folder is not None and not is_uri and not folder.is_dir():
        raise StateStoreError(
            tr("The folder {folder} of the state store does not exist. Create it, or set MOT_STATE_URL to a "
               "file in an existing folder (unset, the store is MOT_DATA_DIR/state.sqlite).").format(
                folder=repr(str(folder)))
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout on every new connection, so the app and a scheduled check run can
    write at the same time."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass
class _Prepared:
    """Which features' tables are in place on one engine (ids of their module-level MetaData), and
    the lock that makes two sessions opening the store together prepare it once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    metadata_ids: set[int] = field(default_factory=set)


_PREPARED: weakref.WeakKeyDictionary[sa.Engine, _Prepared] = weakref.WeakKeyDictionary()
_PREPARED_LOCK = threading.Lock()


def ensure_tables(
    engine: sa.Engine, metadata: sa.MetaData, upgrade: Callable[[sa.Engine], None] | None = None
) -> None:
    """Create the feature's tables if they are missing, then ``upgrade`` them (e.g. add columns an
    older store lacks); never drops or alters existing data. Done once per engine and table set:
    later calls return at once, so features call this before every read or write."""
    with _PREPARED_LOCK:
        prepared = _PREPARED.setdefault(engine, _Prepared())
    with prepared.lock:
        if id(metadata) in prepared.metadata_ids:
            return
        try:
            metadata.create_all(engine, checkfirst=True)
        except sa.exc.SQLAlchemyError as exc:
            reason = database_reason(exc)
            raise StateStoreError(
                tr("The state store at {url} cannot be prepared: {reason}. Check MOT_STATE_URL and that the "
                   "app may write there.").format(url=engine.url.render_as_string(hide_password=True),
                                                  reason=reason)
            ) from None
        if upgrade is not None:
            upgrade(engine)
        prepared.metadata_ids.add(id(metadata))


def add_missing_columns(engine: sa.Engine, columns: tuple[tuple[sa.Table, str], ...], what: str) -> None:
    """Add the given columns (each as its table declares it) to stores made before they existed;
    never drops or rewrites anything. ``what`` names the feature for the error message, in the
    current language (``tr("the review store")``). StateStoreError when the store cannot be changed."""
    try:
        with engine.begin() as connection:
            inspector = sa.inspect(connection)
            for table, column in columns:
                if column not in {c["name"] for c in inspector.get_columns(table.name)}:
                    # Identifiers are the caller's own table constants, never user input.
                    add = sa.schema.CreateColumn(table.c[column]).compile(dialect=engine.dialect)
                    connection.execute(sa.DDL(f"ALTER TABLE {table.name} ADD COLUMN {add}"))
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(
            tr("{what} cannot be updated: {reason}. Check MOT_STATE_URL and that the app may write "
               "there.").format(what=what[:1].upper() + what[1:], reason=database_reason(exc))
        ) from None
