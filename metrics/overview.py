"""The executive overview's figures: one row per journey, headline KPI cells, and the moments of
truth off target, worst first. Pure functions over scored frames (metrics.effectiveness)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.changes import DeltaShown, change_verdict, delta_shown
from metrics.effectiveness import (
    health_scores,
    moments_on_target,
    mot_on_target_text,
)
from metrics.i18n import tr
from metrics.judgement import status_text
from metrics.registry import KpiRegistry
from metrics.status import Status, health_status, severity_rank

__all__ = ["headline_cells", "journey_summary", "moments_off_target", "OverviewTiles", "overview_tiles"]


def journey_summary(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, journeys: pd.DataFrame
) -> pd.DataFrame:
    """journey_id, journey, owner, persona, health, status (of health), mot_on_target, mot_judged,
    mot_text ("x of y"); worst health first, journeys without a score last."""
    health = health_scores(tp_scored, touchpoints)
    mots = moments_on_target(tp_scored, touchpoints)
    out = journeys[["journey_id", "name", "owner", "persona"]].rename(columns={"name": "journey"})
    out = out.merge(health, on="journey_id", how="left").merge(mots, on="journey_id", how="left")
    out[["mot_on_target", "mot_judged"]] = out[["mot_on_target", "mot_judged"]].fillna(0).astype(int)
    out["status"] = out["health"].map(lambda h: health_status(h).value)
    counts = zip(out["mot_on_target"], out["mot_judged"], strict=True)
    out["mot_text"] = [mot_on_target_text(x, y) for x, y in counts]
    return out.sort_values("health", na_position="last").reset_index(drop=True)


def headline_cells(
    journey_scored: pd.DataFrame, registry: KpiRegistry, journeys: pd.DataFrame
) -> pd.DataFrame:
    """One cell per journey and headline KPI: formatted value, target, change and status.

    ``journey_scored``: journey_id, kpi_id, value, target, status and optionally delta_prev and
    trust_reason. KPIs a journey does not measure are left out rather than shown as empty.
    """
    headline = [k.kpi_id for k in registry.headline()]
    cells = journey_scored[journey_scored["kpi_id"].isin(headline) & journey_scored["value"].notna()].copy()
    names = dict(zip(journeys["journey_id"], journeys["name"], strict=False))
    cells["journey"] = cells["journey_id"].map(names)
    cells["kpi"] = cells["kpi_id"].map(lambda k: registry[k].name)
    cells["value_text"] = [
        registry[k].format(v) for k, v in zip(cells["kpi_id"], cells["value"], strict=True)
    ]
    cells["target_text"] = [
        registry[k].format(v) for k, v in zip(cells["kpi_id"], cells["target"], strict=True)
    ]
    delta = cells["delta_prev"] if "delta_prev" in cells else pd.Series(float("nan"), index=cells.index)
    cells["delta_text"] = [_delta_text(registry, k, d) for k, d in zip(cells["kpi_id"], delta, strict=True)]
    cells["text"] = cells["value_text"]
    # Shown in the cell itself, not only on hover: the target and the change.
    target_word = tr("target {target}")
    cells["detail"] = [target_word.format(target=t) + "\n" + d
                       for t, d in zip(cells["target_text"], cells["delta_text"], strict=True)]
    reasons = cells["trust_reason"] if "trust_reason" in cells else pd.Series("", index=cells.index)
    cells["reason"] = [_reason(s, r) for s, r in zip(cells["status"], reasons.fillna(""), strict=True)]
    if "status_text" in cells:
        cells["text"] = cells["value_text"].where(
            cells["status"].ne(Status.NOT_TRUSTED.value), "⊘ " + cells["value_text"] + "?"
        )
    return cells.reset_index(drop=True)


def _delta_text(registry: KpiRegistry, kpi_id: str, delta: float) -> str:
    kpi = registry[kpi_id]
    return change_verdict(None if pd.isna(delta) else float(delta), kpi.unit.value, kpi.scale,
                          kpi.higher_is_better)


def _reason(status: str, trust_reason: str) -> str:
    if status == Status.NOT_TRUSTED.value:
        return tr("Not trusted: {reason}").format(
            reason=trust_reason or tr("critical data-quality checks fail for these rows"))
    return Status(status).label + (f" ({trust_reason})" if trust_reason else "")


def moments_off_target(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry
) -> pd.DataFrame:
    """Moments of truth with a KPI off target or at risk, worst first (status, then gap in
    tolerance bands). A value that is not trusted is listed too, with its status against target
    beside the ⊘ mark, so both facts show. Columns: journey_id, touchpoint, owner, kpi,
    value_text, target_text, status, status_text, bands_below."""
    info = touchpoints[["touchpoint_id", "name", "owner", "moment_of_truth"]]
    stale = [c for c in ("name", "owner", "moment_of_truth") if c in tp_scored.columns]
    against_target = tp_scored["target_status"] if "target_status" in tp_scored else tp_scored["status"]
    # Off target or at risk first, then their touchpoints (not every judged value merged, then cut).
    missed = against_target.isin([Status.OFF_TARGET.value, Status.AT_RISK.value]).to_numpy()
    rows = tp_scored[missed].drop(columns=stale).merge(info, on="touchpoint_id")
    bad = rows[rows["moment_of_truth"].to_numpy(dtype=bool)].copy()
    band = bad["tolerance"].abs().where(lambda b: b > 0, 1.0)
    bad["bands_below"] = (-bad["gap"]).clip(lower=0) / band
    bad["severity"] = severity_rank(bad["status"])
    bad = bad.sort_values(["severity", "bands_below"], ascending=[True, False])
    bad["kpi"] = bad["kpi_id"].map(lambda k: registry[k].name)
    # Worded a KPI at a time (the same strings as KpiDef.format row by row; #19).
    bad["value_text"] = registry.format_each(bad["kpi_id"], bad["value"])
    bad["target_text"] = registry.format_each(bad["kpi_id"], bad["target"])
    bad = bad.rename(columns={"name": "touchpoint"})
    if "status_text" not in bad:
        bad["status_text"] = bad["status"].map(lambda s: status_text(str(s)))
    columns = [
        "journey_id",
        "touchpoint_id",
        "touchpoint",
        "owner",
        "kpi_id",
        "kpi",
        "value_text",
        "target_text",
        "status",
        "status_text",
        "bands_below",
    ]
    return bad[columns].reset_index(drop=True)


@dataclass(frozen=True)
class OverviewTiles:
    """The overview's four tiles, each with its change against the previous period."""

    journeys: int
    healthy: int
    healthy_change: DeltaShown
    mot_text: str
    mot_share_change: DeltaShown  # percentage points of moments of truth on target
    mot_off: int
    mot_off_change: DeltaShown


def overview_tiles(
    summary: pd.DataFrame, mots_off: pd.DataFrame, summary_before: pd.DataFrame, mots_off_before: pd.DataFrame
) -> OverviewTiles:
    """Tiles from journey_summary and moments_off_target of the period and the previous one.

    Healthy journeys are those whose health status is on target (metrics.status.health_status,
    the same rule as their label and colour); an empty earlier period gives no change."""
    def healthy(frame: pd.DataFrame) -> int:
        return int(frame["health"].map(lambda h: health_status(h) is Status.ON_TARGET).sum())

    def share(frame: pd.DataFrame) -> float | None:
        judged = int(frame["mot_judged"].sum())
        return None if judged == 0 else 100.0 * int(frame["mot_on_target"].sum()) / judged

    def off(frame: pd.DataFrame) -> int:
        return int((frame["status"] == Status.OFF_TARGET.value).sum())

    had_before = bool(summary_before["health"].notna().any()) if len(summary_before) else False
    now_share, before_share = share(summary), share(summary_before)
    share_delta = None if now_share is None or before_share is None else now_share - before_share
    on, judged = int(summary["mot_on_target"].sum()), int(summary["mot_judged"].sum())
    return OverviewTiles(
        journeys=len(summary),
        healthy=healthy(summary),
        healthy_change=delta_shown(healthy(summary) - healthy(summary_before) if had_before else None,
                                   "count", 1.0, True),
        mot_text=mot_on_target_text(on, judged),
        mot_share_change=delta_shown(share_delta, "percent", 100.0, True),
        mot_off=off(mots_off),
        mot_off_change=delta_shown(off(mots_off) - off(mots_off_before) if had_before else None,
                                   "count", 1.0, False),
    )
