"""Names on every change of the review: who is writing, and the audit log of the quarter.

With login on, comments, closes and reopens carry the logged-in identity and there is no name box
to type another name into; without login (the open demo) the box stays. The audit log
(review.store.audit_log, appended in the same transaction as each change) is shown to those who
read everything; admins may list every quarter's changes.
"""

from __future__ import annotations

import re

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from connectors.access import Role
from connectors.state import StateStoreError
from metrics.i18n import N_, tr
from review.store import (
    COMMENT_SAVED,
    QUARTER_CLOSED,
    QUARTER_REOPENED,
    SNAPSHOT_DETAIL,
    SNAPSHOT_KEPT_DETAIL,
    VERSION_DETAIL,
    audit_log,
)
from ui.context import AppContext
from ui.identity import identity_name
from ui.text import literal

#: Column of review.store.audit_log -> its heading (read in the current language).
AUDIT_HEADINGS = {"at": N_("When (UTC)"), "who": N_("Who"), "action": N_("What"), "quarter": N_("Quarter"),
                  "journey_id": N_("Journey"), "kpi_id": N_("Comment on"), "detail": N_("Detail")}
#: The audit log stores what happened in English (review.store); it is read in the current language.
_ACTIONS = (COMMENT_SAVED, QUARTER_CLOSED, QUARTER_REOPENED)
_DETAILS = [(re.compile("^" + re.escape(d).replace(r"\{number\}", r"(\d+)") + "$"), d)
            for d in (VERSION_DETAIL, SNAPSHOT_DETAIL, SNAPSHOT_KEPT_DETAIL)]


def _detail_text(detail: object) -> object:
    for pattern, message in _DETAILS:
        found = pattern.match(str(detail))
        if found:
            return tr(message).format(number=found.group(1))
    return detail


def readable_log(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log with what happened and its detail in the current language, under headings."""
    shown = log.assign(action=log["action"].map(lambda a: tr(a) if a in _ACTIONS else a),
                       detail=log["detail"].map(_detail_text))
    return shown.rename(columns={column: tr(heading) for column, heading in AUDIT_HEADINGS.items()})


def review_author(ctx: AppContext, container: object) -> str:
    """The name changes are saved under: the login identity, or (open access) the typed name."""
    if ctx.settings.login:
        who = literal(identity_name(ctx.scope))
        container.caption(tr("Comments and changes are saved as {who}.").format(who=who))  # type: ignore[attr-defined]
        return identity_name(ctx.scope)
    return str(container.text_input(tr("Your name (for comments, closing)"),  # type: ignore[attr-defined]
                                    key="review_author")).strip()


def show_audit_log(ctx: AppContext, state: sa.Engine | None, quarter: str) -> None:
    if state is None or not ctx.scope.everything:
        return
    with st.expander(tr("Audit log: who changed what, and when")):
        every_quarter = (Role.ADMIN in ctx.scope.roles or not ctx.settings.login) and st.checkbox(
            tr("All quarters"), key="audit_all_quarters")
        try:
            log = audit_log(state, None if every_quarter else quarter)
        except StateStoreError as exc:
            st.error(literal(exc))
            return
        if log.empty:
            st.caption(tr("No change recorded yet.") if every_quarter
                       else tr("No change recorded for {quarter} yet.").format(quarter=quarter))
            return
        st.dataframe(readable_log(log), hide_index=True, width="stretch")
