"""What the PDF and the slides show, in which order, in pieces that fit a page or slide.

Both writers follow the same plan: the executive summary first (review.summary), then per journey
its bullet chart (review.chart_spec) and its figures as tables of at most ROWS_PER_PAGE rows
(review.summary.ROWS_PER_PAGE), set in 14 pt or more, so a table never runs to 21 rows in small
type and the back of the room can read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.i18n import N_, tr
from review.formatting import comment_lines, figure_names, figure_table
from review.frozen import QuarterReview
from review.summary import ExecutiveSummary, executive_summary, table_pages

__all__ = ["headings", "JourneyPlan", "PACK_COLUMNS", "TABLE_POINTS", "journey_plans", "pack_summary",
           "part_title"]

#: Columns of a journey's table in the packs (the page shows all of figure_table's columns); keys
#: in English, headings ``tr(column)`` (``headings``).
PACK_COLUMNS: tuple[str, ...] = (N_("Figure"), N_("This quarter"), N_("Target"), N_("Status"), N_("Trust"),
                                 N_("Δ previous"), N_("Δ last year"))
#: Type size of table cells in the packs.
TABLE_POINTS = 14


@dataclass(frozen=True)
class JourneyPlan:
    journey_id: str
    name: str
    figures: pd.DataFrame  # the journey's rows of the figures frame
    tables: list[tuple[pd.DataFrame, pd.Series]]  # (PACK_COLUMNS text, statuses) per page
    comments: list[str]


def pack_summary(review: QuarterReview) -> ExecutiveSummary:
    q = review.figures
    return executive_summary(q.quarter, q.figures, q.comments)


def journey_plans(review: QuarterReview) -> list[JourneyPlan]:
    figures = review.figures.figures
    plans = []
    for journey_id, name in review.figures.journeys:
        mine = figures[figures["journey_id"] == journey_id].reset_index(drop=True)
        text = figure_table(mine)[list(PACK_COLUMNS)]
        pieces = [(part, mine.loc[part.index, "status"]) for part in table_pages(text)]
        comments = comment_lines(review.figures.comments, journey_id, figure_names(mine))
        plans.append(JourneyPlan(journey_id, name, mine, pieces, comments))
    return plans


def headings(columns: tuple[str, ...]) -> list[str]:
    """Table headings of ``columns`` (marked English keys) in the current language."""
    return [tr(column) for column in columns]


def part_title(title: str, index: int, parts: int) -> str:
    """'Buy — 2026Q3: figures' or '… figures (2 of 3)' when a table runs over several pages."""
    if parts > 1:
        return tr("{title}: figures ({index} of {parts})").format(title=title, index=index + 1, parts=parts)
    return tr("{title}: figures").format(title=title)
