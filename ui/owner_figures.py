"""My touchpoints' figures from the owner's judged series, built once per request (ui/page_figures.py).

Alerts, priorities (every value in words), movers, pain points and quick wins were derived on
every run: about 0.6 s of CPU of a warm My touchpoints run at 10 M rows (#19). ``owner_figures``
returns them cached; the page only draws. The alert history and the actions come from the state
store and are read on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from metrics.alerts import DEFAULT_WINDOW
from metrics.effectiveness import stage_conversion
from metrics.judgement import judged_count
from metrics.model import Filters, Grain, Period, Scope
from metrics.owners import monthly_spend, owner_touchpoints, quick_wins, recent_values
from metrics.priorities import owner_priorities
from metrics.streaks import off_target_streaks
from metrics.trends import complete_window
from ui.context import AppContext
from ui.loaders import judged_series, load_budget, load_funnel
from ui.owner_sections import AlertLines, PainLines, alert_lines, movers, pain_lines, priority_table
from ui.page_figures import page_figures
from ui.quality_loaders import trust_counts
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


def _build(ctx: AppContext, owner: str, grain: Grain, streak_periods: int) -> OwnerFigures | None:
    registry = ctx.registry
    mine = owner_touchpoints(owner, ctx.journeys, ctx.touchpoints)
    mine = mine.assign(journey=mine["journey_id"].map(ctx.journey_name))
    window = owner_window(ctx, grain, streak_periods)
    series, recent = judged_series(ctx, max(window.start, ctx.first_date), window.end, by=Scope.TOUCHPOINT,
                                   grain=grain, filters=Filters(touchpoint_ids=tuple(mine["touchpoint_id"])),
                                   columns=SERIES_COLUMNS, whole_periods=2)
    if series.empty:
        return None
    periods = sorted(series["period_start"].unique())
    keys = ["touchpoint_id", "kpi_id"]
    # What reads the whole series first, then the series let go: at 100 M fact rows it is 411,210
    # rows (about 75 MB), kept alive until the end it sat under every later step's peak (#19: memory).
    streaks = off_target_streaks(series, keys)
    alerts = alert_lines(series, ctx.touchpoints, registry, streak_periods, streaks)
    trend = recent_values(series, keys, SPARK_PERIODS)
    del series
    latest = recent[recent["period_start"] == periods[-1]]
    previous = recent[recent["period_start"] == periods[-2]] if len(periods) > 1 else latest.iloc[:0]
    del recent

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
