"""Status of a KPI value against its target, and the one colour scale every page uses.

A value is *on target* when it meets the target in the KPI's direction, *at risk* when it misses
by no more than the tolerance (the amber band), *off target* beyond that, and *no data* when there
is no value or no target. *Not trusted* replaces any of these when critical data-quality checks
fail for the rows behind the value (checks/), so a colour from broken data never looks true.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from metrics._texts import texts_by_code
from metrics.i18n import N_, tr
from metrics.model import Direction

__all__ = ["classify", "classify_frame", "HEALTH_AT_RISK", "HEALTH_ON_TARGET", "health_points",
    "health_status", "severity_rank", "signed_gap", "Status", "STATUS_COLOURS", "STATUS_ICONS",
    "STATUS_LABELS", "STATUS_POINTS", "STATUS_SEVERITY"]


class Status(StrEnum):
    ON_TARGET = "on_target"
    AT_RISK = "at_risk"
    OFF_TARGET = "off_target"
    NO_DATA = "no_data"
    NOT_TRUSTED = "not_trusted"

    @property
    def label(self) -> str:
        """The status in words, in the current language."""
        return tr(STATUS_LABELS[self])

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


#: The status in English words; what people read is ``Status.label`` (in the current language).
STATUS_LABELS: dict[Status, str] = {
    Status.ON_TARGET: N_("On target"),
    Status.AT_RISK: N_("At risk"),
    Status.OFF_TARGET: N_("Off target"),
    Status.NO_DATA: N_("No data"),
    Status.NOT_TRUSTED: N_("Not trusted"),
}

#: Colour-blind-safe enough (blue-green / amber / vermilion), and grey/purple for the two
#: "cannot judge" states. Used by every chart and card so a colour means the same everywhere.
STATUS_COLOURS: dict[Status, str] = {
    Status.ON_TARGET: "#1b9e77",
    Status.AT_RISK: "#e6ab02",
    Status.OFF_TARGET: "#d95f02",
    Status.NO_DATA: "#bdbdbd",
    Status.NOT_TRUSTED: "#7b3294",
}

STATUS_ICONS: dict[Status, str] = {
    Status.ON_TARGET: "●",
    Status.AT_RISK: "▲",
    Status.OFF_TARGET: "■",
    Status.NO_DATA: "○",
    Status.NOT_TRUSTED: "⊘",
}

#: Points a status earns in the health score (metrics/effectiveness.py).
STATUS_POINTS: dict[Status, float] = {
    Status.ON_TARGET: 1.0,
    Status.AT_RISK: 0.5,
    Status.OFF_TARGET: 0.0,
}

#: Order for "worst first" sorting.
STATUS_SEVERITY: dict[Status, int] = {
    Status.OFF_TARGET: 0,
    Status.NOT_TRUSTED: 1,
    Status.AT_RISK: 2,
    Status.NO_DATA: 3,
    Status.ON_TARGET: 4,
}


#: Float noise forgiven when a gap is compared with zero or the band: a ratio KPI computed as
#: 57 / 100 * 100 is 56.99999999999999, which must still be on a target of 57.
GAP_NOISE = 1e-9


def classify(
    value: float | None, target: float | None, tolerance: float | None, direction: Direction
) -> Status:
    """Status of one value. A missing tolerance counts as zero (no amber band)."""
    if value is None or target is None or pd.isna(value) or pd.isna(target):
        return Status.NO_DATA
    band = 0.0 if tolerance is None or pd.isna(tolerance) else abs(float(tolerance))
    gap = signed_gap(float(value), float(target), direction)
    noise = GAP_NOISE * max(1.0, abs(float(target)))
    if gap >= -noise:
        return Status.ON_TARGET
    if gap >= -band - noise:
        return Status.AT_RISK
    return Status.OFF_TARGET


def signed_gap(value: float, target: float, direction: Direction) -> float:
    """How far a value is better (+) or worse (-) than its target, in KPI units."""
    return value - target if direction is Direction.HIGHER_IS_BETTER else target - value


def classify_frame(frame: pd.DataFrame, directions: pd.Series) -> pd.Series:
    """Vectorised ``classify`` over columns value, target, tolerance; returns Status strings.

    ``directions`` holds Direction values aligned with ``frame``. The input is not changed.
    """
    value = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    target = pd.to_numeric(frame["target"], errors="coerce").astype("float64")
    band = pd.to_numeric(frame["tolerance"], errors="coerce").astype("float64").abs().fillna(0.0)
    higher = directions.astype(str).eq(Direction.HIGHER_IS_BETTER.value).to_numpy()
    gap = np.where(higher, value - target, target - value)
    noise = GAP_NOISE * np.maximum(1.0, target.abs().to_numpy())
    # Chosen as a code, then taken from the four texts as Python strings: a text column built
    # from NumPy's fixed-width strings cost 0.13 s per 486,000 rows, from objects a sixth (#19).
    code = np.select([np.isnan(gap), gap >= -noise, gap >= -band.to_numpy() - noise], [0, 1, 2], default=3)
    texts = [Status.NO_DATA.value, Status.ON_TARGET.value, Status.AT_RISK.value, Status.OFF_TARGET.value]
    return texts_by_code(code, texts, frame.index)  # taken in Arrow (metrics/_texts.py)


def severity_rank(statuses: pd.Series, *, no_data_last: bool = False) -> pd.Series:
    """Sort key, worst first (STATUS_SEVERITY). With ``no_data_last``, a value without a status
    ranks after on target: used to pick the worst *judged* KPI of a touchpoint."""
    order = {s.value: rank for s, rank in STATUS_SEVERITY.items()}
    if no_data_last:
        order[Status.NO_DATA.value] = max(order.values()) + 1
    return statuses.map(order)


#: Health score bands (README "Health score"): a journey is on target from 80, at risk from 60.
#: The one definition behind the health label, its colour and the overview's "healthy" tile.
HEALTH_ON_TARGET = 80
HEALTH_AT_RISK = 60


def health_points(health: float | None) -> int | None:
    """The health score as people see it: whole points, halves rounded up (79.5 reads 80)."""
    if health is None or pd.isna(health):
        return None
    return int(np.floor(float(health) + 0.5))


def health_status(health: float | None) -> Status:
    """Status of a journey health score, judged on the whole points shown, so a score that reads
    "80" is on target everywhere (never "At risk" beside a tile counting scores of 80 and more)."""
    shown = health_points(health)
    if shown is None:
        return Status.NO_DATA
    if shown >= HEALTH_ON_TARGET:
        return Status.ON_TARGET
    return Status.AT_RISK if shown >= HEALTH_AT_RISK else Status.OFF_TARGET
