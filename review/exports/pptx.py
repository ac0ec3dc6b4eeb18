"""The quarterly pack as PowerPoint (python-pptx), 16:9: the executive summary first, then per
journey a slide with its bullet chart full width and slides with its figures, at most ten rows per
slide in 14 pt (review/exports/layout.py), and a slide of owner comments when there are any.

Every journey slide's title starts "<journey> — <quarter>"; a footer on every slide names the
quarter and the generation time; every figure row carries its status and trust state.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from metrics.i18n import tr
from metrics.status import STATUS_COLOURS, Status
from review.chart_spec import bullet_chart_spec, legend_text
from review.exports.files import header_lines, write_atomically
from review.exports.layout import (
    PACK_COLUMNS,
    TABLE_POINTS,
    JourneyPlan,
    headings,
    journey_plans,
    pack_summary,
    part_title,
)
from review.exports.pdf import chart_png
from review.formatting import readable_time
from review.frozen import QuarterReview
from review.store import stamp
from review.summary import SUMMARY_COLUMNS, table_pages

__all__ = ["journey_slide_title", "summary_slide_title", "write_pack_pptx"]

SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5  # 16:9
_MARGIN_IN = 0.4
_TITLE_ONLY = 5  # layout "Title Only" of python-pptx's default template
# Wide enough for the German headings and status words ("Vertrauenswürdig", "Veränderung").
_FIGURE_WIDTHS_IN = (3.3, 1.4, 1.3, 1.9, 1.9, 1.35, 1.35)
_SUMMARY_WIDTHS_IN = (2.3, 1.3, 1.3, 1.2)


def journey_slide_title(name: str, quarter: str) -> str:
    return f"{name} — {quarter}"


def summary_slide_title(quarter: str) -> str:
    return tr("Quarterly review {quarter}: executive summary").format(quarter=quarter)


def _text_box(slide: Slide, left: float, top: float, width: float, height: float, lines: list[str],
              size: int = 14, bold_first: bool = False) -> None:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold_first and i == 0


def _sections_box(slide: Slide, left: float, top: float, width: float, height: float,
                  sections: list[tuple[str, list[str]]]) -> None:
    """Headings in bold with their bullet lines, in one text box."""
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    first = True
    for heading, lines in sections:
        for text, bold in [(heading, True), *((f"• {line}", False) for line in lines)]:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold = Pt(16 if bold else 14), bold
            if bold:
                paragraph.space_before = Pt(8)


def _slide(prs: Any, title: str, footer: str) -> Slide:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top = Inches(_MARGIN_IN), Inches(0.2)
    shape.width, shape.height = Inches(SLIDE_WIDTH_IN - 2 * _MARGIN_IN), Inches(0.8)
    shape.text = title
    for run in shape.text_frame.paragraphs[0].runs:
        run.font.size = Pt(30)
    _text_box(slide, _MARGIN_IN, 7.1, 12.5, 0.35, [footer], size=10)
    return slide


def _table(slide: Slide, header: list[str], rows: list[tuple[str, ...]], widths: tuple[float, ...],
           top: float, statuses: list[str], status_column: int, left: float = _MARGIN_IN,
           numbers: tuple[int, ...] = ()) -> None:
    """A table in TABLE_POINTS type, the status column coloured, ``numbers`` columns right-aligned."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top),
                                   Inches(sum(widths)), Inches(0.45 * (len(rows) + 1)))
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = Emu(Inches(width))
    for j, column in enumerate(header):
        table.cell(0, j).text = column
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(value)
    for i in range(len(rows) + 1):
        for j in range(len(header)):
            for paragraph in table.cell(i, j).text_frame.paragraphs:
                if j in numbers:
                    paragraph.alignment = PP_ALIGN.RIGHT
            for run in (r for p in table.cell(i, j).text_frame.paragraphs for r in p.runs):
                run.font.size = Pt(TABLE_POINTS)  # on the runs: PowerPoint ignores paragraph defaults
                if i and j == status_column:
                    colour = STATUS_COLOURS[Status(statuses[i - 1])]
                    run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _summary_slides(prs: Any, review: QuarterReview, footer: str, generated_at: dt.datetime) -> None:
    summary = pack_summary(review)
    parts = table_pages(summary.ranking)
    for i, part in enumerate(parts):
        title = summary_slide_title(review.figures.quarter)
        if i:
            title = tr("{title} (continued)").format(title=title)
        slide = _slide(prs, title, footer)
        rows = [tuple(r) for r in part[list(SUMMARY_COLUMNS)].itertuples(index=False, name=None)]
        _text_box(slide, _MARGIN_IN, 1.2, 6.1, 0.4, [tr("Journeys ranked by review score")], size=18,
                  bold_first=True)
        _table(slide, headings(SUMMARY_COLUMNS), rows, _SUMMARY_WIDTHS_IN, 1.65, list(part["status"]), 1,
               numbers=(1, 2, 3))
        if i:
            continue
        # One box for wins, issues and decisions: long lines wrap and push the rest down instead of
        # running into the next section.
        _sections_box(slide, 6.7, 1.2, 6.2, 5.2, summary.sections())
        _text_box(slide, _MARGIN_IN, 6.45, 6.1, 0.6, [" · ".join(header_lines(review, generated_at)),
                                                       summary.trust_note], size=10)


def _journey_slides(prs: Any, review: QuarterReview, plan: JourneyPlan, footer: str) -> None:
    title = journey_slide_title(plan.name, review.figures.quarter)
    slide = _slide(prs, title, footer)
    spec = bullet_chart_spec(plan.figures, "", explain=False)
    if spec["data"]["values"]:
        _text_box(slide, _MARGIN_IN, 0.95, 12.5, 0.4, [legend_text()], size=14)
        picture = slide.shapes.add_picture(io.BytesIO(chart_png(spec)), Inches(_MARGIN_IN), Inches(1.35),
                                           width=Inches(SLIDE_WIDTH_IN - 2 * _MARGIN_IN))
        room = Inches(5.75)
        if picture.height > room:  # a journey with many KPIs: keep it on the slide, centred
            ratio = room / picture.height
            picture.height, picture.width = Emu(int(room)), Emu(int(picture.width * ratio))
            picture.left = Emu(int((Inches(SLIDE_WIDTH_IN) - picture.width) / 2))
    else:
        _text_box(slide, _MARGIN_IN, 1.4, 12.5, 1.0,
                  [tr("No journey KPI has a target this quarter, so there is nothing to chart.")], size=18)
    notes = slide.notes_slide.notes_text_frame
    if notes is not None:
        notes.text = "\n".join(plan.comments)
    for i, (text, statuses) in enumerate(plan.tables):
        table_slide = _slide(prs, part_title(title, i, len(plan.tables)), footer)
        rows = [tuple(r) for r in text.itertuples(index=False, name=None)]
        _table(table_slide, headings(PACK_COLUMNS), rows, _FIGURE_WIDTHS_IN, 1.2, list(statuses), 3,
               numbers=(1, 2, 5, 6))
    if plan.comments:
        comments = _slide(prs, tr("{title}: owner comments").format(title=title), footer)
        _text_box(comments, _MARGIN_IN, 1.3, 12.5, 5.5, plan.comments, size=18)


def build_pptx(review: QuarterReview, target: Path, generated_at: dt.datetime) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    footer = tr("Quarterly review {quarter} · generated {time} · status and trust per figure").format(
        quarter=review.figures.quarter, time=readable_time(stamp(generated_at)))
    _summary_slides(prs, review, footer, generated_at)
    for plan in journey_plans(review):
        _journey_slides(prs, review, plan, footer)
    prs.save(str(target))


def write_pack_pptx(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    return write_atomically(path, lambda temp: build_pptx(review, temp, generated_at))
