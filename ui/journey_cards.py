"""The overview's journey cards and headline tiles (figures from metrics.journey_cards and
metrics.overview). Each card links to its journey's page with the journey in the URL."""

from __future__ import annotations

import streamlit as st

from metrics.changes import DeltaShown
from metrics.i18n import N_, tr
from metrics.journey_cards import JourneyCard
from metrics.overview import OverviewTiles
from metrics.status import HEALTH_AT_RISK, HEALTH_ON_TARGET
from ui.card_markup import card_markdown
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


def _card(card: JourneyCard, link_params: dict[str, str]) -> None:
    """Two elements: the card's text (ui.card_markup: one Markdown element, issue #19) and its link."""
    with st.container(border=True):
        st.markdown(card_markdown(card, health_help()), unsafe_allow_html=True)
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
