"""One entry point for the three pack formats, used by the CLI and the page."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from review.export_csv import write_pack_csv
from review.export_files import FORMATS, ExportError
from review.export_pdf import write_pack_pdf
from review.export_pptx import write_pack_pptx
from review.frozen import QuarterReview

WRITERS = {"pdf": write_pack_pdf, "pptx": write_pack_pptx, "csv": write_pack_csv}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
}


def export_pack(review: QuarterReview, fmt: str, path: Path, generated_at: dt.datetime) -> Path:
    """Write the pack in ``fmt`` (pdf, pptx, csv) to ``path``, atomically."""
    if fmt not in WRITERS:
        raise ExportError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    return WRITERS[fmt](review, Path(path), generated_at)


def pack_bytes(review: QuarterReview, fmt: str, generated_at: dt.datetime) -> bytes:
    """The pack as bytes, for a download button."""
    with tempfile.TemporaryDirectory(prefix="mot-review-") as folder:
        path = export_pack(review, fmt, Path(folder) / f"review.{fmt}", generated_at)
        return path.read_bytes()


def pack_file_name(quarter: str, fmt: str) -> str:
    return f"quarterly-review-{quarter}.{fmt}"
