"""The app's own writable store (MOT_STATE_URL): comments, frozen quarters, check-run history.

The warehouse is read-only for the app; everything the app writes goes here. Each feature defines
its own tables (checks/history.py, review/store.py, ...) on its own MetaData and creates them with
``ensure_tables``. The default is a SQLite file in WAL mode with a busy timeout, so the app and a
scheduled ``python -m checks run`` can write at the same time without "database is locked".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors.db_errors import database_reason


class StateStoreError(RuntimeError):
    """The state store cannot be opened or written; the message says what to do."""


def create_state_engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A URI-form database (``sqlite:///file:/path?mode=ro&uri=true``) names a file that sqlite
        # opens itself; its "folder" is not a path to create.
        is_uri = str(parsed.query.get("uri", "")).lower() == "true"
        if parsed.database and parsed.database != ":memory:" and not is_uri:
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StateStoreError(
                    f"Cannot create the folder of the state store {parsed.database!r}: {exc.strerror}. "
                    "Set MOT_STATE_URL to a writable place."
                ) from None
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def ensure_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Create the feature's tables if they are missing; never drops or alters existing data."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except sa.exc.SQLAlchemyError as exc:
        reason = database_reason(exc)
        raise StateStoreError(
            f"The state store at {engine.url.render_as_string(hide_password=True)} cannot be "
            f"prepared: {reason}. Check MOT_STATE_URL and that the app may write there."
        ) from None
