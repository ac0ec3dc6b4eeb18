"""The app's pages, titles and icons, in one place (dashboard.py builds st.navigation from it).

Icons are emoji, never ``:material/...:`` names: a Material icon as the page icon makes every
viewer's browser fetch it from Google's font servers, and nothing the browser loads may come from
anywhere but the app itself (README "Deploying safely").
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from metrics.i18n import N_, tr

#: The app's name (N_: translate where shown, ``tr(APP_TITLE)``, after apply_language).
APP_TITLE = N_("Moments of Truth")
APP_ICON = "🎯"

#: The default page's own name; it is also served at the app root and at its script's name.
DEFAULT_PAGE_PATH = "home"

#: Every page: (script, title, icon); titles are marked with N_ and translated in app_pages (and
#: wherever else they are shown: ``tr(title)``). A test checks that every script in pages/ is listed here.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/overview.py", N_("Overview"), "📊"),
    ("pages/journey.py", N_("Journey"), "🧭"),
    ("pages/personas.py", N_("Personas"), "👥"),
    ("pages/trends.py", N_("Trends"), "📈"),
    ("pages/my_touchpoints.py", N_("My touchpoints"), "📍"),
    ("pages/budget.py", N_("Budget"), "💶"),
    ("pages/review.py", N_("Quarterly review"), "🗓️"),
    ("pages/data_quality.py", N_("Data quality"), "🔎"),
)


def app_pages() -> tuple[list[StreamlitPage], list[StreamlitPage]]:
    """(the pages the sidebar lists, every routable page).

    Streamlit serves the default page only at the app root, so ``/overview`` would answer "Page
    not found". A second, unlisted page runs the same script under its own name, so every page
    path deep-links; the sidebar is drawn with ``st.page_link`` over the listed pages only.
    """
    listed = [
        st.Page(path, title=tr(title), icon=icon, default=i == 0,
                url_path=DEFAULT_PAGE_PATH if i == 0 else None)
        for i, (path, title, icon) in enumerate(PAGES)
    ]
    path, title, icon = PAGES[0]
    alias = st.Page(path, title=tr(title), icon=icon, url_path=Path(path).stem)
    return listed, [*listed, alias]
