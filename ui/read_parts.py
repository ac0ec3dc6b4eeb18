"""Large series read a part at a time (#19: memory): My touchpoints' series of an owner by
touchpoint (ui/owner_figures.py), the Overview's monthly health trend by journey
(ui/overview_figures.py). Each part's frame is read and judged for it alone, not cached (cached
until the build ends, the parts would add up again), and reduced to what the figures keep before
the next part is read. The figures are the same as from the series read at once (each use says
why; tests/test_owner_parts.py, tests/test_overview_parts.py). The benchmark's page plans read the
same parts (benchmarks/page_workloads.py), so this module imports no Streamlit.

Only where the monthly KPI summary answers the range: a part's statement then reads the summary's
months (3.4 M rows at 100 M fact rows). Read from the fact table, each part would scan the range's
facts again: My touchpoints' cold build at 100 M rows went from 2.0-2.6 to 3.7-4.3 s in four
parts.
"""

from __future__ import annotations

import pandas as pd

from connectors.queries import summary_answers
from connectors.warehouse import Warehouse
from metrics.model import Grain, Period

#: Touchpoints per part of My touchpoints' 27 months (at 100 M fact rows about 50,000 values). Each
#: part's statement holds DuckDB's hash aggregate of its values, about 30 MB for 125,000 of them,
#: which with parts of 1,000 set the page's peak (server at 100 M rows: 501-519 MB, with 500:
#: 494 MB; about 0.3-0.6 s more for the cold build, 8 statements instead of 4).
OWNER_PART_TOUCHPOINTS = 500
#: Touchpoints per part (whole journeys) of the Overview's 12 months of KPIs with a target (about
#: 100,000 values at 100 M fact rows).
TREND_PART_TOUCHPOINTS = 3000


def read_in_parts(wh: Warehouse, grain: Grain, window: Period) -> bool:
    """Whether a series of ``grain`` over ``window`` may be read in parts: the summary answers it."""
    return summary_answers(wh, grain, [(window.start, window.end)])


def touchpoint_parts(touchpoint_ids: pd.Series, size: int) -> list[tuple[str, ...]]:
    """The touchpoints sorted, ``size`` at a time."""
    ids = sorted(touchpoint_ids.unique().tolist())
    return [tuple(ids[at:at + size]) for at in range(0, len(ids), size)]


def journey_parts(touchpoints: pd.DataFrame, journey_ids: tuple[str, ...],
                  size: int) -> list[tuple[str, ...]]:
    """The journeys (``journey_ids``, or every journey of ``touchpoints`` when empty) sorted, in
    parts of whole journeys of at most ``size`` touchpoints together (a larger journey alone)."""
    counts = touchpoints["journey_id"].value_counts()
    ids = sorted(journey_ids or counts.index.tolist())
    parts: list[list[str]] = []
    held = 0
    for journey in ids:
        count = int(counts.get(journey, 0))
        if not parts or held + count > size:
            parts.append([])
            held = 0
        parts[-1].append(journey)
        held += count
    return [tuple(part) for part in parts]


def owner_parts(wh: Warehouse, touchpoint_ids: pd.Series, grain: Grain,
                window: Period) -> list[tuple[str, ...]]:
    """The parts My touchpoints reads an owner's series of ``grain`` over ``window`` in
    (ui/owner_figures.py): OWNER_PART_TOUCHPOINTS touchpoints at a time where the summary answers
    it, else all at once."""
    size = OWNER_PART_TOUCHPOINTS if read_in_parts(wh, grain, window) else max(touchpoint_ids.nunique(), 1)
    return touchpoint_parts(touchpoint_ids, size)


def trend_parts(wh: Warehouse, touchpoints: pd.DataFrame, journey_ids: tuple[str, ...],
                window: Period) -> list[tuple[str, ...]]:
    """The parts the Overview reads its monthly health trend over ``window`` in
    (ui/overview_figures.py: health_trend): whole journeys of TREND_PART_TOUCHPOINTS touchpoints
    at a time where the summary answers it and there are several, else one part, ``journey_ids``
    as given (none: every journey)."""
    parts = journey_parts(touchpoints, journey_ids, TREND_PART_TOUCHPOINTS)
    return parts if len(parts) > 1 and read_in_parts(wh, Grain.MONTH, window) else [journey_ids]
