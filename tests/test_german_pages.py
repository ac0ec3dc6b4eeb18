"""Every page in German (MOT_LANGUAGE=de) under AppTest: no English left in the page's own text.

Data keeps its language (journey, stage, touchpoint and KPI names come from the warehouse and are
shown as they are), so those are taken out before looking for English words (tests/german.py).
Each page must also say something in German, so a page that silently stayed English fails too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.formatting import set_language
from tests.fixtures import FixtureWarehouse, fixture_frames
from tests.german import english_left, shown_texts
from tests.test_pages_apptest import PAGES, app_env, assert_rendered, run_page

GERMAN_WORDS = frozenset("der die das und mit für nicht keine ist sind zum zur auf aus".split())


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
    st.cache_data.clear()
    yield env
    set_language("en")  # the language is process-wide: later tests read English again
    st.cache_data.clear()


@pytest.fixture(scope="module")
def german_pages(german_env: dict[str, str]) -> dict[str, AppTest]:
    return {path: run_page(german_env, path) for path, _, _ in PAGES}


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_page_in_german_has_no_english_left(german_pages: dict[str, AppTest], path: str) -> None:
    at = german_pages[path]
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
