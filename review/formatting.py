"""How review figures read in tables, slides and the PDF: numbers, differences, status, trust."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from metrics.formatting import (
    MISSING,
    is_missing,
    kpi_change_text,
    kpi_change_texts,
    kpi_value_text,
    kpi_value_texts,
)
from metrics.i18n import N_, tr
from metrics.judgement import status_text as judged_status_text
from metrics.model import Direction
from metrics.status import Status, classify
from metrics.trust import TrustEvidence
from review._figures import OTHER_FIGURES, Trust

__all__ = ["comment_lines", "differences_table", "figure_label", "figure_name", "figure_names",
    "figure_table", "figure_value", "figure_values", "format_value", "history_table", "journey_summary",
    "readable_time", "shown_columns", "status_text", "trust_notes"]

#: A figure's trust state in words (read in the current language by ``trust_text``).
TRUST_LABELS: dict[str, str] = {
    Trust.TRUSTED.value: N_("Trusted"),
    Trust.NOT_TRUSTED.value: N_("Not trusted"),
    Trust.UNCHECKED.value: N_("Unchecked"),
    Trust.UNKNOWN.value: N_("Trust unknown"),
}


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
        return tr("No target")
    behind = None
    if status == Status.NOT_TRUSTED.value and direction:
        behind = classify(value, target, tolerance, Direction(direction)).value
    return judged_status_text(status, behind)


def trust_text(trust: str) -> str:
    return tr(TRUST_LABELS[trust]) if trust in TRUST_LABELS else trust


#: Columns of figure_table: the keys code uses (English); ``shown_columns`` gives the headings.
TABLE_COLUMNS: tuple[str, ...] = (N_("Figure"), N_("This quarter"), N_("Target"), N_("Status"), N_("Trust"),
                                  N_("Previous quarter"), N_("Δ previous"), N_("Last year"),
                                  N_("Δ last year"))


def shown_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its (English, marked) column keys as headings in the current language."""
    return table.rename(columns={c: tr(c) for c in table.columns if isinstance(c, str)})


def figure_name(row: Mapping[Hashable, Any]) -> str:
    """The figure's name as shown: a KPI's name as stored; the review's own figures (budget, the
    moment-of-truth share), stored in English, in the current language."""
    figure_id = str(row["figure_id"])
    if figure_id in OTHER_FIGURES:
        return tr(OTHER_FIGURES[figure_id][0])
    return str(row["figure_name"])


def figure_names(figures: pd.DataFrame) -> dict[str, str]:
    """figure_id -> figure_name (as shown) of ``figures``."""
    rows = figures[["figure_id", "figure_name"]].to_dict("records")
    return {str(r["figure_id"]): figure_name(r) for r in rows}


def figure_label(row: Mapping[Hashable, Any]) -> str:
    name = figure_name(row)
    touchpoint = str(row.get("touchpoint_name") or "")
    if row["figure_id"] == "mot_on_target":
        return name
    return tr("MoT {touchpoint}: {name}").format(touchpoint=touchpoint, name=name) if touchpoint else name


#: The columns ``figure_table`` reads of a figures row.
_TABLE_READS = ("figure_id", "figure_name", "touchpoint_name", "unit", "scale", "status", "value", "target",
                "tolerance", "direction", "trust", "previous_value", "vs_previous", "last_year_value",
                "vs_last_year")


def figure_values(figures: pd.DataFrame, column: str, signed: bool = False) -> list[str]:
    """``figure_value`` of each row of ``figures``, worded a unit and scale at a time
    (metrics.formatting.kpi_value_texts): the same strings, for the thousands of moments of truth
    of a large warehouse (#19). Rows without a scale are worded one by one, as before."""
    if column not in figures:
        return [MISSING] * len(figures)
    values = [v.item() if isinstance(v, np.generic) else v for v in figures[column].tolist()]  # as to_dict
    units = [str(u) for u in figures["unit"].tolist()]
    scales = figures["scale"].tolist() if "scale" in figures else [None] * len(figures)
    texts = [""] * len(values)
    groups: dict[tuple[str, float], list[int]] = {}
    for at, (value, unit, scale) in enumerate(zip(values, units, scales, strict=True)):
        if scale is None or is_missing(scale):
            texts[at] = format_value(value, unit, signed, scale=scale)
        else:
            groups.setdefault((unit, float(scale)), []).append(at)
    for (unit, scale), rows in groups.items():
        mine = [values[at] for at in rows]
        words = kpi_change_texts(mine, unit, scale) if signed else kpi_value_texts(mine, unit, scale)
        for at, word in zip(rows, words, strict=True):
            texts[at] = word
    return texts


def figure_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One journey's figures as text, in the order shown everywhere (TABLE_COLUMNS)."""
    read = [c for c in _TABLE_READS if c in figures.columns]  # to_dict of every column cost as much again
    labels, statuses, trusts = [], [], []
    for row in figures[[c for c in read if c in _ROW_READS]].to_dict("records"):
        labels.append(figure_label(row))
        statuses.append(status_text(str(row["status"]), row["value"], row["target"], row["tolerance"],
                                    row["direction"]))
        trusts.append(trust_text(str(row["trust"])))
    columns = [labels, figure_values(figures, "value"), figure_values(figures, "target"), statuses, trusts,
               figure_values(figures, "previous_value"), figure_values(figures, "vs_previous", signed=True),
               figure_values(figures, "last_year_value"), figure_values(figures, "vs_last_year", signed=True)]
    return pd.DataFrame(list(zip(*columns, strict=True)), columns=list(TABLE_COLUMNS))


#: The columns ``figure_table`` still reads row by row (label, status, trust).
_ROW_READS = ("figure_id", "figure_name", "touchpoint_name", "status", "value", "target", "tolerance",
              "direction", "trust")


def differences_table(differences: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose live value now differs from the frozen one, as text: Journey, Figure, Frozen, Live
    now (headings in the current language)."""
    key = ["journey_id", "section", "touchpoint_id", "figure_id"]
    meta = figures[[*key, "journey_name", "touchpoint_name", "unit", "scale"]]
    rows = differences.merge(meta, on=key, how="left").fillna({"unit": "count", "journey_name": ""})
    return pd.DataFrame({
        tr("Journey"): rows["journey_name"].astype(str),
        tr("Figure"): [figure_label(r) for r in rows.to_dict("records")],
        tr("Frozen"): [figure_value(r, "frozen_value") for r in rows.to_dict("records")],
        tr("Live now"): [figure_value(r, "value_live") for r in rows.to_dict("records")],
    })


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """A comment's versions as text: Version, Saved at, Author, Decision, Text (headings in the
    current language)."""
    yes, no = tr("Yes"), tr("No")
    return pd.DataFrame({
        tr("Version"): history["version"].astype(str),
        tr("Saved at"): history["saved_at"].astype(str).map(readable_time),
        tr("Author"): history["author"].astype(str),
        tr("Decision"): history["decision"].map(lambda d: yes if bool(d) else no),
        tr("Text"): history["text"].astype(str),
    })


def comment_lines(comments: pd.DataFrame, journey_id: str, figure_names: dict[str, str]) -> list[str]:
    """'Journey: text (author, time)' and 'CSAT: text (...)' lines for one journey."""
    if comments is None or comments.empty:
        return []
    mine = comments[(comments["journey_id"] == journey_id) & comments["text"].astype(str).str.strip().ne("")]
    lines = []
    for row in mine.sort_values("kpi_id").to_dict("records"):
        about = figure_names.get(str(row["kpi_id"]), str(row["kpi_id"])) if row["kpi_id"] else tr("Journey")
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
    return out.reindex(names, fill_value=0).rename_axis(tr("Journey")).reset_index()


#: How a figure's trust reason is introduced, by its trust state: only failing checks make a figure
#: "not trusted"; no check run yet is "unchecked", an unreadable history "trust unknown".
#: metrics.trust's own reasons: no check run yet, and the unreadable history (without its detail).
UNCHECKED_REASON = TrustEvidence.unchecked().blanket_reason()
UNKNOWN_REASON = TrustEvidence.unknown("").blanket_reason().removesuffix(".")
_TRUST_NOTE_PREFIX = {"not_trusted": N_("⊘ Not trusted: {reason}"), "unchecked": N_("Unchecked: {reason}"),
                      "unknown": N_("Trust unknown: {reason}")}
#: Notes whose reason is one of metrics.trust's own sentences, written whole so they read in the
#: current language. The reason is stored in English (figures frames, closed quarters' snapshots);
#: it is put into words here, when shown. Each English text equals prefix + reason exactly.
_KNOWN_NOTES = {
    ("unchecked", UNCHECKED_REASON): N_(
        "Unchecked: No data-quality check has run yet: this value is unchecked."),
    ("unknown", UNKNOWN_REASON + "."): N_(
        "Trust unknown: The data-quality history cannot be read, so whether this value can be trusted is "
        "unknown."),
    ("not_trusted", "a critical data-quality check failed"): N_(  # i18n: not shown (the key)
        "⊘ Not trusted: a critical data-quality check failed"),
}
_UNKNOWN_WITH_DETAIL = N_("Trust unknown: The data-quality history cannot be read, so whether this value "
                          "can be trusted is unknown: {detail}")


def _trust_note(trust: str, reason: str) -> str:
    known = _KNOWN_NOTES.get((trust, reason))
    if known:
        return tr(known)
    if trust == "unknown" and reason.startswith(UNKNOWN_REASON + ": "):
        return tr(_UNKNOWN_WITH_DETAIL).format(detail=reason[len(UNKNOWN_REASON) + 2:])
    prefix = _TRUST_NOTE_PREFIX.get(trust)
    return tr(prefix).format(reason=reason) if prefix else reason


def trust_notes(figures: pd.DataFrame) -> list[str]:
    """One line per distinct trust reason of these figures, introduced by their own trust state."""
    if figures.empty or "trust_reason" not in figures:
        return []
    noted = figures[figures["trust_reason"].astype(str).str.strip().ne("")]
    lines = [_trust_note(str(trust), str(reason))
             for trust, reason in zip(noted["trust"], noted["trust_reason"], strict=True)]
    return list(dict.fromkeys(lines))
