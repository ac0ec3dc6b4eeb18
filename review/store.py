"""Review state in the app's own store (MOT_STATE_URL): comments, their history, closed quarters.

Tables are prefixed ``review_`` and live on their own MetaData (connectors.state). Comments use
optimistic concurrency: a save names the version it was based on; when someone saved in between,
the save is refused with a message naming who saved and when, and nothing is overwritten. Every
save is also appended to ``review_comment_history``. Closing a quarter stores a JSON snapshot
(review/frozen.py builds it); reopening is explicit and keeps the snapshot for the record. Every
change (comment saved, quarter closed or reopened) appends a row to ``review_audit`` in the same
transaction: who (the login identity when login is on), what, when, which quarter and comment.
Times are passed in by the caller (ISO 8601 strings in UTC), never read here.

Closing a quarter and saving a comment on it take turns (``_quarter_turn``): closing reads the
comments and writes the snapshot in one transaction, and a save checks the closed flag in its own,
so a save either lands before the snapshot and is in it, or is refused with QuarterClosedError.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.db_errors import database_reason
from connectors.state import StateStoreError, add_missing_columns, create_state_engine, ensure_tables
from metrics.i18n import N_, tr

__all__ = ["audit_log", "closed_snapshot", "Comment", "COMMENT_SAVED", "comment_frame", "comment_history",
    "current_comment", "JOURNEY_COMMENT", "open_review_store", "prepare_review_store", "QUARTER_CLOSED",
    "QUARTER_REOPENED", "QuarterClosedError", "QuarterState", "quarter_state", "quarter_version",
    "reopen_quarter", "ReviewConflict", "save_comment", "SNAPSHOT_DETAIL", "SNAPSHOT_KEPT_DETAIL",
    "VERSION_DETAIL"]

METADATA = sa.MetaData()


def _key_columns() -> tuple[sa.Column[Any], ...]:
    return (sa.Column("quarter", sa.String(8), nullable=False),
            sa.Column("journey_id", sa.String(200), nullable=False),
            sa.Column("kpi_id", sa.String(200), nullable=False))


def _decision_column() -> sa.Column[bool]:
    """Whether the comment records a decision or an action needed (listed in the pack's summary)."""
    return sa.Column("decision", sa.Boolean, nullable=False, server_default=sa.false())


COMMENTS = sa.Table(
    "review_comments", METADATA,
    *_key_columns(),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _decision_column(),
    sa.PrimaryKeyConstraint("quarter", "journey_id", "kpi_id"),
)
COMMENT_HISTORY = sa.Table(
    "review_comment_history", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_key_columns(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    _decision_column(),
)
#: Columns added to existing tables since the first release: (table, column).
_ADDED_COLUMNS: tuple[tuple[sa.Table, str], ...] = ((COMMENTS, "decision"), (COMMENT_HISTORY, "decision"))
SNAPSHOTS = sa.Table(
    "review_snapshots", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("quarter", sa.String(8), nullable=False, index=True),
    sa.Column("closed_by", sa.String(200), nullable=False),
    sa.Column("closed_at", sa.String(40), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("reopened_by", sa.String(200)),
    sa.Column("reopened_at", sa.String(40)),
)
CLOSED_QUARTERS = sa.Table(
    "review_closed_quarters", METADATA,
    sa.Column("quarter", sa.String(8), primary_key=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("review_snapshots.id"), nullable=False),
    sa.Column("closed_by", sa.String(200), nullable=False),
    sa.Column("closed_at", sa.String(40), nullable=False),
)
#: One row per quarter that anyone saved a comment on or closed: locked by every write on that
#: quarter (SELECT ... FOR UPDATE), so closing and saving take turns on PostgreSQL.
QUARTER_LOCKS = sa.Table(
    "review_quarter_locks", METADATA,
    sa.Column("quarter", sa.String(8), primary_key=True),
)
#: Every change, appended in the transaction that makes it; never updated or deleted.
AUDIT = sa.Table(
    "review_audit", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("quarter", sa.String(8), nullable=False, index=True),
    sa.Column("journey_id", sa.String(200)),
    sa.Column("kpi_id", sa.String(200)),
    sa.Column("detail", sa.String(200), nullable=False, server_default=""),
)
#: kpi_id of a comment on the journey as a whole.
JOURNEY_COMMENT = ""
#: What the audit log records as ``action``: stored in English (keys, the same in every language);
#: the page shows ``tr(action)``.
COMMENT_SAVED, QUARTER_CLOSED = N_("comment saved"), N_("quarter closed")
QUARTER_REOPENED = N_("quarter reopened")
#: The audit log's ``detail``, stored in English; the page reads it in the current language.
VERSION_DETAIL, SNAPSHOT_DETAIL, SNAPSHOT_KEPT_DETAIL = N_("version {number}"), N_("snapshot {number}"), N_(
    "snapshot {number} kept")


class ReviewConflict(RuntimeError):
    """Someone else changed the same thing first; the message says who, when and what to do."""


class QuarterClosedError(RuntimeError):
    """The quarter is closed (perhaps just now, by someone else); the comment was not saved."""


@dataclass(frozen=True)
class Comment:
    quarter: str
    journey_id: str
    kpi_id: str
    text: str
    author: str
    saved_at: str
    version: int
    #: the comment records a decision of the review; decisions become owners' actions
    decision: bool = False


def stamp(moment: dt.datetime) -> str:
    """A time as stored: ISO 8601 in UTC, to the second."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def prepare_review_store(engine: sa.Engine) -> None:
    """Create the review tables when missing and add columns older stores lack; once per engine
    (connectors.state.ensure_tables), so every read and write below may call it. StateStoreError
    when the store cannot be prepared."""
    ensure_tables(engine, METADATA, _add_missing_columns)


def _add_missing_columns(engine: sa.Engine) -> None:
    """Columns added since the first release (never drops anything); existing comments are no
    decisions."""
    add_missing_columns(engine, _ADDED_COLUMNS, tr("the review store"))


def open_review_store(url: str) -> sa.Engine:
    """A new state engine of its own with the review tables created (the app and the CLI share one
    engine per URL through connectors.runtime.state_engine instead)."""
    try:
        engine = create_state_engine(url)
    except sa.exc.ArgumentError:
        raise StateStoreError(
            tr("MOT_STATE_URL {url} is not a SQLAlchemy URL.").format(url=repr(url))) from None
    prepare_review_store(engine)
    return engine


@contextmanager
def _writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction; database failures become StateStoreError with what to do.

    On SQLite it starts with BEGIN IMMEDIATE: it takes the database's one write lock before its
    first read, so what it reads cannot change before it commits, and a busy store is waited for
    (busy_timeout) instead of failing with "database is locked" when a read turns into a write.
    """
    prepare_review_store(engine)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # pysqlite has not begun one: it waits for DML
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # i18n: not shown
            yield conn
    except sa.exc.IntegrityError:
        raise
    except sa.exc.OperationalError as exc:
        raise StateStoreError(_store_message(engine, exc, writing=True)) from None


@contextmanager
def _quarter_turn(engine: sa.Engine, quarter: str) -> Iterator[sa.Connection]:
    """A write transaction that holds the quarter's lock until it ends.

    Saves, closing and reopening of one quarter take turns, so what a transaction reads about the
    quarter (is it closed, which comments it has) still holds when it commits. PostgreSQL: the
    quarter's row in review_quarter_locks, locked with SELECT ... FOR UPDATE (created on first
    use). SQLite renders no FOR UPDATE; there BEGIN IMMEDIATE (``_writing``) makes writers take turns.
    """
    with _writing(engine) as conn:
        locked = sa.select(QUARTER_LOCKS.c.quarter).where(QUARTER_LOCKS.c.quarter == quarter)
        if conn.execute(locked.with_for_update()).first() is None:
            try:
                with conn.begin_nested():
                    conn.execute(QUARTER_LOCKS.insert().values(quarter=quarter))
            except sa.exc.IntegrityError:
                conn.execute(locked.with_for_update())  # someone created it just now: wait our turn
        yield conn


def _reading(engine: sa.Engine, statement: sa.Select[Any]) -> list[sa.Row[Any]]:
    prepare_review_store(engine)
    try:
        with engine.connect() as conn:
            return list(conn.execute(statement))
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(_store_message(engine, exc, writing=False)) from None


def _store_message(engine: sa.Engine, exc: sa.exc.SQLAlchemyError, writing: bool) -> str:
    reason = database_reason(exc)
    where = engine.url.render_as_string(hide_password=True)
    if writing:
        message = tr("Cannot save to the review store at {where}: {reason}. Nothing was changed. Check that "
                     "MOT_STATE_URL points to a store this app may write to, then try again.")
    else:
        message = tr("Cannot read the review store at {where}: {reason}. Nothing was changed. Check that "
                     "MOT_STATE_URL points to a store this app may write to, then try again.")
    return message.format(where=where, reason=reason)


def comment_frame(engine: sa.Engine, quarter: str) -> pd.DataFrame:
    """The current comments of a quarter: quarter, journey_id, kpi_id, text, author, saved_at, version,
    decision."""
    return _comments_as_frame(_reading(engine, _comments_of(quarter)))


def _comments_of(quarter: str) -> sa.Select[Any]:
    return (sa.select(COMMENTS).where(COMMENTS.c.quarter == quarter)
            .order_by(COMMENTS.c.journey_id, COMMENTS.c.kpi_id))


def _comments_as_frame(rows: list[sa.Row[Any]]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=[c.name for c in COMMENTS.c])


#: Columns of a comment's history (comment_history; QuarterState.history adds journey_id and kpi_id).
HISTORY_COLUMNS = ("version", "text", "author", "saved_at", "decision")


@dataclass(frozen=True)
class QuarterState:
    """Everything the review store holds about one quarter, read at once (``quarter_state``). Each
    comment's current version and history are kept as plain rows by (journey_id, kpi_id): a comment
    box looks its own up without filtering a frame."""

    comments: pd.DataFrame  # comment_frame
    currents: dict[tuple[str, str], Comment]  # (journey_id, kpi_id) -> current_comment
    histories: dict[tuple[str, str], list[tuple[Any, ...]]]  # (journey_id, kpi_id) -> HISTORY_COLUMNS rows
    snapshot: dict[str, Any] | None  # closed_snapshot

    def current(self, journey_id: str, kpi_id: str = JOURNEY_COMMENT) -> Comment | None:
        """The current comment on the journey (or one of its figures), as current_comment."""
        return self.currents.get((journey_id, kpi_id))

    def history_of(self, journey_id: str, kpi_id: str = JOURNEY_COMMENT) -> pd.DataFrame:
        """Every saved version of one comment, oldest first, as comment_history."""
        return pd.DataFrame(self.histories.get((journey_id, kpi_id), []), columns=list(HISTORY_COLUMNS))


def quarter_version(engine: sa.Engine, quarter: str) -> tuple[int, int]:
    """A cheap version of what the store holds about ``quarter``: the number of its audit rows and
    the highest audit id. Every change of a quarter (a comment saved, the quarter closed or
    reopened) appends an audit row in its own transaction and nothing deletes one, so the pair
    changes with every committed change; the count also catches a transaction that committed
    after one with a higher id (PostgreSQL hands out ids before commit). Read it before the state
    (``quarter_state``): then what is read is at least as new as the version. SQLite's ``PRAGMA
    data_version`` would not do: it is per connection and ignores that connection's own commits."""
    a = AUDIT
    prepare_review_store(engine)
    try:
        with engine.connect() as conn:
            count, highest = conn.execute(
                sa.select(sa.func.count(), sa.func.max(a.c.id)).where(a.c.quarter == quarter)).one()
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(_store_message(engine, exc, writing=False)) from None
    return int(count), int(highest or 0)


def quarter_state(engine: sa.Engine, quarter: str) -> QuarterState:
    """The quarter's comments, their history and its closed snapshot, in one read transaction (three
    statements on one connection) instead of one read per journey and comment box."""
    c, s, h = CLOSED_QUARTERS, SNAPSHOTS, COMMENT_HISTORY
    prepare_review_store(engine)
    try:
        with engine.connect() as conn, conn.begin():
            comments = list(conn.execute(_comments_of(quarter)))
            history = list(conn.execute(
                sa.select(h.c.journey_id, h.c.kpi_id, *(h.c[k] for k in HISTORY_COLUMNS))
                .where(h.c.quarter == quarter).order_by(h.c.id)))
            closed = conn.execute(sa.select(s.c.payload, c.c.closed_by, c.c.closed_at)
                                  .join_from(c, s, c.c.snapshot_id == s.c.id).where(c.c.quarter == quarter)
                                  ).first()
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(_store_message(engine, exc, writing=False)) from None
    histories: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in history:  # oldest first
        histories.setdefault((row[0], row[1]), []).append(tuple(row[2:]))
    return QuarterState(
        _comments_as_frame(comments), {(r.journey_id, r.kpi_id): Comment(**r._asdict()) for r in comments},
        histories, None if closed is None else _snapshot(closed.payload, closed.closed_by, closed.closed_at))


def comment_history(engine: sa.Engine, quarter: str, journey_id: str,
                    kpi_id: str = JOURNEY_COMMENT) -> pd.DataFrame:
    """Every saved version of one comment, oldest first."""
    h = COMMENT_HISTORY
    columns = list(HISTORY_COLUMNS)
    rows = _reading(engine, sa.select(*(h.c[c] for c in columns)).where(
        h.c.quarter == quarter, h.c.journey_id == journey_id, h.c.kpi_id == kpi_id).order_by(h.c.id))
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def current_comment(engine: sa.Engine, quarter: str, journey_id: str,
                    kpi_id: str = JOURNEY_COMMENT) -> Comment | None:
    rows = _reading(engine, sa.select(COMMENTS).where(
        COMMENTS.c.quarter == quarter, COMMENTS.c.journey_id == journey_id, COMMENTS.c.kpi_id == kpi_id))
    return Comment(**rows[0]._asdict()) if rows else None


def save_comment(
    engine: sa.Engine, quarter: str, journey_id: str, kpi_id: str, text: str, author: str,
    based_on_version: int, now: dt.datetime, decision: bool = False,
) -> Comment:
    """Save a comment if nobody saved it since ``based_on_version`` (0 = a new comment);
    ``decision`` marks it as a decision or action needed.

    Raises ReviewConflict (nothing written) when someone else saved first, QuarterClosedError
    when the quarter is closed, StateStoreError when the store cannot be written.
    """
    saved = Comment(quarter, journey_id, kpi_id, text, author.strip() or "anonymous", stamp(now),
                    based_on_version + 1, bool(decision))
    values = {k: getattr(saved, k) for k in ("text", "author", "saved_at", "version", "decision")}
    key = (COMMENTS.c.quarter == quarter, COMMENTS.c.journey_id == journey_id, COMMENTS.c.kpi_id == kpi_id)
    try:
        with _quarter_turn(engine, quarter) as conn:
            closed = _closed_row(conn, quarter)
            if closed is not None:
                raise _closed_error(closed)
            if based_on_version == 0:
                conn.execute(COMMENTS.insert().values(quarter=quarter, journey_id=journey_id,
                                                      kpi_id=kpi_id, **values))
            elif conn.execute(COMMENTS.update().where(*key, COMMENTS.c.version == based_on_version)
                              .values(**values)).rowcount != 1:
                raise _conflict(conn, key, based_on_version)
            conn.execute(COMMENT_HISTORY.insert().values(quarter=quarter, journey_id=journey_id,
                                                         kpi_id=kpi_id, **values))
            conn.execute(AUDIT.insert().values(at=saved.saved_at, who=saved.author, action=COMMENT_SAVED,
                                               quarter=quarter, journey_id=journey_id, kpi_id=kpi_id,
                                               detail=VERSION_DETAIL.format(number=saved.version)))
    except sa.exc.IntegrityError:
        with engine.connect() as conn:
            raise _conflict(conn, key, based_on_version) from None
    return saved


def _conflict(conn: sa.Connection, key: tuple[Any, ...], based_on: int) -> ReviewConflict:
    row = conn.execute(sa.select(COMMENTS.c.author, COMMENTS.c.saved_at, COMMENTS.c.version)
                       .where(*key)).first()
    if row is None:
        return ReviewConflict(tr("This comment was removed since you loaded it; reload the page."))
    return ReviewConflict(tr(
        "{author} saved this comment at {saved_at} (version {version}; yours was based on version "
        "{based_on}); reload and merge. Your text was not saved, copy it before reloading."
    ).format(author=row.author, saved_at=row.saved_at, version=row.version, based_on=based_on))


def _closed_error(closed: sa.Row[Any]) -> QuarterClosedError:
    return QuarterClosedError(tr(
        "{quarter} was closed by {who} at {when}, so your comment was not saved and is not in the closed "
        "quarter's snapshot. Copy your text; to add it, reopen the quarter first."
    ).format(quarter=closed.quarter, who=closed.closed_by, when=closed.closed_at))


def _closed_row(conn: sa.Connection, quarter: str) -> sa.Row[Any] | None:
    return conn.execute(sa.select(CLOSED_QUARTERS).where(CLOSED_QUARTERS.c.quarter == quarter)).first()


def close_quarter(engine: sa.Engine, quarter: str, payload_with: Callable[[pd.DataFrame], dict[str, Any]],
                  closed_by: str, now: dt.datetime) -> int:
    """Mark the quarter closed and store its snapshot; ReviewConflict if it already is closed.

    ``payload_with`` builds the snapshot from the quarter's comments, read in the same transaction
    (holding the quarter's turn), so no save can land between reading them and closing.
    """
    when, who = stamp(now), closed_by.strip() or "anonymous"
    with _quarter_turn(engine, quarter) as conn:
        closed = _closed_row(conn, quarter)
        if closed is not None:
            raise ReviewConflict(tr("{quarter} was already closed by {who} at {when}; reopen it first to "
                                    "close it again.").format(quarter=quarter, who=closed.closed_by,
                                                              when=closed.closed_at))
        payload = payload_with(_comments_as_frame(list(conn.execute(_comments_of(quarter)))))
        inserted = conn.execute(SNAPSHOTS.insert().values(
            quarter=quarter, closed_by=who, closed_at=when, payload=json.dumps(payload, allow_nan=False)
        )).inserted_primary_key
        assert inserted is not None
        snapshot_id = inserted[0]
        conn.execute(CLOSED_QUARTERS.insert().values(quarter=quarter, snapshot_id=snapshot_id,
                                                     closed_by=who, closed_at=when))
        conn.execute(AUDIT.insert().values(at=when, who=who, action=QUARTER_CLOSED, quarter=quarter,
                                           detail=SNAPSHOT_DETAIL.format(number=snapshot_id)))
    return int(snapshot_id)


def reopen_quarter(engine: sa.Engine, quarter: str, reopened_by: str, now: dt.datetime) -> None:
    """Reopen a closed quarter; its snapshot stays in review_snapshots for the record."""
    with _quarter_turn(engine, quarter) as conn:
        row = _closed_row(conn, quarter)
        if row is None:
            raise ReviewConflict(
                tr("{quarter} is not closed, so there is nothing to reopen.").format(quarter=quarter))
        who, when = reopened_by.strip() or "anonymous", stamp(now)
        conn.execute(SNAPSHOTS.update().where(SNAPSHOTS.c.id == row.snapshot_id).values(
            reopened_by=who, reopened_at=when))
        conn.execute(AUDIT.insert().values(at=when, who=who, action=QUARTER_REOPENED, quarter=quarter,
                                           detail=SNAPSHOT_KEPT_DETAIL.format(number=row.snapshot_id)))
        conn.execute(CLOSED_QUARTERS.delete().where(CLOSED_QUARTERS.c.quarter == quarter))


def closed_snapshot(engine: sa.Engine, quarter: str) -> dict[str, Any] | None:
    """The payload of the quarter's snapshot with closed_by and closed_at, or None when open."""
    c, s = CLOSED_QUARTERS, SNAPSHOTS
    rows = _reading(engine, sa.select(s.c.payload, c.c.closed_by, c.c.closed_at)
                    .join_from(c, s, c.c.snapshot_id == s.c.id).where(c.c.quarter == quarter))
    return _snapshot(rows[0].payload, rows[0].closed_by, rows[0].closed_at) if rows else None


def _snapshot(payload: str, closed_by: str, closed_at: str) -> dict[str, Any]:
    return {**json.loads(payload), "closed_by": closed_by, "closed_at": closed_at}


def closed_quarters(engine: sa.Engine) -> dict[str, tuple[str, str]]:
    """quarter -> (closed_by, closed_at) for every closed quarter."""
    rows = _reading(engine, sa.select(CLOSED_QUARTERS.c.quarter, CLOSED_QUARTERS.c.closed_by,
                                      CLOSED_QUARTERS.c.closed_at))
    return {r.quarter: (r.closed_by, r.closed_at) for r in rows}


def audit_log(engine: sa.Engine, quarter: str | None = None) -> pd.DataFrame:
    """Every recorded change, newest first (of one quarter, when given): at, who, action, quarter,
    journey_id, kpi_id, detail."""
    statement = sa.select(AUDIT.c.at, AUDIT.c.who, AUDIT.c.action, AUDIT.c.quarter, AUDIT.c.journey_id,
                          AUDIT.c.kpi_id, AUDIT.c.detail).order_by(AUDIT.c.id.desc())
    if quarter is not None:
        statement = statement.where(AUDIT.c.quarter == quarter)
    rows = _reading(engine, statement)
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["at", "who", "action", "quarter", "journey_id", "kpi_id", "detail"])
