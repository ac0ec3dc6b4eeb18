"""Text in the configured language: ``tr("On target")`` reads "Im Ziel" with MOT_LANGUAGE=de.

The source strings are English and are the message ids. German lives in ``locale/de/*.po``
(gettext PO files, one per area, named for what they hold), read with Babel on first use; there is
no compile step. ``set_language`` (metrics.formatting) switches texts, numbers and dates together.

Rules the callers follow (tests/test_i18n.py enforces them):
- ``tr`` takes a literal; values go in by name afterwards:
  ``tr("{count} touchpoints off target").format(count=n)``, never an f-string inside ``tr``;
- ``tr_n(singular, plural, n)`` where the words depend on a count (both languages: one form for
  n == 1, the other for every other n);
- ``N_("...")`` marks a module-level constant (evaluated at import, before the language is known)
  so it is extracted; translate it where it is shown: ``tr(CONSTANT)``;
- every message in the code has a German translation with the same ``{placeholders}``, and the
  German files hold nothing the code no longer says: no text exists in one language only.

Adding text: write it in English inside ``tr(...)``, then run ``python -m metrics.i18n_audit``, which
lists the messages without German (and German nobody uses) by file, and add them to the PO file
of that area.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from metrics.formatting import current_language

__all__ = ["CATALOGUE_DIR", "KEYWORDS", "N_", "catalogue", "translated", "tr", "tr_n"]

#: Where the translations live: locale/<language>/<area>.po.
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: The call names that mark text for translation (the extractor in tests and the CLI uses them).
KEYWORDS = {"tr": None, "tr_n": (1, 2), "N_": None}

Message = str | tuple[str, str]


@cache
def catalogue(language: str) -> dict[Message, str | tuple[str, ...]]:
    """Every translated message of ``language``: msgid -> text, (singular, plural) -> forms.
    Untranslated and fuzzy entries are left out (the English text is used)."""
    messages: dict[Message, str | tuple[str, ...]] = {}
    for path in sorted((CATALOGUE_DIR / language).glob("*.po")):
        with path.open("rb") as handle:
            po = read_po(handle, locale=language)
        for message in po:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple | list):
                forms = tuple(message.string or ())
                if forms and all(forms):
                    messages[(message.id[0], message.id[1])] = forms
            elif isinstance(message.string, str) and message.string:
                messages[message.id] = message.string
    return messages


def tr(message: str) -> str:
    """``message`` (English) in the current language; English when it has no translation."""
    language = current_language()
    if language == "en":
        return message
    found = catalogue(language).get(message)
    return found if isinstance(found, str) else message


def tr_n(singular: str, plural: str, n: float) -> str:
    """The form for ``n``: ``tr_n("{n} touchpoint", "{n} touchpoints", n).format(n=n)``."""
    form = 0 if n == 1 else 1
    language = current_language()
    if language != "en":
        found = catalogue(language).get((singular, plural))
        if isinstance(found, tuple) and len(found) > form:
            return found[form]
    return (singular, plural)[form]


def N_(message: str) -> str:  # noqa: N802 (the gettext convention, so extractors find it)
    """Mark ``message`` for translation without translating it (module-level constants)."""
    return message


def translated(values: Iterable[str]) -> list[str]:
    """Each of ``values`` (marked with N_) in the current language."""
    return [tr(v) for v in values]
