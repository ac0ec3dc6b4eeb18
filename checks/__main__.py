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
from connectors.runtime import apply_language, embedded_limits, load_settings, open_for_checks, state_engine
from connectors.settings import Settings, SettingsError
from connectors.state import StateStoreError
from metrics.formatting import number_text
from metrics.i18n import N_, tr

#: The outcome at the start of each summary line (marked English; padded to one width when printed).
_ICONS = {Outcome.PASSED.value: N_("ok"), Outcome.FAILED.value: N_("FAIL"), Outcome.ERROR.value: N_("ERR")}


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = tr("not a date in YYYY-MM-DD form: {text}").format(text=repr(text))
        raise argparse.ArgumentTypeError(message) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checks", description=tr("Data-quality checks of the warehouse.")
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help=tr("run every check, print a summary, store the run"))
    run.add_argument("--json", type=Path, help=tr("also write the results as JSON to this file"))
    run.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.CRITICAL.value,
        help=tr("exit 1 when a check of this severity or above fails (default: critical)"),
    )
    run.add_argument(
        "--as-of", type=_parse_date, default=None,
        help=tr("the date data should be fresh up to (default: today)")
    )
    run.add_argument("--no-docs", action="store_true", help=tr("skip building Great Expectations Data Docs"))
    run.add_argument("--no-save", action="store_true", help=tr("do not store the run in the state store"))
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
    limits = embedded_limits(settings, checks=True)
    warehouse = open_for_checks(settings.effective_warehouse_url, settings.mapping_path, limits)
    run = run_checks(warehouse, as_of, docs_dir, trigger="cli")
    not_run = not_run_reason(run)
    if not_run is not None:
        return _fail(tr("the checks could not run: {reason}\nNothing was saved; fix this and run again.")
                     .format(reason=not_run))
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
            problems.append(tr("cannot write {path}: {reason}. Choose another file.").format(
                path=repr(str(args.json)), reason=exc.strerror or exc))
    for problem in problems:
        print(tr("error: {problem}").format(problem=problem), file=sys.stderr)
    return 2 if problems else status


def _fail(message: str) -> int:
    print(tr("error: {problem}").format(problem=message), file=sys.stderr)
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

    print(tr("building the demo warehouse {path} (data up to yesterday) ...").format(path=settings.demo_path),
          file=sys.stderr)
    try:
        rebuild_demo(settings.demo_path, today)
    except (OSError, sa.exc.SQLAlchemyError) as exc:
        raise SettingsError(
            tr("The demo warehouse {path} cannot be created: {reason}. "
               "Point MOT_DATA_DIR at a folder this user may write, or set MOT_WAREHOUSE_URL.").format(
                path=repr(str(settings.demo_path)), reason=database_reason(exc))
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
    """The table printed by ``run`` (failures first) and a line of counts, in the current language."""
    width = max(60, shutil.get_terminal_size((120, 20)).columns)
    frame = run.summary_frame()
    icons = {outcome: tr(text) for outcome, text in _ICONS.items()}
    severities = {s.value: s.label for s in Severity}
    icon_width = max(4, *(len(i) for i in icons.values()))
    severity_header = tr("severity")
    severity_width = max(8, len(severity_header), *(len(s) for s in severities.values()))
    check_header, rows_header, reason_header = tr("check"), tr("rows"), tr("reason")
    lines = [f"{'':{icon_width}}  {severity_header:{severity_width}}  {check_header:40}  {rows_header:>7}  "
             f"{reason_header}"]
    for row in frame.itertuples(index=False):
        reason = str(row.reason).replace("\n", " ")
        severity = severities.get(row.severity, row.severity)
        line = (f"{icons[row.outcome]:{icon_width}}  {severity:{severity_width}}  "
                f"{row.check_id:40}  {row.failing_count:>7}  {reason}")
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
    counts = run.counts()
    lines.append("\n" + tr(
        "{total} checks: {passed} passed, {critical} critical and {warning} warning failed ({errors} could "
        "not run) in {seconds} s; as of {as_of}; run {run_id}").format(
        total=len(frame), passed=counts["passed"], critical=counts["failed_critical"],
        warning=counts["failed_warning"], errors=counts["errors"], seconds=number_text(run.seconds, 1),
        as_of=run.as_of, run_id=run.run_id))
    if run.docs_url:
        lines.append(tr("Data Docs: {address}").format(address=run.docs_url))
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
    apply_language()  # MOT_LANGUAGE, before the help text and the first message
    args = _parser().parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return run_command(args, dict(os.environ))


if __name__ == "__main__":
    raise SystemExit(main())
