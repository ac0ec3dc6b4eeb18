"""Personas: which journeys are mapped for whom, and the same KPIs compared across personas."""

from __future__ import annotations

import streamlit as st

from metrics.formatting import day_text
from metrics.i18n import tr
from ui.context import app_context
from ui.filters import period_filter, personas
from ui.persona_sections import journeys_per_persona, kpis_per_persona
from ui.quality_loaders import show_trust_note
from ui.tables import show_status_table

ctx = app_context()
period = period_filter(ctx)
st.title(tr("Personas"))
names = personas(ctx)
if not names:
    st.info(tr("No journey names a persona. Map the journeys' persona column (README, 'The canonical model "
               "and the mapping file') to compare them here."))
    st.stop()
st.caption(tr("{count} personas · {period}: {start} – {end}. A journey is mapped for one persona; the "
              "Journey page filters journeys by persona.").format(
    count=len(names), period=tr(period.label), start=day_text(period.start), end=day_text(period.end)))

st.subheader(tr("Journeys per persona"))
headings = {"persona": tr("Persona"), "journeys": tr("Journeys"), "owners": tr("Map owners"),
            "moments": tr("Moments of truth"), "third_party": tr("Third-party touchpoints"),
            "touchpoints": tr("Touchpoints")}
st.dataframe(journeys_per_persona(ctx, names).rename(columns=headings), hide_index=True, width="stretch")

st.subheader(tr("The same KPIs across personas"))
judged = kpis_per_persona(ctx, names, period)
if judged.empty:
    st.warning(tr("No persona's journeys have KPI data in this period. Choose a longer period."))
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
show_status_table(table, {"kpi": tr("KPI"), "persona": tr("Persona"), "value_text": tr("Value"),
                          "target_text": tr("Target")})
st.caption(tr("Each persona's value covers the journeys mapped for it, aggregated in the warehouse, judged "
              "against the target for all journeys."))
