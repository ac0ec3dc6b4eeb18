"""The quarterly pack as PDF: a cover page, then one or more pages per journey.

Charts are Vega-Lite specs (review/chart_spec.py) rendered to PNG on the server by vl-convert (no
browser); pages are laid out with reportlab. Every page carries the quarter and the generation
time in its footer; every figure row carries its status and trust state.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import vl_convert
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from metrics.status import STATUS_COLOURS, Status
from review.actions_section import action_lines
from review.chart_spec import journey_chart_spec
from review.exports.files import header_lines, write_atomically
from review.formatting import TABLE_COLUMNS, comment_lines, figure_table, journey_summary, readable_time
from review.frozen import QuarterReview
from review.store import stamp

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
        "title": ParagraphStyle("t", parent=base["Title"], fontName=bold, fontSize=24, leading=30),
        "h1": ParagraphStyle("h", parent=base["Heading1"], fontName=bold, fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=12, leading=15),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=font, fontSize=10, leading=13),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontName=font, fontSize=8, leading=10),
    }


def _wrapped(text: str, font: str, size: float) -> Paragraph:
    """A name as a table cell that wraps instead of running over its neighbours; shown literally."""
    return Paragraph(_escape(text), ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.25))


def _figure_table(figures: pd.DataFrame, font: str, bold: str) -> Table:
    text = figure_table(figures)
    data = [list(TABLE_COLUMNS),
            *[(_wrapped(row[0], font, 8), *row[1:]) for row in text.itertuples(index=False, name=None)]]
    widths = [68 * mm, 24 * mm, 20 * mm, 27 * mm, 22 * mm, 29 * mm, 22 * mm, 22 * mm, 22 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font, 8), ("FONT", (0, 0), (-1, 0), bold, 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("ALIGN", (3, 0), (4, -1), "LEFT"),
    ]
    for i, status in enumerate(figures["status"], start=1):
        style.append(("TEXTCOLOR", (3, i), (3, i), colors.HexColor(STATUS_COLOURS[Status(status)])))
    table.setStyle(TableStyle(style))
    return table


def _summary_table(figures: pd.DataFrame, font: str, bold: str) -> Table:
    summary = journey_summary(figures)
    rows = [(_wrapped(row[0], font, 10), *row[1:])
            for row in summary.astype(str).itertuples(index=False, name=None)]
    table = Table([list(summary.columns), *rows],
                  colWidths=[80 * mm] + [30 * mm] * (len(summary.columns) - 1))
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 10), ("FONT", (0, 0), (-1, 0), bold, 10),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
    ]))
    return table


def _journey_flowables(review: QuarterReview, journey_id: str, name: str, styles: dict[str, ParagraphStyle],
                       fonts: tuple[str, str]) -> list[object]:
    figures = review.figures.figures
    mine = figures[figures["journey_id"] == journey_id]
    flow: list[object] = [PageBreak(), Paragraph(f"{_escape(name)} — {review.figures.quarter}", styles["h1"])]
    spec = journey_chart_spec(mine, f"{name}: figures against target", width=620)
    if spec["data"]["values"]:
        png = chart_png(spec)
        image = Image(io.BytesIO(png))
        ratio = min(250 * mm / image.imageWidth, 85 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        flow += [image, Spacer(1, 4 * mm)]
    flow.append(_figure_table(mine, *fonts))
    names = dict(zip(mine["figure_id"], mine["figure_name"], strict=False))
    lines = comment_lines(review.figures.comments, journey_id, names)
    flow.append(Spacer(1, 4 * mm))
    flow.append(Paragraph("Owner comments", styles["h2"]))
    for line in lines or ["No comments for this quarter."]:
        flow.append(Paragraph(_escape(line), styles["body"]))
    actions = action_lines(review.actions, journey_id)
    if actions:
        flow += [Spacer(1, 4 * mm), Paragraph("Actions and whether they work", styles["h2"])]
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
    footer = f"Quarterly review {review.figures.quarter} · generated {readable_time(stamp(generated_at))}"

    def on_page(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(fonts[0], 8)  # type: ignore[attr-defined]
        canvas.drawString(15 * mm, 8 * mm, f"{footer} · page {doc.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    flow: list[object] = [Paragraph(f"Quarterly review {review.figures.quarter}", styles["title"])]
    flow += [Paragraph(_escape(line), styles["body"]) for line in header_lines(review, generated_at)]
    flow += [Spacer(1, 6 * mm), Paragraph("Journeys at a glance (judged figures)", styles["h2"]),
             _summary_table(review.figures.figures, *fonts)]
    for journey_id, name in review.figures.journeys:
        flow += _journey_flowables(review, journey_id, name, styles, fonts)
    doc = SimpleDocTemplate(str(target), pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=15 * mm,
                            title=f"Quarterly review {review.figures.quarter}", author="MoT dashboard")
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)


def write_pack_pdf(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    return write_atomically(path, lambda temp: build_pdf(review, temp, generated_at))
