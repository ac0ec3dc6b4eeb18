"""Every data-quality check as a small record: id, readable name, table, severity, description.

A check's evidence is a small frame built in the warehouse (checks/_evidence.py) and validated by
Great Expectations suites (checks/_suites.py). Critical checks stop a KPI value from looking true
(metrics/trust.py); warnings are shown to data teams only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metrics.i18n import N_, tr
from metrics.status import Status

__all__ = ["CheckDef", "CHECKS", "CHECKS_BY_ID", "check_label", "KPI_TABLES", "severity_label", "Outcome",
           "OUTCOME_LABELS", "outcome_label", "Severity"]


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """The severity in the current language (the value is the stored key)."""
        return tr(SEVERITY_LABELS[self])


SEVERITY_LABELS: dict[Severity, str] = {Severity.CRITICAL: N_("critical"), Severity.WARNING: N_("warning")}


#: Order for "at or above this severity".
SEVERITY_RANK: dict[Severity, int] = {Severity.WARNING: 1, Severity.CRITICAL: 2}


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the check could not be evaluated (unreachable, missing column, ...): counts as failed


#: Each outcome's words as shown (marked English, shown in the current language) and its colour, by
#: status: a passing check has the "on target" colour, a failing warning "at risk", a failing
#: critical check "off target" and a check that could not run "not trusted".
OUTCOME_LABELS: dict[str, tuple[str, Status]] = {
    "passed": (N_("passed"), Status.ON_TARGET),
    "warning": (N_("warning failed"), Status.AT_RISK),
    "critical": (N_("critical failed"), Status.OFF_TARGET),
    "error": (N_("could not run"), Status.NOT_TRUSTED),
}


def outcome_label(outcome: str, severity: str) -> str:
    """The outcome of a check (and its severity, when it failed) in words, in the current language."""
    if outcome == "passed":
        return tr(OUTCOME_LABELS["passed"][0])
    if outcome == "error":
        return tr(OUTCOME_LABELS["error"][0])
    return tr(OUTCOME_LABELS["critical" if severity == "critical" else "warning"][0])


@dataclass(frozen=True)
class CheckDef:
    check_id: str
    name: str
    table: str
    severity: Severity
    description: str
    #: Generated checks: name and description as marked English with {placeholders}, and their
    #: values. ``name`` and ``description`` stay English (the name is stored with each result).
    name_message: str = ""
    description_message: str = ""
    values: tuple[tuple[str, object], ...] = ()

    @property
    def label(self) -> str:
        """The check's name in the current language."""
        return tr(self.name_message).format(**dict(self.values)) if self.name_message else tr(self.name)

    @property
    def explanation(self) -> str:
        """The check's description (its rule) in the current language."""
        if self.description_message:
            return tr(self.description_message).format(**dict(self.values))
        return tr(self.description)


C, W = Severity.CRITICAL, Severity.WARNING

_DATED_TABLES = ("touchpoint_kpis", "funnel", "budget")
_ALL_TABLES = ("journeys", "stages", "touchpoints", "kpis", "touchpoint_kpis", "targets", "budget", "funnel")

_SPECIFIC: tuple[CheckDef, ...] = (
    CheckDef(
        "warehouse.reachable",
        N_("Warehouse reachable"),
        "warehouse",
        C,
        N_("The warehouse answers a query with the configured URL and mapping."),
    ),
    # keys
    CheckDef(
        "journeys.keys",
        N_("Journey ids present and unique"),
        "journeys",
        C,
        N_("journey_id is never null and never repeated."),
    ),
    CheckDef(
        "stages.keys",
        N_("Stage ids present and unique"),
        "stages",
        C,
        N_("stage_id is never null and never repeated."),
    ),
    CheckDef(
        "touchpoints.keys",
        N_("Touchpoint ids present and unique"),
        "touchpoints",
        C,
        N_("touchpoint_id is never null and never repeated."),
    ),
    CheckDef(
        "kpis.keys",
        N_("KPI ids present and unique"),
        "kpis",
        C,
        N_("kpi_id is never null and never repeated."),
    ),
    CheckDef(
        "touchpoint_kpis.keys_present",
        N_("Fact keys present"),
        "touchpoint_kpis",
        C,
        N_("date, touchpoint_id and kpi_id are never null in KPI fact rows."),
    ),
    CheckDef(
        "touchpoint_kpis.unique_keys",
        N_("No duplicate fact rows"),
        "touchpoint_kpis",
        C,
        N_("At most one row per date, touchpoint and KPI (a duplicate load doubles the numbers)."),
    ),
    CheckDef(
        "funnel.unique_keys",
        N_("No duplicate funnel rows"),
        "funnel",
        C,
        N_("At most one row per date, journey and stage, and no null keys."),
    ),
    # referential integrity
    CheckDef(
        "stages.journey_known",
        N_("Stages belong to known journeys"),
        "stages",
        C,
        N_("Every stage's journey_id is in journeys."),
    ),
    CheckDef(
        "touchpoints.references",
        N_("Touchpoints sit in known stages"),
        "touchpoints",
        C,
        N_("Every touchpoint's journey and stage exist, and the stage belongs to that journey."),
    ),
    CheckDef(
        "touchpoint_kpis.touchpoint_known",
        N_("Fact rows from known touchpoints"),
        "touchpoint_kpis",
        C,
        N_("Every fact row's touchpoint_id is in touchpoints (orphan rows are left out of every KPI)."),
    ),
    CheckDef(
        "touchpoint_kpis.kpi_known",
        N_("Fact rows of known KPIs"),
        "touchpoint_kpis",
        C,
        N_("Every fact row's kpi_id is in kpis."),
    ),
    CheckDef(
        "targets.references",
        N_("Targets refer to known KPIs and scopes"),
        "targets",
        C,
        N_("Every target's KPI exists, its scope is all/journey/stage/touchpoint and its scope_id exists."),
    ),
    CheckDef(
        "budget.references",
        N_("Budget rows refer to known journeys and touchpoints"),
        "budget",
        W,
        N_("Every budget row's journey exists and its touchpoint (if any) exists."),
    ),
    CheckDef(
        "funnel.references",
        N_("Funnel rows refer to known stages"),
        "funnel",
        C,
        N_("Every funnel row's stage exists and belongs to its journey."),
    ),
    # values
    CheckDef(
        "kpis.definitions",
        N_("KPI definitions valid"),
        "kpis",
        C,
        N_("unit, direction and aggregation are known values and scale is positive."),
    ),
    CheckDef(
        "touchpoints.values",
        N_("Touchpoint attributes valid"),
        "touchpoints",
        W,
        N_("weight is not negative; kano is must_be, performance, delighter or empty."),
    ),
    CheckDef(
        "stages.positions",
        N_("Stage positions valid"),
        "stages",
        W,
        N_("position is at least 1 and unique inside each journey."),
    ),
    CheckDef(
        "touchpoint_kpis.value_range",
        N_("KPI values in range for their unit"),
        "touchpoint_kpis",
        C,
        N_("Each fact row's value lies within its KPI's bounds (e.g. CSAT 1-5, NPS -100..100, counts >= 0)."),
    ),
    CheckDef(
        "touchpoint_kpis.rate_not_above_100",
        N_("Rates not above 100%"),
        "touchpoint_kpis",
        C,
        N_("For percent KPIs the numerator never exceeds the denominator."),
    ),
    CheckDef(
        "touchpoint_kpis.denominator_positive",
        N_("Denominators positive"),
        "touchpoint_kpis",
        C,
        N_("Ratio KPIs have a denominator above zero (zero, negative or missing gives no valid value)."),
    ),
    CheckDef(
        "touchpoint_kpis.no_future_dates",
        N_("No future-dated fact rows"),
        "touchpoint_kpis",
        C,
        N_("No fact row is dated after the as-of date."),
    ),
    CheckDef(
        "funnel.values",
        N_("Funnel counts valid"),
        "funnel",
        C,
        N_("customers is not negative and no funnel row is dated after the as-of date."),
    ),
    CheckDef(
        "budget.non_negative",
        N_("Spend and budget not negative"),
        "budget",
        C,
        N_("planned and actual are zero or more."),
    ),
    CheckDef(
        "targets.values",
        N_("Target values valid"),
        "targets",
        W,
        N_("tolerance is not negative, valid_to is not before valid_from, the target is in the KPI's range."),
    ),
    CheckDef(
        "targets.no_overlap",
        N_("No overlapping targets"),
        "targets",
        C,
        N_("For one KPI and scope, at most one target is in force on any day."),
    ),
    # freshness and volume
    CheckDef(
        "touchpoint_kpis.touchpoint_freshness",
        N_("Every touchpoint delivers fresh data"),
        "touchpoint_kpis",
        W,
        N_("Each touchpoint's latest fact row is at most a few days behind the warehouse's latest fact "
           "date."),
    ),
    CheckDef(
        "touchpoint_kpis.volume",
        N_("Daily fact volume normal"),
        "touchpoint_kpis",
        W,
        N_("Each recent day's row count is within 50%-150% of the median of the 28 days before it."),
    ),
    CheckDef(
        "touchpoint_kpis.summary_agrees",
        N_("The monthly summary agrees with the fact table"),
        "touchpoint_kpis",
        C,
        N_("Where the warehouse has the monthly summary table (touchpoint_kpis_monthly), its sums of "
           "numerator and denominator per month, touchpoint and KPI equal the fact table's (within a "
           "relative 1e-9) and its row counts equal the fact rows; a month on one side only fails. Compared "
           "per touchpoint and KPI and per month and KPI, then month by month where those differ. Passes "
           "when there is no summary."),
    ),
    CheckDef(
        "funnel.volume",
        N_("Daily funnel volume normal"),
        "funnel",
        W,
        N_("Each recent day's funnel row count is within 50%-150% of the median of the 28 days before it."),
    ),
)

#: Days a table's latest date may lag the as-of date before it counts as stale.
FRESHNESS_LAG_DAYS: dict[str, int] = {"touchpoint_kpis": 3, "funnel": 3, "budget": 62}
TOUCHPOINT_LAG_DAYS = 3


def _generated_check(check_id: str, table: str, severity: Severity, name: str, description: str,
                     **values: object) -> CheckDef:
    """A check made for each table: English name and description, plus the messages to say them in."""
    return CheckDef(check_id, name.format(table=table, **values), table, severity,
                    description.format(table=table, **values), name, description,
                    tuple({"table": table, **values}.items()))


def _generated() -> tuple[CheckDef, ...]:
    out: list[CheckDef] = []
    for table in _ALL_TABLES:
        out.append(
            _generated_check(
                f"{table}.schema",
                table,
                C,
                N_("{table}: expected columns and types"),
                N_("The table exists with every canonical column, of a compatible type."),
            )
        )
        core = table in ("touchpoint_kpis", "touchpoints", "kpis")
        out.append(
            _generated_check(f"{table}.rows_present", table, C if core else W, N_("{table}: has rows"),
                             N_("The table is not empty."))
        )
    for table in _DATED_TABLES:
        out.append(
            _generated_check(
                f"{table}.freshness",
                table,
                W,
                N_("{table}: fresh"),
                N_("The latest date is at most {days} days before as-of."),
                days=FRESHNESS_LAG_DAYS[table],
            )
        )
    return tuple(out)


CHECKS: tuple[CheckDef, ...] = _SPECIFIC + _generated()
CHECKS_BY_ID: dict[str, CheckDef] = {c.check_id: c for c in CHECKS}


def severity_label(severity: str) -> str:
    """A stored severity ("critical", "warning") in the current language; anything else as it is."""
    return Severity(severity).label if severity in Severity._value2member_map_ else severity


def check_label(check_id: str, stored_name: str = "") -> str:
    """The name of a check in the current language; a check no longer in the catalogue keeps the
    name stored with its result."""
    check = CHECKS_BY_ID.get(check_id)
    return check.label if check is not None else stored_name or check_id

#: Tables whose failures can make a KPI value or its status wrong (budget and funnel cannot).
KPI_TABLES: tuple[str, ...] = ("journeys", "stages", "touchpoints", "kpis", "touchpoint_kpis", "targets")
