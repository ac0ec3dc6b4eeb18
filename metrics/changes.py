"""How a change against an earlier period reads: one wording for cards, tiles, grid cells and trends.

Sizes go through metrics.formatting (percent KPIs in percentage points, scores in points, money
with its sign before the symbol), so no change ever reads as a relative "-32.9 %" for a score, and
a change that rounds to nothing reads "no change", never "▼ 0 (worse)" or "-0.00".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from metrics.formatting import MISSING, kpi_change_text
from metrics.i18n import N_, tr

__all__ = ["change_verdict", "DeltaShown", "delta_shown", "NO_EARLIER"]

#: What a change reads when there is no earlier value to compare with (shown with ``tr``).
NO_EARLIER = N_("no earlier value")


def _size(delta: float, unit: str, scale: float) -> str | None:
    """The unsigned size of a change ('2.0 pp'), or None when it rounds to zero."""
    text = kpi_change_text(delta, unit, scale)
    if text == MISSING:
        return None
    if text.startswith("±"):
        return None
    return text.lstrip("+-")


def change_verdict(delta: float | None, unit: str, scale: float, higher_is_better: bool) -> str:
    """'▲ 2.0 pp (better)', '▼ 3 pts (worse)', 'no change (±0.0 pp)' or 'no earlier value'.

    The arrow gives the direction of the number, the word whether that is good for this KPI."""
    text = kpi_change_text(delta, unit, scale)
    if text == MISSING:
        return tr(NO_EARLIER)
    assert delta is not None
    size = _size(delta, unit, scale)
    if size is None:
        return tr("no change ({change})").format(change=text)
    better = (delta > 0) == higher_is_better
    verdict = tr("{arrow} {size} (better)") if better else tr("{arrow} {size} (worse)")
    return verdict.format(arrow="▲" if delta > 0 else "▼", size=size)


@dataclass(frozen=True)
class DeltaShown:
    """A change as a metric tile shows it: signed text, colour rule and arrow (Streamlit's
    ``st.metric`` delta, delta_color and delta_arrow); ``text`` is None with no earlier value."""

    text: str | None
    color: Literal["normal", "inverse", "off"]
    arrow: Literal["auto", "off"]


def delta_shown(delta: float | None, unit: str, scale: float, higher_is_better: bool) -> DeltaShown:
    """'+2.0 pp' green up for a better higher-is-better KPI, red for worse; a lower-is-better
    KPI's fall is green; a change that rounds to zero is grey with no arrow ('±0 pts')."""
    text = kpi_change_text(delta, unit, scale)
    if text == MISSING:
        return DeltaShown(None, "off", "off")
    if text.startswith("±"):
        return DeltaShown(text, "off", "off")
    return DeltaShown(text, "normal" if higher_is_better else "inverse", "auto")
