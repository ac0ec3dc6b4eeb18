"""A journey card's monthly health trend as a small inline SVG line, drawn by the browser as plain
markup.

``st.metric(chart_data=...)`` draws each sparkline as its own Vega view: five cards, five Vega
views, re-rendered on every rerun and loading Vega's bundle with the page. Measured in Chromium at
10 M rows (issue #19), the five cost about 0.24 s of browser CPU per Overview filter change. The
same line as an ``<svg>`` polyline costs a few DOM nodes. Like the metric's sparkline it is scaled
to the values' own range; its title (hover, screen readers) lists the values.
"""

from __future__ import annotations

from collections.abc import Sequence

from metrics.i18n import tr
from metrics.status import health_points
from ui.text import literal_html

#: The line's colour: neutral, so it never reads as a status (status colours mean on target, at
#: risk, off target, no data, not trusted everywhere, metrics.status).
LINE_COLOUR = "#5f6368"
#: Drawing box in SVG units; the SVG stretches to its column's width at HEIGHT_PX.
_WIDTH, _HEIGHT, _PAD = 300.0, 40.0, 3.0
HEIGHT_PX = 44


def sparkline_svg(values: Sequence[float], title: str) -> str:
    """One ``<svg>`` line (no line breaks: it sits in Markdown as one HTML block) through
    ``values``, oldest first, scaled to their range; empty for fewer than two values."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (_WIDTH - 2 * _PAD) / (len(values) - 1)
    points = " ".join(
        f"{_PAD + i * step:.1f},{_PAD + (high - v) / span * (_HEIGHT - 2 * _PAD):.1f}"
        for i, v in enumerate(values)
    )
    last_x, last_y = points.rsplit(" ", 1)[-1].split(",")
    return (
        f'<svg viewBox="0 0 {_WIDTH:.0f} {_HEIGHT:.0f}" preserveAspectRatio="none" '  # i18n: not shown (HTML)
        f'role="img" width="100%" height="{HEIGHT_PX}" style="display:block;overflow:visible">'
        f"<title>{literal_html(title)}</title>"
        f'<polyline points="{points}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2" '
        f'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="{LINE_COLOUR}"/></svg>'
    )


def health_trend_svg(trend: Sequence[float | None]) -> str:
    """A card's health by month (None: a month without a score, left out, as the metric's
    sparkline did), titled with the values."""
    shown = [round(v, 1) for v in trend if v is not None]
    title = tr("Health score by month, oldest first: {values}").format(
        values=", ".join(str(health_points(v)) for v in shown))
    return sparkline_svg(shown, title)
