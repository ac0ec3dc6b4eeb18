"""Every data-quality check as a small record: id, readable name, table, severity, description.

A check's evidence is a small frame built in the warehouse (checks/_evidence.py) and validated by
Great Expectations suites (checks/_suites.py). Critical checks stop a KPI value from looking true
(metrics/trust.py); warnings are shown to data teams only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CheckDef", "CHECKS", "CHECKS_BY_ID", "KPI_TABLES", "Outcome", "Severity"]


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"


#: Order for "at or above this severity".
SEVERITY_RANK: dict[Severity, int] = {Severity.WARNING: 1, Severity.CRITICAL: 2}


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the check could not be evaluated (unreachable, missing column, ...): counts as failed


@dataclass(frozen=True)
class CheckDef:
    check_id: str
    name: str
    table: str
    severity: Severity
    description: str


C, W = Severity.CRITICAL, Severity.WARNING

_DATED_TABLES = ("touchpoint_kpis", "funnel", "budget")
_ALL_TABLES = ("journeys", "stages", "touchpoints", "kpis", "touchpoint_kpis", "targets", "budget", "funnel")

_SPECIFIC: tuple[CheckDef, ...] = (
    CheckDef(
        "warehouse.reachable",
        "Warehouse reachable",
        "warehouse",
        C,
        "The warehouse answers a query with the configured URL and mapping.",
    ),
    # keys
    CheckDef(
        "journeys.keys",
        "Journey ids present and unique",
        "journeys",
        C,
        "journey_id is never null and never repeated.",
    ),
    CheckDef(
        "stages.keys",
        "Stage ids present and unique",
        "stages",
        C,
        "stage_id is never null and never repeated.",
    ),
    CheckDef(
        "touchpoints.keys",
        "Touchpoint ids present and unique",
        "touchpoints",
        C,
        "touchpoint_id is never null and never repeated.",
    ),
    CheckDef(
        "kpis.keys", "KPI ids present and unique", "kpis", C, "kpi_id is never null and never repeated."
    ),
    CheckDef(
        "touchpoint_kpis.keys_present",
        "Fact keys present",
        "touchpoint_kpis",
        C,
        "date, touchpoint_id and kpi_id are never null in KPI fact rows.",
    ),
    CheckDef(
        "touchpoint_kpis.unique_keys",
        "No duplicate fact rows",
        "touchpoint_kpis",
        C,
        "At most one row per date, touchpoint and KPI (a duplicate load doubles the numbers).",
    ),
    CheckDef(
        "funnel.unique_keys",
        "No duplicate funnel rows",
        "funnel",
        C,
        "At most one row per date, journey and stage, and no null keys.",
    ),
    # referential integrity
    CheckDef(
        "stages.journey_known",
        "Stages belong to known journeys",
        "stages",
        C,
        "Every stage's journey_id is in journeys.",
    ),
    CheckDef(
        "touchpoints.references",
        "Touchpoints sit in known stages",
        "touchpoints",
        C,
        "Every touchpoint's journey and stage exist, and the stage belongs to that journey.",
    ),
    CheckDef(
        "touchpoint_kpis.touchpoint_known",
        "Fact rows from known touchpoints",
        "touchpoint_kpis",
        C,
        "Every fact row's touchpoint_id is in touchpoints (orphan rows are left out of every KPI).",
    ),
    CheckDef(
        "touchpoint_kpis.kpi_known",
        "Fact rows of known KPIs",
        "touchpoint_kpis",
        C,
        "Every fact row's kpi_id is in kpis.",
    ),
    CheckDef(
        "targets.references",
        "Targets refer to known KPIs and scopes",
        "targets",
        C,
        "Every target's KPI exists, its scope is all/journey/stage/touchpoint and its scope_id exists.",
    ),
    CheckDef(
        "budget.references",
        "Budget rows refer to known journeys and touchpoints",
        "budget",
        W,
        "Every budget row's journey exists and its touchpoint (if any) exists.",
    ),
    CheckDef(
        "funnel.references",
        "Funnel rows refer to known stages",
        "funnel",
        C,
        "Every funnel row's stage exists and belongs to its journey.",
    ),
    # values
    CheckDef(
        "kpis.definitions",
        "KPI definitions valid",
        "kpis",
        C,
        "unit, direction and aggregation are known values and scale is positive.",
    ),
    CheckDef(
        "touchpoints.values",
        "Touchpoint attributes valid",
        "touchpoints",
        W,
        "weight is not negative; kano is must_be, performance, delighter or empty.",
    ),
    CheckDef(
        "stages.positions",
        "Stage positions valid",
        "stages",
        W,
        "position is at least 1 and unique inside each journey.",
    ),
    CheckDef(
        "touchpoint_kpis.value_range",
        "KPI values in range for their unit",
        "touchpoint_kpis",
        C,
        "Each fact row's value lies within its KPI's bounds (e.g. CSAT 1-5, NPS -100..100, counts >= 0).",
    ),
    CheckDef(
        "touchpoint_kpis.rate_not_above_100",
        "Rates not above 100%",
        "touchpoint_kpis",
        C,
        "For percent KPIs the numerator never exceeds the denominator.",
    ),
    CheckDef(
        "touchpoint_kpis.denominator_positive",
        "Denominators positive",
        "touchpoint_kpis",
        C,
        "Ratio KPIs have a denominator above zero (zero, negative or missing gives no valid value).",
    ),
    CheckDef(
        "touchpoint_kpis.no_future_dates",
        "No future-dated fact rows",
        "touchpoint_kpis",
        C,
        "No fact row is dated after the as-of date.",
    ),
    CheckDef(
        "funnel.values",
        "Funnel counts valid",
        "funnel",
        C,
        "customers is not negative and no funnel row is dated after the as-of date.",
    ),
    CheckDef(
        "budget.non_negative",
        "Spend and budget not negative",
        "budget",
        C,
        "planned and actual are zero or more.",
    ),
    CheckDef(
        "targets.values",
        "Target values valid",
        "targets",
        W,
        "tolerance is not negative, valid_to is not before valid_from, the target is in the KPI's range.",
    ),
    CheckDef(
        "targets.no_overlap",
        "No overlapping targets",
        "targets",
        C,
        "For one KPI and scope, at most one target is in force on any day.",
    ),
    # freshness and volume
    CheckDef(
        "touchpoint_kpis.touchpoint_freshness",
        "Every touchpoint delivers fresh data",
        "touchpoint_kpis",
        W,
        "Each touchpoint's latest fact row is at most a few days behind the warehouse's latest fact date.",
    ),
    CheckDef(
        "touchpoint_kpis.volume",
        "Daily fact volume normal",
        "touchpoint_kpis",
        W,
        "Each recent day's row count is within 50%-150% of the median of the 28 days before it.",
    ),
    CheckDef(
        "funnel.volume",
        "Daily funnel volume normal",
        "funnel",
        W,
        "Each recent day's funnel row count is within 50%-150% of the median of the 28 days before it.",
    ),
)

#: Days a table's latest date may lag the as-of date before it counts as stale.
FRESHNESS_LAG_DAYS: dict[str, int] = {"touchpoint_kpis": 3, "funnel": 3, "budget": 62}
TOUCHPOINT_LAG_DAYS = 3


def _generated() -> tuple[CheckDef, ...]:
    out: list[CheckDef] = []
    for table in _ALL_TABLES:
        out.append(
            CheckDef(
                f"{table}.schema",
                f"{table}: expected columns and types",
                table,
                C,
                "The table exists with every canonical column, of a compatible type.",
            )
        )
        core = table in ("touchpoint_kpis", "touchpoints", "kpis")
        out.append(
            CheckDef(
                f"{table}.rows_present",
                f"{table}: has rows",
                table,
                C if core else W,
                "The table is not empty.",
            )
        )
    for table in _DATED_TABLES:
        out.append(
            CheckDef(
                f"{table}.freshness",
                f"{table}: fresh",
                table,
                W,
                f"The latest date is at most {FRESHNESS_LAG_DAYS[table]} days before as-of.",
            )
        )
    return tuple(out)


CHECKS: tuple[CheckDef, ...] = _SPECIFIC + _generated()
CHECKS_BY_ID: dict[str, CheckDef] = {c.check_id: c for c in CHECKS}

#: Tables whose failures can make a KPI value or its status wrong (budget and funnel cannot).
KPI_TABLES: tuple[str, ...] = ("journeys", "stages", "touchpoints", "kpis", "touchpoint_kpis", "targets")
