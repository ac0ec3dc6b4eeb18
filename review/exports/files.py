"""What every export shares: never half-writing a file, and the pack's header lines.

An export is written to a temporary file in the target folder and moved over the target with
``os.replace`` only when complete, so a failed export leaves any earlier good file untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from metrics.i18n import tr, tr_n
from review._figures import Trust
from review.formatting import readable_time
from review.frozen import QuarterReview
from review.quarters import parse_quarter
from review.store import stamp

__all__ = ["ExportError", "header_lines", "write_atomically"]


class ExportError(RuntimeError):
    """The export cannot be written; the message says what to do. No file was changed."""


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then move the finished file to ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(tr("The folder {folder} does not exist; create it or choose another --out "
                             "path.").format(folder=folder))
    if path.is_dir():
        raise ExportError(tr("{path} is a folder; give a file name such as {example}.").format(
            path=path, example=path / "review.pdf"))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(tr("Cannot write in {folder}: {reason}. Choose a folder you may write to.").format(
            folder=folder, reason=exc.strerror)) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp makes the file private; give it the mode an ordinary new file (or the old one) has.
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(tr("Cannot write {path}: {reason}. Nothing was changed.").format(
            path=path, reason=exc.strerror or exc)) from None
    finally:
        temp.unlink(missing_ok=True)
    return path


def header_lines(review: QuarterReview, generated_at: dt.datetime) -> list[str]:
    """Quarter, generation time, where the figures come from, and how far they can be trusted."""
    q = review.figures
    lines = [tr("Quarter {quarter}").format(quarter=q.quarter),
             tr("Generated {time}").format(time=readable_time(stamp(generated_at)))]
    if review.is_closed:
        lines.append(tr("Closed quarter: figures frozen by {who} at {time}").format(
            who=q.closed_by, time=readable_time(q.closed_at)))
        if review.live_differences is not None and len(review.live_differences):
            count = len(review.live_differences)
            # One English wording for every count (as it always read); German says one or more.
            lines.append(tr_n("Note: live warehouse data now differs for {count} figure(s); the frozen "
                              "figures are shown.",
                              "Note: live warehouse data now differs for {count} figure(s); the frozen "
                              "figures are shown.", count).format(count=count))
    else:
        lines.append(tr("Open quarter: live figures, may still change"))
    if q.data_through is not None and q.data_through < _quarter_end(q.quarter):
        lines.append(tr("Partial quarter: data up to {date}").format(date=q.data_through))
    trust = set(q.figures["trust"].unique())  # not set() of every row: Arrow strings iterate slowly
    if Trust.UNKNOWN.value in trust:
        lines.append(tr("Trust: unknown (the data-quality history could not be read)"))
    elif trust == {Trust.UNCHECKED.value}:
        lines.append(tr("Trust: unchecked (no data-quality check had run)"))
    elif Trust.NOT_TRUSTED.value in trust:
        lines.append(tr("Trust: some figures come from data that failed checks in this quarter (marked ⊘)"))
    return lines


def _quarter_end(label: str) -> dt.date:
    return parse_quarter(label).end
