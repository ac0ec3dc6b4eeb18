"""CSV of every figure of the quarterly pack: the page's figures, one row each.

Columns: quarter, source (live or snapshot), generated_at, then review.figures.FIGURE_COLUMNS.
Numbers are written in full precision (repr), so reading the file back gives the page's values.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.export_files import write_atomically
from review.figures import FIGURE_COLUMNS
from review.frozen import QuarterReview
from review.store import stamp

CSV_COLUMNS: tuple[str, ...] = ("quarter", "source", "generated_at", *FIGURE_COLUMNS)


def pack_csv_frame(review: QuarterReview, generated_at: dt.datetime) -> pd.DataFrame:
    figures = review.figures.figures
    out = figures.assign(quarter=review.figures.quarter, source=review.figures.source,
                         generated_at=stamp(generated_at))
    return out[list(CSV_COLUMNS)]


def write_pack_csv(review: QuarterReview, path: Path, generated_at: dt.datetime) -> Path:
    frame = pack_csv_frame(review, generated_at)
    return write_atomically(path, lambda temp: frame.to_csv(temp, index=False, encoding="utf-8"))
