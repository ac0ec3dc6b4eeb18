"""What a failing check touches: its KPIs, journeys and touchpoints, and since which data date.

Read from a run's stored scopes (checks/_scoping.py): a scope names a place (journey, stage or
touchpoint; none = every place), a KPI (none = every KPI) and the first and last date of the
failing rows (none = not dated). So "failing since" is the first *data date* that is wrong, not
the first check run that noticed; a check whose failing rows carry no date (a duplicate journey
id, a stale touchpoint) has no data date, and the page says when a run first saw it instead.

Pure: frames in, one frame out; names come from the dimension frames given.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from checks.catalogue import CHECKS_BY_ID, Outcome
from metrics.formatting import number_text
from metrics.i18n import N_, tr, tr_n

__all__ = ["ALL", "check_impact", "plain_reason"]

#: Shown (in the current language) where a scope leaves a place or KPI open: the check concerns all of them.
ALL = N_("all")

IMPACT_COLUMNS: tuple[str, ...] = ("check_id", "kpis", "journeys", "touchpoints", "data_since",
                                   "data_until")


def check_impact(
    scopes: pd.DataFrame,
    touchpoints: pd.DataFrame,
    stages: pd.DataFrame,
    journeys: pd.DataFrame,
    kpi_names: dict[str, str],
) -> pd.DataFrame:
    """One row per check with scopes: kpis, journeys, touchpoints (names, comma-separated; ALL
    when a scope leaves them open), data_since and data_until (first and last failing data date,
    None when the failing rows are not dated).

    scopes: check_id, journey_id, stage_id, touchpoint_id, kpi_id, date_from, date_to (history.run_scopes).
    touchpoints: touchpoint_id, journey_id, name; stages: stage_id, journey_id; journeys: journey_id, name.
    """
    if scopes.empty:
        return pd.DataFrame(columns=list(IMPACT_COLUMNS))
    tp_name = dict(zip(touchpoints["touchpoint_id"], touchpoints["name"], strict=False))
    tp_journey = dict(zip(touchpoints["touchpoint_id"], touchpoints["journey_id"], strict=False))
    stage_journey = dict(zip(stages["stage_id"], stages["journey_id"], strict=False))
    journey_name = dict(zip(journeys["journey_id"], journeys["name"], strict=False))
    rows = []
    for check_id, group in scopes.groupby("check_id", sort=True):
        places = group[["journey_id", "stage_id", "touchpoint_id"]].astype(object)
        open_place = places.isna().all(axis=1).any()
        journey_ids = [_first(j, stage_journey.get(s), tp_journey.get(t))
                       for j, s, t in places.itertuples(index=False)]
        since, until = _dates(group["date_from"]), _dates(group["date_to"])
        rows.append({
            "check_id": check_id,
            "kpis": _names(group["kpi_id"], kpi_names, group["kpi_id"].isna().any()),
            "journeys": _names(pd.Series(journey_ids, dtype=object), journey_name, open_place),
            "touchpoints": _names(group["touchpoint_id"], tp_name, open_place),
            "data_since": min(since) if since else None,
            "data_until": max(until) if until else None,
        })
    return pd.DataFrame(rows, columns=list(IMPACT_COLUMNS))


def _first(*values: object) -> object:
    return next((v for v in values if v is not None and not pd.isna(v)), None)


def _names(ids: pd.Series, names: dict[str, str], everything: bool) -> str:
    """Readable names of the ids (the id where no name is known), or ALL."""
    if everything:
        return tr(ALL)
    known = [str(names.get(str(i), i)) for i in ids.dropna().astype(str).unique()]
    return ", ".join(sorted(known)) if known else tr(ALL)


def _dates(values: Iterable[object]) -> list[pd.Timestamp]:
    parsed = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")
    return [pd.Timestamp(v) for v in parsed.dropna()]


def plain_reason(check_id: str, outcome: str, failing_count: int, table: str) -> str:
    """The failure in plain words: how many rows break which rule (the check's description).

    The stored reason (with the Great Expectations expectation behind it) stays available as the
    detail; this is the sentence a data steward reads first.
    """
    check = CHECKS_BY_ID.get(check_id)
    rule = check.explanation if check is not None else tr("its rule")
    if outcome == Outcome.ERROR.value:
        return tr("Could not be checked, so nobody knows whether this holds: {rule}").format(rule=rule)
    if failing_count <= 0:
        return tr("Broken: {rule}").format(rule=rule)
    if table == "touchpoint_kpis":
        text = tr_n("{count} fact row breaks this rule: {rule}", "{count} fact rows break this rule: {rule}",
                    failing_count)
    else:
        text = tr_n("{count} row breaks this rule: {rule}", "{count} rows break this rule: {rule}",
                    failing_count)
    return text.format(count=number_text(failing_count), rule=rule)
