"""My touchpoints' figures from the owner's judged series, built once per request (ui/page_figures.py).

Alerts, priorities (every value in words), movers, pain points and quick wins were derived on
every run: about 0.6 s of CPU of a warm My touchpoints run at 10 M rows (#19). ``owner_figures``
returns them cached; the page only draws. The alert history and the actions come from the state
store and are read on every run.

The owner's series is read in parts of touchpoints (ui.read_parts.owner_parts) where the monthly summary
answers it (ui/read_parts.py): at 100 M fact rows an owner of 3,990 touchpoints has 411,210 monthly
values over the alerts' 27 months, and read at once, with their judged series, streaks and alerts,
they took the app's peak 150-200 MB above where the page started (#19: memory).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from metrics.alerts import DEFAULT_WINDOW, compute_alerts, order_alerts
from metrics.effectiveness import stage_conversion
from metrics.judgement import Yardstick, judged_count
from metrics.model import Filters, Grain, Period, Scope
from metrics.owners import monthly_spend, owner_touchpoints, quick_wins, recent_values
from metrics.priorities import owner_priorities
from metrics.streaks import off_target_streaks
from metrics.trends import complete_window
from ui.context import AppContext
from ui.loaders import judged_series, load_budget, load_funnel, yardstick
from ui.owner_sections import AlertLines, PainLines, alert_lines, movers, pain_lines, priority_table
from ui.page_figures import page_figures
from ui.quality_loaders import trust_counts
from ui.read_parts import owner_parts
from ui.tables import arrow_table

SPARK_PERIODS = 13
SPEND_MONTHS = 3
#: What the whole series is read for (the alerts, streaks and trend lines); the latest two periods,
#: ranked, compared and worded, keep every judged column (ui.loaders.judged_series).
SERIES_COLUMNS = ("period_start", "touchpoint_id", "kpi_id", "value", "target", "tolerance", "status",
                  "trust", "trust_reason")


@dataclass(frozen=True)
class OwnerFigures:
    #: Start of the latest complete period (week or month).
    latest: pd.Timestamp
    #: (values not trusted, values) of the latest period: ui.quality_loaders.show_trust_counts.
    trust: tuple[int, int]
    alerts: AlertLines
    #: ui.owner_sections.priority_table: the owner's KPIs worst first, as shown (as Arrow: drawn on
    #: every run, converted once; thousands of rows for an owner of many touchpoints).
    priorities: pa.Table
    #: (touchpoint, KPI) of the first priority: the record form's suggestion.
    first_priority: tuple[str, str] | None
    movers: pd.DataFrame
    pains: PainLines
    #: metrics.owners.quick_wins.
    wins: pd.DataFrame
    #: Values of the owner's moments of truth judged against a target in the latest period.
    mot_judged: int


def owner_window(ctx: AppContext, grain: Grain, streak_periods: int) -> Period:
    """The complete periods the page reads: enough for the alerts' window and the streaks."""
    return complete_window(ctx.as_of, grain, max(DEFAULT_WINDOW, streak_periods) + 1)


@dataclass(frozen=True)
class _FromSeries:
    """What the figures take from the owner's judged series (or a part of it), which is then let go."""

    #: Every judged column of the rows of the last two periods (ui.loaders.judged_series).
    recent: pd.DataFrame
    #: metrics.streaks.off_target_streaks by touchpoint and KPI.
    streaks: pd.DataFrame
    #: metrics.alerts.compute_alerts by touchpoint, most severe first.
    alerts: pd.DataFrame
    #: metrics.owners.recent_values of the last SPARK_PERIODS periods.
    trend: pd.DataFrame


def _from_series(ctx: AppContext, parts: list[tuple[str, ...]], window: Period,
                 grain: Grain) -> tuple[np.ndarray, _FromSeries] | None:
    """The series' periods (sorted) and what the figures take from it, read and judged a part at a
    time, each part let go before the next is read; None when no part has a row.

    Each part counts its streaks, alerts and trend lines over the periods of the parts read so far
    and its own. A part read before another that has a period it lacks is read and counted again
    over every period, so the figures are always the ones the series read at once gives; with data
    in every period no part is read twice."""
    # Parts' frames are not cached (held until the build ends, they would add up) and are judged
    # against one yardstick, built once.
    judging = None if len(parts) == 1 else yardstick(ctx)
    read: list[tuple[tuple[str, ...], np.ndarray, _FromSeries]] = []
    periods = np.array([], dtype="datetime64[ns]")
    for part in parts:
        series, recent = _judged_part(ctx, part, window, grain, judging)
        if series.empty:  # no figure to take from it, whatever the periods
            continue
        periods = np.union1d(periods, pd.unique(series["period_start"]))
        read.append((part, periods, _from_part(ctx, series, recent, periods)))
        del series, recent  # before the next part is read and judged (#19: memory)
    if not len(periods):
        return None
    taken = []
    for part, counted_over, figures in read:
        if not np.array_equal(counted_over, periods):
            series, recent = _judged_part(ctx, part, window, grain, judging)
            figures = _from_part(ctx, series, recent, periods)
            del series, recent
        taken.append(figures)
    return periods, _FromSeries(
        _joined([t.recent for t in taken]), _joined([t.streaks for t in taken]),
        order_alerts([t.alerts for t in taken], ["touchpoint_id"]), _joined([t.trend for t in taken]))


def _judged_part(ctx: AppContext, part: tuple[str, ...], window: Period, grain: Grain,
                 judging: Yardstick | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    return judged_series(ctx, window.start, window.end, by=Scope.TOUCHPOINT, grain=grain,
                         filters=Filters(touchpoint_ids=part), columns=SERIES_COLUMNS, whole_periods=2,
                         kept=judging is None, judging=judging)


def _from_part(ctx: AppContext, series: pd.DataFrame, recent: pd.DataFrame,
               periods: np.ndarray) -> _FromSeries:
    """What the figures take from a part of the series, counted over ``periods``."""
    keys = ["touchpoint_id", "kpi_id"]
    return _FromSeries(recent, off_target_streaks(series, keys, periods),
                       compute_alerts(series, ctx.registry, ["touchpoint_id"], latest=periods[-1]),
                       recent_values(series, keys, SPARK_PERIODS, among=periods))


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _build(ctx: AppContext, owner: str, grain: Grain, streak_periods: int) -> OwnerFigures | None:
    registry = ctx.registry
    mine = owner_touchpoints(owner, ctx.journeys, ctx.touchpoints)
    mine = mine.assign(journey=mine["journey_id"].map(ctx.journey_name))
    window = owner_window(ctx, grain, streak_periods)
    read = Period(max(window.start, ctx.first_date), window.end)
    found = _from_series(ctx, owner_parts(ctx.warehouse, mine["touchpoint_id"], grain, read), read, grain)
    if found is None:
        return None
    periods, taken = found
    recent, streaks, trend = taken.recent, taken.streaks, taken.trend
    latest = recent[recent["period_start"] == periods[-1]]
    previous = recent[recent["period_start"] == periods[-2]] if len(periods) > 1 else latest.iloc[:0]
    alerts = alert_lines(taken.alerts, latest, streaks, ctx.touchpoints, registry, streak_periods)
    del found, taken, recent

    journey_touchpoints = ctx.touchpoints[ctx.touchpoints["journey_id"].isin(mine["journey_id"])]
    ranked = owner_priorities(latest, journey_touchpoints, streaks, streak_periods)
    del streaks
    ranked = ranked[ranked["touchpoint_id"].isin(mine["touchpoint_id"])].merge(
        mine[["touchpoint_id", "journey", "third_party"]], on="touchpoint_id")
    first_priority = ((str(ranked["touchpoint_id"].iloc[0]), str(ranked["kpi_id"].iloc[0])) if len(ranked)
                      else None)
    shown = priority_table(ranked, trend, registry)
    del ranked, trend
    priorities = arrow_table(shown)
    del shown

    journeys = tuple(mine["journey_id"].unique())
    funnel = load_funnel(ctx, pd.Timestamp(periods[-1]).date(), window.end, journeys)
    spend_from = (pd.Timestamp(window.end) - pd.DateOffset(months=SPEND_MONTHS) + pd.Timedelta(days=1)).date()
    spend = monthly_spend(load_budget(ctx, spend_from, window.end, ("month", "touchpoint_id")))
    mot_values = latest[latest["touchpoint_id"].isin(mine.loc[mine["moment_of_truth"], "touchpoint_id"])]
    return OwnerFigures(
        latest=pd.Timestamp(periods[-1]),
        trust=trust_counts(latest),
        alerts=alerts,
        priorities=priorities,
        first_priority=first_priority,
        movers=movers(latest, previous, ctx.touchpoints, registry),
        pains=pain_lines(latest, mine, stage_conversion(funnel, ctx.stages), registry),
        wins=quick_wins(latest, mine, spend, registry),
        mot_judged=judged_count(mot_values),
    )


def owner_figures(ctx: AppContext, owner: str, grain: Grain, streak_periods: int) -> OwnerFigures | None:
    """The page's figures for ``owner``; None when none of their touchpoints has KPI data in the
    last complete periods."""
    return page_figures(_build, ctx, owner, grain, streak_periods)
