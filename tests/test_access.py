"""Access rules and row-level scope: the access file, who gets which rows, and that the scope is in
the SQL on DuckDB, SQLite and PostgreSQL (the figures a scoped person gets are those of their rows
only, checked against pandas over the fixture frames)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from connectors.access import EVERYTHING, AccessError, AccessScope, Role, load_access, scope_for
from connectors.contacts import load_contacts
from connectors.queries import budget_frame, funnel_frame, kpi_frame, kpi_statement
from metrics.model import Filters, KpiRequest, Scope
from tests.fixtures import QUOTED_JOURNEY_ID, FixtureWarehouse

ACCESS = """
people:
  ceo@example.com: [executive]
  Marco.Rossi@Example.com: [map_owner]
  ops@example.com: [data_team, admin]
domains:
  "@owners.example.com": [touchpoint_owner]
"""
CONTACTS = """
people:
  Marco Rossi: {email: marco.rossi@example.com}
  Priya Nair: {email: priya@owners.example.com}
"""
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture()
def scopes(tmp_path: Path, frames: dict[str, pd.DataFrame]) -> dict[str, AccessScope]:
    (tmp_path / "access.yaml").write_text(ACCESS, encoding="utf-8")
    (tmp_path / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    rules, contacts = load_access(tmp_path / "access.yaml"), load_contacts(tmp_path / "contacts.yaml")
    return {who: scope_for(who, rules, contacts, frames["journeys"], frames["touchpoints"])
            for who in ("ceo@example.com", "marco.rossi@example.com", "priya@owners.example.com",
                        "ops@example.com", "stranger@example.org", "nobody@owners.example.com")}


def test_roles_come_from_addresses_and_domains(scopes: dict[str, AccessScope]) -> None:
    assert scopes["ceo@example.com"].everything and scopes["ops@example.com"].everything
    assert scopes["ops@example.com"].can_close_quarters and not scopes["ceo@example.com"].can_close_quarters
    assert scopes["ops@example.com"].can_run_checks and not scopes["ceo@example.com"].can_run_checks
    # Map owner (name matched through the contacts file): both touchpoints of his journey.
    marco = scopes["marco.rossi@example.com"]
    assert marco.roles == {Role.MAP_OWNER}
    assert marco.touchpoint_ids == {"tp_move_mailing", "tp_move_install"}
    assert marco.journey_ids == {QUOTED_JOURNEY_ID}
    # Touchpoint owner by domain: her two touchpoints, their journeys as context only.
    priya = scopes["priya@owners.example.com"]
    assert priya.touchpoint_ids == {"tp_fault_hotline", "tp_renew_retention_call"}
    assert priya.journey_ids == frozenset() and priya.context_journey_ids == {"fault", "renew"}
    # Denied by default: no rule, or a rule but nothing owned.
    assert scopes["stranger@example.org"].is_empty and not scopes["stranger@example.org"].roles
    assert scopes["nobody@owners.example.com"].is_empty
    assert len({s.fingerprint for s in scopes.values()}) == 4  # all, marco, priya, empty


@pytest.mark.parametrize("text, fragment", [
    ("people: {ceo@example.com: [boss]}", "roles are executive"),
    ("people: {example.com: [executive]}", "not an e-mail address"),
    ("domains: {'x@example.com': [executive]}", "not a domain"),
    ("people: {ceo@example.com: []}", "needs a list of roles"),
    ("users: {}", "unknown sections"),
    ("- a\n- b", "must be a mapping"),
    ("people: [", "not valid YAML"),
])
def test_a_bad_access_file_says_what_to_fix(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "access.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccessError, match=fragment):
        load_access(path)
    with pytest.raises(AccessError, match="does not exist"):
        load_access(tmp_path / "missing.yaml")


def test_the_scope_is_in_the_sql(warehouse: FixtureWarehouse, scopes: dict[str, AccessScope]) -> None:
    request = KpiRequest(("csat", "reach"), START, END, by=Scope.TOUCHPOINT)
    sql = str(kpi_statement(warehouse.warehouse, request, scopes["priya@owners.example.com"]))
    assert "scope_touchpoint_ids" in sql
    assert "scope_touchpoint_ids" not in str(kpi_statement(warehouse.warehouse, request, EVERYTHING))


def test_scoped_figures_are_those_of_the_scoped_rows(
    warehouse: FixtureWarehouse, scopes: dict[str, AccessScope], frames: dict[str, pd.DataFrame]
) -> None:
    wh, priya = warehouse.warehouse, scopes["priya@owners.example.com"]
    by_tp = kpi_frame(wh, KpiRequest(("csat", "reach"), START, END, by=Scope.TOUCHPOINT), priya)
    assert set(by_tp["touchpoint_id"]) == priya.touchpoint_ids
    # A URL naming someone else's touchpoint gets nothing, not their figures.
    other = Filters(touchpoint_ids=("tp_buy_delivery",))
    assert kpi_frame(wh, KpiRequest(("csat",), START, END, filters=other), priya).empty
    # Totals over all of a scoped person's rows: the fact rows of her touchpoints only.
    total = kpi_frame(wh, KpiRequest(("reach",), START, END), priya)
    facts = frames["touchpoint_kpis"]
    mine = facts[facts["touchpoint_id"].isin(priya.touchpoint_ids) & (facts["kpi_id"] == "reach")
                 & (facts["date"] >= pd.Timestamp(START)) & (facts["date"] <= pd.Timestamp(END))]
    assert total["numerator"].iloc[0] == pytest.approx(mine["numerator"].sum())
    everyone = kpi_frame(wh, KpiRequest(("reach",), START, END))
    assert everyone["numerator"].iloc[0] > total["numerator"].iloc[0]


def test_scoped_budget_and_funnel(warehouse: FixtureWarehouse, scopes: dict[str, AccessScope],
                                  frames: dict[str, pd.DataFrame]) -> None:
    wh = warehouse.warehouse
    priya, marco = scopes["priya@owners.example.com"], scopes["marco.rossi@example.com"]
    budget = frames["budget"]
    in_range = budget[(budget["month"] >= pd.Timestamp(START)) & (budget["month"] <= pd.Timestamp(END))]
    spend = budget_frame(wh, START, END, ("touchpoint_id",), priya)
    assert set(spend["touchpoint_id"].dropna()) <= priya.touchpoint_ids
    assert spend["actual"].sum() == pytest.approx(
        in_range.loc[in_range["touchpoint_id"].isin(priya.touchpoint_ids), "actual"].sum())
    # A map owner also gets his journey's rows not booked on a touchpoint.
    his = budget_frame(wh, START, END, ("journey_id",), marco)
    assert list(his["journey_id"]) == [QUOTED_JOURNEY_ID]
    assert his["actual"].sum() == pytest.approx(
        in_range.loc[in_range["journey_id"] == QUOTED_JOURNEY_ID, "actual"].sum())
    assert set(funnel_frame(wh, START, END, scope=priya)["journey_id"]) == {"fault", "renew"}
    assert funnel_frame(wh, START, END, ("buy",), scope=marco).empty


def test_a_scoped_context_keys_every_cache_by_the_scope(
    warehouse: FixtureWarehouse, scopes: dict[str, AccessScope], frames: dict[str, pd.DataFrame]
) -> None:
    from ui.context import AppContext, scoped  # the app's context: its key is every cache's key

    ctx = AppContext(settings=None, warehouse=warehouse.warehouse, registry=None,  # type: ignore[arg-type]
                     journeys=frames["journeys"], stages=frames["stages"], touchpoints=frames["touchpoints"],
                     targets=frames["targets"], first_date=START, as_of=END, key="wh")
    marco, priya = scopes["marco.rossi@example.com"], scopes["priya@owners.example.com"]
    keys = {scoped(ctx, s).key for s in (EVERYTHING, scopes["ceo@example.com"], marco, priya)}
    assert len(keys) == 3 and scoped(ctx, EVERYTHING).key == "wh"  # all readers share one key
    seen = scoped(ctx, priya)
    assert set(seen.journeys["journey_id"]) == {"fault", "renew"}
    assert set(seen.touchpoints["journey_id"]) == {"fault", "renew"}  # the journeys around hers
    assert set(seen.stages["journey_id"]) == {"fault", "renew"}
