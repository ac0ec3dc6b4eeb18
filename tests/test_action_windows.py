"""Owners' actions judged before and after their start from one statement for all shown actions
(ui.actions: every window a period of ui.period_loaders.load_judged_periods) give exactly the
frames the former two statements per action gave (ui.loaders.load_judged per window, filtered to
the action's touchpoint and KPI), and send one statement however many actions there are."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.action_effects import action_windows
from metrics.model import Filters, Scope
from metrics.registry import KpiRegistry
from metrics.trust import TrustEvidence
from tests.fixtures import DEMO_END, FixtureWarehouse, sent_statements
from ui.caching import clear_data

AS_OF = DEMO_END


@pytest.fixture()
def ctx(fixture_warehouse_duckdb: FixtureWarehouse, frames: dict[str, pd.DataFrame],
        monkeypatch: pytest.MonkeyPatch) -> object:
    from ui import loaders, period_loaders
    from ui.context import AppContext

    for module in (loaders, period_loaders):  # no state store here: judged as before any check run
        monkeypatch.setattr(module, "load_trust", lambda _ctx: TrustEvidence.unchecked())
    clear_data()
    first = pd.Timestamp(frames["touchpoint_kpis"]["date"].min()).date()
    return AppContext(settings=None, warehouse=fixture_warehouse_duckdb.warehouse,  # type: ignore[arg-type]
                      registry=KpiRegistry.from_frame(frames["kpis"]), journeys=frames["journeys"],
                      stages=frames["stages"], touchpoints=frames["touchpoints"], targets=frames["targets"],
                      first_date=first, as_of=AS_OF, key=f"action-windows|{id(frames)}")


def _actions(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Actions on several touchpoints and KPIs: one not started yet, two sharing a window, one
    whose before window starts before the data, one on a KPI its touchpoint has no rows of."""
    tps = frames["touchpoints"]["touchpoint_id"].tolist()
    kpis = frames["kpis"]["kpi_id"].tolist()
    first = pd.Timestamp(frames["touchpoint_kpis"]["date"].min()).date()
    starts = [AS_OF - dt.timedelta(days=40), AS_OF - dt.timedelta(days=40), AS_OF + dt.timedelta(days=5),
              first + dt.timedelta(days=10), AS_OF - dt.timedelta(days=200), AS_OF - dt.timedelta(days=3)]
    rows = [{"action_id": i + 1, "touchpoint_id": tps[i % len(tps)], "kpi_id": kpis[(2 * i) % len(kpis)],
             "started": started} for i, started in enumerate(starts)]
    rows.append({"action_id": 99, "touchpoint_id": tps[0], "kpi_id": "no_rows_kpi", "started": starts[0]})
    return pd.DataFrame(rows)


def _one_by_one(ctx: object, actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The former reading: load_judged per window, the action's touchpoint and KPI only."""
    from ui.actions import _stacked
    from ui.loaders import load_judged

    sides: tuple[list[pd.DataFrame], list[pd.DataFrame]] = ([], [])
    for _, action in actions.iterrows():
        for side, window in enumerate(action_windows(action["started"], AS_OF)):
            if window is None or window.end < ctx.first_date:  # type: ignore[attr-defined]
                continue
            start = max(window.start, ctx.first_date)  # type: ignore[attr-defined]
            judged = load_judged(ctx, start, window.end, by=Scope.TOUCHPOINT,  # type: ignore[arg-type]
                                 filters=Filters(touchpoint_ids=(str(action["touchpoint_id"]),)),
                                 kpi_ids=(str(action["kpi_id"]),))
            sides[side].append(judged.assign(action_id=action["action_id"]))
    return _stacked(sides[0]), _stacked(sides[1])


def test_all_windows_in_one_statement_equal_two_per_action(
    ctx: object, frames: dict[str, pd.DataFrame]
) -> None:
    from ui.actions import _judged_windows

    actions = _actions(frames)
    with sent_statements(ctx.warehouse.engine) as sent:  # type: ignore[attr-defined]
        before, after = _judged_windows(ctx, actions)  # type: ignore[arg-type]
    assert len(sent) == 1
    clear_data()
    expected_before, expected_after = _one_by_one(ctx, actions)
    assert len(expected_before) > 3 and len(expected_after) > 2
    pd.testing.assert_frame_equal(before, expected_before)
    pd.testing.assert_frame_equal(after, expected_after)
