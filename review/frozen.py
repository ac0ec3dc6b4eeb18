"""Frozen quarters: close a quarter into a snapshot, show a closed quarter from it, spot drift.

A closed quarter is shown from its snapshot (every figure, the targets in force, the comments) even
when the warehouse changes later; ``live_differences`` lists the figures whose live value now
differs, so the page can say so. Snapshots are JSON: floats are written with Python's repr, which
reads back to the identical float, so a frozen figure is bit-for-bit the figure that was shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.access import AccessScope
from connectors.warehouse import Warehouse, WarehouseError
from metrics.i18n import tr
from metrics.model import Period
from metrics.registry import KpiRegistry
from metrics.status import Status
from metrics.trust import TrustEvidence
from review._figures import FIGURE_COLUMNS, NUMBER_COLUMNS, current_trust_names
from review.pack import EmptyQuarterError, QuarterFigures, build_quarter_figures
from review.store import QuarterState, close_quarter, closed_snapshot, comment_frame

__all__ = ["close_shown", "close_with_snapshot", "frame_from_json", "quarter_review", "QuarterReview",
    "review_with_store"]

SNAPSHOT_FORMAT = 1
FIGURE_KEY = ["journey_id", "section", "touchpoint_id", "figure_id"]
COMPARED = ["value", "target", "previous_value", "last_year_value"]


@dataclass(frozen=True)
class QuarterReview:
    """What the page and the exports show for a quarter."""

    figures: QuarterFigures
    #: closed quarters only: figures whose live value differs from the snapshot (None: not compared)
    live_differences: pd.DataFrame | None = None
    live_problem: str = ""  # why the live data could not be compared, if it could not
    #: owners' actions with their before/after KPI (review.actions_section); set by the page, live
    actions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def is_closed(self) -> bool:
        return self.figures.source == "snapshot"


def frame_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {"columns": [str(c) for c in frame.columns], "rows": rows}


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def frame_from_json(data: dict[str, Any], numbers: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(data["rows"], columns=data["columns"])
    for column in numbers:
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def snapshot_payload(figures: QuarterFigures, comments: pd.DataFrame) -> dict[str, Any]:
    return {
        "format": SNAPSHOT_FORMAT,
        "quarter": figures.quarter,
        "data_through": figures.data_through.isoformat() if figures.data_through else None,
        "figures": frame_to_json(figures.figures),
        "targets": frame_to_json(figures.targets),
        "comments": frame_to_json(comments),
    }


def figures_from_snapshot(payload: dict[str, Any]) -> QuarterFigures:
    # Snapshots closed before a column existed read it as missing (NaN; status 'no_data').
    figures = current_trust_names(
        frame_from_json(payload["figures"], NUMBER_COLUMNS).reindex(columns=list(FIGURE_COLUMNS)))
    earlier = figures["previous_status"].astype(object)
    figures["previous_status"] = earlier.fillna(Status.NO_DATA.value).astype(str)
    targets = frame_from_json(payload["targets"], ("target", "tolerance", "stretch"))
    for column in ("valid_from", "valid_to"):
        targets[column] = pd.to_datetime(targets[column])
    through = payload.get("data_through")
    return QuarterFigures(
        quarter=payload["quarter"], figures=figures, targets=targets,
        data_through=dt.date.fromisoformat(through) if through else None, source="snapshot",
        closed_by=payload.get("closed_by", ""), closed_at=payload.get("closed_at", ""),
        comments=frame_from_json(payload["comments"], ("version",)),
    )


def live_differences(frozen: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """Figures whose value, target or comparison values differ between snapshot and live data."""
    merged = frozen[[*FIGURE_KEY, "figure_name", *COMPARED]].merge(
        live[[*FIGURE_KEY, *COMPARED]], on=FIGURE_KEY, how="outer", suffixes=("", "_live"), indicator=True)
    changed = merged["_merge"].ne("both")
    for column in COMPARED:
        a, b = merged[column], merged[f"{column}_live"]
        same = (a.isna() & b.isna()) | ((a - b).abs() <= 1e-9 * b.abs().clip(lower=1.0))
        changed |= ~same
    out = merged[changed].rename(columns={"value": "frozen_value"})
    return out[[*FIGURE_KEY, "figure_name", "frozen_value", "value_live"]].reset_index(drop=True)


def quarter_review(
    wh: Warehouse, registry: KpiRegistry, state: sa.Engine | None, quarter: Period,
    trust: TrustEvidence | None = None, as_of: dt.date | None = None, scope: AccessScope | None = None,
) -> QuarterReview:
    """A closed quarter from its snapshot (with drift against live data), else live figures.

    Raises EmptyQuarterError (or WarehouseError) for an open quarter without live figures, also
    when it starts after ``as_of`` (FutureQuarterError), and StateStoreError when the store
    cannot be read.
    """
    live: QuarterFigures | Exception
    try:
        live = build_quarter_figures(wh, registry, quarter, trust, as_of, scope)
    except (EmptyQuarterError, WarehouseError) as exc:
        live = exc
    return review_with_store(state, quarter.label, live)


def review_with_store(state: sa.Engine | None, quarter: str,
                      live: QuarterFigures | Exception, stored: QuarterState | None = None) -> QuarterReview:
    """Combine live figures (or why there are none) with the store's snapshot and comments.

    ``state`` None means the store is unavailable: live figures only, without comments.
    ``stored``: what the store holds about the quarter, already read (review.store.quarter_state).
    """
    if stored is not None:
        snapshot, comments = stored.snapshot, stored.comments
    elif state is not None:
        snapshot = closed_snapshot(state, quarter)
        comments = comment_frame(state, quarter) if snapshot is None else None
    else:
        snapshot, comments = None, None
    if snapshot is None:
        if isinstance(live, Exception):
            raise live
        return QuarterReview(replace(live, comments=live.comments if comments is None else comments))
    frozen = figures_from_snapshot(snapshot)
    if isinstance(live, Exception):
        return QuarterReview(frozen, None, tr("Live data cannot be compared: {reason}").format(reason=live))
    return QuarterReview(frozen, live_differences(frozen.figures, live.figures))


def close_with_snapshot(
    wh: Warehouse, registry: KpiRegistry, state: sa.Engine, quarter: Period, closed_by: str,
    now: dt.datetime, trust: TrustEvidence | None = None, as_of: dt.date | None = None,
) -> int:
    """Freeze the quarter as it is shown now: live figures, targets in force and comments.

    A quarter starting after ``as_of`` is refused (FutureQuarterError) before anything is stored.
    """
    figures = build_quarter_figures(wh, registry, quarter, trust, as_of)
    return close_shown(state, figures, closed_by, now)


def close_shown(state: sa.Engine, shown: QuarterFigures, closed_by: str, now: dt.datetime) -> int:
    """Freeze exactly the figures on screen, with the targets in force and the current comments.

    The comments are read inside the closing transaction: a comment save racing the close is
    either in the snapshot or refused (QuarterClosedError), never confirmed and left out.
    """
    return close_quarter(state, shown.quarter, lambda comments: snapshot_payload(shown, comments),
                         closed_by, now)
