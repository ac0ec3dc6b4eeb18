"""The canonical model: table and column names, enums and request records.

Everything that reads a warehouse speaks these names; the mapping file (connectors/mapping.py)
translates them to physical ones. This module does no I/O and imports nothing of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Aggregation", "COLUMN_KINDS", "Direction", "FACT_TABLES", "Filters", "Grain", "Kano",
    "KPI_SUMMARY", "KpiRequest", "OPTIONAL_COLUMNS", "OPTIONAL_TABLES", "Period", "Scope", "TABLES",
    "TARGET_SCOPE_PRIORITY", "Unit"]


class Unit(StrEnum):
    PERCENT = "percent"
    SCORE = "score"
    COUNT = "count"
    CURRENCY = "currency"
    SECONDS = "seconds"


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class Aggregation(StrEnum):
    RATIO = "ratio"
    SUM = "sum"


class Kano(StrEnum):
    MUST_BE = "must_be"
    PERFORMANCE = "performance"
    DELIGHTER = "delighter"


class Scope(StrEnum):
    """What a target applies to, and what a KPI series is broken down by."""

    ALL = "all"
    JOURNEY = "journey"
    STAGE = "stage"
    TOUCHPOINT = "touchpoint"
    CHANNEL = "channel"  # a breakdown only; targets never use it


#: Target scopes from most to least specific: the most specific one in force wins.
TARGET_SCOPE_PRIORITY: tuple[Scope, ...] = (Scope.TOUCHPOINT, Scope.STAGE, Scope.JOURNEY, Scope.ALL)


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    PERIOD = "period"  # the whole requested date range as one row


#: Canonical tables and their columns, in order. The mapping file may rename any of them.
TABLES: dict[str, tuple[str, ...]] = {
    "journeys": ("journey_id", "name", "persona", "owner", "description"),
    "stages": ("stage_id", "journey_id", "name", "position"),
    "touchpoints": (
        "touchpoint_id",
        "journey_id",
        "stage_id",
        "name",
        "channel",
        "owner",
        "moment_of_truth",
        "kano",
        "weight",
        "third_party",
    ),
    "kpis": ("kpi_id", "name", "unit", "direction", "aggregation", "scale", "description"),
    "touchpoint_kpis": ("date", "touchpoint_id", "kpi_id", "numerator", "denominator"),
    "targets": (
        "kpi_id",
        "scope",
        "scope_id",
        "valid_from",
        "valid_to",
        "target",
        "tolerance",
        "stretch",
    ),
    "budget": ("month", "journey_id", "touchpoint_id", "channel", "planned", "actual"),
    "funnel": ("date", "journey_id", "stage_id", "customers"),
}

#: Columns a warehouse may leave out: canonical table -> {column: the value every row gets then}.
#: A column the mapping file names explicitly must exist; one it leaves out and the warehouse
#: lacks takes this default (docs/design.md "Optional columns").
OPTIONAL_COLUMNS: dict[str, dict[str, object]] = {
    "journeys": {"persona": None},
    "touchpoints": {"kano": None, "weight": 1.0, "third_party": False},
}

#: The monthly summary of touchpoint_kpis: per first day of a month, touchpoint and KPI the sums of
#: numerator and denominator and how many fact rows they came from (``rows``), e.g. a data team's
#: aggregate model. KPI statements of whole months read it instead of the facts (connectors/queries.py);
#: the check "The monthly summary agrees with the fact table" guards it (checks/).
KPI_SUMMARY = "touchpoint_kpis_monthly"

#: Canonical tables a warehouse may have or not: used only when present (named in the mapping file,
#: which then must fit, or found under their canonical name with every column).
OPTIONAL_TABLES: dict[str, tuple[str, ...]] = {
    KPI_SUMMARY: ("month", "touchpoint_id", "kpi_id", "numerator", "denominator", "rows"),
}

#: The two fact tables: large, only ever read aggregated.
FACT_TABLES: frozenset[str] = frozenset({"touchpoint_kpis", "funnel"})

#: Canonical column kinds, used to build the demo, to check schemas and to coerce frames.
COLUMN_KINDS: dict[str, dict[str, str]] = {
    "journeys": {c: "str" for c in TABLES["journeys"]},
    "stages": {"stage_id": "str", "journey_id": "str", "name": "str", "position": "int"},
    "touchpoints": {
        "touchpoint_id": "str",
        "journey_id": "str",
        "stage_id": "str",
        "name": "str",
        "channel": "str",
        "owner": "str",
        "moment_of_truth": "bool",
        "kano": "str",
        "weight": "float",
        "third_party": "bool",
    },
    "kpis": {
        "kpi_id": "str",
        "name": "str",
        "unit": "str",
        "direction": "str",
        "aggregation": "str",
        "scale": "float",
        "description": "str",
    },
    "touchpoint_kpis": {
        "date": "date",
        "touchpoint_id": "str",
        "kpi_id": "str",
        "numerator": "float",
        "denominator": "float",
    },
    "targets": {
        "kpi_id": "str",
        "scope": "str",
        "scope_id": "str",
        "valid_from": "date",
        "valid_to": "date",
        "target": "float",
        "tolerance": "float",
        "stretch": "float",
    },
    "budget": {
        "month": "date",
        "journey_id": "str",
        "touchpoint_id": "str",
        "channel": "str",
        "planned": "float",
        "actual": "float",
    },
    "funnel": {"date": "date", "journey_id": "str", "stage_id": "str", "customers": "float"},
    KPI_SUMMARY: {
        "month": "date",
        "touchpoint_id": "str",
        "kpi_id": "str",
        "numerator": "float",
        "denominator": "float",
        "rows": "int",
    },
}


@dataclass(frozen=True)
class Filters:
    """Which fact rows a request covers. Empty tuples mean "no restriction".

    Frozen and made of tuples so that it is hashable (Streamlit caches loaders on it).
    """

    journey_ids: tuple[str, ...] = ()
    stage_ids: tuple[str, ...] = ()
    touchpoint_ids: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    moment_of_truth: bool | None = None


@dataclass(frozen=True)
class KpiRequest:
    """A request for KPI numerators and denominators aggregated in the warehouse.

    ``start`` and ``end`` are inclusive dates. ``by`` names the breakdown (Scope.ALL for none).
    """

    kpi_ids: tuple[str, ...]
    start: dt.date
    end: dt.date
    grain: Grain = Grain.PERIOD
    by: Scope = Scope.ALL
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class Period:
    """An inclusive date range with a label, e.g. a quarter."""

    start: dt.date
    end: dt.date
    label: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1
