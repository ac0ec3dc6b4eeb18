""""Run checks now": one check run at a time per state store, in the background, whoever presses.

A run takes seconds to minutes. Running it inside the page's script would let a second press (or
a second viewer) start a second run, and a press while the first was running would interrupt it.
So the run goes to a background thread of the server process, registered per state store: a press
while a run is going starts nothing and says so; the page shows the run's progress and, when it
ends, its result. The run itself is checks.runner.run_checks on the app's opened warehouse, stored
with checks.history.save_run, exactly as before.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from checks import history
from checks.results import CheckRun
from connectors.state import StateStoreError
from connectors.warehouse import Warehouse
from metrics.formatting import number_text
from metrics.i18n import tr
from ui.text import literal


@dataclass
class CheckRunJob:
    started_at: dt.datetime
    share: float = 0.0
    step: str = ""  # what the runner reports it is checking
    run: CheckRun | None = None
    problem: str = ""  # why the run could not be stored or did not finish
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.finished.is_set()


_jobs: dict[str, CheckRunJob] = {}
_jobs_lock = threading.Lock()


def current_job(state_key: str) -> CheckRunJob | None:
    """The latest run started from the app on this state store in this process, if any."""
    with _jobs_lock:
        return _jobs.get(state_key)


def start_check_run(
    state_key: str, warehouse: Warehouse, engine: sa.Engine, today: dt.date, docs_dir: Path | None
) -> tuple[CheckRunJob, bool]:
    """Start a run unless one is going on this state store: (the job, whether this call started it)."""
    with _jobs_lock:
        job = _jobs.get(state_key)
        if job is not None and job.running:
            return job, False
        job = CheckRunJob(started_at=dt.datetime.now(dt.UTC))
        _jobs[state_key] = job
    thread = threading.Thread(target=_run, args=(job, warehouse, engine, today, docs_dir),
                              name="mot-check-run", daemon=True)
    thread.start()
    return job, True


def _run(
    job: CheckRunJob, warehouse: Warehouse, engine: sa.Engine, today: dt.date, docs_dir: Path | None
) -> None:
    from checks.runner import run_checks  # imports Great Expectations: only when asked to run

    def progress(share: float, step: str) -> None:
        job.share, job.step = min(max(share, 0.0), 1.0), step

    try:
        run = run_checks(warehouse, today, docs_dir=docs_dir, trigger="app", progress=progress)
        history.save_run(engine, run)
        job.run = run
    except StateStoreError as exc:
        job.problem = str(exc)
    except Exception as exc:  # noqa: BLE001 - a background run must always end and say why
        job.problem = tr("The check run stopped: {error}: {problem}").format(
            error=type(exc).__name__, problem=exc)
    finally:
        job.finished.set()


#: How often the page looks at a running check run.
POLL_SECONDS = 1.5
_SEEN_KEY = "_mot_seen_check_run"


def show_check_run(state_key: str) -> None:
    """The app's check run on this store: its progress while it runs, its result once after."""
    job = current_job(state_key)
    if job is None:
        return
    if job.running:
        _poll(state_key)
        return
    seen = st.session_state.get(_SEEN_KEY)
    if seen == job.started_at:
        return
    st.session_state[_SEEN_KEY] = job.started_at
    if job.problem or job.run is None:
        st.error(tr("The check run started at {time} UTC did not finish: {problem}").format(
            time=f"{job.started_at:%H:%M:%S}", problem=literal(job.problem or tr("no result"))))
        return
    counts = job.run.counts()
    st.success(tr("Checks done in {seconds} s: {critical} critical and {warning} warning checks failing. "
                  "The history below includes this run.").format(
        seconds=number_text(job.run.seconds, 1), critical=counts["failed_critical"],
        warning=counts["failed_warning"]))


@st.fragment(run_every=POLL_SECONDS)
def _poll(state_key: str) -> None:
    job = current_job(state_key)
    if job is None or not job.running:
        st.rerun()  # the whole page again: the new run's history and trust
        return
    doing = (tr("Checking {step}…").format(step=literal(job.step)) if job.step
             else tr("Starting the check run…"))
    text = tr("{doing} (started at {time} UTC; the run goes on if you leave this page)").format(
        doing=doing, time=f"{job.started_at:%H:%M:%S}")
    st.progress(job.share, text=text)
