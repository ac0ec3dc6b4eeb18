"""ui.status_grid and ui.sparkline: the Overview's headline grid and the cards' trend line, built
as HTML for Streamlit Markdown. Data in them stays text; colours are the status colours."""

from __future__ import annotations

import re

import pandas as pd

from metrics.status import STATUS_COLOURS, Status
from tests.grid_html import grid_cells
from ui.sparkline import LINE_COLOUR, health_trend_svg, sparkline_svg
from ui.status_grid import attribute, legend_html, status_grid_html

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
