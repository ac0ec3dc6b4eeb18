"""The Overview's headline grid, journeys x headline KPIs, as an HTML table.

Each cell is coloured by its status (metrics.status colours, white text) and shows the value, its
target and its change against the previous period; hovering shows value, target, change, status
and why a value is not trusted. It was a Vega-Lite heat map (ui.charts), the last Vega view on the
Overview: as a table the page loads no Vega at all, and a filter change re-renders table cells
instead of a Vega view (measured in Chromium at 10 M rows, issue #19). The same table is easier for
screen readers, and its text can be selected.

Everything in a cell is data (journey and KPI names, reasons): escaped with ``ui.text.literal_html``
in text and ``attribute`` in ``title`` attributes.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from metrics.i18n import tr
from metrics.status import Status
from ui.text import literal_html

_TABLE = ("width:100%;border-collapse:separate;border-spacing:2px;table-layout:fixed;border:none;"
          "margin:0")
_HEAD = "border:none;background:none;font-weight:400;font-size:12px;color:#555;text-align:center;padding:4px"
_ROW_HEAD = ("border:none;background:none;font-weight:400;font-size:12px;color:#555;text-align:right;"
             "padding:4px 8px;vertical-align:middle;width:16%")
_CELL = "border:none;color:white;text-align:center;vertical-align:middle;height:66px;padding:4px"
_EMPTY = "border:none;background:none"


def attribute(value: object) -> str:
    """``value`` as the text of a double-quoted HTML attribute inside Streamlit Markdown: escaped,
    line breaks as character references, ``:`` and ``$`` too (ui.text.literal_html's reasons)."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    text = html.escape(text, quote=True).replace(":", "&#58;").replace("$", "&#36;")
    return text.replace("\r\n", "&#10;").replace("\n", "&#10;").replace("\r", "&#10;")


def _tooltip(row: pd.Series) -> str:
    lines = [
        (tr("Journey"), row["journey"]),
        (tr("KPI"), row["kpi"]),
        (tr("Value"), row["value_text"]),
        (tr("Target"), row["target_text"]),
        (tr("vs previous period"), row["delta_text"]),
        (tr("Status"), Status(row["status"]).label),
    ]
    if isinstance(row.get("reason"), str) and row["reason"]:
        lines.append((tr("Why"), row["reason"]))
    return attribute("\n".join(f"{name}: {value}" for name, value in lines))


def _cell(row: pd.Series | None) -> str:
    if row is None:
        return f'<td style="{_EMPTY}"></td>'  # i18n: not shown (HTML)
    status = Status(row["status"])
    style, hover = f"{_CELL};background:{status.colour}", _tooltip(row)
    return (f'<td style="{style}" title="{hover}" data-status="{status.value}">'  # i18n: not shown (HTML)
            f'<div style="font-size:14px;font-weight:700">{literal_html(row["text"])}</div>'
            f'<div style="font-size:11px;line-height:1.3">{literal_html(row["detail"])}</div></td>')


def legend_html() -> str:
    """Every status with its colour, as the chart legends show them (all five, always)."""
    swatch = "display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px"
    items = "".join(
        f'<span style="margin-right:14px;white-space:nowrap">'  # i18n: not shown (HTML)
        f'<span style="{swatch};background:{s.colour}"></span>{literal_html(s.label)}</span>'
        for s in Status)
    return (f'<div style="font-size:12px;color:#555;margin-top:6px">'  # i18n: not shown (HTML)
            f'<span style="margin-right:10px">{literal_html(tr("Status"))}</span>{items}</div>')


def status_grid_html(frame: pd.DataFrame, title: str) -> str:
    """The grid as one HTML block without line breaks (a blank line would end the block in
    Markdown). frame: journey, kpi, text, detail (target and change, two lines), status, and the
    tooltip columns value_text, target_text, delta_text, reason. Journeys and KPIs sorted by name,
    as the heat map sorted them."""
    journeys = sorted(frame["journey"].astype(str).unique())
    kpis = sorted(frame["kpi"].astype(str).unique())
    cells = {(str(r["journey"]), str(r["kpi"])): r for _, r in frame.iterrows()}
    head = "".join(
        f'<th scope="col" style="{_HEAD}">{literal_html(k)}</th>' for k in kpis)  # i18n: not shown (HTML)
    rows = "".join(
        f'<tr><th scope="row" style="{_ROW_HEAD}">{literal_html(j)}</th>'  # i18n: not shown (HTML)
        + "".join(_cell(cells.get((j, k))) for k in kpis) + "</tr>"
        for j in journeys)
    heading = "font-weight:600;font-size:14px;margin-bottom:4px"
    return (f'<div style="{heading}">{literal_html(title)}</div>'  # i18n: not shown (HTML)
            f'<table style="{_TABLE}">'
            f'<thead><tr><th style="{_EMPTY}"></th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>{legend_html()}")


def headline_grid_html(frame: pd.DataFrame) -> str:
    """``status_grid_html`` under the headline grid's title (``tr("Headline KPIs against target")``):
    the Overview builds it once with its cached figures (ui/overview_figures.py), not on every run."""
    return status_grid_html(frame, tr("Headline KPIs against target"))


def show_grid_html(markup: str) -> None:
    """Draw a ``status_grid_html`` table (Streamlit Markdown, as the page's other HTML). As
    ``st.html`` it drew the same pixels with no consistent gain in Chromium (two rounds measured:
    docs/performance.md) and rebuilt the table's DOM on every run."""
    st.markdown(markup, unsafe_allow_html=True)
