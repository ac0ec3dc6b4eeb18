"""Great Expectations Data Docs, published where the app's web server serves them.

Great Expectations writes its Data Docs as a static site under ``MOT_DATA_DIR/gx`` and the run
stores a ``file://`` address: a browser on another machine cannot open it. Streamlit serves the
files under ``static/`` next to the entry script at ``/app/static/...`` (``server.enableStaticServing``,
with a content type from the file's extension, so HTML opens as a page). ``publish`` copies a run's
site there, one folder per run, written to a temporary folder and renamed into place so that a
viewer never sees half a site, and keeps only the latest few.

Only this run's validation pages are copied (Great Expectations' site keeps every run's), with
the site's styles, images and expectation pages, and a page of our own, ``run.html``, that links
to them: Great Expectations' ``index.html`` lists the runs only through scripts from CDNs.

The copy loads nothing from other hosts: Great Expectations' pages pull Bootstrap, jQuery, Vega
and fonts from public CDNs, which would make every viewer's browser contact them (README
"Deploying safely"). Those ``<script src>`` and ``<link href>`` tags are left out; the pages'
content is plain HTML tables and stays readable, only unstyled.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

from metrics.i18n import tr

__all__ = ["KEEP_RUNS", "local_site", "publish", "RUN_PAGE", "strip_external"]

#: Published runs kept; older folders are removed when a new one is published.
KEEP_RUNS = 3
#: Our page listing the run's validation pages, in the published folder.
RUN_PAGE = "run.html"
#: Tags that make the browser fetch from another host as the page loads.
_EXTERNAL = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<img\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)
_RUN_FOLDER = re.compile(r"^[A-Za-z0-9_-]+$")


def local_site(docs_url: str | None) -> Path | None:
    """The folder of a run's Data Docs site from its stored ``file://`` address (None when there
    is no address, it is not a local file, or the site is not on this machine)."""
    if not docs_url:
        return None
    parsed = urllib.parse.urlparse(docs_url)
    if parsed.scheme != "file":
        return None
    index = Path(urllib.parse.unquote(parsed.path))
    return index.parent if index.is_file() else None


def strip_external(html: str) -> str:
    """The page without the tags that load scripts, styles or images from other hosts."""
    return _EXTERNAL.sub("", html)


def publish(site: Path, served_root: Path, run_id: str) -> Path:
    """Copy ``site`` to ``served_root/run_id`` (HTML stripped of external loads) once per run.

    Returns the published folder. Raises OSError when the folder cannot be written.
    """
    if not _RUN_FOLDER.match(run_id):
        raise OSError(tr("run id {run_id} cannot name a folder").format(run_id=repr(run_id)))
    target = served_root / run_id
    if (target / RUN_PAGE).is_file():
        return target
    served_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".publishing-", dir=served_root))
    try:
        pages = []
        for source in sorted(site.rglob("*")):
            relative = source.relative_to(site)
            if source.is_dir() or source.is_symlink():
                continue
            if relative.parts[0] == "validations":
                if run_id not in relative.parts:
                    continue  # another run's page
                pages.append(relative)
            copy = staging / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix.lower() == ".html":
                copy.write_text(strip_external(source.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copyfile(source, copy)
        (staging / RUN_PAGE).write_text(_run_page(run_id, pages), encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / RUN_PAGE).is_file():  # not another session publishing the same run
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(served_root)
    return target


def _run_page(run_id: str, pages: list[Path]) -> str:
    """A plain page linking to each validation page of the run, named by its evidence suite."""
    none = html.escape(tr("This run has no validation pages."))
    items = "\n".join(
        f'<li><a href="{html.escape(p.as_posix(), quote=True)}">{html.escape(_suite(p))}</a></li>'
        for p in pages if p.suffix == ".html"
    ) or f"<li>{none}</li>"
    title = html.escape(tr("Data Docs of run {run}").format(run=run_id))
    heading = html.escape(tr("Great Expectations validation results of run {run}").format(run=run_id))
    intro = html.escape(tr("One page per evidence suite (the small frames the checks validate)."))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}"
            f"</title></head><body><h1>{heading}</h1>"
            f"<p>{intro}</p><ul>{items}</ul>"
            "</body></html>")  # i18n: not shown (the markup; its texts are translated above)


def _suite(page: Path) -> str:
    # validations/<suite path...>/<run id>/<time>/<file>: the suite is what lies before the run id
    parts = page.parts[1:-3]
    return ".".join(parts) or page.stem


def _prune(served_root: Path) -> None:
    runs = sorted((p for p in served_root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name, reverse=True)
    for old in runs[KEEP_RUNS:]:
        shutil.rmtree(old, ignore_errors=True)
