"""Vega-Lite specs (plain dicts) for the review's charts: used by the PDF, the slides and the page.

review/ may not import altair (layering), so the spec is built as a dict; ui/review_charts.py
turns it into an Altair chart for the page, and vl-convert renders it to PNG for the exports.

The journey chart puts every judged figure on one axis: "% of target", 100 = the target, right is
better (value / target for higher-is-better figures, target / value for lower-is-better ones).
The amber band shows the tolerance in the same terms. Zero or missing values are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from metrics.model import Direction
from metrics.status import STATUS_COLOURS, STATUS_LABELS, Status

__all__ = ["journey_chart_spec", "target_index"]

PERIOD_LABELS = {"value": "This quarter", "previous_value": "Previous quarter",
                 "last_year_value": "Same quarter last year"}


def target_index(values: pd.Series, targets: pd.Series, directions: pd.Series) -> pd.Series:
    """100 * value / target (higher is better) or 100 * target / value; NaN for zero or missing."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    t = pd.to_numeric(targets, errors="coerce").astype("float64")
    higher = directions.astype(str).eq(Direction.HIGHER_IS_BETTER.value)
    up = 100.0 * v / t.where(t != 0)
    down = 100.0 * t / v.where(v != 0)
    return pd.Series(np.where(higher, up, down), index=values.index, dtype="float64")


def journey_chart_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """One journey's judged figures as long rows: label, period, index, status, band_low."""
    judged = figures[figures["target"].notna()].copy()
    judged["label"] = np.where(judged["touchpoint_name"].astype(str).ne(""),
                               "MoT " + judged["touchpoint_name"].astype(str) + " · " + judged["figure_name"],
                               judged["figure_name"])
    tol = judged["tolerance"].fillna(0.0).abs()
    worse_target = np.where(judged["direction"].eq(Direction.HIGHER_IS_BETTER.value),
                            judged["target"] - tol, judged["target"] + tol)
    judged["band_low"] = target_index(pd.Series(worse_target, index=judged.index), judged["target"],
                                      judged["direction"])
    rows = []
    for column, period in PERIOD_LABELS.items():
        part = judged[["label", "status", "band_low"]].copy()
        part["period"] = period
        part["index"] = target_index(judged[column], judged["target"], judged["direction"])
        if column != "value":
            part["status"] = "comparison"
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    return out[out["index"].notna()].reset_index(drop=True)


def journey_chart_spec(figures: pd.DataFrame, title: str, width: int = 560) -> dict[str, Any]:
    """Layered spec: tolerance band, target rule at 100, last year / previous / this quarter."""
    rows = journey_chart_rows(figures)
    data = rows.assign(status_label=rows["status"].map(
        lambda s: STATUS_LABELS[Status(s)] if s != "comparison" else "comparison")).to_dict("records")
    labels = list(dict.fromkeys(rows["label"]))  # order of the table
    y = {"field": "label", "type": "nominal", "title": None, "sort": labels}
    statuses = list(Status)
    colour = {"field": "status", "type": "nominal", "title": "Status this quarter",
              "scale": {"domain": [s.value for s in statuses],
                        "range": [STATUS_COLOURS[s] for s in statuses]},
              "legend": {"labelExpr": _status_label_expr()}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": width, "height": {"step": 26},
        "data": {"values": data},
        "layer": [
            {"mark": {"type": "bar", "color": STATUS_COLOURS[Status.AT_RISK], "opacity": 0.25, "height": 10},
             "encoding": {"y": y, "x": {"field": "band_low", "type": "quantitative"}, "x2": {"datum": 100}}},
            {"mark": {"type": "rule", "color": "#333333", "strokeDash": [4, 3]},
             "encoding": {"x": {"datum": 100, "type": "quantitative"}}},
            {"transform": [{"filter": "datum.status == 'comparison'"}],
             "mark": {"type": "point", "filled": False, "size": 60, "color": "#777777"},
             "encoding": {"y": y, "x": {"field": "index", "type": "quantitative"},
                          "shape": {"field": "period", "type": "nominal", "title": "Compared with"},
                          "tooltip": [{"field": "label"}, {"field": "period"},
                                      {"field": "index", "format": ".1f"}]}},
            {"transform": [{"filter": "datum.status != 'comparison'"}],
             "mark": {"type": "point", "filled": True, "size": 140, "opacity": 1},
             "encoding": {"y": y, "color": colour,
                          "x": {"field": "index", "type": "quantitative", "scale": {"zero": False},
                                "title": "% of target (100 = target, right is better)"},
                          "tooltip": [{"field": "label"}, {"field": "status_label", "title": "status"},
                                      {"field": "index", "format": ".1f", "title": "% of target"}]}},
        ],
        "config": {"font": "DejaVu Sans",
                   "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
                   "legend": {"orient": "right", "labelLimit": 220}},
    }


def _status_label_expr() -> str:
    parts = [f"datum.label == '{s.value}' ? '{STATUS_LABELS[s]}'" for s in Status]
    return " : ".join(parts) + " : datum.label"
