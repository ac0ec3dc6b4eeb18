"""CLI for data teams: ``python -m checks run [--json PATH] [--fail-on critical|warning]``.

Prints a summary table (failures first), writes machine-readable results with ``--json``, stores
the run in the state store (the history the data-quality page shows) and builds Great
Expectations Data Docs under MOT_DATA_DIR/gx. Exit status: 0 when no check at or above
``--fail-on`` failed, 1 when one did, 2 when the checks could not run (a setting is wrong, the
mapping file cannot be used, the warehouse cannot be reached: nothing is saved, the cause is printed
first) or the run could not be saved or written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from checks.catalogue import Outcome, Severity
from checks.history import prepare_history, save_run
from checks.results import CheckRun
from connectors.db_errors import database_reason
from connectors.demo_file import demo_is_current, read_demo_info
from connectors.runtime import embedded_limits, load_settings, open_for_checks, state_engine
from connectors.settings import Settings, SettingsError
from connectors.state import StateStoreError

_ICONS = {Outcome.PASSED.value: "ok  ", Outcome.FAILED.value: "FAIL", Outcome.ERROR.value: "ERR "}


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checks", description="Data-quality checks of the warehouse."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run every check, print a summary, store the run")
    run.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    run.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.CRITICAL.value,
        help="exit 1 when a check of this severity or above fails (default: critical)",
    )
    run.add_argument(
        "--as-of", type=_parse_date, default=None, help="the date data should be fresh up to (default: today)"
    )
    run.add_argument("--no-docs", action="store_true", help="skip building Great Expectations Data Docs")
    run.add_argument("--no-save", action="store_true", help="do not store the run in the state store")
    return parser


def run_command(args: argparse.Namespace, environ: dict[str, str]) -> int:
    try:
        settings = load_settings(environ)
        state = None if args.no_save else _open_history(settings.state_url)
        today = dt.date.today()
        _ensure_demo(settings, today)
    except (SettingsError, StateStoreError) as exc:
        return _fail(str(exc))
    from checks.runner import run_checks

    as_of = args.as_of or today
    docs_dir = None if args.no_docs else settings.data_dir / "gx"
    limits = embedded_limits(settings)
    warehouse = open_for_checks(settings.effective_warehouse_url, settings.mapping_path, limits)
    run = run_checks(warehouse, as_of, docs_dir, trigger="cli")
    not_run = not_run_reason(run)
    if not_run is not None:
        return _fail(f"the checks could not run: {not_run}\nNothing was saved; fix this and run again.")
    print(summary_text(run))
    status = exit_status(run, Severity(args.fail_on))
    problems = []
    if state is not None:
        try:
            save_run(state, run)
        except StateStoreError as exc:
            problems.append(str(exc))
    if args.json is not None:
        try:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(run_json(run, status), indent=2, default=str))
        except OSError as exc:
            problems.append(f"cannot write {str(args.json)!r}: {exc.strerror or exc}. Choose another file.")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 2 if problems else status


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _open_history(state_url: str) -> sa.Engine:
    """The state store with the check-history tables, opened before the run so a store that cannot
    be written fails at once instead of after a full run."""
    engine = state_engine(state_url)
    prepare_history(engine)
    return engine


def _ensure_demo(settings: Settings, today: dt.date) -> None:
    """Build the demo when it is missing or its data ends before yesterday (as the app does)."""
    if not settings.is_demo or demo_is_current(read_demo_info(settings.demo_path), today):
        return
    from connectors.demo import rebuild_demo

    print(f"building the demo warehouse {settings.demo_path} (data up to yesterday) ...", file=sys.stderr)
    try:
        rebuild_demo(settings.demo_path, today)
    except (OSError, sa.exc.SQLAlchemyError) as exc:
        raise SettingsError(
            f"The demo warehouse {str(settings.demo_path)!r} cannot be created: {database_reason(exc)}. "
            "Point MOT_DATA_DIR at a folder this user may write, or set MOT_WAREHOUSE_URL."
        ) from None


def not_run_reason(run: CheckRun) -> str | None:
    """Why no check could run (no warehouse, unusable mapping file), or None when they ran."""
    for result in run.results:
        if result.check.check_id == "warehouse.reachable" and result.outcome == Outcome.FAILED:
            return result.reason
    return None


def exit_status(run: CheckRun, fail_on: Severity) -> int:
    return 1 if run.failing(fail_on) else 0


def summary_text(run: CheckRun) -> str:
    width = max(60, shutil.get_terminal_size((120, 20)).columns)
    frame = run.summary_frame()
    lines = [f"{'':4}  {'severity':8}  {'check':40}  {'rows':>7}  reason"]
    for row in frame.itertuples(index=False):
        reason = str(row.reason).replace("\n", " ")
        line = f"{_ICONS[row.outcome]}  {row.severity:8}  {row.check_id:40}  {row.failing_count:>7}  {reason}"
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
    counts = run.counts()
    lines.append(
        f"\n{len(frame)} checks: {counts['passed']} passed, {counts['failed_critical']} critical and "
        f"{counts['failed_warning']} warning failed ({counts['errors']} could not run) "
        f"in {run.seconds:.1f} s; as of {run.as_of}; run {run.run_id}"
    )
    if run.docs_url:
        lines.append(f"Data Docs: {run.docs_url}")
    return "\n".join(lines)


def run_json(run: CheckRun, exit_code: int) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "seconds": round(run.seconds, 3),
        "as_of": run.as_of.isoformat(),
        "warehouse": run.warehouse,
        "counts": run.counts(),
        "exit_code": exit_code,
        "docs_url": run.docs_url,
        "results": [
            {
                "check_id": r.check.check_id,
                "name": r.check.name,
                "table": r.check.table,
                "severity": r.check.severity.value,
                "outcome": r.outcome.value,
                "failing_count": int(r.failing_count),
                "reason": r.reason,
                "scopes": json.loads(r.scopes.to_json(orient="records")) if r.failed else [],
                "sample": json.loads(r.sample.head(10).to_json(orient="records", date_format="iso"))
                if not r.sample.empty
                else [],
            }
            for r in run.results
        ],
    }


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return run_command(args, dict(os.environ))


if __name__ == "__main__":
    raise SystemExit(main())
