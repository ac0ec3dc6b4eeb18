"""The review page's chart spec: what st.altair_chart sent for the Altair chart, without Altair's cost."""

from __future__ import annotations

import altair as alt
import pandas as pd

from metrics.status import STATUS_COLOURS, Status
from review.chart_spec import bullet_chart_spec
from review.pack import build_quarter_figures
from review.quarters import parse_quarter
from tests.test_review_fixtures import review_registry, review_warehouse_url, review_wh  # noqa: F401
from ui.review_charts import FRAME_HEIGHT, PAGE_FONT, ROW_HEIGHT, journey_review_spec, review_chart_height
from ui.review_sections import _shown_ranking


def _as_altair_sent_it(figures: pd.DataFrame, title: str) -> dict[str, object]:
    """The former page path: the shared spec sized for the page, through Altair and back."""
    spec = bullet_chart_spec(figures, title, font=PAGE_FONT)
    spec.pop("$schema", None)
    spec["width"] = "container"
    spec["height"] = ROW_HEIGHT * max(1, len({row["row"] for row in spec["data"]["values"]}))
    with alt.theme.enable("none"):  # as st.altair_chart does
        return alt.LayerChart.from_dict(spec).to_dict()


def test_page_spec_equals_the_altair_chart_spec(review_wh, review_registry) -> None:  # noqa: F811
    figures = build_quarter_figures(review_wh, review_registry, parse_quarter("2026Q3")).figures
    for journey_id in ("buy", "move"):
        mine = figures[figures["journey_id"] == journey_id].reset_index(drop=True)
        spec = journey_review_spec(mine, "Buy: figures against target")
        assert spec == _as_altair_sent_it(mine, "Buy: figures against target")
        alt.LayerChart.validate(spec)  # still a valid Vega-Lite spec for this Altair's schema
        (rows,) = spec["datasets"].values()
        labels = {row["row"] for row in rows}
        assert spec["height"] == ROW_HEIGHT * len(labels)
        assert review_chart_height(spec) == spec["height"] + FRAME_HEIGHT


def test_the_packs_keep_their_size_and_the_page_draws_the_same_picture_smaller() -> None:
    figures = pd.DataFrame([{"figure_name": "NPS", "touchpoint_name": "", "direction": "higher_is_better",
                             "section": "kpi", "figure_id": "nps", "unit": "score", "scale": 100.0,
                             "value": 30.0, "target": 33.0, "tolerance": 5.0, "status": "at_risk",
                             "previous_value": 29.0, "previous_target": 30.0, "last_year_value": None}])
    pack, page = bullet_chart_spec(figures, "t"), bullet_chart_spec(figures, "t", font=PAGE_FONT)
    assert pack["height"] == {"step": 46} and pack["encoding"]["y"]["axis"]["labelFontSize"] == 20
    assert page["encoding"]["y"]["axis"]["labelFontSize"] == PAGE_FONT
    assert page["height"]["step"] < pack["height"]["step"]
    # the same layers, data and colours: only sizes differ
    assert page["data"] == pack["data"] and len(page["layer"]) == len(pack["layer"])
    def drawn(spec: dict) -> list[dict]:  # each layer's encoding without its legend's sizes
        return [{k: ({**v, "legend": None} if k == "color" else v) for k, v in layer["encoding"].items()}
                for layer in spec["layer"]]
    assert drawn(page) == drawn(pack)


def test_page_spec_without_judged_figures_still_has_a_row() -> None:
    figures = pd.DataFrame([{"figure_name": "Reach", "touchpoint_name": "", "direction": "higher_is_better",
                             "section": "kpi", "figure_id": "reach", "unit": "count", "scale": 1.0,
                             "value": 10.0, "target": None, "tolerance": None, "status": "no_data",
                             "previous_value": 9.0, "previous_target": None, "last_year_value": None}])
    spec = journey_review_spec(figures, "")
    assert spec == _as_altair_sent_it(figures, "")
    assert spec["height"] == ROW_HEIGHT


def test_the_ranking_colours_each_score_label_and_keeps_the_styler_when_a_label_needs_two_colours() -> None:
    ranking = pd.DataFrame({"journey_id": ["a", "b", "c"], "Journey": ["A", "B", "C"],
                            "Review score": ["80", "70", "–"], "Change": ["+1 pts", "–", "–"],
                            "Judged figures": ["3", "2", "0"], "status": ["on_target", "at_risk", "no_data"]})
    shown, colours = _shown_ranking(ranking)
    assert shown is not None and shown.column("Review score").to_pylist() == [["80"], ["70"], ["–"]]
    assert colours == {"80": STATUS_COLOURS[Status.ON_TARGET], "70": STATUS_COLOURS[Status.AT_RISK],
                       "–": STATUS_COLOURS[Status.NO_DATA]}
    both = ranking.assign(**{"Review score": ["70", "70", "–"]})  # 70.4 on target, 69.6 at risk
    assert _shown_ranking(both) == (None, {})
