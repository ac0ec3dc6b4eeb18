"""Moments of Truth KPI dashboard: the entry point. Only a router (st.navigation over st.Page).

Run with ``streamlit run dashboard.py``. Settings come from the environment or
.streamlit/secrets.toml (README, "Configuration"); with none, the embedded demo warehouse is used.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connectors.runtime import apply_language
from connectors.warehouse import WarehouseError
from metrics.formatting import date_text
from metrics.i18n import tr
from ui.context import prepare_context, show_problem, show_scope_note
from ui.identity import show_identity, show_no_access
from ui.navigation import APP_ICON, APP_TITLE, app_pages
from ui.server_load import freeze_long_lived_objects, page_run_slot, release_free_memory


def main() -> None:
    apply_language()  # before the first text: page titles are in the configured language too
    st.set_page_config(page_title=tr(APP_TITLE), page_icon=APP_ICON, layout="wide")
    listed, routable = app_pages()
    navigation = st.navigation(routable, position="hidden")
    with st.sidebar:
        for page in listed:
            st.page_link(page)
    # The clock is read here, once per run, and passed down (as_of never comes from inside metrics).
    context = prepare_context(today=dt.date.today())
    if context is None:
        return
    with st.sidebar:
        show_identity(context.settings, context.scope)
    if context.scope.is_empty:
        show_no_access(context.scope)
        return
    show_scope_note(context)
    with st.sidebar:
        st.caption(tr("Data as of **{date}**").format(date=date_text(context.as_of)))
        if context.settings.is_demo:
            st.caption(tr("Demo warehouse (generated). Set MOT_WAREHOUSE_URL to use your own."))
    try:
        with page_run_slot():
            navigation.run()
    except WarehouseError as exc:
        show_problem(
            tr("The warehouse stopped answering"),
            [str(exc)],
            tr("Check that the warehouse is running and reachable, then reload the page."),
        )
    finally:  # also after st.stop(): a page that stops early has still imported its modules
        freeze_long_lived_objects()
        release_free_memory()


main()
