"""`python -m metrics.alerts send`: digests reach a real SMTP server and a real HTTP receiver on
loopback, once; a receiver that is down gets its digest on the next run; mutes hold; bad settings
exit 2. The warehouse is the DuckDB demo, judged on 2026-11-22 (weekly)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from connectors.alert_store import active_mutes, add_mute, delivery_frame
from connectors.demo import build_demo_file
from connectors.runtime import state_engine
from metrics.alerts.__main__ import main
from tests.fixtures import DEMO_END
from tests.receivers import free_port, http_receiver, self_signed_certificate, smtp_server

AS_OF = ["--as-of", "2026-11-22"]
BASE = "https://mot.example.com"
#: Demo owners: Anna Becker owns the map of "Buy a phone contract"; Noah Fischer owns its marketplace
#: touchpoint, Fatima El Amrani the advice in the store.
OWNERS = ["Anna Becker", "Noah Fischer", "Fatima El Amrani", "Daniel Kowalski"]
STEWARD = "Data team"


Configure = Callable[..., None]


def _address(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.com"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_demo_file(tmp_path_factory.mktemp("deliver") / "demo.duckdb", end=DEMO_END, touchpoints=12,
                           years=2)
    return f"duckdb:///{path}"


@pytest.fixture
def configured(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Configure:
    """Returns a function that writes the contacts file (Anna Becker's webhook on ``hook_port``)."""
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOT_BASE_URL", BASE)
    monkeypatch.setenv("MOT_SMTP_SECURITY", "none")
    monkeypatch.setenv("MOT_SMTP_FROM", "alerts@mot.example.com")
    for key in ("MOT_SMTP_USER", "MOT_SMTP_PASSWORD", "MOT_WEBHOOK_FORMAT", "MOT_ALERT_STREAK"):
        monkeypatch.delenv(key, raising=False)

    def configure(smtp_port: int, hook_port: int | None = None) -> None:
        people: dict[str, dict[str, str]] = {name: {"email": _address(name)} for name in [*OWNERS, STEWARD]}
        if hook_port is not None:
            people["Anna Becker"]["webhook"] = f"http://127.0.0.1:{hook_port}/hooks/anna-secret"
        contacts = tmp_path / "contacts.yaml"
        contacts.write_text(yaml.safe_dump({"people": people, "stewards": {"default": "Data team"}}))
        monkeypatch.setenv("MOT_CONTACTS", str(contacts))
        monkeypatch.setenv("MOT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("MOT_SMTP_PORT", str(smtp_port))

    return configure


def _by_recipient(messages: list[tuple[list[str], EmailMessage]]) -> dict[str, EmailMessage]:
    return {rcpts[0]: message for rcpts, message in messages}


def test_each_owner_gets_one_digest_with_links_and_a_second_run_sends_nothing(
        configured: Configure, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server() as (port, messages):
        configured(port)
        assert main(["send", *AS_OF]) == 0
        inbox = _by_recipient(messages)
        assert len(messages) == len(inbox)  # one digest per person
        assert set(inbox) <= {_address(n) for n in OWNERS} and _address("Anna Becker") in inbox
        anna = inbox[_address("Anna Becker")]
        assert anna["From"] == "alerts@mot.example.com" and anna["To"] == _address("Anna Becker")
        assert re.fullmatch(r"Moments of Truth: \d+ new alert\(s\)(, \d+ critical)?", anna["Subject"])
        body = anna.get_content()
        assert "Journey summary: Buy a phone contract" in body and "Hello Anna Becker" in body
        links = re.findall(r"https://mot\.example\.com/\S+", body)
        trends = [urlsplit(u) for u in links if "/trends?" in u]
        assert trends and all(u.path == "/trends" for u in trends)
        query = parse_qs(trends[0].query)
        assert query["scope"] == ["touchpoint"] and query["grain"] == ["week"]
        assert query["touchpoint_id"][0].startswith("tp_buy_") and query["kpi"]
        assert f"{BASE}/my_touchpoints?owner_name=Anna+Becker&owner_grain=week" in body
        fatima = inbox[_address("Fatima El Amrani")].get_content()
        assert "Your touchpoints" in fatima and "Advice in the store" in fatima
        assert "off target for" in fatima  # MOT_ALERT_STREAK default 3

        sent = len(messages)
        capsys.readouterr()
        assert main(["send", *AS_OF]) == 0
        assert len(messages) == sent
        assert "0 digest(s) to send" in capsys.readouterr().out


def test_a_webhook_that_is_down_gets_its_digest_on_the_next_run(configured: Configure) -> None:
    hook_port = free_port()  # nothing listens there yet
    with smtp_server() as (port, messages):
        configured(port, hook_port)
        assert main(["send", *AS_OF]) == 1  # the webhook failed ...
        emails = len(messages)
        assert _address("Anna Becker") in _by_recipient(messages)  # ... and did not block the e-mails
        with http_receiver(hook_port) as (_, bodies):
            assert main(["send", *AS_OF]) == 0
            assert len(messages) == emails  # the e-mails were not sent again
            assert len(bodies) == 1
            path, payload = bodies[0]
            assert path == "/hooks/anna-secret" and set(payload) == {"text"}  # Slack and Teams both take it
            text = payload["text"]
            assert "Journey summary: Buy a phone contract" in text and f"{BASE}/trends?" in text
            assert main(["send", *AS_OF]) == 0 and len(bodies) == 1
    history = delivery_frame(state_engine(_state_url()))
    assert {"sent", "failed"} == set(history["status"])
    failed = history[history["status"] == "failed"]
    assert (failed["channel"] == "webhook").all() and "anna-secret" not in " ".join(failed["address"])


def _state_url() -> str:
    import os

    return f"sqlite:///{Path(os.environ['MOT_DATA_DIR']) / 'state.sqlite'}"


def test_generic_webhook_payload_lists_the_alerts(configured: Configure,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_WEBHOOK_FORMAT", "generic")
    with smtp_server() as (port, _messages), http_receiver() as (hook_port, bodies):
        configured(port, hook_port)
        assert main(["send", *AS_OF]) == 0
    payload = bodies[0][1]
    assert payload["recipient"] == "Anna Becker" and payload["email"] == _address("Anna Becker")
    alert = payload["alerts"][0]
    assert {"key", "kind", "severity", "touchpoint_id", "kpi_id", "reason", "link", "period_start"} <= set(
        alert)
    assert alert["link"].startswith(f"{BASE}/trends?") and alert["period_start"] == "2026-11-16"


def test_a_muted_touchpoint_is_not_sent_to_who_muted_it(configured: Configure) -> None:
    with smtp_server() as (port, messages):
        configured(port)
        engine = state_engine(_state_url())
        add_mute(engine, "Anna Becker", dt.date(2099, 1, 1), "Anna Becker", "2026-11-23T08:00:00+00:00",
                 touchpoint_id="tp_buy_store_advice")
        add_mute(engine, "Fatima El Amrani", dt.date(2026, 1, 1), "Fatima El Amrani",
                 "2025-12-01T08:00:00+00:00", touchpoint_id="tp_buy_store_advice")  # expired: no effect
        assert len(active_mutes(engine, dt.date.today())) == 1
        assert main(["send", *AS_OF]) == 0
        inbox = _by_recipient(messages)
    assert "Advice in the store" not in inbox[_address("Anna Becker")].get_content()
    assert "Advice in the store" in inbox[_address("Fatima El Amrani")].get_content()


def test_dry_run_prints_and_sends_nothing(configured: Configure, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server() as (port, messages):
        configured(port)
        assert main(["send", "--dry-run", *AS_OF]) == 0
        assert messages == []
    out = capsys.readouterr().out
    assert f"--- email to Anna Becker <{_address('Anna Becker')}>: Moments of Truth:" in out
    assert main(["send", "--dry-run", *AS_OF]) == 0  # still due: a dry run records nothing
    assert "--- email to Anna Becker" in capsys.readouterr().out


@pytest.mark.parametrize(("key", "value", "message"), [
    ("MOT_SMTP_SECURITY", "tls13", "MOT_SMTP_SECURITY 'tls13' is not known"),
    ("MOT_SMTP_PORT", "smtp", "MOT_SMTP_PORT 'smtp' must be a whole number"),
    ("MOT_ALERT_STREAK", "0", "MOT_ALERT_STREAK '0' is not a whole number of periods of 1 or more"),
    ("MOT_BASE_URL", "mot.example.com", "MOT_BASE_URL 'mot.example.com' is not an http(s) address"),
    ("MOT_SMTP_HOST", "", "MOT_SMTP_HOST is not set"),
])
def test_a_wrong_setting_exits_2_and_sends_nothing(configured: Configure, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], key: str, value: str,
                                                   message: str) -> None:
    with smtp_server() as (port, messages):
        configured(port)
        monkeypatch.setenv(key, value)
        assert main(["send", *AS_OF]) == 2
        assert messages == []
    assert message in capsys.readouterr().err


# aiosmtpd counts only STARTTLS as TLS, so its ssl server warns about AUTH "without TLS"
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_encrypted_smtp_with_login(configured: Configure, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                   security: str) -> None:
    """The server trusts nothing in clear: STARTTLS first (or TLS from the start), then the login;
    the client checks the server's certificate (trusted here through SSL_CERT_FILE)."""
    cert = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    monkeypatch.setenv("MOT_SMTP_SECURITY", security)
    monkeypatch.setenv("MOT_SMTP_USER", "mot-alerts")
    with smtp_server(security, cert, login=("mot-alerts", "s3cret")) as (port, messages):
        configured(port)
        monkeypatch.setenv("MOT_SMTP_PASSWORD", "wrong")
        assert main(["send", *AS_OF]) == 1 and messages == []  # refused login: failed, retried next run
        monkeypatch.setenv("MOT_SMTP_PASSWORD", "s3cret")
        assert main(["send", *AS_OF]) == 0
        assert _address("Anna Becker") in _by_recipient(messages)
    failed = delivery_frame(state_engine(_state_url()))
    errors = " ".join(failed.loc[failed["status"] == "failed", "error"])
    assert "refused the login of 'mot-alerts'" in errors and "wrong" not in errors


def test_after_a_check_run_the_steward_gets_the_failing_checks_and_owners_no_untrusted_value(
        configured: Configure) -> None:
    """The demo's injected faults fail critical checks: they go to the data team (the contacts
    file's default steward), once; no owner's digest holds a value that is not trusted."""
    from checks.__main__ import main as checks_main

    assert checks_main(["run", "--no-docs", *AS_OF]) == 1  # critical checks fail
    with smtp_server() as (port, messages):
        configured(port)
        assert main(["send", *AS_OF]) == 0
        inbox = _by_recipient(messages)
        stewards = inbox[_address("Data team")].get_content()
        assert "Critical check failing" in stewards and "No duplicate fact rows" in stewards
        assert f"{BASE}/data_quality" in stewards and "/trends?" not in stewards
        for name in OWNERS:
            if _address(name) in inbox:
                body = inbox[_address(name)].get_content()
                assert "not trusted" not in body and "Critical check" not in body
        count = len(messages)
        assert main(["send", *AS_OF]) == 0 and len(messages) == count
