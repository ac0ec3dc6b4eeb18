"""Every setting the app reads, declared in one list with its default and help text.

Resolution order: environment, then `.streamlit/secrets.toml`, then the default. Nothing here reads
the environment at import time; dashboard.py and the CLIs call ``resolve_settings`` once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from metrics.formatting import LANGUAGES, set_language
from metrics.i18n import N_, tr

__all__ = ["create_data_folders", "resolve_settings", "SETTINGS", "Settings", "SettingsError"]


@dataclass(frozen=True)
class Setting:
    key: str
    default: str | None
    help: str


#: Help texts are marked with N_ (made at import) and translated where shown: ``tr(setting.help)``.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "MOT_WAREHOUSE_URL",
        None,
        N_("SQLAlchemy URL of the warehouse to read (read-only). Unset: the embedded demo warehouse "
           "data/demo.duckdb, generated on first start."),
    ),
    Setting(
        "MOT_MAPPING",
        None,
        N_("Path of the mapping file (YAML) from canonical to physical table and column names. "
           "Unset: the warehouse uses canonical names."),
    ),
    Setting(
        "MOT_STATE_URL",
        None,
        N_("SQLAlchemy URL of the app's own writable store (comments, frozen quarters, check "
           "history). Unset: sqlite:///<MOT_DATA_DIR>/state.sqlite."),
    ),
    Setting(
        "MOT_CONTACTS",
        None,
        N_("Path of the contacts file (YAML): owner names to e-mail addresses and webhooks, and the "
           "data steward of each table or check. Unset: owner columns holding e-mail addresses still "
           "reach their owners, and no steward is named."),
    ),
    Setting(
        "MOT_ACCESS",
        None,
        N_("Path of the access file (YAML): roles for e-mail addresses and domains. Used only when login "
           "is configured ([auth] in .streamlit/secrets.toml); then a person with no rule sees nothing. "
           "Unset with login: nobody gets in."),
    ),
    Setting(
        "MOT_LANGUAGE",
        "en",
        N_("Language of every label, message, page and pack, and of number and date formats: en or de."),
    ),
    Setting("MOT_BASE_URL", "http://localhost:8501",
            N_("Address people open the app at; every alert links to the page view that explains it there.")),
    Setting("MOT_ALERT_STREAK", "3",
            N_("Periods in a row a KPI must be off target to be listed on My touchpoints and alerted as "
               "such even when its status did not change (a whole number, 1 or more).")),
    Setting("MOT_SMTP_HOST", None, N_("SMTP server that sends alert e-mails. Unset: no e-mail is sent "
            "(`python -m metrics.alerts send` stops with exit status 2 if a digest needs e-mail).")),
    Setting("MOT_SMTP_PORT", None, N_("SMTP port. Unset: 587 with starttls, 465 with ssl, 25 with none.")),
    Setting("MOT_SMTP_SECURITY", "starttls",
            N_("How the SMTP connection is protected: starttls, ssl or none.")),
    Setting("MOT_SMTP_USER", None, N_("SMTP login name. Unset: no login.")),
    Setting("MOT_SMTP_PASSWORD", None, N_("SMTP password: only in the environment or "
            ".streamlit/secrets.toml, never in a file the app commits.")),
    Setting("MOT_SMTP_FROM", None, N_("Sender address of alert e-mails. Unset: MOT_SMTP_USER.")),
    Setting("MOT_WEBHOOK_FORMAT", "chat", N_("Body of alert webhooks: chat (a JSON 'text' that Slack and "
            "Microsoft Teams incoming webhooks accept) or generic (recipient and alerts as JSON).")),
    Setting(
        "MOT_MIN_CURVE_R2",
        "0.5",
        N_("Least share of an outcome's variation, beyond season and trend, that spend must explain "
           "(a response curve's spend R², 0 to 1) before the budget optimiser promises a number; "
           "below it the optimiser shows only a range and says why."),
    ),
    Setting(
        "MOT_DATA_DIR",
        "data",
        N_("Folder for the embedded demo warehouse, the default state store and Data Docs."),
    ),
    Setting(
        "MOT_DUCKDB_MEMORY_LIMIT",
        None,
        N_("Memory a DuckDB warehouse (the demo or a duckdb:/// URL) may use in this process, e.g. 256MB "
           "or 1GB: its buffer of cached table blocks and the working memory of queries. Larger "
           "aggregations spill to a temporary folder beside the file instead of growing the process. "
           "Unset: 128MB in the app, 256MB for a check run (python -m checks run)."),
    ),
    Setting(
        "MOT_DUCKDB_THREADS",
        "2",
        N_("Threads a DuckDB warehouse runs a query on (a whole number, 1 or more). Each thread holds "
           "its own working memory, so more threads need a larger MOT_DUCKDB_MEMORY_LIMIT."),
    ),
    Setting(
        "MOT_KPI_SUMMARY",
        "on",
        N_("Whether KPI figures of whole months are read from the monthly summary table "
           "touchpoint_kpis_monthly when the warehouse has it: on or off. Off: always from the fact table."),
    ),
)

SETTING_KEYS: frozenset[str] = frozenset(s.key for s in SETTINGS)


class SettingsError(ValueError):
    """A setting has a value the app cannot use; the message says which and what to do."""


@dataclass(frozen=True)
class Settings:
    warehouse_url: str | None
    mapping_path: Path | None
    state_url: str
    data_dir: Path
    contacts_path: Path | None = None
    language: str = "en"
    #: MOT_DUCKDB_MEMORY_LIMIT as set; None when unset (connectors.runtime.embedded_limits: 128MB
    #: for the app, 256MB for a check run).
    duckdb_memory_limit: str | None = None
    duckdb_threads: int = 2
    #: MOT_KPI_SUMMARY: read whole months from the monthly KPI summary when the warehouse has one.
    kpi_summary: bool = True
    min_curve_r2: float = 0.5
    access_path: Path | None = None
    #: Login is on when .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC login).
    login: bool = False
    #: MOT_ALERT_STREAK: periods off target in a row that make a standing alert (metrics.streaks).
    alert_streak: int = 3

    @property
    def is_demo(self) -> bool:
        return self.warehouse_url is None

    @property
    def demo_path(self) -> Path:
        return self.data_dir / "demo.duckdb"

    @property
    def effective_warehouse_url(self) -> str:
        return self.warehouse_url or f"duckdb:///{self.demo_path}"

    @property
    def warehouse_key(self) -> str:
        """Identifies the warehouse (URL and mapping) in cache keys, without credentials."""
        url = self.effective_warehouse_url
        safe = url.split("@", 1)[-1] if "@" in url else url
        return f"{safe}|{self.mapping_path or ''}"


def resolve_settings(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> Settings:
    """Resolve every declared setting: environment wins over secrets, secrets over defaults.

    Values are checked here, before any work is done: a URL that is not a SQLAlchemy URL, a data
    folder that is a file, or a SQLite state store in a folder the app may not create raise
    SettingsError with what to do.
    """
    _apply_language(environ, secrets)  # before the first message: every SettingsError reads in it
    raw = _raw_values(environ, secrets)
    warehouse_url = raw["MOT_WAREHOUSE_URL"]
    if warehouse_url is not None:
        _parse_url("MOT_WAREHOUSE_URL", warehouse_url)
    try:
        data_dir = _data_dir(raw["MOT_DATA_DIR"] or "data")
        state_url = raw["MOT_STATE_URL"] or f"sqlite:///{data_dir / 'state.sqlite'}"
        _check_state_url(state_url, data_dir)
    except OSError as exc:  # e.g. a folder above the path this user may not look into
        what = str(exc.filename) if exc.filename else tr("A folder")
        raise SettingsError(
            tr("{what} cannot be checked: {reason}. Point MOT_DATA_DIR and MOT_STATE_URL at places this "
               "user may use.").format(what=what, reason=exc.strerror or exc)
        ) from None
    mapping = raw["MOT_MAPPING"]
    contacts = raw["MOT_CONTACTS"]
    language = (raw["MOT_LANGUAGE"] or "en").strip().lower()
    if language not in LANGUAGES:
        *others, last = LANGUAGES
        languages = tr("{choices} or {last}").format(choices=", ".join(others), last=last)
        raise SettingsError(tr("MOT_LANGUAGE {value} is not a language the app speaks: use {languages}.")
                            .format(value=repr(language), languages=languages))
    return Settings(
        min_curve_r2=_share("MOT_MIN_CURVE_R2", raw["MOT_MIN_CURVE_R2"] or "0.5"),
        warehouse_url=warehouse_url,
        mapping_path=Path(mapping) if mapping else None,
        state_url=state_url,
        data_dir=data_dir,
        contacts_path=Path(contacts) if contacts else None,
        language=language,
        duckdb_memory_limit=_memory_limit(raw["MOT_DUCKDB_MEMORY_LIMIT"]) if raw["MOT_DUCKDB_MEMORY_LIMIT"]
        else None,
        duckdb_threads=_threads(raw["MOT_DUCKDB_THREADS"] or "2"),
        kpi_summary=_on_off("MOT_KPI_SUMMARY", raw["MOT_KPI_SUMMARY"] or "on"),
        access_path=Path(raw["MOT_ACCESS"]) if raw["MOT_ACCESS"] else None,
        login=bool((secrets or {}).get("auth")),
        alert_streak=_alert_streak(raw["MOT_ALERT_STREAK"]),
    )


def _apply_language(environ: Mapping[str, str], secrets: Mapping[str, Any] | None) -> None:
    """Switch to MOT_LANGUAGE (environment over secrets) when it names a language the app speaks;
    otherwise leave the language as it is (resolve_settings then says what is wrong)."""
    value: Any = environ.get("MOT_LANGUAGE") or (secrets or {}).get("MOT_LANGUAGE") or "en"
    language = value.strip().lower() if isinstance(value, str) else ""
    if language in LANGUAGES:
        set_language(language)


_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


def _memory_limit(text: str) -> str:
    """A DuckDB memory size such as 256MB or 1.5GB, normalised (no spaces, upper-case unit)."""
    match = _MEMORY.fullmatch(text)
    if match is None or float(match.group(1)) <= 0:
        raise SettingsError(
            tr("MOT_DUCKDB_MEMORY_LIMIT {value} is not a memory size. Use a number and a unit, "
               "e.g. 256MB or 1GB.").format(value=repr(text))
        )
    return f"{match.group(1)}{match.group(2).upper()}"


def _on_off(key: str, text: str) -> bool:
    value = text.strip().lower()
    if value not in ("on", "off"):
        raise SettingsError(tr("{key} {value} is neither on nor off.").format(key=key, value=repr(text)))
    return value == "on"


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        threads = 0
    if threads < 1:
        raise SettingsError(tr("MOT_DUCKDB_THREADS {value} is not a whole number of 1 or more, e.g. 2.")
                            .format(value=repr(text)))
    return threads


def _alert_streak(raw: str | None) -> int:
    text = (raw or "3").strip()
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(tr("MOT_ALERT_STREAK {value} is not a whole number of periods of 1 or more: "
                               "set it to e.g. 3.").format(value=repr(text)))
    return int(text)


def create_data_folders(settings: Settings) -> None:
    """Create MOT_DATA_DIR, and the folder of a SQLite state store inside it, when missing.

    The only folders the app creates; resolve_settings has refused any other missing folder.
    """
    folders = [settings.data_dir]
    state_file = _sqlite_file(settings.state_url)
    if state_file is not None and _inside(state_file.parent, settings.data_dir):
        folders.append(state_file.parent)
    for folder in folders:
        try:
            folder.mkdir(parents=folder != settings.data_dir, exist_ok=True)
        except OSError as exc:
            raise SettingsError(
                tr("The folder {folder} cannot be created: {reason}. Point MOT_DATA_DIR (and a SQLite "
                   "MOT_STATE_URL inside it) at a folder this user may write.").format(
                    folder=repr(str(folder)), reason=exc.strerror or exc)
            ) from None


def _raw_values(environ: Mapping[str, str], secrets: Mapping[str, Any] | None) -> dict[str, str | None]:
    raw: dict[str, str | None] = {}
    for setting in SETTINGS:
        value: Any = environ.get(setting.key)
        if value in (None, "") and secrets is not None:
            value = secrets.get(setting.key)
            if isinstance(value, (dict, list)):
                raise SettingsError(
                    tr("{key} in .streamlit/secrets.toml must be text, not a TOML table or list. {help}")
                    .format(key=setting.key, help=tr(setting.help))
                )
        text = str(value) if value not in (None, "") else setting.default
        if text is not None and "\x00" in text:
            raise SettingsError(tr("{key} contains a NUL character. {help}").format(
                key=setting.key, help=tr(setting.help)))
        raw[setting.key] = text
    return raw


def _share(key: str, text: str) -> float:
    """A number from 0 to 1, or SettingsError saying so."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise SettingsError(tr("{key} {value} is not a number from 0 to 1 (e.g. 0.5).").format(
            key=key, value=repr(text)))
    return value


def _data_dir(text: str) -> Path:
    path = Path(text)
    value = repr(text)
    if path.exists() and not path.is_dir():
        raise SettingsError(
            tr("MOT_DATA_DIR {value} is a file, not a folder. The app keeps the demo warehouse, the default "
               "state store and Data Docs there: point MOT_DATA_DIR at a folder (it is created if "
               "missing).").format(value=value)
        )
    if not path.exists():
        blocking = _file_above(path)
        if blocking is not None:
            raise SettingsError(
                tr("MOT_DATA_DIR {value} cannot be a folder: {file} above it is a file. Point MOT_DATA_DIR "
                   "at a folder in an existing folder.").format(value=value, file=repr(str(blocking)))
            )
        if not path.parent.is_dir():
            raise SettingsError(
                tr("MOT_DATA_DIR {value} does not exist, nor does the folder {parent} it would go in. "
                   "The app creates the data folder itself but no folders above it: create "
                   "{parent} first, or point MOT_DATA_DIR at a folder in an existing one.").format(
                    value=value, parent=repr(str(path.parent)))
            )
    return path


_URL_EXAMPLES = {
    "MOT_WAREHOUSE_URL": N_("Use e.g. postgresql+psycopg://user@host/db or duckdb:///path/to/file.duckdb, "
                            "or unset it to use the embedded demo."),
    "MOT_STATE_URL": N_("Use e.g. sqlite:////var/lib/mot/state.sqlite or postgresql+psycopg://user@host/db, "
                        "or unset it to keep the state in MOT_DATA_DIR/state.sqlite."),
}


def _parse_url(key: str, url: str) -> sa.URL:
    """The URL, checked for form and for an installed dialect and driver."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise SettingsError(tr("{key} {value} is not a SQLAlchemy URL. {example}").format(
            key=key, value=repr(url), example=tr(_URL_EXAMPLES[key]))) from None
    try:
        parsed.get_dialect().import_dbapi()
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise SettingsError(
            tr("{key} uses {driver}, which cannot be loaded here ({reason}). Install that database's "
               "SQLAlchemy driver or correct the URL's first part (before '://').").format(
                key=key, driver=repr(parsed.drivername), reason=exc)
        ) from None
    return parsed


def _check_state_url(url: str, data_dir: Path) -> None:
    _parse_url("MOT_STATE_URL", url)
    path = _sqlite_file(url)
    if path is None:
        return
    if path.is_dir():
        raise SettingsError(
            tr("MOT_STATE_URL names {path}, which is a folder. Name a file in it, e.g. {example}.").format(
                path=repr(str(path)), example=f"sqlite:///{path / 'state.sqlite'}")
        )
    folder = path.parent
    blocking = _file_above(path)
    if blocking is not None:
        raise SettingsError(
            tr("MOT_STATE_URL cannot use {path}: {file} is a file, not a folder. Point MOT_STATE_URL at a "
               "file in a folder.").format(path=repr(str(path)), file=repr(str(blocking)))
        )
    if not folder.is_dir() and not _inside(folder, data_dir):
        raise SettingsError(
            tr("The folder {folder} of the state store (MOT_STATE_URL) does not exist. The app creates "
               "folders only inside MOT_DATA_DIR ({data_dir}): create {folder} first, point MOT_STATE_URL "
               "at a file in an existing folder, or unset it to keep the state in MOT_DATA_DIR.").format(
                folder=repr(str(folder)), data_dir=repr(str(data_dir)))
        )


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None (another database, in memory, or sqlite's own URI form)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return None
    is_uri = str(parsed.query.get("uri", "")).lower() == "true"
    if parsed.get_backend_name() != "sqlite" or is_uri or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _file_above(path: Path) -> Path | None:
    """The nearest existing path above ``path`` when it is not a folder (so nothing can go there)."""
    for above in path.parents:
        if above.exists():
            return None if above.is_dir() else above
    return None


def _inside(folder: Path, data_dir: Path) -> bool:
    return folder.resolve().is_relative_to(data_dir.resolve())
