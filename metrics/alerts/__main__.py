"""``python -m metrics.alerts [--owner NAME] [--json PATH]``: alerts for a scheduled job;
``python -m metrics.alerts send [--dry-run]``: deliver them (connectors/alert_delivery.py).

Reads the warehouse configured by MOT_WAREHOUSE_URL / MOT_MAPPING (environment or
.streamlit/secrets.toml, opened as the app opens it: connectors/runtime.py), asks for KPI series
by touchpoint at the chosen grain over the last complete periods, judges them
(metrics.judgement: targets and the trust of the latest check run in MOT_STATE_URL), and prints
target crossings, unusual changes and data-quality alerts (method in metrics/alerts/__init__.py).
A value that is not trusted raises no KPI alert; it becomes a data-quality alert for the data team.

``send`` routes the alerts (connectors/alert_digests.py), sends each person one digest by e-mail
and/or webhook with only the alerts not sent to them before, and records every attempt in the
state store. Exit codes of ``send``: 0 = everything due was sent (or nothing was due), 1 = some
deliveries failed (they are tried again on the next run), 2 = a setting is wrong.

Exit codes: 0 = ran (with or without alerts), 2 = a problem the caller must fix (warehouse not
reachable, mapping does not fit, unknown owner, bad argument), with a message saying what to do.
This is the only metrics module that imports connectors and checks, and only inside functions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.alerts import (
    DATA_QUALITY,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    alert_keys,
    compute_alerts,
    describe_alerts,
    failing_check_alerts,
    severity_label,
)
from metrics.i18n import N_, tr
from metrics.judgement import Yardstick, judge
from metrics.model import Filters, Grain, KpiRequest, Scope
from metrics.owners import owner_names, owner_touchpoints
from metrics.trends import complete_window
from metrics.trust import TrustState

USAGE_ERROR = 2
_OUTPUT_COLUMNS = ["severity", "kind", "period_start", "journey_id", "touchpoint_id", "touchpoint",
                   "touchpoint_owner", "kpi_id", "kpi", "value", "previous_value", "status_before",
                   "status_after", "score", "reason"]
#: The periods of each grain, as the summary line names them.
_PERIODS = {"day": N_("daily periods"), "week": N_("weekly periods"), "month": N_("monthly periods")}
#: The channels a digest goes by, as the dry run names them.
_CHANNELS = {"email": N_("email"), "webhook": N_("webhook")}


def _parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="python -m metrics.alerts", parents=[common],
        description=tr("KPI alerts: target crossings and unusual changes in the latest complete period."),
    )
    commands = parser.add_subparsers(dest="command", metavar="{send}")
    send = commands.add_parser("send", parents=[common], help=tr("deliver one digest per recipient (once)"),
                               description=tr("Send each owner and data steward the alerts not sent yet."))
    send.add_argument("--dry-run", action="store_true",
                      help=tr("print what would be sent, to whom; send none"))
    return parser


def _common_options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--owner", help=tr("only the touchpoints of this map or touchpoint owner"))
    parser.add_argument("--json", type=Path, help=tr("also write the alerts to this JSON file"))
    parser.add_argument("--as", dest="as_email", metavar="EMAIL",
                        help=tr("exactly the alerts this person would see in the app (default: everything)"))
    parser.add_argument("--grain", choices=["day", "week", "month"], default="week",
                        help=tr("period length (week)"))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                        help=tr("judge periods complete by this date, YYYY-MM-DD (last date with data)"))
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW,
                        help=tr("earlier periods an unusual change is judged against ({default})").format(
                            default=DEFAULT_WINDOW))
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=tr("robust z-score that counts as unusual ({default})").format(
                            default=DEFAULT_THRESHOLD))
    parser.add_argument("--streak", type=int, default=None,
                        help=tr("alert when off target this many periods in a row (send: MOT_ALERT_STREAK)"))
    return parser


def _fail(message: str) -> int:
    print(tr("error: {message}").format(message=message), file=sys.stderr)
    return USAGE_ERROR


def main(argv: list[str] | None = None) -> int:
    from connectors.runtime import apply_language

    apply_language()  # MOT_LANGUAGE before the first text (help, errors); load_settings sets it again
    args = _parser().parse_args(argv)
    if args.command == "send":
        return _send(args)
    from connectors.access import AccessError
    from connectors.mapping import MappingError
    from connectors.runtime import KpiTableError, load_settings, open_configured_warehouse, scope_as
    from connectors.settings import SettingsError
    from connectors.warehouse import WarehouseError

    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(str(exc))
    try:
        wh = open_configured_warehouse(settings)
        args.scope = scope_as(settings, wh, args.as_email)  # None: the service identity, everything
        alerts, as_of = _alerts_from_warehouse(wh, args, _trust(settings.state_url))
    except (WarehouseError, MappingError, KpiTableError, LookupError, AccessError) as exc:
        return _fail(str(exc))
    if args.json:
        try:
            _write_json(args.json, alerts, as_of, args)
        except OSError as exc:
            return _fail(tr("could not write {path}: {reason}").format(path=args.json,
                                                                       reason=exc.strerror or exc))
    _print(alerts, as_of, args)
    return 0


def _trust(state_url: str) -> Any:
    """What the latest check run says; unknown (never "trusted") when the store cannot be read."""
    from checks.trust import load_trust_evidence
    from connectors.runtime import state_engine
    from connectors.state import StateStoreError
    from metrics.trust import TrustEvidence

    try:
        return load_trust_evidence(state_engine(state_url))
    except StateStoreError as exc:
        return TrustEvidence.unknown(str(exc))


def _alerts_from_warehouse(
    wh: Any, args: argparse.Namespace, evidence: Any
) -> tuple[pd.DataFrame, dt.date]:
    from connectors.queries import date_bounds, dimension_frame, kpi_frame
    from connectors.runtime import read_kpi_registry

    registry = read_kpi_registry(wh)
    all_touchpoints = touchpoints = dimension_frame(wh, "touchpoints")
    journeys = dimension_frame(wh, "journeys")
    if args.owner:
        known = owner_names(journeys, touchpoints)
        if args.owner not in known:
            raise LookupError(tr("no owner called {owner}; owners are: {owners}").format(
                owner=repr(args.owner), owners=", ".join(known)))
        touchpoints = owner_touchpoints(args.owner, journeys, touchpoints)
    # Like the app: the latest fact date not after today, so a future-dated row cannot move it.
    bounds = date_bounds(wh, args.as_of or dt.date.today())
    if bounds is None:
        raise LookupError(tr("the warehouse holds no KPI data up to that date; nothing to judge"))
    as_of = args.as_of or bounds[1]
    grain = Grain(args.grain)
    window = complete_window(as_of, grain, args.window + 1)
    request = KpiRequest(registry.ids(), window.start, window.end, grain, Scope.TOUCHPOINT,
                         Filters(touchpoint_ids=tuple(touchpoints["touchpoint_id"])))
    yardstick = Yardstick(registry, dimension_frame(wh, "targets"), all_touchpoints, evidence)
    frame = kpi_frame(wh, request, getattr(args, "scope", None))  # --as: that person's rows only
    series = judge(frame, yardstick, window.start, window.end, grain)
    alerts = compute_alerts(series, registry, ["touchpoint_id"], window=args.window, threshold=args.threshold,
                            streak=args.streak)
    if evidence.state is not TrustState.TRUSTED:
        print(tr("note: {reason}").format(reason=evidence.blanket_reason()), file=sys.stderr)
    described = describe_alerts(alerts, touchpoints, registry)
    return (described if args.command == "send" else described[_OUTPUT_COLUMNS]), as_of


def _print(alerts: pd.DataFrame, as_of: dt.date, args: argparse.Namespace) -> None:
    who = tr(" for {owner}").format(owner=args.owner) if args.owner else ""
    print(tr("{count} alert(s){who}, {periods} complete by {date}").format(
        count=len(alerts), who=who, periods=tr(_PERIODS[args.grain]), date=as_of.isoformat()))
    for row in alerts.itertuples(index=False):
        start = str(row.period_start)[:10]
        audience = tr(" (for the data team)") if row.kind == DATA_QUALITY else ""
        print(f"[{severity_label(row.severity)}] {start} {row.touchpoint} ({row.touchpoint_id}){audience}: "
              f"{row.reason}")


def _write_json(path: Path, alerts: pd.DataFrame, as_of: dt.date, args: argparse.Namespace) -> None:
    records = json.loads(alerts.to_json(orient="records", date_format="iso"))
    for record in records:
        record["period_start"] = str(record["period_start"])[:10]
    document = {"as_of": as_of.isoformat(), "grain": args.grain, "owner": args.owner,
                "method": tr("target crossing; robust z-score (median/MAD) against the previous {count} "
                             "periods, |z| >= {threshold}").format(count=args.window,
                                                                   threshold=args.threshold),
                "alerts": records}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(document, indent=2), encoding="utf-8")
    temporary.replace(path)


def _send(args: argparse.Namespace) -> int:
    """``send``: route, drop what was sent or muted, deliver the rest; exit 0, 1 or 2 (docstring)."""
    import os

    from connectors.alert_delivery import EMAIL, pending_parcels, send_parcels
    from connectors.alert_digests import route_alerts, unrouted
    from connectors.alert_store import active_mutes
    from connectors.contacts import ContactsError, load_contacts
    from connectors.mapping import MappingError
    from connectors.notify import resolve_alert_settings
    from connectors.runtime import (
        KpiTableError,
        load_settings,
        open_configured_warehouse,
        read_secrets,
        state_engine,
    )
    from connectors.settings import SettingsError
    from connectors.state import StateStoreError
    from connectors.warehouse import WarehouseError

    try:
        settings = load_settings()
        alerting = resolve_alert_settings(os.environ, read_secrets())
        contacts = load_contacts(settings.contacts_path)
        store = state_engine(settings.state_url)
        args.streak = alerting.streak if args.streak is None else args.streak
        wh = open_configured_warehouse(settings)
        alerts, as_of = _alerts_from_warehouse(wh, args, _trust(settings.state_url))
        from connectors.queries import dimension_frame

        journeys = dimension_frame(wh, "journeys")
        checks = _failing_checks(store)
        digests = route_alerts(alerts.assign(key=alert_keys(alerts)), checks.assign(key=alert_keys(checks)),
                               journeys, contacts, active_mutes(store, dt.date.today()), alerting.base_url,
                               args.grain)
        parcels = pending_parcels(digests, store)
    except (SettingsError, ContactsError, StateStoreError, WarehouseError, MappingError, KpiTableError,
            LookupError) as exc:
        return _fail(str(exc))
    print(tr("{count} alert(s), {periods} complete by {date}; {digests} digest(s) to send").format(
        count=len(alerts) + len(checks), periods=tr(_PERIODS[args.grain]), date=as_of.isoformat(),
        digests=len(parcels)))
    if unrouted(alerts, checks, contacts):
        print(tr("note: data-quality alerts reach nobody: name a steward in MOT_CONTACTS "
                 "(stewards: default)."), file=sys.stderr)
    if args.dry_run:
        for parcel in parcels:
            channel = _CHANNELS.get(parcel.channel, parcel.channel)
            heading = tr("--- {channel} to {name} <{address}>: {subject}").format(
                channel=tr(channel), name=parcel.digest.contact.name,
                address=parcel.address, subject=parcel.digest.subject)
            print(f"\n{heading}\n{parcel.digest.text()}")
        return 0
    if alerting.smtp is None and any(p.channel == EMAIL for p in parcels):
        return _fail(tr("digests are due by e-mail but MOT_SMTP_HOST is not set: set the MOT_SMTP_* settings "
                        "(README \"Alerts\"), or run with --dry-run to see them. Nothing was sent."))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    try:
        report = send_parcels(parcels, store, alerting, now)
    except StateStoreError as exc:
        return _fail(str(exc))
    print(tr("{sent} digest(s) sent, {failed} failed").format(sent=len(report.sent),
                                                              failed=len(report.failed)))
    return 1 if report.failed else 0


def _failing_checks(store: Any) -> pd.DataFrame:
    """The latest check run's failing critical checks as alerts, each dated by when it began failing."""
    from checks.history import latest_run_id, results_history, run_results, since_failing

    run_id = latest_run_id(store)
    if run_id is None:
        return failing_check_alerts(pd.DataFrame(columns=["check_id", "name", "table_name", "severity",
                                                          "outcome", "reason", "failing_since"]))
    since = since_failing(results_history(store))
    results = run_results(store, run_id).merge(since, on="check_id", how="left")
    return failing_check_alerts(results)


if __name__ == "__main__":
    raise SystemExit(main())
