"""Command line for quarterly reviews.

    python -m review export --quarter 2026Q3 --format pdf|pptx|csv --out PATH [--as EMAIL] [--keys]
    python -m review close  --quarter 2026Q3 --by "Ana Lopez"
    python -m review reopen --quarter 2026Q3 --by "Ana Lopez"

Settings come from the environment (MOT_WAREHOUSE_URL, MOT_MAPPING, MOT_STATE_URL, MOT_DATA_DIR)
and .streamlit/secrets.toml, as for the app. A closed quarter exports its frozen figures. The
command reads everything (a service identity); ``--as EMAIL`` writes exactly the pack that person
sees in the app (MOT_ACCESS, MOT_CONTACTS and the owner columns; README "Login and access").
Exit status: 0 done, 2 a problem the user can fix (bad quarter, no data, store or warehouse
unreachable, file not writable); the message says what to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from checks.trust import load_trust_evidence
from connectors.access import AccessError
from connectors.mapping import MappingError
from connectors.runtime import (
    KpiTableError,
    apply_language,
    load_settings,
    open_configured_warehouse,
    read_kpi_registry,
    scope_as,
    state_engine,
)
from connectors.settings import SettingsError
from connectors.state import StateStoreError
from connectors.warehouse import WarehouseError
from metrics.i18n import tr
from review.exports import FORMATS, export_pack
from review.exports.files import ExportError
from review.frozen import close_with_snapshot, quarter_review
from review.pack import EmptyQuarterError
from review.quarters import QuarterError, parse_quarter
from review.scoped import review_in_scope
from review.store import ReviewConflict, prepare_review_store, reopen_quarter

USER_ERRORS = (AccessError, QuarterError, EmptyQuarterError, StateStoreError, WarehouseError, MappingError,
               SettingsError, KpiTableError, ExportError, ReviewConflict)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m review", description=tr("Quarterly review packs."))
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help=tr("write the quarterly pack as PDF, PowerPoint or CSV"))
    export.add_argument("--quarter", required=True, help=tr("quarter like 2026Q3"))
    export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    export.add_argument("--out", required=True, type=Path, help=tr("file to write (replaced atomically)"))
    export.add_argument("--as", dest="as_email", metavar="EMAIL",
                        help=tr("the pack this person sees in the app (default: everything)"))
    export.add_argument("--keys", action="store_true",
                        help=tr("CSV: name the columns by their keys (journey_id, …) in every language"))
    for name, text in (("close", tr("freeze the quarter's figures, targets and comments")),
                       ("reopen", tr("reopen a closed quarter (its snapshot is kept for the record)"))):
        command = commands.add_parser(name, help=text)
        command.add_argument("--quarter", required=True, help=tr("quarter like 2026Q3"))
        command.add_argument("--by", required=True, help=tr("who closes or reopens it"))
    return parser


def run(args: argparse.Namespace, now: dt.datetime) -> str:
    quarter = parse_quarter(args.quarter)
    settings = load_settings()
    state = state_engine(settings.state_url)
    prepare_review_store(state)
    if args.command == "reopen":
        reopen_quarter(state, quarter.label, args.by, now)
        return tr("{quarter} reopened by {who}; its figures are live again.").format(quarter=quarter.label,
                                                                                       who=args.by)
    wh = open_configured_warehouse(settings)
    registry = read_kpi_registry(wh)
    trust = load_trust_evidence(state)
    if args.command == "close":
        close_with_snapshot(wh, registry, state, quarter, args.by, now, trust, as_of=now.date())
        return tr("{quarter} closed by {who}; its figures are frozen.").format(quarter=quarter.label,
                                                                              who=args.by)
    scope = scope_as(settings, wh, args.as_email)
    review = quarter_review(wh, registry, state, quarter, trust, as_of=now.date(), scope=scope)
    review = review_in_scope(review, scope)
    path = export_pack(review, args.fmt, args.out, now, csv_keys=args.keys)
    source = tr("frozen figures of the closed quarter") if review.is_closed else tr("live figures")
    if args.as_email:
        source = tr("{source}, as {email} sees it").format(source=source, email=args.as_email)
    return tr("Wrote {path} ({format}, {quarter}, {source}).").format(path=path, format=args.fmt,
                                                                     quarter=quarter.label, source=source)


def main(argv: list[str] | None = None) -> int:
    apply_language()  # MOT_LANGUAGE, before the first text (the help)
    args = _parser().parse_args(argv)
    try:
        message = run(args, dt.datetime.now(dt.UTC))
    except USER_ERRORS as exc:
        print(tr("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    print(message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
