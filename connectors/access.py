"""Who may read what: the access file (MOT_ACCESS, YAML) and the ``AccessScope`` every read carries.

Denied by default. The access file gives roles to e-mail addresses and to whole domains (a person
gets every role their address and their domain are given)::

    people:
      cfo@example.com: [executive]
      jonas.weber@example.com: [data_team, admin]
    domains:
      example.com: [map_owner, touchpoint_owner]

Roles: ``executive`` reads everything; ``map_owner`` reads every touchpoint of the journeys whose
map they own; ``touchpoint_owner`` reads the touchpoints they own, with the journeys around them
as context (names, stages, the funnel) but not the other touchpoints' figures; ``data_team`` reads
everything and runs the checks; ``admin`` reads everything, runs the checks and closes and reopens
quarters. Ownership comes from the warehouse's owner columns (journeys.owner, touchpoints.owner),
which hold names or e-mail addresses; the contacts file (connectors/contacts.py) matches a login
address to the names it goes by.

``AccessScope`` is what the query builders (connectors/queries.py) compile into every statement
and what every cache key carries (its ``fingerprint``). ``EVERYTHING`` is the scope of the
command-line tools' service identity and of the open demo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from connectors._yaml_files import read_yaml_file
from connectors.contacts import Contacts
from metrics.i18n import tr

__all__ = ["EVERYTHING", "AccessError", "AccessRules", "AccessScope", "Role", "load_access", "scope_for"]


class AccessError(ValueError):
    """The access file cannot be used; the message says where and what to do."""


class Role(StrEnum):
    EXECUTIVE = "executive"
    MAP_OWNER = "map_owner"
    TOUCHPOINT_OWNER = "touchpoint_owner"
    DATA_TEAM = "data_team"
    ADMIN = "admin"


#: Roles that read every row.
READ_ALL = frozenset({Role.EXECUTIVE, Role.DATA_TEAM, Role.ADMIN})


@dataclass(frozen=True)
class AccessScope:
    """What one person may read. ``everything`` or: the touchpoints whose figures they may read,
    the journeys whose map they own (every row of them, including budget not booked on a
    touchpoint) and the journeys shown around their touchpoints as context."""

    everything: bool = False
    touchpoint_ids: frozenset[str] = frozenset()
    journey_ids: frozenset[str] = frozenset()
    context_journey_ids: frozenset[str] = frozenset()
    roles: frozenset[Role] = frozenset()
    #: The login address; None for the service identity and the open demo.
    email: str | None = None
    #: The owner names (case-folded) the address goes by (connectors/contacts.py), for opening
    #: "My touchpoints" on the person's own name; not part of the fingerprint (no rows depend on it).
    owner_names: frozenset[str] = field(default=frozenset(), compare=False)

    def owns(self, owner: str) -> bool:
        """True when ``owner`` (a name or address from an owner column) is this person."""
        return " ".join(str(owner).split()).casefold() in self.owner_names

    @property
    def is_empty(self) -> bool:
        """True when nothing may be read: the "no access" page."""
        return not self.everything and not self.touchpoint_ids

    @property
    def can_run_checks(self) -> bool:
        return bool(self.roles & {Role.DATA_TEAM, Role.ADMIN}) or self.email is None

    @property
    def can_close_quarters(self) -> bool:
        return Role.ADMIN in self.roles or self.email is None

    @property
    def fingerprint(self) -> str:
        """Part of every cache key: equal scopes share cached frames, other scopes never do."""
        if self.everything:
            return "all"
        digest = hashlib.sha256()
        for part in (self.touchpoint_ids, self.journey_ids, self.context_journey_ids):
            digest.update("\x1f".join(sorted(part)).encode() + b"\x1e")
        return "tp:" + digest.hexdigest()[:16]

    def visible_journeys(self) -> frozenset[str]:
        return self.journey_ids | self.context_journey_ids


EVERYTHING = AccessScope(everything=True)


@dataclass(frozen=True)
class AccessRules:
    people: Mapping[str, frozenset[Role]] = field(default_factory=dict)  # case-folded address
    domains: Mapping[str, frozenset[Role]] = field(default_factory=dict)  # case-folded domain

    def roles_for(self, email: str) -> frozenset[Role]:
        address = email.strip().casefold()
        _, _, domain = address.rpartition("@")
        by_domain = self.domains.get(domain, frozenset()) if domain else frozenset()
        return self.people.get(address, frozenset()) | by_domain


def scope_for(email: str, rules: AccessRules, contacts: Contacts, journeys: pd.DataFrame,
              touchpoints: pd.DataFrame) -> AccessScope:
    """The scope of a logged-in person: their roles from the rules, their rows from the owner columns."""
    address = email.strip().casefold()
    roles = rules.roles_for(address)
    names = contacts.names_for_email(address)
    if roles & READ_ALL:
        return AccessScope(everything=True, roles=roles, email=address, owner_names=names)
    owned_maps: frozenset[str] = frozenset()
    owned_tps: frozenset[str] = frozenset()
    if Role.MAP_OWNER in roles:
        owned_maps = frozenset(journeys.loc[_owned_by(journeys["owner"], names), "journey_id"].astype(str))
        owned_tps |= frozenset(touchpoints.loc[touchpoints["journey_id"].astype(str).isin(owned_maps),
                                               "touchpoint_id"].astype(str))
    context: frozenset[str] = frozenset()
    if Role.TOUCHPOINT_OWNER in roles:
        mine = touchpoints[_owned_by(touchpoints["owner"], names)]
        owned_tps |= frozenset(mine["touchpoint_id"].astype(str))
        context = frozenset(mine["journey_id"].astype(str)) - owned_maps
    return AccessScope(touchpoint_ids=owned_tps, journey_ids=owned_maps, context_journey_ids=context,
                       roles=roles, email=address, owner_names=names)


def _owned_by(owners: pd.Series, names: frozenset[str]) -> pd.Series:
    return owners.map(lambda o: isinstance(o, str) and " ".join(o.split()).casefold() in names).astype(bool)


def load_access(path: Path | None) -> AccessRules:
    """Read the access file; None gives no rules (nobody gets in). Raises AccessError."""
    if path is None:
        return AccessRules()
    where = tr("The access file {path} (MOT_ACCESS)").format(path=repr(str(path)))
    data = read_yaml_file(path, where, "MOT_ACCESS", AccessError)
    if data is None:
        return AccessRules()
    if not isinstance(data, dict):
        raise AccessError(tr("{where} must be a mapping with the sections 'people' and 'domains'.").format(
            where=where))
    unknown = set(data) - {"people", "domains"}
    if unknown:
        raise AccessError(tr("{where} has unknown sections {sections}: use 'people' and 'domains'.").format(
            where=where, sections=sorted(map(str, unknown))))
    return AccessRules(people=_section(data.get("people"), where, "people"),
                       domains=_section(data.get("domains"), where, "domains"))


def _section(raw: Any, where: str, section: str) -> dict[str, frozenset[Role]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        if section == "people":
            message = tr("{where}: 'people' must map addresses to lists of roles.")
        else:
            message = tr("{where}: 'domains' must map domains to lists of roles.")
        raise AccessError(message.format(where=where))
    rules: dict[str, frozenset[Role]] = {}
    for key, value in raw.items():
        name = str(key).strip().casefold().lstrip("@" if section == "domains" else "")
        if section == "people" and "@" not in name:
            raise AccessError(tr("{where}: {key} under 'people' is not an e-mail address; put domains "
                                 "under 'domains'.").format(where=where, key=repr(key)))
        if section == "domains" and ("@" in name or "." not in name):
            raise AccessError(tr("{where}: {key} under 'domains' is not a domain such as example.com.")
                              .format(where=where, key=repr(key)))
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise AccessError(tr("{where}: {key} needs a list of roles, e.g. [executive].").format(
                where=where, key=repr(key)))
        rules[name] = frozenset(_role(v, where, key) for v in values)
    return rules


def _role(value: Any, where: str, key: Any) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise AccessError(tr("{where}: {key} has the role {role}; roles are {roles}.").format(
            where=where, key=repr(key), role=repr(value), roles=", ".join(r.value for r in Role))) from None
