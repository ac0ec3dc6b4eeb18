"""Which physical column types can hold each canonical column kind (metrics.model.COLUMN_KINDS).

One place for the rule, used by the mapping check at start (connectors/mapping.py) and by the
schema checks (checks/_evidence.py). A type is either a reflected SQLAlchemy type or the type name
a database reports (DuckDB's information_schema says "VARCHAR", "DATE", "DECIMAL(18,3)", ...).
"""

from __future__ import annotations

import sqlalchemy as sa

from metrics.i18n import N_

__all__ = ["accepts"]

TYPE_CLASSES: dict[str, tuple[type[sa.types.TypeEngine], ...]] = {
    "bool": (sa.Boolean,),
    "datetime": (sa.Date, sa.DateTime),
    "float": (sa.Float, sa.Numeric),
    "int": (sa.Integer,),
    "str": (sa.String, sa.Enum),
}
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "bool": ("BOOL",),
    "datetime": ("DATE", "TIME"),
    "float": ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC"),
    "int": ("INT",),
    "str": ("CHAR", "TEXT", "STRING"),
}
#: Type families the warehouse may use for each canonical column kind.
ACCEPTED: dict[str, frozenset[str]] = {
    "str": frozenset({"str"}),
    "int": frozenset({"int"}),
    "float": frozenset({"float", "int"}),
    "bool": frozenset({"bool", "int"}),
    "date": frozenset({"datetime"}),
}
#: What each canonical column kind needs, in words for messages (read through ``tr``).
KIND_WORDS: dict[str, str] = {
    "str": N_("text (VARCHAR, TEXT)"),
    "int": N_("whole numbers (INTEGER, BIGINT)"),
    "float": N_("numbers (DOUBLE, NUMERIC, INTEGER)"),
    "bool": N_("true/false (BOOLEAN or 0/1 INTEGER)"),
    "date": N_("dates (DATE or TIMESTAMP)"),
}


def type_family(col_type: object) -> str:
    """bool, datetime, float, int, str, or "other" for a type the app does not recognise."""
    if isinstance(col_type, sa.types.TypeDecorator):
        # A dialect's own wrapper (PyHive reflects a DATE as HiveDate over sa.DATE): judge what it wraps.
        col_type = col_type.impl_instance
    if isinstance(col_type, sa.types.TypeEngine):
        for family, classes in TYPE_CLASSES.items():
            if isinstance(col_type, classes):
                return family
        return "other"
    text = str(col_type).upper()
    for family, words in TYPE_WORDS.items():
        if any(word in text for word in words):
            return family
    return "other"


def accepts(kind: str, col_type: object) -> bool:
    """Whether a column of ``col_type`` can hold a canonical column of ``kind``."""
    return type_family(col_type) in ACCEPTED[kind]
