"""How review figures read in tables, slides and the PDF: numbers, differences, status, trust."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from metrics.judgement import status_text as judged_status_text
from metrics.model import Direction
from metrics.status import STATUS_LABELS, Status, classify
from review._figures import Trust

__all__ = ["comment_lines", "figure_label", "figure_table", "format_value", "journey_summary",
    "readable_time", "status_text"]

TRUST_LABELS: dict[str, str] = {state.value: state.label for state in Trust}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, signed: bool = False, compact: bool = False) -> str:
    """'25.0%', '4.00', '+12', '€3,300', '1,000', '95 s'; '–' for no value.

    ``compact`` shortens large money and counts for big type: '€1.53 M', '148k'.
    """
    if _missing(value):
        return "–"
    assert value is not None
    sign = "+" if signed else ""
    if compact and unit in ("currency", "count") and abs(value) >= 10_000:
        scaled, suffix = (value / 1e6, " M") if abs(value) >= 1e6 else (value / 1e3, "k")
        return ("€" if unit == "currency" else "") + f"{scaled:{sign}.3g}{suffix}"
    if unit == "percent":
        return f"{value:{sign},.1f}" + ("pp" if signed else "%")
    if unit == "currency":
        return ("-" if value < 0 else ("+" if signed else "")) + f"€{abs(value):,.0f}"
    if unit == "count":
        return f"{value:{sign},.0f}"
    if unit == "seconds":
        return f"{value:{sign},.0f} s"
    if abs(value) >= 10:  # NPS-like scores are whole points
        return f"{value:+.0f}"
    return f"{value:{sign}.2f}"


def status_text(status: str, value: float | None, target: float | None,
                tolerance: float | None = None, direction: str | None = None) -> str:
    """The label every page uses (metrics.judgement.status_text): '● On target', '⊘ On target?'
    for a figure that is not trusted (its status against target recomputed from the figure, as
    snapshots keep only the shown status); a value without a target reads 'No target'."""
    if status == Status.NO_DATA.value and not _missing(value) and _missing(target):
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
        unit = str(row["unit"])
        rows.append((
            figure_label(row),
            format_value(row["value"], unit),
            format_value(row["target"], unit),
            status_text(str(row["status"]), row["value"], row["target"], row["tolerance"], row["direction"]),
            trust_text(str(row["trust"])),
            format_value(row["previous_value"], unit),
            format_value(row["vs_previous"], unit, signed=True),
            format_value(row["last_year_value"], unit),
            format_value(row["vs_last_year"], unit, signed=True),
        ))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


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
    out = pd.DataFrame({STATUS_LABELS[s]: counts.get(s.value, 0) for s in order})
    names = list(dict.fromkeys(figures["journey_name"]))
    return out.reindex(names, fill_value=0).rename_axis("Journey").reset_index()
