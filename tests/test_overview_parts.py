"""The Overview's monthly health trend is read a part of the journeys at a time where the monthly
summary answers its months (ui/overview_figures.py: health_trend, ui/read_parts.py; #19: memory).
The trend, and every card, must be the ones read at once give, also where a part lacks a month the
others have (one journey without the trend's latest month, one without a month in the middle) and
with filters. Without the summary the months are read at once (tests/parts_fixtures.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from metrics.model import Filters
from metrics.periods import period_for, previous_period
from tests.fixtures import QUOTED_JOURNEY_ID, fixture_frames, sent_statements
from tests.parts_fixtures import kpi_statements, parts_context, summary_warehouse

#: Planted: the switch journey has no data from September 2026 (the trend's latest month, as of the
#: fixture's end) on, the renew journey none in March 2026.
NO_LATEST, GAP = "switch", "renew"
FILTERS = [Filters(), Filters(journey_ids=("buy", NO_LATEST, GAP)),
           Filters(channels=("web", "social", "call centre", "e-mail", "delivery"))]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, pd.DataFrame]]:
    frames = fixture_frames()
    facts = frames["touchpoint_kpis"]
    day = pd.to_datetime(facts["date"])
    journey = facts["touchpoint_id"].map(frames["touchpoints"].set_index("touchpoint_id")["journey_id"])
    gone = ((day < "2024-12-01")  # the data starts on a month's first day: the summary answers the months
            | ((journey == NO_LATEST) & (day >= "2026-09-01"))
            | ((journey == GAP) & (day >= "2026-03-01") & (day < "2026-04-01")))
    frames["touchpoint_kpis"] = facts[~gone].reset_index(drop=True)
    return summary_warehouse(tmp_path_factory.mktemp("overview-parts") / "wh.duckdb", frames), frames


@pytest.fixture(params=["summary", "facts"])
def ctx(planted: tuple[str, dict[str, pd.DataFrame]], monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    url, frames = planted
    with parts_context(url, frames, request.param == "summary", tmp_path, monkeypatch) as context:
        yield context


def _read(ctx: object, filters: Filters, part: int,
          monkeypatch: pytest.MonkeyPatch) -> tuple[pd.DataFrame, object, int]:
    """The health trend and the Overview's figures with parts of at most ``part`` touchpoints, and
    how many KPI statements the trend sent."""
    from ui import caching, overview_figures, read_parts

    monkeypatch.setattr(read_parts, "TREND_PART_TOUCHPOINTS", part)
    caching.clear_data()
    period = period_for("last_quarter", ctx.as_of)  # type: ignore[attr-defined]
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        trend = overview_figures.health_trend(ctx, period, filters)  # type: ignore[arg-type]
    statements = kpi_statements(sent)
    caching.clear_data()
    with caching.building_figures():
        figures = overview_figures._build(ctx, period, previous_period(period), filters)  # type: ignore[arg-type]
    return trend, figures, statements


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "journeys", "channels"])
def test_health_trend_read_in_parts_is_the_trend_read_at_once(ctx: object, filters: Filters,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.read_parts import journey_parts

    whole, whole_figures, statements = _read(ctx, filters, 100_000, monkeypatch)
    assert statements == 1
    # Not vacuous: 12 months of every journey, the planted gaps are there as missing health.
    assert whole["period_start"].nunique() == 12
    latest = whole["period_start"].max()
    stale = whole[(whole["journey_id"] == NO_LATEST) & (whole["period_start"] == latest)]
    assert len(stale) == 1 and stale["health"].isna().all()
    assert whole.loc[whole["journey_id"] == "buy", "health"].notna().sum() == 12
    in_parts = ctx.warehouse.has_summary  # type: ignore[attr-defined]
    for part in (1, 6):
        parts, figures, statements = _read(ctx, filters, part, monkeypatch)
        journeys = journey_parts(ctx.touchpoints, filters.journey_ids, part)  # type: ignore[attr-defined]
        assert len(journeys) > 1
        assert statements == (len(journeys) if in_parts else 1), part
        pd.testing.assert_frame_equal(parts, whole, check_exact=True)
        assert figures.cards == whole_figures.cards  # type: ignore[attr-defined]
        assert figures.tiles == whole_figures.tiles  # type: ignore[attr-defined]


def test_journey_parts_keep_journeys_whole() -> None:
    from ui.read_parts import journey_parts

    touchpoints = fixture_frames()["touchpoints"]
    assert journey_parts(touchpoints, (), 1) == [("buy",), ("fault",), (QUOTED_JOURNEY_ID,), ("renew",),
                                                 ("switch",)]
    assert journey_parts(touchpoints, (), 6) == [("buy", "fault"), (QUOTED_JOURNEY_ID, "renew", "switch")]
    assert journey_parts(touchpoints, ("switch", "buy"), 100) == [("buy", "switch")]


def test_a_period_without_data_gives_the_same_empty_trend(ctx: object,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Months before the data: every part is empty, and the trend is the one read at once."""
    from metrics.model import Period
    from ui import caching, overview_figures, read_parts

    period = Period(dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    trends = []
    for part in (100_000, 1):
        monkeypatch.setattr(read_parts, "TREND_PART_TOUCHPOINTS", part)
        caching.clear_data()
        trends.append(overview_figures.health_trend(ctx, period, Filters()))  # type: ignore[arg-type]
    assert trends[0].empty or trends[0]["health"].isna().all()
    pd.testing.assert_frame_equal(trends[1], trends[0])
