"""Closing a quarter races comment saves: no comment confirmed as saved is missing from the snapshot.

Each round uses a fresh quarter. Two people keep saving new comments on it while a third closes it,
all released at once by a barrier. A save either returns (the person sees "Saved") or is refused
with QuarterClosedError; every save that returned must be in the closed quarter's snapshot. Runs on
a SQLite file (WAL, as the app's default store) and on the real PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from review.frozen import close_shown, frame_from_json
from review.pack import QuarterFigures
from review.store import QuarterClosedError, closed_snapshot, open_review_store, save_comment

ROUNDS = 30
SAVERS = ("buy", "move")  # one journey each, so the savers never conflict with each other
MAX_SAVES = 400  # a saver that is never refused stops here (the round then fails on its own)
#: Between two saves of one person. People do not save back to back; without a pause two savers
#: can keep SQLite's write lock busy for seconds while the close sleeps in its busy handler.
PAUSE_S = 0.002
NOW = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        engine = open_review_store(f"sqlite:///{tmp_path / 'state.sqlite'}")
        yield engine
        engine.dispose()
        return
    url = sa.make_url(request.getfixturevalue("postgres_url"))
    schema = f"race_{uuid.uuid4().hex[:8]}"  # its own schema: the server is shared by the session
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    engine = open_review_store(url.update_query_dict({"options": f"-csearch_path={schema}"})
                               .render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(sa.schema.DropSchema(schema, cascade=True))
    admin.dispose()


def _race(store: sa.Engine, quarter: str) -> tuple[int, set[tuple[str, str]], list[str]]:
    """One round: how many saves were confirmed, which of them are missing from the snapshot, and
    any unexpected failure (including a saver never refused, i.e. saving on after the close)."""
    barrier = threading.Barrier(len(SAVERS) + 1)
    # The close starts once a first save has landed, while the savers go on: every round then has
    # saves before the close and saves racing it (on a loaded machine the close could otherwise
    # win every round before any save, and the round would prove nothing).
    first_saved = threading.Event()
    confirmed: list[tuple[str, str]] = []
    problems: list[str] = []
    shown = QuarterFigures(quarter, pd.DataFrame(), pd.DataFrame(), None)

    def save_until_refused(journey_id: str) -> None:
        barrier.wait()
        for i in range(MAX_SAVES):
            try:
                save_comment(store, quarter, journey_id, f"k{i}", f"note {i}", journey_id, 0, NOW)
            except QuarterClosedError:
                return
            except Exception as exc:  # any other failure is a finding of its own
                problems.append(f"save: {exc!r}")
                return
            confirmed.append((journey_id, f"k{i}"))
            first_saved.set()
            time.sleep(PAUSE_S)
        problems.append(f"{journey_id}: {MAX_SAVES} saves and none refused")

    def close() -> None:
        barrier.wait()
        first_saved.wait(timeout=10)
        try:
            close_shown(store, shown, "Closer", NOW)
        except Exception as exc:
            problems.append(f"close: {exc!r}")

    threads = [threading.Thread(target=save_until_refused, args=(j,)) for j in SAVERS]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    snapshot = closed_snapshot(store, quarter)
    if snapshot is None:
        return len(confirmed), set(confirmed), [*problems, "quarter not closed"]
    frozen = frame_from_json(snapshot["comments"])
    in_snapshot = set(zip(frozen["journey_id"], frozen["kpi_id"], strict=True)) if len(frozen) else set()
    return len(confirmed), set(confirmed) - in_snapshot, problems


def test_a_confirmed_comment_is_never_missing_from_the_closed_quarter(store: sa.Engine) -> None:
    missing: dict[str, int] = {}
    problems: list[str] = []
    saved = 0
    for round_number in range(ROUNDS):
        quarter = f"{2000 + round_number}Q1"
        confirmed, lost, failed = _race(store, quarter)
        saved += confirmed
        if lost:
            missing[quarter] = len(lost)
        problems += failed
    assert problems == []
    assert saved > 0  # the race was run: saves landed before the close, later ones were refused
    assert missing == {}, (f"{len(missing)} of {ROUNDS} rounds lost {sum(missing.values())} confirmed "
                           f"comment(s): {missing}")
