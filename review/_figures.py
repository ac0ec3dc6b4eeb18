"""The quarter's figures as one tidy frame: pure functions over small aggregated frames.

One row per figure: a journey KPI, a KPI at a moment of truth, or a budget figure of a journey.
Columns (FIGURE_COLUMNS): where it belongs (journey, section, touchpoint), what it is (figure_id,
name, unit), the quarter's value with the target in force on the quarter's last day and its
status, the previous quarter's and the same quarter last year's values, and the differences
``vs_target = value - target``, ``vs_previous = value - previous_value``,
``vs_last_year = value - last_year_value`` in the figure's unit (raw differences; the status and
the KPI's direction say whether that is good). A missing value or reference gives NaN, never 0.
Each earlier quarter is judged against its own yardstick: ``previous_target`` and
``previous_status`` (the target in force on the previous quarter's last day, or the previous
quarter's plan for budget), ``last_year_target`` likewise, so a marker of the previous quarter is
never drawn against this quarter's plan.

Budget: ``budget_actual`` is judged against the plan (target = planned, lower is better, amber
band = BUDGET_TOLERANCE_SHARE of the plan); ``cost_per_conversion`` = actual spend / customers
converting at any touchpoint of the journey (NaN when nobody converted).
Moments of truth: ``mot_on_target`` = share (%) of the journey's judged moments of truth that are
on target, by the one definition of metrics.effectiveness (a moment of truth is on target when
every KPI of it with a trusted value and a target is on target). It has no target, so no status.

Trust (metrics.trust): each figure of the quarter is judged over the quarter's own dates, so a
fault in a later quarter never marks this one; the moment-of-truth share leaves untrusted values
out, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.budget import CONVERSION_KPI
from metrics.effectiveness import moments_on_target
from metrics.i18n import N_
from metrics.model import Direction
from metrics.registry import KpiRegistry, compute_values
from metrics.status import Status, classify_frame
from metrics.targets import resolve_targets
from metrics.trust import TrustEvidence, TrustState, apply_trust

FIGURE_COLUMNS: tuple[str, ...] = (
    "journey_id", "journey_name", "section", "touchpoint_id", "touchpoint_name", "figure_id",
    "figure_name", "unit", "direction", "value", "target", "tolerance", "status", "previous_value",
    "last_year_value", "vs_target", "vs_previous", "vs_last_year", "trust", "trust_reason",
    "previous_target", "previous_status", "last_year_target", "scale",
)
NUMBER_COLUMNS: tuple[str, ...] = (
    "value", "target", "tolerance", "previous_value", "last_year_value",
    "vs_target", "vs_previous", "vs_last_year", "previous_target", "last_year_target", "scale",
)
SECTIONS: tuple[str, ...] = ("kpi", "moment_of_truth", "budget")
BUDGET_TOLERANCE_SHARE = 0.05
PERIOD_NAMES: tuple[str, ...] = ("current", "previous", "last_year")


#: Trust states as the review stores them (the same four states as every page).
Trust = TrustState
#: How snapshots closed before the four states named "not trusted".
_LEGACY_TRUST = {"not trusted": TrustState.NOT_TRUSTED.value}  # i18n: not shown


def current_trust_names(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures of an older snapshot with today's trust state names."""
    return figures.assign(trust=figures["trust"].replace(_LEGACY_TRUST))


@dataclass(frozen=True)
class PeriodFrames:
    """Aggregated warehouse frames of one period (connectors.queries shapes)."""

    journey_kpis: pd.DataFrame  # kpi_frame by journey
    mot_kpis: pd.DataFrame  # kpi_frame by touchpoint, moments of truth only
    budget: pd.DataFrame  # budget_frame by journey_id
    end: dt.date
    start: dt.date | None = None


def kpi_values(frame: pd.DataFrame, registry: KpiRegistry, keys: list[str]) -> pd.DataFrame:
    """keys + kpi_id + value (+ numerator), only KPIs the registry knows."""
    known = frame[frame["kpi_id"].astype(str).isin(registry.ids())]
    out = known[[*keys, "kpi_id", "numerator"]].copy()
    out["value"] = compute_values(known, registry)
    return out.reset_index(drop=True)


def _judge(values: pd.DataFrame, targets: pd.DataFrame, on: dt.date, registry: KpiRegistry) -> pd.DataFrame:
    judged = resolve_targets(values, targets, on)
    # One look-up per KPI, not per row (thousands of moments of truth at 100 M rows, #19).
    directions = judged["kpi_id"].map({k: registry[k].direction.value for k in judged["kpi_id"].unique()})
    judged["status"] = classify_frame(judged, directions) if len(judged) else pd.Series(dtype="str")
    return judged


def _earlier(frame: pd.DataFrame, keys: list[str], prefix: str, status: bool) -> pd.DataFrame:
    """An earlier period's value with its own target (and status): ``<prefix>_value`` and so on."""
    columns = ["value", "target", *(["status"] if status else [])]
    part = frame.reindex(columns=[*keys, *columns])
    return part.rename(columns={c: f"{prefix}_{c}" for c in columns})


def _compare(current: pd.DataFrame, previous: pd.DataFrame, last_year: pd.DataFrame,
             keys: list[str]) -> pd.DataFrame:
    out = current.merge(_earlier(previous, keys, "previous", True), on=keys, how="left").merge(
        _earlier(last_year, keys, "last_year", False), on=keys, how="left")
    out["vs_target"] = out["value"] - out["target"]
    out["vs_previous"] = out["value"] - out["previous_value"]
    out["vs_last_year"] = out["value"] - out["last_year_value"]
    return out


def _all_keys(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    stacked = pd.concat([f[keys] for f in frames], ignore_index=True)
    return stacked.drop_duplicates().reset_index(drop=True)


def kpi_section(periods: dict[str, PeriodFrames], targets: pd.DataFrame,
                registry: KpiRegistry) -> pd.DataFrame:
    """Journey KPIs: every (journey, KPI) with data in any of the three quarters."""
    keys = ["journey_id", "kpi_id"]
    values = {n: kpi_values(p.journey_kpis, registry, ["journey_id"]) for n, p in periods.items()}
    grid = _all_keys(list(values.values()), keys)
    judged = {n: _judge(grid.merge(values[n][[*keys, "value"]], on=keys, how="left"), targets,
                        periods[n].end, registry) for n in periods}
    out = _compare(judged["current"], judged["previous"], judged["last_year"], keys)
    out["section"] = "kpi"
    out["touchpoint_id"] = ""
    return out


def mot_statuses(values: pd.DataFrame, touchpoints: pd.DataFrame, targets: pd.DataFrame,
                 on: dt.date, registry: KpiRegistry) -> pd.DataFrame:
    """Moment-of-truth KPI values that have a target in force on ``on``, with their status."""
    located = values.merge(touchpoints[["touchpoint_id", "journey_id", "stage_id"]], on="touchpoint_id")
    judged = _judge(located, targets, on, registry)
    return judged[judged["target"].notna()].reset_index(drop=True)


def mot_section(periods: dict[str, PeriodFrames], touchpoints: pd.DataFrame, targets: pd.DataFrame,
                registry: KpiRegistry, trust: TrustEvidence | None = None) -> pd.DataFrame:
    keys = ["touchpoint_id", "kpi_id"]
    evidence = trust or TrustEvidence.unchecked()
    judged = {
        n: apply_trust(
            mot_statuses(kpi_values(p.mot_kpis, registry, ["touchpoint_id"]), touchpoints, targets, p.end,
                         registry),
            evidence, touchpoints, p.start, p.end,
        )
        for n, p in periods.items()
    }
    details = _compare(judged["current"], judged["previous"], judged["last_year"], keys)
    details["section"] = "moment_of_truth"
    summary = _mot_summary(judged, touchpoints)
    return pd.concat([summary, details], ignore_index=True)


def _share_on_target(judged: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Per journey with a judged moment of truth: the share on target (metrics.effectiveness)."""
    counts = moments_on_target(judged, touchpoints)
    counts = counts[counts["mot_judged"] > 0]
    return pd.DataFrame({
        "journey_id": counts["journey_id"],
        "value": counts["mot_on_target"] / counts["mot_judged"] * 100.0,
        "status": Status.NO_DATA.value,
    })


def _mot_summary(judged: dict[str, pd.DataFrame], touchpoints: pd.DataFrame) -> pd.DataFrame:
    shares = {n: _share_on_target(j, touchpoints) for n, j in judged.items()}
    out = shares["current"].assign(target=np.nan, tolerance=np.nan)
    out = _compare(out, shares["previous"], shares["last_year"], ["journey_id"])
    out["vs_target"] = np.nan
    return out.assign(section="moment_of_truth", touchpoint_id="", kpi_id="mot_on_target")


def budget_section(periods: dict[str, PeriodFrames], registry: KpiRegistry) -> pd.DataFrame:
    """Planned, actual (judged against plan) and cost per conversion per journey."""
    rows = {n: _judge_against_plan(_budget_rows(p, registry)) for n, p in periods.items()}
    keys = ["journey_id", "kpi_id"]
    out = _compare(rows["current"], rows["previous"], rows["last_year"], keys)
    return out.assign(section="budget", touchpoint_id="")


def _judge_against_plan(rows: pd.DataFrame) -> pd.DataFrame:
    """Each period's actual spend against that period's own plan (lower is better)."""
    band = rows["target"] * BUDGET_TOLERANCE_SHARE
    rows["tolerance"] = band.where(rows["kpi_id"].eq("budget_actual"))
    rows["status"] = classify_frame(
        rows, pd.Series(Direction.LOWER_IS_BETTER.value, index=rows.index)
    ) if len(rows) else pd.Series(dtype="str")
    return rows


def _budget_rows(period: PeriodFrames, registry: KpiRegistry) -> pd.DataFrame:
    budget = period.budget.groupby("journey_id", as_index=False)[["planned", "actual"]].sum(min_count=1)
    kpis = kpi_values(period.journey_kpis, registry, ["journey_id"])
    conversions = kpis[kpis["kpi_id"] == CONVERSION_KPI][["journey_id", "numerator"]]
    merged = budget.merge(conversions, on="journey_id", how="left")
    per_conversion = merged["actual"] / merged["numerator"].where(merged["numerator"] > 0)
    parts = [
        pd.DataFrame({"journey_id": merged["journey_id"], "kpi_id": "budget_planned",
                      "value": merged["planned"], "target": np.nan}),
        pd.DataFrame({"journey_id": merged["journey_id"], "kpi_id": "budget_actual",
                      "value": merged["actual"], "target": merged["planned"]}),
        pd.DataFrame({"journey_id": merged["journey_id"], "kpi_id": "cost_per_conversion",
                      "value": per_conversion, "target": np.nan}),
    ]
    return pd.concat(parts, ignore_index=True).assign(tolerance=np.nan)


#: Names and units of the figures that are not KPIs of the registry. The names are stored in
#: English (figures frames, closed quarters' snapshots, the CSV) and read in the current language
#: where they are shown (review.formatting.figure_name).
_UP, _DOWN = Direction.HIGHER_IS_BETTER.value, Direction.LOWER_IS_BETTER.value
OTHER_FIGURES: dict[str, tuple[str, str, str]] = {
    "mot_on_target": (N_("Moments of truth on target"), "percent", _UP),
    "budget_planned": (N_("Budget planned"), "currency", _DOWN),
    "budget_actual": (N_("Budget actual (against plan)"), "currency", _DOWN),
    "cost_per_conversion": (N_("Cost per conversion"), "currency", _DOWN),
}


def assemble_figures(sections: list[pd.DataFrame], journeys: pd.DataFrame, touchpoints: pd.DataFrame,
                     registry: KpiRegistry) -> pd.DataFrame:
    """Stack the sections, add names and units, order them, keep FIGURE_COLUMNS (trust unchecked)."""
    stacked = pd.concat([s for s in sections if len(s)], ignore_index=True)
    if stacked.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in NUMBER_COLUMNS else "str")
                             for c in FIGURE_COLUMNS})
    out = stacked.rename(columns={"kpi_id": "figure_id"})
    names = dict(zip(journeys["journey_id"].astype(str), journeys["name"].astype(str), strict=False))
    tp_names = dict(zip(touchpoints["touchpoint_id"].astype(str), touchpoints["name"].astype(str),
                        strict=False))
    out["journey_name"] = out["journey_id"].map(lambda j: names.get(j, j))
    out["touchpoint_id"] = out["touchpoint_id"].fillna("").astype(str)
    out["touchpoint_name"] = out["touchpoint_id"].map(lambda t: tp_names.get(t, t) if t else "")
    out["figure_name"] = out["figure_id"].map(lambda f: _figure_meta(f, registry)[0])
    out["unit"] = out["figure_id"].map(lambda f: _figure_meta(f, registry)[1])
    out["direction"] = out["figure_id"].map(lambda f: _figure_meta(f, registry)[2])
    out["scale"] = out["figure_id"].map(lambda f: registry[f].scale if f in registry.ids() else 1.0)
    out["status"] = out["status"].fillna(Status.NO_DATA.value).astype(str)
    out["previous_status"] = out["previous_status"].fillna(Status.NO_DATA.value).astype(str)
    out["trust"], out["trust_reason"] = Trust.UNCHECKED, ""
    order = {j: i for i, j in enumerate(journeys["journey_id"].astype(str))}
    figure_order = {f: i for i, f in enumerate([*OTHER_FIGURES, *registry.ids()])}
    out["_j"] = out["journey_id"].map(lambda j: order.get(j, len(order)))
    out["_s"] = out["section"].map(SECTIONS.index)
    out["_f"] = out["figure_id"].map(lambda f: figure_order.get(f, len(figure_order)))
    out = out.sort_values(["_j", "_s", "touchpoint_id", "_f"], kind="stable")
    for column in NUMBER_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    return out[list(FIGURE_COLUMNS)].reset_index(drop=True)


def _figure_meta(figure_id: str, registry: KpiRegistry) -> tuple[str, str, str]:
    if figure_id in OTHER_FIGURES:
        return OTHER_FIGURES[figure_id]
    kpi = registry[figure_id]
    return kpi.name, kpi.unit.value, kpi.direction.value


def mark_trust(figures: pd.DataFrame, trust: TrustEvidence | None, touchpoints: pd.DataFrame,
               start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Trust state per figure over the quarter [start, end] (metrics.trust.apply_trust); ``None``
    means no check run yet.

    Moment-of-truth figures are matched by touchpoint, journey figures by journey (a journey
    figure is untrusted when one of its touchpoints is, in the quarter). A figure that is not
    trusted gets status not_trusted, so its colour never looks true; its status against target
    stays in the label (metrics.judgement.status_text).
    """
    out = figures.copy()
    evidence = trust or TrustEvidence.unchecked()
    at_touchpoint = out["touchpoint_id"].ne("")
    parts = [
        out[at_touchpoint].drop(columns="journey_id"),
        out[~at_touchpoint].drop(columns="touchpoint_id"),
    ]
    judged = []
    for part in parts:
        marked = apply_trust(part.rename(columns={"figure_id": "kpi_id"}), evidence, touchpoints, start, end)
        judged.append(marked[["trust", "trust_reason", "status"]])
    marks = pd.concat(judged).loc[out.index]
    out["status"] = marks["status"].astype(str)
    out["trust"] = marks["trust"].astype(str)
    out["trust_reason"] = marks["trust_reason"].astype(str)
    return out
