"""Moments of Truth KPI dashboard: the entry point. Only a router (st.navigation over st.Page).

Run with ``streamlit run dashboard.py``. Settings come from the environment or
.streamlit/secrets.toml (README, "Configuration"); with none, the embedded demo warehouse is used.

Streamlit runs this script as ``__main__`` for every page run. ``streamlit run`` itself imports it
as a module, finds ``app`` below and serves that: the server then warms up (ui/warm_start.py)
before it takes its first request, instead of in the first visitor's run.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st


def main() -> None:
    # Imported here, not at the top: `streamlit run` imports this file before Streamlit's runtime
    # exists, when a module with st.cache_data functions logs "No runtime found"; the warm start
    # imports them once it does (ui/warm_start.py), and a page run finds them in sys.modules.
    from connectors.runtime import apply_language
    from connectors.warehouse import WarehouseError
    from metrics.formatting import date_text
    from metrics.i18n import tr
    from ui.context import prepare_context, show_problem, show_scope_note
    from ui.identity import show_identity, show_no_access
    from ui.navigation import APP_ICON, APP_TITLE, app_pages
    from ui.server_load import freeze_long_lived_objects, page_run_slot, release_free_memory

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


if __name__ == "__main__":  # a page run
    main()
else:  # imported by `streamlit run` (or an ASGI server) as the server's app
    from ui.warm_start import lifespan

    app = st.App(__file__, lifespan=lifespan)
