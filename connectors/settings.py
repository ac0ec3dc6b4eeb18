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

from metrics.formatting import LANGUAGES

__all__ = ["create_data_folders", "resolve_settings", "SETTINGS", "Settings", "SettingsError"]


@dataclass(frozen=True)
class Setting:
    key: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "MOT_WAREHOUSE_URL",
        None,
        "SQLAlchemy URL of the warehouse to read (read-only). Unset: the embedded demo warehouse "
        "data/demo.duckdb, generated on first start.",
    ),
    Setting(
        "MOT_MAPPING",
        None,
        "Path of the mapping file (YAML) from canonical to physical table and column names. "
        "Unset: the warehouse uses canonical names.",
    ),
    Setting(
        "MOT_STATE_URL",
        None,
        "SQLAlchemy URL of the app's own writable store (comments, frozen quarters, check "
        "history). Unset: sqlite:///<MOT_DATA_DIR>/state.sqlite.",
    ),
    Setting(
        "MOT_CONTACTS",
        None,
        "Path of the contacts file (YAML): owner names to e-mail addresses and webhooks, and the "
        "data steward of each table or check. Unset: owner columns holding e-mail addresses still "
        "reach their owners, and no steward is named.",
    ),
    Setting(
        "MOT_ACCESS",
        None,
        "Path of the access file (YAML): roles for e-mail addresses and domains. Used only when login "
        "is configured ([auth] in .streamlit/secrets.toml); then a person with no rule sees nothing. "
        "Unset with login: nobody gets in.",
    ),
    Setting(
        "MOT_LANGUAGE",
        "en",
        "Language of every label, message, page and pack, and of number and date formats: en or de.",
    ),
    Setting("MOT_BASE_URL", "http://localhost:8501",
            "Address people open the app at; every alert links to the page view that explains it there."),
    Setting("MOT_ALERT_STREAK", "3",
            "Periods in a row a KPI must be off target to be listed on My touchpoints and alerted as "
            "such even when its status did not change (a whole number, 1 or more)."),
    Setting("MOT_SMTP_HOST", None, "SMTP server that sends alert e-mails. Unset: no e-mail is sent "
            "(`python -m metrics.alerts send` stops with exit status 2 if a digest needs e-mail)."),
    Setting("MOT_SMTP_PORT", None, "SMTP port. Unset: 587 with starttls, 465 with ssl, 25 with none."),
    Setting("MOT_SMTP_SECURITY", "starttls", "How the SMTP connection is protected: starttls, ssl or none."),
    Setting("MOT_SMTP_USER", None, "SMTP login name. Unset: no login."),
    Setting("MOT_SMTP_PASSWORD", None, "SMTP password: only in the environment or .streamlit/secrets.toml, "
            "never in a file the app commits."),
    Setting("MOT_SMTP_FROM", None, "Sender address of alert e-mails. Unset: MOT_SMTP_USER."),
    Setting("MOT_WEBHOOK_FORMAT", "chat", "Body of alert webhooks: chat (a JSON 'text' that Slack and "
            "Microsoft Teams incoming webhooks accept) or generic (recipient and alerts as JSON)."),
    Setting(
        "MOT_MIN_CURVE_R2",
        "0.5",
        "Least share of an outcome's variation, beyond season and trend, that spend must explain "
        "(a response curve's spend R², 0 to 1) before the budget optimiser promises a number; "
        "below it the optimiser shows only a range and says why.",
    ),
    Setting(
        "MOT_DATA_DIR",
        "data",
        "Folder for the embedded demo warehouse, the default state store and Data Docs.",
    ),
    Setting(
        "MOT_DUCKDB_MEMORY_LIMIT",
        "256MB",
        "Memory a DuckDB warehouse (the demo or a duckdb:/// URL) may use in this process, e.g. 256MB "
        "or 1GB: its buffer of cached table blocks and the working memory of queries. Larger "
        "aggregations spill to a temporary folder beside the file instead of growing the process.",
    ),
    Setting(
        "MOT_DUCKDB_THREADS",
        "2",
        "Threads a DuckDB warehouse runs a query on (a whole number, 1 or more). Each thread holds "
        "its own working memory, so more threads need a larger MOT_DUCKDB_MEMORY_LIMIT.",
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
    duckdb_memory_limit: str = "256MB"
    duckdb_threads: int = 2
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
    raw = _raw_values(environ, secrets)
    warehouse_url = raw["MOT_WAREHOUSE_URL"]
    if warehouse_url is not None:
        _parse_url("MOT_WAREHOUSE_URL", warehouse_url)
    try:
        data_dir = _data_dir(raw["MOT_DATA_DIR"] or "data")
        state_url = raw["MOT_STATE_URL"] or f"sqlite:///{data_dir / 'state.sqlite'}"
        _check_state_url(state_url, data_dir)
    except OSError as exc:  # e.g. a folder above the path this user may not look into
        raise SettingsError(
            f"{exc.filename or 'A folder'} cannot be checked: {exc.strerror or exc}. Point "
            "MOT_DATA_DIR and MOT_STATE_URL at places this user may use."
        ) from None
    mapping = raw["MOT_MAPPING"]
    contacts = raw["MOT_CONTACTS"]
    language = (raw["MOT_LANGUAGE"] or "en").strip().lower()
    if language not in LANGUAGES:
        raise SettingsError(f"MOT_LANGUAGE {language!r} is not a language the app speaks: use "
                            f"{' or '.join(LANGUAGES)}.")
    return Settings(
        min_curve_r2=_share("MOT_MIN_CURVE_R2", raw["MOT_MIN_CURVE_R2"] or "0.5"),
        warehouse_url=warehouse_url,
        mapping_path=Path(mapping) if mapping else None,
        state_url=state_url,
        data_dir=data_dir,
        contacts_path=Path(contacts) if contacts else None,
        language=language,
        duckdb_memory_limit=_memory_limit(raw["MOT_DUCKDB_MEMORY_LIMIT"] or "256MB"),
        duckdb_threads=_threads(raw["MOT_DUCKDB_THREADS"] or "2"),
        access_path=Path(raw["MOT_ACCESS"]) if raw["MOT_ACCESS"] else None,
        login=bool((secrets or {}).get("auth")),
        alert_streak=_alert_streak(raw["MOT_ALERT_STREAK"]),
    )


_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


def _memory_limit(text: str) -> str:
    """A DuckDB memory size such as 256MB or 1.5GB, normalised (no spaces, upper-case unit)."""
    match = _MEMORY.fullmatch(text)
    if match is None or float(match.group(1)) <= 0:
        raise SettingsError(
            f"MOT_DUCKDB_MEMORY_LIMIT {text!r} is not a memory size. Use a number and a unit, "
            "e.g. 256MB or 1GB."
        )
    return f"{match.group(1)}{match.group(2).upper()}"


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        threads = 0
    if threads < 1:
        raise SettingsError(f"MOT_DUCKDB_THREADS {text!r} is not a whole number of 1 or more, e.g. 2.")
    return threads


def _alert_streak(raw: str | None) -> int:
    text = (raw or "3").strip()
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(f"MOT_ALERT_STREAK {text!r} is not a whole number of periods of 1 or more: "
                            "set it to e.g. 3.")
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
                f"The folder {str(folder)!r} cannot be created: {exc.strerror or exc}. Point "
                "MOT_DATA_DIR (and a SQLite MOT_STATE_URL inside it) at a folder this user may write."
            ) from None


def _raw_values(environ: Mapping[str, str], secrets: Mapping[str, Any] | None) -> dict[str, str | None]:
    raw: dict[str, str | None] = {}
    for setting in SETTINGS:
        value: Any = environ.get(setting.key)
        if value in (None, "") and secrets is not None:
            value = secrets.get(setting.key)
            if isinstance(value, (dict, list)):
                raise SettingsError(
                    f"{setting.key} in .streamlit/secrets.toml must be text, not a TOML table or "
                    f"list. {setting.help}"
                )
        text = str(value) if value not in (None, "") else setting.default
        if text is not None and "\x00" in text:
            raise SettingsError(f"{setting.key} contains a NUL character. {setting.help}")
        raw[setting.key] = text
    return raw


def _share(key: str, text: str) -> float:
    """A number from 0 to 1, or SettingsError saying so."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{key} {text!r} is not a number from 0 to 1 (e.g. 0.5).")
    return value


def _data_dir(text: str) -> Path:
    path = Path(text)
    what = f"MOT_DATA_DIR {text!r}"
    if path.exists() and not path.is_dir():
        raise SettingsError(
            f"{what} is a file, not a folder. The app keeps the demo warehouse, the default state "
            "store and Data Docs there: point MOT_DATA_DIR at a folder (it is created if missing)."
        )
    if not path.exists():
        blocking = _file_above(path)
        if blocking is not None:
            raise SettingsError(
                f"{what} cannot be a folder: {str(blocking)!r} above it is a file. Point MOT_DATA_DIR "
                "at a folder in an existing folder."
            )
        if not path.parent.is_dir():
            raise SettingsError(
                f"{what} does not exist, nor does the folder {str(path.parent)!r} it would go in. "
                "The app creates the data folder itself but no folders above it: create "
                f"{str(path.parent)!r} first, or point MOT_DATA_DIR at a folder in an existing one."
            )
    return path


_URL_EXAMPLES = {
    "MOT_WAREHOUSE_URL": "Use e.g. postgresql+psycopg://user@host/db or duckdb:///path/to/file.duckdb, "
    "or unset it to use the embedded demo.",
    "MOT_STATE_URL": "Use e.g. sqlite:////var/lib/mot/state.sqlite or postgresql+psycopg://user@host/db, "
    "or unset it to keep the state in MOT_DATA_DIR/state.sqlite.",
}


def _parse_url(key: str, url: str) -> sa.URL:
    """The URL, checked for form and for an installed dialect and driver."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise SettingsError(f"{key} {url!r} is not a SQLAlchemy URL. {_URL_EXAMPLES[key]}") from None
    try:
        parsed.get_dialect().import_dbapi()
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise SettingsError(
            f"{key} uses {parsed.drivername!r}, which cannot be loaded here ({exc}). Install that "
            "database's SQLAlchemy driver or correct the URL's first part (before '://')."
        ) from None
    return parsed


def _check_state_url(url: str, data_dir: Path) -> None:
    _parse_url("MOT_STATE_URL", url)
    path = _sqlite_file(url)
    if path is None:
        return
    if path.is_dir():
        raise SettingsError(
            f"MOT_STATE_URL names {str(path)!r}, which is a folder. Name a file in it, e.g. "
            f"sqlite:///{path / 'state.sqlite'}."
        )
    folder = path.parent
    blocking = _file_above(path)
    if blocking is not None:
        raise SettingsError(
            f"MOT_STATE_URL cannot use {str(path)!r}: {str(blocking)!r} is a file, not a folder. "
            "Point MOT_STATE_URL at a file in a folder."
        )
    if not folder.is_dir() and not _inside(folder, data_dir):
        raise SettingsError(
            f"The folder {str(folder)!r} of the state store (MOT_STATE_URL) does not exist. The app "
            f"creates folders only inside MOT_DATA_DIR ({str(data_dir)!r}): create {str(folder)!r} "
            "first, point MOT_STATE_URL at a file in an existing folder, or unset it to keep the "
            "state in MOT_DATA_DIR."
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
