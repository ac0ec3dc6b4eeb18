"""The budget page renders in AppTest on a real demo warehouse, and the what-if reacts to input.

Only the open tab is computed and drawn (the tabs are bound to the URL, so they know which one is
open): tests open the tab they look at, the What-if by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.demo import build_demo_file
from tests.fixtures import DEMO_END

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/budget.py"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_demo_file(tmp_path_factory.mktemp("budget") / "demo.duckdb", end=DEMO_END, touchpoints=12,
                           years=2)
    return f"duckdb:///{path}"


@pytest.fixture(params=["0"])
def app(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> Iterator[AppTest]:
    # MOT_MIN_CURVE_R2 0: every fitted curve counts as strong enough, so the optimiser promises a
    # number (the weak-curve case has its own test below).
    monkeypatch.setenv("MOT_MIN_CURVE_R2", request.param)
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page(PAGE)
    at.run()
    yield open_tab(at, "What-if")


def open_tab(at: AppTest, label: str) -> AppTest:
    """Run the page with the tab ``label`` open, as a click on it does (the tab's key is ``tab``)."""
    at.session_state["tab"] = label
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for messages in (at.warning, at.error, at.info):
        parts += [str(m.value) for m in messages]
    return "\n".join(parts)


def test_page_renders_every_tab(app: AppTest) -> None:
    tabs = ["Allocation", "Plan against actual", "Efficiency", "Effectiveness vs efficiency", "What-if"]
    labels: list[str] = []
    charts = 0
    for tab in tabs:
        open_tab(app, tab)
        assert not app.exception, (tab, app.exception)
        assert app.title[0].value == "Budget"
        assert [t.label for t in app.tabs] == tabs
        labels += [m.label for m in app.metric]
        charts += len(app.get("vega_lite_chart"))
    assert {"Planned", "Actual", "Variance"} <= set(labels)
    assert any(label.startswith("Optimiser:") for label in labels)
    assert charts >= 6


def test_only_the_open_tab_is_drawn(app: AppTest) -> None:
    open_tab(app, "Allocation")
    labels = [m.label for m in app.metric]
    assert {"Planned", "Actual", "Variance"} <= set(labels)
    assert not any(":" in label for label in labels)  # no What-if cards
    assert "Journey limits for the optimiser" not in [e.label for e in app.expander]
    open_tab(app, "What-if")
    labels = [m.label for m in app.metric]
    assert "Planned" not in labels and any(label.startswith("Optimiser:") for label in labels)


def test_optimiser_beats_today_and_keeps_the_total(app: AppTest) -> None:
    cards = {m.label.split(":")[0]: m for m in app.metric if ":" in m.label}
    today = float(cards["Today"].value.replace(",", ""))
    best = float(cards["Optimiser"].value.replace(",", ""))
    assert best >= today
    assert "of the goal" in _texts(app)


def test_total_below_the_minimums_is_a_clear_message(app: AppTest) -> None:
    app.number_input[0].set_value(10.0).run()
    assert not app.exception, app.exception
    assert "The optimiser cannot suggest an allocation" in _texts(app)
    assert "minimums add up to" in _texts(app)


def test_every_allocation_view_renders(app: AppTest) -> None:
    open_tab(app, "Allocation")
    for view in ("Stage", "Channel", "Moments of truth or not"):
        app.radio[0].set_value(view).run()
        assert not app.exception, app.exception


def test_reallocating_between_channels_says_which_have_no_curve(app: AppTest) -> None:
    app.radio[0].set_value("channel").run()
    assert not app.exception, app.exception
    # brand campaigns are booked per journey and no KPI row belongs to channel "brand": no curve
    frames = [d.value for d in app.dataframe]
    summary = next(f for f in frames if "reason" in f.columns)
    brand = summary[summary["name"] == "brand"]
    assert not brand.empty and brand["status"].iloc[0] == "refused"


@pytest.mark.parametrize("app", ["0.99"], indirect=True)
def test_weak_curves_get_a_range_not_a_number(app: AppTest) -> None:
    assert not app.exception, app.exception
    assert "No single number is promised" in _texts(app)
    cards = {m.label.split(":")[0]: m for m in app.metric if ":" in m.label}
    assert " to " in cards["Optimiser"].value  # "+120 to +2,300", not one number
    assert "range of the change" in str(cards["Optimiser"].delta)


def test_journey_limits_are_offered_for_touchpoints(app: AppTest) -> None:
    # AppTest cannot edit a data editor; tests/test_budget_uncertainty.py checks the limits' effect
    assert "Journey limits for the optimiser" in [e.label for e in app.expander]
    app.radio[0].set_value("channel").run()  # a channel spans journeys: no journey limits there
    assert not app.exception, app.exception
    assert "Journey limits for the optimiser" not in [e.label for e in app.expander]
