"""A journey card's text as one Markdown element (ui.journey_cards draws it, with its page link).

The card was six elements: the title, an ``st.metric`` for the health score, the trend line with the
moments of truth and the drags, the owner caption and the page link. Every element is a message
and a React render in the browser on every run; the five cards' 25 elements were the largest share
of Chromium's work on a warm Overview filter change after the Vega views went (measured at 10 M
rows, issue #19). Now the title, the health score with its change, the trend, the moments of truth,
the drags and the owner line are one Markdown element; only the link to the Journey page stays a
widget, as it navigates inside the session.

The health score reads as ``st.metric`` drew it: its label (the help in its hover text), the value
large, the change as a green, red or grey badge with an arrow, in the theme's colours (Streamlit's
Markdown badges; no Material icon, as everywhere in the app), "vs previous period" beside it. Data
(journey, owner, persona, the drags' names) is literal text: ``ui.text.literal`` in Markdown,
``literal_html``/``attribute`` in HTML.
"""

from __future__ import annotations

from metrics.changes import DeltaShown
from metrics.formatting import number_text
from metrics.i18n import tr
from metrics.journey_cards import JourneyCard
from metrics.status import Status
from ui.sparkline import health_trend_svg
from ui.status_grid import attribute
from ui.text import literal, literal_html

#: st.metric's sizes: label 0.875rem, value 2.25rem.
_LABEL = "font-size:0.875rem"
_VALUE = "font-size:2.25rem;line-height:1.3;padding-bottom:0.25rem"
#: A small circled question mark after the label, where st.metric shows its help icon.
_HELP_MARK = ("display:inline-block;width:1.1em;height:1.1em;"  # i18n: not shown (CSS)
              "line-height:1.05em;border:1px solid;border-radius:50%;"  # i18n: not shown (CSS)
              "text-align:center;font-size:0.7rem;opacity:0.6;margin-left:2px")  # i18n: not shown (CSS)
#: st.caption's look, in the theme's text colour: smaller and faded.
_CAPTION = "font-size:0.875rem;opacity:0.6"


def status_pill(status: str) -> str:
    shown = Status(status)
    style = f"background:{shown.colour};color:white;padding:1px 10px;border-radius:10px"
    return (f'<span style="{style};font-size:0.85rem;font-weight:600">'  # i18n: not shown (HTML)
            f"{literal_html(shown.label)}</span>")


def delta_badge(change: DeltaShown) -> str:
    """The change as st.metric shows it (its rules in streamlit.elements.metric): down when the text
    starts with '-', else up; "normal" colours up green and down red, "inverse" the other way round,
    "off" grey; no arrow when ``change.arrow`` is "off". Empty without a change."""
    if not change.text:
        return ""
    down = change.text.startswith("-")
    colour = "gray" if change.color == "off" else "red" if down == (change.color == "normal") else "green"
    arrow = "" if change.arrow == "off" else ("↓ " if down else "↑ ")
    return f":{colour}-badge[{arrow}{literal(change.text)}]"  # i18n: not shown (Markdown badge)


def health_metric(label: str, value: str, change: DeltaShown, help_text: str) -> str:
    """Label (hover: ``help_text``), value and change, as Markdown: an HTML block, a blank line, the
    change's badge with "vs previous period"."""
    hover = attribute(help_text)
    block = (f'<div style="{_LABEL}" title="{hover}">{literal_html(label)} '  # i18n: not shown (HTML)
             f'<span aria-hidden="true" style="{_HELP_MARK}">?</span></div>'
             f'<div style="{_VALUE}">{literal_html(value)}</div>')
    badge = delta_badge(change)
    words = literal_html(tr("vs previous period"))
    since = f'<span style="{_CAPTION}">{words}</span>'  # i18n: not shown (HTML)
    return f"{block}\n\n{badge} {since}" if badge else block


def points_text(points: float) -> str:
    """Health points a drag costs: '12', '2.4', '< 0.1'. A journey of many touchpoints spreads its
    score thin, so whole points alone read 'costs 0' for a touchpoint that does cost something."""
    if points < 0.05:
        return "< " + number_text(0.1, 1)  # i18n: not shown (a number)
    return number_text(points, 1 if points < 10 else 0)


def card_markdown(card: JourneyCard, help_text: str) -> str:
    """Everything a card shows but its link, as one Markdown text (HTML blocks each on one line,
    blank lines between the parts)."""
    parts = [
        f"**{literal(card.journey)}** &nbsp; {status_pill(card.status)}",
        health_metric(tr("Health score"), card.health_text, card.change, help_text),
        health_trend_svg(card.trend),
        tr("Moments of truth on target: **{share}**").format(share=card.mot_text),
    ]
    if card.drags:
        drag = "- " + tr("{drag}, costs {points} health pts")
        parts.append(tr("Pulling the score down most:") + "\n" + "\n".join(
            drag.format(drag=literal(d.text), points=points_text(d.points_lost)) for d in card.drags))
    elif card.health is not None:
        parts.append(tr("Nothing judged is below target."))
    owner = literal_html(tr("Map owner: {owner} · Persona: {persona}")).format(
        owner=literal_html(card.owner), persona=literal_html(card.persona))
    parts.append(f'<div style="{_CAPTION}">{owner}</div>')  # i18n: not shown (HTML)
    return "\n\n".join(p for p in parts if p)
