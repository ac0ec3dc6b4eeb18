"""Alerts on KPI series: target crossings and unusual changes. Pure functions, no I/O.

Input is a value series at one grain (complete periods only, see metrics/trends.py): one row per
period and series key (e.g. touchpoint_id) and kpi_id, with value, target and tolerance (from
``metrics.judgement.judge``). Only the latest period of the whole frame can raise
alerts: a series whose data stopped earlier is stale (the data-quality checks report that) and
raises nothing here.

- **Target crossing**: the status (metrics/status.py) of the latest period differs from the one
  before, among on target / at risk / off target; e.g. on_target -> at_risk is a *worsened*
  crossing, off_target -> on_target an *improved* one. Periods without a value or target
  (no data) neither raise nor end a crossing. A crossing into on target is its own kind,
  **back on target** (``back_on_target``, severity ``info``).
- **Unusual change** (robust z-score, Iglewicz & Hoaglin): the latest value x against the
  previous ``window`` values h (default 26) of the same series:
  ``z = 0.6745 * (x - median(h)) / MAD(h)`` with ``MAD = median(|h - median(h)|)``. When MAD is 0
  (more than half the history identical) the mean absolute deviation is used instead:
  ``z = (x - median(h)) / (1.253314 * meanAD(h))``. When that is 0 too (a constant history) or
  fewer than ``min_history`` (default 12) earlier values exist, z is NaN and no alert is raised.
  An alert fires when ``|z| >= threshold`` (default 3.5, the usual cut-off for outliers) **and** the
  change from the typical value (the median) is at least the KPI's minimum effect in its own units
  (``KpiDef.effect_floor``: e.g. 0.1 CSAT points, 1 percentage point, 3 NPS points): a history with
  almost no spread makes a change of 0.001 "unusual", but nobody can act on it.
  Median and MAD are not pulled by one earlier spike. Why 26: on Gaussian noise a window of 8
  flags about 5% of normal periods at 3.5, a window of 26 about 0.6%, while a 5-sigma shift is
  still caught about 88% of the time (measured on 20,000 simulated series).

- **Off target for N periods** (``off_target_streak``, when ``streak`` is given): the latest N or
  more consecutive periods are off target (rule in metrics/streaks.py); severity ``critical``.

- **Data quality**: a value that is not trusted (metrics/trust.py, ``trust`` column from
  metrics.judgement.judge) is no evidence of anything: it raises no crossing or unusual change
  for its owner, and is left out of the history others are compared with. When the latest value
  of a series is not trusted, one ``data_quality`` alert for the data team names the failing check.
  ``failing_check_alerts`` turns a check run's failing critical checks into ``check_failing`` alerts.

Every alert has a stable key (``alert_keys``): kind, touchpoint (or check), KPI and the period it is
about (for a streak: the period it began), so a scheduled run can send each alert exactly once.

Severity: ``warning`` for a change for the worse (direction aware), ``info`` for one for the
better; a worsened crossing into off target is ``critical``; a data-quality alert is ``warning``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.formatting import current_language, number_text
from metrics.i18n import N_, tr, tr_n
from metrics.registry import KpiRegistry, kpi_directions
from metrics.status import STATUS_SEVERITY, Status, classify_frame
from metrics.trust import TrustState

__all__ = ["alert_keys", "BACK_ON_TARGET", "CHECK_FAILING", "compute_alerts", "DATA_QUALITY",
    "DATA_QUALITY_KINDS", "DEFAULT_THRESHOLD", "DEFAULT_WINDOW", "describe_alerts", "failing_check_alerts",
    "KIND_LABELS", "kind_label", "OFF_TARGET_STREAK", "order_alerts", "robust_z", "SEVERITY_LABELS",
    "severity_label", "TARGET_CROSSING", "target_crossings", "UNUSUAL_CHANGE", "unusual_changes"]

TARGET_CROSSING = "target_crossing"
UNUSUAL_CHANGE = "unusual_change"
DATA_QUALITY = "data_quality"
BACK_ON_TARGET = "back_on_target"
OFF_TARGET_STREAK = "off_target_streak"
CHECK_FAILING = "check_failing"
#: Alerts for data stewards (the data team), never for KPI owners.
DATA_QUALITY_KINDS = frozenset({DATA_QUALITY, CHECK_FAILING})
#: Each kind in English words; what people read is ``kind_label`` (in the current language).
KIND_LABELS = {
    TARGET_CROSSING: N_("Target crossing"), BACK_ON_TARGET: N_("Back on target"),
    UNUSUAL_CHANGE: N_("Unusual change"), OFF_TARGET_STREAK: N_("Off target for several periods"),
    DATA_QUALITY: N_("Value not trusted"), CHECK_FAILING: N_("Critical check failing"),
}
#: Each severity in English words; what people read is ``severity_label``.
SEVERITY_LABELS = {"critical": N_("critical"), "warning": N_("warning"), "info": N_("info")}
#: Who an alert is for: KPI alerts go to the touchpoint's owner, data-quality alerts to the data team.
AUDIENCE = {TARGET_CROSSING: "owner", BACK_ON_TARGET: "owner", UNUSUAL_CHANGE: "owner",  # i18n: not shown
            OFF_TARGET_STREAK: "owner", DATA_QUALITY: "data team", CHECK_FAILING: "data team"}

DEFAULT_WINDOW = 26
DEFAULT_MIN_HISTORY = 12
DEFAULT_THRESHOLD = 3.5
_MAD_FACTOR = 0.6745
_MEAN_AD_FACTOR = 1.253314

ALERT_COLUMNS = [
    "kind", "severity", "kpi_id", "period_start", "value", "previous_value",
    "status_before", "status_after", "score", "reason",
]
_JUDGED = {Status.ON_TARGET, Status.AT_RISK, Status.OFF_TARGET}
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def kind_label(kind: object) -> str:
    """An alert kind as people read it, in the current language (an unknown kind as it is)."""
    label = KIND_LABELS.get(str(kind))
    return tr(label) if label else str(kind)


def severity_label(severity: object) -> str:
    """A severity (critical, warning, info) as people read it, in the current language."""
    label = SEVERITY_LABELS.get(str(severity))
    return tr(label) if label else str(severity)


def _status_word(status: Status) -> str:
    """A status inside a sentence: lower case in English ("on target"); German keeps the label's
    capitals, since its nouns are written with one ("Ziel verfehlt")."""
    return status.label.lower() if current_language() == "en" else status.label


def robust_z(history: np.ndarray | list[float], latest: float) -> float:
    """Robust z-score of ``latest`` against ``history`` (module docstring); NaN when undefined."""
    values = np.asarray(history, dtype="float64").reshape(1, -1)
    now = np.array([np.nan if latest is None else latest], dtype="float64")
    return float(_robust_z_rows(values, now)[0])


def _empty(keys: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=[*ALERT_COLUMNS[:3], *keys, *ALERT_COLUMNS[3:]])


@dataclass(frozen=True)
class _Series:
    """Many series in one frame, ordered by period: which series each row is, how far from its end."""

    ordered: pd.DataFrame  # rows sorted by period_start
    group: np.ndarray  # per row: its series (0 .. n-1, in key order)
    from_end: np.ndarray  # per row: 0 for its series' latest period, 1 for the one before, ...
    names: pd.Index  # per series: its key values (keys..., kpi_id)
    sizes: np.ndarray  # per series: its number of rows

    @classmethod
    def of(cls, series: pd.DataFrame, keys: list[str]) -> _Series:
        # Stable: a series already in period order (the loaders' frames are) is taken as it is,
        # without a sorted copy of every column (411,210 rows of My touchpoints at 100 M fact rows:
        # about 80 MB; #19: memory). The alerts do not depend on the order within a period.
        ordered = series.sort_values("period_start", kind="stable")
        groups = ordered.groupby([*keys, "kpi_id"], sort=True, dropna=False)
        sizes = groups.size()
        return cls(ordered, groups.ngroup().to_numpy(), groups.cumcount(ascending=False).to_numpy(),
                   sizes.index, sizes.to_numpy())

    def idents(self, series: np.ndarray, keys: list[str]) -> list[dict[str, object]]:
        """The key values (keys..., kpi_id) of the given series, in their order: the index's
        values taken at once (one MultiIndex look-up per series cost more than the alert's words)."""
        return [_key_values(name, keys) for name in self.names[series]]

    def at(self, back: int) -> np.ndarray:
        """Per series: position in ``ordered`` of the row ``back`` periods before its latest (-1: none)."""
        out = np.full(len(self.sizes), -1)
        out[self.group[self.from_end == back]] = np.flatnonzero(self.from_end == back)
        return out


def _key_values(group_key: object, keys: list[str]) -> dict[str, object]:
    values = group_key if isinstance(group_key, tuple) else (group_key,)
    return dict(zip([*keys, "kpi_id"], values, strict=True))


def target_crossings(series: pd.DataFrame, registry: KpiRegistry, keys: list[str]) -> pd.DataFrame:
    """One row per series whose latest status differs from the previous judged one."""
    return _target_crossings(_Series.of(series, keys), registry, keys)


def _target_crossings(index: _Series, registry: KpiRegistry, keys: list[str]) -> pd.DataFrame:
    ordered = index.ordered
    if ordered.empty:
        return _empty(keys)
    latest, previous = index.at(0), index.at(1)
    # Only the rows compared are classified: a series' latest and the one before (an owner's
    # 27 months are about 411,000 rows at 100 M fact rows, of which these are a fourteenth; #19).
    looked_at = np.unique(np.concatenate([latest, previous[previous >= 0]]))
    compared = ordered.iloc[looked_at]
    status = np.full(len(ordered), Status.NO_DATA.value, dtype=object)  # never a crossing
    status[looked_at] = classify_frame(compared, kpi_directions(compared["kpi_id"], registry)).to_numpy()
    judged = [s.value for s in _JUDGED]
    before, after = status[previous], status[latest]
    crossing = (previous >= 0) & np.isin(before, judged) & np.isin(after, judged) & (before != after)
    crossed = np.flatnonzero(crossing)
    if crossed.size == 0:
        return _empty(keys)
    idents = index.idents(crossed, keys)
    period_start = ordered["period_start"].iloc[latest[crossed]].tolist()
    value = ordered["value"].iloc[latest[crossed]].tolist()
    previous_value = ordered["value"].iloc[previous[crossed]].tolist()
    target = ordered["target"].iloc[latest[crossed]].tolist()
    # Values worded a KPI at a time (KpiRegistry.format_each: the same words as ``format``; an owner's
    # thousands of series at 100 M fact rows cross by the thousand; #19).
    kpi_ids = pd.Series([ident["kpi_id"] for ident in idents], dtype=object)
    words = [registry.format_each(kpi_ids, pd.Series(column)) for column in (previous_value, value, target)]
    rows = []
    for i, (g, ident) in enumerate(zip(crossed, idents, strict=True)):
        kpi = registry[str(ident["kpi_id"])]
        was, now = Status(before[g]), Status(after[g])
        worse = STATUS_SEVERITY[now] < STATUS_SEVERITY[was]
        severity = ("critical" if now is Status.OFF_TARGET else "warning") if worse else "info"
        kind = BACK_ON_TARGET if now is Status.ON_TARGET else TARGET_CROSSING
        reason = tr("{kpi} went from {before} to {after}: {previous} → {value} against a target of "
                    "{target}").format(
            kpi=kpi.name, before=_status_word(was), after=_status_word(now),
            previous=words[0][i], value=words[1][i], target=words[2][i])
        rows.append({
            "kind": kind, "severity": severity, **ident,
            "period_start": period_start[i], "value": value[i],
            "previous_value": previous_value[i], "status_before": was.value,
            "status_after": now.value, "score": np.nan, "reason": reason,
        })
    return pd.DataFrame(rows)


def unusual_changes(
    series: pd.DataFrame,
    registry: KpiRegistry,
    keys: list[str],
    window: int = DEFAULT_WINDOW,
    min_history: int = DEFAULT_MIN_HISTORY,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """One row per series whose latest value is unusual against its own recent history.

    All series at once: each one's previous ``window`` values become a row of a matrix (NaN where
    the series is shorter), so median, MAD and mean AD are numpy calls along rows; reasons are
    written only for the series that alert.
    """
    return _unusual_changes(_Series.of(series, keys), registry, keys, window, min_history, threshold)


def _unusual_changes(
    index: _Series, registry: KpiRegistry, keys: list[str], window: int, min_history: int, threshold: float
) -> pd.DataFrame:
    ordered, group, from_end, sizes = index.ordered, index.group, index.from_end, index.sizes
    if ordered.empty:
        return _empty(keys)
    values = ordered["value"].astype("float64").to_numpy()
    latest_at = index.at(0)
    history = np.full((len(sizes), window), np.nan)  # oldest first, newest in the last column
    in_window = (from_end >= 1) & (from_end <= window)
    history[group[in_window], window - from_end[in_window]] = values[in_window]
    z = _robust_z_rows(history, values[latest_at])
    counted = np.count_nonzero(~np.isnan(history), axis=1)
    with warnings.catch_warnings():  # a series without history has no median: no alert
        warnings.simplefilter("ignore", RuntimeWarning)
        effect = np.abs(values[latest_at] - np.nanmedian(history, axis=1))
    # One registry look-up per KPI, taken by each series' code (#19: tens of thousands of series).
    kpi_codes, kpi_ids = pd.factorize(index.names.get_level_values("kpi_id"), use_na_sentinel=False)
    floors = np.array([registry[str(k)].effect_floor for k in kpi_ids], dtype="float64")[kpi_codes]
    large = np.nan_to_num(effect, nan=0.0) >= floors - 1e-9 * np.maximum(1.0, floors)
    alerting = np.flatnonzero((counted >= min_history) & ~np.isnan(z) & (np.abs(z) >= threshold) & large)
    if alerting.size == 0:
        return _empty(keys)
    rows = []
    for g, ident in zip(alerting, index.idents(alerting, keys), strict=True):
        kpi = registry[str(ident["kpi_id"])]
        latest, score = values[latest_at[g]], float(z[g])
        better = (score > 0) == kpi.higher_is_better
        typical = float(np.nanmedian(history[g]))
        text = (tr("{kpi} rose to {value}, unusual against its last {count} periods (typical {typical}; "
                   "robust z = {z})") if score > 0 else
                tr("{kpi} fell to {value}, unusual against its last {count} periods (typical {typical}; "
                   "robust z = {z})"))
        reason = text.format(kpi=kpi.name, value=kpi.format(latest), count=min(sizes[g] - 1, window),
                             typical=kpi.format(typical), z=number_text(score, 1, signed=True))
        rows.append({
            "kind": UNUSUAL_CHANGE, "severity": "info" if better else "warning", **ident,
            "period_start": ordered["period_start"].iloc[latest_at[g]], "value": latest,
            "previous_value": history[g, -1] if sizes[g] > 1 else np.nan,
            "status_before": None, "status_after": None, "score": score, "reason": reason,
        })
    return pd.DataFrame(rows)


def _robust_z_rows(history: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """``robust_z`` per row of ``history`` (NaN = no value) against ``latest``."""
    with warnings.catch_warnings():  # rows without any value give NaN, which is the answer
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(history, axis=1)
        spread = np.abs(history - median[:, None])
        mad = np.nanmedian(spread, axis=1)
        mean_ad = np.nanmean(spread, axis=1)
        by_mad = _MAD_FACTOR * (latest - median) / mad
        by_mean = (latest - median) / (_MEAN_AD_FACTOR * mean_ad)
    return np.where(mad > 0, by_mad, np.where(mean_ad > 0, by_mean, np.nan))


def compute_alerts(
    series: pd.DataFrame,
    registry: KpiRegistry,
    keys: list[str],
    window: int = DEFAULT_WINDOW,
    min_history: int = DEFAULT_MIN_HISTORY,
    threshold: float = DEFAULT_THRESHOLD,
    streak: int | None = None,
    latest: object = None,
) -> pd.DataFrame:
    """Target crossings, unusual changes, off-target streaks of ``streak`` or more periods (when
    given) and data-quality alerts together, most severe first (``order_alerts``).

    Values that are not trusted count as missing for the KPI alerts (module docstring). ``latest``:
    the period alerts are raised for, the frame's latest unless given; a series read in parts (by
    touchpoint) passes the latest period of all parts, so each part alerts as the whole would.
    """
    untrusted = _untrusted(series)
    trusted_only = series.assign(value=series["value"].where(~untrusted))
    index = _Series.of(trusted_only, keys)  # sorted and grouped once for both kinds
    frames = [
        _target_crossings(index, registry, keys),
        _unusual_changes(index, registry, keys, window, min_history, threshold),
        _data_quality(series[untrusted], registry, keys),
        _streaks(series, registry, keys, streak),
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _empty(keys)
    alerts = pd.concat(frames, ignore_index=True)
    latest = pd.to_datetime(series["period_start"]).max() if latest is None else pd.Timestamp(latest)
    return order_alerts([alerts[pd.to_datetime(alerts["period_start"]) == latest]], keys)


def order_alerts(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """``compute_alerts``' frames (of parts of one series) as one, most severe first; within a
    severity the strongest (largest |score|; none counts as strongest) first, then by kind, series
    keys and KPI, so the order does not depend on how the series was read."""
    frames = [f for f in frames if not f.empty] or frames[:1] or [_empty(keys)]
    alerts = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    alerts = alerts.assign(since=alerts["since"] if "since" in alerts.columns else pd.NaT)
    first = ["kind", "severity", *keys, "kpi_id", *ALERT_COLUMNS[3:]]  # whichever kind came first
    alerts = alerts[[c for c in first if c in alerts.columns] + [c for c in alerts.columns if c not in first]]
    order = alerts["severity"].map(_SEVERITY_ORDER)
    strength = alerts["score"].astype("float64").abs().fillna(np.inf)
    return (
        alerts.assign(_order=order, _strength=-strength)
        .sort_values(["_order", "_strength", "kind", *keys, "kpi_id"], kind="stable")
        .drop(columns=["_order", "_strength"])
        .reset_index(drop=True)
    )


def _streaks(series: pd.DataFrame, registry: KpiRegistry, keys: list[str],
             streak: int | None) -> pd.DataFrame:
    """Series off target for ``streak`` or more consecutive periods (metrics/streaks.py)."""
    from metrics.streaks import streak_runs  # a sibling module; imported here to keep load light

    if streak is None or streak < 1:
        return _empty(keys)
    runs = streak_runs(series, keys, registry)
    runs = runs[runs["periods"] >= streak]
    rows = []
    for row in runs.to_dict("records"):
        kpi = registry[str(row["kpi_id"])]
        rows.append({
            "kind": OFF_TARGET_STREAK, "severity": "critical", "kpi_id": row["kpi_id"],
            **{k: row[k] for k in keys}, "period_start": row["period_start"], "value": row["value"],
            "previous_value": np.nan, "status_before": Status.OFF_TARGET.value,
            "status_after": Status.OFF_TARGET.value, "score": np.nan, "since": row["since"],
            "reason": _streak_reason(kpi.name, int(row["periods"]), f"{pd.Timestamp(row['since']):%Y-%m-%d}",
                                     kpi.format(row["value"]), kpi.format(row["target"])),
        })
    return pd.DataFrame(rows) if rows else _empty(keys)


def _streak_reason(kpi: str, periods: int, since: str, value: str, target: str) -> str:
    # English reads "periods" for any count (1 only when the streak setting is 1); German has a singular.
    return tr_n("{kpi} has been off target for {count} periods in a row (since {since}): {value} against "
                "a target of {target}",
                "{kpi} has been off target for {count} periods in a row (since {since}): {value} against "
                "a target of {target}", periods).format(kpi=kpi, count=periods, since=since, value=value,
                                                        target=target)


def failing_check_alerts(results: pd.DataFrame) -> pd.DataFrame:
    """One ``check_failing`` alert per failing (or erroring) critical check of a run.

    ``results``: check_id, name, table_name, severity, outcome, reason and failing_since (when its
    current run of failures began, the period the alert is about, so it is sent once per failure).
    """
    columns = ["kind", "severity", "check_id", "check", "table_name", "period_start", "reason"]
    failing = results[results["outcome"].ne("passed") & results["severity"].eq("critical")]
    rows = [{
        "kind": CHECK_FAILING, "severity": "critical", "check_id": r["check_id"], "check": r["name"],
        "table_name": r["table_name"], "period_start": r.get("failing_since"),
        "reason": tr("The critical check {check} on {table} fails: {reason}").format(
            check=r["name"], table=r["table_name"], reason=r["reason"]),
    } for r in failing.to_dict("records")]
    return pd.DataFrame(rows, columns=columns)


def alert_keys(alerts: pd.DataFrame) -> pd.Series:
    """A stable key per alert: the same alert on the same data gets the same key on every run."""
    def key(row: dict[str, object]) -> str:
        kind = str(row["kind"])
        when = row.get("since") if kind == OFF_TARGET_STREAK else row.get("period_start")
        day = "" if when is None or pd.isna(when) else f"{pd.Timestamp(when):%Y-%m-%dT%H:%M:%S}"
        subject = row.get("check_id") if kind == CHECK_FAILING else row.get("touchpoint_id")
        kpi = "" if kind == CHECK_FAILING else row.get("kpi_id")
        return ":".join(str(part) for part in (kind, subject, kpi, day))
    return pd.Series([key(r) for r in alerts.to_dict("records")], index=alerts.index, dtype="str")


def _untrusted(series: pd.DataFrame) -> pd.Series:
    if "trust" not in series.columns:
        return pd.Series(False, index=series.index)
    return series["trust"].eq(TrustState.NOT_TRUSTED.value)


def _data_quality(untrusted: pd.DataFrame, registry: KpiRegistry, keys: list[str]) -> pd.DataFrame:
    """One alert per series whose value is not trusted (only the latest period's survive)."""
    if untrusted.empty:
        return _empty(keys)
    rows = []
    for row in untrusted.to_dict("records"):
        kpi = registry[str(row["kpi_id"])]
        rows.append({
            "kind": DATA_QUALITY, "severity": "warning", "kpi_id": row["kpi_id"],
            **{k: row.get(k) for k in keys}, "period_start": row["period_start"], "value": row["value"],
            "previous_value": np.nan, "status_before": None, "status_after": Status.NOT_TRUSTED.value,
            "score": np.nan,
            "reason": tr("{kpi} is not trusted in this period, so no KPI alert was raised for it: "
                         "{reason}").format(
                kpi=kpi.name, reason=row.get("trust_reason") or tr("a critical data-quality check fails")),
        })
    return pd.DataFrame(rows)


def describe_alerts(alerts: pd.DataFrame, touchpoints: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    """Alerts with the touchpoint's name, journey and owner and the KPI's name, for people."""
    info = touchpoints[["touchpoint_id", "name", "journey_id", "owner"]].rename(
        columns={"name": "touchpoint", "owner": "touchpoint_owner"})
    out = alerts.merge(info, on="touchpoint_id", how="left")
    out["kpi"] = out["kpi_id"].map(lambda k: registry[k].name if k in registry else k)
    return out
