"""The quarterly pack as PowerPoint (python-pptx): a title slide, then one slide per journey.

Each journey slide has the title "<journey> — <quarter>", a table of every figure with its status
and trust state, the journey chart (rendered by vl-convert) and the owners' comments; a footer on
every slide names the quarter and the generation time.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from metrics.status import STATUS_COLOURS, Status
from review.chart_spec import journey_chart_spec
from review.exports.files import header_lines, write_atomically
from review.exports.pdf import chart_png
from review.formatting import comment_lines, figure_table, readable_time
from review.frozen import QuarterReview
from review.store import stamp

__all__ = ["journey_slide_title", "write_pack_pptx"]

SLIDE_COLUMNS = ("Figure", "This quarter", "Target", "Status", "Trust", "Previous quarter", "Last year")
_WIDTHS_IN = (3.3, 1.0, 0.9, 1.2, 1.0, 1.0, 0.9)


def journey_slide_title(name: str, quarter: str) -> str:
    return f"{name} — {quarter}"


def _text_box(slide: Slide, left: float, top: float, width: float, height: float, lines: list[str],
              size: int = 12) -> None:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)


def _figure_table(slide: Slide, figures: pd.DataFrame) -> None:
    text = figure_table(figures)[list(SLIDE_COLUMNS)]
    rows = len(text) + 1
    shape = slide.shapes.add_table(rows, len(SLIDE_COLUMNS), Inches(0.4), Inches(1.25),
                                   Inches(sum(_WIDTHS_IN)), Inches(0.26 * rows))
    table = shape.table
    for j, width in enumerate(_WIDTHS_IN):
        table.columns[j].width = Emu(Inches(width))
    for j, column in enumerate(SLIDE_COLUMNS):
        table.cell(0, j).text = column
    for i, row in enumerate(text.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(value)
    status_colours = [STATUS_COLOURS[Status(s)] for s in figures["status"]]
    for i in range(rows):
        for j in range(len(SLIDE_COLUMNS)):
            for paragraph in table.cell(i, j).text_frame.paragraphs:
                paragraph.font.size = Pt(9)
                if i and j == 3:
                    paragraph.font.color.rgb = RGBColor.from_string(status_colours[i - 1].lstrip("#"))


def _journey_slide(prs: Any, review: QuarterReview, journey_id: str, name: str,
                   footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = journey_slide_title(name, review.figures.quarter)
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
    figures = review.figures.figures
    mine = figures[figures["journey_id"] == journey_id]
    _figure_table(slide, mine)
    spec = journey_chart_spec(mine, "Against target", width=330)
    if spec["data"]["values"]:
        slide.shapes.add_picture(io.BytesIO(chart_png(spec)), Inches(9.0), Inches(1.25), width=Inches(4.1))
    names = dict(zip(mine["figure_id"], mine["figure_name"], strict=False))
    comments = comment_lines(review.figures.comments, journey_id, names)
    _text_box(slide, 9.0, 4.6, 4.1, 2.2, ["Owner comments:", *(comments or ["none"])], size=10)
    _text_box(slide, 0.4, 7.0, 12.5, 0.4, [footer], size=9)
    slide.notes_slide.notes_text_frame.text = "\n".join(comments)


def build_pptx(review: QuarterReview, target: Path, generated_at: dt.datetime) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    footer = (f"Quarterly review {review.figures.quarter} · generated "
              f"{readable_time(stamp(generated_at))} · status and trust per figure")
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = f"Quarterly review {review.figures.quarter}"
    cover.placeholders[1].text = "\n".join(header_lines(review, generated_at))
    for journey_id, name in review.figures.journeys:
        _journey_slide(prs, review, journey_id, name, footer)
    prs.save(str(target))


def write_pack_pptx(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    return write_atomically(path, lambda temp: build_pptx(review, temp, generated_at))
