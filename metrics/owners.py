"""The touchpoint owners' view: whose touchpoints, biggest movers and quick wins, each with a reason.

Definitions (also in README "My touchpoints"):
- **An owner's touchpoints**: those they own (touchpoint owner) plus every touchpoint of the
  journeys whose map they own (map owner).
- **Band** ("tolerance width" on the pages): the unit that makes gaps and moves of different
  KPIs comparable, as in metrics.effectiveness.pain_points: the target's tolerance; if that is
  missing or zero, 5% of the target; if there is no target either, 1 KPI unit.
- **Biggest movers**: (touchpoint, KPI) pairs with a target, ranked by |move| in bands since the
  previous period, where ``move = change / band``, signed so that + is better (direction aware).
  KPIs without a target (e.g. reach) have no band that makes their moves comparable, so they
  are left out.
- **Quick wins**: moments of truth whose KPI is off target or at risk, ranked by
  ``score = weight x shortfall / cost``: shortfall = how far below target in bands, weight = the
  touchpoint's weight, cost = its mean actual monthly spend in thousands of EUR (the proxy for the
  cost to improve it). A touchpoint without recorded spend (or zero spend) has no cost, so
  score is NaN: it is listed after the ranked ones, ordered by weight x shortfall, and its reason
  says the cost is unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from metrics.formatting import LANGUAGES, current_language, money_text, number_text, percent_text
from metrics.i18n import N_, tr
from metrics.model import Direction
from metrics.registry import KpiRegistry, kpi_directions
from metrics.status import Status

__all__ = ["bands", "biggest_movers", "monthly_spend", "owner_names", "owner_touchpoints", "pain_reasons",
    "quick_wins", "recent_values", "ROLE_MAP", "ROLE_TOUCHPOINT"]

TARGET_BAND_SHARE = 0.05
#: An owner's role for a touchpoint: stored English (compared in code), shown with ``tr(role)``.
ROLE_TOUCHPOINT = N_("touchpoint owner")
ROLE_MAP = N_("map owner")


def owner_names(journeys: pd.DataFrame, touchpoints: pd.DataFrame) -> list[str]:
    """Every map and touchpoint owner, sorted, without blanks."""
    names = pd.concat([journeys["owner"], touchpoints["owner"]]).dropna().astype(str).str.strip()
    return sorted(names[names != ""].unique().tolist())  # distinct first: Arrow cells iterate slowly


def owner_touchpoints(owner: str, journeys: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """The owner's touchpoints with a ``role`` column; owning the touchpoint wins over the map."""
    own = touchpoints["owner"].astype(str) == owner
    maps = journeys.loc[journeys["owner"].astype(str) == owner, "journey_id"]
    in_map = touchpoints["journey_id"].isin(maps)
    out = touchpoints[own | in_map].copy()
    out["role"] = np.where(own[own | in_map], ROLE_TOUCHPOINT, ROLE_MAP)
    return out.reset_index(drop=True)


def bands(frame: pd.DataFrame) -> pd.Series:
    """The band (module docstring) for each row of a frame with target and tolerance."""
    tolerance = frame["tolerance"].astype("float64").abs()
    by_target = frame["target"].astype("float64").abs() * TARGET_BAND_SHARE
    band = tolerance.where(tolerance > 0, by_target)
    return band.where(band > 0, 1.0)


def biggest_movers(
    compared: pd.DataFrame, registry: KpiRegistry, names: pd.DataFrame, top: int = 5
) -> pd.DataFrame:
    """The ``top`` biggest moves since the previous period, with a reason each.

    ``compared``: touchpoint_id, kpi_id, value, value_previous, target, tolerance (from
    metrics.trends.compare_periods with suffix "previous"). ``names``: touchpoint_id, name.
    Returns touchpoint_id, name, kpi_id, value, value_previous, move (bands, + is better), reason.
    """
    moved = compared.dropna(subset=["value", "value_previous", "target"]).copy()
    if moved.empty:
        return pd.DataFrame(columns=["touchpoint_id", "name", "kpi_id", "value", "value_previous",
                                     "move", "reason"])
    higher = kpi_directions(moved["kpi_id"], registry).eq(Direction.HIGHER_IS_BETTER.value)  # per KPI, #19
    change = moved["value"] - moved["value_previous"]
    moved["move"] = np.where(higher, change, -change) / bands(moved)
    moved = moved.merge(names[["touchpoint_id", "name"]], on="touchpoint_id", how="left")
    moved = moved.reindex(moved["move"].abs().sort_values(ascending=False).index).head(top)
    moved["reason"] = [_mover_reason(r, registry) for r in moved.itertuples(index=False)]
    columns = ["touchpoint_id", "name", "kpi_id", "value", "value_previous", "move", "reason"]
    return moved[columns].reset_index(drop=True)


def _mover_reason(row: object, registry: KpiRegistry) -> str:
    kpi = registry[str(row.kpi_id)]  # type: ignore[attr-defined]
    value, before, move = row.value, row.value_previous, row.move  # type: ignore[attr-defined]
    text = (tr("{kpi} rose from {before} to {value} since the previous period: {move} tolerance widths "
               "{better}") if value > before else
            tr("{kpi} fell from {before} to {value} since the previous period: {move} tolerance widths "
               "{better}"))
    return text.format(kpi=kpi.name, before=kpi.format(before), value=kpi.format(value),
                       move=number_text(abs(move), 1), better=tr("better") if move > 0 else tr("worse"))


def quick_wins(
    scored: pd.DataFrame,
    touchpoints: pd.DataFrame,
    spend: pd.DataFrame,
    registry: KpiRegistry,
    top: int = 5,
) -> pd.DataFrame:
    """Moments of truth worth fixing first (module docstring), with a reason each.

    ``scored``: touchpoint_id, kpi_id, value, target, tolerance, status, gap (metrics.
    metrics.judgement.judge). ``spend``: touchpoint_id, monthly_spend (EUR; may be empty).
    Returns touchpoint_id, name, kpi_id, status, shortfall, weight, monthly_spend, score, reason.
    """
    columns = ["touchpoint_id", "name", "kpi_id", "status", "shortfall", "weight", "monthly_spend",
               "score", "reason"]
    below = scored[scored["status"].isin([Status.OFF_TARGET.value, Status.AT_RISK.value])]
    info = touchpoints[["touchpoint_id", "name", "moment_of_truth", "weight"]]
    wins = below.merge(info, on="touchpoint_id", how="inner")
    wins = wins[wins["moment_of_truth"].astype(bool)].copy()
    if wins.empty:
        return pd.DataFrame(columns=columns)
    wins["shortfall"] = (-wins["gap"].astype("float64")).clip(lower=0) / bands(wins)
    wins = wins.merge(spend[["touchpoint_id", "monthly_spend"]], on="touchpoint_id", how="left")
    cost = wins["monthly_spend"].astype("float64") / 1000.0
    wins["score"] = wins["weight"] * wins["shortfall"] / cost.where(cost > 0)
    wins["_fallback"] = wins["weight"] * wins["shortfall"]
    wins = wins.sort_values(["score", "_fallback"], ascending=False, na_position="last").head(top)
    wins["reason"] = [_win_reason(r, registry) for r in wins.itertuples(index=False)]
    return wins[columns].reset_index(drop=True)


def _win_reason(row: object, registry: KpiRegistry) -> str:
    kpi = registry[str(row.kpi_id)]  # type: ignore[attr-defined]
    status = Status(row.status).label  # type: ignore[attr-defined]
    # English writes the status inside the sentence ("off target"); German after a colon, as it is.
    head = tr("Moment of truth {status} on {kpi} ({value} against {target}, short by {shortfall} tolerance "
              "widths), weight {weight}").format(
        status=status.lower() if current_language() == "en" else status, kpi=kpi.name,
        value=kpi.format(row.value), target=kpi.format(row.target),  # type: ignore[attr-defined]
        shortfall=number_text(row.shortfall, 1),  # type: ignore[attr-defined]
        weight=_weight_text(row.weight))  # type: ignore[attr-defined]
    spend = row.monthly_spend  # type: ignore[attr-defined]
    if pd.isna(spend) or spend <= 0:
        return tr("{reason}; no spend recorded for this touchpoint, so the cost to improve is "
                  "unknown").format(reason=head)
    return tr("{reason}; costs about {spend} a month, so little money moves it").format(
        reason=head, spend=money_text(spend))


def _weight_text(weight: float) -> str:
    """A weight as written in the mapping: '1.5', '2' ('1,5' in German)."""
    return format_decimal(float(weight), locale=LANGUAGES[current_language()])


def monthly_spend(budget: pd.DataFrame) -> pd.DataFrame:
    """Mean actual spend per month of each touchpoint from budget rows (month, touchpoint_id,
    actual). Months without a row do not count; rows without a touchpoint are left out."""
    rows = budget.dropna(subset=["touchpoint_id"])
    per_month = rows.groupby(["touchpoint_id", "month"], as_index=False)["actual"].sum()
    mean = per_month.groupby("touchpoint_id", as_index=False)["actual"].mean()
    return mean.rename(columns={"actual": "monthly_spend"})


def pain_reasons(pain: pd.DataFrame, registry: KpiRegistry) -> pd.Series:
    """Why each row of metrics.effectiveness.pain_points is listed, in words."""
    reasons = []
    columns = (pain["kpi_id"].astype(str), pain["shortfall"].astype(float),
               pain["moment_of_truth"].astype(bool), pain["drop_off"].astype(float))
    for kpi_id, shortfall, is_mot, drop_off in zip(*columns, strict=True):
        kpi = registry.get(kpi_id)
        text = (tr("{kpi} is {shortfall} tolerance widths below target at a moment of truth (counts double)")
                if is_mot else tr("{kpi} is {shortfall} tolerance widths below target")).format(
            kpi=kpi.name if kpi else kpi_id, shortfall=number_text(shortfall, 1))
        if not np.isnan(drop_off):
            text = tr("{reason}; {share} of customers drop off after this stage").format(
                reason=text, share=percent_text(drop_off * 100, 0))
        reasons.append(text)
    return pd.Series(reasons, index=pain.index, dtype="str")


def recent_values(series: pd.DataFrame, keys: list[str], periods: int,
                  among: np.ndarray | None = None) -> pd.DataFrame:
    """The last ``periods`` values of each series as a list (oldest first; None for no value),
    for small trend lines. Returns the key columns and ``trend``. ``among``: the periods to take the
    last ``periods`` of, the frame's own unless given (a part of a frame read by touchpoint passes
    those of every part, as ``off_target_streaks`` does)."""
    starts = sorted(series["period_start"].unique() if among is None else among)[-periods:]
    # Only the columns read here: the judged series' text columns are not copied (#19: memory).
    recent = series.loc[series["period_start"].isin(starts), [*keys, "period_start", "value"]]
    recent = recent.dropna(subset=keys)
    if recent.empty:
        return recent.groupby(keys)["value"].agg(list).rename("trend").reset_index()
    # Each series' rows together, in period order; then one split of the whole column (a Python
    # step per series, not per value: 100 M rows give an owner tens of thousands of values).
    recent = recent.sort_values([*keys, "period_start"], kind="stable")
    sizes = recent.groupby(keys, sort=True).size()
    values = recent["value"].astype("float64").to_numpy()
    cells = values.astype(object)
    cells[np.isnan(values)] = None
    shown = cells.tolist()
    bounds = [0, *sizes.cumsum().tolist()]
    lists = [shown[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]
    return pd.Series(lists, index=sizes.index, dtype=object, name="trend").reset_index()
