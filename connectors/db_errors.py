"""What a database said, in one line a person can read.

SQLAlchemy wraps driver errors; the driver's own first line (e.g. "connection refused",
"Catalog Error: Table ... does not exist") is what tells a person what to fix.
"""

from __future__ import annotations

__all__ = ["database_reason"]


def database_reason(exc: BaseException) -> str:
    """The first line of the driver's message (or of the exception), or its type when empty."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
