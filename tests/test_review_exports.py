"""The quarterly pack as PDF, PowerPoint and CSV, read back; the CLI; never half-writing a file."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from review.exports import export_pack
from review.exports.csv import CSV_COLUMNS
from review.exports.files import ExportError, write_atomically
from review.exports.pptx import journey_slide_title
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


def test_pdf_has_a_page_per_journey_with_quarter_time_and_trust(review: QuarterReview,
                                                                tmp_path: Path) -> None:
    path = export_pack(review, "pdf", tmp_path / "pack.pdf", GENERATED)
    pages = [page.extract_text() for page in PdfReader(path).pages]
    assert len(pages) >= 1 + len(review.figures.journeys)  # cover + at least one per journey
    for name in ("Buy a contract", "Move house"):
        journey_pages = [text for text in pages if f"{name} — 2026Q3" in text]
        assert journey_pages, name
        assert "Unchecked" in journey_pages[0] and "Trust" in journey_pages[0]
    assert all("2026Q3" in text and "generated 2026-10-06 08:15 UTC" in text for text in pages)
    assert "Hotline wait times are the cause." in "".join(pages)


def test_pptx_has_a_title_slide_and_one_slide_per_journey(review: QuarterReview, tmp_path: Path) -> None:
    path = export_pack(review, "pptx", tmp_path / "pack.pptx", GENERATED)
    slides = list(Presentation(str(path)).slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles == ["Quarterly review 2026Q3", journey_slide_title("Buy a contract", "2026Q3"),
                      journey_slide_title("Move house", "2026Q3")]
    move_text = " ".join(shape.text_frame.text for shape in slides[2].shapes if shape.has_text_frame)
    assert "generated 2026-10-06 08:15 UTC" in move_text and "Hotline wait times" in move_text
    table = next(shape.table for shape in slides[2].shapes if shape.has_table)
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
