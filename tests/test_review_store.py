"""Review state: comments with optimistic concurrency and history, closed quarters, bad stores."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.state import StateStoreError
from review.formatting import differences_table, history_table
from review.frozen import close_with_snapshot, quarter_review
from review.quarters import parse_quarter
from review.store import (
    QuarterClosedError,
    ReviewConflict,
    closed_snapshot,
    comment_frame,
    comment_history,
    current_comment,
    open_review_store,
    quarter_state,
    quarter_version,
    reopen_quarter,
    save_comment,
)
from tests.test_review_fixtures import (  # noqa: F401 - pytest fixtures
    change_fact,
    review_registry,
    review_warehouse_url,
    review_wh,
    state_url,
)

T1 = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 10, 5, 9, 31, tzinfo=dt.UTC)


def test_second_save_based_on_the_same_version_is_refused_naming_the_first(state_url: str) -> None:  # noqa: F811
    store = open_review_store(state_url)
    first = save_comment(store, "2026Q3", "buy", "csat", "CSAT dipped in August.", "Ana", 0, T1)
    assert first.version == 1
    ana = save_comment(store, "2026Q3", "buy", "csat", "CSAT dipped; store staff short.", "Ana", 1, T2)
    with pytest.raises(ReviewConflict) as refused:
        save_comment(store, "2026Q3", "buy", "csat", "Ben's view", "Ben", 1, T2)
    message = str(refused.value)
    assert "Ana saved this comment at 2026-10-05T09:31:00+00:00" in message
    assert "reload and merge" in message
    current = comment_frame(store, "2026Q3").iloc[0]
    assert (current["text"], current["author"], current["version"]) == (ana.text, "Ana", 2)


def test_two_people_creating_the_same_comment_at_once_one_wins(state_url: str) -> None:  # noqa: F811
    open_review_store(state_url).dispose()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(author: str) -> None:
        store = open_review_store(state_url)  # each person has their own connection
        barrier.wait()
        try:
            save_comment(store, "2026Q3", "move", "", f"{author}'s summary", author, 0, T1)
            outcomes.append("saved")
        except ReviewConflict as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Ana", "Ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "saved" and outcomes.count("saved") == 1
    refused = next(o for o in outcomes if o != "saved")
    assert "saved this comment at" in refused and "reload and merge" in refused


def test_every_edit_is_kept_in_the_history(state_url: str) -> None:  # noqa: F811
    store = open_review_store(state_url)
    save_comment(store, "2026Q3", "buy", "", "first", "Ana", 0, T1)
    save_comment(store, "2026Q3", "buy", "", "second", "Ben", 1, T2)
    history = comment_history(store, "2026Q3", "buy")
    rows = history[["version", "text", "author"]].values.tolist()
    assert rows == [[1, "first", "Ana"], [2, "second", "Ben"]]


def test_closed_quarter_keeps_its_figures_after_the_warehouse_changes(
    review_wh, review_registry, review_warehouse_url: str, state_url: str  # noqa: F811
) -> None:
    store = open_review_store(state_url)
    quarter = parse_quarter("2026Q3")
    save_comment(store, "2026Q3", "buy", "csat", "Watch the store.", "Ana", 0, T1)
    before = quarter_review(review_wh, review_registry, store, quarter).figures.figures
    close_with_snapshot(review_wh, review_registry, store, quarter, "Ana", T2)

    change_fact(review_warehouse_url, "tp_buy_web", "csat", 100.0)  # CSAT of buy collapses

    after = quarter_review(review_wh, review_registry, store, quarter)
    assert after.is_closed and after.figures.closed_by == "Ana"
    pd.testing.assert_frame_equal(after.figures.figures, before)
    assert after.figures.comments["text"].tolist() == ["Watch the store."]
    changed = after.live_differences
    assert changed is not None and len(changed) > 0
    buy_csat = changed[(changed["journey_id"] == "buy") & (changed["figure_id"] == "csat")
                       & (changed["section"] == "kpi")].iloc[0]
    # frozen (420 + 380) / 200 = 4.0; live (100 + 380) / 200 = 2.4
    assert (buy_csat["frozen_value"], buy_csat["value_live"]) == (4.0, 2.4)
    shown = differences_table(changed, after.figures.figures)  # as the page shows it: text in units
    assert ["Buy a contract", "CSAT", "4.00", "2.40"] in shown.values.tolist()
    assert not shown.isin(["nan", "None"]).any().any()

    refused = "2026Q3 was closed by Ana at 2026-10-05T09:31:00\\+00:00, so your comment was not saved"
    with pytest.raises(QuarterClosedError, match=refused):
        save_comment(store, "2026Q3", "buy", "csat", "late edit", "Ben", 1, T2)
    assert comment_frame(store, "2026Q3")["text"].tolist() == ["Watch the store."]

    reopen_quarter(store, "2026Q3", "Ana", T2)
    reopened = quarter_review(review_wh, review_registry, store, quarter)
    assert not reopened.is_closed
    live_csat = reopened.figures.figures.query(
        "journey_id == 'buy' and section == 'kpi' and figure_id == 'csat'")
    assert live_csat["value"].iloc[0] == pytest.approx(2.4)


def test_closing_twice_is_refused_with_who_closed(review_wh, review_registry, state_url: str) -> None:  # noqa: F811
    store = open_review_store(state_url)
    close_with_snapshot(review_wh, review_registry, store, parse_quarter("2026Q3"), "Ana", T1)
    with pytest.raises(ReviewConflict, match="already closed by Ana"):
        close_with_snapshot(review_wh, review_registry, store, parse_quarter("2026Q3"), "Ben", T2)
    with pytest.raises(ReviewConflict, match="not closed"):
        reopen_quarter(store, "2026Q2", "Ben", T2)


def test_read_only_store_refuses_saves_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a URI-form URL must not create a "file:" folder where we run
    path = tmp_path / "state.sqlite"
    open_review_store(f"sqlite:///{path}").dispose()
    read_only = open_review_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    expected = "readonly database. Nothing was changed. Check that MOT_STATE_URL"
    with pytest.raises(StateStoreError, match=expected):
        save_comment(read_only, "2026Q3", "buy", "", "text", "Ana", 0, T1)
    assert not (tmp_path / "file:").exists()


def test_unreachable_store_says_what_to_check() -> None:
    with pytest.raises(StateStoreError, match="Check MOT_STATE_URL"):
        open_review_store("postgresql+psycopg://nobody@127.0.0.1:1/state")


def test_comments_can_be_marked_as_decisions_and_older_stores_gain_the_column(tmp_path: Path) -> None:
    # A store written before decisions existed: its comment tables lack the column.
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = sa.create_engine(url)
    with old.begin() as conn:
        key = "quarter VARCHAR(8) NOT NULL, journey_id VARCHAR(200) NOT NULL, kpi_id VARCHAR(200) NOT NULL"
        said = "text TEXT NOT NULL, author VARCHAR(200) NOT NULL, saved_at VARCHAR(40) NOT NULL"
        conn.exec_driver_sql(f"CREATE TABLE review_comments ({key}, {said}, version INTEGER NOT NULL, "
                             "PRIMARY KEY (quarter, journey_id, kpi_id))")
        conn.exec_driver_sql(f"CREATE TABLE review_comment_history (id INTEGER PRIMARY KEY, {key}, "
                             f"version INTEGER NOT NULL, {said})")
        conn.exec_driver_sql("INSERT INTO review_comments VALUES ('2026Q3', 'buy', '', 'Old note.', 'Ana', "
                             "'2026-10-01T08:00:00+00:00', 1)")
    old.dispose()
    store = open_review_store(url)
    save_comment(store, "2026Q3", "move", "", "Hire two hotline agents by November.", "Ben", 0, T1,
                 decision=True)
    comments = comment_frame(store, "2026Q3").set_index("journey_id")
    assert comments.loc["buy", "text"] == "Old note." and not comments.loc["buy", "decision"]
    assert bool(comments.loc["move", "decision"])
    assert bool(comment_history(store, "2026Q3", "move")["decision"].iloc[0])
    assert history_table(comment_history(store, "2026Q3", "move")).values.tolist() == [
        ["1", "2026-10-05 09:30 UTC", "Ben", "Yes", "Hire two hotline agents by November."]]
    # a later save without the flag takes it back
    save_comment(store, "2026Q3", "move", "", "Hiring is on hold.", "Ben", 1, T2)
    assert not comment_frame(store, "2026Q3").set_index("journey_id").loc["move", "decision"]


def test_one_read_of_the_quarter_holds_what_each_comment_box_read_and_its_version_moves_with_each_change(
    review_wh, review_registry, state_url: str  # noqa: F811
) -> None:
    store = open_review_store(state_url)
    empty = quarter_version(store, "2026Q3")
    save_comment(store, "2026Q3", "buy", "", "first", "Ana", 0, T1)
    save_comment(store, "2026Q3", "buy", "", "second", "Ben", 1, T2, decision=True)
    save_comment(store, "2026Q3", "move", "csat", "CSAT dipped.", "Ana", 0, T1)
    save_comment(store, "2026Q2", "buy", "", "another quarter", "Ana", 0, T1)
    stored = quarter_state(store, "2026Q3")
    pd.testing.assert_frame_equal(stored.comments, comment_frame(store, "2026Q3"))
    for journey_id, kpi_id in (("buy", ""), ("move", "csat"), ("move", ""), ("buy", "csat")):
        assert stored.current(journey_id, kpi_id) == current_comment(store, "2026Q3", journey_id, kpi_id)
        mine = stored.history_of(journey_id, kpi_id)
        read = comment_history(store, "2026Q3", journey_id, kpi_id)
        assert list(mine.columns) == list(read.columns) and mine.values.tolist() == read.values.tolist()
    current = stored.current("buy")
    assert current is not None and type(current.version) is int and current.decision is True
    assert stored.snapshot is None
    # every change of the quarter, and only of the quarter, gives it a new version
    versions = [empty, quarter_version(store, "2026Q3")]
    save_comment(store, "2026Q2", "buy", "", "still another quarter", "Ana", 1, T2)
    assert quarter_version(store, "2026Q3") == versions[-1]
    close_with_snapshot(review_wh, review_registry, store, parse_quarter("2026Q3"), "Ana", T2)
    versions.append(quarter_version(store, "2026Q3"))
    closed = quarter_state(store, "2026Q3")
    assert closed.snapshot == closed_snapshot(store, "2026Q3") and closed.snapshot is not None
    reopen_quarter(store, "2026Q3", "Ben", T2)
    versions.append(quarter_version(store, "2026Q3"))
    assert quarter_state(store, "2026Q3").snapshot is None
    assert len(set(versions)) == len(versions) and versions[0] == (0, 0)
