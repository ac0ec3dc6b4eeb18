"""Great Expectations suites: which expectations, on which evidence frame, decide each check.

A ``Rule`` ties one check (catalogue.py) to one evidence key (evidence.py) and builds its
expectations; a check may have several rules. Expectations carry ``meta={"check_id": ...}`` so a
validation result maps back to its check. Value sets (known ids) come from the dimension evidence,
so a rule whose dimension is unreadable becomes an error, not a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import great_expectations as gx
from great_expectations.expectations import Expectation
from great_expectations.expectations.row_conditions import Column

from checks._evidence import Evidence
from checks.catalogue import FRESHNESS_LAG_DAYS, TOUCHPOINT_LAG_DAYS
from metrics.model import TABLES, Aggregation, Direction, Kano, Scope, Unit

E = gx.expectations
Build = Callable[[Evidence], list[Expectation]]


@dataclass(frozen=True)
class Rule:
    check_id: str
    evidence: str
    build: Build


def _zero(*columns: str) -> Build:
    return lambda ev: [E.ExpectColumnValuesToBeBetween(column=c, max_value=0) for c in columns]


def _keys(column: str) -> Build:
    return lambda ev: [
        E.ExpectColumnValuesToNotBeNull(column=column),
        E.ExpectColumnValuesToBeUnique(column=column),
    ]


def _in_dim(column: str, table: str, key: str) -> Build:
    return lambda ev: [E.ExpectColumnValuesToBeInSet(column=column, value_set=ev.ids(table, key))]


def _all_true(*columns: str) -> Build:
    return lambda ev: [E.ExpectColumnValuesToBeInSet(column=c, value_set=[True]) for c in columns]


def _values(enum: type[StrEnum], column: str) -> Build:
    return lambda ev: [E.ExpectColumnValuesToBeInSet(column=column, value_set=[m.value for m in enum])]


def _scope_ids(ev: Evidence) -> list[Expectation]:
    return [
        E.ExpectColumnValuesToBeInSet(column="kpi_id", value_set=ev.ids("kpis", "kpi_id")),
        E.ExpectColumnValuesToBeInSet(
            column="scope", value_set=[s.value for s in Scope if s is not Scope.CHANNEL]
        ),
        E.ExpectColumnValuesToBeInSet(column="journey_id", value_set=ev.ids("journeys", "journey_id")),
        E.ExpectColumnValuesToBeInSet(column="stage_id", value_set=ev.ids("stages", "stage_id")),
        E.ExpectColumnValuesToBeInSet(
            column="touchpoint_id", value_set=ev.ids("touchpoints", "touchpoint_id")
        ),
    ]


def _touchpoint_refs(ev: Evidence) -> list[Expectation]:
    return [
        E.ExpectColumnValuesToBeInSet(column="journey_id", value_set=ev.ids("journeys", "journey_id")),
        E.ExpectColumnValuesToBeInSet(column="stage_id", value_set=ev.ids("stages", "stage_id")),
        E.ExpectColumnPairValuesToBeEqual(column_A="journey_id", column_B="stage_journey_id"),
    ]


def _funnel_refs(ev: Evidence) -> list[Expectation]:
    return [
        E.ExpectColumnValuesToBeInSet(column="stage_id", value_set=ev.ids("stages", "stage_id")),
        E.ExpectColumnPairValuesToBeEqual(column_A="journey_id", column_B="stage_journey_id"),
    ]


def _kpi_definitions(ev: Evidence) -> list[Expectation]:
    return [
        *_values(Unit, "unit")(ev),
        *_values(Direction, "direction")(ev),
        *_values(Aggregation, "aggregation")(ev),
        E.ExpectColumnValuesToBeBetween(column="scale", min_value=0, strict_min=True),
    ]


def _touchpoint_values(ev: Evidence) -> list[Expectation]:
    return [E.ExpectColumnValuesToBeBetween(column="weight", min_value=0), *_values(Kano, "kano")(ev)]


def _target_values(ev: Evidence) -> list[Expectation]:
    return [
        E.ExpectColumnValuesToBeBetween(column="tolerance", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="valid_days", min_value=0),
        E.ExpectColumnValuesToBeInSet(column="target_in_range", value_set=[True]),
    ]


def _in_table(table: str) -> dict[str, Any]:
    """Restrict an expectation to one table's rows of a per-table evidence frame."""
    return {"row_condition": Column("table_name") == table}


def _schema(table: str) -> Build:
    return lambda ev: [
        E.ExpectColumnValuesToBeInSet(column=c, value_set=[True], **_in_table(table))
        for c in ("present", "type_ok")
    ]


def _rows_present(table: str) -> Build:
    return lambda ev: [E.ExpectColumnValuesToBeBetween(column="rows", min_value=1, **_in_table(table))]


def _freshness(table: str) -> Build:
    return lambda ev: [
        E.ExpectColumnValuesToBeBetween(
            column="days_behind", max_value=FRESHNESS_LAG_DAYS[table], **_in_table(table)
        )
    ]


def _volume(ev: Evidence) -> list[Expectation]:
    return [E.ExpectColumnValuesToBeBetween(column="ratio", min_value=0.5, max_value=1.5)]


def _generated_rules() -> list[Rule]:
    rules = []
    for table in TABLES:
        rules.append(Rule(f"{table}.schema", "schema", _schema(table)))
        rules.append(Rule(f"{table}.rows_present", "rows", _rows_present(table)))
    for table in FRESHNESS_LAG_DAYS:
        rules.append(Rule(f"{table}.freshness", "latest", _freshness(table)))
    return rules


RULES: tuple[Rule, ...] = (
    Rule("journeys.keys", "dim:journeys", _keys("journey_id")),
    Rule("stages.keys", "dim:stages", _keys("stage_id")),
    Rule("touchpoints.keys", "dim:touchpoints", _keys("touchpoint_id")),
    Rule("kpis.keys", "dim:kpis", _keys("kpi_id")),
    Rule("touchpoint_kpis.keys_present", "fact_profile", _zero("bad_keys")),
    Rule("touchpoint_kpis.unique_keys", "fact_profile", _zero("duplicate_rows")),
    Rule("funnel.unique_keys", "funnel_profile", _zero("duplicate_rows", "bad_keys")),
    Rule("stages.journey_known", "dim:stages", _in_dim("journey_id", "journeys", "journey_id")),
    Rule("touchpoints.references", "dim:touchpoints", _touchpoint_refs),
    Rule(
        "touchpoint_kpis.touchpoint_known",
        "fact_profile",
        _in_dim("touchpoint_id", "touchpoints", "touchpoint_id"),
    ),
    Rule("touchpoint_kpis.kpi_known", "fact_profile", _in_dim("kpi_id", "kpis", "kpi_id")),
    Rule("targets.references", "dim:targets", _scope_ids),
    Rule("budget.references", "budget_profile", _in_dim("journey_id", "journeys", "journey_id")),
    Rule("budget.references", "budget_profile", _in_dim("touchpoint_id", "touchpoints", "touchpoint_id")),
    Rule("funnel.references", "funnel_profile", _funnel_refs),
    Rule("kpis.definitions", "dim:kpis", _kpi_definitions),
    Rule("touchpoints.values", "dim:touchpoints", _touchpoint_values),
    Rule(
        "stages.positions",
        "dim:stages",
        lambda ev: [
            E.ExpectColumnValuesToBeBetween(column="position", min_value=1),
            E.ExpectColumnValuesToBeUnique(column="journey_position"),
        ],
    ),
    Rule("touchpoint_kpis.value_range", "fact_profile", _zero("out_of_range")),
    Rule("touchpoint_kpis.rate_not_above_100", "fact_profile", _zero("rate_above_100")),
    Rule("touchpoint_kpis.denominator_positive", "fact_profile", _zero("bad_denominator")),
    Rule("touchpoint_kpis.no_future_dates", "fact_profile", _zero("future_rows")),
    Rule("funnel.values", "funnel_profile", _zero("negative_customers", "future_rows")),
    Rule("budget.non_negative", "budget_profile", _zero("negative_rows")),
    Rule("targets.values", "dim:targets", _target_values),
    Rule("targets.no_overlap", "dim:targets", _zero("overlaps")),
    Rule(
        "touchpoint_kpis.touchpoint_freshness",
        "touchpoint_freshness",
        lambda ev: [E.ExpectColumnValuesToBeBetween(column="days_behind", max_value=TOUCHPOINT_LAG_DAYS)],
    ),
    Rule("touchpoint_kpis.volume", "volume:touchpoint_kpis", _volume),
    Rule("funnel.volume", "volume:funnel", _volume),
    Rule("touchpoint_kpis.summary_agrees", "summary_agreement", _zero("disagrees")),
    *_generated_rules(),
)
