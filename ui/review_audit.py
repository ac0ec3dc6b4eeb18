"""Names on every change of the review: who is writing, and the audit log of the quarter.

With login on, comments, closes and reopens carry the logged-in identity and there is no name box
to type another name into; without login (the open demo) the box stays. The audit log
(review.store.audit_log, appended in the same transaction as each change) is shown to those who
read everything; admins may list every quarter's changes.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from connectors.access import Role
from connectors.state import StateStoreError
from review.store import audit_log
from ui.context import AppContext
from ui.identity import identity_name
from ui.text import literal

AUDIT_HEADINGS = {"at": "When (UTC)", "who": "Who", "action": "What", "quarter": "Quarter",
                  "journey_id": "Journey", "kpi_id": "Comment on", "detail": "Detail"}


def review_author(ctx: AppContext, container: object) -> str:
    """The name changes are saved under: the login identity, or (open access) the typed name."""
    if ctx.settings.login:
        who = literal(identity_name(ctx.scope))
        container.caption(f"Comments and changes are saved as {who}.")  # type: ignore[attr-defined]
        return identity_name(ctx.scope)
    return str(container.text_input("Your name (for comments, closing)",  # type: ignore[attr-defined]
                                    key="review_author")).strip()


def show_audit_log(ctx: AppContext, state: sa.Engine | None, quarter: str) -> None:
    if state is None or not ctx.scope.everything:
        return
    with st.expander("Audit log: who changed what, and when"):
        every_quarter = (Role.ADMIN in ctx.scope.roles or not ctx.settings.login) and st.checkbox(
            "All quarters", key="audit_all_quarters")
        try:
            log = audit_log(state, None if every_quarter else quarter)
        except StateStoreError as exc:
            st.error(literal(exc))
            return
        if log.empty:
            st.caption(f"No change recorded {'yet' if every_quarter else 'for ' + quarter + ' yet'}.")
            return
        st.dataframe(log.rename(columns=AUDIT_HEADINGS), hide_index=True, width="stretch")
