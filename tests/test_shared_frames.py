"""Shared frames (ui/caching.py ``shared_frames``): the loaders' frames are one object for the server,
each caller gets a view of it, and nothing a caller does to its view reaches the next caller."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.model import Grain, Scope
from metrics.registry import KpiRegistry
from metrics.trust import TrustEvidence
from tests.fixtures import DEMO_END, FixtureWarehouse, sent_statements


@pytest.fixture()
def ctx(fixture_warehouse_duckdb: FixtureWarehouse, frames: dict[str, pd.DataFrame],
        monkeypatch: pytest.MonkeyPatch) -> object:
    from ui import caching, loaders
    from ui.context import AppContext

    monkeypatch.setattr(loaders, "load_trust", lambda _ctx: TrustEvidence.unchecked())
    caching.clear_data()
    first = pd.Timestamp(frames["touchpoint_kpis"]["date"].min()).date()
    return AppContext(settings=None, warehouse=fixture_warehouse_duckdb.warehouse,  # type: ignore[arg-type]
                      registry=KpiRegistry.from_frame(frames["kpis"]), journeys=frames["journeys"],
                      stages=frames["stages"], touchpoints=frames["touchpoints"], targets=frames["targets"],
                      first_date=first, as_of=DEMO_END, key="shared-frames")


def _judged(ctx: object) -> pd.DataFrame:
    from ui.loaders import load_judged

    return load_judged(ctx, DEMO_END - dt.timedelta(days=89), DEMO_END,  # type: ignore[arg-type]
                       by=Scope.TOUCHPOINT, grain=Grain.MONTH)


def _numeric(frame: pd.DataFrame) -> str:
    return next(c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]))


def test_a_callers_changes_stay_in_its_view(ctx: object) -> None:
    first = _judged(ctx)
    expected = first.copy(deep=True)
    assert len(expected) > 10
    column = _numeric(first)
    first[column] = -1.0
    first.loc[first.index[0], "kpi_id"] = "changed"
    first.iloc[1, first.columns.get_loc(column)] = 123.0
    first["added"] = 1
    del first["kpi_id"]
    first.columns = [f"renamed_{c}" for c in first.columns]
    first.index = first.index[::-1]
    with pytest.raises(ValueError):  # the arrays a view hands out are read-only
        first[f"renamed_{column}"].to_numpy()[0] = 5.0

    second = _judged(ctx)
    pd.testing.assert_frame_equal(second, expected)


def test_one_frame_for_every_caller(ctx: object) -> None:
    from ui.loaders import load_kpis

    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        first = load_kpis(ctx, DEMO_END - dt.timedelta(days=29), DEMO_END,  # type: ignore[arg-type]
                          by=Scope.TOUCHPOINT)
        second = load_kpis(ctx, DEMO_END - dt.timedelta(days=29), DEMO_END,  # type: ignore[arg-type]
                           by=Scope.TOUCHPOINT)
    assert len(sent) == 1
    assert first is not second
    column = _numeric(first)
    # Not a copy per call (st.cache_data unpickles one): both views read the same memory.
    assert np.shares_memory(first[column].to_numpy(), second[column].to_numpy())


def test_clear_data_forgets_the_shared_frames(ctx: object) -> None:
    from ui import caching
    from ui.loaders import load_funnel

    start = DEMO_END - dt.timedelta(days=29)
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        load_funnel(ctx, start, DEMO_END)  # type: ignore[arg-type]
        load_funnel(ctx, start, DEMO_END)  # type: ignore[arg-type]
        caching.clear_data()
        load_funnel(ctx, start, DEMO_END)  # type: ignore[arg-type]
    assert len(sent) == 2


def test_a_judged_frame_cut_to_some_columns_equals_those_columns_of_the_whole(ctx: object) -> None:
    from metrics.journey_cards import TREND_COLUMNS
    from ui.loaders import load_judged

    start = DEMO_END - dt.timedelta(days=364)  # twelve months: judged in parts of whole months
    whole = load_judged(ctx, start, DEMO_END, by=Scope.TOUCHPOINT, grain=Grain.MONTH)  # type: ignore[arg-type]
    cut = load_judged(ctx, start, DEMO_END, by=Scope.TOUCHPOINT, grain=Grain.MONTH,  # type: ignore[arg-type]
                      columns=TREND_COLUMNS)
    assert whole["period_start"].nunique() > 4
    pd.testing.assert_frame_equal(cut, whole[list(TREND_COLUMNS)], check_exact=True)


def test_the_periods_judged_at_once_are_shared_views_too(ctx: object,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from metrics.model import Period
    from ui import period_loaders

    monkeypatch.setattr(period_loaders, "load_trust", lambda _ctx: TrustEvidence.unchecked())
    now = Period(DEMO_END - dt.timedelta(days=29), DEMO_END, "now")
    before = Period(DEMO_END - dt.timedelta(days=59), DEMO_END - dt.timedelta(days=30), "before")
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        first, _ = period_loaders.load_judged_pair(ctx, now, before, by=Scope.TOUCHPOINT)  # type: ignore[arg-type]
        expected = first.copy(deep=True)
        first[_numeric(first)] = -1.0
        first["added"] = 1
        second, _ = period_loaders.load_judged_pair(ctx, now, before, by=Scope.TOUCHPOINT)  # type: ignore[arg-type]
    assert len(sent) == 1
    assert first is not second
    pd.testing.assert_frame_equal(second, expected)


def test_large_frames_read_to_build_figures_are_let_go_when_the_build_ends(
    ctx: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large frame (more than LARGE_FRAME_ROWS rows; here a few, so that the fixture's are large)
    read while cached figures are built is cached for the build (a second read in it sends nothing)
    and let go when it ends; the same frame read outside a build stays cached, as do small ones."""
    from ui import caching
    from ui.loaders import load_kpis

    def month(ctx: object) -> pd.DataFrame:
        return load_kpis(ctx, DEMO_END - dt.timedelta(days=29), DEMO_END,  # type: ignore[arg-type]
                         by=Scope.TOUCHPOINT)

    rows = len(month(ctx))
    caching.clear_data()
    monkeypatch.setattr(caching, "LARGE_FRAME_ROWS", rows - 1)
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        with caching.building_figures():
            first = month(ctx)
            with caching.building_figures():  # a nested build: the outermost lets go
                month(ctx)
            month(ctx)
        assert len(sent) == 1, "read once for the build"
        again = month(ctx)  # after the build: read again, and now kept
        month(ctx)
        assert len(sent) == 2
        pd.testing.assert_frame_equal(again, first)
        monkeypatch.setattr(caching, "LARGE_FRAME_ROWS", rows)  # now not large: kept after a build
        caching.clear_data()
        with caching.building_figures():
            month(ctx)
        month(ctx)
        assert len(sent) == 3


def test_page_figures_are_built_with_large_frames_let_go(
    ctx: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ui.page_figures builds its figures inside ``building_figures``; the figures stay cached."""
    from ui import caching, page_figures
    from ui.loaders import load_kpis

    monkeypatch.setattr(page_figures, "load_trust", lambda _ctx: TrustEvidence.unchecked())
    monkeypatch.setattr(caching, "LARGE_FRAME_ROWS", 0)

    def build(ctx: object, days: int) -> int:
        return len(load_kpis(ctx, DEMO_END - dt.timedelta(days=days), DEMO_END,  # type: ignore[arg-type]
                             by=Scope.TOUCHPOINT))

    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        rows = page_figures.page_figures(build, ctx, 29)  # type: ignore[arg-type]
        assert page_figures.page_figures(build, ctx, 29) == rows  # type: ignore[arg-type]
        assert len(sent) == 1, "the figures are cached"
        assert build(ctx, 29) == rows
        assert len(sent) == 2, "the frame they were built from was let go"


def test_large_judged_periods_read_to_build_figures_are_let_go_too(
    ctx: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The judged periods (ui.period_loaders: one entry holding a frame per period) count as large
    by their rows together, and are let go after a build like the shared frames."""
    from metrics.model import Period
    from ui import caching, period_loaders

    monkeypatch.setattr(period_loaders, "load_trust", lambda _ctx: TrustEvidence.unchecked())
    now = Period(DEMO_END - dt.timedelta(days=29), DEMO_END, "now")
    before = Period(DEMO_END - dt.timedelta(days=59), DEMO_END - dt.timedelta(days=30), "before")

    def pair() -> tuple[pd.DataFrame, pd.DataFrame]:
        return period_loaders.load_judged_pair(ctx, now, before, by=Scope.TOUCHPOINT)  # type: ignore[arg-type]

    rows = sum(map(len, pair()))
    caching.clear_data()
    # Large by the two periods' rows together (each alone is not), and the KPI frame under them too.
    monkeypatch.setattr(caching, "LARGE_FRAME_ROWS", rows - 1)
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        with caching.building_figures():
            first = pair()
            pair()
        assert len(sent) == 1
        again = pair()  # let go with its KPI frame: read and judged again
        pair()
        assert len(sent) == 2
    for a, b in zip(again, first, strict=True):
        pd.testing.assert_frame_equal(a, b)
