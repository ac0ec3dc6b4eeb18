"""The actions section of a quarterly pack: what owners do about their KPIs, and whether it works.

``actions`` frames are owners' actions (connectors.actions) joined with their judged before/after
values (metrics.action_effects) and ``journey_id``, ``touchpoint_name``, ``kpi_name``; ui/actions.py
builds them. The pack writers and the page call these two functions, so every place words an
action the same way.
"""

from __future__ import annotations

import pandas as pd

from metrics.formatting import date_text

__all__ = ["action_lines", "actions_table", "ACTIONS_TABLE_COLUMNS"]

#: Column -> heading of the actions table (page and pack).
ACTIONS_TABLE_COLUMNS: dict[str, str] = {
    "touchpoint_name": "Touchpoint",
    "kpi_name": "KPI",
    "what": "Action",
    "who": "Who",
    "due_text": "Due",
    "status": "Status",
    "started_text": "Started",
    "before_text": "Before start",
    "after_text": "Since start",
    "target_text": "Target",
    "effect": "Effect",
}


def actions_table(actions: pd.DataFrame, journey_id: str | None = None) -> pd.DataFrame:
    """The actions (of one journey, or all) as a table with readable headings, due date first."""
    rows = actions if journey_id is None else actions[actions["journey_id"] == journey_id]
    rows = rows.assign(due_text=rows["due"].map(_date), started_text=rows["started"].map(_date))
    return rows.sort_values(["due", "action_id"])[list(ACTIONS_TABLE_COLUMNS)].rename(
        columns=ACTIONS_TABLE_COLUMNS).reset_index(drop=True)


def action_lines(actions: pd.DataFrame, journey_id: str) -> list[str]:
    """One sentence per action of the journey, for packs that print text."""
    return [
        f"{r.touchpoint_name}, {r.kpi_name}: {r.what} — {r.who}, due {_date(r.due)}, {r.status}. "
        f"Before the start ({_date(r.started)}): {r.before_text}; since: {r.after_text}; target "
        f"{r.target_text}. Effect: {r.effect}."
        for r in actions[actions["journey_id"] == journey_id].sort_values(["due", "action_id"]).itertuples()
    ] if len(actions) else []


def _date(value: object) -> str:
    return date_text(value)
