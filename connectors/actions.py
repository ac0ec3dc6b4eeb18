"""Owners' actions in the app's own store (MOT_STATE_URL): what is done about a touchpoint's KPI.

One table, ``owner_actions``, on its own MetaData (connectors.state). An action names a touchpoint
and a KPI, what is done, who does it, the due date, its status (planned, doing, done, dropped) and
the day it started: the KPI before that day and after it is what shows whether it works
(metrics.action_effects). An action may come from a decision in a quarterly review
(``decision_of`` names the comment). Status changes use optimistic concurrency like review
comments: a change names the version it was based on, and a change in between is refused with who
changed it and when. Times are passed in (ISO 8601 UTC strings), never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from connectors.db_errors import database_reason
from connectors.state import StateStoreError, ensure_tables
from metrics.i18n import N_, tr

__all__ = ["ACTION_COLUMNS", "ACTION_STATUS_TEXT", "ACTION_STATUSES", "action_frame", "action_status_text",
    "ActionConflict", "ActionError", "NewAction", "prepare_action_store", "record_action",
    "set_action_status"]

ACTION_STATUSES: tuple[str, ...] = ("planned", "doing", "done", "dropped")
#: The statuses in words (the stored values are the English keys above).
ACTION_STATUS_TEXT: dict[str, str] = {
    "planned": N_("planned"), "doing": N_("doing"), "done": N_("done"), "dropped": N_("dropped")}
MAX_TEXT = 2000
MAX_NAME = 200

METADATA = sa.MetaData()
ACTIONS = sa.Table(
    "owner_actions", METADATA,
    sa.Column("action_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("touchpoint_id", sa.String(200), nullable=False, index=True),
    sa.Column("kpi_id", sa.String(200), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("who", sa.String(MAX_NAME), nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("started", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("decision_of", sa.String(500), nullable=False, server_default=""),
    sa.Column("created_by", sa.String(MAX_NAME), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.String(MAX_NAME), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
ACTION_COLUMNS: tuple[str, ...] = tuple(c.name for c in ACTIONS.c)


class ActionError(ValueError):
    """An action cannot be recorded as entered; the message says what to change. Nothing saved."""


class ActionConflict(RuntimeError):
    """Someone changed the action first; the message says who and when. Nothing saved."""


@dataclass(frozen=True)
class NewAction:
    touchpoint_id: str
    kpi_id: str
    what: str
    who: str
    due: dt.date
    started: dt.date
    status: str = "planned"
    decision_of: str = ""


def action_status_text(status: object) -> str:
    """A stored status in words in the current language ("geplant"); an unknown one as stored."""
    return tr(ACTION_STATUS_TEXT[str(status)]) if str(status) in ACTION_STATUS_TEXT else str(status)


def prepare_action_store(engine: sa.Engine) -> None:
    """Create the actions table when missing; once per engine (connectors.state.ensure_tables)."""
    ensure_tables(engine, METADATA)


def _stamp(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _checked(action: NewAction) -> NewAction:
    what, who = action.what.strip(), action.who.strip()
    problems = []
    if not what:
        problems.append(tr("say what is done (the action is empty)"))
    elif len(what) > MAX_TEXT:
        problems.append(tr("shorten what is done to {limit} characters (it has {length})").format(
            limit=MAX_TEXT, length=len(what)))
    if not who:
        problems.append(tr("name who does it"))
    elif len(who) > MAX_NAME:
        problems.append(tr("shorten the name to {limit} characters").format(limit=MAX_NAME))
    if action.status not in ACTION_STATUSES:
        problems.append(tr("choose a status of {statuses} (not {status})").format(
            statuses=_status_list(), status=repr(action.status)))
    if not action.touchpoint_id or not action.kpi_id:
        problems.append(tr("choose a touchpoint and a KPI"))
    if action.due < action.started:
        problems.append(tr("the due date {due} is before the start {started}").format(
            due=action.due.isoformat(), started=action.started.isoformat()))
    if problems:
        raise ActionError(tr("The action was not saved: {problems}.").format(problems="; ".join(problems)))
    return NewAction(action.touchpoint_id, action.kpi_id, what, who, action.due, action.started,
                     action.status, action.decision_of[:500])


def record_action(engine: sa.Engine, action: NewAction, author: str, now: dt.datetime) -> int:
    """Save a new action; returns its id. ActionError for bad input, StateStoreError when the
    store cannot be written."""
    checked = _checked(action)
    by, when = author.strip()[:MAX_NAME] or "anonymous", _stamp(now)
    values = {**checked.__dict__, "created_by": by, "created_at": when, "updated_by": by,
              "updated_at": when, "version": 1}
    with _writing(engine) as conn:
        inserted = conn.execute(ACTIONS.insert().values(**values)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def set_action_status(engine: sa.Engine, action_id: int, status: str, based_on_version: int, author: str,
                      now: dt.datetime) -> int:
    """Change an action's status if nobody changed it since ``based_on_version``; returns the new
    version. ActionConflict when someone did, ActionError for an unknown status or action."""
    if status not in ACTION_STATUSES:
        raise ActionError(tr("The status was not changed: choose one of {statuses}.").format(
            statuses=_status_list()))
    by = author.strip()[:MAX_NAME] or "anonymous"
    with _writing(engine) as conn:
        changed = conn.execute(
            ACTIONS.update()
            .where(ACTIONS.c.action_id == action_id, ACTIONS.c.version == based_on_version)
            .values(status=status, updated_by=by, updated_at=_stamp(now), version=based_on_version + 1)
        ).rowcount
        if changed != 1:
            row = conn.execute(sa.select(ACTIONS.c.updated_by, ACTIONS.c.updated_at, ACTIONS.c.version)
                               .where(ACTIONS.c.action_id == action_id)).first()
            if row is None:
                raise ActionError(
                    tr("There is no action {id} (any more); reload the page.").format(id=action_id))
            raise ActionConflict(
                tr("{author} changed this action at {time} (version {version}; yours was based on version "
                   "{based_on}). Reload the page and set the status again.").format(
                    author=row.updated_by, time=row.updated_at, version=row.version,
                    based_on=based_on_version))
    return based_on_version + 1


#: Touchpoints an action read names in SQL at most; more are picked out after reading.
IN_LIST_LIMIT = 500


def action_frame(engine: sa.Engine, touchpoint_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The actions (of the given touchpoints; None: all), due date first: ACTION_COLUMNS, with
    ``due`` and ``started`` as dates."""
    prepare_action_store(engine)
    statement = sa.select(ACTIONS).order_by(ACTIONS.c.due, ACTIONS.c.action_id)
    # A long list (an owner of thousands of touchpoints) is not sent as one bound parameter each
    # (compiling and binding 14,000 took 30 ms of every My touchpoints run at 100 M rows): the
    # store's actions are few, so they are read and kept here.
    wanted = None if touchpoint_ids is None else set(touchpoint_ids)
    if wanted is not None and len(wanted) <= IN_LIST_LIMIT:
        statement = statement.where(ACTIONS.c.touchpoint_id.in_(sorted(wanted)))
    try:
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(statement)]
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(_message(engine, exc, reading=True)) from None
    if wanted is not None and len(wanted) > IN_LIST_LIMIT:
        at = ACTION_COLUMNS.index("touchpoint_id")
        rows = [r for r in rows if r[at] in wanted]
    frame = pd.DataFrame(rows, columns=list(ACTION_COLUMNS))
    if not rows:  # every column object already; setting them again costs a warm page run milliseconds
        return frame
    for column in ("due", "started"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


@contextmanager
def _writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction; database failures become StateStoreError (nothing changed)."""
    prepare_action_store(engine)
    try:
        with engine.begin() as conn:
            yield conn
    except sa.exc.SQLAlchemyError as exc:
        raise StateStoreError(_message(engine, exc, reading=False)) from None


def _status_list() -> str:
    """The statuses in words, separated by commas."""
    return ", ".join(action_status_text(s) for s in ACTION_STATUSES)


def _message(engine: sa.Engine, exc: sa.exc.SQLAlchemyError, reading: bool) -> str:
    where = engine.url.render_as_string(hide_password=True)
    text = (tr("Cannot read the actions store at {where}: {reason}. Nothing was changed. Check that "
               "MOT_STATE_URL points to a store this app may write to, then try again.") if reading else
            tr("Cannot save to the actions store at {where}: {reason}. Nothing was changed. Check that "
               "MOT_STATE_URL points to a store this app may write to, then try again."))
    return text.format(where=where, reason=database_reason(exc))
