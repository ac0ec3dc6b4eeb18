"""My touchpoints' lists, each item with the reason it is listed: alerts, biggest movers and pain
points (rules in metrics.alerts and metrics.owners; values judged by metrics.judgement, so a value
that is not trusted is never a mover or a pain point and raises a data-quality line instead)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from metrics.alerts import DATA_QUALITY, DEFAULT_THRESHOLD, DEFAULT_WINDOW, describe_alerts
from metrics.effectiveness import pain_points
from metrics.formatting import number_text
from metrics.i18n import N_, tr
from metrics.journey_map import THIRD_PARTY_MARK
from metrics.judgement import NOTHING_JUDGED, judged_count, trusted_values
from metrics.kano import SUPER_MARK
from metrics.owners import biggest_movers, pain_reasons
from metrics.registry import KpiRegistry
from metrics.streaks import DEFAULT_ALERT_STREAK, standing_off_target, streak_text
from metrics.trends import compare_periods
from ui.tables import WRAPPING_ROW_HEIGHT, show_table, status_table
from ui.text import literal

SEVERITY_ICONS = {"critical": "🔴", "warning": "⚠️", "info": "ℹ️"}
SHOWN_ALERTS = 12
SHOWN_PAINS = 6


@dataclass(frozen=True)
class AlertLines:
    """What the Alerts section lists (``alert_lines``): at most SHOWN_ALERTS of each kind."""

    standing: list[str]  # off target several periods in a row and not alerted (Markdown, text literal)
    alerts: pd.DataFrame  # crossings and unusual changes: touchpoint, reason, severity
    quality: pd.DataFrame  # values not trusted: touchpoint, reason
    quality_count: int


def alert_lines(alerts: pd.DataFrame, latest: pd.DataFrame, streaks: pd.DataFrame, touchpoints: pd.DataFrame,
                registry: KpiRegistry, streak_periods: int = DEFAULT_ALERT_STREAK) -> AlertLines:
    """The Alerts section's lines. ``alerts``: metrics.alerts.compute_alerts of the owner's judged
    series by touchpoint (of its parts, ``order_alerts``); ``latest``: the series' rows of its latest
    period; ``streaks``: metrics.streaks.off_target_streaks of the series by touchpoint and KPI."""
    alerts = describe_alerts(alerts, touchpoints, registry)
    quality = alerts[alerts["kind"] == DATA_QUALITY]
    alerts = alerts[alerts["kind"] != DATA_QUALITY]
    standing = _standing_lines(latest, touchpoints, registry, streak_periods, alerts, SHOWN_ALERTS, streaks)
    return AlertLines(standing, alerts.head(SHOWN_ALERTS).reset_index(drop=True),
                      quality.head(SHOWN_ALERTS).reset_index(drop=True), len(quality))


def show_alerts(lines: AlertLines, streak_periods: int = DEFAULT_ALERT_STREAK) -> None:
    st.subheader(tr("Alerts"))
    alerts, standing = lines.alerts, lines.standing
    for line in standing:
        st.markdown(f"{SEVERITY_ICONS['critical']} {line}")
    if alerts.empty and standing:
        st.caption(tr("Listed because the value has been off target {count} or more periods in a row "
                      "(MOT_ALERT_STREAK), even though its status did not change.").format(
            count=streak_periods))
    elif alerts.empty and lines.quality_count:
        st.info(tr("No target crossings or unusual changes in the latest period among trusted values "
                   "({count} not trusted, see below).").format(count=lines.quality_count))
    elif alerts.empty:
        st.info(tr("No target crossings or unusual changes in the latest period."))
    else:
        for row in alerts.itertuples(index=False):
            icon = SEVERITY_ICONS[str(row.severity)]
            st.markdown(f"{icon} **{literal(row.touchpoint)}** — {literal(row.reason)}")
        st.caption(tr("Crossing: the status changed since the previous period. Unusual: the robust z-score "
                      "(median and MAD of the previous {periods} periods) is {threshold} or more.").format(
            periods=DEFAULT_WINDOW, threshold=number_text(DEFAULT_THRESHOLD, 1)))
    for row in lines.quality.itertuples(index=False):
        st.markdown(tr("⊘ **{touchpoint}** — {reason} (the data team is alerted)").format(
            touchpoint=literal(row.touchpoint), reason=literal(row.reason)))


def _standing_lines(latest: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry,
                    streak_periods: int, alerts: pd.DataFrame, limit: int,
                    streaks: pd.DataFrame) -> list[str]:
    """Off target ``streak_periods`` periods in a row (metrics.streaks) and not already alerted:
    the first ``limit`` (longest first), the ones shown; the rest are not worded. ``latest``: the
    series' rows of its latest period (the values the lines quote)."""
    standing = standing_off_target(latest, ["touchpoint_id", "kpi_id"], streak_periods, streaks)
    alerted = set(zip(alerts["touchpoint_id"], alerts["kpi_id"], strict=True)) if len(alerts) else set()
    shown: list[Any] = []  # standing rows (named tuples) to word
    for row in standing.itertuples(index=False):
        if len(shown) == limit:
            break
        if (row.touchpoint_id, row.kpi_id) not in alerted:
            shown.append(row)
    # Names and latest values of the shown lines only (all touchpoints' names as a dict, and the
    # latest period of every series indexed, cost more than the dozen lines; #19).
    ids = touchpoints["touchpoint_id"]
    wanted = ids.isin([row.touchpoint_id for row in shown])
    names = dict(zip(ids[wanted], touchpoints.loc[wanted, "name"], strict=False))
    latest = latest[latest["touchpoint_id"].isin([row.touchpoint_id for row in shown])]
    latest = latest.set_index(["touchpoint_id", "kpi_id"])
    lines: list[str] = []
    for row in shown:
        kpi, value = registry[str(row.kpi_id)], latest.loc[(row.touchpoint_id, row.kpi_id)]
        line = tr("{kpi} {streak}: {value} against a target of {target}").format(
            kpi=kpi.name, streak=streak_text(row.streak, row.periods_seen), value=kpi.format(value["value"]),
            target=kpi.format(value["target"]))
        lines.append(f"**{literal(names.get(row.touchpoint_id, row.touchpoint_id))}** — {literal(line)}")
    return lines


def priority_table(ranked: pd.DataFrame, trend: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    """The owner's touchpoint KPIs worst first (metrics.priorities) as ``show_priorities`` shows them
    (ui.tables.status_table): values in words, each touchpoint with its marks, its trend; the
    journey only when there are several."""
    table = ranked.merge(trend, on=["touchpoint_id", "kpi_id"], how="left")
    table = table.assign(
        kpi=table["kpi_id"].map(lambda k: registry[k].name),
        value_text=registry.format_each(table["kpi_id"], table["value"]),  # a KPI at a time (#19)
        target_text=registry.format_each(table["kpi_id"], table["target"]),
    )
    third_party = table["third_party"].tolist() if "third_party" in table else [False] * len(table)
    table["name"] = [_touchpoint_label(*marks) for marks in zip(  # columns as lists: no tuple per row
        table["moment_of_truth"].tolist(), table["super"].tolist(), table["name"].tolist(), third_party,
        strict=True)]
    columns = {key: tr(heading) for key, heading in PRIORITY_COLUMNS.items()}
    if table["journey"].nunique() < 2:
        columns.pop("journey")
    return status_table(table, columns)


#: The priorities' columns with their headings (shown with ``tr``).
PRIORITY_COLUMNS = {"rank": "#", "tier_text": N_("Priority"), "name": N_("Touchpoint"), "kpi": N_("KPI"),
                    "value_text": N_("Value"), "target_text": N_("Target"), "reason": N_("Why it comes here"),
                    "journey": N_("Journey"), "trend": N_("Trend")}


def show_priorities(table: pd.DataFrame | pa.Table, trend_label: str) -> None:
    """The owner's touchpoint KPIs worst first (``priority_table``), each with why it is there."""
    headings = {key: tr(heading) for key, heading in PRIORITY_COLUMNS.items()}
    config = {headings["trend"]: st.column_config.LineChartColumn(trend_label, width="small"),
              headings["tier_text"]: st.column_config.TextColumn(width="medium"),
              headings["name"]: st.column_config.TextColumn(width="medium"),
              headings["kpi"]: st.column_config.TextColumn(width="small"),
              headings["reason"]: st.column_config.TextColumn(width="medium")}
    show_table(table, row_height=WRAPPING_ROW_HEIGHT, column_config=config)
    st.caption(tr("{mot} moment of truth · {super} super-touchpoint (a moment of truth that is a must-be or "
                  "delighter and weighs at least the journey's average) · {third_party} third-party "
                  "touchpoint. Order: moments of truth off target, then must-be factors off target, then "
                  "the rest by how far below target × weight × Kano class; values off target several periods "
                  "in a row lead their group.").format(mot=MOT_MARK, super=SUPER_MARK,
                                                       third_party=THIRD_PARTY_MARK))


MOT_MARK = "★"


def _touchpoint_label(moment_of_truth: object, is_super: object, name: object, third_party: object) -> str:
    """The touchpoint's name with its marks, as on the journey map: ★ ◆ name ⇄."""
    marks = [MOT_MARK if bool(moment_of_truth) else "", SUPER_MARK if bool(is_super) else "", str(name),
             THIRD_PARTY_MARK if bool(third_party) else ""]
    return " ".join(m for m in marks if m)


def show_quick_wins(wins: pd.DataFrame) -> None:
    """Quick wins (metrics.owners.quick_wins) as full sentences: their reasons are long."""
    for row in wins.itertuples(index=False):
        st.markdown(tr("**{name}** — {reason} (value for money {score})").format(
            name=literal(row.name), reason=literal(row.reason), score=number_text(row.score, 2))
                    if pd.notna(row.score) else f"**{literal(row.name)}** — {literal(row.reason)}")


def movers(latest: pd.DataFrame, previous: pd.DataFrame, touchpoints: pd.DataFrame,
           registry: KpiRegistry) -> pd.DataFrame:
    """metrics.owners.biggest_movers of the trusted values since the previous period."""
    compared = compare_periods(trusted_values(latest), {"previous": trusted_values(previous)},
                               ["touchpoint_id", "kpi_id"], registry)
    return biggest_movers(compared, registry, touchpoints)


def show_movers(moved: pd.DataFrame) -> None:
    st.subheader(tr("Biggest movers since last period"))
    if moved.empty:
        st.info(tr("No earlier period with trusted values to compare with."))
    for row in moved.itertuples(index=False):
        arrow = "⬆️" if row.move > 0 else "⬇️"
        st.markdown(f"{arrow} **{literal(row.name)}** — {literal(row.reason)}")


@dataclass(frozen=True)
class PainLines:
    """What the Pain points section says (``pain_lines``)."""

    judged: int  # values judged against a target
    any_pain: bool
    lines: list[tuple[object, object]]  # (touchpoint name, reason), at most SHOWN_PAINS


def pain_lines(latest: pd.DataFrame, mine: pd.DataFrame, conversion: pd.DataFrame,
               registry: KpiRegistry) -> PainLines:
    pains = pain_points(latest, mine, conversion)
    shown = pains.head(SHOWN_PAINS)
    reasons = pain_reasons(shown, registry)
    return PainLines(judged_count(latest), not pains.empty,
                     [(row.name, reason)
                      for row, reason in zip(shown.itertuples(index=False), reasons, strict=True)])


def show_pain_points(pains: PainLines) -> None:
    st.subheader(tr("Pain points"))
    if pains.judged == 0:
        st.info(tr(NOTHING_JUDGED))
    elif not pains.any_pain:
        st.success(tr("None of these touchpoints is below target in the latest period ({count} values "
                      "judged).").format(count=pains.judged))
    for name, reason in pains.lines:
        st.markdown(f"**{literal(name)}** — {literal(reason)}")
