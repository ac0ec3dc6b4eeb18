"""The quarterly pack in German (MOT_LANGUAGE=de): the PDF and the slides, read back, hold no English
but data, for an open quarter and for a quarter closed in English (its snapshot stores figure names
and trust reasons in English; they are put into words when the pack is written).

Data keeps its language: journey, touchpoint and KPI names, owners' names and comments are taken
out before looking for English words (tests/german.py), as tests/test_german_pages.py does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from metrics.formatting import set_language
from review.chart_spec import bullet_chart_spec
from review.exports import export_pack
from review.exports.layout import journey_plans
from review.frozen import QuarterReview, close_with_snapshot, quarter_review
from review.quarters import parse_quarter
from review.store import open_review_store, save_comment
from tests.german import _chart_titles, english_left
from tests.test_review_fixtures import (  # noqa: F401 - pytest fixtures
    change_fact,
    review_frames,
    review_registry,
    review_warehouse_url,
    review_wh,
    state_url,
)

GENERATED = dt.datetime(2026, 10, 6, 8, 15, tzinfo=dt.UTC)
SAVED = dt.datetime(2026, 10, 2, 12, 0, tzinfo=dt.UTC)
REPO = Path(__file__).resolve().parent.parent
COMMENT = "Hotline wait times are the cause."
DECISION = "Hire two hotline agents."
GERMAN_WORDS = frozenset({"der", "die", "das", "und", "mit", "für", "nicht", "keine", "ist", "sind", "des",
                          "von", "gegen", "dieses"})


def data_strings() -> set[str]:
    """Every text value of the review fixture warehouse, and the comments and names of the test."""
    values: set[str] = {COMMENT, DECISION, "Ben", "Ana"}
    for frame in review_frames().values():
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                values.update(str(v) for v in frame[column].dropna().unique())
    return values


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")  # the language is process-wide: later tests read English again


def _with_decision(review: QuarterReview) -> QuarterReview:
    comments = pd.concat([review.figures.comments, pd.DataFrame([{
        "quarter": "2026Q3", "journey_id": "move", "kpi_id": "", "text": DECISION,
        "author": "Ben", "saved_at": "2026-10-03T09:00:00+00:00", "version": 1, "decision": True}])],
        ignore_index=True)
    return replace(review, figures=replace(review.figures, comments=comments))


def _open_review(review_wh, review_registry, state_url: str) -> QuarterReview:  # noqa: F811
    store = open_review_store(state_url)
    save_comment(store, "2026Q3", "move", "csat", COMMENT, "Ben", 0, SAVED)
    return _with_decision(quarter_review(review_wh, review_registry, store, parse_quarter("2026Q3")))


def _closed_review(review_wh, review_registry, review_warehouse_url: str,  # noqa: F811
                   state_url: str) -> QuarterReview:  # noqa: F811
    """2026Q3 closed in English, then the warehouse changes: the frozen figures and a note on them."""
    store = open_review_store(state_url)
    save_comment(store, "2026Q3", "move", "csat", COMMENT, "Ben", 0, SAVED)
    set_language("en")
    close_with_snapshot(review_wh, review_registry, store, parse_quarter("2026Q3"), "Ana",
                        dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC))
    change_fact(review_warehouse_url, "tp_move_call", "csat", 400.0)
    set_language("de")
    review = quarter_review(review_wh, review_registry, store, parse_quarter("2026Q3"))
    assert review.is_closed and review.live_differences is not None and len(review.live_differences)
    return review


def _pdf_texts(path: Path) -> list[tuple[str, str]]:
    return [("pdf page", page.extract_text()) for page in PdfReader(path).pages]


def _pptx_texts(path: Path) -> list[tuple[str, str]]:
    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(("slide text", shape.text_frame.text))
            if shape.has_table:
                texts += [("slide table", cell.text) for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            texts.append(("slide notes", slide.notes_slide.notes_text_frame.text))
    return texts


def _chart_texts(review: QuarterReview) -> list[tuple[str, str]]:
    """The words drawn into the charts (the PDF and the slides hold them as pictures)."""
    return [("chart", text) for plan in journey_plans(review)
            for text in _chart_titles(bullet_chart_spec(plan.figures, ""))]


def _assert_german(texts: list[tuple[str, str]]) -> None:
    left = english_left(texts, data_strings())
    assert not left, "English left in the German pack:\n" + "\n".join(
        f"  [{kind}] {text!r}: {words}" for kind, text, words in left)
    words = {w.lower() for _, text in texts for w in text.split()}
    assert words & GERMAN_WORDS, "the pack shows no German at all"


@pytest.mark.usefixtures("german")
def test_pdf_and_slides_of_an_open_quarter_are_german(review_wh, review_registry, state_url: str,  # noqa: F811
                                                      tmp_path: Path) -> None:
    review = _open_review(review_wh, review_registry, state_url)
    pdf = _pdf_texts(export_pack(review, "pdf", tmp_path / "pack.pdf", GENERATED))
    slides = _pptx_texts(export_pack(review, "pptx", tmp_path / "pack.pptx", GENERATED))
    _assert_german(pdf + slides + _chart_texts(review))
    first = " ".join(pdf[0][1].split())
    assert "Quartalsreview 2026Q3: Management-Zusammenfassung" in first
    assert "Erfolge" in first and "Entscheidungen und nötige Maßnahmen" in first and DECISION in first
    assert "Budget Ist (gegen Plan)" in " ".join(text for _, text in pdf)
    assert any(text == "Vertrauen" for _, text in slides) and any(text == "Ungeprüft" for _, text in slides)


@pytest.mark.usefixtures("german")
def test_a_quarter_closed_in_english_exports_in_german(review_wh, review_registry,  # noqa: F811
                                                       review_warehouse_url: str, state_url: str,  # noqa: F811
                                                       tmp_path: Path) -> None:
    review = _closed_review(review_wh, review_registry, review_warehouse_url, state_url)
    pdf = _pdf_texts(export_pack(review, "pdf", tmp_path / "pack.pdf", GENERATED))
    slides = _pptx_texts(export_pack(review, "pptx", tmp_path / "pack.pptx", GENERATED))
    _assert_german(pdf + slides + _chart_texts(review))
    words = " ".join(" ".join(text.split()) for _, text in pdf + slides)
    assert "Abgeschlossenes Quartal: Kennzahlen eingefroren von Ana" in words
    assert "Momente der Wahrheit im Ziel" in words and "Ungeprüft: Es ist noch keine" in words


@pytest.mark.usefixtures("german")
def test_csv_headings_are_german_and_keys_on_request(review_wh, review_registry, state_url: str,  # noqa: F811
                                                     tmp_path: Path) -> None:
    from review.exports.csv import CSV_COLUMNS, CSV_HEADINGS

    assert CSV_HEADINGS == CSV_COLUMNS  # each key is its own English heading: the English file is unchanged
    review = _open_review(review_wh, review_registry, state_url)
    headings = pd.read_csv(export_pack(review, "csv", tmp_path / "pack.csv", GENERATED)).columns
    assert list(headings[:6]) == ["Quartal", "Quelle", "Erstellt am", "Journey-ID", "Journey", "Abschnitt"]
    assert not english_left([("csv heading", h) for h in headings], data_strings())
    keys = pd.read_csv(export_pack(review, "csv", tmp_path / "keys.csv", GENERATED, csv_keys=True)).columns
    assert list(keys) == list(CSV_COLUMNS)


def test_english_is_back_after_the_german_packs(review_wh, review_registry, state_url: str,  # noqa: F811
                                                tmp_path: Path) -> None:
    """The language is reset: the same pack reads English again (byte-identical wording)."""
    review = _open_review(review_wh, review_registry, state_url)
    pages = [page.extract_text() for page in PdfReader(export_pack(review, "pdf", tmp_path / "p.pdf",
                                                                   GENERATED)).pages]
    assert "Quarterly review 2026Q3: executive summary" in pages[0]
    assert "Decisions and actions needed" in pages[0]


def test_presentation_mode_in_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every screen of presentation mode, in German: no English left in the main area but data (the
    sidebar, hidden there, is the app shell's)."""
    import types

    from streamlit.testing.v1 import AppTest

    from tests.german import shown_texts
    from tests.test_review_fixtures import build_review_warehouse
    from ui.caching import clear_data

    monkeypatch.setenv("MOT_WAREHOUSE_URL", build_review_warehouse(tmp_path / "warehouse.sqlite"))
    monkeypatch.setenv("MOT_STATE_URL", f"sqlite:///{tmp_path / 'state.sqlite'}")
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOT_LANGUAGE", "de")
    clear_data()
    try:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        at.switch_page(str(REPO / "pages" / "review.py"))
        at.query_params["quarter"] = "2026Q3"
        at.query_params["present"] = "true"
        texts: list[tuple[str, str]] = []
        for slide in ("1", "2", "3"):
            at.query_params["slide"] = slide
            at.run()
            assert not at.exception, at.exception
            texts += shown_texts(types.SimpleNamespace(_tree=at.main))  # type: ignore[arg-type]
        _assert_german(texts)
        assert any("Bildschirm 3 von 3" in text for _, text in texts)
        assert {b.label for b in at.button} == {"← Zurück", "Weiter →", "Beenden"}
    finally:
        set_language("en")
        clear_data()
