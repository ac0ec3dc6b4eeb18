"""The contacts file: names to addresses, stewards per table and check, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.contacts import ContactsError, load_contacts

GOOD = """
people:
  Anna Berg:
    email: anna.berg@example.com
    webhook: https://chat.example.com/hooks/anna
  "Jörg \\"JJ\\" Müller":
    email: joerg@example.com
stewards:
  default: Data team
  tables: {fact_touchpoint_daily: Jonas Weber}
  checks: {targets_cover_the_period: Anna Berg}
"""


def test_names_addresses_and_stewards(tmp_path: Path) -> None:
    path = tmp_path / "contacts.yaml"
    path.write_text(GOOD, encoding="utf-8")
    contacts = load_contacts(path)
    assert contacts.contact_for("  anna   BERG ").email == "anna.berg@example.com"
    assert contacts.contact_for('Jörg "JJ" Müller').email == "joerg@example.com"
    assert contacts.contact_for("someone@example.org").email == "someone@example.org"
    assert contacts.contact_for("Nobody Known").email is None
    assert "anna berg" in contacts.names_for_email("Anna.Berg@example.com")
    assert contacts.steward_for("fact_touchpoint_daily", "targets_cover_the_period") == "Anna Berg"
    assert contacts.steward_for("fact_touchpoint_daily", "other") == "Jonas Weber"
    assert contacts.steward_for("dim_touchpoint") == "Data team"


def test_no_file_means_no_contacts() -> None:
    contacts = load_contacts(None)
    assert contacts.steward_for("any") is None
    assert contacts.contact_for("a@b.example").email == "a@b.example"


@pytest.mark.parametrize(("text", "message"), [
    ("people: [a, b]", "must be a mapping"),
    ("people:\n  A:\n    email: not-an-address", "is not an e-mail address"),
    ("people:\n  A:\n    phone: 1", "unknown keys"),
    ("people:\n  A:\n    webhook: ftp://x", "http"),
    ("teams: {}", "unknown sections"),
    ("people: {A: {email: [1]}}", "must be text"),
    (": : :", "not valid YAML"),
])
def test_bad_files_say_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "contacts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContactsError, match=message):
        load_contacts(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContactsError, match="does not exist"):
        load_contacts(tmp_path / "nope.yaml")
