"""Tables with status colours: the same colours as the charts (metrics.status)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics.status import STATUS_COLOURS, STATUS_ICONS, STATUS_LABELS, Status


def status_text(status: str) -> str:
    s = Status(status)
    return f"{STATUS_ICONS[s]} {STATUS_LABELS[s]}"


def show_status_table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    status_column: str = "status",
    column_config: dict[str, Any] | None = None,
) -> None:
    """Show ``frame`` with the given columns renamed, and a coloured Status column first.

    The status is a one-label list in a read-only multiselect column, which Streamlit colours per
    option. (A pandas Styler paints the same colours but makes Streamlit format every cell of the
    table in Python: 0.18 s for the Journey scorecard and 0.4 s on My touchpoints at 10 M rows.)
    """
    shown = frame[list(columns)].rename(columns=columns)
    shown.insert(0, "Status", [[status_text(s)] for s in frame[status_column]])
    status_config = st.column_config.MultiselectColumn(
        "Status",
        options=[status_text(s.value) for s in Status],
        color=[STATUS_COLOURS[s] for s in Status],
        disabled=True,
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={"Status": status_config, **(column_config or {})},
    )
