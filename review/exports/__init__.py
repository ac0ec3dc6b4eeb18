"""The quarterly review pack in three formats: one entry point for the CLI and the page.

Public modules: ``files`` (atomic writing, the pack's header lines, ExportError), ``layout`` (what
the PDF and the slides show in which order, tables cut to ten rows), ``pdf``,
``pptx`` and ``csv`` (one writer each).
The writers are imported when a pack is written, not with this package, so a page that needs
only ``files`` or ``csv`` never loads reportlab, python-pptx or vl-convert.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from metrics.i18n import tr
from review.exports.files import ExportError
from review.frozen import QuarterReview

__all__ = ["FORMATS", "MEDIA_TYPES", "export_pack", "pack_bytes", "pack_file_name"]

FORMATS: tuple[str, ...] = ("pdf", "pptx", "csv")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
}
#: Format -> (module, function) of its writer; each is ``write(review, path, generated_at)``.
_WRITERS = {
    "pdf": ("review.exports.pdf", "write_pack_pdf"),
    "pptx": ("review.exports.pptx", "write_pack_pptx"),
    "csv": ("review.exports.csv", "write_pack_csv"),
}


def _writer(fmt: str) -> Callable[[QuarterReview, Path, dt.datetime], Path]:
    module, name = _WRITERS[fmt]
    write: Callable[[QuarterReview, Path, dt.datetime], Path] = getattr(importlib.import_module(module), name)
    return write


def export_pack(review: QuarterReview, fmt: str, path: Path, generated_at: dt.datetime,
                csv_keys: bool = False) -> Path:
    """Write the pack in ``fmt`` (pdf, pptx, csv) to ``path``, atomically. ``csv_keys``: the CSV's
    header row holds the column keys (``journey_id``) in any language (review.exports.csv)."""
    if fmt not in _WRITERS:
        raise ExportError(tr("Unknown format {format}; choose one of {formats}.").format(
            format=repr(fmt), formats=", ".join(FORMATS)))
    if fmt == "csv" and csv_keys:
        from review.exports.csv import write_pack_csv

        return write_pack_csv(review, Path(path), generated_at, keys=True)
    return _writer(fmt)(review, Path(path), generated_at)


def pack_bytes(review: QuarterReview, fmt: str, generated_at: dt.datetime) -> bytes:
    """The pack as bytes, for a download button."""
    with tempfile.TemporaryDirectory(prefix="mot-review-") as folder:
        path = export_pack(review, fmt, Path(folder) / f"review.{fmt}", generated_at)
        return path.read_bytes()


def pack_file_name(quarter: str, fmt: str) -> str:
    """The download's file name, in the current language ('quarterly-review-2026Q3.pdf')."""
    return tr("quarterly-review-{quarter}.{format}").format(quarter=quarter, format=fmt)
