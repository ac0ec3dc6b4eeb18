"""The quarterly pack as PDF, PowerPoint and CSV, read back; the CLI; never half-writing a file."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from review.exports import export_pack
from review.exports.csv import CSV_COLUMNS
from review.exports.files import ExportError, write_atomically
from review.exports.pptx import journey_slide_title, summary_slide_title
from review.frozen import QuarterReview, quarter_review
from review.pack import FIGURE_COLUMNS, NUMBER_COLUMNS
from review.quarters import parse_quarter
from review.store import open_review_store, save_comment
from tests.test_review_fixtures import (  # noqa: F401 - pytest fixtures
    review_registry,
    review_warehouse_url,
    review_wh,
    state_url,
)

GENERATED = dt.datetime(2026, 10, 6, 8, 15, tzinfo=dt.UTC)
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def review(review_wh, review_registry, state_url: str) -> QuarterReview:  # noqa: F811
    store = open_review_store(state_url)
    save_comment(store, "2026Q3", "move", "csat", "Hotline wait times are the cause.", "Ben",
                 0, dt.datetime(2026, 10, 2, 12, 0, tzinfo=dt.UTC))
    return quarter_review(review_wh, review_registry, store, parse_quarter("2026Q3"))


def _table_rows(page_text: str) -> int:
    """Rows of the figure table on a PDF page: one status label per row."""
    return sum(page_text.count(label) for label in ("On target", "At risk", "Off target", "No target",
                                                      "No data", "On target?", "Not trusted"))


def test_pdf_opens_with_the_summary_then_each_journey_in_pages_of_at_most_ten_rows(
        review: QuarterReview, tmp_path: Path) -> None:
    review = _with_decision(review)
    path = export_pack(review, "pdf", tmp_path / "pack.pdf", GENERATED)
    pages = [page.extract_text() for page in PdfReader(path).pages]
    first = pages[0]
    assert "executive summary" in first and "Journeys ranked by review score" in first
    for heading in ("Wins", "Issues", "Decisions and actions needed"):
        assert heading in first
    assert "Hire two hotline agents." in first  # the comment marked as a decision
    # health = mean status points of the judged figures. buy: conversion on (1), CSAT at risk (0.5),
    # web shop conversion and CSAT on (1, 1), budget off (0) -> 70; the previous quarter (CSAT off,
    # web shop CSAT at risk) -> 50, so +20. move: 0.5, 0, 0, 1, 0.5 -> 40, previously 20: +20.
    words = " ".join(first.split())
    assert "Buy a contract 70 +20 pts 5 Move house 40 +20 pts 5" in words
    for name in ("Buy a contract", "Move house"):
        journey_pages = [text for text in pages if f"{name} — 2026Q3" in text]
        assert len(journey_pages) >= 2, name  # the chart's page, then the figures
        tables = [text for text in journey_pages if f"{name} — 2026Q3: figures" in text]
        assert tables and all("Unchecked" in t and "Trust" in t for t in tables)
    assert all(_table_rows(text) <= 12 for text in pages[1:])
    assert all("2026Q3" in text and "generated 2026-10-06 08:15 UTC" in text for text in pages)
    assert "Hotline wait times are the cause." in "".join(pages)


def _with_decision(review: QuarterReview) -> QuarterReview:
    comments = pd.concat([review.figures.comments, pd.DataFrame([{
        "quarter": "2026Q3", "journey_id": "move", "kpi_id": "", "text": "Hire two hotline agents.",
        "author": "Ben", "saved_at": "2026-10-03T09:00:00+00:00", "version": 1, "decision": True}])],
        ignore_index=True)
    return replace(review, figures=replace(review.figures, comments=comments))


def test_pptx_is_16_9_opens_with_the_summary_and_has_a_bullet_chart_per_journey(
        review: QuarterReview, tmp_path: Path) -> None:
    path = export_pack(review, "pptx", tmp_path / "pack.pptx", GENERATED)
    deck = Presentation(str(path))
    assert round(deck.slide_width / deck.slide_height, 2) == round(16 / 9, 2)
    slides = list(deck.slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0] == summary_slide_title("2026Q3")
    first = " ".join(shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)
    assert "Wins" in first and "Issues" in first and "Decisions and actions needed" in first
    ranking = next(shape.table for shape in slides[0].shapes if shape.has_table)
    assert ranking.cell(0, 0).text == "Journey" and ranking.cell(0, 1).text == "Review score"
    for name in ("Buy a contract", "Move house"):
        chart = slides[titles.index(journey_slide_title(name, "2026Q3"))]
        (picture,) = [s for s in chart.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert picture.width >= deck.slide_width * 0.8  # full width, readable at the back
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_table:
                assert len(shape.table.rows) <= 12
                sizes = {run.font.size.pt for row in shape.table.rows for cell in row.cells
                         for p in cell.text_frame.paragraphs for run in p.runs}
                assert min(sizes) >= 14
    move_title = journey_slide_title("Move house", "2026Q3")
    move = [s for s, t in zip(slides, titles, strict=True) if t.startswith(move_title)]
    move_text = " ".join(shape.text_frame.text for s in move for shape in s.shapes if shape.has_text_frame)
    assert "generated 2026-10-06 08:15 UTC" in move_text and "Hotline wait times" in move_text
    table = next(shape.table for s in move for shape in s.shapes if shape.has_table)
    assert table.cell(0, 4).text == "Trust" and table.cell(1, 4).text == "Unchecked"


def test_csv_figures_equal_the_page_figures(review: QuarterReview, tmp_path: Path) -> None:
    path = export_pack(review, "csv", tmp_path / "pack.csv", GENERATED)
    text_columns = {c: "str" for c in CSV_COLUMNS if c not in NUMBER_COLUMNS}
    read = pd.read_csv(path, dtype=text_columns, keep_default_na=False,
                       na_values={c: [""] for c in NUMBER_COLUMNS})
    assert list(read.columns) == list(CSV_COLUMNS)
    shown = review.figures.figures
    assert len(read) == len(shown)
    for column in FIGURE_COLUMNS:
        if column in NUMBER_COLUMNS:
            pd.testing.assert_series_equal(read[column].astype("float64"), shown[column], check_names=False)
        else:
            assert read[column].tolist() == shown[column].astype(str).tolist(), column
    assert set(read["quarter"]) == {"2026Q3"} and set(read["source"]) == {"live"}


def test_a_failed_export_leaves_the_good_file_alone(tmp_path: Path) -> None:
    good = tmp_path / "pack.pdf"
    good.write_bytes(b"the good pack")

    def half_write(temp: Path) -> None:
        temp.write_bytes(b"half a pa")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="No space left on device. Nothing was changed"):
        write_atomically(good, half_write)
    assert good.read_bytes() == b"the good pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]
    with pytest.raises(ExportError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "pack.pdf", lambda temp: None)


def _cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "review", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_exports_and_reports_bad_input_with_exit_2(
    review_warehouse_url: str, state_url: str, tmp_path: Path  # noqa: F811
) -> None:
    env = {"MOT_WAREHOUSE_URL": review_warehouse_url, "MOT_STATE_URL": state_url}
    out = tmp_path / "pack.csv"
    done = _cli(env, "export", "--quarter", "2026Q3", "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.exists() and "Wrote" in done.stdout

    bad = _cli(env, "export", "--quarter", "2026Q7", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "for example 2026Q3" in bad.stderr and "Traceback" not in bad.stderr
    empty = _cli(env, "export", "--quarter", "2024Q1", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert empty.returncode == 2 and "no KPI data for 2024Q1" in empty.stderr
    gone = _cli({**env, "MOT_STATE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/state"},
                "export", "--quarter", "2026Q3", "--format", "csv", "--out", str(out))
    assert gone.returncode == 2 and "Check MOT_STATE_URL" in gone.stderr and "Traceback" not in gone.stderr
    assert not (tmp_path / "x.pdf").exists()

    closed = _cli(env, "close", "--quarter", "2026Q3", "--by", "Ana")
    assert closed.returncode == 0 and "frozen" in closed.stdout
    again = _cli(env, "close", "--quarter", "2026Q3", "--by", "Ben")
    assert again.returncode == 2 and "already closed by Ana" in again.stderr
    assert _cli(env, "reopen", "--quarter", "2026Q3", "--by", "Ana").returncode == 0


def test_trust_notes_say_unchecked_rather_than_not_trusted() -> None:
    import pandas as pd

    from review.formatting import trust_notes

    figures = pd.DataFrame({
        "trust": ["unchecked", "unchecked", "not_trusted", "trusted", "unknown"],
        "trust_reason": ["No check has run", "No check has run", "Check X fails", "", "History unreadable"],
    })
    assert trust_notes(figures) == ["Unchecked: No check has run", "⊘ Not trusted: Check X fails",
                                    "Trust unknown: History unreadable"]
