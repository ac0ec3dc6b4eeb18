"""Data-quality checks: Great Expectations suites over warehouse-side profiles, run history, trust.

Public surface (importing this package does not import Great Expectations):
- ``run_checks(warehouse, as_of, ...) -> CheckRun`` (checks.runner), on a warehouse opened with
  ``connectors.runtime.open_for_checks`` (or the reason it could not be opened)
- ``CHECKS``, ``CheckDef``, ``Severity``, ``Outcome`` (checks.catalogue)
- ``save_run``, ``list_runs``, ``run_results``, ``results_history`` (checks.history)
- ``untrusted_scopes(state_engine)`` (checks.trust)
CLI: ``python -m checks run [--json PATH] [--fail-on critical|warning]``.
"""
