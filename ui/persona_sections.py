"""The personas page's figures: journeys per persona and the same KPIs judged per persona.

Each persona's KPIs are aggregated in the warehouse over the journeys mapped for it (one statement
for all personas, grouped by persona: ui/persona_loaders.py; judged by metrics.judgement against
the targets for all journeys), so the personas compare on the same footing.
"""

from __future__ import annotations

import pandas as pd

from metrics.model import Period
from ui.context import AppContext
from ui.persona_loaders import Personas, load_judged_personas

PERSONA_COLUMNS = ["persona", "journeys", "owners", "moments", "third_party", "touchpoints"]


def _journeys_of(ctx: AppContext, persona: str) -> pd.DataFrame:
    named = ctx.journeys["persona"].astype("object").where(ctx.journeys["persona"].notna(), "")
    return ctx.journeys[named.astype(str).str.strip() == persona]


def journeys_per_persona(ctx: AppContext, names: list[str]) -> pd.DataFrame:
    """PERSONA_COLUMNS: journeys (names) and map owners per persona, with how many moments of
    truth, third-party touchpoints and touchpoints its journeys have."""
    rows = []
    for name in names:
        mine = _journeys_of(ctx, name)
        tps = ctx.touchpoints[ctx.touchpoints["journey_id"].isin(mine["journey_id"])]
        rows.append((name, ", ".join(sorted(mine["name"].astype(str))),
                     ", ".join(sorted(set(mine["owner"].astype(str)))),
                     int(tps["moment_of_truth"].sum()), int(tps["third_party"].sum()), len(tps)))
    return pd.DataFrame(rows, columns=PERSONA_COLUMNS)


def persona_journeys(ctx: AppContext, names: list[str]) -> Personas:
    """Each persona of ``names`` with the ids of the journeys mapped for it (sorted)."""
    return tuple((name, tuple(sorted(_journeys_of(ctx, name)["journey_id"]))) for name in names)


def kpis_per_persona(ctx: AppContext, names: list[str], period: Period) -> pd.DataFrame:
    """Judged KPI values per persona over ``period``: kpi_id, value, target, status, ..., persona
    (from one warehouse statement for all personas); an empty frame when no persona has data."""
    judged = load_judged_personas(ctx, period.start, period.end, persona_journeys(ctx, names))
    return judged if len(judged) else pd.DataFrame()
