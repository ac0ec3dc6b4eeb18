"""The demo warehouse, checked from the start: build it and store a check run of it in one step.

The app (ui/context.py) calls ``build_checked_demo`` when the demo is missing or stale, so the
first page anyone sees already marks the demo's planted faults as not trusted instead of showing
every value unchecked. It lives here, not in connectors/, because connectors must not import
checks. The checks run on the finished file before it replaces the old one, so the run describes
exactly the data that is published.

A demo that cannot be checked still opens: when the checks crash or the state store cannot take
the run, ``CheckedDemo.problem`` says why and nothing is raised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from checks.history import save_run
from checks.results import CheckRun
from checks.runner import run_checks
from connectors.demo import rebuild_demo
from connectors.demo_file import DemoInfo
from connectors.runtime import WarehouseUnavailable, open_for_checks, state_engine
from connectors.state import StateStoreError
from connectors.warehouse import WarehouseError
from metrics.i18n import tr

__all__ = ["build_checked_demo", "CheckedDemo"]

#: ``trigger`` of the runs stored here (the CLI stores "cli", the page's button "app").
TRIGGER = "demo"


@dataclass(frozen=True)
class CheckedDemo:
    info: DemoInfo
    #: The check run of the new file; None when the checks could not run.
    run: CheckRun | None
    #: Why the run is missing or was not stored; empty when it is in the state store.
    problem: str = ""

    @property
    def saved(self) -> bool:
        return self.run is not None and not self.problem


def _demo_url(path: Path) -> str:
    """The demo file's URL as the app names it (Settings.effective_warehouse_url)."""
    return f"duckdb:///{path}"


def build_checked_demo(
    path: Path,
    state_url: str,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> CheckedDemo:
    """Rebuild the demo at ``path`` to end the day before ``today``, check it as of ``today`` and
    store the run in the state store at ``state_url``. ``progress`` hears each step's name."""
    say = progress or (lambda _step: None)
    runs: list[CheckRun] = []
    problems: list[str] = []

    def check(written: Path) -> None:
        say(tr("Checking the demo's data quality…"))
        try:
            runs.append(_check(written, path, today))
        except Exception as exc:  # anything: the demo opens even when its checks crash
            problems.append(
                tr("The data-quality checks could not run on the demo: {problem}").format(problem=exc))

    say(tr("Generating the demo warehouse…"))
    info = rebuild_demo(path, today, before_publish=check)
    if not runs:
        return CheckedDemo(info, None, problems[0] if problems else tr("The checks did not run."))
    say(tr("Storing the check run…"))
    return CheckedDemo(info, runs[0], _store(runs[0], state_url))


def _check(written: Path, published: Path, today: dt.date) -> CheckRun:
    """Check the file at ``written``; the run names the file it is published as."""
    warehouse = open_for_checks(_demo_url(written))
    if isinstance(warehouse, WarehouseUnavailable):  # a file just written that cannot be read
        raise WarehouseError(warehouse.reason)
    try:
        run = run_checks(warehouse, today, trigger=TRIGGER)
    finally:
        warehouse.engine.dispose()  # closed before the rename: no connection keeps the temporary file
    return dataclasses.replace(run, warehouse=_demo_url(published))


def _store(run: CheckRun, state_url: str) -> str:
    """Save the run in the state store the app uses (one engine per URL); the reason it could not be
    saved, or ""."""
    try:
        save_run(state_engine(state_url), run)
    except (StateStoreError, sa.exc.SQLAlchemyError) as exc:
        return str(exc)
    return ""
