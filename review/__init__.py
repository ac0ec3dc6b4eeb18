"""Quarterly review: the quarter's figures, owner comments, frozen (closed) quarters and exports.

Layering: review imports connectors, metrics and checks; pages import review; review imports no
streamlit and no altair (charts for the PDF and slides are Vega-Lite dicts, review/chart_spec.py).
"""
