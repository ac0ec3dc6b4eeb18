"""The quarterly packs on the hostile-names warehouse (tests/hostile.py): names, comments and the
closer's name appear in the PDF and the slides as their characters, never as markup or links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from connectors.queries import dimension_frame
from connectors.warehouse import open_warehouse
from metrics.registry import KpiRegistry
from review.exports import export_pack
from review.frozen import QuarterReview, quarter_review
from review.quarters import parse_quarter
from review.store import open_review_store
from tests.hostile import (
    AUTHOR,
    CLOSED_BY,
    CLOSED_QUARTER,
    COMMENT,
    HOSTILE_KPI_NAME,
    JOURNEYS,
    build_hostile_warehouse,
    close_hostile_quarter,
    hostile_frames,
)

GENERATED = dt.datetime(2026, 10, 6, 8, 15, tzinfo=dt.UTC)
NAMES = [name for name, *_ in JOURNEYS.values()]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuarterReview]:
    folder = tmp_path_factory.mktemp("hostile_packs")
    url = build_hostile_warehouse(folder / "hostile.duckdb")
    state_url = f"sqlite:///{folder / 'state.sqlite'}"
    close_hostile_quarter(url, state_url)
    wh = open_warehouse(url, None)
    store = open_review_store(state_url)
    try:
        registry = KpiRegistry.from_frame(dimension_frame(wh, "kpis"))
        yield quarter_review(wh, registry, store, parse_quarter(CLOSED_QUARTER))
    finally:
        store.dispose()
        wh.engine.dispose()


def _words(text: str) -> str:
    """Text without whitespace: the PDF wraps long names over lines, in 14 pt tables also inside a
    long token such as a URL."""
    return "".join(text.split())


def _expected() -> list[str]:
    touchpoint = str(hostile_frames()["touchpoints"]["name"].iloc[0])
    return [*NAMES, f"frozen by {CLOSED_BY} at", f"Journey: {COMMENT} ({AUTHOR},", HOSTILE_KPI_NAME,
            f"MoT {touchpoint}: "]


def test_pdf_shows_names_and_comments_as_text_and_links_nowhere(review: QuarterReview,
                                                                tmp_path: Path) -> None:
    reader = PdfReader(export_pack(review, "pdf", tmp_path / "pack.pdf", GENERATED))
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    for expected in _expected():
        assert _words(expected) in text, expected
    for name in NAMES:  # each journey's own page has it in its heading
        assert _words(f"{name} — {CLOSED_QUARTER}") in text, name
    assert all("/Annots" not in page for page in reader.pages)  # no link anywhere


def test_slides_show_names_and_comments_as_text_and_links_nowhere(review: QuarterReview,
                                                                  tmp_path: Path) -> None:
    slides = list(Presentation(str(export_pack(review, "pptx", tmp_path / "pack.pptx", GENERATED))).slides)
    texts = []
    for slide in slides:
        texts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        texts += [cell.text for shape in slide.shapes if shape.has_table
                  for row in shape.table.rows for cell in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
        assert not [rel for rel in slide.part.rels.values() if rel.reltype == RT.HYPERLINK]
    text = "\n".join(texts)
    for expected in _expected():
        assert expected in text, expected
    titles = [slide.shapes.title.text for slide in slides[1:]]
    for name in NAMES:  # the chart's slide, then its figures
        assert f"{name} — {CLOSED_QUARTER}" in titles
        assert any(title.startswith(f"{name} — {CLOSED_QUARTER}: figures") for title in titles)


def test_csv_cells_never_run_as_spreadsheet_formulas() -> None:
    import pandas as pd

    from metrics.spreadsheet_cells import spreadsheet_safe

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", None],
                          "value": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    safe = spreadsheet_safe(frame)
    assert safe["name"].tolist()[:5] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert safe["value"].tolist() == frame["value"].tolist()  # numbers stay numbers
