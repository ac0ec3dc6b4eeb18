"""Moments of Truth KPI dashboard: the entry point. Only a router (st.navigation over st.Page).

Run with ``streamlit run dashboard.py``. Settings come from the environment or
.streamlit/secrets.toml (README, "Configuration"); with none, the embedded demo warehouse is used.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connectors.warehouse import WarehouseError
from pages.context import prepare_context, show_problem
from pages.server_load import freeze_long_lived_objects, page_run_slot

#: Every page: (script, title, icon). The one place for titles and icons; a test checks that
#: every module in pages/ that is a page is listed here.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/journey.py", "Journey", ":material/route:"),
    ("pages/trends.py", "Trends", ":material/trending_up:"),
    ("pages/my_touchpoints.py", "My touchpoints", ":material/person_pin:"),
    ("pages/budget.py", "Budget", ":material/euro:"),
    ("pages/review.py", "Quarterly review", ":material/event_note:"),
    ("pages/data_quality.py", "Data quality", ":material/fact_check:"),
)


def main() -> None:
    st.set_page_config(page_title="Moments of Truth", page_icon=":material/insights:", layout="wide")
    navigation = st.navigation(
        [st.Page(path, title=title, icon=icon, default=i == 0) for i, (path, title, icon) in enumerate(PAGES)]
    )
    # The clock is read here, once per run, and passed down (as_of never comes from inside metrics).
    context = prepare_context(today=dt.date.today())
    if context is None:
        return
    with st.sidebar:
        st.caption(f"Data as of **{context.as_of:%d %b %Y}**")
        if context.settings.is_demo:
            st.caption("Demo warehouse (generated). Set MOT_WAREHOUSE_URL to use your own.")
    try:
        with page_run_slot():
            navigation.run()
    except WarehouseError as exc:
        show_problem(
            "The warehouse stopped answering",
            [str(exc)],
            "Check that the warehouse is running and reachable, then reload the page.",
        )
    finally:  # also after st.stop(): a page that stops early has still imported its modules
        freeze_long_lived_objects()


main()
