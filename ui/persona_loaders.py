"""Cached loaders for the same KPI question asked for several personas in one warehouse statement (#19).

``load_judged_personas`` is ``ui.loaders.load_judged`` filtered to each persona's journeys, for every
persona at once (connectors.queries.kpi_personas_frame: one statement grouped by a ``persona``
label instead of one statement per persona), judged in one step. Keys as ui/loaders.py: warehouse
key (with the scope's fingerprint), request and the personas' journeys, and for judged frames the
dimensions version and the check run (ui/caching.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from connectors.access import AccessScope
from connectors.queries import kpi_personas_frame
from connectors.warehouse import Warehouse
from metrics.judgement import judge
from metrics.model import KpiRequest
from metrics.trust import TrustEvidence
from ui import caching
from ui.context import AppContext
from ui.loaders import kpi_request, yardstick
from ui.quality_loaders import load_trust

#: (persona, its journey ids) per persona, in order: a hashable form of {persona: journey ids}.
Personas = tuple[tuple[str, tuple[str, ...]], ...]


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.KPI_FRAMES)
def _persona_kpis(_wh: Warehouse, key: str, request: KpiRequest, personas: Personas,
                  _scope: AccessScope) -> pd.DataFrame:
    # ``key`` carries the scope's fingerprint (ui/context.py: scoped), so the scope is not hashed.
    return kpi_personas_frame(_wh, request, dict(personas), _scope)


def load_persona_kpis(ctx: AppContext, start: dt.date, end: dt.date, personas: Personas,
                      kpi_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """kpi_frame columns after ``persona``, for every persona over its journeys, from one statement."""
    request = kpi_request(ctx, start, end, kpi_ids=kpi_ids)
    return _persona_kpis(ctx.warehouse, ctx.key, request, personas, ctx.scope)


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.JUDGED_FRAMES)
def _judged_personas(_ctx: AppContext, _evidence: TrustEvidence, key: str, dimensions_version: str,
                     evidence_key: str, start: dt.date, end: dt.date, personas: Personas,
                     kpi_ids: tuple[str, ...] | None) -> pd.DataFrame:
    frame = load_persona_kpis(_ctx, start, end, personas, kpi_ids)
    # Judging is row by row (value, target in force for all journeys, trust), so one call over every
    # persona's rows gives each persona's judged rows; ``persona`` goes last, as it was added before.
    judged = judge(frame, yardstick(_ctx, _evidence), start, end)
    return judged[[c for c in judged.columns if c != "persona"] + ["persona"]].reset_index(drop=True)


def load_judged_personas(ctx: AppContext, start: dt.date, end: dt.date, personas: Personas,
                         kpi_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``load_judged`` over [start, end] with ``journey_ids`` each persona's journeys, for all the
    personas at once, with a ``persona`` column (last); personas without data have no rows."""
    evidence = load_trust(ctx)
    return _judged_personas(ctx, evidence, ctx.key, ctx.dimensions_version, evidence.key, start, end,
                            personas, kpi_ids)
