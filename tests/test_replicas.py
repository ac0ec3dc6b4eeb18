"""Two app servers (replicas) on one PostgreSQL state store: nothing saved is lost, trust agrees.

Two ``streamlit run`` processes on different loopback ports share ``MOT_STATE_URL`` (a schema of
the session's PostgreSQL) and read the same warehouse, as replicas behind a load balancer do. A
browser on each races the other through the real pages:

- each round, a person on replica A saves a comment while a person on replica B closes the quarter
  (the clicks go out together, so both servers work at once); a save the page confirmed ("Saved")
  must be in the closed quarter's snapshot, and one that was not must not be, its page showing
  the quarter closed;
- both replicas run the data-quality checks at once; afterwards both show the same latest run and
  the same trust.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page

from checks.history import latest_run_id, list_runs
from review.frozen import frame_from_json
from review.store import closed_snapshot, open_review_store
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.test_review_fixtures import build_review_warehouse

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.slow]

#: One race per quarter of the review warehouse, each closed once; in the second the close is clicked
#: first, so that a refused save is seen too (which side wins is still up to the two servers).
QUARTERS = {"2026Q3": "save first", "2026Q2": "close first"}
SAVED = re.compile(r"Saved \(version \d+\)")


@pytest.fixture(scope="module")
def shared_state(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL state store in a schema of its own (the server is shared by the session)."""
    url = sa.make_url(postgres_url)
    schema = f"replicas_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(sa.schema.DropSchema(schema, cascade=True))
    admin.dispose()


@pytest.fixture(scope="module")
def replicas(
    shared_state: str,
    streamlit_server: Callable[[Mapping[str, str]], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, str]:
    """Base URLs of two app servers: same warehouse and state store, each its own data folder."""
    folder = tmp_path_factory.mktemp("replicas")
    warehouse = build_review_warehouse(folder / "warehouse.sqlite")
    urls = []
    for name in ("a", "b"):
        (folder / name).mkdir()
        env = {"MOT_WAREHOUSE_URL": warehouse, "MOT_STATE_URL": shared_state}
        urls.append(streamlit_server({**env, "MOT_DATA_DIR": str(folder / name)}))
    assert urls[0] != urls[1]
    return urls[0], urls[1]


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_for_streamlit_page(page, timeout_s=120)
    assert page_error_texts(page) == []
    return page


def _sign(page: Page, name: str) -> None:
    page.get_by_label("Your name (for comments, closing)").fill(name)
    page.get_by_label("Your name (for comments, closing)").press("Enter")
    wait_for_streamlit_page(page)


def _outcome(page: Page) -> str:
    """What the saver's page says after the save: "saved", "refused" or the unexpected text."""
    wait_for_streamlit_page(page, timeout_s=120)
    alerts = " | ".join(a.inner_text() for a in page.locator('[data-testid="stAlert"]').all())
    if SAVED.search(alerts):
        return "saved"
    if "closed" in alerts.lower():
        return "refused"
    if page.get_by_role("button", name="Reopen quarter").count():
        # The close landed before the save's run began: the page shows the closed quarter and no
        # comment box (the typed text is not kept, and no message says it was not saved).
        return "closed first"
    return alerts or "(no message)"


def test_saves_and_closes_race_across_two_replicas(
    replicas: tuple[str, str], shared_state: str, chromium_browser: Browser
) -> None:
    outcomes: dict[str, str] = {}
    for quarter, order in QUARTERS.items():
        saver = _open(chromium_browser, f"{replicas[0]}/review?quarter={quarter}")
        closer = _open(chromium_browser, f"{replicas[1]}/review?quarter={quarter}")
        _sign(saver, "Ana")
        _sign(closer, "Ben")
        text = f"Replica A note for {quarter}"
        saver.locator("[data-testid=\"stTextArea\"] textarea").first.fill(text)
        # Both clicks go out before either page is awaited: the two servers handle them at once.
        clicks = [saver.get_by_role("button", name="Save comment").first,
                  closer.get_by_role("button", name="Close quarter")]
        for button in clicks if order == "save first" else clicks[::-1]:
            button.click()
        outcomes[quarter] = _outcome(saver)
        wait_for_streamlit_page(closer, timeout_s=120)
        assert page_error_texts(closer) == [], quarter

        snapshot = closed_snapshot(open_review_store(shared_state), quarter)
        assert snapshot is not None, f"{quarter} was not closed"
        frozen = frame_from_json(snapshot["comments"])
        texts = set(frozen["text"]) if len(frozen) else set()
        if outcomes[quarter] == "saved":
            assert text in texts, f"{quarter}: the save was confirmed but is not in the closed snapshot"
        else:
            assert outcomes[quarter] in ("refused", "closed first"), f"{quarter}: {outcomes[quarter]}"
            assert text not in texts
        for page in (saver, closer):
            page.context.close()
    print(f"replica race outcomes: {outcomes}")  # which side won each round, shown with -s


def _summary(page: Page) -> str:
    """The latest run's tiles and caption as the data-quality page shows them."""
    tiles = [m.inner_text() for m in page.locator('[data-testid="stMetric"]').all()]
    caption = page.get_by_text("Latest run").first.inner_text()
    return " | ".join([*tiles, caption])


def test_check_runs_on_both_replicas_agree(
    replicas: tuple[str, str], shared_state: str, chromium_browser: Browser
) -> None:
    store = open_review_store(shared_state)
    before = len(list_runs(store))
    pages = [_open(chromium_browser, f"{url}/data_quality") for url in replicas]
    for page in pages:  # both runs start before either is awaited
        page.get_by_role("button", name="Run checks now").click()
    deadline = time.monotonic() + 300
    while len(list_runs(store)) < before + 2 and time.monotonic() < deadline:
        time.sleep(1)
    assert len(list_runs(store)) == before + 2, "both replicas' runs are in the shared history"
    assert latest_run_id(store) is not None
    summaries, overviews = [], []
    for page, url in zip(pages, replicas, strict=True):
        page.reload()
        wait_for_streamlit_page(page, timeout_s=120)
        assert page_error_texts(page) == []
        summaries.append(_summary(page))
        page.goto(url)  # the overview: its tiles judge trust from the same history
        wait_for_streamlit_page(page, timeout_s=120)
        overviews.append([m.inner_text() for m in page.locator('[data-testid="stMetric"]').all()])
        page.context.close()
    assert summaries[0] == summaries[1], "the replicas show different latest check runs"
    assert overviews[0] == overviews[1] and overviews[0], "the replicas judge the overview differently"
