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
    """Show ``frame`` with the given columns renamed, and a coloured Status column first."""
    shown = frame[list(columns)].rename(columns=columns)
    shown.insert(0, "Status", frame[status_column].map(status_text).to_numpy())
    colours = {status_text(s.value): STATUS_COLOURS[s] for s in Status}

    def paint(value: object) -> str:
        colour = colours.get(str(value))
        return f"background-color: {colour}; color: white; font-weight: 600" if colour else ""

    st.dataframe(
        shown.style.map(paint, subset=["Status"]),
        hide_index=True,
        width="stretch",
        column_config=column_config or None,
    )
