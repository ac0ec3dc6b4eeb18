"""Filter widgets bound to the URL, so a copied link shows the same view.

Each widget reads its starting value from ``st.query_params`` (ignoring values that are not among
the options, so a hand-edited link cannot inject anything) and writes its value back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from metrics.i18n import N_, tr
from metrics.model import Filters, Period
from metrics.periods import PERIOD_CHOICES, period_for
from ui.context import AppContext


def url_select(
    label: str,
    options: Sequence[str],
    param: str,
    *,
    format_func: Callable[[str], str] = str,
    default: str | None = None,
    container: object = st,
) -> str:
    """A selectbox whose value lives in the URL query parameter ``param``."""
    options = list(options)
    wanted = st.query_params.get(param)
    initial = wanted if wanted in options else (default if default in options else options[0])
    key = f"url_{param}"
    current = st.session_state.get(key)
    # Always set through the Session State API: a widget with this key on another page is another
    # widget, and Streamlit does not hand it the old one's value unless it was set this way.
    keep = current in options and not _url_moved(param, wanted)
    st.session_state[key] = current if keep else initial
    value: str = container.selectbox(label, options, key=key, format_func=format_func)  # type: ignore[attr-defined]
    st.query_params[param] = value
    _remember_url(param, value)
    return value


def _url_moved(param: str, wanted: object) -> bool:
    """True when the URL names a value this session did not write: a link followed inside the app
    (a journey card's ``?journey=…&period=…``) or a hand-edited address. The link wins then; a
    widget the person just changed still wins over the URL it has not yet written."""
    return wanted is not None and wanted != st.session_state.get(f"_url_written_{param}")


def _remember_url(param: str, value: object) -> None:
    st.session_state[f"_url_written_{param}"] = value


def url_multiselect(
    label: str,
    options: Sequence[str],
    param: str,
    *,
    format_func: Callable[[str], str] = str,
    container: object = st,
    default: Sequence[str] = (),
    placeholder: str | None = None,
) -> tuple[str, ...]:
    """A multiselect whose values (ids, not labels) live in the URL as a repeated ``param``
    (``?kpi=csat&kpi=nps``); ``default`` applies when the URL names none of the options. The
    placeholder (shown while nothing is chosen) is "All" in the current language unless given."""
    if placeholder is None:
        placeholder = tr("All")
    options = list(options)
    key = f"url_{param}"
    in_url = st.query_params.get_all(param)
    current = st.session_state.get(key)
    if current is None or (in_url and _url_moved(param, in_url)):
        wanted = [v for v in in_url if v in options]
        st.session_state[key] = wanted or [v for v in default if v in options]
    else:  # re-set through the API, so the same key on another page keeps the choice (url_select)
        st.session_state[key] = [v for v in current if v in options]
    chosen: list[str] = container.multiselect(  # type: ignore[attr-defined]
        label, options, key=key, format_func=format_func, placeholder=placeholder
    )
    if chosen:
        st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    _remember_url(param, list(chosen) if chosen else None)
    return tuple(chosen)


def period_filter(ctx: AppContext, container: object = st, default: str = "last_quarter") -> Period:
    labels = dict(PERIOD_CHOICES)
    choice = url_select(
        tr("Period"), list(labels), "period", format_func=lambda key: tr(labels[key]), default=default,
        container=container,
    )
    period = period_for(choice, ctx.as_of)
    if period.end < ctx.first_date:  # wholly before the data: keep its real dates, pages say "no data"
        return period
    return Period(max(period.start, ctx.first_date), period.end, period.label)


#: The persona filter's value for "every persona".
ALL_PERSONAS = ""
#: Which touchpoints a page shows: value -> label (README "Third-party touchpoints").
TOUCHPOINT_KINDS = {"all": N_("All touchpoints"), "own": N_("Own touchpoints only"),
                    "third_party": N_("Third-party only")}


def personas(ctx: AppContext) -> list[str]:
    """The personas the journeys are mapped for, sorted, without blanks (the column is optional)."""
    named = ctx.journeys["persona"].dropna().astype(str).str.strip()
    return sorted(set(named[named != ""]))


def persona_filter(ctx: AppContext, container: object = st) -> str:
    """A persona, or ALL_PERSONAS; no widget when no journey names a persona."""
    names = personas(ctx)
    if not names:
        return ALL_PERSONAS
    return url_select(tr("Persona"), [ALL_PERSONAS, *names], "persona", container=container,
                      format_func=lambda p: p or tr("All personas"))


def touchpoint_kind_filter(container: object = st) -> str:
    return url_select(tr("Touchpoints"), list(TOUCHPOINT_KINDS), "tp_kind", container=container,
                      format_func=lambda kind: tr(TOUCHPOINT_KINDS[kind]))


def of_kind(touchpoints: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The touchpoints of a TOUCHPOINT_KINDS value (third_party is an optional column)."""
    if kind == "all":
        return touchpoints
    third = touchpoints["third_party"].astype(bool)
    return touchpoints[third if kind == "third_party" else ~third]


def journey_filter(ctx: AppContext, container: object = st, persona: str = ALL_PERSONAS) -> str:
    journeys = ctx.journeys.sort_values("name")
    if persona != ALL_PERSONAS:
        journeys = journeys[journeys["persona"].astype(str).str.strip() == persona]
    return url_select(
        tr("Journey"),
        journeys["journey_id"].tolist(),
        "journey",
        format_func=ctx.journey_name,
        container=container,
    )


def touchpoint_filters(ctx: AppContext, container: object = st) -> Filters:
    """Channel and owner filters over touchpoints, plus "moments of truth only"."""
    channels = sorted(ctx.touchpoints["channel"].dropna().astype(str).unique())
    owners = sorted(ctx.touchpoints["owner"].dropna().astype(str).unique())
    chosen_channels = url_multiselect(tr("Channels"), channels, "channel", container=container)
    chosen_owners = url_multiselect(tr("Touchpoint owners"), owners, "owner", container=container)
    return Filters(channels=chosen_channels, owners=chosen_owners)
