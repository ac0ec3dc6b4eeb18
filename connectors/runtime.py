"""One way to open what the app and every command use: settings, the warehouse, its KPIs, the state store.

The app (ui/context.py) and the commands (``python -m checks``, ``python -m metrics.alerts``,
``python -m review``, checks/demo.py) open things only through this module:

- **Settings**: the environment, then ``.streamlit/secrets.toml`` (read here and nowhere else), then
  the defaults (connectors/settings.py). A secrets file that cannot be read is a SettingsError.
- **The warehouse**: ``open_configured_warehouse`` checks the mapping against it and refuses one that
  does not fit (the app, the review and the alerts need a fitting one); ``open_for_checks`` takes it
  as it is and hands back the reason when it cannot be opened, since the checks report both as
  check results. A warehouse engine belongs to its opened ``Warehouse``: the app keeps one per
  warehouse (ui/context.py), a command opens one per run.
- **The KPI registry**: the warehouse's kpis table, or KpiTableError saying what to fix.
- **The state store**: one engine per URL in this process (``state_engine``), shared by the check
  history, trust and the review, which each create their tables once per engine
  (connectors.state.ensure_tables).
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.access import EVERYTHING, AccessError, AccessScope, load_access, scope_for
from connectors.contacts import ContactsError, load_contacts
from connectors.db_errors import database_reason
from connectors.mapping import MappingError, check_against, fit_optional_columns, load_mapping
from connectors.queries import dimension_frame
from connectors.settings import Settings, SettingsError, create_data_folders, resolve_settings
from connectors.state import create_state_engine
from connectors.warehouse import (
    EmbeddedLimits,
    Warehouse,
    WarehouseError,
    build_tables,
    create_read_engine,
    open_warehouse,
    redact_url,
)
from metrics.formatting import LANGUAGES, set_language
from metrics.i18n import N_, tr
from metrics.registry import KpiRegistry

__all__ = ["apply_language", "embedded_limits", "kpi_registry_from", "KPI_TABLE_FIX", "KpiTableError",
    "load_settings",
    "open_configured_warehouse", "open_for_checks", "read_kpi_registry", "read_secrets", "scope_as",
    "state_engine", "WarehouseUnavailable"]

#: Where the app and the commands look for settings besides the environment (relative to the
#: working directory, as Streamlit does for the app).
SECRETS_FILE = Path(".streamlit/secrets.toml")

#: What to do about a kpis table that cannot be read (N_: shown as ``tr(KPI_TABLE_FIX)``).
KPI_TABLE_FIX = N_("Each KPI needs a unit (percent, score, count, currency, seconds), a direction "
                   "(higher_is_better, lower_is_better) and an aggregation (ratio, sum).")


def read_secrets(path: Path = SECRETS_FILE) -> dict[str, Any]:
    """The settings file the app and the commands share; {} when there is none."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(
            tr("{path} cannot be read: {reason}. Fix it (TOML lines such as MOT_WAREHOUSE_URL = \"...\") "
               "or remove it.").format(path=path, reason=exc)
        ) from None


def apply_language(environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> None:
    """Switch to MOT_LANGUAGE before anything is shown (page titles, the first messages). A value
    that is not a language is left to load_settings, which says what is wrong."""
    environ = os.environ if environ is None else environ
    try:
        language = environ.get("MOT_LANGUAGE") or read_secrets(secrets_file).get("MOT_LANGUAGE") or "en"
    except SettingsError:
        language = "en"
    if str(language).strip().lower() in LANGUAGES:
        set_language(str(language).strip().lower())


def load_settings(environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Settings:
    """Every setting (environment over secrets file over defaults), checked, with MOT_DATA_DIR (and a
    SQLite state store's folder inside it) created. SettingsError says which setting and what to do."""
    apply_language(environ, secrets_file)  # a secrets file that cannot be read is said in it too
    secrets = read_secrets(secrets_file)
    settings = resolve_settings(os.environ if environ is None else environ, secrets)
    create_data_folders(settings)
    set_language(settings.language)  # numbers and dates read in the configured language
    return settings


def open_configured_warehouse(settings: Settings) -> Warehouse:
    """The configured warehouse with its mapping checked against it: WarehouseError when it cannot be
    reached, MappingError when the mapping does not fit."""
    if settings.is_demo and not settings.demo_path.exists():
        raise WarehouseError(
            tr("The demo warehouse {path} does not exist yet. Start the app once "
               "(streamlit run dashboard.py) or run: python -m connectors.demo --out {path}").format(
                path=settings.demo_path)
        )
    return open_warehouse(
        settings.effective_warehouse_url, settings.mapping_path, limits=embedded_limits(settings),
        kpi_summary=settings.kpi_summary,
    )


#: DuckDB's memory limit in the app when MOT_DUCKDB_MEMORY_LIMIT is unset. At 100 M fact rows the
#: app's peak over every page was about 1,070 MB with 256MB; My touchpoints' 27-month aggregate
#: alone took 340 MB above the process with 256MB and 160 MB with 128MB, at the same CPU (#19: memory).
APP_DUCKDB_MEMORY_LIMIT = "128MB"
#: ... and for a check run (``python -m checks run``), whose grouped full scans over every fact row
#: were measured with 256MB: 47.6 s and 872 MB at 100 M fact rows.
CHECKS_DUCKDB_MEMORY_LIMIT = "256MB"


def embedded_limits(settings: Settings, *, checks: bool = False) -> EmbeddedLimits:
    """MOT_DUCKDB_MEMORY_LIMIT and MOT_DUCKDB_THREADS, for an embedded DuckDB warehouse; unset, the
    memory limit is the app's (APP_DUCKDB_MEMORY_LIMIT) or, with ``checks``, a check run's."""
    default = CHECKS_DUCKDB_MEMORY_LIMIT if checks else APP_DUCKDB_MEMORY_LIMIT
    return EmbeddedLimits(settings.duckdb_memory_limit or default, settings.duckdb_threads)


@dataclass(frozen=True)
class WarehouseUnavailable:
    """A warehouse that could not be opened at all: its URL without password, and why."""

    label: str
    reason: str


def open_for_checks(
    url: str, mapping_path: Path | None = None, limits: EmbeddedLimits | None = None
) -> Warehouse | WarehouseUnavailable:
    """The warehouse as it is, for the checks: a mapping that does not fit is kept (in
    ``mapping_problems``; the schema checks fail on it), and what prevents reading the warehouse at
    all (no such file, bad URL or mapping file, no connection) comes back as the reason."""
    label = redact_url(url)
    engine: sa.Engine | None = None
    try:
        mapping = load_mapping(mapping_path)
        engine = create_read_engine(url, limits)
        problems = check_against(engine, mapping)
        mapping = fit_optional_columns(engine, mapping)
    except (WarehouseError, MappingError, OSError, sa.exc.SQLAlchemyError) as exc:
        if engine is not None:
            engine.dispose()
        if not isinstance(exc, sa.exc.SQLAlchemyError):
            return WarehouseUnavailable(label, str(exc))
        return WarehouseUnavailable(label, tr(
            "Cannot reach the warehouse at {url}: {reason}. Check that it is running and that "
            "MOT_WAREHOUSE_URL is right.").format(url=label, reason=database_reason(exc)))
    return Warehouse(engine, mapping, build_tables(mapping), tuple(problems))


class KpiTableError(ValueError):
    """The warehouse's kpis table cannot be read as KPIs. ``detail`` is what is wrong; the message
    adds what to do."""

    def __init__(self, detail: str) -> None:
        super().__init__(tr("The KPI table cannot be read: {detail}. {fix}").format(
            detail=detail, fix=tr(KPI_TABLE_FIX)))
        self.detail = detail


def kpi_registry_from(kpis: pd.DataFrame) -> KpiRegistry:
    """The KPI registry of a kpis table as read from the warehouse."""
    try:
        return KpiRegistry.from_frame(kpis)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KpiTableError(str(exc)) from None


def read_kpi_registry(wh: Warehouse) -> KpiRegistry:
    """The warehouse's KPIs (its kpis table); KpiTableError when a row cannot be used."""
    return kpi_registry_from(dimension_frame(wh, "kpis"))


class _EngineRegistry:
    """One engine per URL for the life of the process, made on first use: every page, session and
    feature that opens the same store shares its connection pool."""

    def __init__(self, create: Callable[[str], sa.Engine]) -> None:
        self._create = create
        self._engines: dict[str, sa.Engine] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> sa.Engine:
        with self._lock:
            engine = self._engines.get(url)
            if engine is None:
                engine = self._engines[url] = self._create(url)
            return engine


_STATE_ENGINES = _EngineRegistry(create_state_engine)


def state_engine(url: str) -> sa.Engine:
    """The state store's engine (MOT_STATE_URL), one per URL in this process. It creates no tables:
    each feature does, once per engine. StateStoreError when the URL cannot be used."""
    return _STATE_ENGINES.get(url)


def scope_as(settings: Settings, wh: Warehouse, email: str | None) -> AccessScope:
    """What a command reads: everything as the service identity, or with ``--as EMAIL`` exactly what
    that person sees in the app (MOT_ACCESS, MOT_CONTACTS and the warehouse's owner columns).
    AccessError when the file cannot be used or the person may see nothing."""
    if not email:
        return EVERYTHING
    try:
        rules, contacts = load_access(settings.access_path), load_contacts(settings.contacts_path)
    except ContactsError as exc:
        raise AccessError(str(exc)) from None
    if settings.access_path is None:
        raise AccessError(tr("--as needs the access file: set MOT_ACCESS (README, 'Login and access')."))
    journeys, touchpoints = dimension_frame(wh, "journeys"), dimension_frame(wh, "touchpoints")
    scope = scope_for(email, rules, contacts, journeys, touchpoints)
    if scope.is_empty:
        if scope.roles:
            message = tr("{email} owns no journey map and no touchpoint, so they see nothing; there is "
                         "nothing to produce as them.")
        else:
            message = tr("{email} has no rule in the access file, so they see nothing; there is nothing to "
                         "produce as them.")
        raise AccessError(message.format(email=email))
    return scope
