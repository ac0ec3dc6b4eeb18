"""Owners' actions: the store on SQLite and PostgreSQL, bad input, before/after effects, and review
comments marked as decisions (with the migration that adds the column to an older store)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.actions import (
    IN_LIST_LIMIT,
    ActionConflict,
    ActionError,
    NewAction,
    action_frame,
    record_action,
    set_action_status,
)
from connectors.state import StateStoreError, create_state_engine
from metrics.action_effects import action_effects, action_windows
from metrics.model import Period
from metrics.registry import default_registry
from review.actions_section import action_lines, actions_table
from review.store import comment_frame, current_comment, open_review_store, save_comment

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
START, DUE = dt.date(2026, 10, 1), dt.date(2026, 12, 15)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


def test_record_list_and_change_status(store_url: str) -> None:
    engine = create_state_engine(store_url)
    touchpoint = f"tp_{uuid.uuid4().hex[:8]}"  # the PostgreSQL store is shared by the session
    try:
        new = NewAction(touchpoint, "first_contact_resolution", "  Second-level team on the hotline  ",
                        "Sofia", DUE, START)
        action_id = record_action(engine, new, "Sofia", NOW)
        frame = action_frame(engine, (touchpoint,))
        row = frame.iloc[0]
        assert (row["action_id"], row["what"], row["status"], row["due"], row["started"], row["version"]) == (
            action_id, "Second-level team on the hotline", "planned", DUE, START, 1)
        assert set_action_status(engine, action_id, "doing", 1, "Sofia", NOW) == 2
        with pytest.raises(ActionConflict, match="Sofia changed this action"):
            set_action_status(engine, action_id, "dropped", 1, "Ben", NOW)
        assert action_frame(engine, (touchpoint,)).iloc[0]["status"] == "doing"
        assert action_frame(engine, ("nobody",)).empty
    finally:
        engine.dispose()


def test_bad_input_says_what_to_change_and_saves_nothing(tmp_path: Path) -> None:
    engine = create_state_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")
    bad = NewAction("tp", "csat", "  ", "", dt.date(2026, 9, 1), START, status="someday")
    with pytest.raises(ActionError) as caught:
        record_action(engine, bad, "x", NOW)
    message = str(caught.value)
    for part in ("say what is done", "name who does it", "choose a status", "is before the start"):
        assert part in message
    assert action_frame(engine).empty
    with pytest.raises(ActionError, match="no action 99"):
        set_action_status(engine, 99, "done", 1, "x", NOW)
    engine.dispose()


def test_an_unwritable_store_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    engine = create_state_engine(f"sqlite:///{tmp_path / 'store'}")  # a folder, not a file
    with pytest.raises(StateStoreError, match="MOT_STATE_URL"):
        record_action(engine, NewAction("tp", "csat", "x", "y", DUE, START), "x", NOW)
    engine.dispose()


def test_windows_are_equal_length_before_and_after() -> None:
    before, after = action_windows(dt.date(2026, 10, 1), as_of=dt.date(2026, 10, 30))
    assert after == Period(dt.date(2026, 10, 1), dt.date(2026, 10, 30))
    assert before == Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    before, after = action_windows(dt.date(2026, 12, 1), as_of=dt.date(2026, 11, 30))
    assert after is None and before.end == dt.date(2026, 11, 30)


def _judged(action_id: int, value: float, status: str) -> dict[str, object]:
    return {"action_id": action_id, "value": value, "target": 77.0, "tolerance": 2.0, "gap": value - 77.0,
            "status": status, "status_text": status, "period_start": pd.Timestamp("2026-09-01"),
            "period_end": pd.Timestamp("2026-09-30")}


def test_effects_working_worse_unclear_and_too_early() -> None:
    registry = default_registry()
    actions = pd.DataFrame({"action_id": [1, 2, 3, 4], "kpi_id": "first_contact_resolution"})
    before = pd.DataFrame([_judged(1, 0.689, "off_target"), _judged(2, 0.75, "at_risk"),
                           _judged(3, 0.70, "off_target"), _judged(4, 0.70, "off_target")])
    # FCR is a ratio x 100: values 68.9 and 74.0 against 77 with a 2-point band.
    before = before.assign(value=before["value"] * 100, gap=before["value"] * 100 - 77.0)
    after = pd.DataFrame([_judged(1, 74.0, "at_risk"), _judged(2, 71.0, "off_target"),
                          _judged(3, 70.5, "off_target")])
    effects = action_effects(actions, before, after, registry).set_index("action_id")
    # 1: gap -8.1 -> -3.0 = 2.55 (2.6) bands better; 2: -2 -> -6 = 2 bands worse; 3: 0.25 bands.
    assert effects.loc[1, "effect"] == "working: better against target by 2.6 tolerance widths"
    assert effects.loc[2, "effect"].startswith("worse: further from target by 2.0")
    assert effects.loc[3, "effect"] == "no clear change yet"
    assert effects.loc[4, "effect"].startswith("too early")
    assert effects.loc[1, "before_text"].startswith("68.9")
    assert effects.loc[4, "after_text"] == "not started yet"


def test_pack_section_words_each_action_once() -> None:
    actions = pd.DataFrame({
        "action_id": [1], "journey_id": ["fault"], "touchpoint_name": ["Fault hotline"],
        "kpi_name": ["First-contact resolution"], "what": ["Second-level team"], "who": ["Sofia"],
        "due": [DUE], "status": ["doing"], "started": [START], "before_text": ["68.9% (Off target)"],
        "after_text": ["74.0% (At risk)"], "target_text": ["77.0%"], "effect": ["working"],
    })
    table = actions_table(actions, "fault")
    assert list(table.columns)[:3] == ["Touchpoint", "KPI", "Action"]
    (line,) = action_lines(actions, "fault")
    assert "Before the start" in line and "68.9% (Off target)" in line and "74.0% (At risk)" in line
    assert action_lines(actions, "buy") == []


def test_review_comments_gain_the_decision_column_on_an_old_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = sa.create_engine(url)
    with old.begin() as conn:  # review_comments as stores made before decisions had it
        conn.exec_driver_sql("CREATE TABLE review_comments (quarter VARCHAR(8) NOT NULL, journey_id "
                             "VARCHAR(200) NOT NULL, kpi_id VARCHAR(200) NOT NULL, text TEXT NOT NULL, "
                             "author VARCHAR(200) NOT NULL, saved_at VARCHAR(40) NOT NULL, version INTEGER "
                             "NOT NULL, PRIMARY KEY (quarter, journey_id, kpi_id))")
        conn.exec_driver_sql("INSERT INTO review_comments VALUES ('2026Q3', 'fault', '', 'Old note', 'Ana', "
                             "'2026-10-01T00:00:00+00:00', 1)")
    old.dispose()
    store = open_review_store(url)
    try:
        assert comment_frame(store, "2026Q3")["decision"].tolist() == [False]
        save_comment(store, "2026Q3", "fault", "first_contact_resolution", "Staff the hotline's second level",
                     "Ana", 0, NOW, decision=True)
        current = current_comment(store, "2026Q3", "fault", "first_contact_resolution")
        assert current is not None and current.decision is True
    finally:
        store.dispose()


def test_decisions_are_stored_on_postgresql(postgres_url: str) -> None:
    store = open_review_store(postgres_url)
    journey = f"j_{uuid.uuid4().hex[:8]}"
    try:
        save_comment(store, "2026Q3", journey, "", "Decided: hotline second level", "Ana", 0, NOW,
                     decision=True)
        save_comment(store, "2026Q3", journey, "csat", "Just a note", "Ana", 0, NOW)
        mine = comment_frame(store, "2026Q3").query("journey_id == @journey")
        assert dict(zip(mine["kpi_id"], mine["decision"], strict=True)) == {"": True, "csat": False}
    finally:
        store.dispose()


def test_many_touchpoints_list_the_same_actions_as_few(tmp_path: Path) -> None:
    # More touchpoints than IN_LIST_LIMIT are picked out after reading, not named in SQL.
    engine = create_state_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")
    try:
        for touchpoint in ("tp_a", "tp_b", "tp_c"):
            record_action(engine, NewAction(touchpoint, "csat", f"Fix {touchpoint}", "Sofia", DUE, START),
                          "Sofia", NOW)
        many = ("tp_a", "tp_c", *(f"tp_other_{i}" for i in range(IN_LIST_LIMIT)))
        pd.testing.assert_frame_equal(action_frame(engine, many), action_frame(engine, ("tp_a", "tp_c")))
        assert action_frame(engine, many)["what"].tolist() == ["Fix tp_a", "Fix tp_c"]
        assert action_frame(engine, tuple(f"tp_other_{i}" for i in range(IN_LIST_LIMIT + 1))).empty
    finally:
        engine.dispose()
