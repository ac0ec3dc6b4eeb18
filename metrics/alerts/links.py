"""Deep links from an alert to the page view that explains it. Pure: no I/O.

The parameters are the ones the pages read (ui/filters.py ``url_select``/``url_multiselect``):
Trends reads ``kpi`` (repeated), ``grain``, ``scope`` and ``<scope>_id``; My touchpoints reads
``owner_name`` and ``owner_grain`` (week or month); Data quality has none. Page paths are the
scripts' names (ui/navigation.py serves every page under its own name).
"""

from __future__ import annotations

from urllib.parse import urlencode

__all__ = ["data_quality_link", "kpi_alert_link", "owner_link"]


def kpi_alert_link(base_url: str, touchpoint_id: str, kpi_id: str, grain: str) -> str:
    """The Trends page on this touchpoint's KPI at the alert's grain."""
    query = urlencode({"kpi": kpi_id, "grain": grain, "scope": "touchpoint", "touchpoint_id": touchpoint_id})
    return f"{base_url.rstrip('/')}/trends?{query}"


def owner_link(base_url: str, owner: str, grain: str) -> str:
    """My touchpoints for this owner (weekly or monthly; a daily alert opens the weekly view)."""
    query = urlencode({"owner_name": owner, "owner_grain": grain if grain in ("week", "month") else "week"})
    return f"{base_url.rstrip('/')}/my_touchpoints?{query}"


def data_quality_link(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/data_quality"
