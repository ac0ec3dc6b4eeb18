"""Run the suites with Great Expectations' pandas engine over the evidence frames; build Data Docs.

One suite and one validation definition per evidence key. With a ``docs_dir`` the run uses a file
data context there (MOT_DATA_DIR/gx), stores each validation result and rebuilds the Data Docs
site; without one it uses an ephemeral context (tests, quick runs). Nothing is sent anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig

from checks._evidence import Evidence, EvidenceUnavailable
from checks._suites import RULES, Rule
from metrics.i18n import tr, tr_n

_DATASOURCE = "mot_evidence"
_RESULT_FORMAT = {"result_format": "COMPLETE", "include_unexpected_rows": False}


@dataclass
class RuleOutcome:
    """What one rule found: success, or why it could not be judged, and the failing evidence rows."""

    check_id: str
    evidence: str
    success: bool
    error: str = ""
    failing: pd.DataFrame = field(default_factory=pd.DataFrame)
    details: list[str] = field(default_factory=list)


@dataclass
class ValidationRun:
    outcomes: list[RuleOutcome]
    docs_url: str | None = None


def open_context(docs_dir: Path | None) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    context: Any
    if docs_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        docs_dir.mkdir(parents=True, exist_ok=True)
        context = gx.get_context(mode="file", project_root_dir=str(docs_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(
    evidence: Evidence,
    run_name: str,
    docs_dir: Path | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ValidationRun:
    """Validate every rule's evidence; evidence that cannot be built gives error outcomes."""
    context = open_context(docs_dir)
    source = context.data_sources.add_or_update_pandas(_DATASOURCE)
    run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.UTC))
    by_key: dict[str, list[Rule]] = {}
    for rule in RULES:
        by_key.setdefault(rule.evidence, []).append(rule)
    outcomes: list[RuleOutcome] = []
    for done, (key, rules) in enumerate(by_key.items()):
        if progress is not None:
            progress(done / len(by_key), key)
        outcomes += _validate_key(context, source, evidence, key, rules, run_id)
    docs_url = _build_docs(context, run_name) if docs_dir is not None else None
    return ValidationRun(outcomes=outcomes, docs_url=docs_url)


def _validate_key(
    context: Any, source: Any, evidence: Evidence, key: str, rules: list[Rule], run_id: RunIdentifier
) -> list[RuleOutcome]:
    try:
        frame = evidence.get(key)
    except EvidenceUnavailable as exc:
        return [RuleOutcome(r.check_id, key, False, error=str(exc)) for r in rules]
    outcomes: list[RuleOutcome] = []
    expectations: list[Any] = []
    for rule in rules:
        try:
            built = rule.build(evidence)
        except EvidenceUnavailable as exc:
            outcomes.append(
                RuleOutcome(rule.check_id, key, False,
                            error=tr("reference data unavailable: {problem}").format(problem=exc))
            )
            continue
        for expectation in built:
            expectation.meta = {"check_id": rule.check_id}
        expectations += built
    if not expectations:
        return outcomes
    suite = gx.ExpectationSuite(name=f"mot.{_safe(key)}", expectations=expectations)
    suite = context.suites.add_or_update(suite)
    asset_name = _safe(key)
    asset = next((a for a in source.assets if a.name == asset_name), None) or source.add_dataframe_asset(
        asset_name
    )
    batch_def = next((b for b in asset.batch_definitions if b.name == "whole"), None)
    batch_def = batch_def or asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"mot.{asset_name}", data=batch_def, suite=suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame}, result_format=_RESULT_FORMAT, run_id=run_id
    )
    return outcomes + _outcomes(key, frame, result)


def _outcomes(key: str, frame: pd.DataFrame, result: Any) -> list[RuleOutcome]:
    merged: dict[str, RuleOutcome] = {}
    for item in result.results:
        check_id = item.expectation_config.meta["check_id"]
        outcome = merged.setdefault(check_id, RuleOutcome(check_id, key, True))
        exception = item.exception_info or {}
        if exception.get("raised_exception"):
            message = str(exception.get("exception_message") or tr("expectation raised an error"))
            message = message.splitlines()[0]
            outcome.success = False
            outcome.error = _describe(item.expectation_config) + ": " + message
            continue
        if item.success:
            continue
        outcome.success = False
        indexes = item.result.get("unexpected_index_list") or []
        rows = frame.loc[[i for i in indexes if i in frame.index]]
        outcome.failing = pd.concat([outcome.failing, rows]) if not outcome.failing.empty else rows
        count = item.result.get("unexpected_count")
        outcome.details.append(
            # English says "rows" for one row too (as it always has); German has both forms.
            tr_n("{expectation}: {count} rows", "{expectation}: {count} rows",
                 count if count is not None else 2)
            .format(expectation=_describe(item.expectation_config), count=count if count is not None else "?")
        )
    for outcome in merged.values():
        if not outcome.failing.empty:
            outcome.failing = outcome.failing[~outcome.failing.index.duplicated()]
    return list(merged.values())


def _describe(config: Any) -> str:
    kwargs = {
        k: v
        for k, v in config.kwargs.items()
        if k in ("column", "column_A", "column_B", "min_value", "max_value")
    }
    parts = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{config.type}({parts})"


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", key)


def _build_docs(context: Any, run_name: str) -> str | None:
    """Render this run's validation results and the index (older pages stay as they are)."""
    store = context.validation_results_store
    ids = [key for key in store.list_keys() if getattr(key.run_id, "run_name", None) == run_name]
    sites = context.build_data_docs(resource_identifiers=ids or None)
    return next(iter(sites.values()), None)
