"""Text cells a spreadsheet will not run: for every CSV a person downloads (the Budget page's
What-if plan, the quarterly pack's CSV).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (a journey named
``=HYPERLINK(...)``) would run as a formula when the file is opened in a spreadsheet; it gets a
leading apostrophe, which spreadsheets show as text. Numbers are left as they are. Here rather than
beside the pack's CSV writer, so that a page offering a CSV does not load the quarterly review
(its store, pack and snapshots).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["spreadsheet_safe"]

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
