"""Tables with status colours: the same colours as the charts (metrics.status)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from metrics.formatting import MISSING, current_language
from metrics.i18n import tr
from metrics.judgement import status_text
from metrics.status import STATUS_COLOURS, Status


@cache
def label_colours(language: str) -> dict[str, str]:
    """Every label a judged value can carry (metrics.judgement.status_text) in ``language``, with
    the colour of what is shown: a value that is not trusted is purple whatever its status against
    target."""
    return {
        status_text(shown.value, behind.value): STATUS_COLOURS[shown] for shown in Status for behind in Status
    }


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns show a missing value as '–' (metrics.formatting.MISSING), never
    'None', 'nan' or an empty cell that reads as a blank."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.StringDtype):  # whole column at once: no cell is anything but text
            words = column.str.strip().str.lower().isin(_MISSING_WORDS)
            out[name] = column.mask(column.isna() | words.fillna(False).astype(bool), MISSING)
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(lambda v: MISSING if _missing(v) else v)
    return out


_MISSING_WORDS = ("none", "nan", "nat")


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip().lower() in _MISSING_WORDS


#: A row height at which Streamlit wraps long cell text instead of cutting it (its frontend wraps only
#: above 4rem = 64 px; checked in 1.67): for tables whose text columns say why a row is there.
WRAPPING_ROW_HEIGHT = 66


def show_status_table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    status_column: str = "status",
    column_config: dict[str, Any] | None = None,
    row_height: int | None = None,
) -> None:
    """Show ``frame`` with the given columns renamed, and a coloured Status column first: the
    judged label (``status_text``, e.g. "⊘ On target?") when the frame has it.

    The status is a one-label list in a read-only multiselect column, which Streamlit colours per
    option. (A pandas Styler paints the same colours but makes Streamlit format every cell of the
    table in Python: 0.18 s for the Journey scorecard and 0.4 s on My touchpoints at 10 M rows.)
    """
    show_table(status_table(frame, columns, status_column=status_column), column_config=column_config,
               row_height=row_height)


def status_table(frame: pd.DataFrame, columns: dict[str, str], *,
                 status_column: str = "status") -> pd.DataFrame:
    """What ``show_status_table`` shows, built apart (to be cached with a page's figures, #19): the
    columns renamed and ``readable``, the status labels first. Headings in the current language."""
    shown = readable(frame[list(columns)].rename(columns=columns))
    texts = frame["status_text"] if "status_text" in frame else frame[status_column].map(status_text)
    shown.insert(0, tr("Status"), [[t] for t in texts.tolist()])  # tolist: the values iterating gives, faster
    return shown


def arrow_table(shown: pd.DataFrame) -> pa.Table:
    """A ``status_table`` frame as Streamlit's st.dataframe converts it (byte for byte), converted
    once where a page caches its figures rather than by st.dataframe on every run (#19)."""
    return pa.Table.from_pandas(shown)


def show_table(shown: pd.DataFrame | pa.Table, *, column_config: dict[str, Any] | None = None,
               row_height: int | None = None) -> None:
    """Draw a ``status_table`` frame: its first column coloured per status label. A frame may come
    as an Arrow table (``arrow_table``), which Streamlit sends as it is instead of converting it."""
    status = str(shown.column_names[0] if isinstance(shown, pa.Table) else shown.columns[0])
    colours = label_colours(current_language())
    status_config = st.column_config.MultiselectColumn(
        status, options=list(colours), color=list(colours.values()), disabled=True
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={status: status_config, **(column_config or {})},
        row_height=row_height,
    )
