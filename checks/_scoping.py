"""Which KPI values a failing critical check untrusts: its *scopes* (checks/README.md, "Trust").

A scope names a place (journey, stage or touchpoint; none = the whole table), a KPI (none = every
KPI) and a date span (``date_from``/``date_to``; none = open on that side). A value is untrusted
only when its touchpoints, its KPI and its period all overlap a scope of a failing critical check.

Three kinds of check:
- **report only**: its failing rows can never be inside a value (a fact row without a key, or
  whose touchpoint or KPI is unknown, is dropped by the join to touchpoints or by the KPI list),
  so it is reported to the data team but untrusts nothing;
- **dated**: its failing rows carry the first and last date of the bad fact rows (or of the
  targets involved), so only values whose period overlaps those dates are untrusted;
- **everything else**: the places of its failing rows, on every date; a check that cannot say
  which rows it is about (unreachable warehouse, missing column) untrusts the whole table.
"""

from __future__ import annotations

import pandas as pd

from connectors.profile_queries import DUPLICATE_SPAN, FACT_RULE_SPANS

#: Fact-row rules (connectors.profile_queries.FACT_RULES, profile count columns) -> check id.
FACT_RULE_CHECKS: dict[str, str] = {
    "bad_keys": "touchpoint_kpis.keys_present",
    "out_of_range": "touchpoint_kpis.value_range",
    "rate_above_100": "touchpoint_kpis.rate_not_above_100",
    "bad_denominator": "touchpoint_kpis.denominator_positive",
    "future_rows": "touchpoint_kpis.no_future_dates",
}

PLACE_COLUMNS: tuple[str, ...] = ("journey_id", "stage_id", "touchpoint_id", "kpi_id")
#: Columns of a scope row (null place = all places, null date = open-ended).
SCOPE_COLUMNS: tuple[str, ...] = (*PLACE_COLUMNS, "date_from", "date_to")

#: Failing rows no KPI value can contain: reported, never untrusting.
REPORT_ONLY: frozenset[str] = frozenset(
    {"touchpoint_kpis.keys_present", "touchpoint_kpis.touchpoint_known", "touchpoint_kpis.kpi_known"}
)

#: Evidence columns holding the first and last date of a dated check's failing rows.
DATE_SPANS: dict[str, tuple[str, str]] = {
    **{check: FACT_RULE_SPANS[rule] for rule, check in FACT_RULE_CHECKS.items() if check not in REPORT_ONLY},
    "touchpoint_kpis.unique_keys": DUPLICATE_SPAN,
    "targets.no_overlap": ("valid_from", "valid_to"),
    "touchpoint_kpis.summary_agrees": ("date_from", "date_to"),
    "targets.references": ("valid_from", "valid_to"),
}


def whole_table() -> pd.DataFrame:
    """One scope covering every row of the table on every date."""
    return pd.DataFrame([dict.fromkeys(SCOPE_COLUMNS)], columns=list(SCOPE_COLUMNS), dtype=object)


def no_scope() -> pd.DataFrame:
    return pd.DataFrame(columns=list(SCOPE_COLUMNS), dtype=object)


def failing_scopes(check_id: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Distinct scopes of a failing check's evidence rows (module docstring)."""
    if check_id in REPORT_ONLY:
        return no_scope()
    present = [c for c in PLACE_COLUMNS if c in rows.columns]
    if rows.empty or not present:
        return whole_table()
    scopes = rows[present].astype(object)
    span = DATE_SPANS.get(check_id)
    if span is not None and set(span) <= set(rows.columns):
        scopes = scopes.assign(
            date_from=_dates(rows[span[0]]),
            date_to=_dates(rows[span[1]]),
        )
    scopes = scopes.where(scopes.notna(), None).drop_duplicates()
    return scopes.reindex(columns=list(SCOPE_COLUMNS)).astype(object).reset_index(drop=True)


def _dates(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce")
    return pd.Series([None if pd.isna(v) else v.date() for v in parsed], index=values.index, dtype=object)
