"""The quarterly review page in AppTest, on the hand-sized warehouse and a real state store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.status import STATUS_COLOURS, Status
from review.store import comment_frame, open_review_store, save_comment
from tests.test_review_fixtures import build_review_warehouse

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    state_url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv("MOT_WAREHOUSE_URL", build_review_warehouse(tmp_path / "warehouse.sqlite"))
    monkeypatch.setenv("MOT_STATE_URL", state_url)
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    return state_url


def _review_page() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.switch_page(str(REPO / "pages" / "review.py"))
    at.query_params["quarter"] = "2026Q3"
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_shows_each_journey_and_saves_a_comment(app_env: str) -> None:
    at = _review_page()
    assert at.title[0].value == "Quarterly review 2026Q3"
    assert [t.label for t in at.tabs] == ["Buy a contract", "Move house"]
    ranking = at.dataframe[0].value  # the executive summary's ranking comes first
    assert list(ranking["Journey"]) == ["Buy a contract", "Move house"]  # health 70, then 40
    # each score a label in its status colour (at risk, off target)
    assert [list(score) for score in ranking["Review score"]] == [["70"], ["40"]]
    score_colours = json.loads(at.dataframe[0].proto.columns)["Review score"]["type_config"]["options"]
    assert score_colours == [{"value": "70", "color": STATUS_COLOURS[Status.AT_RISK]},
                             {"value": "40", "color": STATUS_COLOURS[Status.OFF_TARGET]}]
    table = at.dataframe[1].value
    assert "Conversion rate" in set(table["Figure"]) and "25.0%" in set(table["This quarter"])
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert [c["title"]["text"] for c in charts] == ["Buy a contract: KPIs and budget against target",
                                                    "Move house: KPIs and budget against target"]
    assert all(len(c["layer"]) == 6 and c["data"]["name"].startswith("data-") for c in charts)
    at.text_input(key="review_author").input("Ana").run()
    at.text_area(key="text_2026Q3_buy_").input("Hire two store advisers.")
    at.checkbox(key="decision_2026Q3_buy_").check()
    next(b for b in at.button if b.label == "Save comment").click().run()
    assert not at.exception, at.exception
    saved = comment_frame(open_review_store(app_env), "2026Q3")
    assert saved[["journey_id", "text", "author", "version", "decision"]].values.tolist() == [
        ["buy", "Hire two store advisers.", "Ana", 1, True]]
    # the decision is listed in the summary from the next run on (the summary is drawn before the box)
    at.run()
    assert any("Hire two store advisers\\." in m.value for m in at.markdown if "Decisions" in m.value)


def test_presentation_mode_steps_through_journeys(app_env: str) -> None:
    at = _review_page()
    next(b for b in at.button if b.label == "Presentation").click().run()
    assert not at.exception, at.exception
    # no controls but the steps: no quarter choice, no name, no tabs, no tables
    assert not at.selectbox and not at.text_input and not at.tabs and not at.dataframe
    assert {b.label for b in at.button} == {"← Back", "Next →", "Leave"}
    assert any("Journeys ranked by review score" in m.value for m in at.markdown)  # the summary first
    next(b for b in at.button if b.label == "Next →").click().run()
    assert any("Buy a contract — 2026Q3" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Next →").click().run()
    assert any("Move house — 2026Q3" in m.value for m in at.markdown)
    assert any("Screen 3 of 3" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Leave").click().run()
    assert at.title[0].value == "Quarterly review 2026Q3"


def test_a_comment_typed_while_someone_closes_the_quarter_is_given_back(app_env: str) -> None:
    # Ana types; Ben closes the quarter in his own session before Ana saves (as on two replicas).
    ana, ben = _review_page(), _review_page()
    ana.text_input(key="review_author").input("Ana").run()
    ana.text_area(key="text_2026Q3_buy_").input("Hire two **store** advisers.")
    ben.text_input(key="review_author").input("Ben").run()
    next(b for b in ben.button if b.label == "Close quarter").click().run()
    assert not ben.exception, ben.exception
    next(b for b in ana.button if b.label == "Save comment").click().run()
    assert not ana.exception, ana.exception
    # not saved, and said so; the text comes back as literal text to copy, until dismissed
    assert comment_frame(open_review_store(app_env), "2026Q3").empty
    assert any("closed before your comment" in w.value for w in ana.warning)
    assert [c.value for c in ana.code] == ["Hire two **store** advisers."]
    ana.run()
    assert [c.value for c in ana.code] == ["Hire two **store** advisers."]
    next(b for b in ana.button if b.label == "Dismiss").click().run()
    assert not ana.code and not any("closed before your comment" in w.value for w in ana.warning)


def test_saves_show_at_once_in_this_session_and_on_the_next_run_in_others(app_env: str) -> None:
    # The quarter's comments are read once per run and kept while the store's version stays.
    ana, ben = _review_page(), _review_page()
    assert not any(e.label == "History of this comment" for e in ana.expander)  # nothing saved yet
    ana.text_input(key="review_author").input("Ana").run()
    ana.text_area(key="text_2026Q3_buy_").input("Hire two store advisers.")
    ana.checkbox(key="decision_2026Q3_buy_").check()
    next(b for b in ana.button if b.label == "Save comment").click().run()
    assert not ana.exception, ana.exception
    # in the run that saved it: its history and the decision to turn into an action
    assert any("Decision by Ana" in e.label and "Hire two store advisers" in e.label for e in ana.expander)
    assert any(e.label == "History of this comment" for e in ana.expander)
    ben.run()  # Ben's session, opened before the save, sees it on its next run
    assert any("Last saved by Ana" in c.value and "(version 1)" in c.value for c in ben.caption)
    assert any("Decision by Ana" in e.label and "Hire two store advisers" in e.label for e in ben.expander)
    save_comment(open_review_store(app_env), "2026Q3", "buy", "", "Hiring is on hold.", "Ben",
                 1, dt.datetime(2026, 10, 6, tzinfo=dt.UTC))  # saved elsewhere (a replica, the CLI)
    ana.run()
    assert any("Last saved by Ben" in c.value and "(version 2)" in c.value for c in ana.caption)
    assert not any("Decision by Ana" in e.label for e in ana.expander)


def test_a_store_turning_unreadable_is_an_error_not_the_kept_comments(app_env: str, tmp_path: Path) -> None:
    save_comment(open_review_store(app_env), "2026Q3", "buy", "", "Hire two store advisers.", "Ana", 0,
                 dt.datetime(2026, 10, 6, tzinfo=dt.UTC))
    at = _review_page()
    assert any("Last saved by Ana" in c.value for c in at.caption)
    for name in ("state.sqlite", "state.sqlite-wal", "state.sqlite-shm"):  # overwritten in place
        if (tmp_path / name).exists():
            with open(tmp_path / name, "r+b") as damaged:
                damaged.write(b"not a database at all" * 200)
    at.run()
    assert not at.exception, at.exception
    assert any("Cannot read the review store" in e.value for e in at.error)
    assert not any("Last saved by Ana" in c.value for c in at.caption) and not at.tabs
