"""The executive overview's journey cards: per journey its health score written out, the change
against the previous period, a monthly health trend, and the two KPIs that pull the score down most.

Rules (README "Journey figures"):
- **Health** is metrics.effectiveness.health_scores, read in whole points (metrics.status).
- **Change**: health now minus health in the previous period of the same length, in points.
- **Trend**: the health score of each month (each judged against the targets of its last day).
- **What pulls the score down**: each judged touchpoint KPI loses the journey
  ``100 x weight x (1 - status points) / total weight`` health points (weight x 3 for a moment of
  truth, as in the score). The two KPIs losing most are named, with their gap to target, moments of
  truth first on a tie. Values not trusted or without target lose nothing (they are not in the score).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.changes import DeltaShown, change_verdict, delta_shown
from metrics.effectiveness import (
    MOT_WEIGHT,
    health_scores,
    moments_on_target,
    mot_on_target_text,
    weighted_health,
)
from metrics.formatting import MISSING, kpi_change_text
from metrics.i18n import tr
from metrics.registry import KpiRegistry
from metrics.status import STATUS_POINTS, health_points, health_status

__all__ = ["Drag", "health_change_text", "health_grid", "health_series", "health_text", "JourneyCard",
    "journey_cards", "months_health", "score_drags", "DRAGS_SHOWN", "TREND_COLUMNS"]

#: How many KPIs a card names as pulling its score down.
DRAGS_SHOWN = 2
#: The columns of judged values ``health_series`` (the trend) reads.
TREND_COLUMNS = ("period_start", "touchpoint_id", "status")


@dataclass(frozen=True)
class Drag:
    """One touchpoint KPI that costs its journey health points."""

    touchpoint: str
    moment_of_truth: bool
    kpi: str
    value_text: str
    target_text: str
    gap_text: str  # '1.20 pts below target'
    points_lost: float

    @property
    def text(self) -> str:
        mark = "★ " if self.moment_of_truth else ""
        return tr("{mark}{touchpoint} · {kpi} {value}, target {target} ({gap})").format(
            mark=mark, touchpoint=self.touchpoint, kpi=self.kpi, value=self.value_text,
            target=self.target_text, gap=self.gap_text)


@dataclass(frozen=True)
class JourneyCard:
    journey_id: str
    journey: str
    owner: str
    persona: str
    health: float | None
    status: str
    health_text: str  # '72 / 100'
    change: DeltaShown  # health points against the previous period
    change_text: str  # '▲ 4 pts (better)'
    trend: tuple[float | None, ...]  # monthly health, oldest first
    drags: tuple[Drag, ...]
    mot_text: str


def health_text(health: float | None) -> str:
    shown = health_points(health)
    return MISSING if shown is None else f"{shown} / 100"


def health_change_text(now: float | None, before: float | None) -> tuple[DeltaShown, str]:
    """The change in whole health points, as a tile delta and as words."""
    a, b = health_points(now), health_points(before)
    delta = None if a is None or b is None else float(a - b)
    return delta_shown(delta, "score", 100.0, True), change_verdict(delta, "score", 100.0, True)


def health_series(tp_series: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Health per journey and period from judged touchpoint values with ``period_start``
    (TREND_COLUMNS are all it reads).

    Returns period_start, journey_id, health (NaN for a period with nothing judged)."""
    starts = sorted(tp_series["period_start"].dropna().unique())
    if not starts:
        return health_grid(pd.DataFrame(), starts, touchpoints)
    # Every journey in every period (as health_scores gives per period), judged in one pass over
    # all periods instead of one per period (12 merges of 145,000 rows at 100 M rows, #19).
    return health_grid(months_health(tp_series, touchpoints), starts, touchpoints)


def months_health(tp_series: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Health per period and journey of judged touchpoint values with ``period_start``: period_start,
    journey_id, health, only where something was judged (``health_grid`` adds the rest)."""
    return weighted_health(tp_series, touchpoints, ["period_start"])


def health_grid(health: pd.DataFrame, starts: list[object], touchpoints: pd.DataFrame) -> pd.DataFrame:
    """``health_series`` from ``health`` (``months_health`` of some or all journeys) and the
    series' periods ``starts`` (sorted): every journey in every period, health NaN where nothing
    was judged. A series read a part of the journeys at a time gives the same as read at once:
    each journey's health comes from its own rows."""
    if not len(starts):
        return pd.DataFrame({"period_start": [], "journey_id": [], "health": []})
    journeys = touchpoints["journey_id"].drop_duplicates()
    grid = pd.DataFrame({
        "period_start": pd.Series(starts).repeat(len(journeys)).to_numpy(),
        "journey_id": np.tile(journeys.to_numpy(), len(starts)),
    })
    return grid.merge(health, on=["period_start", "journey_id"], how="left")


def score_drags(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry, per_journey: int = DRAGS_SHOWN
) -> pd.DataFrame:
    """The touchpoint KPIs that cost each journey most health points (module docstring).

    ``tp_scored``: judged touchpoint values (touchpoint_id, kpi_id, value, target, gap, status).
    Returns journey_id, touchpoint, moment_of_truth, kpi_id, value, target, gap, points_lost;
    at most ``per_journey`` rows per journey, most points lost first; none that lose nothing."""
    points = tp_scored["status"].map({s.value: p for s, p in STATUS_POINTS.items()})
    # The columns it reads (a judged frame has twenty more; the places come from ``touchpoints``).
    judged = tp_scored[["touchpoint_id", "kpi_id", "value", "target", "gap"]].assign(points=points)
    judged = judged.dropna(subset=["points"])
    info = touchpoints[["touchpoint_id", "journey_id", "name", "weight", "moment_of_truth"]]
    judged = judged.drop(columns=[c for c in info.columns[1:] if c in judged.columns]).merge(
        info, on="touchpoint_id")
    weight = judged["weight"].clip(lower=0) * np.where(judged["moment_of_truth"], MOT_WEIGHT, 1.0)
    total = weight.groupby(judged["journey_id"]).transform("sum")
    judged["points_lost"] = 100.0 * weight * (1.0 - judged["points"]) / total.where(total > 0)
    losing = judged[judged["points_lost"] > 0].rename(columns={"name": "touchpoint"})
    losing = losing.sort_values(["points_lost", "moment_of_truth", "touchpoint", "kpi_id"],
                                ascending=[False, False, True, True])
    top = losing.groupby("journey_id", sort=False).head(per_journey)
    columns = ["journey_id", "touchpoint", "moment_of_truth", "kpi_id", "value", "target", "gap",
               "points_lost"]
    return top[columns].reset_index(drop=True)


def _gap_text(gap: float, kpi_id: str, registry: KpiRegistry) -> str:
    kpi = registry[kpi_id]
    size = kpi_change_text(abs(gap), kpi.unit.value, kpi.scale).lstrip("+±")
    if kpi.higher_is_better:
        return tr("{size} below target").format(size=size)
    return tr("{size} above target").format(size=size)


def _drags(rows: pd.DataFrame, registry: KpiRegistry) -> tuple[Drag, ...]:
    return tuple(
        Drag(
            touchpoint=str(r.touchpoint),
            moment_of_truth=bool(r.moment_of_truth),
            kpi=registry[str(r.kpi_id)].name,
            value_text=registry[str(r.kpi_id)].format(r.value),
            target_text=registry[str(r.kpi_id)].format(r.target),
            gap_text=_gap_text(float(r.gap), str(r.kpi_id), registry),
            points_lost=float(r.points_lost),
        )
        for r in rows.itertuples(index=False)
    )


def journey_cards(
    tp_scored: pd.DataFrame,
    tp_before: pd.DataFrame,
    tp_series: pd.DataFrame | None,
    touchpoints: pd.DataFrame,
    journeys: pd.DataFrame,
    registry: KpiRegistry,
    *,
    summaries: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    health: pd.DataFrame | None = None,
) -> list[JourneyCard]:
    """One card per journey, worst health first, journeys with no score last.

    ``tp_scored`` / ``tp_before``: judged touchpoint values of the period and the previous one;
    ``tp_series``: judged touchpoint values by month (with period_start) for the trend.
    ``summaries``: metrics.overview.journey_summary of ``tp_scored`` and of ``tp_before`` (empty
    when ``tp_before`` is), when the caller has them: their health and moments of truth are the
    ones computed here otherwise (the Overview computed each twice, #19). ``health``:
    ``health_series`` of ``tp_series`` when the caller has it instead (read in parts, #19: memory)."""
    if summaries is None:
        now = health_scores(tp_scored, touchpoints).set_index("journey_id")["health"]
        before = health_scores(tp_before, touchpoints).set_index("journey_id")["health"] \
            if not tp_before.empty else pd.Series(dtype="float64")
        mots = moments_on_target(tp_scored, touchpoints).set_index("journey_id")
    else:
        summary, summary_before = (s.drop_duplicates("journey_id").set_index("journey_id") for s in summaries)
        now, before, mots = summary["health"], summary_before["health"], summary
    if health is not None:
        series = health
    elif tp_series is not None:
        series = health_series(tp_series, touchpoints)
    else:
        raise ValueError("journey_cards needs tp_series or its health series")  # i18n: not shown
    drags = score_drags(tp_scored, touchpoints, registry)
    cards = []
    for j in journeys.itertuples(index=False):
        jid = str(j.journey_id)
        health = _float(now.get(jid))
        change, change_words = health_change_text(health, _float(before.get(jid)))
        trend = series[series["journey_id"] == jid].sort_values("period_start")["health"]
        on, judged = (int(mots.loc[jid, "mot_on_target"]), int(mots.loc[jid, "mot_judged"])) \
            if jid in mots.index else (0, 0)
        cards.append(JourneyCard(
            journey_id=jid, journey=_text(j.name), owner=_text(j.owner), persona=_text(j.persona),
            health=health, status=health_status(health).value, health_text=health_text(health),
            change=change, change_text=change_words,
            trend=tuple(_float(v) for v in trend), drags=_drags(drags[drags["journey_id"] == jid], registry),
            mot_text=mot_on_target_text(on, judged),
        ))
    return sorted(cards, key=lambda c: (c.health is None, c.health if c.health is not None else 0.0))


def _float(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def _text(value: object) -> str:
    return MISSING if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
