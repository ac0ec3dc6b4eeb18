"""Login and names on changes, through Streamlit's AppTest (``AppTest.user`` stands in for the
OIDC login; tests/test_login_browser.py does the real login in Chromium).

- without an [auth] section the app is open and the sidebar says so;
- with one, nobody logged in gets only the login page;
- logged in, the review page has no name box: a comment is saved under the login address and the
  audit log names it; only admins may close a quarter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from review.store import audit_log, open_review_store
from tests.fixtures import FixtureWarehouse

APP = "../dashboard.py"
TIMEOUT_S = 90
ACCESS = """
people:
  ops@example.com: [admin]
  ceo@example.com: [executive]
"""


@pytest.fixture(autouse=True)
def _fresh_streamlit_secrets() -> Iterator[None]:
    """Streamlit reads secrets.toml once per process; each test here has its own (st.login checks
    the [auth] section from Streamlit's copy, the app's settings from the file in the folder)."""
    secrets_singleton._reset()
    yield
    secrets_singleton._reset()


def _env(fx: FixtureWarehouse, folder: Path) -> dict[str, str]:
    (folder / "access.yaml").write_text(ACCESS, encoding="utf-8")
    return {"MOT_WAREHOUSE_URL": fx.url, "MOT_MAPPING": str(fx.mapping_path), "MOT_DATA_DIR": str(folder),
            "MOT_STATE_URL": f"sqlite:///{folder / 'state.sqlite'}",
            "MOT_ACCESS": str(folder / "access.yaml")}


def _run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], page: str | None = None,
         user: dict[str, object] | None = None) -> AppTest:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if user is not None:
        at.user = user
    if page is not None:
        at.switch_page(page)
    return at.run(timeout=TIMEOUT_S)


def _with_login(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\ncookie_secret = "x" \n'
        'client_id = "c"\nclient_secret = "s"\n'
        'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n', encoding="utf-8")
    monkeypatch.chdir(folder)


def _sidebar_text(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.sidebar.caption)


def test_without_login_the_app_is_open_and_says_so(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(monkeypatch, _env(fixture_warehouse_duckdb, tmp_path))
    assert not at.exception
    assert "Open access: anyone who can reach this address sees everything." in _sidebar_text(at)
    assert at.metric, "the open demo shows its figures as before"


def test_with_login_nobody_logged_in_sees_only_the_login_page(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_login(tmp_path, monkeypatch)
    at = _run(monkeypatch, _env(fixture_warehouse_duckdb, tmp_path), user={"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.metric and not at.dataframe


def test_changes_carry_the_login_and_land_in_the_audit_log(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_login(tmp_path, monkeypatch)
    env = _env(fixture_warehouse_duckdb, tmp_path)
    admin = {"is_logged_in": True, "email": "Ops@Example.com", "email_verified": True}
    at = _run(monkeypatch, env, "pages/review.py", admin)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.text_input, "no name box when login is on"
    assert "ops@example.com" in " ".join(str(c.value) for c in at.caption)
    at.text_area[0].input("Hotline queue is back to normal.")
    next(b for b in at.button if b.label == "Save comment").click()
    at.run(timeout=TIMEOUT_S)
    assert not at.exception, [e.value for e in at.exception]
    log = audit_log(open_review_store(env["MOT_STATE_URL"]))
    assert list(log["who"]) == ["ops@example.com"] and list(log["action"]) == ["comment saved"]

    executive = {"is_logged_in": True, "email": "ceo@example.com"}
    at = _run(monkeypatch, env, "pages/review.py", executive)
    close = next(b for b in at.button if b.label == "Close quarter")
    assert close.disabled, "only admins close and reopen quarters"


def test_an_incomplete_auth_section_says_what_to_fix(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth]\nclient_id = "c"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    at = _run(monkeypatch, _env(fixture_warehouse_duckdb, tmp_path), user={"is_logged_in": False})
    at.button[0].click()
    at.run(timeout=TIMEOUT_S)
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "Login is not set up correctly" in at.error[0].value


def test_a_touchpoint_owner_sees_only_the_actions_on_her_touchpoints(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from connectors.actions import NewAction, record_action
    from connectors.state import create_state_engine

    _with_login(tmp_path, monkeypatch)
    env = _env(fixture_warehouse_duckdb, tmp_path)
    (tmp_path / "access.yaml").write_text(ACCESS + "domains:\n  owners.example.com: [touchpoint_owner]\n",
                                          encoding="utf-8")
    (tmp_path / "contacts.yaml").write_text("people:\n  Priya Nair: {email: priya@owners.example.com}\n",
                                            encoding="utf-8")
    env["MOT_CONTACTS"] = str(tmp_path / "contacts.yaml")
    engine = create_state_engine(env["MOT_STATE_URL"])
    day = dt.date(2026, 10, 1)
    for touchpoint, what in (("tp_fault_hotline", "Coach the hotline team"),
                             ("tp_fault_chat", "Rewrite the chat scripts")):  # hers / Daniel Kowalski's
        record_action(engine, NewAction(touchpoint, "csat", what, "Someone", day, day), "ops",
                      dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    engine.dispose()
    priya = {"is_logged_in": True, "email": "priya@owners.example.com", "email_verified": True}
    for page in ("pages/review.py", "pages/my_touchpoints.py"):
        at = _run(monkeypatch, env, page, priya)
        assert not at.exception, [e.value for e in at.exception]
        shown = " ".join(str(frame.value.to_dict()) for frame in at.dataframe) + " ".join(
            str(m.value) for m in at.markdown)
        assert "Rewrite the chat scripts" not in shown, page
    assert "Coach the hotline team" in shown  # on her own page, her own action is listed
