"""Reading the Overview's headline grid (ui.status_grid) back from its HTML, as the tests of what it
shows need it: one row per cell with its journey, KPI, status and hover lines."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Grid(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.kpis: list[str] = []
        self.rows: list[dict[str, str]] = []
        self._in: str | None = None  # "col", "row" or "cell": where the text goes
        self._text = ""
        self._journey = ""
        self._column = 0
        self._cell: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self._column = 0
        elif tag == "th" and found.get("scope") in ("col", "row"):
            self._in, self._text = found["scope"], ""
        elif tag == "td":
            self._column += 1
            if "data-status" in found:
                self._cell = {"status": found["data-status"] or "", "title": found.get("title") or ""}
                self._in, self._text = "cell", ""
        elif tag == "br" and self._in:
            self._text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in == "col":
            self.kpis.append(self._text)
        elif tag == "th" and self._in == "row":
            self._journey = self._text
        elif tag == "td" and self._in == "cell":
            hover = dict(line.split(": ", 1) for line in self._cell["title"].splitlines() if ": " in line)
            self.rows.append({"journey": self._journey, "kpi": self.kpis[self._column - 1],
                              "status": self._cell["status"], "shown": self._text,
                              "status_label": hover.get("Status", ""), "reason": hover.get("Why", "")})
        if tag in ("th", "td"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def grid_cells(markup: str) -> pd.DataFrame:
    """The grid's cells (journey, kpi, status, shown text, status_label and reason from the hover)."""
    parser = _Grid()
    parser.feed(markup)
    return pd.DataFrame(parser.rows, columns=["journey", "kpi", "status", "shown", "status_label", "reason"])
