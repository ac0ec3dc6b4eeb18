"""The hostile-names warehouse: the fixture company with names a careless page would render.

Journeys, personas, owners, stages, touchpoints, KPI names and descriptions, a review comment and
the name of whoever closed a quarter carry Markdown images and links to http://127.0.0.2:9 (a
beacon nobody may fetch), raw HTML, ``javascript:`` links, Streamlit's own directives, maths,
typography Streamlit rewrites (``--``, ``->``), umlauts, quotes and a name of over 200 characters.
Every one of them is data: the app must show each exactly as its characters (ui/text.py).

The data is ``connectors.demo.generate`` (12 touchpoints, 2 years to tests.fixtures.DEMO_END, no
injected faults) with those names, written under canonical names, so the app reads it with no
mapping file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from connectors.demo import generate, write_warehouse
from connectors.queries import dimension_frame
from connectors.warehouse import open_warehouse
from metrics.registry import KpiRegistry
from metrics.trust import TrustEvidence
from review.frozen import close_shown
from review.pack import build_quarter_figures
from review.quarters import parse_quarter
from review.store import JOURNEY_COMMENT, open_review_store, save_comment
from tests.fixtures import DEMO_END

#: The address no page may make the browser fetch or link to.
BEACON_HOST = "127.0.0.2"
IMAGE = f"![x](http://{BEACON_HOST}:9/p.png)"
LINK = f"[Open the report](http://{BEACON_HOST}:9/phish)"
HTML_IMAGE = f"<img src='http://{BEACON_HOST}:9/h.png'>"
SCRIPT = "<script>alert(1)</script>"
SCRIPT_LINK = "[click](javascript:alert(1))"
BARE_URL = f"http://{BEACON_HOST}:9/bare"
WWW = "www.example.com"
MAIL = "jürgen@example.com"
ASCII_MAIL = "bob@example.com"
DIRECTIVES = ":red[x] :material/home: :streamlit: :smile: $x$"
TYPOGRAPHY = "a -- b -> c <= d"
LONG = "Umzug " + "Straße 'q' \"dq\" -- " * 12 + IMAGE  # over 200 characters

#: journey id -> (name, persona, owner, description); None is an empty description.
JOURNEYS: dict[str, tuple[str, str, str, str | None]] = {
    "buy": (f"Buy {IMAGE} -- *stars*", f"{LINK} :red[x] $x$", MAIL, None),
    "move": (LONG, "O'Brien \"the boss\"", ASCII_MAIL, f"{HTML_IMAGE} {SCRIPT}"),
    "fault": (f"Fault {HTML_IMAGE} {SCRIPT}", DIRECTIVES, f"Ow[n](http://{BEACON_HOST}:9/o)er",
              f"{SCRIPT_LINK} {WWW} {BARE_URL}"),
    "renew": (f"Renew {DIRECTIVES}", TYPOGRAPHY, MAIL, LINK),
    "switch": (f"Switch {SCRIPT_LINK} {WWW} {BARE_URL}", MAIL, ASCII_MAIL, IMAGE),
}
#: What each stage name gets appended, in turn.
STAGE_SUFFIXES = (IMAGE, LINK, HTML_IMAGE, TYPOGRAPHY, DIRECTIVES, SCRIPT_LINK, BARE_URL)
#: What each touchpoint name gets appended, in turn; touchpoint owners alternate between these.
TOUCHPOINT_SUFFIXES = (IMAGE, LINK, HTML_IMAGE, SCRIPT_LINK, DIRECTIVES, f"{WWW} --", BARE_URL)
TOUCHPOINT_OWNERS = (MAIL, ASCII_MAIL, f"{LINK} Meier")
#: A KPI whose name is hostile too (KPI names come from the warehouse's kpis table).
HOSTILE_KPI = "csat"
HOSTILE_KPI_NAME = f"CSAT -- *score* {IMAGE}"

#: The quarter the hostile fixture closes, with a hostile comment and a hostile closer.
CLOSED_QUARTER = "2026Q3"
COMMENT = f"Wait times {IMAGE} -- see {LINK} {SCRIPT} <b>bold</b> & {MAIL}"
AUTHOR = f"{ASCII_MAIL} {IMAGE}"
CLOSED_BY = f"{LINK} Jürgen"
AT = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


def hostile_frames() -> dict[str, pd.DataFrame]:
    """The generated demo data with hostile names, in canonical names."""
    frames = generate(touchpoints=12, years=2, seed=3, end=DEMO_END, faults=False)
    journeys = frames["journeys"].copy()
    for column, position in (("name", 0), ("persona", 1), ("owner", 2), ("description", 3)):
        journeys[column] = [JOURNEYS[j][position] for j in journeys["journey_id"]]
    stages = frames["stages"].copy()
    stages["name"] = [f"{name} {STAGE_SUFFIXES[i % len(STAGE_SUFFIXES)]}"
                      for i, name in enumerate(stages["name"])]
    touchpoints = frames["touchpoints"].copy()
    touchpoints["name"] = [f"{name} {TOUCHPOINT_SUFFIXES[i % len(TOUCHPOINT_SUFFIXES)]}"
                           for i, name in enumerate(touchpoints["name"])]
    touchpoints["owner"] = [TOUCHPOINT_OWNERS[i % len(TOUCHPOINT_OWNERS)] for i in range(len(touchpoints))]
    kpis = frames["kpis"].copy()
    kpis["description"] = [f"{text} {STAGE_SUFFIXES[i % len(STAGE_SUFFIXES)]}"
                           for i, text in enumerate(kpis["description"])]
    kpis.loc[kpis["kpi_id"] == HOSTILE_KPI, "name"] = HOSTILE_KPI_NAME
    return {**frames, "journeys": journeys, "stages": stages, "touchpoints": touchpoints, "kpis": kpis}


def build_hostile_warehouse(path: Path) -> str:
    """Write the hostile warehouse as a DuckDB file at ``path``; returns its URL."""
    url = sa.URL.create("duckdb", database=str(path)).render_as_string()
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, hostile_frames())
    finally:
        engine.dispose()
    return url


def close_hostile_quarter(warehouse_url: str, state_url: str) -> None:
    """Comment on CLOSED_QUARTER (as AUTHOR) and close it (as CLOSED_BY) in the review store."""
    wh = open_warehouse(warehouse_url, None)
    try:
        registry = KpiRegistry.from_frame(dimension_frame(wh, "kpis"))
        figures = build_quarter_figures(wh, registry, parse_quarter(CLOSED_QUARTER),
                                        TrustEvidence.unchecked(), DEMO_END)
    finally:
        wh.engine.dispose()
    store = open_review_store(state_url)
    try:
        for journey_id, _name in figures.journeys:
            save_comment(store, CLOSED_QUARTER, journey_id, JOURNEY_COMMENT, COMMENT, AUTHOR, 0, AT)
        close_shown(store, figures, CLOSED_BY, AT)
    finally:
        store.dispose()
