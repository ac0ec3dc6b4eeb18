"""What every page needs: settings, the warehouse, the KPI registry, dimensions and ``as_of``.

dashboard.py calls ``prepare_context`` once per run (it resolves settings, generates the demo on
first start, opens the warehouse) and pages call ``app_context()``. Errors a user can cause end in
``show_problem``: a clear message and what to do, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from connectors.db_errors import database_reason
from connectors.mapping import MappingError, MappingFileError
from connectors.queries import date_bounds, dimension_frame
from connectors.settings import Settings, SettingsError, create_data_folders, resolve_settings
from connectors.warehouse import Warehouse, WarehouseError, open_warehouse
from metrics.registry import KpiRegistry

CONTEXT_KEY = "_mot_context"
CACHE_TTL_SECONDS = 600


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
    #: Fingerprint of the dimension tables as loaded: part of the cache key of anything derived
    #: from them (scored values), so a target change in the warehouse is never judged by old ones.
    dimensions_version: str = ""

    @property
    def key(self) -> str:
        """Cache key part naming the warehouse (URL without credentials, mapping)."""
        return self.settings.warehouse_key

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
    st.error(f"**{title}**\n\n" + "\n".join(f"- {d}" for d in details))
    st.info(fix, icon=":material/build:")


def _secrets() -> dict[str, object]:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets.toml, or an unreadable one: environment and defaults still apply
        return {}


@st.cache_resource(show_spinner=False)
def _ensure_demo(path: str) -> str:
    from connectors.demo import build_demo_file  # heavy; only needed on first start

    build_demo_file(Path(path))
    return path


@st.cache_resource(show_spinner=False)
def _warehouse(url: str, mapping_path: str) -> Warehouse:
    return open_warehouse(url, Path(mapping_path) if mapping_path else None)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _dimensions(_wh: Warehouse, key: str) -> tuple[dict[str, pd.DataFrame], str]:
    frames = {
        name: dimension_frame(_wh, name) for name in ("journeys", "stages", "touchpoints", "kpis", "targets")
    }
    digest = hashlib.sha256()
    for frame in frames.values():
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return frames, digest.hexdigest()[:16]


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _bounds(_wh: Warehouse, key: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    return date_bounds(_wh, not_after=today)


def _open(settings: Settings, today: dt.date) -> AppContext:
    if settings.is_demo and not settings.demo_path.exists():
        with st.status("Generating the demo warehouse (first start only, a few seconds)…", expanded=True):
            st.write(f"Writing a believable demo company to `{settings.demo_path}`.")
            try:
                _ensure_demo(str(settings.demo_path))
            except (OSError, sa.exc.SQLAlchemyError) as exc:
                raise ProblemError(
                    "The demo warehouse cannot be created",
                    [f"{settings.demo_path}: {database_reason(exc)}"],
                    "Point MOT_DATA_DIR at a folder this user may write, or set MOT_WAREHOUSE_URL "
                    "to your warehouse. Then reload.",
                ) from None
    wh = _warehouse(settings.effective_warehouse_url, str(settings.mapping_path or ""))
    dims, dims_version = _dimensions(wh, settings.warehouse_key)
    bounds = _bounds(wh, settings.warehouse_key, today)
    if bounds is None:
        raise ProblemError(
            "The warehouse has no KPI data yet",
            ["The touchpoint KPI table is empty (or holds only future dates)."],
            "Load touchpoint KPIs into the warehouse, then reload this page.",
        )
    try:
        registry = KpiRegistry.from_frame(dims["kpis"])
    except (ValueError, KeyError) as exc:
        raise ProblemError(
            "The KPI table cannot be read",
            [str(exc)],
            "Each KPI needs a unit (percent, score, count, currency, seconds), a direction "
            "(higher_is_better, lower_is_better) and an aggregation (ratio, sum).",
        ) from None
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
        dimensions_version=dims_version,
    )


def prepare_context(today: dt.date) -> AppContext | None:
    """Open everything for this run; on a user-fixable problem show it and return None."""
    try:
        settings = resolve_settings(os.environ, _secrets())
        create_data_folders(settings)
        context = _open(settings, today)
    except SettingsError as exc:
        show_problem(
            "A setting is wrong",
            [str(exc)],
            "Fix the setting (environment or .streamlit/secrets.toml; README, section "
            "'Configuration') and reload.",
        )
        return None
    except MappingFileError as exc:
        show_problem(
            "The mapping file cannot be used",
            exc.problems,
            "Fix the file MOT_MAPPING names (README, section 'The canonical model and the mapping "
            "file'), or unset MOT_MAPPING to use canonical names. Then reload.",
        )
        return None
    except MappingError as exc:
        show_problem(
            "The mapping file does not fit the warehouse",
            exc.problems,
            "Edit the mapping file (MOT_MAPPING) so every canonical table and column points at an "
            "existing physical one of a type that can hold it; see README, section 'The canonical "
            "model and the mapping file'. Then reload.",
        )
        return None
    except WarehouseError as exc:
        show_problem(
            "The warehouse cannot be reached",
            [str(exc)],
            "Check MOT_WAREHOUSE_URL (environment or .streamlit/secrets.toml) and that the "
            "warehouse is running, then reload. Unset it to use the embedded demo.",
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
    if context is None and PagesManager.uses_pages_directory:
        # Streamlit 1.67 starts a server in the old pages/-folder mode until the first
        # st.navigation call, so a deep link (/journey) as the server's first request runs the
        # page script alone. Leave that mode and rerun: the rerun goes through dashboard.py.
        PagesManager.uses_pages_directory = False
        st.rerun()
    if context is None:
        st.error("Open the dashboard through `streamlit run dashboard.py`.")
        st.stop()
    return context
