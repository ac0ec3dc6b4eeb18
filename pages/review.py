"""Quarterly review: each journey against the targets in force that quarter, the previous quarter
and the same quarter last year; owner comments; close / reopen the quarter; export the pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from connectors.state import StateStoreError
from metrics.i18n import tr, tr_n
from review.exports import FORMATS, MEDIA_TYPES, pack_bytes, pack_file_name
from review.exports.files import ExportError, header_lines
from review.formatting import differences_table
from review.pack import EmptyQuarterError
from review.quarters import quarters_between
from ui.actions import action_store, decision_actions, load_actions, show_actions
from ui.context import app_context
from ui.filters import url_select
from ui.review_audit import review_author, show_audit_log
from ui.review_loaders import load_quarter_review, load_review_state, reread_review_state, review_store
from ui.review_presentation import present, presenting, start_button
from ui.review_sections import journey_section, journey_views, quarter_actions, summary_section
from ui.text import literal

ctx = app_context()
quarters = [q.label for q in quarters_between(ctx.first_date, ctx.as_of)]
last_full = next((q.label for q in quarters_between(ctx.first_date, ctx.as_of) if q.end <= ctx.as_of),
                 quarters[0])
if presenting():  # no controls on screen: the quarter comes from the URL
    wanted = st.query_params.get("quarter")
    quarter, author = (wanted if wanted in quarters else last_full), ""
else:
    left, middle, right = st.columns([1, 1, 1], vertical_alignment="bottom")
    quarter = url_select(tr("Quarter"), quarters, "quarter", default=last_full, container=left)
    author = review_author(ctx, middle)
    start_button(right)

state, store_problem = review_store(ctx)
if store_problem:
    st.warning(tr("{problem} Figures are shown live; comments and closing are unavailable.").format(
        problem=literal(store_problem)))
try:  # what the store holds about the quarter, read once for every journey's comment box
    stored = load_review_state(state, quarter) if state is not None else None
    shown = load_quarter_review(ctx, state, quarter, stored)
except EmptyQuarterError as exc:
    st.warning(literal(exc))
    st.stop()
except StateStoreError as exc:
    st.error(literal(exc))
    st.stop()
review, content = shown.review, shown.content
journeys = review.figures.journeys
action_state, _ = action_store(ctx)
if action_state is not None:  # live actions with their before/after KPI ride along into the pack
    review = replace(review, actions=load_actions(ctx, action_state))

if presenting():
    present(review)  # the summary, then one journey per screen; stops here

st.title(tr("Quarterly review {quarter}").format(quarter=quarter))
st.caption(" · ".join(map(literal, header_lines(review, dt.datetime.now(dt.UTC))[2:])))
if review.live_problem:
    st.info(literal(review.live_problem))
if review.live_differences is not None and len(review.live_differences):
    differing = len(review.live_differences)
    # One English wording for every count (as it always read); German says one or more.
    with st.expander(tr_n("⚠ Live warehouse data now differs for {count} figure(s) since this quarter was "
                          "closed; the frozen figures are shown.",
                          "⚠ Live warehouse data now differs for {count} figure(s) since this quarter was "
                          "closed; the frozen figures are shown.", differing).format(count=differing),
                     expanded=False):
        st.dataframe(differences_table(review.live_differences, review.figures.figures), hide_index=True,
                     width="stretch")

close_col, export_col, file_col = st.columns([1, 1, 1])
quarter_actions(close_col, review, state, author if ctx.scope.can_close_quarters else "")
if not ctx.scope.can_close_quarters:
    close_col.caption(tr("Only admins close and reopen quarters."))
fmt = export_col.selectbox(tr("Export format"), FORMATS, label_visibility="collapsed")
if export_col.button(tr("Build {format} pack").format(format=fmt.upper())):
    try:
        st.session_state["review_pack"] = (quarter, fmt, pack_bytes(review, fmt, dt.datetime.now(dt.UTC)))
    except ExportError as exc:
        st.error(literal(exc))
built = st.session_state.get("review_pack")
if built and built[0] == quarter:
    file_col.download_button(tr("Download {format}").format(format=built[1].upper()), built[2],
                             pack_file_name(quarter, built[1]),
                             mime=MEDIA_TYPES[built[1]])

st.subheader(tr("Executive summary"))
summary_section(review, content)
views = journey_views(review, content)
for tab, (journey_id, _name) in zip(st.tabs([literal(n) for _, n in journeys]), journeys, strict=True):
    with tab:
        saved = journey_section(review, journey_id, views[journey_id], state, stored, author)
        if saved and state is not None:  # what the store holds changed in this run
            stored = reread_review_state(state, quarter)
        st.markdown(tr("**Actions and whether they work** (live, also in the PDF pack)"))
        show_actions(review.actions, journey_id, empty=tr("No actions on this journey's touchpoints."))
        if action_state is not None and stored is not None and not review.is_closed:
            decision_actions(ctx, action_state, stored.comments, quarter, journey_id, author)

show_audit_log(ctx, state, quarter)
