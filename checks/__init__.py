"""Data-quality checks: Great Expectations suites over warehouse-side profiles, run history, trust.

Public modules (each declares its names in ``__all__``; importing this package does not import
Great Expectations):
- ``runner``: ``run_checks(warehouse, as_of, ...) -> CheckRun``, on a warehouse opened with
  ``connectors.runtime.open_for_checks`` (or the reason it could not be opened)
- ``catalogue``: ``CHECKS``, ``CHECKS_BY_ID``, ``Outcome`` (and ``CheckDef``, ``Severity``)
- ``results``: ``CheckRun`` and its ``CheckResult`` records
- ``history``: ``save_run``, ``list_runs``, ``run_results``, ``results_history``, ``sample_rows``
- ``trust``: ``load_trust_evidence``, ``untrusted_scopes(state_engine)``
- ``demo``: ``build_checked_demo`` (the demo built and checked in one step)
- ``impact``: ``check_impact`` (the KPIs, journeys, touchpoints and data dates a failing check
  touches) and ``plain_reason``
- ``data_docs``: ``publish`` (a run's Data Docs copied where the app serves them), ``local_site``
Private modules: ``_evidence`` (the frames the suites validate), ``_suites``, ``_validation``
(Great Expectations) and ``_scoping`` (which profile rule is which check, what a failure untrusts).
CLI: ``python -m checks run [--json PATH] [--fail-on critical|warning]``.
"""

__all__ = ["catalogue", "data_docs", "demo", "history", "impact", "results", "runner", "trust"]
