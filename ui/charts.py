"""Altair charts shared by the overview and journey pages. Each takes a tidy frame and returns a
chart; tests read ``chart.to_dict()``. Status colours come only from metrics.status, so a colour
means the same on every page; targets are layers (line and band), never just text.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any, TypeAlias

import altair as alt
import pandas as pd
from babel import Locale

from metrics.formatting import LANGUAGES, MISSING, current_language
from metrics.i18n import tr
from metrics.status import (
    HEALTH_AT_RISK,
    HEALTH_ON_TARGET,
    STATUS_COLOURS,
    Status,
    health_points,
)

TARGET_COLOUR = "#222222"
BAND_COLOUR = "#9e9e9e"



@alt.theme.register("mot", enable=True)
def _mot_theme() -> alt.theme.ThemeConfig:
    """Charts fill their column's width but keep the plot height they ask for. Streamlit sizes a
    chart's box to the spec's height; with Vega's default autosize the title, axes and legend were
    squeezed into that box, leaving a plot a third of the height asked for (measured in Chromium).

    In German the spec carries a Vega locale (vega_locale), so time axes read "Nov. 2026" and
    numbers "1.234,5". Altair calls this at every ``to_dict()``, so the language is the one of the
    run that builds the chart (ui.cached_charts keys its specs by language)."""
    theme: dict[str, Any] = {"autosize": {"type": "fit-x", "contains": "padding"}}
    locale = vega_locale(current_language())
    if locale is not None:
        theme["config"] = {"locale": copy.deepcopy(locale)}
    return alt.theme.ThemeConfig(theme)  # type: ignore[misc]


#: CLDR date pattern fields -> d3-time-format directives (what Vega's time locale is written in).
_D3_DIRECTIVES = {"yyyy": "%Y", "yy": "%y", "y": "%Y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m",
                  "LLLL": "%B", "LLL": "%b", "dd": "%d", "d": "%-d", "EEEE": "%A", "EEE": "%a", "E": "%a",
                  "HH": "%H", "H": "%-H", "hh": "%I", "h": "%-I", "mm": "%M", "m": "%-M", "ss": "%S",
                  "s": "%-S", "a": "%p"}
_CLDR_FIELD = re.compile(r"'([^']*)'|([A-Za-z])\2*|(.)", re.S)


def _d3_pattern(cldr: str) -> str:
    """A CLDR date pattern ('dd.MM.y', 'HH:mm:ss') as a d3 time format ('%d.%m.%Y', '%H:%M:%S')."""
    out = []
    for match in _CLDR_FIELD.finditer(cldr):
        quoted, _letter, other = match.groups()
        if quoted is not None:
            out.append(quoted.replace("%", "%%") or "'")
        elif other is not None:
            out.append("%%" if other == "%" else other)
        else:
            field = match.group(0)
            out.append(_D3_DIRECTIVES.get(field) or _D3_DIRECTIVES.get(field[0], field))
    return "".join(out)


@cache
def vega_locale(language: str) -> dict[str, Any] | None:
    """The Vega-Lite ``config.locale`` (number and time formats) of ``language`` from Babel's CLDR
    data: decimal comma, month and day names. None for English, Vega's own default."""
    if language == "en":
        return None
    cldr = Locale.parse(LANGUAGES[language])
    symbols = cldr.number_symbols["latn"]
    currency = cldr.currency_formats["standard"].pattern.split(";")[0].replace("\xa0", " ")
    symbol = cldr.currency_symbols.get("EUR", "€")
    prefix, suffix = currency[: currency.index("#")], currency[currency.rindex("0") + 1:]
    months, days = cldr.months["format"], cldr.days["format"]
    periods = cldr.day_periods["format"]["abbreviated"]
    date = _d3_pattern(cldr.date_formats["medium"].pattern)
    time = _d3_pattern(cldr.time_formats["medium"].pattern)
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [cldr.decimal_formats[None].grouping[0]],
            "currency": [prefix.replace("¤", symbol), suffix.replace("¤", symbol)],
        },
        "time": {
            "dateTime": str(cldr.datetime_formats["medium"]).replace("{1}", "%x").replace("{0}", "%X"),
            "date": date,
            "time": time,
            "periods": [periods["am"], periods["pm"]],
            # Vega's weeks start on Sunday; CLDR numbers the days from Monday (0) to Sunday (6).
            "days": [days["wide"][(d + 6) % 7] for d in range(7)],
            "shortDays": [days["abbreviated"][(d + 6) % 7] for d in range(7)],
            "months": [months["wide"][m] for m in range(1, 13)],
            "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
        },
    }


#: What chart builders return: a layered chart (Altair types .properties() loosely).
Layered: TypeAlias = "alt.LayerChart | alt.FacetChart"


def status_scale() -> alt.Scale:
    """Status label -> colour, the same domain (all five states) everywhere."""
    return alt.Scale(domain=[s.label for s in Status], range=[STATUS_COLOURS[s] for s in Status])


def status_color(field: str = "status_label", title: str | None = None,
                 columns: int | None = None) -> alt.Color:
    """Colour by status (legend title: ``title``, default "Status" in the current language);
    ``columns`` wraps the legend in narrow charts so no state is cut off."""
    title = tr("Status") if title is None else title
    legend = alt.Legend(orient="bottom", labelLimit=0) if columns is None else alt.Legend(
        orient="bottom", columns=columns, labelLimit=0)
    return alt.Color(f"{field}:N", scale=status_scale(), title=title, legend=legend)


def with_status_labels(frame: pd.DataFrame, column: str = "status") -> pd.DataFrame:
    """``status_label`` (the colour key), ``status_text`` (the label with both facts, e.g.
    "⊘ On target?", from metrics.judgement) and ``trust_note`` (why a value is not trusted, else
    empty) for tooltips."""
    labels = frame[column].map(lambda s: Status(s).label)
    texts = frame.get("status_text", labels)
    untrusted = frame[column].eq(Status.NOT_TRUSTED.value)
    reasons = frame["trust_reason"].fillna("").astype(str) if "trust_reason" in frame else pd.Series(
        "", index=frame.index)
    return frame.assign(status_label=labels, status_text=texts, trust_note=reasons.where(untrusted, ""))


def health_chart(frame: pd.DataFrame) -> Layered:
    """Journey health 0-100 as bars with their value written beside them (frame: journey, health,
    status), and the 80/60 bands of metrics.status."""
    data = with_status_labels(frame).assign(
        health_text=frame["health"].map(lambda h: MISSING if pd.isna(h) else f"{health_points(h)}"))
    base = alt.Chart(data).encode(
        x=alt.X("health:Q", title=tr("Health score (0-100)"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("journey:N", title=None, sort="x", axis=alt.Axis(labelLimit=0)),
    )
    bars = base.mark_bar().encode(
        color=status_color(title=tr("Health"), columns=3),
        tooltip=[alt.Tooltip("journey:N", title=tr("Journey")),
                 alt.Tooltip("health_text:N", title=tr("Health")),
                 alt.Tooltip("status_label:N", title=tr("Status"))],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(text="health_text:N")
    rules = (
        alt.Chart(pd.DataFrame({"threshold": [HEALTH_AT_RISK, HEALTH_ON_TARGET],
                                "label": [tr("at risk from"), tr("on target from")]}))
        .mark_rule(color=TARGET_COLOUR, strokeDash=[4, 3])
        .encode(x="threshold:Q", tooltip=[alt.Tooltip("label:N", title=tr("Band")),
                                          alt.Tooltip("threshold:Q", title=tr("Health"))])
    )
    return alt.layer(bars, labels, rules).properties(height=alt.Step(34), title=tr("Journey health"))

