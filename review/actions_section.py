"""The actions section of a quarterly pack: what owners do about their KPIs, and whether it works.

``actions`` frames are owners' actions (connectors.actions) joined with their judged before/after
values (metrics.action_effects) and ``journey_id``, ``touchpoint_name``, ``kpi_name``; ui/actions.py
builds them. The pack writers and the page call these two functions, so every place words an
action the same way.
"""

from __future__ import annotations

import pandas as pd

from metrics.formatting import date_text
from metrics.i18n import N_, tr

__all__ = ["action_lines", "actions_table", "ACTIONS_TABLE_COLUMNS"]

#: Column -> heading of the actions table (page and pack), in English; the table's headings read
#: ``tr(heading)``, in the current language.
ACTIONS_TABLE_COLUMNS: dict[str, str] = {
    "touchpoint_name": N_("Touchpoint"),
    "kpi_name": N_("KPI"),
    "what": N_("Action"),
    "who": N_("Who"),
    "due_text": N_("Due"),
    "status": N_("Status"),
    "started_text": N_("Started"),
    "before_text": N_("Before start"),
    "after_text": N_("Since start"),
    "target_text": N_("Target"),
    "effect": N_("Effect"),
}


def actions_table(actions: pd.DataFrame, journey_id: str | None = None) -> pd.DataFrame:
    """The actions (of one journey, or all) as a table with readable headings (in the current
    language: ``tr(ACTIONS_TABLE_COLUMNS[column])``), due date first."""
    rows = actions if journey_id is None else actions[actions["journey_id"] == journey_id]
    rows = rows.assign(due_text=rows["due"].map(_date), started_text=rows["started"].map(_date))
    headings = {column: tr(heading) for column, heading in ACTIONS_TABLE_COLUMNS.items()}
    return rows.sort_values(["due", "action_id"])[list(ACTIONS_TABLE_COLUMNS)].rename(
        columns=headings).reset_index(drop=True)


def action_lines(actions: pd.DataFrame, journey_id: str) -> list[str]:
    """One sentence per action of the journey, for packs that print text."""
    return [
        tr("{touchpoint}, {kpi}: {what} — {who}, due {due}, {status}. Before the start ({started}): "
           "{before}; since: {after}; target {target}. Effect: {effect}.").format(
            touchpoint=r.touchpoint_name, kpi=r.kpi_name, what=r.what, who=r.who, due=_date(r.due),
            status=r.status, started=_date(r.started), before=r.before_text, after=r.after_text,
            target=r.target_text, effect=r.effect)
        for r in actions[actions["journey_id"] == journey_id].sort_values(["due", "action_id"]).itertuples()
    ] if len(actions) else []


def _date(value: object) -> str:
    return date_text(value)
