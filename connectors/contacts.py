"""Who people are and how to reach them: the contacts file (MOT_CONTACTS, YAML).

The warehouse's owner columns hold names ("Anna Berg") or e-mail addresses. The contacts file maps
names to e-mail addresses and webhooks (for alerts and for matching a login to the touchpoints and
journeys a person owns), and names the data steward who answers for each table or check::

    people:
      Anna Berg:
        email: anna.berg@example.com
        webhook: https://chat.example.com/hooks/anna     # optional
      Data team:
        email: data-team@example.com
    stewards:
      default: Data team                 # answers for every table and check not named below
      tables:
        fact_touchpoint_daily: Jonas Weber
      checks:
        targets_cover_the_period: Anna Berg

Everything is optional; without a file an owner column that holds an e-mail address still reaches
that person, and no steward is named. Names match case-insensitively, ignoring outer spaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors._yaml_files import read_yaml_file
from metrics.i18n import tr

__all__ = ["Contact", "Contacts", "ContactsError", "load_contacts"]


class ContactsError(ValueError):
    """The contacts file cannot be used; the message says where and what to do."""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    webhook: str | None = None


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.strip().partition("@")
    return bool(local) and "." in domain and " " not in text.strip()


@dataclass(frozen=True)
class Contacts:
    people: Mapping[str, Contact] = field(default_factory=dict)  # keyed by _key(name)
    steward_default: str | None = None
    steward_tables: Mapping[str, str] = field(default_factory=dict)
    steward_checks: Mapping[str, str] = field(default_factory=dict)

    def contact_for(self, name_or_email: str) -> Contact:
        """How to reach an owner named in the warehouse; an e-mail address reaches itself."""
        text = " ".join(str(name_or_email).split())
        known = self.people.get(_key(text))
        if known is not None:
            return known
        return Contact(text, email=text if _looks_like_email(text) else None)

    def names_for_email(self, email: str) -> frozenset[str]:
        """Every owner name (case-folded) that belongs to ``email``, including the address itself."""
        wanted = email.strip().casefold()
        names = {key for key, contact in self.people.items() if (contact.email or "").casefold() == wanted}
        return frozenset(names | {wanted})

    def steward_for(self, table: str | None = None, check: str | None = None) -> str | None:
        """The steward named for the check, else for the table, else the default, else None."""
        if check and check in self.steward_checks:
            return self.steward_checks[check]
        if table and table in self.steward_tables:
            return self.steward_tables[table]
        return self.steward_default


def load_contacts(path: Path | None) -> Contacts:
    """Read the contacts file; None gives empty contacts. Raises ContactsError with what to fix."""
    if path is None:
        return Contacts()
    where = tr("The contacts file {path} (MOT_CONTACTS)").format(path=repr(str(path)))
    data = read_yaml_file(path, where, "MOT_CONTACTS", ContactsError)
    if data is None:
        return Contacts()
    _require_mapping(data, where, tr("the file"))
    unknown = set(data) - {"people", "stewards"}
    if unknown:
        raise ContactsError(tr("{where} has unknown sections {sections}: use 'people' and 'stewards'.")
                            .format(where=where, sections=sorted(map(str, unknown))))
    people = _people(data.get("people") or {}, where)
    return Contacts(people=people, **_stewards(data.get("stewards") or {}, where))


def _require_mapping(value: Any, where: str, what: str) -> None:
    if not isinstance(value, dict):
        raise ContactsError(tr("{where}: {what} must be a mapping of names to entries, not {kind}.").format(
            where=where, what=what, kind=type(value).__name__))


def _text(value: Any, where: str, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContactsError(tr("{where}: {what} must be text.").format(where=where, what=what))
    return value.strip()


def _people(raw: Any, where: str) -> dict[str, Contact]:
    _require_mapping(raw, where, "'people'")
    people: dict[str, Contact] = {}
    for name, entry in raw.items():
        label = f"people → {name!r}"
        if entry is None:
            entry = {}
        _require_mapping(entry, where, label)
        unknown = set(entry) - {"email", "webhook"}
        if unknown:
            raise ContactsError(tr("{where}: {entry} has unknown keys {keys}; use 'email' and 'webhook'.")
                                .format(where=where, entry=label, keys=sorted(map(str, unknown))))
        email = _text(entry.get("email"), where, f"{label} → email")
        if email is not None and not _looks_like_email(email):
            raise ContactsError(tr("{where}: {entry} → email {email} is not an e-mail address.").format(
                where=where, entry=label, email=repr(email)))
        webhook = _text(entry.get("webhook"), where, f"{label} → webhook")
        if webhook is not None and not webhook.startswith(("https://", "http://")):
            raise ContactsError(tr("{where}: {entry} → webhook must be an http(s) URL.").format(
                where=where, entry=label))
        clean = " ".join(str(name).split())
        people[_key(clean)] = Contact(clean, email, webhook)
    return people


def _stewards(raw: Any, where: str) -> dict[str, Any]:
    _require_mapping(raw, where, "'stewards'")
    unknown = set(raw) - {"default", "tables", "checks"}
    if unknown:
        raise ContactsError(tr("{where}: 'stewards' has unknown keys {keys}; use 'default', 'tables' and "
                               "'checks'.").format(where=where, keys=sorted(map(str, unknown))))
    result: dict[str, Any] = {"steward_default": _text(raw.get("default"), where, "stewards → default")}
    for part in ("tables", "checks"):
        entries = raw.get(part) or {}
        _require_mapping(entries, where, f"stewards → {part}")
        result[f"steward_{part}"] = {
            str(k): _text(v, where, f"stewards → {part} → {k!r}") for k, v in entries.items()
        }
    return result
