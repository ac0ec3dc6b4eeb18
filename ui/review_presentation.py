"""Presentation mode of the quarterly review: the executive summary, then one journey per screen,
in large type, with no sidebar and no controls but the steps.

The screen is in the URL (?present=true&slide=2), so a copied link opens the same screen. The
steps are Streamlit buttons with keyboard shortcuts (← and → step, Esc leaves); nothing is loaded
from outside the app. The style sheet that hides Streamlit's own chrome is this module's constant
text, never built from data; names and comments are escaped by ui.text.literal_html.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics.i18n import tr
from metrics.status import STATUS_COLOURS, Status
from review.formatting import comment_lines, figure_names
from review.frozen import QuarterReview
from review.summary import SUMMARY_COLUMNS, executive_summary
from ui.review_charts import journey_review_spec, review_chart_height
from ui.text import literal_html

#: Streamlit's chrome and every control that is not a step: sidebar and its toggle, header, toolbar,
#: element and chart menus. Our own static text.
HIDE_CHROME = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stAppToolbar"], [data-testid="stMainMenu"], [data-testid="stStatusWidget"],
[data-testid="stElementToolbar"], [data-testid="stDecoration"], .vega-embed details {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
.mot-present h1 { font-size: 3rem; margin-bottom: 0.5rem; }
.mot-present h2 { font-size: 2rem; margin: 1rem 0 0.3rem; }
.mot-present li, .mot-present p, .mot-present td, .mot-present th { font-size: 1.4rem; }
.mot-present table { border-collapse: collapse; }
.mot-present td, .mot-present th { padding: 0.25rem 1.2rem 0.25rem 0; text-align: left; }
</style>"""  # i18n: not shown (a style sheet)
PARAM, SLIDE = "present", "slide"


def presenting() -> bool:
    return st.query_params.get(PARAM) == "true"


def start_button(container: Any) -> None:
    """The one control that starts presentation mode (on the first screen)."""
    if container.button(tr("Presentation"), icon="🖥️", help=tr("Full screen, one journey per screen; "
                                                           "← and → step, Esc leaves.")):
        st.query_params[PARAM] = "true"
        st.query_params[SLIDE] = "1"
        st.rerun()


def _position(count: int) -> int:
    wanted = str(st.query_params.get(SLIDE, "1"))
    return min(max(int(wanted) - 1, 0) if wanted.isdigit() else 0, count - 1)


def present(review: QuarterReview) -> None:
    """Screen 1: the executive summary; then one screen per journey. Stops the page run."""
    st.html(HIDE_CHROME)
    journeys = review.figures.journeys
    count = 1 + len(journeys)
    position = _position(count)
    if position == 0:
        _summary_screen(review)
    else:
        _journey_screen(review, position - 1)
    _steps(position, count, review)
    st.stop()


def _go(slide: int | None) -> None:
    if slide is None:
        for name in (PARAM, SLIDE):
            st.query_params.pop(name, None)
    else:
        st.query_params[SLIDE] = str(slide)
    st.rerun()


def _steps(position: int, count: int, review: QuarterReview) -> None:
    back, where, forward, leave = st.columns([1, 3, 1, 1], vertical_alignment="center")
    if back.button(tr("← Back"), disabled=position == 0, width="stretch", shortcut="Left"):
        _go(position)
    if forward.button(tr("Next →"), disabled=position >= count - 1, width="stretch", shortcut="Right"):
        _go(position + 2)
    if leave.button(tr("Leave"), width="stretch", shortcut="Esc"):
        _go(None)
    state = tr("closed, frozen figures") if review.is_closed else tr("open, live figures")
    where.caption(tr("Screen {screen} of {count} · {quarter} · {state}").format(
        screen=position + 1, count=count, quarter=review.figures.quarter, state=state))


def _html(body: str) -> None:
    st.markdown(f"<div class='mot-present'>{body}</div>", unsafe_allow_html=True)  # i18n: not shown (markup)


def _ranking_html(ranking: pd.DataFrame) -> str:
    head = "".join(f"<th>{literal_html(tr(c))}</th>" for c in SUMMARY_COLUMNS)
    rows = []
    for row in ranking.to_dict("records"):
        colour = STATUS_COLOURS[Status(row["status"])]
        cells = [literal_html(row["Journey"]),  # i18n: not shown (the ranking's keys)
                 f"<b style='color:{colour}'>{literal_html(row['Review score'])}</b>",
                 literal_html(row["Change"]), literal_html(row["Judged figures"])]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _summary_screen(review: QuarterReview) -> None:
    q = review.figures
    summary = executive_summary(q.quarter, q.figures, q.comments)
    left, right = st.columns([2, 3], gap="large")
    with left:
        title = tr("Quarterly review {quarter}").format(quarter=q.quarter)
        _html(f"<h1>{literal_html(title)}</h1><h2>{literal_html(tr('Journeys ranked by review score'))}</h2>"
              + _ranking_html(summary.ranking))
    with right:
        for heading, lines in summary.sections():
            items = "".join(f"<li>{literal_html(line)}</li>" for line in lines)
            _html(f"<h2>{literal_html(heading)}</h2><ul>{items}</ul>")
    if summary.trust_note:
        st.caption(summary.trust_note)


def _journey_screen(review: QuarterReview, index: int) -> None:
    journey_id, name = review.figures.journeys[index]
    figures = review.figures.figures
    mine = figures[figures["journey_id"] == journey_id].reset_index(drop=True)
    _html(f"<h1>{literal_html(name)} — {literal_html(review.figures.quarter)}</h1>")
    spec = journey_review_spec(mine, "")
    st.vega_lite_chart(spec, width="stretch", height=review_chart_height(spec))
    lines = comment_lines(review.figures.comments, journey_id, figure_names(mine))
    if lines:
        _html(f"<h2>{literal_html(tr('Owner comments'))}</h2><ul>"
              + "".join(f"<li>{literal_html(line)}</li>" for line in lines) + "</ul>")
