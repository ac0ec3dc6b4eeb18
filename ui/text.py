"""Data shown as literal text: names, comments, reasons from the warehouse or a person.

Streamlit renders Markdown in titles, captions, alerts, ``st.markdown``, metric and widget labels
and tab names. Anything that comes from the warehouse or from a person is data, so it must show
exactly as its characters: ``![x](http://host/p.png)`` never becomes an image the browser
fetches, ``[text](http://…)`` never a link, ``--`` stays two hyphens, ``jürgen@example.com`` stays
an address and ``:red[x]`` stays those characters.

Escaping alone is not enough (checked in Chromium, Streamlit 1.67): after parsing, Streamlit
rewrites the text it parsed, so even escaped text gets ``http://…``, ``www.…`` and e-mail addresses
turned into links, `` -- `` into an em dash (and ``->``, ``<=``, ``~=`` … into arrows and signs),
``:streamlit:`` into a logo and ``:smile:`` into an emoji. Those rewrites skip inline code, so a
word they would touch is shown as inline code (monospace, the characters unchanged); every other
character with a meaning in Markdown is backslash-escaped. (Streamlit also turns ``:material/``
into an icon name before parsing, inside code too; that colon stays outside the code.)

``literal_html`` is the same for the few places that build their own HTML (presentation mode).
Widget options (``format_func``), table cells and chart text are plain text already: pass data
there as it is.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

#: Every character with a meaning in CommonMark, GitHub-flavoured Markdown or Streamlit's extensions.
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=^&\"'@/")

#: Whole words that Streamlit's typography turns into a symbol ("--" -> "—", "->" -> "→", ...).
_TYPOGRAPHY = frozenset({"--", "->", "<-", "<->", ">=", "<=", "~="})

#: Parts of a word that Streamlit turns into a link, a logo or an emoji even when escaped.
_REWRITTEN = re.compile(r"https?://|www\.|@|:[\w+-]+:", re.IGNORECASE)

#: Whitespace as JavaScript's ``\s`` sees it (Python's ``\s`` lacks U+FEFF).
_SPACE = re.compile(r"([\s\ufeff]+)")

_LINE_END = re.compile(r"\r\n|\r|\n")

#: The colon that starts ``:material/``: Streamlit turns that into an icon name before parsing.
_ICON_COLON = re.compile(r":(?=material/)")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _code(text: str) -> str:
    """``text`` as an inline code span: a fence longer than any run of backticks inside, and a
    space on both sides (which CommonMark removes) when the text starts or ends with a backtick."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _word(word: str) -> str:
    if word not in _TYPOGRAPHY and not _REWRITTEN.search(word):
        return _escaped(word)
    first, *rest = _ICON_COLON.split(word)  # each of ``rest`` starts with "material/"
    return "".join([_code(first) if first else "", *("\\:" + _code(part) for part in rest)])


def literal(value: object) -> str:
    """``value`` as Markdown that Streamlit shows exactly as its characters; None, NaN and NA as
    an empty string. Line breaks stay line breaks."""
    if _missing(value):
        return ""
    pieces = _SPACE.split(str(value))
    # Odd pieces are the whitespace between words: kept, line breaks made hard breaks.
    return "".join(_LINE_END.sub("  \n", p) if i % 2 else _word(p) for i, p in enumerate(pieces))


def literal_html(value: object) -> str:
    """``value`` as text inside HTML given to ``st.markdown(..., unsafe_allow_html=True)``: escaped,
    with line breaks as ``<br>`` (a blank line would end the HTML block and start Markdown again)
    and ``:``/``$`` as character references (Streamlit rewrites ``:material/`` and looks for
    ``$`` maths in the whole source)."""
    if _missing(value):
        return ""
    text = html.escape(str(value), quote=True).replace(":", "&#58;").replace("$", "&#36;")
    return _LINE_END.sub("<br>", text)
