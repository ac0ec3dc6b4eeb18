"""What the warehouse profiles mean to the checks: which fact-row rule is which check.

The profile SQL (statement builders and the functions that run them) lives in
connectors/profile_queries.py with all other warehouse SQL; checks/ builds none. The functions
the runner calls are re-exported here so that ``from checks import profiles`` keeps working.
"""

from __future__ import annotations

from connectors.profile_queries import (
    dimension_rows,
    duplicate_fact_rows,
    fact_rules,
    sample_fact_rows,
)

#: Fact-row rules (connectors.profile_queries.FACT_RULES, profile count columns) -> check id.
FACT_RULE_CHECKS: dict[str, str] = {
    "bad_keys": "touchpoint_kpis.keys_present",
    "out_of_range": "touchpoint_kpis.value_range",
    "rate_above_100": "touchpoint_kpis.rate_not_above_100",
    "bad_denominator": "touchpoint_kpis.denominator_positive",
    "future_rows": "touchpoint_kpis.no_future_dates",
}

__all__ = ["FACT_RULE_CHECKS", "dimension_rows", "duplicate_fact_rows", "fact_rules", "sample_fact_rows"]
