"""python -m benchmarks.round_trips [--rows N] [--json PATH]: warehouse statements per page run.

Each page of ui.navigation.PAGES is run once under Streamlit's AppTest (default widgets) on a demo
warehouse of about ``--rows`` fact rows (built or reused in data/bench/, as ``python -m benchmarks``
does), with every cached warehouse read (``st.cache_data`` and the shared frames:
ui.caching.clear_data) cleared before the page, and every statement the warehouse engine executes is
counted (SQLAlchemy's ``before_cursor_execute`` event). The context's own reads (dimension tables,
date bounds: the same on every page) are counted apart from the page's figures, so the number per
page is its round trips for figures on a cold cache.

The state store is a fresh SQLite file holding ``--actions`` owners' actions (half on the
touchpoints of the journey the Journey page opens on, half on those of the owner My touchpoints
opens on, started over the last months), since each shown action's KPI before and after its start
is read from the warehouse too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import traceback
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
#: Readers of the context (the same on every page, cached apart from the figures).
CONTEXT_READERS = ("date_bounds", "dimension_frame", "open_warehouse", "open_configured_warehouse")


def _reader() -> str:
    """The connectors function that sent the statement: the outermost frame of the innermost run
    of frames in connectors/ (kpi_frame, kpi_periods_frame, funnel_frame, date_bounds, ...)."""
    reader = None
    for frame in reversed(traceback.extract_stack()):
        if f"{os.sep}connectors{os.sep}" in frame.filename:
            reader = frame.name
        elif reader is not None:
            break
    return reader or "?"


def seed_actions(url: str, state_url: str, count: int) -> int:
    """Record ``count`` actions in the state store at ``state_url``; returns how many."""
    from connectors.actions import NewAction, prepare_action_store, record_action
    from connectors.queries import date_bounds, dimension_frame
    from connectors.warehouse import open_warehouse
    from metrics.owners import owner_names, owner_touchpoints

    wh = open_warehouse(url, None)
    try:
        journeys, touchpoints = dimension_frame(wh, "journeys"), dimension_frame(wh, "touchpoints")
        kpis = dimension_frame(wh, "kpis")["kpi_id"].astype(str).tolist()
        bounds = date_bounds(wh, not_after=dt.date.today())
    finally:
        wh.engine.dispose()
    assert bounds is not None
    first_journey = journeys.sort_values("name")["journey_id"].iloc[0]
    owner = owner_names(journeys, touchpoints)[0]
    on_journey = touchpoints[touchpoints["journey_id"] == first_journey]["touchpoint_id"].astype(str).tolist()
    owned = owner_touchpoints(owner, journeys, touchpoints)["touchpoint_id"].astype(str).tolist()
    picks = [on_journey[i % len(on_journey)] for i in range(count - count // 2)]
    picks += [owned[i % len(owned)] for i in range(count // 2)] if owned else []
    engine = sa.create_engine(state_url)
    prepare_action_store(engine)
    for i, touchpoint_id in enumerate(picks):
        started = bounds[1] - dt.timedelta(days=15 * (i + 1))
        record_action(engine, NewAction(touchpoint_id, kpis[i % len(kpis)], f"Action {i}", "Bench",
                                        started + dt.timedelta(days=30), started, "doing"),
                      "bench", dt.datetime.now(dt.UTC))
    engine.dispose()
    return len(picks)


def count_pages(url: str, pages: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per page script: the figure statements (first table read each) and the context reads."""
    from streamlit.testing.v1 import AppTest

    from tests.fixtures import sent_statements
    from ui.caching import clear_data
    from ui.navigation import PAGES

    database = sa.make_url(url).database
    os.environ["MOT_WAREHOUSE_URL"] = url
    out: dict[str, dict[str, Any]] = {}
    with sent_statements(sa.Engine, note=_reader) as sent:  # every engine: the app opens its own
        for script, _title, _icon in PAGES:
            if pages and script not in pages:
                continue
            clear_data()
            sent.clear()
            at = AppTest.from_file(APP, default_timeout=120)
            if script != PAGES[0][0]:
                at.switch_page(script)
            at.run(timeout=120)
            problems = [e.value for e in at.exception] + [e.value for e in at.error]
            readers = [s.note for s in sent if s.database == database]
            figures = [r for r in readers if r not in CONTEXT_READERS]
            out[script] = {
                "figure_statements": len(figures),
                "figure_readers": figures,
                "context_statements": len(readers) - len(figures),
                "problems": [str(p)[:200] for p in problems],
            }
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import ensure_warehouse
    from connectors.demo_file import demo_end_for

    parser = argparse.ArgumentParser(prog="python -m benchmarks.round_trips",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--warehouse-url", help="count on this warehouse instead of a demo size")
    parser.add_argument("--json", type=Path, help="also write the counts to this JSON file")
    parser.add_argument("--actions", type=int, default=6, help="owners' actions in the state store (6)")
    args = parser.parse_args(argv)
    if args.warehouse_url:
        url = args.warehouse_url
    else:
        path, _count = ensure_warehouse(args.rows, args.cache_dir, demo_end_for(dt.date.today()))
        url = sa.URL.create("duckdb", database=str(path.resolve())).render_as_string()
    with tempfile.TemporaryDirectory(prefix="mot-round-trips-") as data_dir:
        state_url = "sqlite:///" + str(Path(data_dir) / "state.sqlite")
        os.environ["MOT_DATA_DIR"], os.environ["MOT_STATE_URL"] = data_dir, state_url
        seeded = seed_actions(url, state_url, args.actions)
        print(f"{seeded} actions in the state store")
        counts = count_pages(url)
    for script, row in counts.items():
        print(f"{Path(script).stem:<16} {row['figure_statements']:>2} figure statements "
              f"({', '.join(row['figure_readers']) or 'none'}); context {row['context_statements']}"
              + (f"; PROBLEMS {row['problems']}" if row["problems"] else ""))
    if args.json:
        args.json.write_text(json.dumps(counts, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
