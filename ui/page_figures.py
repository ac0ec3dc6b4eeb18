"""A page's figures derived from its judged frames, built once per request, not on every page run (#19).

The judged frames are cached (ui/loaders.py), but what pages derive from them (journey health,
cards, scorecards, priorities, every value in words) was rebuilt on each run: profiled with
pyinstrument at 10 M rows, 0.3–0.6 s of CPU of a warm Overview, Journey or My touchpoints run,
against about 0.05 s for a blank Streamlit page. ``page_figures(build, ctx, *request)`` returns
``build(ctx, *request)`` cached under the keys the judged frames carry: the warehouse key (with
the access scope's fingerprint and the language, so text is never served in another language or
to another scope), the dimensions version, the latest check run, the data's date bounds, and the
request. ``build`` may call the cached loaders (nesting, as the judged frames do), reads nothing
else that changes (not the state store: actions and comments are read on every run) and calls no
``st`` element; whatever it returns must pickle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui import caching
from ui.context import AppContext
from ui.quality_loaders import load_trust

T = TypeVar("T")


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.PAGE_FIGURES)
def _figures(name: str, _build: Callable[..., Any], _ctx: AppContext, key: str, dimensions_version: str,
             evidence_key: str, first_date: dt.date, as_of: dt.date, request: tuple[Any, ...]) -> Any:
    with caching.building_figures():  # the large frames it reads are not kept: the figures are
        return _build(_ctx, *request)


def page_figures(build: Callable[..., T], ctx: AppContext, *request: Any) -> T:
    """``build(ctx, *request)``, cached per builder, context keys and request (hashable arguments:
    dates, periods, filters, ids, settings' values)."""
    evidence = load_trust(ctx)
    name = f"{build.__module__}.{build.__qualname__}"
    figures: T = _figures(name, build, ctx, ctx.key, ctx.dimensions_version, evidence.key, ctx.first_date,
                          ctx.as_of, request)
    return figures
