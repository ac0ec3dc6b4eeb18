"""ui.status_grid, ui.sparkline and ui.card_markup: the Overview's headline grid, the cards' trend
line and the cards' text, built as HTML and Markdown for Streamlit Markdown. Data in them stays
text; colours are the status colours."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from metrics.changes import DeltaShown
from metrics.journey_cards import Drag, JourneyCard
from metrics.status import STATUS_COLOURS, Status
from tests.grid_html import grid_cells
from ui.card_markup import card_markdown, delta_badge
from ui.sparkline import LINE_COLOUR, health_trend_svg, sparkline_svg
from ui.status_grid import attribute, legend_html, status_grid_html
from ui.text import literal

HOSTILE = '<img src="http://evil.example/x.png"> [x](http://evil.example) $x$ :material/home: "q"\nline'


def _cells() -> pd.DataFrame:
    rows = [
        ("Move house", "NPS", "+30", "target +33\n▼ 3 pts (worse)", "at_risk", ""),
        ("Buy", "CSAT", "⊘ 4.2?", "target 4.0\n▲ 0.1 pts (better)", "not_trusted", "2 checks failed"),
        (HOSTILE, "CSAT", "4.0", "target 4.0\n–", "on_target", ""),
    ]
    frame = pd.DataFrame(rows, columns=["journey", "kpi", "text", "detail", "status", "reason"])
    return frame.assign(value_text=frame["text"], target_text="t", delta_text="d")


def test_grid_cells_carry_status_colour_text_and_hover() -> None:
    markup = status_grid_html(_cells(), "Headline KPIs against target")
    cells = grid_cells(markup)
    assert len(cells) == 3  # "Move house" has no CSAT and "Buy" no NPS: blank cells, not judged ones
    buy = cells[cells["journey"] == "Buy"].iloc[0]
    assert (buy["kpi"], buy["status"], buy["status_label"]) == ("CSAT", "not_trusted", "Not trusted")
    assert buy["reason"] == "2 checks failed"
    assert buy["shown"] == "⊘ 4.2?target 4.0\n▲ 0.1 pts (better)"
    assert f"background:{STATUS_COLOURS[Status.NOT_TRUSTED]}" in markup
    assert f"background:{STATUS_COLOURS[Status.AT_RISK]}" in markup
    assert list(cells.drop_duplicates("journey")["journey"]) == sorted({"Buy", "Move house", HOSTILE})


def test_grid_shows_data_as_text_only() -> None:
    markup = status_grid_html(_cells(), "Headline KPIs against target")
    assert "\n" not in markup  # one HTML block: a blank line would hand the rest to Markdown
    # no tag, no address Streamlit could turn into a link, no maths, no icon: characters only
    assert "<img" not in markup and "http:" not in markup and "$" not in markup and ":material/" not in markup
    assert HOSTILE in set(grid_cells(markup)["journey"])  # read back as the very characters


def test_attribute_escapes_quotes_and_keeps_lines() -> None:
    assert attribute('a"b<c>\nd: $1') == "a&quot;b&lt;c&gt;&#10;d&#58; &#36;1"
    assert attribute(None) == ""


def test_legend_names_every_status_in_its_colour() -> None:
    legend = legend_html()
    for status in Status:
        assert status.label in legend and STATUS_COLOURS[status] in legend


def test_sparkline_spans_the_values_range() -> None:
    svg = sparkline_svg([50.0, 75.0, 100.0], "Health")
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    ys = [float(p.split(",")[1]) for p in points.group(1).split()]
    assert ys[0] > ys[1] > ys[2]  # higher values drawn higher (smaller y)
    assert ys[2] == 3.0 and ys[0] == 37.0  # the padding: top and bottom of the 40-unit box
    assert LINE_COLOUR in svg and "\n" not in svg
    assert all(colour not in svg for colour in STATUS_COLOURS.values())  # a trend is no status


def test_health_trend_skips_missing_months_and_names_the_values() -> None:
    svg = health_trend_svg((61.0, None, 79.5, 70.2))
    assert "<title>Health score by month, oldest first&#58; 61, 80, 70</title>" in svg
    assert health_trend_svg((None, 70.0)) == ""  # one value draws no line


def _card(**changes: object) -> JourneyCard:
    card = JourneyCard(
        journey_id="j1", journey=HOSTILE, owner="jürgen@example.com -- <b>x</b>", persona="Family $1",
        health=66.0, status="at_risk", health_text="66 / 100", change=DeltaShown("-6 pts", "normal", "auto"),
        change_text="▼ 6 pts (worse)", trend=(70.0, 66.0),
        drags=(Drag(HOSTILE, True, "CES", "3.24", "2.65", "0.59 pts above target", 1.0),),
        mot_text="1 of 36 (3%)",
    )
    return replace(card, **changes)  # type: ignore[arg-type]


def test_card_is_one_markdown_text_with_data_as_literal_text() -> None:
    text = card_markdown(_card(), 'Health 0–100: "weighted"')
    assert text.count(literal(HOSTILE)) == 2  # the title and the drag, as literal Markdown
    rest = text.replace(literal(HOSTILE), "")
    assert "<img" not in rest and "http:" not in rest and "$" not in rest and ":material/" not in rest
    assert "jürgen&#64;example.com" not in text and "jürgen@example.com -- &lt;b&gt;x&lt;/b&gt;" in text
    assert "Family &#36;1" in text and "<b>" not in text
    assert 'title="Health 0–100&#58; &quot;weighted&quot;"' in text  # the metric's help, on hover
    assert "66 / 100" in text and "Moments of truth on target: **1 of 36 (3%)**" in text
    assert f"background:{Status.AT_RISK.colour}" in text and "<svg" in text
    for block in text.split("\n\n"):  # an HTML block must not span a blank line
        assert not block.startswith("<") or "\n" not in block


def test_delta_badge_follows_st_metric_colours_and_arrows() -> None:
    assert delta_badge(DeltaShown("-6 pts", "normal", "auto")) == ":red-badge[↓ \\-6 pts]"
    assert delta_badge(DeltaShown("+4 pts", "normal", "auto")) == ":green-badge[↑ \\+4 pts]"
    assert delta_badge(DeltaShown("-2.0 pp", "inverse", "auto")).startswith(":green-badge[↓ ")
    assert delta_badge(DeltaShown("+7", "inverse", "auto")) == ":red-badge[↑ \\+7]"
    assert delta_badge(DeltaShown("±0 pts", "off", "off")) == ":gray-badge[±0 pts]"
    assert delta_badge(DeltaShown(None, "off", "off")) == ""
    assert "vs previous period" not in card_markdown(_card(change=DeltaShown(None, "off", "off")), "h")


def test_a_drag_that_costs_under_a_point_still_says_what_it_costs():
    from ui.card_markup import points_text
    assert points_text(0.34) == "0.3"
    assert points_text(0.01) == "< 0.1"
    assert points_text(2.46) == "2.5"
    assert points_text(12.4) == "12"
