"""Reading a page run under AppTest for English left in a German page.

``shown_texts`` collects what a person reads of every element: titles, Markdown, captions, alerts,
widget labels, help and options, metric labels and values, tab and expander labels, table headers
and text cells, and the titles inside charts. ``english_left`` removes the data (names from the
warehouse and the mapping, which are shown as they are in any language) and the terms German keeps
("Touchpoint", "KPI", "Kano", ...), then looks for words that are English and never German.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.markdown import shown_text

#: Words that are English and not German. Terms German CX practice keeps in English (Journey,
#: Touchpoint, Persona, KPI, Budget, Status, Trend, Kano) are not here.
ENGLISH_WORDS = frozenset([
    "the", "and", "of", "with", "from", "for", "this", "that", "these", "those", "is", "are", "has",
    "have", "been", "not", "no", "on", "off", "at", "by", "to", "or", "when", "which", "what",
    "your", "you", "each", "every", "than", "there", "their", "its", "it", "be", "can", "only",
    "more", "less", "last", "first", "target", "targets", "value", "values", "owner", "owners",
    "change", "changes", "period", "periods", "quarter", "quarters", "week", "weeks", "month",
    "months", "year", "years", "day", "days", "stage", "stages", "channel", "channels", "spend",
    "score", "health", "trust", "trusted", "check", "checks", "failing", "passed", "action",
    "actions", "due", "since", "before", "after", "download", "close", "reopen", "comment",
    "comments", "decision", "decisions", "save", "show", "hide", "choose", "none", "data", "page",
    "pages", "why", "how", "where", "who", "any", "above", "below", "better", "worse", "higher",
    "lower", "risk", "track", "open", "new", "shown", "here", "see", "set", "same", "points",
    "moments", "truth", "metric", "sample", "samples", "grain",
])

#: Names that read the same in both languages (products, formats, terms).
KEPT_TERMS = ("Great Expectations", "Data Docs", "Data Steward", "Streamlit", "OIDC", "SMTP",
              "PDF", "PPTX", "CSV", "PNG", "SQL", "URL", "R²")

_TEXT_FIELDS = {"body", "label", "help", "placeholder", "options", "text", "title", "caption", "message"}
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_NOISE = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|`[^`]*`|:material/\w+:")
#: An HTML tag in Markdown (ui.status_grid, ui.sparkline): a person reads its ``title`` (on hover),
#: never its other attributes (``fill="none"``, ``data-status="at_risk"``).
_TAG = re.compile(r"<[^<>]*>")
_TITLE = re.compile(r'\btitle="([^"]*)"')


def _seen(text: str) -> str:
    """``text`` with every HTML tag replaced by its title attribute, if any."""
    def titles(tag: re.Match[str]) -> str:
        return " " + " ".join(html.unescape(t) for t in _TITLE.findall(tag.group())) + " "

    return _TAG.sub(titles, text)


def _proto_strings(proto: Any, metric: bool = False) -> Iterator[str]:
    if proto is None or not hasattr(proto, "ListFields"):
        return
    for field, value in proto.ListFields():
        name = field.name
        if name == "spec" and isinstance(value, str):
            yield from _chart_titles(json.loads(value))
        elif field.type == field.TYPE_STRING and (
                name in _TEXT_FIELDS or (metric and name in {"body", "delta"})):
            if isinstance(value, str):
                yield value
            else:
                yield from (str(v) for v in value)
        elif field.type == field.TYPE_MESSAGE:
            values = value if field.is_repeated else [value]
            for item in values:
                yield from _proto_strings(item, metric)


def _chart_titles(spec: Any) -> Iterator[str]:
    """Titles in a Vega-Lite spec (chart, axes, legends, tooltips) and constant texts it draws."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title":
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from (str(v) for v in value)
                elif isinstance(value, dict) and isinstance(value.get("text"), str | list):
                    text = value["text"]
                    yield from ([text] if isinstance(text, str) else [str(t) for t in text])
            elif key == "datasets":
                continue  # the data itself
            else:
                yield from _chart_titles(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chart_titles(item)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _cell_texts(column: pd.Series) -> list[object]:
    """The distinct texts of a table column; a list cell (the coloured Status column is a
    one-label list) gives each of its items."""
    found: dict[object, None] = {}
    for value in column.dropna():
        items = list(value) if isinstance(value, list | tuple | np.ndarray) else [value]
        for item in items:
            found[item] = None
    return list(found)


def _column_labels(proto: Any) -> dict[str, str | None]:
    """Column -> the heading a table shows (st.column_config label), None for hidden columns."""
    try:
        config = json.loads(getattr(proto, "columns", "") or "{}")
    except ValueError:
        return {}
    labels: dict[str, str | None] = {}
    for name, column in config.items():
        name = name.removeprefix("name:")
        if not isinstance(column, dict):
            continue
        if column.get("hidden"):
            labels[name] = None
        elif isinstance(column.get("label"), str):
            labels[name] = column["label"]
    return labels


def shown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything a person reads on the page."""
    texts: list[tuple[str, str]] = []
    for node in _nodes(at._tree):
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind == "arrow_data_frame" or kind == "dataframe":
            try:
                frame = node.value
            except Exception:  # noqa: BLE001 - a table AppTest cannot decode is read from its proto
                frame = None
            if isinstance(frame, pd.DataFrame):
                headings = _column_labels(proto)
                texts += [(kind, headings.get(str(c), str(c))) for c in frame.columns
                          if headings.get(str(c), "") is not None]
                for column in frame.columns:
                    if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                        texts += [(kind, str(v)) for v in _cell_texts(frame[column])]
            continue
        for text in _proto_strings(proto, metric=kind == "metric"):
            if text:  # code spans hold data and commands (literal(), `python -m checks run`)
                texts.append((kind, shown_text(_CODE_SPAN.sub(" ", text))))
    return texts


def english_left(texts: Iterable[tuple[str, str]], data: Iterable[str]) -> list[tuple[str, str, list[str]]]:
    """(element, text, English words) for every text with English words once data is taken out."""
    data_strings = sorted({d for d in data if d and len(d) > 1}, key=len, reverse=True)
    found: list[tuple[str, str, list[str]]] = []
    for kind, text in texts:
        rest = _NOISE.sub(" ", _seen(text))
        for name in (*data_strings, *KEPT_TERMS):
            if name in rest:
                rest = rest.replace(name, " ")
        words = [w for w in _WORD.findall(rest) if w.lower() in ENGLISH_WORDS]
        if words:
            found.append((kind, text, words))
    return found
