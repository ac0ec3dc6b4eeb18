"""The Personas page's KPIs from one statement for all personas (connectors.queries.kpi_personas_frame,
ui.persona_loaders) give exactly the frames the former statement per persona gave (kpi_frame and
ui.loaders.load_judged filtered to the persona's journeys), on DuckDB, SQLite, PostgreSQL (and
Spark SQL when it runs), with and without a row-level access scope (#19: round trips)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.access import EVERYTHING, AccessScope
from connectors.queries import kpi_frame, kpi_personas_frame, kpi_personas_statement
from metrics.model import Filters, Grain, KpiRequest, Period, Scope
from metrics.registry import DEFAULT_KPIS, KpiRegistry
from metrics.trust import TrustEvidence
from tests.fixtures import DEMO_END, QUOTED_JOURNEY_ID, FixtureWarehouse, sent_statements
from ui.caching import clear_data

KPI_IDS = tuple(k.kpi_id for k in DEFAULT_KPIS)
D = dt.date
SCOPE = AccessScope(touchpoint_ids=frozenset({"tp_move_mailing", "tp_move_install", "tp_fault_hotline"}),
                    journey_ids=frozenset({QUOTED_JOURNEY_ID}), context_journey_ids=frozenset({"fault"}))
REQUESTS = {
    "quarter": KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 31)),
    "year_mot": KpiRequest(KPI_IDS, D(2025, 1, 1), D(2025, 12, 31), filters=Filters(moment_of_truth=True)),
    "month_by_touchpoint": KpiRequest(("csat", "reach"), D(2025, 10, 1), D(2026, 3, 31), Grain.MONTH,
                                      Scope.TOUCHPOINT),
    "no_data": KpiRequest(KPI_IDS, D(2010, 1, 1), D(2010, 3, 31)),
}


def _personas(journeys: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The fixture's personas (one per journey), those of two journeys replaced by a made-up
    persona holding both (a journey is mapped for one persona: the lists do not overlap)."""
    two = (QUOTED_JOURNEY_ID, "fault")
    personas = {str(p): tuple(sorted(journeys.loc[journeys["persona"] == p, "journey_id"]))
                for p in sorted(journeys["persona"].dropna().unique())}
    personas = {p: ids for p, ids in personas.items() if not set(ids) & set(two)}
    assert len(personas) >= 3
    return {**personas, "Zwei Journeys & 'Quotes'": two}


def _one_statement(engine: sa.Engine, run: Any) -> Any:
    with sent_statements(engine) as sent:
        result = run()
    assert len(sent) == 1, sent
    return result


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_one_statement_equals_one_kpi_frame_per_persona(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame], request_name: str, scope: AccessScope | None
) -> None:
    request, personas = REQUESTS[request_name], _personas(frames["journeys"])
    wh = warehouse.warehouse
    combined = _one_statement(wh.engine, lambda: kpi_personas_frame(wh, request, personas, scope))
    assert list(combined.columns[:1]) == ["persona"]
    assert list(combined["persona"].unique()) == [p for p in personas if (combined["persona"] == p).any()]
    for name, ids in personas.items():
        filters = Filters(**{**request.filters.__dict__, "journey_ids": ids})
        alone = kpi_frame(wh, KpiRequest(request.kpi_ids, request.start, request.end, request.grain,
                                         request.by, filters), scope)
        mine = combined[combined["persona"] == name].drop(columns="persona").reset_index(drop=True)
        assert list(mine.columns) == list(alone.columns), name
        if alone.empty:
            assert mine.empty, name
            continue
        pd.testing.assert_frame_equal(mine, alone, check_exact=False, obj=f"{request_name} {name}")
    if request_name == "no_data":
        assert combined.empty
    elif scope is None and request_name == "quarter":
        assert combined["persona"].nunique() == len(personas)


def test_the_scope_is_compiled_into_the_persona_statement(warehouse: FixtureWarehouse,
                                                          frames: dict[str, pd.DataFrame]) -> None:
    request, personas = REQUESTS["quarter"], _personas(frames["journeys"])
    wh = warehouse.warehouse
    assert "scope_touchpoint_ids" in str(kpi_personas_statement(wh, request, personas, SCOPE))
    assert "scope_touchpoint_ids" not in str(kpi_personas_statement(wh, request, personas, EVERYTHING))
    scoped = kpi_personas_frame(wh, KpiRequest(KPI_IDS, request.start, request.end, by=Scope.TOUCHPOINT),
                                personas, SCOPE)
    assert not scoped.empty and set(scoped["touchpoint_id"]) <= SCOPE.touchpoint_ids


def test_a_journey_listed_for_two_personas_counts_for_the_first(warehouse: FixtureWarehouse) -> None:
    wh, request = warehouse.warehouse, REQUESTS["quarter"]
    both = kpi_personas_frame(wh, request, {"First": ("buy", "fault"), "Second": ("fault",)})
    assert set(both["persona"]) == {"First"}


def test_the_persona_reader_refuses_what_it_cannot_answer(warehouse: FixtureWarehouse) -> None:
    wh, request = warehouse.warehouse, REQUESTS["quarter"]
    with pytest.raises(ValueError, match="needs personas"):
        kpi_personas_frame(wh, request, {})
    with pytest.raises(ValueError, match="each with journeys"):
        kpi_personas_frame(wh, request, {"Nobody": ()})
    with pytest.raises(ValueError, match="at least one KPI"):
        kpi_personas_frame(wh, KpiRequest((), request.start, request.end), {"A": ("buy",)})


# --- the page's judged values: one statement against the former one per persona -----------------

EVIDENCE = {
    "unchecked": TrustEvidence.unchecked(),
    # A failed check on one journey's CSAT: the personas holding it get that value not trusted.
    "failing_journey": TrustEvidence.from_run("run-1", pd.DataFrame(
        [{"kpi_id": "csat", "journey_id": "fault", "check_id": "fixture", "reason": "a fixture failure"}])),
}


@pytest.fixture(params=["fixture_warehouse_duckdb", "fixture_warehouse_sqlite"], ids=["duckdb", "sqlite"])
def contexts(request: pytest.FixtureRequest, frames: dict[str, pd.DataFrame]) -> dict[str, object]:
    from ui.context import AppContext

    fixture: FixtureWarehouse = request.getfixturevalue(request.param)
    first = pd.Timestamp(frames["touchpoint_kpis"]["date"].min()).date()
    common = dict(settings=None, warehouse=fixture.warehouse, registry=KpiRegistry.from_frame(frames["kpis"]),
                  journeys=frames["journeys"], stages=frames["stages"], touchpoints=frames["touchpoints"],
                  targets=frames["targets"], first_date=first, as_of=DEMO_END)
    return {"everything": AppContext(**common, key=f"personas|{fixture.dialect}"),
            "scoped": AppContext(**common, key=f"personas|{fixture.dialect}|{SCOPE.fingerprint}",
                                 scope=SCOPE)}


@pytest.mark.parametrize("evidence_name", list(EVIDENCE))
@pytest.mark.parametrize("who", ["everything", "scoped"])
@pytest.mark.parametrize("period", [Period(D(2026, 1, 1), D(2026, 3, 31)),
                                    Period(D(2025, 1, 1), D(2025, 12, 31))], ids=["quarter", "year"])
def test_kpis_per_persona_equal_one_load_judged_per_persona(
    contexts: dict[str, object], who: str, evidence_name: str, period: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import loaders, persona_loaders
    from ui.filters import personas
    from ui.persona_sections import _journeys_of, kpis_per_persona

    for module in (loaders, persona_loaders):  # no state store here: the evidence is given
        monkeypatch.setattr(module, "load_trust", lambda _ctx: EVIDENCE[evidence_name])
    ctx = contexts[who]
    names = personas(ctx)  # type: ignore[arg-type]
    clear_data()
    got = _one_statement(ctx.warehouse.engine,  # type: ignore[attr-defined]
                         lambda: kpis_per_persona(ctx, names, period))  # type: ignore[arg-type]
    clear_data()
    parts = []  # the former reading: one load_judged per persona, its journeys only
    for name in names:
        ids = tuple(sorted(_journeys_of(ctx, name)["journey_id"]))  # type: ignore[arg-type]
        judged = loaders.load_judged(ctx, period.start, period.end,  # type: ignore[arg-type]
                                     filters=Filters(journey_ids=ids))
        parts.append(judged.assign(persona=name))
    present = [p for p in parts if len(p)]
    expected = pd.concat(present, ignore_index=True) if present else pd.DataFrame()
    assert len(expected) > 5
    if evidence_name == "failing_journey" and who == "everything":
        assert (expected["trust"] == "not_trusted").any()
    pd.testing.assert_frame_equal(got, expected)
