"""What the demo company looks like: journeys, stages, channels and touchpoints (data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.model import TABLES


@dataclass(frozen=True)
class Journey:
    journey_id: str
    name: str
    persona: str
    owner: str
    description: str
    #: Day of the year when the journey is busiest (yearly seasonality peak).
    peak_day: int
    #: Customers entering the journey on an average day (top of the funnel).
    daily_entries: float


JOURNEYS: tuple[Journey, ...] = (
    Journey("buy", "Buy a phone contract", "Young professional", "Anna Becker",
            "From first seeing an offer to using the new phone and recommending us.", 335, 5200),
    Journey("move", "Move house", "Family on the move", "Marco Rossi",
            "Taking broadband and TV along to a new home without a day offline.", 200, 900),
    Journey("fault", "Report a fault", "Home-office worker", "Sofia Lindqvist",
            "From noticing the line is down to a working connection and trust restored.", 20, 1300),
    Journey("renew", "Renew or upgrade", "Loyal long-time customer", "James O'Connor",
            "Contract end: compare, upgrade and stay, or leave.", 260, 1600),
    Journey("switch", "Switch from a competitor", "Price-conscious switcher", "Lena Hoffmann",
            "Comparing prices, porting the number and settling in with us.", 15, 950),
)

#: Ordered stages per journey: (key, name). stage_id is "<journey>.<key>".
STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "buy": (("awareness", "Awareness"), ("research", "Research"), ("decision", "Decision"),
            ("purchase", "Purchase"), ("onboarding", "Onboarding"), ("retention", "Retention"),
            ("advocacy", "Advocacy")),
    "move": (("trigger", "Plan the move"), ("research", "Check availability"),
             ("booking", "Book the move"), ("installation", "Installation at the new home"),
             ("settling", "Settle in")),
    "fault": (("detect", "Notice the problem"), ("report", "Report the fault"),
              ("diagnosis", "Diagnosis"), ("repair", "Repair"), ("followup", "Follow-up"),
              ("retention", "Stay or leave")),
    "renew": (("reminder", "Contract reminder"), ("compare", "Compare offers"),
              ("decision", "Decide"), ("upgrade", "Upgrade"), ("retention", "Loyalty"),
              ("advocacy", "Advocacy")),
    "switch": (("awareness", "Awareness"), ("comparison", "Compare providers"),
               ("offer", "Take the offer"), ("porting", "Number porting"),
               ("onboarding", "Onboarding"), ("retention", "Retention")),
}


@dataclass(frozen=True)
class Channel:
    owner: str
    #: Typical customers per day at one touchpoint of this channel.
    daily_reach: float
    #: Typical monthly spend (EUR) on one touchpoint of this channel.
    monthly_spend: float
    #: Share of reach that depends on spend (the rest is organic).
    paid_share: float
    kpis: tuple[str, ...]
    #: Weekly pattern Monday..Sunday (relative volume).
    weekly: tuple[float, ...]


_SHOP_KPIS = ("conversion_rate", "drop_off_rate", "csat")
_SERVICE_KPIS = ("first_contact_resolution", "response_time", "ces")
_OFFICE_WEEK = (1.15, 1.05, 1.0, 1.0, 1.0, 0.5, 0.3)
_SHOP_WEEK = (0.9, 0.9, 0.9, 1.0, 1.2, 1.4, 0.3)
_ONLINE_WEEK = (1.0, 0.95, 0.95, 0.95, 0.9, 1.1, 1.15)

CHANNELS: dict[str, Channel] = {
    "web": Channel("Julia Novak", 2000, 20000, 0.5, _SHOP_KPIS, _ONLINE_WEEK),
    "app": Channel("Tom Nguyen", 1500, 12000, 0.4, _SHOP_KPIS, _ONLINE_WEEK),
    "store": Channel("Fatima El Amrani", 300, 30000, 0.4, _SHOP_KPIS, _SHOP_WEEK),
    "marketplace": Channel("Noah Fischer", 800, 8000, 0.5, _SHOP_KPIS, _ONLINE_WEEK),
    "call centre": Channel("Priya Nair", 400, 40000, 0.2, _SERVICE_KPIS, _OFFICE_WEEK),
    "chat": Channel("Daniel Kowalski", 250, 15000, 0.2, _SERVICE_KPIS, _OFFICE_WEEK),
    "e-mail": Channel("Emma Schulz", 5000, 5000, 0.6, ("engagement_rate", "conversion_rate"),
                      _OFFICE_WEEK),
    "social": Channel("Lucas Martin", 8000, 18000, 0.6, ("engagement_rate", "conversion_rate"),
                      _ONLINE_WEEK),
    "review site": Channel("Lucas Martin", 600, 3000, 0.2, ("nps", "csat"), _ONLINE_WEEK),
    "word of mouth": Channel("Mia Jensen", 150, 2000, 0.2, ("nps",), _ONLINE_WEEK),
    "delivery": Channel("Olivia Brown", 200, 25000, 0.2, ("csat", "ces"), _OFFICE_WEEK),
}

#: Channels the company does not run itself: its touchpoints there are third-party ones (review
#: portals, marketplaces, word of mouth), mapped like any other.
THIRD_PARTY_CHANNELS = ("review site", "marketplace", "word of mouth")

#: KPIs every touchpoint in a retention stage reports on top of its channel's.
RETENTION_KPIS = ("repeat_purchase_rate", "nps")

#: The moment of truth whose CSAT slides over the last six months.
DEGRADING_MOT = "tp_buy_delivery"

# (slug, stage_id, name, channel, moment of truth, kano). Ordered so that the first eight hold the
# degrading moment of truth and every touchpoint that carries an injected fault.
TEMPLATE: tuple[tuple[str, str, str, str, bool, str | None], ...] = (
    ("buy_delivery", "buy.onboarding", "Phone delivery and SIM activation", "delivery", True,
     "must_be"),
    ("buy_web_shop", "buy.purchase", "Online shop checkout", "web", True, "must_be"),
    ("buy_store_advice", "buy.decision", "Advice in the store", "store", True, "performance"),
    ("fault_chat", "fault.report", "Fault chat", "chat", False, "performance"),
    ("switch_social_ads", "switch.awareness", "Social media ads", "social", False, None),
    ("renew_app_offer", "renew.compare", "Upgrade offer in the app", "app", False, "delighter"),
    ("move_mailing", "move.trigger", "Moving checklist e-mail", "e-mail", False, "delighter"),
    ("fault_hotline", "fault.diagnosis", "Fault hotline", "call centre", True, "must_be"),
    ("move_install", "move.installation", "Technician installation", "delivery", True, "must_be"),
    ("switch_reviews", "switch.comparison", "Ratings on review portals", "review site", False,
     "performance"),
    ("renew_retention_call", "renew.retention", "Retention call", "call centre", True,
     "performance"),
    ("buy_marketplace", "buy.research", "Marketplace listing", "marketplace", False, None),
    ("buy_word_of_mouth", "buy.advocacy", "Friends' recommendations", "word of mouth", False,
     "delighter"),
    ("move_web_check", "move.research", "Address availability check", "web", False, "must_be"),
    ("fault_status_app", "fault.repair", "Repair status in the app", "app", False, "delighter"),
    ("switch_porting", "switch.porting", "Number porting", "call centre", True, "must_be"),
    ("renew_web_compare", "renew.compare", "Tariff comparison page", "web", False, "performance"),
    ("buy_search_ads", "buy.awareness", "Search ads", "web", False, None),
    ("buy_welcome_mail", "buy.onboarding", "Welcome e-mail", "e-mail", False, "performance"),
    ("buy_first_bill", "buy.retention", "First bill explained", "app", False, "must_be"),
    ("buy_loyalty_mail", "buy.retention", "Loyalty newsletter", "e-mail", False, "delighter"),
    ("buy_reviews", "buy.research", "Phone reviews", "review site", False, "performance"),
    ("buy_store_pickup", "buy.purchase", "Pick-up in the store", "store", False, "performance"),
    ("move_hotline", "move.booking", "Moving hotline", "call centre", False, "performance"),
    ("move_web_booking", "move.booking", "Online move booking", "web", False, "performance"),
    ("move_welcome", "move.settling", "New-home welcome pack", "delivery", False, "delighter"),
    ("move_social", "move.trigger", "Moving tips on social media", "social", False, None),
    ("fault_web_report", "fault.report", "Online fault form", "web", False, "performance"),
    ("fault_technician", "fault.repair", "Technician visit", "delivery", True, "must_be"),
    ("fault_followup_mail", "fault.followup", "Repair follow-up survey", "e-mail", False,
     "performance"),
    ("fault_social_care", "fault.detect", "Social media care", "social", False, "performance"),
    ("fault_goodwill", "fault.retention", "Goodwill offer", "call centre", False, "delighter"),
    ("renew_reminder_mail", "renew.reminder", "Contract end reminder", "e-mail", False,
     "performance"),
    ("renew_store_upgrade", "renew.upgrade", "Upgrade in the store", "store", False, "performance"),
    ("renew_chat", "renew.decision", "Upgrade chat", "chat", False, "performance"),
    ("renew_referral", "renew.advocacy", "Referral programme", "word of mouth", False, "delighter"),
    ("switch_comparison_site", "switch.comparison", "Price comparison site", "marketplace", False,
     "performance"),
    ("switch_web_offer", "switch.offer", "Switch offer page", "web", True, "performance"),
    ("switch_app_onboarding", "switch.onboarding", "App onboarding", "app", False, "delighter"),
    ("switch_loyalty_chat", "switch.retention", "Loyalty chat", "chat", False, None),
)


def touchpoint_frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` touchpoints: the template in order, repeated with numbered suffixes beyond its size."""
    rows = []
    for i in range(n):
        slug, stage_id, name, channel, mot, kano = TEMPLATE[i % len(TEMPLATE)]
        copy = i // len(TEMPLATE)
        suffix_id, suffix_name = (f"_{copy + 1}", f" ({copy + 1})") if copy else ("", "")
        rows.append((
            f"tp_{slug}{suffix_id}", stage_id.split(".")[0], stage_id, name + suffix_name, channel,
            CHANNELS[channel].owner, mot, kano,
        ))
    columns = [c for c in TABLES["touchpoints"] if c not in ("weight", "third_party")]
    frame = pd.DataFrame(rows, columns=columns)
    # Moments of truth weigh about three times as much in journey scores.
    weight = rng.uniform(0.5, 1.5, n) + np.where(frame["moment_of_truth"], 2.0, 0.0)
    frame["weight"] = np.round(weight, 2)
    frame["third_party"] = frame["channel"].isin(THIRD_PARTY_CHANNELS)
    return frame[list(TABLES["touchpoints"])]


def touchpoint_kpis(stage_id: str, channel: str) -> tuple[str, ...]:
    """The KPIs a touchpoint reports: reach, its channel's, and retention KPIs in retention."""
    kpis = ["reach", *CHANNELS[channel].kpis]
    if stage_id.endswith(".retention"):
        kpis += [k for k in RETENTION_KPIS if k not in kpis]
    return tuple(kpis)
