"""Which messages the code says and which the German files translate: the audit behind
tests/test_i18n.py and ``python -m metrics.i18n_audit``.

Messages are found with Babel's extractor (the ``tr``, ``tr_n`` and ``N_`` calls of metrics.i18n)
in every package that has text a person reads.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from metrics.i18n import CATALOGUE_DIR, KEYWORDS

__all__ = ["Audit", "DATA_FILES", "NOT_SHOWN", "audit", "bad_calls", "main", "source_files", "unmarked",
           "unmarked_everywhere"]

ROOT = CATALOGUE_DIR.parent
#: Where text a person reads is written.
SOURCES = ("dashboard.py", "pages", "ui", "metrics", "checks", "connectors", "review")

_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")

Message = str | tuple[str, str]


@dataclass
class Audit:
    """Messages in the code (with where), and what the PO files of one language hold."""

    used: dict[Message, list[str]] = field(default_factory=lambda: defaultdict(list))
    translated: dict[Message, list[tuple[str, str | tuple[str, ...]]]] = field(
        default_factory=lambda: defaultdict(list))
    untranslated_entries: list[tuple[str, Message]] = field(default_factory=list)

    def missing(self) -> dict[Message, list[str]]:
        """Messages the code says that have no translation."""
        return {m: where for m, where in self.used.items() if m not in self.translated}

    def unused(self) -> dict[Message, list[str]]:
        """Translations of messages the code no longer says (text in German only)."""
        return {m: [f for f, _ in entries] for m, entries in self.translated.items() if m not in self.used}

    def conflicting(self) -> dict[Message, list[tuple[str, str | tuple[str, ...]]]]:
        """Messages translated differently in two files."""
        return {m: entries for m, entries in self.translated.items() if len({t for _, t in entries}) > 1}

    def placeholder_mismatches(self) -> dict[Message, str | tuple[str, ...]]:
        """Translations whose {placeholders} differ from the English ones."""
        bad: dict[Message, str | tuple[str, ...]] = {}
        for message, entries in self.translated.items():
            english = message if isinstance(message, tuple) else (message,)
            wanted = set().union(*(set(_PLACEHOLDER.findall(e)) for e in english))
            for _, text in entries:
                forms = text if isinstance(text, tuple) else (text,)
                for form in forms:
                    if set(_PLACEHOLDER.findall(form)) - wanted or (
                            not isinstance(message, tuple) and set(_PLACEHOLDER.findall(form)) != wanted):
                        bad[message] = text
        return bad


def source_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return files


def audit(language: str = "de", root: Path = ROOT) -> Audit:
    result = Audit()
    for path in source_files(root):
        rel = path.relative_to(root).as_posix()
        for lineno, message in _extract(path):
            result.used[message].append(f"{rel}:{lineno}")
    for po_path in sorted((root / CATALOGUE_DIR.name / language).glob("*.po")):
        rel = po_path.relative_to(root).as_posix()
        with po_path.open("rb") as handle:
            po = read_po(handle, locale=language)
        for entry in po:
            if not entry.id:
                continue
            key: Message = (entry.id[0], entry.id[1]) if isinstance(entry.id, tuple | list) else entry.id
            text = tuple(entry.string) if isinstance(entry.string, tuple | list) else entry.string
            if entry.fuzzy or not text or (isinstance(text, tuple) and not all(text)):
                result.untranslated_entries.append((rel, key))
                continue
            result.translated[key].append((rel, text))
    return result


def _extract(path: Path) -> list[tuple[int, Message]]:
    """(line, message) of every marked literal in ``path``; calls on variables are skipped."""
    found: list[tuple[int, Message]] = []
    for lineno, message, _comments, _context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=(), options={}):
        if isinstance(message, tuple | list):
            if len(message) >= 2 and message[0] and message[1]:
                found.append((lineno, (message[0], message[1])))
        elif message:
            found.append((lineno, message))
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m metrics.i18n_audit [FILE ...]``: what lacks German (or is German only), and the
    text nobody marked (in FILEs, or everywhere)."""
    args = sys.argv[1:] if argv is None else argv
    result = audit("de")
    problems = 0
    paths = [Path(a).resolve() for a in args] or source_files()
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        for lineno, text in ([] if rel in DATA_FILES else unmarked(path)):
            print(f"{rel}:{lineno}: not marked for translation: {text[:90]!r}")
            problems += 1
        for lineno, built in bad_calls(path):
            print(f"{rel}:{lineno}: text built inside tr(): {built!r}")
            problems += 1
    for title, items in (("Without a translation", result.missing()),
                         ("Translated but no longer in the code", result.unused())):
        if items:
            print(f"{title} ({len(items)}):")
            for message, where in sorted(items.items(), key=lambda kv: kv[1][0]):
                print(f"  {where[0]}: {message!r}")
            problems += len(items)
    for message, german in result.placeholder_mismatches().items():
        print(f"Placeholders differ: {message!r} -> {german!r}")
        problems += 1
    for message, entries in result.conflicting().items():
        print(f"Translated differently: {message!r}: {entries}")
        problems += 1
    print(f"{len(result.used)} messages in the code, {len(result.translated)} translated, "
          f"{problems} problems.")
    return 1 if problems else 0



# --- text nobody marked -------------------------------------------------------------------------

#: A literal that reads as words: two words of letters in a row.
_PROSE = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}[,.:;!?']? +[A-Za-zÄÖÜäöüß]{2,}")
_SQL = re.compile(r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|SET|SHOW|DESCRIBE|"
                  r"FROM|WHERE|JOIN|GROUP|ORDER|CAST|CASE|COALESCE|SUM|COUNT)\b")
#: The comment that says a literal is never read by a person (SQL, log keys, programmer errors).
NOT_SHOWN = "# i18n: not shown"
#: Files whose words are data, not the app's text (the generated demo company).
DATA_FILES = ("connectors/_demo_catalogue.py", "metrics/i18n_audit.py")
#: Exceptions that mean a programming error: their messages are for developers.
_DEVELOPER_ERRORS = {"TypeError", "AssertionError", "NotImplementedError", "KeyError", "RuntimeError"}


def unmarked(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, text) of every literal in ``path`` that reads as words but is neither marked for
    translation (tr, tr_n, N_), nor a docstring, SQL, a developer error, nor on a statement that
    carries ``# i18n: not shown``."""
    import ast

    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }

    def ancestors(node: ast.AST) -> Iterator[ast.AST]:
        parent = parents.get(id(node))
        while parent is not None:
            yield parent
            parent = parents.get(id(parent))

    def exempt(node: ast.AST) -> bool:
        statement = None
        for parent in ancestors(node):
            if isinstance(parent, ast.Call):
                func = parent.func
                name = func.id if isinstance(func, ast.Name) else (
                    func.attr if isinstance(func, ast.Attribute) else "")
                if name in KEYWORDS or name in _DEVELOPER_ERRORS or name == "text":  # sa.text(SQL)
                    return True
            if isinstance(parent, ast.Assert):
                return True
            if isinstance(parent, ast.stmt) and statement is None:
                statement = parent
        first = min(getattr(node, "lineno", 1), getattr(statement, "lineno", 10**9))
        last = max(getattr(node, "end_lineno", 0) or 0, getattr(statement, "end_lineno", 0) or 0)
        return any(NOT_SHOWN in line for line in lines[first - 1:last])

    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        text: str | None = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if not isinstance(parents.get(id(node)), ast.JoinedStr):
                text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if text and _PROSE.search(text) and not _SQL.match(text) and not exempt(node):
            found.append((getattr(node, "lineno", 0), text))
    return sorted(found)


def unmarked_everywhere(root: Path = ROOT) -> dict[str, list[tuple[int, str]]]:
    """``unmarked`` for every source file but the data files."""
    result = {}
    for path in source_files(root):
        rel = path.relative_to(root).as_posix()
        if rel in DATA_FILES:
            continue
        found = unmarked(path, root)
        if found:
            result[rel] = found
    return result


def bad_calls(path: Path) -> list[tuple[int, str]]:
    """Marked calls whose text is built (f-string, +, %, .format inside): extractors cannot see it
    and no translation could match it."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else ""
            if name in KEYWORDS:
                for arg in node.args[:2 if name == "tr_n" else 1]:
                    if isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Call):
                        found.append((node.lineno, ast.unparse(arg)[:80]))
    return found


if __name__ == "__main__":
    raise SystemExit(main())
