"""A quarter's review as one person may see it (connectors/access.py).

Live figures are already computed over the person's rows (the scope is in every query), so only
journeys outside it go. A closed quarter's snapshot was computed over everyone's rows: a scoped
person sees from it only the journeys whose map they own (all their rows) and the moment-of-truth
rows of their own touchpoints; journey totals of a touchpoint owner's journeys would include other
owners' touchpoints, so they are left out. Comments follow the journeys shown.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from connectors.access import AccessScope
from review.frozen import QuarterReview
from review.pack import QuarterFigures

__all__ = ["figures_in_scope", "review_in_scope"]


def _keep(frame: pd.DataFrame, scope: AccessScope, frozen: bool) -> pd.Series:
    if frozen:
        return frame["journey_id"].isin(scope.journey_ids) | frame["touchpoint_id"].isin(scope.touchpoint_ids)
    return frame["journey_id"].isin(scope.visible_journeys())


def figures_in_scope(figures: QuarterFigures, scope: AccessScope | None) -> QuarterFigures:
    """The figures and comments of ``figures`` the scope may see (all of them for EVERYTHING)."""
    if scope is None or scope.everything:
        return figures
    shown = figures.figures[_keep(figures.figures, scope, figures.source == "snapshot")]
    comments = figures.comments
    if "journey_id" in comments.columns:
        comments = comments[comments["journey_id"].isin(set(shown["journey_id"]))].reset_index(drop=True)
    return replace(figures, figures=shown.reset_index(drop=True), comments=comments)


def review_in_scope(review: QuarterReview, scope: AccessScope | None) -> QuarterReview:
    """``review`` with its figures, comments and live differences limited to the scope."""
    if scope is None or scope.everything:
        return review
    differences = review.live_differences
    if differences is not None and {"journey_id", "touchpoint_id"} <= set(differences.columns):
        differences = differences[_keep(differences, scope, frozen=True)].reset_index(drop=True)
    elif differences is not None:
        differences = differences.iloc[:0]
    return replace(review, figures=figures_in_scope(review.figures, scope), live_differences=differences)
