"""Records of a check run: one ``CheckResult`` per check, gathered in a ``CheckRun``.

Plain data, no Great Expectations and no I/O, so pages and the history store can use them cheaply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from checks._scoping import SCOPE_COLUMNS
from checks.catalogue import SEVERITY_RANK, CheckDef, Outcome, Severity

__all__ = ["CheckResult", "CheckRun"]

FRESHNESS_COLUMNS: tuple[str, ...] = ("table_name", "touchpoint_id", "latest_date", "days_behind")


@dataclass
class CheckResult:
    check: CheckDef
    outcome: Outcome
    reason: str = ""
    failing_count: int = 0
    scopes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SCOPE_COLUMNS)))
    sample: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def failed(self) -> bool:
        return self.outcome is not Outcome.PASSED


@dataclass
class CheckRun:
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    as_of: dt.date
    warehouse: str
    trigger: str
    results: list[CheckResult]
    docs_url: str | None = None
    freshness: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FRESHNESS_COLUMNS)))

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def failing(self, at_least: Severity = Severity.WARNING) -> list[CheckResult]:
        rank = SEVERITY_RANK[at_least]
        return [r for r in self.results if r.failed and SEVERITY_RANK[r.check.severity] >= rank]

    def counts(self) -> dict[str, int]:
        """passed, failed_critical, failed_warning, errors (errors are also counted as failed)."""
        return {
            "passed": sum(not r.failed for r in self.results),
            "failed_critical": sum(r.failed and r.check.severity is Severity.CRITICAL for r in self.results),
            "failed_warning": sum(r.failed and r.check.severity is Severity.WARNING for r in self.results),
            "errors": sum(r.outcome is Outcome.ERROR for r in self.results),
        }

    def summary_frame(self) -> pd.DataFrame:
        """One row per check, failures first (critical before warning), then by check id."""
        rows = [
            {
                "check_id": r.check.check_id,
                "name": r.check.name,
                "table_name": r.check.table,
                "severity": r.check.severity.value,
                "outcome": r.outcome.value,
                "failing_count": r.failing_count,
                "reason": r.reason,
            }
            for r in self.results
        ]
        frame = pd.DataFrame(rows)
        if frame.empty:
            return frame
        order = frame["outcome"].eq(Outcome.PASSED.value).astype(int) * 10 + frame["severity"].ne("critical")
        return (
            frame.assign(_o=order).sort_values(["_o", "check_id"]).drop(columns="_o").reset_index(drop=True)
        )
