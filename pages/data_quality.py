"""Data quality (data teams): what is wrong with the data, since when, and a button to check now."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from checks.catalogue import check_label, outcome_label, severity_label
from metrics.formatting import number_text
from metrics.i18n import tr
from ui.alert_sections import show_alert_deliveries
from ui.check_runs import current_job, show_check_run, start_check_run
from ui.context import app_context, show_problem
from ui.quality_loaders import load_quality, quality_state
from ui.quality_sections import (
    failing_frame,
    show_check_detail,
    show_data_docs,
    show_failing,
    show_freshness,
    show_history,
)
from ui.text import literal

ctx = app_context()
st.title(tr("Data quality"))
if not ctx.scope.everything:  # failing rows and check history cover every touchpoint
    st.info(tr("The data-quality page is for the data team and executives: its checks and failing rows "
               "cover every journey, not only yours. Untrusted values on your pages are marked in purple."))
    st.stop()
engine, problem = quality_state(ctx)
if engine is None:
    show_problem(tr("The check history cannot be opened"), [problem],
                 tr("Set MOT_STATE_URL to a writable store."))
    st.stop()

button_col, note_col = st.columns([1, 4])
note_col.caption(tr(
    "Checks run on the warehouse with Great Expectations. Data teams can also run "
    "`python -m checks run` on a schedule; both write to the same history."
))
job = current_job(ctx.settings.state_url)
busy = (job is not None and job.running) or not ctx.scope.can_run_checks
if button_col.button(tr("Run checks now"), type="primary", icon="▶️", disabled=busy,
                     help=None if ctx.scope.can_run_checks
                     else tr("Only the data team and admins run checks.")):
    job, started = start_check_run(ctx.settings.state_url, ctx.warehouse, engine, dt.date.today(),
                                   ctx.settings.data_dir / "gx")
    if not started:
        st.info(tr("A check run is already going; its results show here when it ends."))
show_check_run(ctx.settings.state_url)

view = load_quality(engine)
if view is None:
    st.info(tr("No checks have run yet. Press **Run checks now**, or run `python -m checks run`."))
    show_alert_deliveries(ctx)
    st.stop()

run = view.run
tiles = st.columns(4)
tiles[0].metric(tr("Checks passed"), int(run["passed"]))
tiles[1].metric(tr("Critical failing"), int(run["failed_critical"]))
tiles[2].metric(tr("Warnings failing"), int(run["failed_warning"]))
tiles[3].metric(tr("Could not run"), int(run["errors"]))
TRIGGERS = {"app": tr("app"), "cli": tr("cli"), "demo": tr("demo")}  # the stored keys, as said
st.caption(tr(
    "Latest run {run_id} ({trigger}) at {started} UTC, data checked as of {as_of}, warehouse {warehouse}. "
    "A value shows as **not trusted** on every page when its touchpoints, KPI and period overlap the failing "
    "rows of a critical check; rows no value can hold (no key, unknown touchpoint or KPI) are listed here "
    "only."
).format(
    run_id=literal(run["run_id"]),
    trigger=literal(TRIGGERS.get(str(run["trigger"]), str(run["trigger"]))),
    started=pd.Timestamp(run["started_at"]).strftime(tr("%d %b %Y %H:%M")),
    as_of=pd.Timestamp(run["as_of"]).strftime(tr("%d %b %Y")),
    warehouse=literal(run["warehouse"]),
))
show_data_docs(run)

outcomes = zip(view.results["outcome"], view.results["severity"], strict=True)
names = zip(view.results["check_id"], view.results["name"], strict=True)
# Check names and severities in the current language; check_id and severity stay the stored keys.
results = view.results.assign(result=[outcome_label(o, s) for o, s in outcomes],
                              name=[check_label(c, n) for c, n in names],
                              severity_label=view.results["severity"].map(severity_label))
failing = results[results["outcome"] != "passed"]
st.subheader(tr("Failing checks") if not failing.empty else tr("All checks pass"))
if not failing.empty:
    frame = failing_frame(ctx, view, failing)
    show_failing(frame)
    st.subheader(tr("One failing check"))
    show_check_detail(ctx, frame)

st.subheader(tr("History"))
show_history(view, dict(zip(results["check_id"], results["name"], strict=True)))

st.subheader(tr("Freshness"))
show_freshness(ctx, view)

with st.expander(tr("All {count} checks").format(count=number_text(len(results)))):
    headers = {"result": tr("result"), "severity_label": tr("severity"), "name": tr("name"),
               "table_name": tr("table_name"), "check_id": tr("check_id")}
    st.dataframe(results[list(headers)].rename(columns=headers), hide_index=True, width="stretch")

show_alert_deliveries(ctx)
