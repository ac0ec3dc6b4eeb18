"""Personas: which journeys are mapped for whom, and the same KPIs compared across personas."""

from __future__ import annotations

import streamlit as st

from ui.context import app_context
from ui.filters import period_filter, personas
from ui.persona_sections import journeys_per_persona, kpis_per_persona
from ui.quality_loaders import show_trust_note
from ui.tables import show_status_table

ctx = app_context()
period = period_filter(ctx)
st.title("Personas")
names = personas(ctx)
if not names:
    st.info("No journey names a persona. Map the journeys' persona column (README, 'The canonical model and "
            "the mapping file') to compare them here.")
    st.stop()
st.caption(f"{len(names)} personas · {period.label}: {period.start:%d %b %Y} – {period.end:%d %b %Y}. "
           "A journey is mapped for one persona; the Journey page filters journeys by persona.")

st.subheader("Journeys per persona")
headings = {"persona": "Persona", "journeys": "Journeys", "owners": "Map owners",
            "moments": "Moments of truth", "third_party": "Third-party touchpoints",
            "touchpoints": "Touchpoints"}
st.dataframe(journeys_per_persona(ctx, names).rename(columns=headings), hide_index=True, width="stretch")

st.subheader("The same KPIs across personas")
judged = kpis_per_persona(ctx, names, period)
if judged.empty:
    st.warning("No persona's journeys have KPI data in this period. Choose a longer period.")
    st.stop()
show_trust_note(ctx, judged)
registry = ctx.registry
order = {k: i for i, k in enumerate(registry.ids())}
table = judged.assign(
    kpi=judged["kpi_id"].map(lambda k: registry[k].name),
    value_text=[registry[k].format(v) for k, v in zip(judged["kpi_id"], judged["value"], strict=True)],
    target_text=[registry[k].format(v) for k, v in zip(judged["kpi_id"], judged["target"], strict=True)],
    _order=judged["kpi_id"].map(order),
).sort_values(["_order", "persona"])
show_status_table(table, {"kpi": "KPI", "persona": "Persona", "value_text": "Value", "target_text": "Target"})
st.caption("Each persona's value covers the journeys mapped for it, aggregated in the warehouse, judged "
           "against the target for all journeys.")
