"""How review figures read in tables, slides and the PDF: numbers, differences, status, trust."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from metrics.formatting import MISSING, is_missing, kpi_change_text, kpi_value_text
from metrics.judgement import status_text as judged_status_text
from metrics.model import Direction
from metrics.status import Status, classify
from review._figures import Trust

__all__ = ["comment_lines", "differences_table", "figure_label", "figure_table", "figure_value",
    "format_value", "history_table", "journey_summary", "readable_time", "status_text", "trust_notes"]

TRUST_LABELS: dict[str, str] = {state.value: state.label for state in Trust}


def format_value(value: float | None, unit: str, signed: bool = False, compact: bool = False,
                 scale: float | None = None) -> str:
    """A figure as every page reads it (metrics.formatting): '25.0%', '4.21', '+32', '€3,300',
    '1,000', '95 s'; ``signed`` gives the change in the unit people use for it ('+2.0 pp',
    '+€11,022', '-0.12 pts'); '–' for no value, never 'None' or 'nan'.

    ``compact`` shortens large money and counts for big type: '€1.5M', '148K'. ``scale`` is the
    KPI's scale (100 for NPS-like whole-point scores); snapshots closed before figures carried it
    fall back on the size of the value."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if scale is None or is_missing(scale):
        scale = 100.0 if abs(value) >= 10 else 1.0
    if signed:
        return kpi_change_text(value, unit, scale)
    return kpi_value_text(value, unit, scale, compact=compact)


def figure_value(row: Mapping[Hashable, Any], column: str, signed: bool = False,
                 compact: bool = False) -> str:
    """``row[column]`` of a figures row in the figure's unit and scale."""
    return format_value(row.get(column), str(row["unit"]), signed, compact, row.get("scale"))


def status_text(status: str, value: float | None, target: float | None,
                tolerance: float | None = None, direction: str | None = None) -> str:
    """The label every page uses (metrics.judgement.status_text): '● On target', '⊘ On target?'
    for a figure that is not trusted (its status against target recomputed from the figure, as
    snapshots keep only the shown status); a value without a target reads 'No target'."""
    if status == Status.NO_DATA.value and not is_missing(value) and is_missing(target):
        return "No target"
    behind = None
    if status == Status.NOT_TRUSTED.value and direction:
        behind = classify(value, target, tolerance, Direction(direction)).value
    return judged_status_text(status, behind)


def trust_text(trust: str) -> str:
    return TRUST_LABELS.get(trust, trust)


TABLE_COLUMNS: tuple[str, ...] = ("Figure", "This quarter", "Target", "Status", "Trust", "Previous quarter",
                                  "Δ previous", "Last year", "Δ last year")


def figure_label(row: Mapping[Hashable, Any]) -> str:
    name = str(row["figure_name"])
    touchpoint = str(row.get("touchpoint_name") or "")
    if row["figure_id"] == "mot_on_target":
        return name
    return f"MoT {touchpoint}: {name}" if touchpoint else name


def figure_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One journey's figures as text, in the order shown everywhere (TABLE_COLUMNS)."""
    rows = []
    for row in figures.to_dict("records"):
        rows.append((
            figure_label(row),
            figure_value(row, "value"),
            figure_value(row, "target"),
            status_text(str(row["status"]), row["value"], row["target"], row["tolerance"], row["direction"]),
            trust_text(str(row["trust"])),
            figure_value(row, "previous_value"),
            figure_value(row, "vs_previous", signed=True),
            figure_value(row, "last_year_value"),
            figure_value(row, "vs_last_year", signed=True),
        ))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def differences_table(differences: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose live value now differs from the frozen one, as text: Figure, Frozen, Live now."""
    key = ["journey_id", "section", "touchpoint_id", "figure_id"]
    meta = figures[[*key, "journey_name", "touchpoint_name", "unit", "scale"]]
    rows = differences.merge(meta, on=key, how="left").fillna({"unit": "count", "journey_name": ""})
    return pd.DataFrame({
        "Journey": rows["journey_name"].astype(str),
        "Figure": [figure_label(r) for r in rows.to_dict("records")],
        "Frozen": [figure_value(r, "frozen_value") for r in rows.to_dict("records")],
        "Live now": [figure_value(r, "value_live") for r in rows.to_dict("records")],
    })


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """A comment's versions as text: Version, Saved at, Author, Decision, Text."""
    return pd.DataFrame({
        "Version": history["version"].astype(str),
        "Saved at": history["saved_at"].astype(str).map(readable_time),
        "Author": history["author"].astype(str),
        "Decision": history["decision"].map(lambda d: "Yes" if bool(d) else "No"),
        "Text": history["text"].astype(str),
    })


def comment_lines(comments: pd.DataFrame, journey_id: str, figure_names: dict[str, str]) -> list[str]:
    """'Journey: text (author, time)' and 'CSAT: text (...)' lines for one journey."""
    if comments is None or comments.empty:
        return []
    mine = comments[(comments["journey_id"] == journey_id) & comments["text"].astype(str).str.strip().ne("")]
    lines = []
    for row in mine.sort_values("kpi_id").to_dict("records"):
        about = figure_names.get(str(row["kpi_id"]), str(row["kpi_id"])) if row["kpi_id"] else "Journey"
        lines.append(f"{about}: {row['text']} ({row['author']}, {readable_time(str(row['saved_at']))})")
    return lines


def readable_time(stamped: str) -> str:
    """'2026-11-24T21:34:48+00:00' -> '2026-11-24 21:34 UTC'."""
    return stamped[:16].replace("T", " ") + " UTC" if stamped.endswith("+00:00") else stamped


def journey_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Per journey: how many judged figures are on target, at risk, off target, not trusted."""
    judged = figures[figures["target"].notna() | figures["status"].eq(Status.NOT_TRUSTED.value)]
    counts = pd.crosstab(judged["journey_name"], judged["status"])
    order = [Status.ON_TARGET, Status.AT_RISK, Status.OFF_TARGET, Status.NOT_TRUSTED]
    out = pd.DataFrame({s.label: counts.get(s.value, 0) for s in order})
    names = list(dict.fromkeys(figures["journey_name"]))
    return out.reindex(names, fill_value=0).rename_axis("Journey").reset_index()


#: How a figure's trust reason is introduced, by its trust state: only failing checks make a figure
#: "not trusted"; no check run yet is "unchecked", an unreadable history "trust unknown".
_TRUST_NOTE_PREFIX = {"not_trusted": "⊘ Not trusted: ", "unchecked": "Unchecked: ",
                      "unknown": "Trust unknown: "}


def trust_notes(figures: pd.DataFrame) -> list[str]:
    """One line per distinct trust reason of these figures, introduced by their own trust state."""
    if figures.empty or "trust_reason" not in figures:
        return []
    noted = figures[figures["trust_reason"].astype(str).str.strip().ne("")]
    lines = [_TRUST_NOTE_PREFIX.get(str(trust), "") + str(reason)
             for trust, reason in zip(noted["trust"], noted["trust_reason"], strict=True)]
    return list(dict.fromkeys(lines))
