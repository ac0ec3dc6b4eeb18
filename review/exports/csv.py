"""CSV of every figure of the quarterly pack: the page's figures, one row each.

Columns: quarter, source (live or snapshot), generated_at, then review._figures.FIGURE_COLUMNS.
Numbers are written in full precision (repr), so reading the file back gives the page's values.
Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return: a journey named ``=HYPERLINK(...)``) get a leading apostrophe, which
spreadsheets show as text; numbers are left as they are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review._figures import FIGURE_COLUMNS
from review.exports.files import write_atomically
from review.frozen import QuarterReview
from review.store import stamp

__all__ = ["CSV_COLUMNS", "pack_csv_frame", "spreadsheet_safe", "write_pack_csv"]

CSV_COLUMNS: tuple[str, ...] = ("quarter", "source", "generated_at", *FIGURE_COLUMNS)


def pack_csv_frame(review: QuarterReview, generated_at: dt.datetime) -> pd.DataFrame:
    figures = review.figures.figures
    out = figures.assign(quarter=review.figures.quarter, source=review.figures.source,
                         generated_at=stamp(generated_at))
    return out[list(CSV_COLUMNS)]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (module docstring)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind in "OSU" or str(out[column].dtype) == "str":
            text = out[column]
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_STARTS))
            out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def write_pack_csv(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    frame = spreadsheet_safe(pack_csv_frame(review, generated_at))
    return write_atomically(path, lambda temp: frame.to_csv(temp, index=False, encoding="utf-8"))
