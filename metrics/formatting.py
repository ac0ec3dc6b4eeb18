"""How numbers, money, changes and dates read, in one place, formatted by Babel (CLDR data).

Every page, pack and alert formats through these functions, so a value reads the same everywhere and
the language setting (``set_language``: 'en' or 'de') changes all of it at once: '1,234.5' and
'Nov 22, 2026' in English, '1.234,5' and '22.11.2026' in German.

Rules the callers rely on:
- no value (None, NaN) reads '–', never 'None' or 'nan';
- a change that rounds to zero reads '±0' in its unit, never '-0.00';
- signs sit where people write them: '+€11,022', '-€250';
- changes of percent KPIs are in percentage points ('+2.0 pp'), of scores in points ('+3 pts').
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from numbers import Real

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

__all__ = [
    "LANGUAGES",
    "MISSING",
    "change_text",
    "count_text",
    "current_language",
    "date_text",
    "day_text",
    "is_missing",
    "kpi_change_text",
    "kpi_change_texts",
    "kpi_value_text",
    "kpi_value_texts",
    "money_text",
    "month_text",
    "number_text",
    "number_texts",
    "percent_text",
    "quarter_text",
    "set_language",
]

#: Languages the app speaks, with the CLDR locale whose formats it uses.
LANGUAGES: dict[str, str] = {"en": "en_US", "de": "de_DE"}
#: What a missing value reads as, everywhere.
MISSING = "–"
CURRENCY = "EUR"

_state = {"language": "en"}


def set_language(language: str) -> None:
    """Switch every format to ``language`` ('en' or 'de'); unknown languages raise ValueError."""
    if language not in LANGUAGES:
        from metrics.i18n import tr  # here, not at the top: metrics.i18n reads the language from this module

        raise ValueError(tr("Unknown language {language}: use one of {languages}.").format(
            language=repr(language), languages=", ".join(LANGUAGES)))
    _state["language"] = language


def current_language() -> str:
    return _state["language"]


def _locale() -> str:
    return LANGUAGES[_state["language"]]


def is_missing(value: object) -> bool:
    """True for None, NaN and anything that is not a number: what reads as MISSING."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


@cache
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _pattern(decimals: int, signed: bool) -> NumberPattern:
    """The parsed number pattern: what ``format_decimal`` parses (and the locale it looks up) on every
    call, once."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return parse_pattern(f"+{body};-{body}" if signed else body)


@cache
def _separators(name: str) -> dict[int, str]:
    """Python's ',' and '.' of a formatted number as the locale writes them ('1.234,5' in German)."""
    locale = _babel_locale(name)
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


@cache
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _decimal_text(value: float, decimals: int, signed: bool) -> str:
    """Exactly ``babel.numbers.format_decimal(value, format=pattern, locale=...)`` for the patterns
    of ``_pattern`` ('#,##0.0', '+#,##0.0;-#,##0.0'), three times faster: Babel's own steps (the
    value's ``str`` as a Decimal, its sign apart, the absolute value rounded half to even to
    ``decimals`` places, groups of three) with Python's Decimal formatting. Pages format thousands
    of values on a cold run (#19); tests/test_warm_figures.py compares both on random values in
    every language. Anything not finite goes through Babel."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return _pattern(decimals, signed).apply(value, _babel_locale(_locale()))
    rounded = abs(number).quantize(_quantum(decimals), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,.{decimals}f}".translate(_separators(_locale()))
    return ("-" if number.is_signed() else "+" if signed else "") + text


def _rounds_to_zero(value: float, decimals: int) -> bool:
    """Whether the value reads as zero: rounded as it is worded (its decimal text, half to even), so
    -0.05 at one decimal is a zero ('0.0', '±0.0') and never '-0.0' (float ``round`` says -0.1)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.is_finite() and not abs(number).quantize(_quantum(decimals), rounding=ROUND_HALF_EVEN)


def number_text(value: float | None, decimals: int = 0, signed: bool = False) -> str:
    """'1,234' / '1.234,5'; with ``signed`` '+12.5' or '-3.0' (a rounded zero reads '±0')."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if signed and _rounds_to_zero(value, decimals):
        return "±" + _decimal_text(0, decimals, False)
    if not signed and _rounds_to_zero(value, decimals):
        value = 0.0  # never '-0.0'
    return _decimal_text(value, decimals, signed)


def _each(values: Iterable[object], word: Callable[[float], str],
          word_one: Callable[[object], str]) -> list[str]:
    """``word_one`` of each value, a column at a time (#19: pages word thousands of values on a cold
    run). Values are read as Python numbers, as iterating a Series yields them (an array's
    ``tolist``; numpy's own scalars round differently). Finite floats go through ``word``, which
    does only what ``word_one`` does for them, with the unit, language and pattern looked up once;
    equal values are worded once; anything else (None, NaN, infinities, Decimals, ints) goes
    through ``word_one`` itself."""
    items = values.tolist() if hasattr(values, "tolist") else list(values)
    seen: dict[float, str] = {}
    texts = []
    for value in items:
        if type(value) is not float:
            texts.append(word_one(value))
            continue
        if not math.isfinite(value):
            texts.append(MISSING if value != value else word_one(value))
            continue
        text = seen.get(value)
        if text is None:
            text = word(value)
            if value:  # 0.0 and -0.0 are one key: zeros are worded each time
                seen[value] = text
        texts.append(text)
    return texts


def _number_word(decimals: int, signed: bool) -> Callable[[float], str]:
    """``number_text(value, decimals, signed)`` for a finite float, in the current language."""
    quantum, spec, separators = _quantum(decimals), f",.{decimals}f", _separators(_locale())
    zero = ("±" if signed else "") + _decimal_text(0.0, decimals, False)
    plus = "+" if signed else ""

    def word(value: float) -> str:
        number = Decimal(str(value))
        rounded = abs(number).quantize(quantum, rounding=ROUND_HALF_EVEN)
        if not rounded:
            return zero
        return ("-" if number.is_signed() else plus) + format(rounded, spec).translate(separators)

    return word


def number_texts(values: Iterable[object], decimals: int = 0, signed: bool = False) -> list[str]:
    """``number_text`` of each value, worded a column at a time: the same strings."""
    def one(value: object) -> str:
        return number_text(value, decimals, signed)  # type: ignore[arg-type]

    return _each(values, _number_word(decimals, signed), one)


def count_text(value: float | None, compact: bool = False) -> str:
    """Whole counts: '12,340'; ``compact`` for big type: '12K', '1.5M' ('1,5 Mio.' in German)."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if compact and abs(value) >= 10_000:
        return format_compact_decimal(value, format_type="short", fraction_digits=1, locale=_locale())
    return number_text(value, 0)


def percent_text(value: float | None, decimals: int = 1) -> str:
    """A value already in percent units (25.3 for 25.3 %): '25.3%' / '25,3 %'."""
    if is_missing(value):
        return MISSING
    assert value is not None
    number = number_text(value, decimals)
    return f"{number} %" if current_language() == "de" else f"{number}%"


def money_text(value: float | None, signed: bool = False, compact: bool = False) -> str:
    """Whole euros with the locale's symbol placement: '€11,022', '+€11,022', '-€250', '11.022 €'.

    ``compact`` shortens large amounts for big type: '€1.5M'."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if round(value) == 0:
        value = 0.0
    if compact and abs(value) >= 10_000:
        text = format_compact_currency(value, CURRENCY, format_type="short", fraction_digits=1,
                                       locale=_locale())
    else:
        pattern = Locale.parse(_locale()).currency_formats["standard"].pattern
        pattern = pattern.split(";")[0].replace("#,##0.00", "#,##0")
        text = format_currency(value, CURRENCY, format=pattern, currency_digits=False, locale=_locale())
    if signed and value > 0:
        return "+" + text
    if signed and value == 0:
        return "±" + text
    return text


def change_text(delta: float | None, unit: str, decimals: int | None = None) -> str:
    """A change between two values in the unit people use for it.

    percent -> percentage points '+2.0 pp'; score -> points '+0.12 pts' / '+3 pts'; currency ->
    '+€1,200'; count -> '+1,200'; seconds -> '+12 s'. A change that rounds to zero reads '±0 …'.
    """
    if is_missing(delta):
        return MISSING
    assert delta is not None
    if unit == "currency":
        return money_text(delta, signed=True)
    places = decimals if decimals is not None else {"percent": 1, "score": 2}.get(unit, 0)
    return number_text(delta, places, signed=True) + _change_suffix(unit)


def _change_suffix(unit: str) -> str:
    """The unit after a change: ' pp' / ' Pp.' (percentage points), ' pts' / ' Pkt.', ' s'."""
    if current_language() == "de":
        return {"percent": " Pp.", "score": " Pkt.", "seconds": " s"}.get(unit, "")
    return {"percent": " pp", "score": " pts", "seconds": " s"}.get(unit, "")


def _score_decimals(scale: float) -> int:
    return 0 if scale >= 100 else 2  # NPS-like scores are whole points, CSAT-like have two places


def kpi_value_text(value: float | None, unit: str, scale: float = 1.0, compact: bool = False) -> str:
    """A KPI value as people read it: '87.5%', '4.21', '+32' (NPS), '12,340', '€3,300', '95 s'."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if unit == "percent":
        return percent_text(value, 1)
    if unit == "count":
        return count_text(value, compact)
    if unit == "currency":
        return money_text(value, compact=compact)
    if unit == "seconds":
        return number_text(value, 0) + " s"
    if _score_decimals(scale) == 0:
        return number_text(value, 0, signed=True) if round(value) != 0 else number_text(0, 0)
    return number_text(value, 2)


def _kpi_value_word(unit: str, scale: float) -> Callable[[float], str] | None:
    """``kpi_value_text`` of a finite float for the units worded without Babel (None: the others)."""
    if unit == "percent":
        percent = _number_word(1, False)
        suffix = " %" if current_language() == "de" else "%"
        return lambda value: percent(value) + suffix
    if unit == "count":
        return _number_word(0, False)
    if unit == "seconds":
        seconds = _number_word(0, False)
        return lambda value: seconds(value) + " s"
    if unit == "currency":
        return None
    if _score_decimals(scale) == 0:
        points, zero = _number_word(0, True), number_text(0, 0)
        return lambda value: points(value) if round(value) != 0 else zero
    return _number_word(2, False)


def kpi_value_texts(values: Iterable[object], unit: str, scale: float = 1.0,
                    compact: bool = False) -> list[str]:
    """``kpi_value_text`` of each value of one KPI, worded a column at a time: the same strings."""
    def one(value: object) -> str:
        return kpi_value_text(value, unit, scale, compact)  # type: ignore[arg-type]

    word = None if compact else _kpi_value_word(unit, scale)
    return _each(values, word or one, one)


def kpi_change_text(delta: float | None, unit: str, scale: float = 1.0) -> str:
    """A KPI's change: '+2.0 pp' (percent), '+3 pts' (NPS), '-0.12 pts' (CSAT), '+€1,200'."""
    decimals = _score_decimals(scale) if unit == "score" else None
    return change_text(delta, unit, decimals)


def kpi_change_texts(deltas: Iterable[object], unit: str, scale: float = 1.0) -> list[str]:
    """``kpi_change_text`` of each change of one KPI, worded a column at a time: the same strings."""
    def one(delta: object) -> str:
        return kpi_change_text(delta, unit, scale)  # type: ignore[arg-type]

    if unit == "currency":
        return _each(deltas, one, one)
    decimals = _score_decimals(scale) if unit == "score" else {"percent": 1}.get(unit, 0)
    signed, suffix = _number_word(decimals, True), _change_suffix(unit)
    return _each(deltas, lambda delta: signed(delta) + suffix, one)


def _as_date(value: dt.date | dt.datetime | object) -> dt.date | None:
    if value is None or (isinstance(value, Real) and is_missing(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    to_pydatetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp
    if to_pydatetime is not None:
        try:
            return to_pydatetime().date()
        except ValueError:  # NaT
            return None
    return None


def date_text(value: dt.date | dt.datetime | object) -> str:
    """'Nov 22, 2026' / '22.11.2026'."""
    day = _as_date(value)
    return MISSING if day is None else format_date(day, format="medium", locale=_locale())


def day_text(value: dt.date | dt.datetime | object) -> str:
    """'01 Jul 2026' / '01.07.2026': a day as page captions write it (day first in English)."""
    day = _as_date(value)
    if day is None:
        return MISSING
    if current_language() == "en":
        return format_date(day, format="dd MMM y", locale=_locale())  # i18n: not shown (a CLDR pattern)
    return date_text(day)


def month_text(value: dt.date | dt.datetime | object) -> str:
    """'Nov 2026' / 'Nov. 2026'."""
    day = _as_date(value)
    return MISSING if day is None else format_skeleton("yMMM", day, locale=_locale())


def quarter_text(value: dt.date | dt.datetime | object) -> str:
    """'Q4 2026' (both languages)."""
    day = _as_date(value)
    if day is None:
        return MISSING
    return format_date(day, format="QQQ yyyy", locale=_locale())  # i18n: not shown (a CLDR pattern)
