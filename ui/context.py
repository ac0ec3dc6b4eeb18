"""What every page needs: settings, the warehouse, the KPI registry, dimensions and ``as_of``.

dashboard.py calls ``prepare_context`` once per run (it resolves settings, opens the warehouse)
and pages call ``app_context()``. With no warehouse configured it first makes sure the demo exists
and ends yesterday: when missing or stale it is rebuilt and checked (checks/demo.py), so the first
page already marks the demo's planted faults as not trusted. Errors a user can cause end in
``show_problem``: a clear message and what to do, never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from connectors.access import EVERYTHING, AccessScope
from connectors.demo_file import DemoInfo, demo_is_current, read_demo_info
from connectors.mapping import MappingError, MappingFileError
from connectors.queries import date_bounds, dimension_frame
from connectors.runtime import (
    KPI_TABLE_FIX,
    KpiTableError,
    kpi_registry_from,
    load_settings,
    open_configured_warehouse,
)
from connectors.settings import Settings, SettingsError
from connectors.warehouse import Warehouse, WarehouseError
from metrics.formatting import current_language, date_text, number_text
from metrics.i18n import tr, tr_n
from metrics.registry import KpiRegistry
from ui import caching
from ui.identity import AccessProblem, login_gate, resolve_scope
from ui.navigation import APP_ICON, APP_TITLE, app_pages
from ui.text import literal

if TYPE_CHECKING:
    from streamlit.elements.lib.mutable_status_container import StatusContainer

    from checks.demo import CheckedDemo

CONTEXT_KEY = "_mot_context"
_REROUTED_KEY = "_mot_rerouted"


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    warehouse: Warehouse
    registry: KpiRegistry
    journeys: pd.DataFrame
    stages: pd.DataFrame
    touchpoints: pd.DataFrame
    targets: pd.DataFrame
    first_date: dt.date
    as_of: dt.date
    #: Cache key part naming the warehouse: URL without credentials, mapping and, for the demo, the
    #: version of its file (ui/caching.py).
    key: str
    #: Fingerprint of the dimension tables as loaded: part of the cache key of anything derived
    #: from them (scored values), so a target change in the warehouse is never judged by old ones.
    dimensions_version: str = ""
    #: What the person looking may read (connectors/access.py). Every loader passes it to the
    #: queries, and ``key`` carries its fingerprint, so no cached frame crosses scopes.
    scope: AccessScope = EVERYTHING
    #: ``key``'s warehouse part (no language, no scope): what the server's one copy of the dimension
    #: tables is cached by (``warehouse_dimensions``); empty for a context built without it.
    warehouse_key: str = ""

    @functools.cached_property
    def _journey_names(self) -> dict[str, str]:
        return dict(zip(self.journeys["journey_id"], self.journeys["name"], strict=False))

    def journey_name(self, journey_id: str) -> str:
        return str(self._journey_names.get(journey_id, journey_id))


class ProblemError(Exception):
    """A problem to show instead of the page: title, what is wrong, what to do."""

    def __init__(self, title: str, details: list[str], fix: str) -> None:
        super().__init__(title)
        self.title, self.details, self.fix = title, details, fix


def show_problem(title: str, details: list[str], fix: str) -> None:
    st.error(f"**{title}**\n\n" + "\n".join(f"- {literal(d)}" for d in details))
    st.info(fix, icon="🛠️")


#: What identifies one version of the demo file: (inode, mtime, size). A rebuild replaces the file,
#: so it changes; None while there is no file.
FileStamp = tuple[int, int, int] | None


def _file_stamp(path: Path) -> FileStamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@st.cache_data(show_spinner=False, max_entries=caching.DEMO_FILES)
def _demo_info(path: str, stamp: FileStamp) -> DemoInfo | None:
    """The demo file's record, read once per version of the file (``stamp``)."""
    return read_demo_info(Path(path))


@st.cache_resource(show_spinner=False)
def _demo_lock(path: str) -> threading.Lock:
    """One rebuild at a time in this process; sessions that wait find the demo current."""
    return threading.Lock()


def _ensure_demo(settings: Settings, today: dt.date) -> None:
    """Build and check the demo when it is missing or its data ends before yesterday."""
    path = settings.demo_path
    if demo_is_current(_demo_info(str(path), _file_stamp(path)), today):
        return
    with (
        st.status(tr("Preparing the demo warehouse and checking its data quality (up to half a minute)…"),
                  expanded=True) as status,
        _demo_lock(str(path)),
    ):
        if demo_is_current(read_demo_info(path), today):  # another session built it meanwhile
            status.update(label=tr("Demo warehouse ready"), state="complete", expanded=False)
            return
        built = _build_demo(settings, today, status)
        if built is not None:
            _report_demo_checks(status, built)


def _build_demo(settings: Settings, today: dt.date, status: StatusContainer) -> CheckedDemo | None:
    """The rebuilt and checked demo; None (with a warning) when only an old demo file remains."""
    from checks.demo import build_checked_demo  # heavy (checks, generator); rarely needed

    try:
        return build_checked_demo(settings.demo_path, settings.state_url, today, progress=st.write)
    except (OSError, sa.exc.SQLAlchemyError) as exc:
        status.update(label=tr("The demo warehouse could not be written"), state="error")
        if not settings.demo_path.exists():
            raise ProblemError(
                tr("The demo warehouse cannot be written"),
                [f"{settings.demo_path}: {exc}"],
                tr("Set MOT_DATA_DIR to a writable folder (or MOT_WAREHOUSE_URL to your warehouse), "
                   "then reload."),
            ) from None
        st.warning(tr("The demo could not be brought up to date ({reason}); it shows older data.").format(
            reason=literal(exc)))
        return None


def _report_demo_checks(status: StatusContainer, built: CheckedDemo) -> None:
    """The outcome of the demo's first check run, inside the status box."""
    if built.run is not None:
        failing = built.run.counts()["failed_critical"]
        st.write(tr_n("{n} critical check fails on purpose: the demo plants data faults for it to find. "
                      "Values behind it show as not trusted; the Data quality page lists it.",
                      "{n} critical checks fail on purpose: the demo plants data faults for them to find. "
                      "Values behind them show as not trusted; the Data quality page lists them.",
                      failing).format(n=number_text(failing)))
    if built.saved:
        ready = tr("Demo warehouse ready, data up to {date}").format(date=date_text(built.info.end))
        status.update(label=ready, state="complete", expanded=False)
        return
    st.warning(tr("{problem} The dashboard opens anyway; the Data quality page shows what the state store "
                  "holds.").format(problem=literal(built.problem)))
    status.update(label=tr("Demo warehouse ready, but its data-quality check run was not stored"),
                  state="error")


@dataclass(frozen=True)
class _OpenWarehouse:
    warehouse: Warehouse
    #: The demo file it reads and its version when opened; None for any other warehouse.
    demo_path: Path | None
    stamp: FileStamp


def _still_same_file(opened: _OpenWarehouse) -> bool:
    """False once the demo file was replaced; its engine is then closed, so the next open reads
    the new file. (DuckDB hands a process that still has a file open that same database again.)"""
    if opened.demo_path is None or _file_stamp(opened.demo_path) == opened.stamp:
        return True
    opened.warehouse.engine.dispose()
    return False


@st.cache_resource(show_spinner=False, validate=_still_same_file)
def _warehouse(_settings: Settings, url: str, mapping_path: str, demo_path: str) -> _OpenWarehouse:
    """Opened through connectors.runtime, as every command opens it; keyed by the full URL."""
    demo = Path(demo_path) if demo_path else None
    stamp = _file_stamp(demo) if demo is not None else None  # before opening: a later change reopens
    return _OpenWarehouse(open_configured_warehouse(_settings), demo, stamp)


# One copy for the server, not one per call: every session keeps its context (these frames
# included) in its session state, so a copy per call was a copy per open session (ui/caching.py).
@caching.shared(ttl=caching.WAREHOUSE_TTL_SECONDS, max_entries=caching.WAREHOUSE_VERSIONS)
def _dimensions(_wh: Warehouse, key: str) -> tuple[dict[str, pd.DataFrame], str]:
    frames = {
        name: dimension_frame(_wh, name) for name in ("journeys", "stages", "touchpoints", "kpis", "targets")
    }
    digest = hashlib.sha256()
    for frame in frames.values():
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return frames, digest.hexdigest()[:16]


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.WAREHOUSE_VERSIONS)
def _bounds(_wh: Warehouse, key: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    return date_bounds(_wh, not_after=today)


def open_server_context(settings: Settings, today: dt.date) -> AppContext:
    """What ``prepare_context`` opens and caches for the whole server with ``settings``: the
    warehouse, its dimension tables and date bounds, without a session's login or access scope.
    The server's warm start calls it before the first visitor (ui/warm_start.py)."""
    return _open(settings, today)


def _open(settings: Settings, today: dt.date) -> AppContext:
    if settings.is_demo:
        _ensure_demo(settings, today)
    opened = _warehouse(
        settings,
        settings.effective_warehouse_url,
        str(settings.mapping_path or ""),
        str(settings.demo_path) if settings.is_demo else "",
    )
    wh = opened.warehouse
    # A rebuilt demo is another file: nothing cached from the old one applies (ui/caching.py).
    key = f"{settings.warehouse_key}|{opened.stamp}" if opened.stamp else settings.warehouse_key
    shared, dims_version = _dimensions(wh, key)
    dims = {name: caching.own_view(frame) for name, frame in shared.items()}
    bounds = _bounds(wh, key, today)
    if bounds is None:
        raise ProblemError(
            tr("The warehouse has no KPI data yet"),
            [tr("The touchpoint KPI table is empty (or holds only future dates).")],
            tr("Load touchpoint KPIs into the warehouse, then reload this page."),
        )
    try:
        registry = kpi_registry_from(dims["kpis"])
    except KpiTableError as exc:
        raise ProblemError(tr("The KPI table cannot be read"), [exc.detail], tr(KPI_TABLE_FIX)) from None
    return AppContext(
        settings=settings,
        warehouse=wh,
        registry=registry,
        journeys=dims["journeys"],
        stages=dims["stages"],
        touchpoints=dims["touchpoints"],
        targets=dims["targets"],
        first_date=bounds[0],
        as_of=bounds[1],
        key=f"{key}|{current_language()}",  # cached frames hold text in the language they were made in
        dimensions_version=dims_version,
        warehouse_key=key,
    )


def warehouse_dimensions(context: AppContext) -> dict[str, pd.DataFrame] | None:
    """The warehouse's dimension tables as read once for the server (journeys, stages, touchpoints,
    kpis, targets; not cut to a person's scope), each an own view; None for a context built without
    ``warehouse_key``. The review reads them from here instead of again (#19: about 1 s of its cold
    run at 100 M rows)."""
    if not context.warehouse_key:
        return None
    shared, _ = _dimensions(context.warehouse, context.warehouse_key)
    return {name: caching.own_view(frame) for name, frame in shared.items()}


def scoped(context: AppContext, scope: AccessScope) -> AppContext:
    """The context as one person sees it: their scope in every read and cache key, and only the
    journeys they may see (with their stages and touchpoints, as context) in every picker."""
    if scope.everything:
        return dataclasses.replace(context, scope=scope)
    visible = scope.visible_journeys()
    return dataclasses.replace(
        context,
        scope=scope,
        key=f"{context.key}|{scope.fingerprint}",
        journeys=context.journeys[context.journeys["journey_id"].isin(visible)].reset_index(drop=True),
        stages=context.stages[context.stages["journey_id"].isin(visible)].reset_index(drop=True),
        touchpoints=context.touchpoints[context.touchpoints["journey_id"].isin(visible)].reset_index(drop=True),
    )


def show_scope_note(context: AppContext) -> None:
    """Above every page of a scoped person: whose rows the figures and totals are over."""
    scope = context.scope
    if scope.everything:
        return
    count, journeys = len(scope.touchpoint_ids), len(scope.visible_journeys())
    touchpoints = tr_n("{n} touchpoint", "{n} touchpoints", count).format(n=number_text(count))
    in_journeys = tr_n("{n} journey", "{n} journeys", journeys).format(n=number_text(journeys))
    st.caption(tr("🔒 Your scope: {touchpoints} in {journeys}. Every figure and every total on this page "
                  "is computed over these touchpoints only.").format(touchpoints=touchpoints,
                                                                      journeys=in_journeys))


def prepare_context(today: dt.date) -> AppContext | None:
    """Open everything for this run; on a user-fixable problem show it and return None."""
    try:
        settings = load_settings()
        if not login_gate(settings):  # login configured and nobody logged in: the login page only
            return None
        context = _open(settings, today)
        context = scoped(context, resolve_scope(settings, context.journeys, context.touchpoints,
                                                context.dimensions_version))
    except AccessProblem as exc:
        show_problem(tr("The access rules cannot be read"), [str(exc)],
                     tr("Fix the file MOT_ACCESS (or MOT_CONTACTS) names (README, section 'Login and "
                        "access'), then reload."))
        return None
    except SettingsError as exc:
        show_problem(
            tr("A setting is wrong"),
            [str(exc)],
            tr("Fix the setting (environment or .streamlit/secrets.toml; README, section "
               "'Configuration') and reload."),
        )
        return None
    except MappingFileError as exc:
        show_problem(
            tr("The mapping file cannot be used"),
            exc.problems,
            tr("Fix the file MOT_MAPPING names (README, section 'The canonical model and the mapping "
               "file'), or unset MOT_MAPPING to use canonical names. Then reload."),
        )
        return None
    except MappingError as exc:
        show_problem(
            tr("The mapping file does not fit the warehouse"),
            exc.problems,
            tr("Edit the mapping file (MOT_MAPPING) so every canonical table and column points at an "
               "existing physical one of a type that can hold it; see README, section 'The canonical "
               "model and the mapping file'. Then reload."),
        )
        return None
    except WarehouseError as exc:
        show_problem(
            tr("The warehouse cannot be reached"),
            [str(exc)],
            tr("Check MOT_WAREHOUSE_URL (environment or .streamlit/secrets.toml) and that the "
               "warehouse is running, then reload. Unset it to use the embedded demo."),
        )
        return None
    except ProblemError as exc:
        show_problem(exc.title, exc.details, exc.fix)
        return None
    st.session_state[CONTEXT_KEY] = context
    return context


def app_context() -> AppContext:
    """The context dashboard.py prepared for this run."""
    context = st.session_state.get(CONTEXT_KEY)
    if context is None and not st.session_state.get(_REROUTED_KEY):
        # A server starts in Streamlit's pages/-folder mode until st.navigation is first called,
        # so a deep link (/journey) as a cold server's first request runs the page script alone.
        # Calling st.navigation (public API) ends that mode; the rerun goes through dashboard.py.
        st.session_state[_REROUTED_KEY] = True
        st.set_page_config(page_title=tr(APP_TITLE), page_icon=APP_ICON, layout="wide")
        st.navigation(app_pages()[1], position="hidden")
        st.rerun()
    if context is None:
        st.error(tr("Open the dashboard through `streamlit run dashboard.py`."))
        st.stop()
    return context
