"""Every page in German (MOT_LANGUAGE=de) under AppTest: no English left in the page's own text,
nor on the problem pages (an unreachable warehouse, a wrong mapping, a bad setting).

Data keeps its language (journey, stage, touchpoint and KPI names come from the warehouse and are
shown as they are), so those are taken out before looking for English words (tests/german.py).
Each page must also say something in German, so a page that silently stayed English fails too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from streamlit.testing.v1 import AppTest

from connectors.db_errors import database_reason
from connectors.settings import SETTING_KEYS
from metrics.formatting import set_language
from tests.fixtures import FixtureWarehouse, fixture_frames, mapping_document
from tests.german import english_left, shown_texts
from tests.markdown import shown_text
from tests.test_pages_apptest import PAGES, app_env, assert_rendered, run_page
from ui.caching import clear_data

GERMAN_WORDS = frozenset([
    "der", "die", "das", "und", "mit", "für", "nicht", "keine", "ist", "sind", "zum", "zur", "auf",
    "aus",
])


def data_strings() -> set[str]:
    """Every text value of the fixture warehouse: names, ids, channels, owners, KPI names."""
    values: set[str] = set()
    for frame in fixture_frames().values():
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                values.update(str(v) for v in frame[column].dropna().unique())
    return values


@pytest.fixture(scope="module")
def german_env(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[dict[str, str]]:
    fx = fixture_warehouse_duckdb
    env = app_env(fx.url, fx.mapping_path, tmp_path_factory.mktemp("german-app"))
    env["MOT_LANGUAGE"] = "de"
    clear_data()
    yield env
    set_language("en")  # the language is process-wide: later tests read English again
    clear_data()


@pytest.fixture(scope="module")
def german_pages(german_env: dict[str, str]) -> dict[str, AppTest]:
    return {path: run_page(german_env, path) for path, _, _ in PAGES}


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_page_in_german_has_no_english_left(german_pages: dict[str, AppTest], path: str) -> None:
    _assert_no_english_left(german_pages[path], path)


@pytest.mark.parametrize("tab", range(1, 5))
def test_budget_tab_in_german_has_no_english_left(german_pages: dict[str, AppTest],
                                                   german_env: dict[str, str], tab: int) -> None:
    """The budget page draws only its open tab (the first above): each other tab opened from the URL."""
    first = german_pages["pages/budget.py"]
    label = first.tabs[tab].label
    at = run_page(german_env, "pages/budget.py", {"tab": label})
    assert not {m.label for m in first.metric} & {m.label for m in at.metric}  # the first tab is closed
    _assert_no_english_left(at, f"budget, tab {label}")


def _assert_no_english_left(at: AppTest, path: str) -> None:
    assert_rendered(at)
    texts = shown_texts(at)
    left = english_left(texts, data_strings())
    assert not left, "English left on the German page:\n" + "\n".join(
        f"  [{kind}] {text!r}: {words}" for kind, text, words in left)
    words = {w.lower() for _, text in texts for w in text.split()}
    assert words & GERMAN_WORDS, f"{path} shows no German at all"


def test_the_detector_finds_english() -> None:
    """The check itself can fail: an English caption is found, a German one with English data passes."""
    texts = [("caption", "Each period is judged against the target."),
             ("caption", "Ziel für Online-Kauf verfehlt")]
    left = english_left(texts, {"Online-Kauf"})
    assert [t for _, t, _ in left] == ["Each period is judged against the target."]
    assert english_left([("markdown", "Kaufabschluss: 4,2 gegen Ziel 4,5")], {"Kaufabschluss"}) == []


# --- Problem pages in German: what is wrong and what to do, with no English left -----------------


def _problem_texts(at: AppTest) -> list[tuple[str, str]]:
    """The problem page as shown: no traceback, an error saying what is wrong, an info what to do."""
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "the page shows no problem"
    assert at.info, "the page does not say what to do"
    return shown_texts(at)


def readme_sections() -> set[str]:
    """The README's section titles: messages point at them by name, and the README is English."""
    readme = Path(__file__).resolve().parent.parent / "README.md"
    return {line.lstrip("#").strip() for line in readme.read_text(encoding="utf-8").splitlines()
            if line.startswith(("## ", "### "))}


def _assert_german(texts: list[tuple[str, str]], data: set[str]) -> None:
    """No English left once data, setting names (MOT_DATA_DIR) and README section titles are out."""
    left = english_left(texts, data | data_strings() | set(SETTING_KEYS) | readme_sections())
    assert not left, "English left on the German problem page:\n" + "\n".join(
        f"  [{kind}] {text!r}: {words}" for kind, text, words in left)
    words = {w.lower() for _, text in texts for w in text.split()}
    assert words & GERMAN_WORDS, "the problem page shows no German at all"


@pytest.fixture
def german_language() -> Iterator[None]:
    yield
    set_language("en")  # the language is process-wide: later tests read English again


def test_unreachable_warehouse_in_german(tmp_path: Path, german_language: None) -> None:
    url = "postgresql+psycopg://mot@127.0.0.1:1/mot"
    try:  # what the database driver says is shown as it is, in its own language
        with sa.create_engine(url).connect():
            pass
        reason = ""
    except sa.exc.SQLAlchemyError as exc:
        reason = database_reason(exc)
    env = app_env(url, None, tmp_path)
    env["MOT_LANGUAGE"] = "de"
    at = run_page(env)
    texts = _problem_texts(at)
    assert "Das Warehouse ist nicht erreichbar" in at.error[0].value
    assert f"Das Warehouse unter {url} ist nicht erreichbar" in shown_text(at.error[0].value)
    _assert_german(texts, {reason, url})


def test_wrong_mapping_in_german(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path,
                                 german_language: None) -> None:
    document = mapping_document("mart")
    document["tables"]["touchpoints"]["table"] = "mart.wh_touchpoints"
    mapping = tmp_path / "wrong.yaml"
    mapping.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    env = app_env(fixture_warehouse_duckdb.url, mapping, tmp_path)
    env["MOT_LANGUAGE"] = "de"
    at = run_page(env)
    texts = _problem_texts(at)
    assert "Die Mapping-Datei passt nicht zum Warehouse" in at.error[0].value
    shown = shown_text(at.error[0].value)
    assert "'touchpoints'" in shown and "mart.wh_touchpoints" in shown
    # Table and column names are the warehouse's and the mapping's own: shown as they are.
    names = {str(t["table"]) for t in document["tables"].values()} | set(document["tables"])
    names |= {str(c) for t in document["tables"].values() for pair in t["columns"].items() for c in pair}
    _assert_german(texts, names | {str(mapping)})


@pytest.mark.parametrize(("key", "value", "german"), [
    ("MOT_DUCKDB_MEMORY_LIMIT", "lots", "ist keine Speichergröße"),
    ("MOT_ALERT_STREAK", "0", "ist keine ganze Zahl von Zeiträumen"),
    ("MOT_STATE_URL", "not a url", "ist keine SQLAlchemy-URL"),
])
def test_bad_setting_in_german(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path,
                               german_language: None, key: str, value: str, german: str) -> None:
    fx = fixture_warehouse_duckdb
    env = app_env(fx.url, fx.mapping_path, tmp_path)
    env.update({"MOT_LANGUAGE": "de", key: value})
    at = run_page(env)
    texts = _problem_texts(at)
    assert "Eine Einstellung ist falsch" in at.error[0].value
    assert german in shown_text(at.error[0].value)
    _assert_german(texts, {value})


def test_setting_in_the_secrets_file_in_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               german_language: None) -> None:
    """MOT_LANGUAGE from the secrets file applies to the settings' own messages and help texts."""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('MOT_LANGUAGE = "de"\nMOT_MAPPING = ["a", "b"]\n')
    monkeypatch.chdir(tmp_path)
    at = run_page(app_env("duckdb:///nowhere.duckdb", None, tmp_path))
    texts = _problem_texts(at)
    shown = shown_text(at.error[0].value)
    assert "MOT_MAPPING in .streamlit/secrets.toml muss Text sein" in shown
    assert "Pfad der Mapping-Datei" in shown  # the setting's help text, in German too
    _assert_german(texts, set())


# --- Login, no access and a broken access file, in German ----------------------------------------


@pytest.fixture
def login_folder(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 german_language: None) -> Iterator[dict[str, str]]:
    """Login configured ([auth] in secrets.toml), the access file of tests/test_access_pages.py, German."""
    from streamlit.runtime.secrets import secrets_singleton

    from tests.test_access_pages import ACCESS
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        'MOT_LANGUAGE = "de"\n[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\n'
        'cookie_secret = "x"\nclient_id = "c"\nclient_secret = "s"\n'
        'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n', encoding="utf-8")
    (tmp_path / "access.yaml").write_text(ACCESS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    fx = fixture_warehouse_duckdb
    env = app_env(fx.url, fx.mapping_path, tmp_path)
    env["MOT_ACCESS"] = str(tmp_path / "access.yaml")
    secrets_singleton._reset()
    yield env
    secrets_singleton._reset()


def _run_as(env: dict[str, str], user: dict[str, object]) -> AppTest:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        at = AppTest.from_file("../dashboard.py", default_timeout=90)
        at.user = user
        return at.run(timeout=90)


def test_login_and_no_access_pages_in_german(login_folder: dict[str, str]) -> None:
    at = _run_as(login_folder, {"is_logged_in": False})
    assert not at.exception, [e.value for e in at.exception]
    assert [b.label for b in at.button] == ["Anmelden"]
    assert at.title[0].value == "Momente der Wahrheit"
    _assert_german(shown_texts(at), set())

    at = _run_as(login_folder, {"is_logged_in": True, "email": "stranger@elsewhere.example"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Kein Zugriff"
    assert not at.metric and not at.dataframe
    _assert_german(shown_texts(at), set())


def test_broken_access_file_in_german(login_folder: dict[str, str]) -> None:
    Path(login_folder["MOT_ACCESS"]).write_text("people:\n  not-an-address: [executive]\n", encoding="utf-8")
    at = _run_as(login_folder, {"is_logged_in": True, "email": "ceo@example.com"})
    texts = _problem_texts(at)
    assert "Die Zugriffsregeln können nicht gelesen werden" in at.error[0].value
    assert "ist keine E-Mail-Adresse" in shown_text(at.error[0].value)
    _assert_german(texts, {"not-an-address", login_folder["MOT_ACCESS"]})


# --- Figures built once per request (ui/page_figures.py) are kept per language ---------------------

#: Pages whose figures are cached with their words (ui/page_figures.py, ui/review_sections.py).
CACHED_FIGURE_PAGES = ["pages/overview.py", "pages/journey.py", "pages/my_touchpoints.py", "pages/review.py"]


@pytest.mark.parametrize("path", CACHED_FIGURE_PAGES)
def test_figures_cached_in_english_are_not_shown_in_german(german_env: dict[str, str], path: str) -> None:
    """The same request in English, then in German, with the caches kept: the German page is built
    anew, not served the English figures."""
    clear_data()
    english = {k: v for k, v in german_env.items() if k != "MOT_LANGUAGE"} | {"MOT_LANGUAGE": "en"}
    assert_rendered(run_page(english, path))
    at = run_page(german_env, path)
    assert_rendered(at)
    left = english_left(shown_texts(at), data_strings())
    assert not left, "English left on the German page after an English run:\n" + "\n".join(
        f"  [{kind}] {text!r}: {words}" for kind, text, words in left)
