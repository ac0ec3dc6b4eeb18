"""The architecture as tests: import layering, page registration, documented KPIs and settings.

Layering (docs/design.md): dashboard -> pages -> ui -> (metrics, checks, review, connectors);
connectors and checks may use metrics; metrics imports nothing of ours (a ``__main__.py`` CLI is
the one exception). Only dashboard.py, pages/ and ui/ import streamlit; only ui/*charts*.py import
altair; pages/ holds only page scripts (their helpers live in ui/, so Streamlit never lists them).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("metrics", "connectors", "checks", "pages", "ui", "review", "dashboard")


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Top-level names of every module the file imports (anywhere in it, also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add(path.relative_to(ROOT).parts[0])  # a relative import stays in its own package
    return names


def _roots(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _all_python_files() -> list[Path]:
    files = [ROOT / "dashboard.py"]
    for package in ("metrics", "connectors", "checks", "pages", "ui", "review"):
        if (ROOT / package).is_dir():
            files += _modules(package)
    return files


def test_metrics_imports_nothing_of_ours() -> None:
    offenders = {
        _rel(p): sorted(_roots(p) & set(OURS) - {"metrics"})
        for p in _modules("metrics")
        if p.name != "__main__.py"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_connectors_and_checks_stay_below_the_pages() -> None:
    banned = {"pages", "streamlit", "altair", "dashboard", "review"}
    offenders = {
        _rel(p): sorted(_roots(p) & banned)
        for package in ("connectors", "checks")
        if (ROOT / package).is_dir()
        for p in _modules(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_dashboard_and_pages_import_streamlit() -> None:
    allowed = {"dashboard.py", "pages", "ui"}
    offenders = [
        _rel(p)
        for p in _all_python_files()
        if "streamlit" in _roots(p) and _rel(p).split("/")[0] not in allowed
    ]
    assert offenders == []


def test_only_chart_modules_in_ui_import_altair() -> None:
    offenders = [
        _rel(p)
        for p in _all_python_files()
        if "altair" in _roots(p) and not (_rel(p).startswith("ui/") and "charts" in p.stem)
    ]
    assert offenders == []


def _calls_app_context_at_top_level(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "app_context":
                return True
    return False


def registered_pages() -> tuple[tuple[str, str, str], ...]:
    from ui.navigation import PAGES

    return PAGES


def test_every_page_is_registered_and_every_registered_page_exists() -> None:
    PAGES = registered_pages()  # noqa: N806
    registered = [path for path, _, _ in PAGES]
    scripts = [p for p in _modules("pages") if p.name != "__init__.py"]
    pages = sorted(_rel(p) for p in scripts if _calls_app_context_at_top_level(p))
    assert pages, "no page module found: pages call app_context() at top level"
    assert pages == sorted(_rel(p) for p in scripts), "pages/ holds only page scripts (helpers go in ui/)"
    assert sorted(set(pages) - set(registered)) == [], "pages missing from ui.navigation.PAGES"
    assert [p for p in registered if not (ROOT / p).is_file()] == [], "PAGES names missing scripts"
    assert len(set(registered)) == len(registered)
    titles = [title for _, title, _ in PAGES]
    assert len(set(titles)) == len(titles) and all(titles)
    # Material icon names make the browser fetch icons from Google's servers: emoji only.
    assert not any(icon.startswith(":material/") for _, _, icon in PAGES)
    quoted = re.compile(r"[\"']:material/")
    uses_material = [_rel(p) for p in _all_python_files() if quoted.search(p.read_text(encoding="utf-8"))]
    assert uses_material == []


def _importable(package: str) -> list[str]:
    names = []
    for path in _modules(package):
        if path.name == "__main__.py":
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.parametrize("module", _importable("metrics") + _importable("connectors"))
def test_module_imports(module: str) -> None:
    importlib.import_module(module)


# --- public surfaces: other packages use only what a package declares -------------------------

#: Packages whose modules declare their public names; a module or name with a leading underscore is
#: private to its package.
SURFACES = ("connectors", "metrics", "checks", "review")
#: Code that must use those packages through their public names (tests may test private modules).
SURFACE_USERS = ("dashboard.py", "pages", "ui", "metrics", "connectors", "checks", "review", "benchmarks")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_file(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _declared(path: Path) -> list[str] | None:
    """The ``__all__`` a module declares, read from its source (importing it would load scipy or GE)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return list(ast.literal_eval(node.value))
    return None


def _surface_users() -> list[Path]:
    files: list[Path] = []
    for entry in SURFACE_USERS:
        files += [ROOT / entry] if entry.endswith(".py") else _modules(entry)
    return files


def test_other_packages_use_only_public_names() -> None:
    wrong = []
    for path in _surface_users():
        own = path.relative_to(ROOT).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [(alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [(node.module, [alias.name for alias in node.names])]
            else:
                continue
            for module, names in modules:
                parts = module.split(".")
                if parts[0] not in SURFACES or parts[0] == own:
                    continue
                where = f"{_rel(path)}:{node.lineno} {module}"
                wrong += [f"{where}: private module" for part in parts if _private(part)]
                declared = _declared(_module_file(module)) if _module_file(module).exists() else None
                for name in names:
                    if _private(name) or (declared is not None and name not in declared):
                        wrong.append(f"{where}: {name} is not public")
    assert wrong == [], "import public names only (the module's __all__):\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", SURFACES)
def test_every_public_module_declares_its_names(package: str) -> None:
    """Each package's ``__all__`` names its public modules; each of them has an ``__all__``."""
    public = sorted(
        p.relative_to(ROOT / package).parts[0].removesuffix(".py")
        for p in (ROOT / package).glob("*")
        if (p.suffix == ".py" or (p / "__init__.py").exists())
        and not _private(p.name) and p.name not in ("__init__.py", "__main__.py")
    )
    assert sorted(_declared(ROOT / package / "__init__.py") or []) == public
    undeclared = [
        _rel(p) for p in _modules(package)
        if p != ROOT / package / "__init__.py" and p.name != "__main__.py"
        and not any(_private(part) for part in p.relative_to(ROOT).parts) and _declared(p) is None
    ]
    assert undeclared == [], f"public modules without __all__: {undeclared}"


# --- documentation: README names every KPI and every setting -----------------------------------


def _readme() -> str:
    path = ROOT / "README.md"
    if not path.is_file():
        pytest.fail("README.md is missing; it must document every KPI and setting")
    return path.read_text(encoding="utf-8")


def test_every_default_kpi_is_documented_in_readme() -> None:
    from metrics.registry import DEFAULT_KPIS

    readme = _readme()
    missing = [k.kpi_id for k in DEFAULT_KPIS if f"`{k.kpi_id}`" not in readme]
    assert missing == [], f"KPIs not in README.md (write the id in backticks, e.g. `csat`): {missing}"


def test_every_setting_is_documented_in_readme() -> None:
    from connectors.settings import SETTINGS

    readme = _readme()
    missing = [s.key for s in SETTINGS if s.key not in readme]
    assert missing == [], f"settings not in README.md: {missing}"


#: Files the docs name that are made by people or by the app, not kept in the repository.
_MADE_LATER = {
    ".streamlit/secrets.toml", "secrets.toml", "mapping.yaml", "dq.json", "figures.json", "access.yaml",
}


def test_docs_point_only_at_files_that_exist() -> None:
    docs = [ROOT / "README.md", ROOT / "checks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = re.compile(r"`([\w./-]+\.(?:py|md|toml|yaml|yml|txt|sh))`")
    missing, checked = [], 0
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        outside = "../shared" in text or "DESIGN.md" in text
        assert not outside, f"{_rel(doc)} points outside the repository"
        for path in named.findall(text):
            checked += 1
            candidates = [ROOT / path, doc.parent / path]
            if Path(path).name not in _MADE_LATER and path not in _MADE_LATER and not any(
                c.exists() for c in candidates
            ):
                missing.append(f"{_rel(doc)}: {path}")
    assert checked > 20, "the docs name files in backticks; the pattern found too few to mean anything"
    assert missing == []


def test_streamlit_config_keeps_protection_on_and_phones_nobody() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["browser"]["gatherUsageStats"] is False
