"""The owners' priorities: an owner's touchpoint KPIs, worst first, each with its reason in words.

Order (README "Priorities, Kano classes and super-touchpoints"):
1. moments of truth off target;
2. must-be (disappointment) factors off target;
3. everything else off target or at risk, by ``score``: distance below target in bands
   (metrics.owners.bands) x the touchpoint's weight x its Kano factor (metrics.kano), so a
   failing must-be ranks above an equally failing delighter;
4. values on target, closest to target first;
5. values that cannot be judged (no target, no value or not trusted) last.
Inside the first two tiers super-touchpoints come first, then must-be before performance before
delighter, then the larger score. A value off target for ``streak_periods`` periods in a row
(metrics.streaks, MOT_ALERT_STREAK) comes first inside its tier and says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.formatting import number_texts
from metrics.i18n import N_, tr
from metrics.judgement import JUDGED_STATUSES
from metrics.kano import kano_factors, kano_name, kano_ranks, kano_texts, super_touchpoints
from metrics.owners import bands
from metrics.status import Status
from metrics.streaks import DEFAULT_ALERT_STREAK, streak_text

__all__ = ["owner_priorities", "PRIORITY_COLUMNS", "TIER_TEXT"]

TIER_TEXT: dict[int, str] = {
    1: N_("Moment of truth off target"),
    2: N_("Must-be off target"),
    3: N_("Off target or at risk"),
    4: N_("On target"),
    5: N_("Cannot be judged"),
}
PRIORITY_COLUMNS = ["touchpoint_id", "name", "kpi_id", "status", "value", "target", "tier", "tier_text",
                    "streak", "super", "kano_text", "score", "reason"]


def owner_priorities(
    latest: pd.DataFrame,
    touchpoints: pd.DataFrame,
    streaks: pd.DataFrame,
    streak_periods: int = DEFAULT_ALERT_STREAK,
) -> pd.DataFrame:
    """``latest``: judged values of one period (touchpoint_id, kpi_id, value, target, tolerance,
    gap, status). ``touchpoints``: name, journey_id, moment_of_truth, kano, weight of at least the
    owner's touchpoints (whole journeys, for the super-touchpoint rule). ``streaks``:
    metrics.streaks.off_target_streaks by touchpoint_id, kpi_id. Returns PRIORITY_COLUMNS (plus
    the frame's own), worst first, with ``rank`` from 1."""
    info = touchpoints.assign(super=super_touchpoints(touchpoints))[
        ["touchpoint_id", "name", "moment_of_truth", "kano", "weight", "super"]]
    rows = latest.merge(info, on="touchpoint_id", how="inner")
    if rows.empty:
        return pd.DataFrame(columns=["rank", *PRIORITY_COLUMNS])
    rows = rows.merge(streaks, on=["touchpoint_id", "kpi_id"], how="left")
    rows["streak"] = rows["streak"].fillna(0).astype("int64")
    if "periods_seen" not in rows:
        rows["periods_seen"] = None
    rows["band"] = bands(rows)
    distance = (-rows["gap"].astype("float64")) / rows["band"]
    weight = pd.to_numeric(rows["weight"], errors="coerce").fillna(1.0)
    rows["score"] = np.where(distance > 0, distance * weight * kano_factors(rows["kano"]), distance)
    rows["tier"] = _tiers(rows)
    rows["tier_text"] = rows["tier"].map(lambda t: tr(TIER_TEXT[t]))
    rows["kano_text"] = kano_texts(rows["kano"])
    rows["_standing"] = rows["streak"] >= streak_periods
    rows["_kano"] = kano_ranks(rows["kano"])
    rows = rows.sort_values(["tier", "_standing", "super", "_kano", "score"],
                            ascending=[True, False, False, True, False], kind="stable", na_position="last")
    rows["reason"] = _reasons(rows, streak_periods)
    rows.insert(0, "rank", range(1, len(rows) + 1))
    return rows.drop(columns=["_standing", "_kano", "periods_seen"]).reset_index(drop=True)


def _tiers(rows: pd.DataFrame) -> pd.Series:
    off = rows["status"].eq(Status.OFF_TARGET.value)
    short = rows["status"].isin([Status.OFF_TARGET.value, Status.AT_RISK.value])
    tier = np.select(
        [off & rows["moment_of_truth"].astype(bool), off & rows["kano"].astype("object").eq("must_be"),
         short, rows["status"].isin(JUDGED_STATUSES)],
        [1, 2, 3, 4], default=5)
    return pd.Series(tier, index=rows.index, dtype="int64")


def _reasons(rows: pd.DataFrame, streak_periods: int) -> list[str]:
    """Why each row sits where it does, in plain words and short (value, target and the marks for
    moment of truth and third party are columns of their own). Worded a column at a time: the
    distances with ``number_texts``, the fixed words once (#19: an owner's priorities at 100 M fact
    rows are 15,230 rows)."""
    distance = (-rows["gap"].astype("float64") / rows["band"].astype("float64")).to_numpy()
    shortfall = tr("{distance} tolerance widths short")
    short = np.flatnonzero(distance > 0)
    distances = dict(zip(short.tolist(), number_texts(distance[short].tolist(), 1), strict=True))
    unjudged, super_text = tr("no trusted value with a target this period"), tr("super-touchpoint")
    reasons = []
    columns = (rows[c].tolist() for c in ("tier", "streak", "periods_seen", "super", "kano"))
    for i, (tier, streak, seen, is_super, kano) in enumerate(zip(*columns, strict=True)):
        if int(tier) == 5:
            reasons.append(unjudged)
            continue
        parts = []
        if i in distances:
            parts.append(shortfall.format(distance=distances[i]))
        if int(streak) >= streak_periods:
            parts.append(streak_text(int(streak), None if pd.isna(seen) else int(seen)))
        if bool(is_super):
            parts.append(super_text)
        if isinstance(kano, str) and kano:
            parts.append(kano_name(str(kano)))
        reasons.append(" · ".join(parts))
    return reasons
