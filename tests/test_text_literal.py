"""ui.text.literal: any text as Markdown that shows exactly its characters.

The browser test (tests/test_hostile_browser.py) shows it in Streamlit; here a reader of the
Markdown literal() writes (backslash escapes, code spans, hard breaks, per CommonMark;
tests/markdown.py) gives back every input, and no text outside a code span holds what Streamlit
rewrites after parsing.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import (
    DIRECTIVES,
    HTML_IMAGE,
    IMAGE,
    LINK,
    LONG,
    MAIL,
    SCRIPT,
    SCRIPT_LINK,
    TYPOGRAPHY,
)
from tests.markdown import SPECIAL, read_literal, shown_text
from ui.text import literal, literal_html

#: What Streamlit turns into a link, a symbol, a logo or an emoji in parsed text (ui/text.py).
REWRITTEN = re.compile(r"https?://|www\.|\w@\w|:[\w+-]+:", re.IGNORECASE)
TYPOGRAPHY_TOKENS = re.compile(r"(?:^|\s)(?:<->|->|<-|--|>=|<=|~=)(?:\s|$)")

HOSTILE = [IMAGE, LINK, HTML_IMAGE, SCRIPT, SCRIPT_LINK, MAIL, DIRECTIVES, TYPOGRAPHY, LONG,
           "a -- b", "--", "x:material/home:", "http://h/:material/y", "`http://x`", "``www.x``",
           "bob@example.com", ":streamlit:", "line one\nline two\r\nthree\rfour", "  indented",
           "&amp; &lt;b&gt;", "1. not a list", "# not a heading", "> not a quote", "| a | b |",
           "~~gone~~", "==mark==", "[^1]", "\\*", "trailing space ", "\ufeff-- \u00a0->\u00a0"]


def _check(value: str) -> None:
    source = literal(value)
    shown, texts, codes = read_literal(source)
    assert shown == re.sub(r"\r\n|\r", "\n", value)
    for text in texts:
        assert not REWRITTEN.search(text), (value, text)
        assert not TYPOGRAPHY_TOKENS.search(text.replace("\ufeff", " ")), (value, text)
    assert ":material/" not in source  # Streamlit rewrites it before parsing, even inside code
    assert all("\n" not in code for code in codes)
    assert shown_text(source) == shown  # the lenient reader AppTest tests use agrees


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_read_back_exactly(value: str) -> None:
    _check(value)


@given(st.text(alphabet=st.sampled_from(sorted(SPECIAL) + list("ahpstw:/ü ß\n\r\t\u00a0\ufeff")),
               max_size=40))
def test_any_text_reads_back_exactly(value: str) -> None:
    _check(value)


def test_risky_words_are_code_and_the_rest_is_escaped() -> None:
    assert literal("Buy ![x](http://h/p.png) -- *now*") == r"Buy `![x](http://h/p.png)` `--` \*now\*"
    assert literal("jürgen@example.com") == "`jürgen@example.com`"
    assert literal("a `b` c@d") == r"a \`b\` `c@d`"
    assert literal("`x@y`") == "`` `x@y` ``"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, math.nan])
def test_missing_values_are_empty(missing: object) -> None:
    assert literal(missing) == ""
    assert literal_html(missing) == ""


def test_html_text_reads_back_and_holds_no_markup() -> None:
    for value in HOSTILE:
        shown = literal_html(value)
        assert not re.search(r"<(?!br>)|[:$\n\r]", shown), shown
        assert html.unescape(shown.replace("<br>", "\n")) == re.sub(r"\r\n|\r", "\n", value)
