"""Data shown as literal text inside Markdown: names, comments, reasons from the warehouse or a person.

Streamlit renders Markdown (and its own ``:colour[...]``, ``:material/...:`` directives) in titles,
captions, alerts and ``st.markdown``. Anything that comes from the warehouse or from a person is
data, so it is escaped character by character: ``![x](http://host/p.png)`` stays those characters
and never becomes an image the browser fetches, ``--`` stays two hyphens, ``jürgen@example.com``
stays an address, not a link.
"""

from __future__ import annotations

import math

#: Every character with a meaning in CommonMark, GitHub-flavoured Markdown or Streamlit's extensions.
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=^&\"'@/")


def literal(value: object) -> str:
    """``value`` as text that Markdown shows exactly as it is (None and NaN as an empty string)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "".join("\\" + c if c in _SPECIAL else c for c in str(value)).replace("\n", "  \n")
