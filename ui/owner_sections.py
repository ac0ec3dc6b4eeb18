"""My touchpoints' lists, each item with the reason it is listed: alerts, biggest movers and pain
points (rules in metrics.alerts and metrics.owners; values judged by metrics.judgement, so a value
that is not trusted is never a mover or a pain point and raises a data-quality line instead)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.alerts import DATA_QUALITY, DEFAULT_THRESHOLD, DEFAULT_WINDOW, compute_alerts, describe_alerts
from metrics.effectiveness import pain_points
from metrics.judgement import NOTHING_JUDGED, judged_count, trusted_values
from metrics.owners import biggest_movers, pain_reasons
from metrics.registry import KpiRegistry
from metrics.trends import compare_periods
from ui.text import literal

SEVERITY_ICONS = {"critical": "🔴", "warning": "⚠️", "info": "ℹ️"}
SHOWN_ALERTS = 12
SHOWN_PAINS = 6


def show_alerts(series: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry) -> None:
    st.subheader("Alerts")
    alerts = describe_alerts(compute_alerts(series, registry, ["touchpoint_id"]), touchpoints, registry)
    quality = alerts[alerts["kind"] == DATA_QUALITY]
    alerts = alerts[alerts["kind"] != DATA_QUALITY]
    if alerts.empty:
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
