"""My touchpoints' lists, each item with the reason it is listed: alerts, biggest movers and pain
points (rules in metrics.alerts and metrics.owners; values judged by metrics.judgement, so a value
that is not trusted is never a mover or a pain point and raises a data-quality line instead)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.alerts import DATA_QUALITY, DEFAULT_THRESHOLD, DEFAULT_WINDOW, compute_alerts, describe_alerts
from metrics.effectiveness import pain_points
from metrics.journey_map import THIRD_PARTY_MARK
from metrics.judgement import NOTHING_JUDGED, judged_count, trusted_values
from metrics.kano import SUPER_MARK
from metrics.owners import biggest_movers, pain_reasons
from metrics.registry import KpiRegistry
from metrics.streaks import DEFAULT_ALERT_STREAK, standing_off_target, streak_text
from metrics.trends import compare_periods
from ui.tables import WRAPPING_ROW_HEIGHT, show_status_table
from ui.text import literal

SEVERITY_ICONS = {"critical": "🔴", "warning": "⚠️", "info": "ℹ️"}
SHOWN_ALERTS = 12
SHOWN_PAINS = 6


def show_alerts(series: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry,
                streak_periods: int = DEFAULT_ALERT_STREAK) -> None:
    st.subheader("Alerts")
    alerts = describe_alerts(compute_alerts(series, registry, ["touchpoint_id"]), touchpoints, registry)
    quality = alerts[alerts["kind"] == DATA_QUALITY]
    alerts = alerts[alerts["kind"] != DATA_QUALITY]
    standing = _standing_lines(series, touchpoints, registry, streak_periods, alerts)
    for line in standing[:SHOWN_ALERTS]:
        st.markdown(f"{SEVERITY_ICONS['critical']} {line}")
    if alerts.empty and standing:
        st.caption(f"Listed because the value has been off target {streak_periods} or more periods in a row "
                   "(MOT_ALERT_STREAK), even though its status did not change.")
    elif alerts.empty:
        untrusted = f" among trusted values ({len(quality)} not trusted, see below)" if len(quality) else ""
        st.info(f"No target crossings or unusual changes in the latest period{untrusted}.")
    else:
        for row in alerts.head(SHOWN_ALERTS).itertuples(index=False):
            icon = SEVERITY_ICONS[str(row.severity)]
            st.markdown(f"{icon} **{literal(row.touchpoint)}** — {literal(row.reason)}")
        st.caption("Crossing: the status changed since the previous period. Unusual: the robust z-score "
                   f"(median and MAD of the previous {DEFAULT_WINDOW} periods) is {DEFAULT_THRESHOLD} "
                   "or more.")
    for row in quality.head(SHOWN_ALERTS).itertuples(index=False):
        st.markdown(f"⊘ **{literal(row.touchpoint)}** — {literal(row.reason)} (the data team is alerted)")


def _standing_lines(series: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry,
                    streak_periods: int, alerts: pd.DataFrame) -> list[str]:
    """Off target ``streak_periods`` periods in a row (metrics.streaks) and not already alerted."""
    standing = standing_off_target(series, ["touchpoint_id", "kpi_id"], streak_periods)
    alerted = set(zip(alerts["touchpoint_id"], alerts["kpi_id"], strict=True)) if len(alerts) else set()
    names = dict(zip(touchpoints["touchpoint_id"], touchpoints["name"], strict=False))
    latest = series[series["period_start"] == series["period_start"].max()]
    latest = latest.set_index(["touchpoint_id", "kpi_id"])
    lines = []
    for row in standing.itertuples(index=False):
        if (row.touchpoint_id, row.kpi_id) in alerted:
            continue
        kpi, value = registry[str(row.kpi_id)], latest.loc[(row.touchpoint_id, row.kpi_id)]
        lines.append(f"**{literal(names.get(row.touchpoint_id, row.touchpoint_id))}** — "
                     + literal(f"{kpi.name} {streak_text(row.streak, row.periods_seen)}: "
                               f"{kpi.format(value['value'])} against a target of "
                               f"{kpi.format(value['target'])}"))
    return lines


def show_priorities(
    ranked: pd.DataFrame, trend: pd.DataFrame, registry: KpiRegistry, trend_label: str
) -> None:
    """The owner's touchpoint KPIs worst first (metrics.priorities), each with why it is there."""
    table = ranked.merge(trend, on=["touchpoint_id", "kpi_id"], how="left")
    table = table.assign(
        kpi=table["kpi_id"].map(lambda k: registry[k].name),
        value_text=[registry[k].format(v) for k, v in zip(table["kpi_id"], table["value"], strict=True)],
        target_text=[registry[k].format(v) for k, v in zip(table["kpi_id"], table["target"], strict=True)],
    )
    table["name"] = [_touchpoint_label(r) for r in table.itertuples(index=False)]
    columns = {"rank": "#", "tier_text": "Priority", "name": "Touchpoint", "kpi": "KPI",
               "value_text": "Value", "target_text": "Target", "reason": "Why it comes here",
               "journey": "Journey", "trend": "Trend"}
    if table["journey"].nunique() < 2:
        columns.pop("journey")
    show_status_table(table, columns, row_height=WRAPPING_ROW_HEIGHT,
                      column_config={"Trend": st.column_config.LineChartColumn(trend_label, width="small"),
                                     "Priority": st.column_config.TextColumn(width="small"),
                                     "Touchpoint": st.column_config.TextColumn(width="medium"),
                                     "KPI": st.column_config.TextColumn(width="small"),
                                     "Why it comes here": st.column_config.TextColumn(width="medium")})
    st.caption(f"{MOT_MARK} moment of truth · {SUPER_MARK} super-touchpoint (a moment of truth that is a "
               f"must-be or delighter and weighs at least the journey's average) · {THIRD_PARTY_MARK} "
               "third-party touchpoint. Order: moments of truth off target, then must-be factors off "
               "target, then the rest by how far below target × weight × Kano class; values off target "
               "several periods in a row lead their group.")


MOT_MARK = "★"


def _touchpoint_label(row: object) -> str:
    """The touchpoint's name with its marks, as on the journey map: ★ ◆ name ⇄."""
    marks = [MOT_MARK if bool(row.moment_of_truth) else "",  # type: ignore[attr-defined]
             SUPER_MARK if bool(row.super) else "", str(row.name),  # type: ignore[attr-defined]
             THIRD_PARTY_MARK if bool(getattr(row, "third_party", False)) else ""]
    return " ".join(m for m in marks if m)


def show_quick_wins(wins: pd.DataFrame) -> None:
    """Quick wins (metrics.owners.quick_wins) as full sentences: their reasons are long."""
    for row in wins.itertuples(index=False):
        st.markdown(f"**{literal(row.name)}** — {literal(row.reason)} (value for money {row.score:.2f})"
                    if pd.notna(row.score) else f"**{literal(row.name)}** — {literal(row.reason)}")


def show_movers(latest: pd.DataFrame, previous: pd.DataFrame, touchpoints: pd.DataFrame,
                registry: KpiRegistry) -> None:
    st.subheader("Biggest movers since last period")
    compared = compare_periods(trusted_values(latest), {"previous": trusted_values(previous)},
                               ["touchpoint_id", "kpi_id"], registry)
    movers = biggest_movers(compared, registry, touchpoints)
    if movers.empty:
        st.info("No earlier period with trusted values to compare with.")
    for row in movers.itertuples(index=False):
        arrow = "⬆️" if row.move > 0 else "⬇️"
        st.markdown(f"{arrow} **{literal(row.name)}** — {literal(row.reason)}")


def show_pain_points(latest: pd.DataFrame, mine: pd.DataFrame, conversion: pd.DataFrame,
                     registry: KpiRegistry) -> None:
    st.subheader("Pain points")
    pains = pain_points(latest, mine, conversion)
    judged = judged_count(latest)
    if judged == 0:
        st.info(NOTHING_JUDGED)
    elif pains.empty:
        st.success(f"None of these touchpoints is below target in the latest period ({judged} values "
                   "judged).")
    shown = pains.head(SHOWN_PAINS)
    for row, reason in zip(shown.itertuples(index=False), pain_reasons(shown, registry), strict=True):
        st.markdown(f"**{literal(row.name)}** — {literal(reason)}")
