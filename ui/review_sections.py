"""Parts of the quarterly review page: the executive summary, one journey's section, the comment box
(a comment may be marked as a decision), closing and reopening. Presentation mode is in
ui/review_presentation.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
import streamlit as st

from connectors.state import StateStoreError
from metrics.formatting import current_language
from metrics.i18n import tr
from metrics.status import STATUS_COLOURS, Status
from review.formatting import (
    comment_lines,
    figure_label,
    figure_table,
    history_table,
    readable_time,
    shown_columns,
    trust_notes,
)
from review.frozen import QuarterReview, close_shown
from review.store import (
    JOURNEY_COMMENT,
    Comment,
    QuarterClosedError,
    QuarterState,
    ReviewConflict,
    comment_history,
    reopen_quarter,
    save_comment,
)
from review.summary import SUMMARY_COLUMNS, executive_summary
from ui import caching
from ui.review_charts import journey_review_spec, review_chart_height
from ui.review_loaders import fingerprint
from ui.tables import label_colours as status_label_colours
from ui.text import literal


@dataclass(frozen=True)
class JourneyView:
    """What a journey's section shows of its figures, built once per content and language."""

    spec: dict[str, Any]  # the chart
    #: figure_table, headings shown, the status as a one-label list (coloured); kept as Arrow, which
    #: st.dataframe sends as it is (a frame is converted on every run: 2-3 ms per journey at 10 M rows)
    table: pa.Table
    notes: list[str]  # trust_notes
    names: dict[str, str]  # figure_id -> figure_label: what the comment box offers


@st.cache_data(show_spinner=False, max_entries=caching.REVIEW_CHART_SPECS)
def _journey_views(content: str, _figures: pd.DataFrame, journeys: tuple[tuple[str, str], ...],
                   language: str) -> dict[str, JourneyView]:
    """Each journey's chart spec, table, trust notes and figure labels, cached by the figures'
    content (``content``: ui.review_loaders.ShownReview.content; so trust marks, a closed quarter's
    snapshot or new warehouse data each make a new entry) and the language of its words; every call
    gets its own copy. They were built on every run for every journey's tab: 0.5 s of a warm review
    at 10 M rows (#19)."""
    views = {}
    for journey_id, name in journeys:
        mine = _figures[_figures["journey_id"] == journey_id].reset_index(drop=True)
        table = shown_columns(figure_table(mine))
        status = tr("Status")
        table[status] = [[label] for label in table[status]]
        named = mine[[c for c in ("figure_id", "figure_name", "touchpoint_name") if c in mine]]
        labels = dict(zip(mine["figure_id"], map(figure_label, named.to_dict("records")), strict=False))
        title = tr("{journey}: KPIs and budget against target").format(journey=name)
        views[journey_id] = JourneyView(_arrow_datasets(journey_review_spec(mine, title)),
                                        pa.Table.from_pandas(table, preserve_index=False), trust_notes(mine),
                                        {str(k): v for k, v in labels.items()})
    return views


def _arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with its named datasets as Arrow tables, converted as Streamlit converts rows (through
    a frame) but once per cached view: st.vega_lite_chart sends a table as it is, and converted the
    rows on every run (a third of a warm review at 100 M rows)."""
    datasets = {name: pa.Table.from_pandas(pd.DataFrame(rows)) for name, rows in spec["datasets"].items()}
    return {**spec, "datasets": datasets}


def journey_views(review: QuarterReview, content: str) -> dict[str, JourneyView]:
    """Every journey's view of the review (``journey_section`` draws one); ``content``: the key of
    its figures' content (ui.review_loaders.ShownReview)."""
    figures = review.figures.figures
    return _journey_views(content, figures, tuple(review.figures.journeys), current_language())


@cache
def _label_colours(language: str) -> dict[str, str]:
    """Every status label of a figure (review.formatting.status_text) with its status colour."""
    return {**status_label_colours(language), tr("No target"): STATUS_COLOURS[Status.NO_DATA]}


def journey_section(review: QuarterReview, journey_id: str, view: JourneyView, state: sa.Engine | None,
                    stored: QuarterState | None, author: str) -> bool:
    """The journey's chart, table, trust notes and comment box; True when a comment was saved in
    this run (what ``stored`` holds is then older than the store)."""
    st.vega_lite_chart(view.spec, width="stretch", height=review_chart_height(view.spec))
    status, colours = tr("Status"), _label_colours(current_language())
    st.dataframe(view.table, hide_index=True, width="stretch", height=35 * (len(view.table) + 1) + 3,
                 column_config={tr("Figure"): st.column_config.TextColumn(width="medium"),
                                status: st.column_config.MultiselectColumn(
                                    status, options=list(colours), color=list(colours.values()),
                                    disabled=True)})
    for note in view.notes:
        st.caption(literal(note))
    return comment_box(review, journey_id, view.names, state, stored, author)


def comment_box(review: QuarterReview, journey_id: str, labels: dict[str, str], state: sa.Engine | None,
                stored: QuarterState | None, author: str) -> bool:
    """Owner comments on the journey or one of its figures (``labels``: figure_id -> label), from
    ``stored`` (read once per run for every journey: ui.review_loaders.load_review_state); True
    when one was saved in this run."""
    quarter = review.figures.quarter
    names: dict[str, str] = {JOURNEY_COMMENT: tr("The journey as a whole")}
    names.update(labels)
    if review.is_closed or state is None or stored is None:
        if review.is_closed:
            _keep_unsaved(review, journey_id, names)
        lines = comment_lines(review.figures.comments, journey_id, names)
        shown = "\n".join(f"- {literal(line)}" for line in lines)
        st.markdown(tr("**Owner comments**") + "\n\n" + (shown or tr("_None._")))
        return False
    about = str(st.selectbox(tr("Comment on"), list(names), format_func=lambda k: names[k],
                             key=f"about_{quarter}_{journey_id}"))
    current = stored.current(journey_id, about)
    base_key = f"base_{quarter}_{journey_id}_{about}"
    text_key = f"text_{quarter}_{journey_id}_{about}"
    decision_key = f"decision_{quarter}_{journey_id}_{about}"
    if base_key not in st.session_state:
        _load(current, base_key, text_key, decision_key)
    if current:
        st.caption(tr("Last saved by {author} at {time} (version {version}).").format(
            author=literal(current.author), time=readable_time(current.saved_at), version=current.version))
    with st.form(f"form_{quarter}_{journey_id}_{about}"):
        st.text_area(tr("Comment"), key=text_key, height=100)
        st.checkbox(tr("This is a decision or an action needed"), key=decision_key,
                    help=tr("Listed under “Decisions and actions needed” in the summary and the packs."))
        saved = st.form_submit_button(tr("Save comment"), disabled=not author)
    if not author:
        st.caption(tr("Enter your name at the top of the page to write comments."))
    stored_now = saved and _save(state, quarter, journey_id, about, author, base_key, text_key, decision_key)
    if current and st.button(tr("Load the latest saved text"), key=f"reload_{base_key}"):
        _load(current, base_key, text_key, decision_key)
        st.rerun()
    # a save in this run is not in ``stored`` (read before it): read this comment's history again
    history = (comment_history(state, quarter, journey_id, about) if stored_now
               else stored.history_of(journey_id, about) if (journey_id, about) in stored.histories else None)
    if history is not None and len(history):  # nothing saved yet: no empty table to build and send
        with st.expander(tr("History of this comment")):
            st.dataframe(history_table(history), hide_index=True, width="stretch")
    return stored_now


def _keep_unsaved(review: QuarterReview, journey_id: str, names: dict[str, str]) -> None:
    """Text typed into a comment box of this journey and not in the closed quarter's snapshot: the
    quarter was closed (by someone else) before it was saved. Say so and give the text back, so
    nothing typed is lost without a word; it stays until dismissed."""
    quarter = review.figures.quarter
    prefix = f"text_{quarter}_{journey_id}_"
    comments = review.figures.comments
    for key in [k for k in list(st.session_state) if isinstance(k, str) and k.startswith(prefix)]:
        about, text = key[len(prefix):], str(st.session_state[key] or "").strip()
        saved = set() if comments is None or comments.empty else set(comments.loc[
            (comments["journey_id"] == journey_id) & (comments["kpi_id"].fillna("") == about),
            "text"].astype(str).str.strip())
        if text and text not in saved:
            st.session_state[f"unsaved_{key}"] = (names.get(about, about), text)
        del st.session_state[key]
    kept = [k for k in list(st.session_state) if isinstance(k, str) and k.startswith("unsaved_" + prefix)]
    for key in kept:
        about_name, text = st.session_state[key]
        st.warning(tr("This quarter was closed before your comment on {about} was saved, so it is not in the "
                      "closed quarter. Your text is below: copy it, or reopen the quarter to add it "
                      "(admins).").format(about=literal(about_name)))
        st.code(text, language=None, wrap_lines=True)
        if st.button(tr("Dismiss"), key=f"dismiss_{key}"):
            del st.session_state[key]
            st.rerun()


def _load(current: Comment | None, base_key: str, text_key: str, decision_key: str) -> None:
    st.session_state[base_key] = current.version if current else 0
    st.session_state[text_key] = current.text if current else ""
    st.session_state[decision_key] = bool(current.decision) if current else False


def _save(state: sa.Engine, quarter: str, journey_id: str, about: str, author: str, base_key: str,
          text_key: str, decision_key: str) -> bool:
    """Save the box's comment; False (and why, on screen) when it was not saved."""
    try:
        saved = save_comment(state, quarter, journey_id, about, st.session_state[text_key], author,
                             st.session_state[base_key], dt.datetime.now(dt.UTC),
                             decision=bool(st.session_state.get(decision_key, False)))
    except ReviewConflict as exc:
        st.error(tr("{problem} Your text is still in the box above.").format(problem=literal(exc)))
        return False
    except QuarterClosedError as exc:  # closed by someone else since this page was loaded
        st.warning(tr("{problem} Your text is still in the box above.").format(problem=literal(exc)))
        return False
    except StateStoreError as exc:
        st.error(literal(exc))
        return False
    st.session_state[base_key] = saved.version
    st.success(tr("Saved (version {version}).").format(version=saved.version))
    return True


@dataclass(frozen=True)
class _Summary:
    ranking: pd.DataFrame  # review.summary.health_ranking
    sections: list[tuple[str, list[str]]]
    trust_note: str
    #: The ranking as shown (``_shown_ranking``), or None when one score label has two colours.
    shown: pa.Table | None
    score_colours: dict[str, str]  # each review score label shown -> its status colour


@st.cache_data(show_spinner=False, max_entries=caching.REVIEW_CHART_SPECS)
def _summary(content: str, comments_content: str, _figures: pd.DataFrame, _comments: pd.DataFrame,
             quarter: str, language: str) -> _Summary:
    """The executive summary, cached by the figures' and comments' content and the language."""
    summary = executive_summary(quarter, _figures, _comments)
    shown, colours = _shown_ranking(summary.ranking)
    return _Summary(summary.ranking, [(h, list(lines)) for h, lines in summary.sections()],
                    summary.trust_note, shown, colours)


def _shown_ranking(ranking: pd.DataFrame) -> tuple[pa.Table | None, dict[str, str]]:
    """The ranking's shown columns (SUMMARY_COLUMNS, headings in the current language), the review
    score as a one-label list coloured per label (a read-only multiselect column, as every status
    label on the page), with each label's status colour; None when a label would need two colours
    (two scores rounding to the same text on either side of a status boundary)."""
    score = tr("Review score")
    shown = shown_columns(ranking[list(SUMMARY_COLUMNS)])
    colours: dict[str, str] = {}
    for label, status in zip(shown[score].astype(str), ranking["status"], strict=True):
        if colours.setdefault(label, STATUS_COLOURS[Status(status)]) != STATUS_COLOURS[Status(status)]:
            return None, {}
    shown[score] = [[label] for label in shown[score].astype(str)]
    return pa.Table.from_pandas(shown, preserve_index=False), colours


def summary_section(review: QuarterReview, content: str) -> None:
    """The executive summary (review.summary): journeys ranked by health, wins, issues, decisions;
    ``content``: the key of its figures' content (ui.review_loaders.ShownReview)."""
    q = review.figures
    summary = _summary(content, fingerprint(q.comments), q.figures, q.comments, q.quarter, current_language())
    left, right = st.columns([1, 1], gap="large")
    left.markdown(tr("**Journeys ranked by review score**"))
    if summary.shown is None:
        left.dataframe(_paint_health(summary.ranking), hide_index=True, width="stretch")
    else:  # a Styler would make Streamlit format every cell in Python on every run (about 10 ms)
        score, colours = tr("Review score"), summary.score_colours
        chips = st.column_config.MultiselectColumn(score, options=list(colours), color=list(colours.values()),
                                                   disabled=True)
        left.dataframe(summary.shown, hide_index=True, width="stretch", column_config={score: chips})
    for heading, lines in summary.sections:
        right.markdown(f"**{heading}**\n\n" + "\n".join(f"- {literal(line)}" for line in lines))
    if summary.trust_note:
        st.caption(summary.trust_note)


def _paint_health(ranking: pd.DataFrame) -> object:
    """The ranking's shown columns (SUMMARY_COLUMNS, headings in the current language), the review
    score in its status colour: for a ranking whose score labels ``_shown_ranking`` cannot colour."""
    colours = [STATUS_COLOURS[Status(s)] for s in ranking["status"]]
    shown = shown_columns(ranking[list(SUMMARY_COLUMNS)])
    return shown.style.apply(lambda column: [f"color: {c}; font-weight: 600" for c in colours],
                             subset=[tr("Review score")])


def quarter_actions(container: object, review: QuarterReview, state: sa.Engine | None, author: str) -> None:
    """Close (freeze what is shown) or reopen the quarter; both need a name and a working store."""
    if state is None:
        return
    now = dt.datetime.now(dt.UTC)
    if review.is_closed:
        clicked = container.button(tr("Reopen quarter"), disabled=not author,  # type: ignore[attr-defined]
                                   help=tr("The figures become live again; the snapshot is kept."))
        container.caption(tr("Closed by {who} at {time}.").format(  # type: ignore[attr-defined]
            who=literal(review.figures.closed_by), time=readable_time(review.figures.closed_at)))
    else:
        clicked = container.button(tr("Close quarter"), disabled=not author,  # type: ignore[attr-defined]
                                   help=tr("Freeze every figure shown, the targets and the comments."))
    if not clicked:
        return
    try:
        if review.is_closed:
            reopen_quarter(state, review.figures.quarter, author, now)
        else:
            close_shown(state, review.figures, author, now)
    except (ReviewConflict, StateStoreError) as exc:
        st.error(literal(exc))
        return
    st.rerun()
