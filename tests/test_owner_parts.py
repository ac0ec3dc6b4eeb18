"""My touchpoints reads an owner's series in parts of touchpoints where the monthly summary answers
(ui/owner_figures.py, ui/read_parts.py; #19: memory). Every figure must be the one the series read
at once gives, also where a part lacks periods that others have: a touchpoint without its latest
month, one with a month missing in the middle, a value not trusted. Without the summary (weeks, or
no summary table) the series is read at once (tests/parts_fixtures.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from metrics.model import Grain
from metrics.owners import owner_touchpoints
from metrics.trust import TrustEvidence
from tests.fixtures import fixture_frames, sent_statements
from tests.parts_fixtures import kpi_statements, parts_context, summary_warehouse

OWNER = "Anna Becker"  # the buy journey's map owner: four touchpoints
#: What is planted: one touchpoint's rows from October 2026 on gone (the latest complete month and
#: weeks) and its other KPIs dropping in September, another's March and two weeks of August gone,
#: both their CSATs off target throughout, a third one's CSAT not trusted from October, and the
#: fourth without any data.
NO_LATEST, GAP, UNTRUSTED = "tp_buy_delivery", "tp_buy_store_advice", "tp_buy_web_shop"
NO_DATA = "tp_buy_marketplace"  # no row at all: a part of its own is empty
FAULT = pd.DataFrame([{"journey_id": None, "stage_id": None, "touchpoint_id": UNTRUSTED, "kpi_id": "csat",
                       "date_from": dt.date(2026, 10, 1), "date_to": dt.date(2026, 11, 30),
                       "check_id": "touchpoint_kpis.value_range", "reason": "CSAT above 5"}])


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, pd.DataFrame]]:
    frames = fixture_frames()
    facts = frames["touchpoint_kpis"]
    day = pd.to_datetime(facts["date"])
    gone = ((day < "2024-12-01")  # the data starts on a month's first day: the summary answers the window
            | (facts["touchpoint_id"] == NO_DATA)
            | ((facts["touchpoint_id"] == NO_LATEST) & (day >= "2026-10-01"))
            | ((facts["touchpoint_id"] == GAP) & (day >= "2026-03-01") & (day < "2026-04-01"))
            | ((facts["touchpoint_id"] == GAP) & (day >= "2026-08-03") & (day < "2026-08-17")))
    # Both CSATs far off target throughout: each one's streak is where a part's own periods differ.
    low = facts["touchpoint_id"].isin([NO_LATEST, GAP]) & (facts["kpi_id"] == "csat")
    facts.loc[low, "numerator"] = facts.loc[low, "denominator"] * 2.0
    # NO_LATEST's other KPIs drop in its last month (September): alerts of a month that is not the
    # latest, which must not be raised.
    drop = ((facts["touchpoint_id"] == NO_LATEST) & (facts["kpi_id"] != "csat") & (day >= "2026-09-01")
            & (day < "2026-10-01"))
    facts.loc[drop, "numerator"] = facts.loc[drop, "numerator"] * 0.3
    frames["touchpoint_kpis"] = facts[~gone].reset_index(drop=True)
    return summary_warehouse(tmp_path_factory.mktemp("owner-parts") / "wh.duckdb", frames), frames


@pytest.fixture(params=["summary", "facts"])
def ctx(planted: tuple[str, dict[str, pd.DataFrame]], monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    url, frames = planted
    mine = owner_touchpoints(OWNER, frames["journeys"], frames["touchpoints"])["touchpoint_id"]
    assert set(mine) >= {NO_LATEST, GAP, UNTRUSTED, NO_DATA}
    with parts_context(url, frames, request.param == "summary", tmp_path, monkeypatch,
                       TrustEvidence.from_run("r1", FAULT)) as context:
        yield context


def _figures(ctx: object, grain: Grain, part: int, monkeypatch: pytest.MonkeyPatch) -> tuple[object, int]:
    """The owner's figures read in parts of ``part`` touchpoints, and how many KPI statements that sent."""
    from ui import caching, owner_figures, read_parts

    monkeypatch.setattr(read_parts, "OWNER_PART_TOUCHPOINTS", part)
    caching.clear_data()
    with caching.building_figures(), sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        figures = owner_figures._build(ctx, OWNER, grain, 3)  # type: ignore[arg-type]
    return figures, kpi_statements(sent)


@pytest.mark.parametrize("grain", [Grain.MONTH, Grain.WEEK])
def test_figures_read_in_parts_are_the_figures_read_at_once(ctx: object, grain: Grain,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    whole, statements = _figures(ctx, grain, 1000, monkeypatch)
    assert whole is not None and statements == 1
    # Not vacuous: the planted untrusted value raises a data-quality line, the alerts list something.
    assert whole.alerts.quality_count >= 1
    assert len(whole.alerts.alerts) + len(whole.alerts.standing) >= 1
    assert any("Advice in the store" in line for line in whole.alerts.standing)  # GAP's CSAT
    # In parts of one (sorted: NO_LATEST first) the first part lacks the latest period, which the next
    # has: it is read again (5 statements); in parts of three the first has every period (2). Weeks,
    # and months without the summary, are read at once.
    in_parts = grain is Grain.MONTH and ctx.warehouse.has_summary  # type: ignore[attr-defined]
    for part, expected_statements in ((1, 5 if in_parts else 1), (3, 2 if in_parts else 1)):
        parts, statements = _figures(ctx, grain, part, monkeypatch)
        assert parts is not None and statements == expected_statements
        assert parts.latest == whole.latest
        assert parts.trust == whole.trust
        assert parts.alerts.standing == whole.alerts.standing
        pd.testing.assert_frame_equal(parts.alerts.alerts, whole.alerts.alerts, check_dtype=False)
        pd.testing.assert_frame_equal(parts.alerts.quality, whole.alerts.quality, check_dtype=False)
        assert parts.alerts.quality_count == whole.alerts.quality_count
        assert isinstance(parts.priorities, pa.Table)
        assert parts.priorities.equals(whole.priorities), (parts.priorities.to_pandas(),
                                                           whole.priorities.to_pandas())
        assert parts.first_priority == whole.first_priority
        pd.testing.assert_frame_equal(parts.movers.reset_index(drop=True),
                                      whole.movers.reset_index(drop=True))
        assert parts.pains == whole.pains
        pd.testing.assert_frame_equal(parts.wins.reset_index(drop=True), whole.wins.reset_index(drop=True))
        assert parts.mot_judged == whole.mot_judged


def test_an_owner_without_data_has_no_figures(ctx: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part without a row gives nothing, even as the only one (tests/test_pages_apptest.py: My
    touchpoints for a period without data); among others, it is left out (the test above)."""
    from ui import caching, owner_figures, read_parts

    monkeypatch.setattr(read_parts, "OWNER_PART_TOUCHPOINTS", 1)
    caching.clear_data()
    with caching.building_figures():
        # Noah Fischer owns NO_DATA alone.
        assert owner_figures._build(ctx, "Noah Fischer", Grain.MONTH, 3) is None  # type: ignore[arg-type]

