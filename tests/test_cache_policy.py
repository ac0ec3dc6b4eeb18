"""One runtime and one cache policy, as tests: every cache takes its lifetime and size from
ui/caching.py, which names every module that caches; settings, secrets, warehouse and state store
are opened only through connectors/runtime.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHES = ("cache_data", "cache_resource", "shared", "shared_frames")
#: What only connectors/runtime.py may call to open things (the app and the commands use it).
OPENERS = {"resolve_settings", "create_data_folders", "open_warehouse", "create_read_engine",
           "create_state_engine", "open_review_store"}
ENTRY_POINTS = ["checks/__main__.py", "checks/demo.py", "review/__main__.py", "metrics/alerts/__main__.py",
                "dashboard.py"]


def _python_files(*folders: str) -> list[Path]:
    paths = (p for folder in folders for p in (ROOT / folder).rglob("*.py"))
    return sorted(p for p in paths if "__pycache__" not in p.parts)


def _cache_decorators(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        decorator
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for decorator in node.decorator_list
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", None) in CACHES
    ]


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}


def test_every_cache_takes_its_policy_from_ui_caching() -> None:
    policy = (ROOT / "ui" / "caching.py").read_text(encoding="utf-8")
    caching_modules = []
    for path in _python_files("ui", "pages") + [ROOT / "dashboard.py"]:
        decorators = _cache_decorators(path)
        if not decorators:
            continue
        caching_modules.append(path.relative_to(ROOT).as_posix())
        for decorator in decorators:
            for keyword in decorator.keywords:
                if keyword.arg in ("ttl", "max_entries"):
                    value = keyword.value
                    named = isinstance(value, ast.Attribute) and getattr(value.value, "id", None) == "caching"
                    assert named, f"{path.name}:{decorator.lineno}: {keyword.arg} is no ui/caching constant"
    assert caching_modules and all(module.startswith("ui/") for module in caching_modules)
    undocumented = [m for m in caching_modules if m not in policy]
    assert undocumented == [], f"ui/caching.py does not say what these cache: {undocumented}"


def test_only_the_runtime_opens_settings_warehouse_and_state_store() -> None:
    callers = {path.relative_to(ROOT).as_posix(): _imported_names(path) & OPENERS
               for path in _python_files("ui", "pages") + [ROOT / p for p in ENTRY_POINTS]}
    assert {k: sorted(v) for k, v in callers.items() if v} == {}


def test_one_secrets_reader() -> None:
    ours = _python_files("connectors", "checks", "review", "metrics", "ui", "pages") + [ROOT / "dashboard.py"]
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in ours
        if "tomllib" in path.read_text(encoding="utf-8") or "st.secrets" in path.read_text(encoding="utf-8")
    ]
    assert readers == ["connectors/runtime.py"]
