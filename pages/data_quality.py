"""Data quality (data teams): what is wrong with the data, since when, and a button to check now."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui.alert_sections import show_alert_deliveries
from ui.check_runs import current_job, show_check_run, start_check_run
from ui.context import app_context, show_problem
from ui.quality_charts import outcome_label
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
st.title("Data quality")
if not ctx.scope.everything:  # failing rows and check history cover every touchpoint
    st.info("The data-quality page is for the data team and executives: its checks and failing rows "
            "cover every journey, not only yours. Untrusted values on your pages are marked in purple.")
    st.stop()
engine, problem = quality_state(ctx)
if engine is None:
    show_problem("The check history cannot be opened", [problem], "Set MOT_STATE_URL to a writable store.")
    st.stop()

button_col, note_col = st.columns([1, 4])
note_col.caption(
    "Checks run on the warehouse with Great Expectations. Data teams can also run "
    "`python -m checks run` on a schedule; both write to the same history."
)
job = current_job(ctx.settings.state_url)
busy = (job is not None and job.running) or not ctx.scope.can_run_checks
if button_col.button("Run checks now", type="primary", icon="▶️", disabled=busy,
                     help=None if ctx.scope.can_run_checks else "Only the data team and admins run checks."):
    job, started = start_check_run(ctx.settings.state_url, ctx.warehouse, engine, dt.date.today(),
                                   ctx.settings.data_dir / "gx")
    if not started:
        st.info("A check run is already going; its results show here when it ends.")
show_check_run(ctx.settings.state_url)

view = load_quality(engine)
if view is None:
    st.info("No checks have run yet. Press **Run checks now**, or run `python -m checks run`.")
    show_alert_deliveries(ctx)
    st.stop()

run = view.run
tiles = st.columns(4)
tiles[0].metric("Checks passed", int(run["passed"]))
tiles[1].metric("Critical failing", int(run["failed_critical"]))
tiles[2].metric("Warnings failing", int(run["failed_warning"]))
tiles[3].metric("Could not run", int(run["errors"]))
started = pd.Timestamp(run["started_at"])
st.caption(
    f"Latest run {literal(run['run_id'])} ({literal(run['trigger'])}) at {started:%d %b %Y %H:%M} UTC, data "
    f"checked as of {pd.Timestamp(run['as_of']):%d %b %Y}, warehouse {literal(run['warehouse'])}. A value "
    "shows as **not trusted** on every page when its touchpoints, KPI and period overlap the failing rows of "
    "a critical check; rows no value can hold (no key, unknown touchpoint or KPI) are listed here only."
)
show_data_docs(run)

outcomes = zip(view.results["outcome"], view.results["severity"], strict=True)
results = view.results.assign(result=[outcome_label(o, s) for o, s in outcomes])
failing = results[results["outcome"] != "passed"]
st.subheader("Failing checks" if not failing.empty else "All checks pass")
if not failing.empty:
    frame = failing_frame(ctx, view, failing)
    show_failing(frame)
    st.subheader("One failing check")
    show_check_detail(ctx, frame)

st.subheader("History")
show_history(view, dict(zip(results["check_id"], results["name"], strict=True)))

st.subheader("Freshness")
show_freshness(ctx, view)

with st.expander(f"All {len(results)} checks"):
    st.dataframe(results[["result", "severity", "name", "table_name", "check_id"]], hide_index=True,
                 width="stretch")

show_alert_deliveries(ctx)
