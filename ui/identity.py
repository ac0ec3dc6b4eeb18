"""Who is looking: Streamlit's OIDC login (st.login / st.user / st.logout) and the person's scope.

Without an [auth] section in .streamlit/secrets.toml (the demo) the app is open: everybody reads
everything, and the sidebar says so. With it, a person must log in; their roles come from the
access file (MOT_ACCESS) and their rows from the warehouse's owner columns (connectors/access.py).
Anyone without a rule, or owning nothing, gets the "no access" page and not a single number.
The scope is resolved once per session and login, and then travels in the AppContext to every
query and cache key.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAuthError

from connectors.access import EVERYTHING, AccessError, AccessScope, Role, load_access, scope_for
from connectors.contacts import ContactsError, load_contacts
from connectors.settings import Settings
from metrics.i18n import N_, tr
from ui.navigation import APP_TITLE
from ui.text import literal

__all__ = ["OPEN_ACCESS_NOTE", "AccessProblem", "identity_name", "login_gate", "resolve_scope",
           "show_identity", "show_no_access"]

OPEN_ACCESS_NOTE = N_("Open access: anyone who can reach this address sees everything.")
_SCOPE_KEY = "_mot_scope"
#: How a role reads in the sidebar (the access file's names, with spaces).
ROLE_NAMES: dict[Role, str] = {
    Role.EXECUTIVE: N_("executive"),
    Role.MAP_OWNER: N_("map owner"),
    Role.TOUCHPOINT_OWNER: N_("touchpoint owner"),
    Role.DATA_TEAM: N_("data team"),
    Role.ADMIN: N_("admin"),
}


def login_email() -> str | None:
    """The logged-in person's e-mail address (the OIDC ``email`` claim), or None."""
    if not st.user.is_logged_in:
        return None
    if st.user.get("email_verified") is False:  # an address the provider has not verified names nobody
        return None
    email = st.user.get("email")
    return str(email).strip().casefold() if email else None


def login_gate(settings: Settings) -> bool:
    """True when the page may go on: login is off, or somebody is logged in. Else the login page."""
    if not settings.login or st.user.is_logged_in:
        return True
    st.title(tr(APP_TITLE))
    st.write(tr("Log in with your company account to see the journeys and touchpoints you are "
                "responsible for."))
    if st.button(tr("Log in"), type="primary"):
        try:
            st.login()
        except StreamlitAuthError as exc:  # an incomplete [auth] section, or Authlib missing
            st.error(tr("Login is not set up correctly: {reason} Fix the [auth] section of "
                        ".streamlit/secrets.toml (README, section 'Login and access').").format(
                reason=literal(exc)))
    return False


class AccessProblem(Exception):
    """The access or contacts file cannot be used: shown as a problem page by the caller."""


def resolve_scope(settings: Settings, journeys: pd.DataFrame, touchpoints: pd.DataFrame,
                  version: str) -> AccessScope:
    """This session's scope; EVERYTHING without login. Cached in the session per login and
    dimensions version and the files' versions, so a new owner in the warehouse or a changed access
    file takes effect on the next page run."""
    if not settings.login:
        return EVERYTHING
    email = login_email() or ""
    # A changed access or contacts file (a revoked role) applies on the next page run.
    key = (email, version, _stamp(settings.access_path), _stamp(settings.contacts_path))
    cached = st.session_state.get(_SCOPE_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        rules = load_access(settings.access_path)
        contacts = load_contacts(settings.contacts_path)
    except (AccessError, ContactsError) as exc:
        raise AccessProblem(str(exc)) from None
    scope = scope_for(email, rules, contacts, journeys, touchpoints) if email else AccessScope(email="")
    st.session_state[_SCOPE_KEY] = (key, scope)
    return scope


def _stamp(path: Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)  # missing: load_access says so
    return str(path), stat.st_mtime_ns, stat.st_size


def identity_name(scope: AccessScope) -> str:
    """The name changes are recorded under: the login address (or name claim), '' when open."""
    if scope.email:
        return scope.email
    return ""


def show_identity(settings: Settings, scope: AccessScope) -> None:
    """Sidebar: who is logged in, with which roles, and a log-out button; or the open-access note."""
    if not settings.login:
        st.caption(tr(OPEN_ACCESS_NOTE))
        return
    roles = ", ".join(sorted(tr(ROLE_NAMES[r]) for r in scope.roles)) or tr("no role")
    st.caption(tr("Logged in as {email} ({roles})").format(email=literal(scope.email or ""), roles=roles))
    if st.button(tr("Log out"), key="_mot_logout"):
        st.logout()


def show_no_access(scope: AccessScope) -> None:
    """The page for someone the rules give nothing: no figure, no journey, no touchpoint."""
    st.title(tr("No access"))
    if scope.roles:
        st.warning(tr("You have a role here, but the warehouse names you as the owner of no journey map and "
                      "no touchpoint, so there is nothing for you to see."))
    else:
        st.warning(tr("Your account has no access to this dashboard."))
    st.write(tr("Ask the dashboard's administrator to add your e-mail address to the access file, or the "
                "data team to record you as an owner."))
    if st.user.is_logged_in and st.button(tr("Log out"), key="_mot_logout_denied"):
        st.logout()
