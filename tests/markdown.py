"""Reading back the Markdown the app writes: what a person sees of a title, caption or alert.

AppTest hands tests the Markdown source of an element; where a page wrote data through
``ui.text.literal`` that source holds backslash escapes and code spans. ``shown_text`` reads them
the way CommonMark does, so a test can compare with the data itself. ``read_literal`` is the strict
reader for literal()'s own output: it fails on any Markdown syntax literal() must never leave.
"""

from __future__ import annotations

import re

#: What literal() backslash-escapes (ui/text.py).
SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=^&\"'@/")

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _code_content(code: str) -> str:
    return code[1:-1] if code.startswith(" ") and code.endswith(" ") and code.strip(" ") else code


def _code_span(source: str, i: int) -> tuple[str, int] | None:
    """The code span opening at ``source[i]`` (a backtick) and where it ends, or None."""
    fence = re.match(r"`+", source[i:]).group()  # type: ignore[union-attr]
    end = re.compile(rf"(?<!`){fence}(?!`)").search(source, i + len(fence))
    if end is None:
        return None
    return _code_content(source[i + len(fence):end.start()]), end.end()


def shown_text(source: str) -> str:
    """``source`` with backslash escapes, code spans and hard line breaks read as CommonMark reads
    them; any other Markdown (our own bold, lists) stays as written."""
    shown: list[str] = []
    i = 0
    while i < len(source):
        c, following = source[i], source[i + 1:i + 2]
        if c == "\\" and following and following in _PUNCTUATION:
            shown.append(following)
            i += 2
        elif c == "`":
            span = _code_span(source, i)
            run = re.match(r"`+", source[i:]).group()  # type: ignore[union-attr]
            shown.append(span[0] if span else run)  # a fence nobody closes is just backticks
            i = span[1] if span else i + len(run)
        else:
            shown.append(c)
            i += 1
    return "".join(shown).replace("  \n", "\n")


def read_literal(source: str) -> tuple[str, list[str], list[str]]:
    """(the text shown, the parsed text between code spans, the code spans) of Markdown made only
    of backslash escapes, code spans, hard breaks and plain characters; fails on anything else."""
    shown: list[str] = []
    texts: list[str] = []
    codes: list[str] = []
    text: list[str] = []
    i = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            assert source[i + 1] in SPECIAL, source[i:i + 2]
            shown.append(source[i + 1])
            text.append(source[i + 1])
            i += 2
        elif c == "`":
            span = _code_span(source, i)
            assert span is not None, source[i:]
            shown.append(span[0])
            codes.append(span[0])
            texts.append("".join(text))
            text = []
            i = span[1]
        elif c == "\n":  # literal() writes each line break as a hard break: two spaces first
            assert shown[-2:] == [" ", " "], repr(source)
            del shown[-2:], text[-2:]
            shown.append("\n")
            text.append("\n")
            i += 1
        else:
            assert c not in SPECIAL, (c, source)
            shown.append(c)
            text.append(c)
            i += 1
    texts.append("".join(text))
    return "".join(shown), texts, codes
