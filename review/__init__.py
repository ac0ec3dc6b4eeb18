"""Quarterly review: the quarter's figures, owner comments, frozen (closed) quarters and exports.

Public modules (each declares its names in ``__all__``): ``quarters`` (quarter strings and the
quarters a review compares), ``pack`` (build a quarter's figures from the warehouse), ``store``
(comments and closed quarters in the state store), ``frozen`` (close a quarter, show a closed
one), ``formatting`` (how figures read in tables, slides and the PDF), ``summary`` (the executive
summary: journeys ranked by health, wins, issues, decisions), ``chart_spec`` (the bullet chart as
Vega-Lite dicts), ``scoped`` (what of a quarter one person may see), ``actions_section`` (owners'
actions with their before/after KPI, as a table and as lines for the packs) and the ``exports`` package
(``export_pack``, ``pack_bytes``; writers ``pdf``, ``pptx``,
``csv`` and ``files`` for atomic writing and header lines). Private: ``_figures`` (the pure
functions that assemble the figures frame). Nothing is imported here.

Layering: review imports connectors, metrics and checks; pages import review; review imports no
streamlit and no altair (charts for the PDF and slides are Vega-Lite dicts, review/chart_spec.py).
"""

__all__ = ["actions_section", "chart_spec", "exports", "formatting", "frozen", "pack", "quarters", "scoped",
           "store", "summary"]
