"""The overview's journey cards and headline tiles (figures from metrics.journey_cards and
metrics.overview). Each card links to its journey's page with the journey in the URL."""

from __future__ import annotations

import streamlit as st

from metrics.changes import DeltaShown
from metrics.formatting import number_text
from metrics.i18n import N_, tr
from metrics.journey_cards import JourneyCard
from metrics.overview import OverviewTiles
from metrics.status import HEALTH_AT_RISK, HEALTH_ON_TARGET, Status
from ui.sparkline import health_trend_svg
from ui.text import literal

JOURNEY_PAGE = "pages/journey.py"
CARDS_PER_ROW = 3
#: Shown with ``health_help()``.
HEALTH_HELP = N_(
    "Health 0–100: the weighted share of the journey's KPIs on target (at risk counts half; moments of "
    "truth weigh three times). On target from {on_target}, at risk from {at_risk}, judged on the whole "
    "points shown."
)


def health_help() -> str:
    return tr(HEALTH_HELP).format(on_target=HEALTH_ON_TARGET, at_risk=HEALTH_AT_RISK)


def _metric(container: object, label: str, value: str | int, change: DeltaShown, **extra: object) -> None:
    container.metric(  # type: ignore[attr-defined]
        label, value, delta=change.text, delta_color=change.color, delta_arrow=change.arrow,
        delta_description=tr("vs previous period") if change.text else None, **extra,
    )


def show_tiles(tiles: OverviewTiles, mot_help: str) -> None:
    """Journeys, healthy journeys, moments of truth on and off target, each with its change."""
    columns = st.columns(4)
    columns[0].metric(tr("Journeys"), tiles.journeys)
    _metric(columns[1], tr("Healthy journeys (score ≥ {score})").format(score=HEALTH_ON_TARGET),
            tiles.healthy, tiles.healthy_change, help=health_help())
    _metric(columns[2], tr("Moments of truth on target"), tiles.mot_text, tiles.mot_share_change,
            help=mot_help)
    _metric(columns[3], tr("Moments of truth off target"), tiles.mot_off, tiles.mot_off_change)


def _status_pill(status: str) -> str:
    shown = Status(status)
    return (f'<span style="background:{shown.colour};color:white;padding:1px 10px;border-radius:10px;'
            f'font-size:0.85rem;font-weight:600">{shown.label}</span>')  # i18n: not shown (HTML)


def _card(card: JourneyCard, link_params: dict[str, str]) -> None:
    with st.container(border=True):
        st.markdown(f"**{literal(card.journey)}** &nbsp; {_status_pill(card.status)}", unsafe_allow_html=True)
        _metric(st, tr("Health score"), card.health_text, card.change, help=health_help())
        # One Markdown element for the trend line, the moments of truth and the drags: each element
        # is a message and a re-render in the browser on every run (issue #19).
        parts = [health_trend_svg(card.trend),
                 tr("Moments of truth on target: **{share}**").format(share=card.mot_text)]
        if card.drags:
            drag = "- " + tr("{drag}, costs {points} health pts")
            parts.append(tr("Pulling the score down most:") + "\n" + "\n".join(
                drag.format(drag=literal(d.text), points=number_text(d.points_lost)) for d in card.drags))
        elif card.health is not None:
            parts.append(tr("Nothing judged is below target."))
        st.markdown("\n\n".join(p for p in parts if p), unsafe_allow_html=True)
        st.caption(tr("Map owner: {owner} · Persona: {persona}").format(
            owner=literal(card.owner), persona=literal(card.persona)))
        st.page_link(JOURNEY_PAGE, label=tr("Open journey: {journey}").format(journey=literal(card.journey)),
                     icon="🧭",
                     query_params={"journey": card.journey_id, **link_params})


def show_journey_cards(cards: list[JourneyCard]) -> None:
    """Cards, worst health first, three to a row; each opens the Journey page for its journey,
    keeping the chosen period."""
    period = st.query_params.get("period")
    link_params = {"period": period} if period else {}
    for start in range(0, len(cards), CARDS_PER_ROW):
        row = st.columns(CARDS_PER_ROW)
        for column, card in zip(row, cards[start:start + CARDS_PER_ROW], strict=False):
            with column:
                _card(card, link_params)
