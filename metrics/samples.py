"""Sample sizes behind ratio KPI values, and which values come from too few to read as more than noise.

A ratio KPI's value is ``sum(numerator) / sum(denominator)``; the denominator is its sample
(responses for CSAT, NPS and CES, customers for rates, contacts for resolution). A value whose
denominator is below the KPI's ``min_sample`` (metrics.registry, README "KPI glossary") is marked
*too few*: charts draw it hollow and say "n = 12, too few responses" on hover. It keeps its value and
status; the mark warns that a jump may be noise. Sum KPIs have no sample and are never marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.formatting import count_text
from metrics.i18n import tr
from metrics.model import Aggregation
from metrics.registry import KpiDef, KpiRegistry

__all__ = ["sample_text", "with_sample_sizes"]


def sample_text(kpi: KpiDef, size: float | None) -> str:
    """'n = 1,240 responses', 'n = 12 responses, too few (fewer than 30)', or '' for a sum KPI."""
    if kpi.aggregation is not Aggregation.RATIO or size is None or pd.isna(size):
        return ""
    # The built-in KPIs' denominators are marked in metrics.registry (N_); a mapped KPI's own words stay.
    units = f" {tr(kpi.denominator)}" if kpi.denominator else ""
    text = f"n = {count_text(size)}{units}"
    if kpi.min_sample is not None and size < kpi.min_sample:
        text += tr(", too few (fewer than {minimum})").format(minimum=count_text(kpi.min_sample))
    return text


def with_sample_sizes(frame: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    """A copy of a judged frame (kpi_id, denominator) with ``sample_size`` (the denominator of a
    ratio KPI, NaN for sum KPIs), ``too_few`` (below the KPI's min_sample) and ``sample_text``."""
    out = frame.copy()
    kpis = out["kpi_id"].astype(str).map(registry.__getitem__)
    is_ratio = kpis.map(lambda k: k.aggregation is Aggregation.RATIO).astype(bool)
    denominator = pd.to_numeric(out["denominator"], errors="coerce").astype("float64") \
        if "denominator" in out else pd.Series(np.nan, index=out.index)
    out["sample_size"] = denominator.where(is_ratio)
    minimum = kpis.map(lambda k: np.nan if k.min_sample is None else float(k.min_sample)).astype("float64")
    out["too_few"] = (out["sample_size"] < minimum).fillna(False).astype(bool)
    out["sample_text"] = [sample_text(k, n) for k, n in zip(kpis, out["sample_size"], strict=True)]
    return out
