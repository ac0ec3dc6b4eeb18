"""The quarterly pack as PDF: the executive summary first, then per journey its bullet chart and
its figures in tables of at most ten rows at 14 pt (review/exports/layout.py).

Charts are Vega-Lite specs (review/chart_spec.py) rendered to PNG on the server by vl-convert (no
browser); pages are laid out with reportlab. Every page carries the quarter and the generation
time in its footer; every figure row carries its status and trust state.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import vl_convert
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from metrics.i18n import tr
from metrics.status import STATUS_COLOURS, Status
from review.actions_section import action_lines
from review.chart_spec import bullet_chart_spec
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
from review.formatting import readable_time, trust_notes
from review.frozen import QuarterReview
from review.store import stamp
from review.summary import SUMMARY_COLUMNS, table_pages

__all__ = ["chart_png", "write_pack_pdf"]

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE = landscape(A4)


def _fonts() -> tuple[str, str]:
    """DejaVu when installed (it has the status symbols and €), else the built-in Helvetica."""
    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


def chart_png(spec: dict[str, object], scale: float = 2.0) -> bytes:
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def _styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=bold, fontSize=26, leading=32,
                                alignment=0),
        "h1": ParagraphStyle("h", parent=base["Heading1"], fontName=bold, fontSize=22, leading=27),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=16, leading=20,
                             spaceBefore=6, spaceAfter=3),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=font, fontSize=14, leading=18),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontName=font, fontSize=10, leading=13),
        "bullet": ParagraphStyle("u", parent=base["BodyText"], fontName=font, fontSize=13, leading=16,
                                 leftIndent=12, bulletIndent=0, spaceAfter=2, bulletFontName=font),
    }


def _wrapped(text: str, font: str, size: float, alignment: int = TA_LEFT,
             colour: colors.Color | None = None) -> Paragraph:
    """A name as a table cell that wraps instead of running over its neighbours; shown literally."""
    return Paragraph(_escape(text), ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.2,
                                                   alignment=alignment, textColor=colour or colors.black))


#: Left plus right padding of a table cell (reportlab's default 6 pt each side).
_CELL_PADDING = 12


def _cell(text: str, font: str, size: float, width: float, status: str | None) -> object:
    """A value cell: as it is when it fits its column, else wrapping (longer words, e.g. in German,
    never run into the next column); a status cell in its colour."""
    if pdfmetrics.stringWidth(text, font, size) <= width - _CELL_PADDING:
        return text
    colour = colors.HexColor(STATUS_COLOURS[Status(status)]) if status else None
    return _wrapped(text, font, size, TA_LEFT if status else TA_RIGHT, colour)


def _table(header: list[str], rows: list[tuple[str, ...]], widths: list[float], fonts: tuple[str, str],
           statuses: list[str] | None = None, status_column: int = -1) -> Table:
    """A table in TABLE_POINTS type; the first column and the header wrap, so do values too long for
    their column; status cells coloured."""
    font, bold = fonts
    size = TABLE_POINTS
    shown = statuses or []
    data = [[_wrapped(h, bold, size) for h in header],
            *[(_wrapped(row[0], font, size),
               *(_cell(str(value), font, size, widths[j], shown[i] if j == status_column and shown else None)
                 for j, value in enumerate(row[1:], start=1)))
              for i, row in enumerate(rows)]]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font, size), ("FONT", (0, 0), (-1, 0), bold, size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]
    for i, status in enumerate(statuses or [], start=1):
        cell = (status_column, i)
        style += [("TEXTCOLOR", cell, cell, colors.HexColor(STATUS_COLOURS[Status(status)])),
                  ("ALIGN", cell, cell, "LEFT")]
    table.setStyle(TableStyle(style))
    return table


def _summary_flowables(review: QuarterReview, styles: dict[str, ParagraphStyle], fonts: tuple[str, str],
                       generated_at: dt.datetime) -> list[object]:
    """Page 1: journeys ranked by health, wins, issues and decisions (review.summary)."""
    summary = pack_summary(review)
    title = tr("Quarterly review {quarter}: executive summary").format(quarter=review.figures.quarter)
    flow: list[object] = [Paragraph(_escape(title), styles["title"]),
                          Paragraph(_escape(" · ".join(header_lines(review, generated_at))), styles["small"])]
    ranking = summary.ranking
    for i, part in enumerate(table_pages(ranking)):
        if i:
            flow += [PageBreak(), Paragraph(_escape(tr("Journeys ranked by review score (continued)")),
                                            styles["h2"])]
        else:
            flow.append(Paragraph(_escape(tr("Journeys ranked by review score")), styles["h2"]))
        rows = [tuple(r) for r in part[list(SUMMARY_COLUMNS)].itertuples(index=False, name=None)]
        flow.append(_table(headings(SUMMARY_COLUMNS), rows, [95 * mm, 42 * mm, 43 * mm, 45 * mm], fonts,
                           list(part["status"]), status_column=1))
    for heading, lines in summary.sections():
        flow.append(Paragraph(_escape(heading), styles["h2"]))
        flow += [Paragraph(_escape(line), styles["bullet"], bulletText="•") for line in lines]
    if summary.trust_note:
        flow.append(Paragraph(_escape(summary.trust_note), styles["small"]))
    return flow


def _journey_flowables(review: QuarterReview, plan: JourneyPlan, styles: dict[str, ParagraphStyle],
                       fonts: tuple[str, str]) -> list[object]:
    title = f"{plan.name} — {review.figures.quarter}"
    flow: list[object] = [PageBreak(), Paragraph(_escape(title), styles["h1"])]
    spec = bullet_chart_spec(plan.figures, tr("KPIs and budget against target"), width=600)
    if spec["data"]["values"]:
        image = Image(io.BytesIO(chart_png(spec)))
        ratio = min(267 * mm / image.imageWidth, 150 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        flow.append(image)
    else:
        flow.append(Paragraph(_escape(tr("No journey KPI has a target this quarter, so there is nothing to "
                                         "chart.")), styles["body"]))
    # Wide enough for the German headings and status words (one page is 267 mm wide).
    widths = [42 * mm, 30 * mm, 28 * mm, 49 * mm, 49 * mm, 35 * mm, 34 * mm]
    for i, (text, statuses) in enumerate(plan.tables):
        flow += [PageBreak(), Paragraph(_escape(part_title(title, i, len(plan.tables))), styles["h1"]),
                 _table(headings(PACK_COLUMNS), [tuple(r) for r in text.itertuples(index=False, name=None)],
                        widths, fonts, list(statuses), status_column=3)]
    flow += [Paragraph(_escape(note), styles["small"]) for note in trust_notes(plan.figures)]
    flow += [Spacer(1, 4 * mm), Paragraph(_escape(tr("Owner comments")), styles["h2"])]
    for line in plan.comments or [tr("No comments for this quarter.")]:
        flow.append(Paragraph(_escape(line), styles["body"]))
    actions = action_lines(review.actions, plan.journey_id)
    if actions:
        flow += [Spacer(1, 4 * mm), Paragraph(_escape(tr("Actions and whether they work")), styles["h2"])]
        flow += [Paragraph(_escape(line), styles["body"]) for line in actions]
    return flow


def _escape(text: str) -> str:
    """Names and comments are data: reportlab's Paragraph reads <b>, <a href>, <img src> and
    entities as markup, so they are escaped to show as their characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_pdf(review: QuarterReview, target: Path, generated_at: dt.datetime) -> None:
    """Write the pack to ``target`` (the caller makes that atomic)."""
    fonts = _fonts()
    styles = _styles(*fonts)
    footer = tr("Quarterly review {quarter} · generated {time}").format(
        quarter=review.figures.quarter, time=readable_time(stamp(generated_at)))
    page = tr("{footer} · page {page}")

    def on_page(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(fonts[0], 8)  # type: ignore[attr-defined]
        canvas.drawString(15 * mm, 8 * mm, page.format(footer=footer, page=doc.page))  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    flow = _summary_flowables(review, styles, fonts, generated_at)
    for plan in journey_plans(review):
        flow += _journey_flowables(review, plan, styles, fonts)
    doc = SimpleDocTemplate(str(target), pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=15 * mm,
                            title=tr("Quarterly review {quarter}").format(quarter=review.figures.quarter),
                            author=tr("MoT dashboard"))
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)


def write_pack_pdf(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    return write_atomically(path, lambda temp: build_pdf(review, temp, generated_at))
