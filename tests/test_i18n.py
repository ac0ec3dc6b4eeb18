"""German as well as English: no text exists in one language only (metrics/i18n.py).

- every message the code marks has a German translation with the same {placeholders}, and the
  German files hold nothing the code no longer says, nor one message translated two ways;
- no literal that reads as words is left unmarked (outside docstrings, SQL, developer errors and
  statements marked ``# i18n: not shown``), and nothing is built inside ``tr()``;
- switching the language switches texts, numbers and dates together.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.formatting import date_text, number_text, set_language
from metrics.i18n import catalogue, tr, tr_n
from metrics.i18n_audit import ROOT, audit, bad_calls, source_files, unmarked, unmarked_everywhere


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")


def _listing(items: dict) -> str:
    return "\n".join(f"  {where[0] if where else ''}: {message!r}"
                     for message, where in list(items.items())[:60])


def test_every_message_has_german() -> None:
    result = audit("de")
    assert result.used, "no text is marked for translation"
    missing = result.missing()
    assert not missing, (f"{len(missing)} messages have no German (python -m metrics.i18n_audit):\n"
                         + _listing(missing))


def test_no_german_without_english() -> None:
    unused = audit("de").unused()
    assert not unused, (f"{len(unused)} German entries translate text the code no longer says:\n"
                        + _listing(unused))


def test_translations_keep_placeholders_and_agree() -> None:
    result = audit("de")
    assert not result.placeholder_mismatches()
    assert not result.conflicting()
    assert not result.untranslated_entries, result.untranslated_entries[:20]


def test_no_text_is_left_unmarked() -> None:
    found = unmarked_everywhere()
    listing = "\n".join(f"  {f}:{line}: {text[:80]!r}" for f, items in found.items() for line, text in items)
    assert not found, ("text not marked for translation (python -m metrics.i18n_audit FILE):\n"
                       + listing[:6000])


def test_nothing_is_built_inside_tr() -> None:
    bad = {p.relative_to(ROOT).as_posix(): bad_calls(p) for p in source_files()}
    assert not {k: v for k, v in bad.items() if v}


def test_the_audit_can_fail(tmp_path: Path) -> None:
    """The checks above find what they look for in a planted file."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        'from metrics.i18n import tr\n'
        'def f(n):\n'
        '    """A docstring is not shown."""\n'
        '    a = tr("Off target since {date}")\n'
        '    b = "Nobody marked this sentence"\n'
        '    c = f"{n} touchpoints off target"\n'
        '    d = "SELECT a FROM b"\n'
        '    e = "Left as it is"  # i18n: not shown\n'
        '    g = tr(f"{n} built inside")\n'
        '    raise TypeError("expected a frame here")\n',
        encoding="utf-8")
    assert [line for line, _ in unmarked(planted, tmp_path)] == [5, 6]
    assert [line for line, _ in bad_calls(planted)] == [9]


def test_language_switches_text_numbers_and_dates_together(german: None) -> None:
    import datetime as dt

    assert number_text(1234.5, 1) == "1.234,5"
    assert date_text(dt.date(2026, 11, 22)) == "22.11.2026"
    assert tr("On target") != "On target"
    singular, plural = next(m for m in catalogue("de") if isinstance(m, tuple))
    assert tr_n(singular, plural, 1) == catalogue("de")[(singular, plural)][0]
    assert tr_n(singular, plural, 2) == catalogue("de")[(singular, plural)][1]


def test_english_is_the_source() -> None:
    assert tr("On target") == "On target"
    assert tr_n("{n} touchpoint", "{n} touchpoints", 2) == "{n} touchpoints"
    assert tr_n("{n} touchpoint", "{n} touchpoints", 1) == "{n} touchpoint"
