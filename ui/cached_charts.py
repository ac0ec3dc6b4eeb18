"""Charts drawn from a Vega-Lite spec built once per content, not on every page run.

``st.altair_chart(build(frame))`` builds the Altair chart, then validates the whole chart against
the Vega-Lite schema in ``to_dict()`` and serialises its data, on every run, while holding a lock
all sessions share (Altair's theme and data transformer are process globals). Profiled with
pyinstrument at 10 M rows that was 0.3–0.8 s of a warm Budget or Trends run. ``show_chart(build,
*args)`` caches the finished spec, keyed by the builder and its arguments (frames hashed by
content), so an unchanged chart costs a hash and a copy; Streamlit draws the same spec it would
have sent for the Altair chart (the conversion is Streamlit's own). Where that conversion is not
available (another Streamlit version), it falls back to ``st.altair_chart``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from metrics.formatting import current_language
from ui import caching

try:  # Streamlit's own Altair-to-spec conversion (datasets as Arrow), what st.altair_chart sends
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _to_spec
except ImportError:  # pragma: no cover - another Streamlit version: no cached specs
    _to_spec = None  # type: ignore[assignment]

Builder = Callable[..., Any]  # returns an Altair chart


@st.cache_data(show_spinner=False, max_entries=caching.CHART_SPECS)
def _spec(name: str, language: str, _build: Builder, args: tuple[Any, ...],
          kwargs: tuple[tuple[str, Any], ...]) -> Any:
    """The spec of ``_build(*args, **kwargs)``, once per language: titles and the chart's Vega locale
    (ui.charts theme) are read in the language of the run that builds it."""
    assert _to_spec is not None
    return _to_spec(_build(*args, **dict(kwargs)))


def show_chart(build: Builder, *args: Any, container: Any = None, height: int | None = None,
               **kwargs: Any) -> None:
    """Draw ``build(*args, **kwargs)`` full width in ``container`` (default: the page).

    ``height`` is the plot's height. The box always fits the whole chart (plot, axes, legend):
    given to Streamlit as the box height, 440 px held a 669 px chart, and the text below was drawn
    over its axis and legend (measured in Chromium)."""
    if _to_spec is None:
        show_spec(build(*args, **kwargs), container, height)
        return
    name = f"{build.__module__}.{build.__qualname__}"
    show_spec(_spec(name, current_language(), build, args, tuple(sorted(kwargs.items()))), container, height)


def chart_spec(build: Builder, *args: Any, **kwargs: Any) -> Any:
    """What ``show_chart`` draws for ``build(*args, **kwargs)``, built now and not cached here: for a
    caller that caches it beside what it was built from, under that request's key, so a warm run
    hashes no frame (hashing a Trends page's frames by content cost 0.15–0.3 s a run). Built in the
    current language, so that cache's key must hold the language (``AppContext.key`` does). Where
    Streamlit's conversion is not available, the Altair chart itself."""
    chart = build(*args, **kwargs)
    return chart if _to_spec is None else _to_spec(chart)


def show_spec(spec: Any, container: Any = None, height: int | None = None) -> None:
    """Draw a ``chart_spec`` full width in ``container`` (default: the page), as ``show_chart`` does."""
    target = container if container is not None else st
    if _to_spec is None:
        target.altair_chart(spec.properties(height=height) if height else spec, width="stretch",
                            height="content")
        return
    if height:
        spec = {**spec, "height": height}  # a copy: the cached spec stays as built
    target.vega_lite_chart(spec=spec, width="stretch", height="content")
