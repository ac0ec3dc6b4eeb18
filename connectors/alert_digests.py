"""Who gets which alert, and the digest each person gets: routing, mutes, subject, text, payloads.

Routing (README "Alerts"):
- a KPI alert goes to the touchpoint's owner (section "Your touchpoints") and, as part of a
  journey summary, to the owner of the touchpoint's journey map; someone who owns both gets it once;
- a value that is not trusted (``data_quality``) goes to the data steward of the fact table
  (contacts file ``stewards``: ``tables: {touchpoint_kpis: …}``, else ``default``), a failing
  critical check (``check_failing``) to the steward of that check, else of its table, else the
  default; never to a KPI owner;
- an alert a person muted (the alert itself, or its touchpoint) until a date not yet past is left
  out of that person's digest.
Names are resolved to addresses by the contacts file (connectors/contacts.py); an owner column that
holds an e-mail address reaches that address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from connectors.alert_store import person_key
from connectors.contacts import Contact, Contacts
from metrics.alerts import CHECK_FAILING, DATA_QUALITY, DATA_QUALITY_KINDS, kind_label, severity_label
from metrics.alerts.links import data_quality_link, kpi_alert_link, owner_link
from metrics.i18n import tr

__all__ = ["Digest", "ITEM_COLUMNS", "route_alerts", "unrouted"]

FACT_TABLE = "touchpoint_kpis"
ROLE_TOUCHPOINT, ROLE_MAP, ROLE_STEWARD = "touchpoint owner", "map owner", "data steward"  # i18n: not shown
ITEM_COLUMNS = ["person", "role", "section", "key", "kind", "severity", "touchpoint_id", "kpi_id", "subject",
                "period_start", "reason", "link"]
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Digest:
    """Everything one person gets in one run, grouped in sections."""

    contact: Contact
    items: pd.DataFrame  # ITEM_COLUMNS, most severe first
    home_link: str

    @property
    def subject(self) -> str:
        critical = int(self.items["severity"].eq("critical").sum())
        worst = tr(", {count} critical").format(count=critical) if critical else ""
        return tr("Moments of Truth: {count} new alert(s){critical}").format(count=len(self.items),
                                                                              critical=worst)

    def text(self) -> str:
        lines = [tr("Hello {name},").format(name=self.contact.name), "",
                 tr("{count} new alert(s) since the last digest.").format(count=len(self.items))]
        for section, items in self.items.groupby("section", sort=False):
            lines += ["", str(section), "-" * len(str(section))]
            if items["role"].eq(ROLE_MAP).all():  # a journey summary
                lines.append(_summary_line(items))
            for row in items.itertuples(index=False):
                lines += [f"* [{severity_label(row.severity)}] {kind_label(row.kind)} – {row.subject}: "
                          f"{row.reason}", f"  {row.link}"]
        where = tr("Data quality and where alerts went") if self.home_link.endswith("/data_quality") else \
            tr("Your touchpoints, alert history and mutes")
        lines += ["", f"{where}: {self.home_link}",
                  tr("Sent by `python -m metrics.alerts send`; each alert is sent once.")]
        return "\n".join(lines) + "\n"

    def chat_payload(self) -> dict[str, Any]:
        """``{"text": …}``: what Slack and Microsoft Teams incoming webhooks both accept. Text from
        the warehouse is escaped (&, <, >) so it cannot become a link or a mention."""
        return {"text": _chat_escape(f"{self.subject}\n\n{self.text()}")}

    def generic_payload(self) -> dict[str, Any]:
        items = self.items.assign(period_start=self.items["period_start"].map(_iso))
        return {"recipient": self.contact.name, "email": self.contact.email, "subject": self.subject,
                "link": self.home_link, "alerts": items.drop(columns=["person"]).to_dict("records")}


def _summary_line(items: pd.DataFrame) -> str:
    counts = items["severity"].value_counts()
    parts = [f"{int(counts[s])} {severity_label(s)}" for s in ("critical", "warning", "info") if s in counts]
    return tr("{count} alert(s) on {touchpoints} touchpoint(s): {severities}").format(
        count=len(items), touchpoints=items["touchpoint_id"].nunique(), severities=", ".join(parts))


def _chat_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


def route_alerts(kpi_alerts: pd.DataFrame, check_alerts: pd.DataFrame, journeys: pd.DataFrame,
                 contacts: Contacts, mutes: pd.DataFrame, base_url: str, grain: str) -> list[Digest]:
    """One digest per person with at least one alert they have not muted.

    ``kpi_alerts``: metrics.alerts.describe_alerts output with a ``key`` column; ``check_alerts``:
    metrics.alerts.failing_check_alerts with ``key``; ``mutes``: connectors.alert_store.active_mutes.
    """
    items = pd.concat([_kpi_items(kpi_alerts, journeys, contacts, base_url, grain),
                       _check_items(check_alerts, contacts, base_url)], ignore_index=True)
    items = _without_muted(items, mutes)
    if items.empty:
        return []
    items = items.assign(_o=items["severity"].map(_SEVERITY_ORDER), _r=items["role"].ne(ROLE_TOUCHPOINT))
    items = items.sort_values(["_r", "section", "_o"], kind="stable").drop(columns=["_o", "_r"])
    digests = []
    for _, mine in items.groupby(items["person"].map(person_key), sort=True):
        contact = contacts.contact_for(str(mine["person"].iloc[0]))
        stewarding = mine["role"].eq(ROLE_STEWARD).all()
        home = data_quality_link(base_url) if stewarding else owner_link(base_url, contact.name, grain)
        digests.append(Digest(contact, mine.reset_index(drop=True), home))
    return digests


def _kpi_items(alerts: pd.DataFrame, journeys: pd.DataFrame, contacts: Contacts, base_url: str,
               grain: str) -> pd.DataFrame:
    if alerts.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    names = dict(zip(journeys["journey_id"], journeys["name"], strict=True))
    map_owners = dict(zip(journeys["journey_id"], journeys["owner"], strict=True))
    rows: list[dict[str, Any]] = []
    steward = contacts.steward_for(table=FACT_TABLE)
    for a in alerts.to_dict("records"):
        base = {"key": a["key"], "kind": a["kind"], "severity": a["severity"],
                "touchpoint_id": a["touchpoint_id"],
                "kpi_id": a["kpi_id"], "subject": f"{a['touchpoint']} · {a['kpi']}",
                "period_start": a["period_start"], "reason": a["reason"]}
        if a["kind"] in DATA_QUALITY_KINDS:
            if steward:
                rows.append({**base, "person": steward, "role": ROLE_STEWARD, "section": tr("Data quality"),
                             "link": data_quality_link(base_url)})
            continue
        link = kpi_alert_link(base_url, str(a["touchpoint_id"]), str(a["kpi_id"]), grain)
        owner, journey = a.get("touchpoint_owner"), a.get("journey_id")
        if _named(owner):
            rows.append({**base, "person": owner, "role": ROLE_TOUCHPOINT, "section": tr("Your touchpoints"),
                         "link": link})
        map_owner = map_owners.get(journey)
        if _named(map_owner) and not (_named(owner) and person_key(str(owner)) == person_key(str(map_owner))):
            section = tr("Journey summary: {journey}").format(journey=names.get(journey, journey))
            rows.append({**base, "person": map_owner, "role": ROLE_MAP, "section": section, "link": link})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def _check_items(alerts: pd.DataFrame, contacts: Contacts, base_url: str) -> pd.DataFrame:
    rows = []
    for a in alerts.to_dict("records"):
        steward = contacts.steward_for(table=str(a["table_name"]), check=str(a["check_id"]))
        if steward:
            rows.append({"person": steward, "role": ROLE_STEWARD, "section": tr("Data quality"),
                         "key": a["key"], "kind": CHECK_FAILING, "severity": a["severity"],
                         "touchpoint_id": None, "kpi_id": None,
                         "subject": f"{a['check']} ({a['table_name']})", "period_start": a["period_start"],
                         "reason": a["reason"], "link": data_quality_link(base_url)})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def unrouted(kpi_alerts: pd.DataFrame, check_alerts: pd.DataFrame, contacts: Contacts) -> int:
    """Data-quality alerts that reach nobody because no steward is named."""
    if contacts.steward_for(table=FACT_TABLE) is None:
        return int(kpi_alerts["kind"].eq(DATA_QUALITY).sum()) + len(check_alerts)
    return 0


def _named(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _without_muted(items: pd.DataFrame, mutes: pd.DataFrame) -> pd.DataFrame:
    if items.empty or mutes.empty:
        return items
    people = items["person"].map(person_key)
    by_key = set(zip(mutes["person"], mutes["alert_key"], strict=True))
    by_touchpoint = set(zip(mutes["person"], mutes["touchpoint_id"], strict=True))
    muted = [(p, k) in by_key or (t is not None and (p, t) in by_touchpoint)
             for p, k, t in zip(people, items["key"], items["touchpoint_id"], strict=True)]
    return items[~pd.Series(muted, index=items.index, dtype=bool)]
