"""Altair charts of the budget page. Each takes a tidy frame and returns a chart (tests read to_dict()).

Plans are drawn as layers (a tick or line over the actual bars), never only as text. The quadrant
colours are not status colours: fund more / keep / fix / cut back are advice, not target status,
so they use their own palette (grey still means "cannot judge"), and never purple, which means
"not trusted" everywhere in the app (tests/test_colour_meaning.py).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from metrics.budget import QUADRANT_ORDER, Quadrant, quadrant_text
from metrics.formatting import current_language
from metrics.i18n import tr
from metrics.status import STATUS_COLOURS, Status
from metrics.what_if import OPTIMISER, TODAY, YOUR_SCENARIO
from ui.charts import Layered

PLAN_COLOUR = "#222222"
ACTUAL_COLOUR = "#4c78a8"
#: The plans (metrics.what_if names, English) and their colours; charts show the names with ``tr``.
SCENARIO_COLOURS = {TODAY: "#9e9e9e", YOUR_SCENARIO: "#4c78a8", OPTIMISER: "#f58518"}
QUADRANT_COLOURS: dict[Quadrant, str] = {
    Quadrant.FUND_MORE: "#2c7bb6",
    Quadrant.KEEP: "#abd9e9",
    Quadrant.FIX: "#fdae61",
    Quadrant.CUT_BACK: "#8c510a",  # brown: dear and missing its target
    Quadrant.NO_DATA: STATUS_COLOURS[Status.NO_DATA],
}
EUR = ",.0f"


#: Axis labels in euros without SI oddities ("0M", "0.1M"): '€0', '€100k', '€1.5M'; in German
#: '0 €', '100 Tsd. €', '1,5 Mio. €' (the digits follow the chart's locale, ui/charts.py).
_EUR_AXIS = {
    "en": ("datum.value == 0 ? '€0'"
           " : abs(datum.value) >= 1e6 ? '€' + format(datum.value / 1e6, '.3~f') + 'M'"
           " : abs(datum.value) >= 1e3 ? '€' + format(datum.value / 1e3, '.3~f') + 'k'"
           " : '€' + format(datum.value, ',.0f')"),
    "de": ("datum.value == 0 ? '0 €'"
           " : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '.3~f') + ' Mio. €'"
           " : abs(datum.value) >= 1e3 ? format(datum.value / 1e3, '.3~f') + ' Tsd. €'"
           " : format(datum.value, ',.0f') + ' €'"),
}


def _eur_axis() -> alt.Axis:
    """The euro axis in the current language."""
    return alt.Axis(labelExpr=_EUR_AXIS[current_language()])


def allocation_chart(frame: pd.DataFrame, group: str, title: str) -> Layered:
    """Actual spend per group as bars, the plan as a tick. frame: [group, planned, actual]."""
    base = alt.Chart(frame).encode(y=alt.Y(f"{group}:N", title=None, sort="-x",
                                           axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar(color=ACTUAL_COLOUR).encode(
        x=alt.X("actual:Q", title=tr("Spend (EUR)"), axis=_eur_axis()),
        tooltip=[alt.Tooltip(f"{group}:N", title=_group_title(group)),
                 alt.Tooltip("actual:Q", title=tr("Actual"), format=EUR),
                 alt.Tooltip("planned:Q", title=tr("Planned"), format=EUR),
                 alt.Tooltip("variance_pct:Q", title=tr("Variance %"), format="+.1f")],
    )
    ticks = base.mark_tick(color=PLAN_COLOUR, thickness=2, size=22).encode(x="planned:Q")
    return alt.layer(bars, ticks).properties(
        title=tr("{title}: actual (bars) against plan (black tick)").format(title=title), height=alt.Step(26))


def _group_title(group: str) -> str:
    """A tooltip's name for the allocation's group column (as the column is named, in English)."""
    titles = {"journey": tr("journey"), "stage": tr("stage"), "channel": tr("channel"),
              "moments": tr("moments")}
    return titles.get(group, group)


def plan_actual_trend_chart(frame: pd.DataFrame) -> Layered:
    """Monthly actual spend (bars) and the plan (line). frame: [month, planned, actual]."""
    base = alt.Chart(frame).encode(x=alt.X("yearmonth(month):T", title=tr("Month")))
    bars = base.mark_bar(color=ACTUAL_COLOUR, opacity=0.8).encode(
        y=alt.Y("actual:Q", title=tr("Spend per month (EUR)"), axis=_eur_axis()),
        tooltip=[alt.Tooltip("yearmonth(month):T", title=tr("Month")),
                 alt.Tooltip("actual:Q", title=tr("actual"), format=EUR),
                 alt.Tooltip("planned:Q", title=tr("planned"), format=EUR)],
    )
    line = base.mark_line(color=PLAN_COLOUR, point=True, strokeDash=[5, 3]).encode(y="planned:Q")
    return alt.layer(bars, line).properties(title=tr("Plan (dashed line) against actual (bars) by month"),
                                            height=260)


def efficiency_chart(frame: pd.DataFrame, outcome_label: str) -> alt.Chart:
    """Cost per outcome per item, cheapest first. frame: [name, cost_per_outcome, actual, outcome]."""
    data = frame.dropna(subset=["cost_per_outcome"])
    return alt.Chart(data).mark_bar(color=ACTUAL_COLOUR).encode(
        x=alt.X("cost_per_outcome:Q", title=tr("EUR per {outcome}").format(outcome=outcome_label)),
        y=alt.Y("name:N", title=None, sort="x"),
        tooltip=[alt.Tooltip("name:N", title=tr("name")),
                 alt.Tooltip("cost_per_outcome:Q", title=tr("Cost per outcome"), format=",.2f"),
                 alt.Tooltip("actual:Q", title=tr("Spend"), format=EUR),
                 alt.Tooltip("outcome:Q", title=tr("Outcome"), format=",.0f")],
    ).properties(title=tr("Efficiency ranking: cost per outcome (cheapest at the top)"), height=alt.Step(18))


def moment_of_truth_share_chart(frame: pd.DataFrame) -> alt.Chart:
    """Share of spend against share of impact. frame: [group, spend_share, impact_share]."""
    long = frame.melt(id_vars="group", value_vars=["spend_share", "impact_share"], var_name="measure",
                      value_name="share")
    measures = {"spend_share": tr("Share of spend"), "impact_share": tr("Share of impact")}
    long["measure"] = long["measure"].map(measures)
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("share:Q", title=tr("Share of total (%)"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("measure:N", title=None),
        row=alt.Row("group:N", title=None),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(range=["#4c78a8", "#f58518"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("group:N", title=tr("group")), alt.Tooltip("measure:N", title=tr("measure")),
                 alt.Tooltip("share:Q", title=tr("share"), format=".1f")],
    ).properties(title=tr("Moments of truth: share of spend against share of impact"), height=60)


def quadrant_chart(frame: pd.DataFrame, cost_threshold: float, outcome_label: str) -> Layered:
    """Target attainment (y) against cost per outcome (x), with the two dividing rules.

    frame: [name, attainment, cost_per_outcome, quadrant, actual].
    """
    data = frame.dropna(subset=["attainment", "cost_per_outcome"])
    data = data.assign(quadrant=data["quadrant"].map(quadrant_text))
    colours = alt.Scale(domain=[quadrant_text(q.value) for q in QUADRANT_ORDER],
                        range=[QUADRANT_COLOURS[q] for q in QUADRANT_ORDER])
    points = alt.Chart(data).mark_circle(opacity=0.85, stroke="#333", strokeWidth=0.5).encode(
        x=alt.X("cost_per_outcome:Q", scale=alt.Scale(type="log"),
                title=tr("Cost per {outcome} (EUR, log scale)").format(outcome=outcome_label)),
        y=alt.Y("attainment:Q", title=tr("Target attainment (%)"), scale=alt.Scale(zero=False)),
        size=alt.Size("actual:Q", title=tr("Spend (EUR)"), legend=None),
        color=alt.Color("quadrant:N", title=tr("Advice"), scale=colours, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title=tr("name")), alt.Tooltip("quadrant:N", title=tr("quadrant")),
                 alt.Tooltip("attainment:Q", title=tr("attainment"), format=".1f"),
                 alt.Tooltip("cost_per_outcome:Q", title=tr("Cost per outcome"), format=",.2f"),
                 alt.Tooltip("actual:Q", title=tr("actual"), format=EUR)],
    )
    labelled = data[quadrant_labels(data)].assign(label=lambda f: f["name"].map(_short))
    labels = alt.Chart(labelled).mark_text(align="left", dx=7, dy=-6, fontSize=11, color=PLAN_COLOUR).encode(
        x="cost_per_outcome:Q", y="attainment:Q", text="label:N")
    target = alt.Chart(pd.DataFrame({"y": [100.0]})).mark_rule(color=PLAN_COLOUR, strokeDash=[4, 3]).encode(
        y="y:Q")
    median = alt.Chart(pd.DataFrame({"x": [cost_threshold]})).mark_rule(
        color=PLAN_COLOUR, strokeDash=[2, 2]).encode(x="x:Q")
    return alt.layer(points, labels, target, median).properties(
        title=tr("Effectiveness against efficiency (dashed: target met; dotted: median cost)"), height=380)


#: Label box in chart fractions (about 22 characters by one line, with a little room above and below).
_LABEL_WIDTH, _LABEL_HEIGHT = 0.2, 0.09
_LABEL_CHARS = 22


def _short(name: object) -> str:
    text = str(name)
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def quadrant_labels(data: pd.DataFrame) -> pd.Series:
    """Which points get a text label: the biggest spenders first, each only where its label box
    (to the upper right of the point, on the log cost and linear attainment axes) overlaps no label
    already placed. The rest keep their tooltip."""
    if data.empty:
        return pd.Series(dtype=bool, index=data.index)
    x = np.log10(data["cost_per_outcome"].astype("float64").clip(lower=1e-9))
    y = data["attainment"].astype("float64")
    fx = (x - x.min()) / max(float(x.max() - x.min()), 1e-9)
    fy = (y - y.min()) / max(float(y.max() - y.min()), 1e-9)
    placed: list[tuple[float, float]] = []
    keep = pd.Series(False, index=data.index)
    for index in data["actual"].astype("float64").sort_values(ascending=False).index:
        px, py = float(fx[index]), float(fy[index])
        if all(abs(px - qx) >= _LABEL_WIDTH or abs(py - qy) >= _LABEL_HEIGHT for qx, qy in placed):
            placed.append((px, py))
            keep[index] = True
    return keep


def response_curve_chart(points: pd.DataFrame, history: pd.DataFrame, marks: pd.DataFrame,
                         outcome_label: str) -> Layered:
    """A fitted curve (solid where observed, dashed beyond), the monthly history and scenario marks.

    points: [spend, outcome, observed]; history: [spend, outcome]; marks: [scenario, spend, outcome].
    """
    x = alt.X("spend:Q", title=tr("Spend per month (EUR)"), axis=_eur_axis())
    y = alt.Y("outcome:Q", title=tr("{outcome} per month").format(outcome=outcome_label))
    spend_tip = alt.Tooltip("spend:Q", title=tr("spend"), format=EUR)
    outcome_tip = alt.Tooltip("outcome:Q", title=tr("outcome"), format=",.0f")
    # The legend says yes/no in the page's language, not the data's True/False.
    inside, outside = tr("Yes"), tr("No")
    points = points.assign(observed=points["observed"].map({True: inside, False: outside}))
    dash = alt.Scale(domain=[inside, outside], range=[[1, 0], [5, 4]])
    curve = alt.Chart(points).mark_line(color=PLAN_COLOUR).encode(
        x=x, y=y, strokeDash=alt.StrokeDash("observed:N", title=tr("Within observed spend"), scale=dash))
    seen = alt.Chart(history).mark_circle(color=ACTUAL_COLOUR, opacity=0.5).encode(
        x=x, y=y, tooltip=[alt.Tooltip("yearmonth(month):T", title=tr("Month")), spend_tip, outcome_tip])
    chosen = alt.Chart(_named_plans(marks)).mark_point(size=140, filled=True, shape="diamond").encode(
        x=x, y=y, color=alt.Color("scenario:N", title=None, scale=_scenario_scale()),
        tooltip=[alt.Tooltip("scenario:N", title=tr("scenario")), spend_tip, outcome_tip])
    return alt.layer(seen, curve, chosen).properties(title=tr("Response curve (points: months observed)"),
                                                     height=300)


def _named_plans(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``scenario`` column (metrics.what_if plan names) in the current language."""
    return frame.assign(scenario=frame["scenario"].map(lambda s: tr(s) if s in SCENARIO_COLOURS else s))


def _scenario_scale() -> alt.Scale:
    return alt.Scale(domain=[tr(s) for s in SCENARIO_COLOURS], range=list(SCENARIO_COLOURS.values()))


def scenario_chart(frame: pd.DataFrame) -> alt.Chart:
    """Spend per item in each scenario. frame: [name, scenario, spend]."""
    return alt.Chart(_named_plans(frame)).mark_bar().encode(
        y=alt.Y("name:N", title=None),
        yOffset=alt.YOffset("scenario:N", sort=[tr(s) for s in SCENARIO_COLOURS]),
        x=alt.X("spend:Q", title=tr("Spend per month (EUR)"), axis=_eur_axis()),
        color=alt.Color("scenario:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=_scenario_scale()),
        tooltip=[alt.Tooltip("name:N", title=tr("name")), alt.Tooltip("scenario:N", title=tr("scenario")),
                 alt.Tooltip("spend:Q", title=tr("spend"), format=EUR)],
    ).properties(title=tr("Monthly spend per item: today, your scenario and the optimiser"),
                 height=alt.Step(9))
