"""Vega-Lite specs (plain dicts) for the review's charts: used by the PDF, the slides and the page.

review/ may not import altair (layering), so the spec is built as a dict; ui/review_charts.py
sizes it for the page, and vl-convert renders it to PNG for the exports.

The journey's bullet chart: one row per journey KPI and the budget against plan, all on one axis,
"% of target" (100 = the target, right is better: value / target for higher-is-better figures,
target / value for lower-is-better ones). Per row: background bands (off target, the amber
tolerance band, on target), a bar for this quarter's value in its status colour (purple = not
trusted), a black tick for the target and a grey tick for the previous quarter, judged against
the previous quarter's own target or plan. Each row's label carries the value and the target as
text, so the chart reads without the table. Figures at moments of truth stay in the table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from metrics.i18n import N_, tr, translated
from metrics.model import Direction
from metrics.status import STATUS_COLOURS, Status
from review.formatting import figure_name, figure_value, status_text

__all__ = ["AXIS_MAX", "bullet_chart_rows", "bullet_chart_spec", "legend_text", "ROW_STEP", "row_step",
           "target_index"]

#: The axis ends here (% of target); a figure beyond it is drawn to the edge, its label says more.
AXIS_MAX = 150.0
AXIS_MIN = 0.0
FONT = 20  # px; 14 pt or more once the chart is placed full width on a 16:9 slide or A4 page


def row_step(font: int) -> int:
    """Px per figure row: two lines of labels ``font + 2`` apart, and a little air."""
    return 2 * (font + 2) + 2


ROW_STEP = row_step(FONT)  # 46 px for the packs' 20 px labels
_SECTIONS = ("kpi", "budget")
LEGEND_LINES = (
    N_("Bar: this quarter · black tick: target · grey tick: previous quarter against its own target"),
    N_("Bands: off target, tolerance (amber), on target"),
)
#: The chart's font (a font name, not text).
CHART_FONT = "DejaVu Sans"  # i18n: not shown


def legend_text() -> str:
    """How to read the chart, in one line, in the current language."""
    return " · ".join(translated(LEGEND_LINES))


def target_index(values: pd.Series, targets: pd.Series, directions: pd.Series) -> pd.Series:
    """100 * value / target (higher is better) or 100 * target / value; NaN for zero or missing."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    t = pd.to_numeric(targets, errors="coerce").astype("float64")
    higher = directions.astype(str).eq(Direction.HIGHER_IS_BETTER.value)
    up = 100.0 * v / t.where(t != 0)
    down = 100.0 * t / v.where(v != 0)
    return pd.Series(np.where(higher, up, down), index=values.index, dtype="float64")


def _clip(index: pd.Series) -> pd.Series:
    return index.clip(lower=AXIS_MIN, upper=AXIS_MAX)


def bullet_chart_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per judged journey figure: label, text, status, index, band_low, previous."""
    judged = figures[figures["section"].isin(_SECTIONS) & figures["target"].notna()].copy()
    if judged.empty:
        return pd.DataFrame(columns=["label", "text", "status", "status_label", "index", "band_low",
                                     "previous"])
    tol = judged["tolerance"].fillna(0.0).abs()
    higher = judged["direction"].eq(Direction.HIGHER_IS_BETTER.value)
    worse_target = pd.Series(np.where(higher, judged["target"] - tol, judged["target"] + tol),
                             index=judged.index)
    previous_target = judged.get("previous_target", pd.Series(np.nan, index=judged.index))
    records = judged.to_dict("records")
    out = pd.DataFrame({
        "label": [figure_name(r) for r in records],
        "text": [tr("{value} · target {target}").format(value=figure_value(r, "value"),
                                                        target=figure_value(r, "target")) for r in records],
        "status": judged["status"].astype(str).to_numpy(),
        "status_label": [status_text(str(r["status"]), r["value"], r["target"], r["tolerance"],
                                     r["direction"]) for r in records],
        "index": _clip(target_index(judged["value"], judged["target"], judged["direction"])).to_numpy(),
        "band_low": _clip(target_index(worse_target, judged["target"], judged["direction"])).to_numpy(),
        # The previous quarter against its own target (or plan), never against this quarter's.
        "previous": _clip(target_index(judged["previous_value"], previous_target,
                                       judged["direction"])).to_numpy(),
    })
    return out.astype({"index": "float64", "band_low": "float64", "previous": "float64"})


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts: NaN becomes None (Vega-Lite leaves those marks out)."""
    plain = rows.astype(object).where(rows.notna(), None)
    return [dict(r) for r in plain.to_dict("records")]


def bullet_chart_spec(figures: pd.DataFrame, title: str, width: int = 880,
                      explain: bool = True, font: int = FONT) -> dict[str, Any]:
    """Layered bullet chart (module docstring) of one journey's figures, the plot ``width`` px wide
    plus about 17 ``font`` sizes of row labels. ``explain`` adds LEGEND_TEXT under the title; the
    slides say it in a text box instead, to leave the height to the rows. ``font``: the labels' px
    size, FONT for a slide or page of the packs, smaller on the review page beside its text; rows,
    ticks and legend symbols scale with it, so the picture is the same."""
    step, scale = row_step(font), font / FONT
    rows = bullet_chart_rows(figures)
    # Two-line row labels, name over value and target: data stays in the data, split by a
    # constant expression (a name never becomes part of an expression).
    rows = rows.assign(row=rows["label"] + "\n" + rows["text"])
    y = {"field": "row", "type": "nominal", "title": None, "sort": list(dict.fromkeys(rows["row"])),
         "axis": {"labelExpr": "split(datum.value, '\\n')", "labelFontSize": font,
                  "labelLimit": round(17 * font), "labelPadding": 10, "labelLineHeight": font + 2,
                  "labelOverlap": False,
                  "domain": False, "ticks": False}}
    x = {"type": "quantitative", "scale": {"domain": [AXIS_MIN, AXIS_MAX], "clamp": True, "nice": False},
         "title": tr("% of target (100 = target, right is better)"),
         "axis": {"values": [0, 25, 50, 75, 100, 125, 150]}}
    statuses = list(Status)
    colour = {"field": "status", "type": "nominal", "title": tr("This quarter"),
              "scale": {"domain": [s.value for s in statuses],
                        "range": [STATUS_COLOURS[s] for s in statuses]},
              "legend": {"labelExpr": _status_label_expr(), "orient": "top", "labelFontSize": font,
                         "titleFontSize": font, "symbolSize": round(220 * scale * scale),
                         "values": [s.value for s in statuses if s is not Status.NO_DATA]}}
    band = {"type": "bar", "height": {"band": 0.8}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": translated(LEGEND_LINES) if explain else "",
                  "fontSize": font + 6, "subtitleFontSize": font - 2, "anchor": "start"},
        "width": width, "height": {"step": step},
        "data": {"values": _records(rows)},
        "encoding": {"y": y},
        "layer": [
            {"mark": {**band, "color": STATUS_COLOURS[Status.OFF_TARGET], "opacity": 0.14},
             "encoding": {"x": {"field": "band_low", **x}, "x2": {"datum": AXIS_MIN}}},
            {"mark": {**band, "color": STATUS_COLOURS[Status.AT_RISK], "opacity": 0.30},
             "encoding": {"x": {"field": "band_low", **x}, "x2": {"datum": 100}}},
            {"mark": {**band, "color": STATUS_COLOURS[Status.ON_TARGET], "opacity": 0.14},
             "encoding": {"x": {**x, "datum": 100}, "x2": {"datum": AXIS_MAX}}},
            {"mark": {"type": "bar", "height": {"band": 0.36}},
             "encoding": {"x": {"field": "index", **x}, "x2": {"datum": AXIS_MIN}, "color": colour,
                          "tooltip": [{"field": "label", "title": tr("figure")},
                                      {"field": "text", "title": tr("value")},
                                      {"field": "status_label", "title": tr("status")},
                                      {"field": "index", "format": ".1f", "title": tr("% of target")}]}},
            {"mark": {"type": "tick", "color": "#222222", "thickness": 4, "size": round(42 * scale)},
             "encoding": {"x": {**x, "datum": 100}}},
            {"mark": {"type": "tick", "color": "#666666", "thickness": 4, "size": round(24 * scale)},
             "encoding": {"x": {"field": "previous", **x},
                          "tooltip": [{"field": "previous", "format": ".1f",
                                       "title": tr("previous quarter, % of its own target")}]}},
        ],
        "config": {"font": CHART_FONT, "view": {"stroke": None},
                   "axis": {"labelFontSize": font, "titleFontSize": font, "grid": False},
                   "title": {"fontSize": font + 6}},
    }


def _status_label_expr() -> str:
    parts = [f"datum.label == '{s.value}' ? '{s.label}'" for s in Status]
    return " : ".join(parts) + " : datum.label"
