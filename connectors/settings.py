"""Every setting the app reads, declared in one list with its default and help text.

Resolution order: environment, then `.streamlit/secrets.toml`, then the default. Nothing here reads
the environment at import time; dashboard.py and the CLIs call ``resolve_settings`` once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
        "MOT_DATA_DIR",
        "data",
        "Folder for the embedded demo warehouse, the default state store and Data Docs.",
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
    """Resolve every declared setting: environment wins over secrets, secrets over defaults."""
    raw: dict[str, str | None] = {}
    for setting in SETTINGS:
        value: Any = environ.get(setting.key)
        if value in (None, "") and secrets is not None:
            value = secrets.get(setting.key)
        raw[setting.key] = str(value) if value not in (None, "") else setting.default
    data_dir = Path(raw["MOT_DATA_DIR"] or "data")
    mapping = raw["MOT_MAPPING"]
    return Settings(
        warehouse_url=raw["MOT_WAREHOUSE_URL"],
        mapping_path=Path(mapping) if mapping else None,
        state_url=raw["MOT_STATE_URL"] or f"sqlite:///{data_dir / 'state.sqlite'}",
        data_dir=data_dir,
    )
