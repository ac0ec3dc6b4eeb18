"""The executive summary that opens every pack and the presentation: journeys ranked by health
with their change, three wins, three issues and the decisions the owners marked.

Pure functions over the review's figures frame (review._figures.FIGURE_COLUMNS) and its comments,
so a closed quarter's summary comes from its snapshot exactly as the figures do.

- **Health** of a journey in the review: the mean status points (metrics.status.STATUS_POINTS: on
  target 1, at risk 0.5, off target 0) over the journey's judged figures in the pack (journey
  KPIs, KPIs at moments of truth, budget against plan), times 100. Figures that are not trusted
  or have no target are left out; nothing judged gives no health. Its colour uses the overview's
  bands (metrics.effectiveness.health_status). The change is against the same score of the
  previous quarter, each figure judged against the previous quarter's own target.
- **Wins**: trusted figures on target that improved on the previous quarter, those back on
  target first, then by improvement measured in tolerance bands.
- **Issues**: trusted figures off target (then at risk), the furthest from target first, in
  tolerance bands (a figure without a band counts 5 % of its target as one band).
- **Decisions**: comments marked as decisions (review.store), per journey.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from metrics.effectiveness import health_status
from metrics.formatting import change_text, number_text
from metrics.i18n import N_, tr, tr_n
from metrics.model import Direction
from metrics.status import STATUS_POINTS, Status
from review.formatting import figure_label, figure_names, figure_value, readable_time

__all__ = ["ExecutiveSummary", "SUMMARY_COLUMNS", "executive_summary", "health_ranking", "table_pages"]

#: Columns of the ranking as the packs and the page show it: the ranking frame's keys (English);
#: headings read ``tr(column)``.
SUMMARY_COLUMNS: tuple[str, ...] = (N_("Journey"), N_("Review score"), N_("Change"), N_("Judged figures"))
#: Rows per table on one page or slide, so a table reads at 14 pt from the back of a room.
ROWS_PER_PAGE = 10
HOW_MANY = 3
_POINTS = {s.value: p for s, p in STATUS_POINTS.items()}


@dataclass(frozen=True)
class ExecutiveSummary:
    quarter: str
    ranking: pd.DataFrame  # journey_id, Journey, Health, Change, Judged figures, status
    wins: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    not_trusted: int = 0

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) of wins, issues and decisions; an empty one says so, never blank."""
        return [
            (tr("Wins"), self.wins or [
                tr("None this quarter: no figure on target improved on the previous quarter.")]),
            (tr("Issues"), self.issues or [tr("None this quarter: every judged figure is on target.")]),
            (tr("Decisions and actions needed"), self.decisions or [
                tr("None marked: tick “This is a decision or an action needed” on a comment on the review "
                   "page.")]),
        ]

    @property
    def trust_note(self) -> str:
        if not self.not_trusted:
            return ""
        # One English wording for every count (as it always read); German says one or more.
        return tr_n("{count} figure(s) are not trusted (purple): left out of health, wins and issues until "
                    "their data passes the checks.",
                    "{count} figure(s) are not trusted (purple): left out of health, wins and issues until "
                    "their data passes the checks.", self.not_trusted).format(count=self.not_trusted)


def _health(statuses: pd.Series) -> float:
    points = statuses.map(_POINTS).dropna()
    return float(100.0 * points.mean()) if len(points) else float("nan")


def health_ranking(figures: pd.DataFrame) -> pd.DataFrame:
    """Per journey: health this quarter and its change; best first, journeys without health last."""
    judged = figures[figures["target"].notna()]
    rows = []
    for journey_id, name in figures[["journey_id", "journey_name"]].drop_duplicates().itertuples(
            index=False, name=None):
        own = judged[judged["journey_id"] == journey_id]
        earlier = own[own["previous_target"].notna()] if "previous_target" in own else own.iloc[0:0]
        health, before = _health(own["status"]), _health(earlier.get("previous_status", pd.Series()))
        rows.append({"journey_id": journey_id, "Journey": str(name), "health": health,  # i18n: not shown
                     "Review score": number_text(health, 0),
                     "Change": change_text(health - before, "score", 0),
                     "Judged figures": str(int(own["status"].isin(list(_POINTS)).sum())),
                     "status": health_status(health).value})  # the ranking's keys, not headings
    out = pd.DataFrame(rows, columns=["journey_id", "Journey", "health", "Review score", "Change",
                                      "Judged figures", "status"])  # i18n: not shown (keys)
    out = out.sort_values("health", ascending=False, na_position="last", kind="stable")
    return out.drop(columns="health").reset_index(drop=True)


def _bands(figures: pd.DataFrame, delta: pd.Series) -> pd.Series:
    """``delta`` (better is positive after direction) in tolerance bands."""
    band = figures["tolerance"].abs()
    band = band.where(band > 0, figures["target"].abs() * 0.05).where(lambda b: b > 0, 1.0)
    return delta / band


def _better(figures: pd.DataFrame, delta: pd.Series) -> pd.Series:
    higher = figures["direction"].astype(str).eq(Direction.HIGHER_IS_BETTER.value)
    return pd.Series(np.where(higher, delta, -delta), index=figures.index, dtype="float64")


def _line(row: Mapping[Hashable, Any], tail: str) -> str:
    return tr("{journey}: {figure} {value} (target {target}){tail}").format(
        journey=row["journey_name"], figure=figure_label(row), value=figure_value(row, "value"),
        target=figure_value(row, "target"), tail=tail)


#: How an issue's status reads inside a sentence.
_ISSUE_WORDS = {Status.OFF_TARGET.value: N_("off target"), Status.AT_RISK.value: N_("at risk")}


def wins(figures: pd.DataFrame, how_many: int = HOW_MANY) -> list[str]:
    on = figures[figures["status"].eq(Status.ON_TARGET.value) & figures["vs_previous"].notna()].copy()
    on["gain"] = _bands(on, _better(on, on["vs_previous"]))
    on["back"] = on.get("previous_status", pd.Series("", index=on.index)).isin(
        [Status.AT_RISK.value, Status.OFF_TARGET.value])
    best = on[on["gain"] > 0].sort_values(["back", "gain"], ascending=False).head(how_many)
    return [_line(row, tr(", {change} on the previous quarter").format(
                      change=figure_value(row, "vs_previous", signed=True))
                  + (tr(", back on target") if row["back"] else ""))
            for row in best.to_dict("records")]


def issues(figures: pd.DataFrame, how_many: int = HOW_MANY) -> list[str]:
    missed = figures[figures["status"].isin([Status.OFF_TARGET.value, Status.AT_RISK.value])].copy()
    missed["short"] = -_bands(missed, _better(missed, missed["vs_target"]))
    missed["off"] = missed["status"].eq(Status.OFF_TARGET.value)
    worst = missed.sort_values(["off", "short"], ascending=False).head(how_many)
    return [_line(row, ", " + tr(_ISSUE_WORDS[str(row["status"])])) for row in worst.to_dict("records")]


def decisions(comments: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """Comments marked as decisions: 'Journey · figure: text (author, time)'."""
    if comments is None or comments.empty or "decision" not in comments:
        return []
    marked = comments[comments["decision"].fillna(False).astype(bool)
                      & comments["text"].astype(str).str.strip().ne("")]
    journeys = dict(zip(figures["journey_id"], figures["journey_name"], strict=False))
    names = figure_names(figures)
    lines = []
    for row in marked.sort_values(["journey_id", "kpi_id"]).to_dict("records"):
        about = str(journeys.get(row["journey_id"], row["journey_id"]))
        if row["kpi_id"]:
            about += " · " + str(names.get(row["kpi_id"], row["kpi_id"]))
        lines.append(f"{about}: {row['text']} ({row['author']}, {readable_time(str(row['saved_at']))})")
    return lines


def executive_summary(quarter: str, figures: pd.DataFrame, comments: pd.DataFrame) -> ExecutiveSummary:
    trusted = figures[figures["status"].ne(Status.NOT_TRUSTED.value) & figures["target"].notna()]
    return ExecutiveSummary(
        quarter=quarter, ranking=health_ranking(figures), wins=wins(trusted), issues=issues(trusted),
        decisions=decisions(comments, figures),
        not_trusted=int(figures["status"].eq(Status.NOT_TRUSTED.value).sum()),
    )


def table_pages(frame: pd.DataFrame, rows: int = ROWS_PER_PAGE) -> list[pd.DataFrame]:
    """``frame`` in pieces of at most ``rows`` rows (one per page or slide); an empty frame is one
    empty piece, so a section never silently disappears."""
    if frame.empty:
        return [frame]
    return [frame.iloc[i:i + rows] for i in range(0, len(frame), rows)]
