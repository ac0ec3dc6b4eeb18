"""``python -m metrics.alerts [--owner NAME] [--json PATH]``: alerts for a scheduled job.

Reads the warehouse configured by MOT_WAREHOUSE_URL / MOT_MAPPING (environment or
.streamlit/secrets.toml, opened as the app opens it: connectors/runtime.py), asks for KPI series
by touchpoint at the chosen grain over the last complete periods, judges them
(metrics.judgement: targets and the trust of the latest check run in MOT_STATE_URL), and prints
target crossings, unusual changes and data-quality alerts (method in metrics/alerts/__init__.py).
A value that is not trusted raises no KPI alert; it becomes a data-quality alert for the data team.

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
    compute_alerts,
    describe_alerts,
)
from metrics.judgement import Yardstick, judge
from metrics.model import Filters, Grain, KpiRequest, Scope
from metrics.owners import owner_names, owner_touchpoints
from metrics.trends import complete_window
from metrics.trust import TrustState

USAGE_ERROR = 2
_OUTPUT_COLUMNS = ["severity", "kind", "period_start", "journey_id", "touchpoint_id", "touchpoint",
                   "touchpoint_owner", "kpi_id", "kpi", "value", "previous_value", "status_before",
                   "status_after", "score", "reason"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m metrics.alerts",
        description="KPI alerts: target crossings and unusual changes in the latest complete period.",
    )
    parser.add_argument("--owner", help="only the touchpoints of this map or touchpoint owner")
    parser.add_argument("--json", type=Path, help="also write the alerts to this JSON file")
    parser.add_argument("--as", dest="as_email", metavar="EMAIL",
                        help="exactly the alerts this person would see in the app (default: everything)")
    parser.add_argument("--grain", choices=["day", "week", "month"], default="week",
                        help="period length (week)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                        help="judge periods complete by this date, YYYY-MM-DD (last date with data)")
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW,
                        help=f"earlier periods an unusual change is judged against ({DEFAULT_WINDOW})")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=f"robust z-score that counts as unusual ({DEFAULT_THRESHOLD})")
    return parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
            return _fail(f"could not write {args.json}: {exc.strerror or exc}")
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
            raise LookupError(f"no owner called {args.owner!r}; owners are: {', '.join(known)}")
        touchpoints = owner_touchpoints(args.owner, journeys, touchpoints)
    # Like the app: the latest fact date not after today, so a future-dated row cannot move it.
    bounds = date_bounds(wh, args.as_of or dt.date.today())
    if bounds is None:
        raise LookupError("the warehouse holds no KPI data up to that date; nothing to judge")
    as_of = args.as_of or bounds[1]
    grain = Grain(args.grain)
    window = complete_window(as_of, grain, args.window + 1)
    request = KpiRequest(registry.ids(), window.start, window.end, grain, Scope.TOUCHPOINT,
                         Filters(touchpoint_ids=tuple(touchpoints["touchpoint_id"])))
    yardstick = Yardstick(registry, dimension_frame(wh, "targets"), all_touchpoints, evidence)
    frame = kpi_frame(wh, request, getattr(args, "scope", None))  # --as: that person's rows only
    series = judge(frame, yardstick, window.start, window.end, grain)
    alerts = compute_alerts(series, registry, ["touchpoint_id"], window=args.window, threshold=args.threshold)
    if evidence.state is not TrustState.TRUSTED:
        print(f"note: {evidence.blanket_reason()}", file=sys.stderr)
    return describe_alerts(alerts, touchpoints, registry)[_OUTPUT_COLUMNS], as_of


def _print(alerts: pd.DataFrame, as_of: dt.date, args: argparse.Namespace) -> None:
    who = f" for {args.owner}" if args.owner else ""
    print(f"{len(alerts)} alert(s){who}, {args.grain}ly periods complete by {as_of.isoformat()}")
    for row in alerts.itertuples(index=False):
        start = str(row.period_start)[:10]
        audience = " (for the data team)" if row.kind == DATA_QUALITY else ""
        print(f"[{row.severity}] {start} {row.touchpoint} ({row.touchpoint_id}){audience}: {row.reason}")


def _write_json(path: Path, alerts: pd.DataFrame, as_of: dt.date, args: argparse.Namespace) -> None:
    records = json.loads(alerts.to_json(orient="records", date_format="iso"))
    for record in records:
        record["period_start"] = str(record["period_start"])[:10]
    document = {"as_of": as_of.isoformat(), "grain": args.grain, "owner": args.owner,
                "method": "target crossing; robust z-score (median/MAD) against the previous "
                          f"{args.window} periods, |z| >= {args.threshold}",
                "alerts": records}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(document, indent=2), encoding="utf-8")
    temporary.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
