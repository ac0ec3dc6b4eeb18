"""Quarterly review: each journey against the targets in force that quarter, the previous quarter
and the same quarter last year; owner comments; close / reopen the quarter; export the pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from connectors.state import StateStoreError
from review.exports import FORMATS, MEDIA_TYPES, pack_bytes, pack_file_name
from review.exports.files import ExportError, header_lines
from review.formatting import journey_summary
from review.pack import EmptyQuarterError
from review.quarters import quarters_between
from ui.actions import action_store, decision_actions, load_actions, show_actions
from ui.context import app_context
from ui.filters import url_select
from ui.review_loaders import load_quarter_review, review_store
from ui.review_sections import journey_section, presentation_slide, quarter_actions
from ui.text import literal

ctx = app_context()
quarters = [q.label for q in quarters_between(ctx.first_date, ctx.as_of)]
last_full = next((q.label for q in quarters_between(ctx.first_date, ctx.as_of) if q.end <= ctx.as_of),
                 quarters[0])
left, middle, right = st.columns([1, 1, 1])
quarter = url_select("Quarter", quarters, "quarter", default=last_full, container=left)
author = middle.text_input("Your name (for comments, closing)", key="review_author").strip()
presenting = right.toggle("Presentation mode", key="present", bind="query-params")

state, store_problem = review_store(ctx)
if store_problem:
    st.warning(f"{literal(store_problem)} Figures are shown live; comments and closing are unavailable.")
try:
    review = load_quarter_review(ctx, state, quarter)
except EmptyQuarterError as exc:
    st.warning(literal(exc))
    st.stop()
except StateStoreError as exc:
    st.error(literal(exc))
    st.stop()
journeys = review.figures.journeys
action_state, _ = action_store(ctx)
if action_state is not None:  # live actions with their before/after KPI ride along into the pack
    review = replace(review, actions=load_actions(ctx, action_state))

if presenting:
    # The slide is in the URL too (?present=true&slide=2), so a copied link opens the same journey.
    wanted = str(st.query_params.get("slide", "1"))
    position = min(max(int(wanted) - 1, 0) if wanted.isdigit() else 0, len(journeys) - 1)
    back, where, forward = st.columns([1, 4, 1])
    if back.button("← Back", disabled=position == 0, width="stretch"):
        st.query_params["slide"] = str(position)
        st.rerun()
    if forward.button("Next →", disabled=position >= len(journeys) - 1, width="stretch"):
        st.query_params["slide"] = str(position + 2)
        st.rerun()
    where.caption(f"Journey {position + 1} of {len(journeys)} · {quarter} · "
                  + ("closed, frozen figures" if review.is_closed else "open, live figures"))
    presentation_slide(review, position)
    st.stop()

st.title(f"Quarterly review {quarter}")
st.caption(" · ".join(map(literal, header_lines(review, dt.datetime.now(dt.UTC))[2:])))
if review.live_problem:
    st.info(literal(review.live_problem))
if review.live_differences is not None and len(review.live_differences):
    with st.expander(f"⚠ Live warehouse data now differs for {len(review.live_differences)} figure(s) "
                     "since this quarter was closed; the frozen figures are shown.", expanded=False):
        st.dataframe(review.live_differences, hide_index=True, width="stretch")

close_col, export_col, file_col = st.columns([1, 1, 1])
quarter_actions(close_col, review, state, author)
fmt = export_col.selectbox("Export format", FORMATS, label_visibility="collapsed")
if export_col.button(f"Build {fmt.upper()} pack"):
    try:
        st.session_state["review_pack"] = (quarter, fmt, pack_bytes(review, fmt, dt.datetime.now(dt.UTC)))
    except ExportError as exc:
        st.error(literal(exc))
built = st.session_state.get("review_pack")
if built and built[0] == quarter:
    file_col.download_button(f"Download {built[1].upper()}", built[2], pack_file_name(quarter, built[1]),
                             mime=MEDIA_TYPES[built[1]])

st.subheader("Journeys at a glance")
st.dataframe(journey_summary(review.figures.figures), hide_index=True, width="stretch")
for tab, (journey_id, name) in zip(st.tabs([literal(n) for _, n in journeys]), journeys, strict=True):
    with tab:
        journey_section(review, journey_id, name, state, author)
        st.markdown("**Actions and whether they work** (live, also in the PDF pack)")
        show_actions(review.actions, journey_id, empty="No actions on this journey's touchpoints.")
        if action_state is not None and state is not None and not review.is_closed:
            decision_actions(ctx, action_state, state, quarter, journey_id, author)
