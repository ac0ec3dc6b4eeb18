"""Reading a small YAML settings file (contacts, access) with one message per way it can fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from metrics.i18n import tr


def read_yaml_file(path: Path, where: str, setting: str, error: type[Exception]) -> Any:
    """The parsed file (None when empty). ``where`` names it in messages ("The access file '…'
    (MOT_ACCESS)"); ``error`` is raised with what to do when it is missing, unreadable or not YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(tr("{where} does not exist. Create it or unset {setting}.").format(
            where=where, setting=setting)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(tr("{where} cannot be read: {reason}. Check its permissions and encoding.").format(
            where=where, reason=exc)) from None
    except yaml.YAMLError as exc:
        raise error(tr("{where} is not valid YAML: {reason}").format(where=where, reason=exc)) from None
