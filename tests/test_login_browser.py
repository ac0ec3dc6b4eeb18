"""Login through a real OIDC provider, in Chromium: each person sees their scope and nothing more.

The provider is ``oidc-provider-mock`` (a real OpenID Connect server, from PyPI) on a loopback
port in this process; Streamlit's own ``st.login`` talks to it as to Keycloak or Entra ID. The app
runs from a folder whose .streamlit/secrets.toml holds the [auth] section, on the fixture warehouse,
with an access file and a contacts file:

- ceo@example.com, executive: every journey;
- marco.rossi@example.com, map owner of the journey "Kündigung …" (two touchpoints);
- priya@owners.example.com, touchpoint owner (by domain) of two touchpoints in two journeys;
- stranger@example.org, no rule: the "no access" page and not one number.

Editing the URL (another owner, another journey) must not show anything outside the scope.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Mapping

import oidc_provider_mock
import pytest
from playwright.sync_api import Page

from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import QUOTED_JOURNEY_NAME, FixtureWarehouse
from tests.servers import REPO_ROOT, StreamlitLauncher

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ACCESS = """
people:
  ceo@example.com: [executive]
  marco.rossi@example.com: [map_owner]
domains:
  owners.example.com: [touchpoint_owner]
"""
CONTACTS = """
people:
  Marco Rossi: {email: marco.rossi@example.com}
  Priya Nair: {email: priya@owners.example.com}
"""
OTHER_JOURNEYS = ("Buy a phone contract", "Switch from a competitor")


@pytest.fixture(scope="module")
def oidc_issuer() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, oidc_issuer: str,
            fixture_warehouse_duckdb: FixtureWarehouse) -> Iterator[str]:
    """The dashboard with login on, run from a folder of its own (its secrets and config)."""
    folder = tmp_path_factory.mktemp("login_app")
    (folder / ".streamlit").mkdir()
    shutil.copy(REPO_ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
        'client_id = "mot-dashboard"\n'
        'client_secret = "mot-secret"\n'
        f'server_metadata_url = "{oidc_issuer}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid email profile" }\n', encoding="utf-8")
    (folder / "access.yaml").write_text(ACCESS, encoding="utf-8")
    (folder / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    launcher = StreamlitLauncher(script=str(REPO_ROOT / "dashboard.py"), cwd=folder)
    env: Mapping[str, str] = {
        "MOT_WAREHOUSE_URL": fixture_warehouse_duckdb.url,
        "MOT_MAPPING": str(fixture_warehouse_duckdb.mapping_path),
        "MOT_DATA_DIR": str(folder / "data"),
        "MOT_ACCESS": str(folder / "access.yaml"),
        "MOT_CONTACTS": str(folder / "contacts.yaml"),
    }
    try:
        yield launcher(env)
    finally:
        launcher.close()


def _log_in(page: Page, app_url: str, email: str) -> None:
    page.goto(app_url)
    page.get_by_role("button", name="Log in").click()
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(app_url) + r"/?$"), timeout=30_000)
    wait_for_streamlit_page(page, timeout_s=90)


def _open(page: Page, url: str) -> str:
    page.goto(url)
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []
    return page.locator('[data-testid="stMain"]').inner_text()


def test_without_a_login_there_is_only_the_login_page(browser_page: Page, app_url: str) -> None:
    text = _open(browser_page, f"{app_url}/journey")
    assert "Log in" in text
    assert not re.search(r"\d", text), text


def test_an_executive_sees_every_journey(browser_page: Page, app_url: str) -> None:
    _log_in(browser_page, app_url, "ceo@example.com")
    text = _open(browser_page, f"{app_url}/overview")
    for name in (*OTHER_JOURNEYS, QUOTED_JOURNEY_NAME):
        assert name in text
    assert "Your scope" not in text
    assert "ceo@example.com" in browser_page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_map_owner_sees_his_journey_and_no_other(browser_page: Page, app_url: str) -> None:
    _log_in(browser_page, app_url, "marco.rossi@example.com")
    text = _open(browser_page, f"{app_url}/overview")
    assert QUOTED_JOURNEY_NAME in text
    assert "Your scope: 2 touchpoints" in text
    assert not any(name in text for name in OTHER_JOURNEYS), text
    # Editing the URL to another journey or another owner shows nothing of theirs.
    text = _open(browser_page, f"{app_url}/trends?scope=journey&journey_id=buy")
    assert not any(name in text for name in OTHER_JOURNEYS), text
    text = _open(browser_page, f"{app_url}/my_touchpoints?owner_name=Olivia%20Brown")
    assert "My touchpoints: Marco Rossi" in text
    assert "Phone delivery" not in text


def test_a_touchpoint_owner_sees_her_touchpoints_only(browser_page: Page, app_url: str) -> None:
    _log_in(browser_page, app_url, "priya@owners.example.com")
    text = _open(browser_page, f"{app_url}/my_touchpoints")
    assert "My touchpoints: Priya Nair" in text
    assert "Fault hotline" in text and "Retention call" in text
    assert "Your scope: 2 touchpoints" in text
    text = _open(browser_page, f"{app_url}/my_touchpoints?owner_name=Daniel%20Kowalski")
    assert "My touchpoints: Priya Nair" in text and "Fault chat" not in text
    text = _open(browser_page, f"{app_url}/overview")
    assert not any(name in text for name in OTHER_JOURNEYS), text
    text = _open(browser_page, f"{app_url}/data_quality")
    assert "for the data team" in text


def test_an_unknown_person_sees_no_access_and_no_number(browser_page: Page, app_url: str) -> None:
    _log_in(browser_page, app_url, "stranger@example.org")
    for path in ("", "/overview", "/my_touchpoints?owner_name=Priya%20Nair", "/review"):
        text = _open(browser_page, f"{app_url}{path}")
        assert "No access" in text
        assert not re.search(r"\d", text), text
        assert not any(name in text for name in (*OTHER_JOURNEYS, QUOTED_JOURNEY_NAME))
