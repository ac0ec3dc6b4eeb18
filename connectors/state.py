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
    """An engine for the state store. It creates no folder: a SQLite file's folder must exist
    (connectors.settings.create_data_folders makes MOT_DATA_DIR and the folders inside it)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StateStoreError(
            f"MOT_STATE_URL {url!r} is not a SQLAlchemy URL. Use e.g. sqlite:////var/lib/mot/state.sqlite."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        # A URI-form database (``sqlite:///file:/path?mode=ro&uri=true``) names a file that sqlite
        # opens itself; its "folder" is not a path to check.
        is_uri = str(parsed.query.get("uri", "")).lower() == "true"
        folder = Path(parsed.database).parent if parsed.database not in (None, "", ":memory:") else None
        if folder is not None and not is_uri and not folder.is_dir():
            raise StateStoreError(
                f"The folder {str(folder)!r} of the state store does not exist. Create it, or set "
                "MOT_STATE_URL to a file in an existing folder (unset, the store is "
                "MOT_DATA_DIR/state.sqlite)."
            )
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StateStoreError(
            f"The state store URL (MOT_STATE_URL) cannot be used: {exc}. Install that database's "
            "SQLAlchemy driver or correct the URL."
        ) from None


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
