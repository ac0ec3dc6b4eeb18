"""CSV of every figure of the quarterly pack: the page's figures, one row each.

Columns: quarter, source (live or snapshot), generated_at, then review._figures.FIGURE_COLUMNS. The
header row names them by their keys in English (``journey_id``) and in the current language
otherwise (``Journey-ID``); ``keys=True`` (``python -m review export --keys``) writes the keys in any
language, for programs that read the file. The cells are the same in every language: codes
(``on_target``, ``live``), names as stored and numbers as Python writes them.
Numbers are written in full precision (repr), so reading the file back gives the page's values.
Text cells that a spreadsheet would run as a formula (a journey named ``=HYPERLINK(...)``) get a
leading apostrophe, which spreadsheets show as text (metrics.spreadsheet_cells); numbers are left as
they are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from metrics.i18n import N_, tr
from metrics.spreadsheet_cells import spreadsheet_safe
from review._figures import FIGURE_COLUMNS
from review.exports.files import write_atomically
from review.frozen import QuarterReview
from review.store import stamp

__all__ = ["CSV_COLUMNS", "CSV_HEADINGS", "pack_csv_frame", "write_pack_csv"]

CSV_COLUMNS: tuple[str, ...] = ("quarter", "source", "generated_at", *FIGURE_COLUMNS)
#: The same keys, marked: each is its column's English heading, read ``tr(key)`` in the file.
CSV_HEADINGS: tuple[str, ...] = (
    N_("quarter"), N_("source"), N_("generated_at"), N_("journey_id"), N_("journey_name"), N_("section"),
    N_("touchpoint_id"), N_("touchpoint_name"), N_("figure_id"), N_("figure_name"), N_("unit"),
    N_("direction"), N_("value"), N_("target"), N_("tolerance"), N_("status"), N_("previous_value"),
    N_("last_year_value"), N_("vs_target"), N_("vs_previous"), N_("vs_last_year"), N_("trust"),
    N_("trust_reason"), N_("previous_target"), N_("previous_status"), N_("last_year_target"), N_("scale"),
)


def pack_csv_frame(review: QuarterReview, generated_at: dt.datetime, keys: bool = False) -> pd.DataFrame:
    """The pack's rows; the header in the current language unless ``keys`` (module docstring)."""
    figures = review.figures.figures
    out = figures.assign(quarter=review.figures.quarter, source=review.figures.source,
                         generated_at=stamp(generated_at))[list(CSV_COLUMNS)]
    return out if keys else out.rename(columns={c: tr(c) for c in CSV_HEADINGS})


def write_pack_csv(review: QuarterReview, path: Path, generated_at: dt.datetime, keys: bool = False) -> Path:
    frame = spreadsheet_safe(pack_csv_frame(review, generated_at, keys))
    return write_atomically(path, lambda temp: frame.to_csv(temp, index=False, encoding="utf-8"))
