"""Figures for the journey page: the living journey map's cards and the touchpoint scorecard."""

from __future__ import annotations

import pandas as pd

from metrics.effectiveness import touchpoint_status
from metrics.kano import SUPER_MARK, super_touchpoints
from metrics.registry import KpiRegistry
from metrics.status import Status, severity_rank

__all__ = ["ACTION_MARK", "journey_map_cards", "scorecard", "THIRD_PARTY_MARK"]

#: Marks a third-party touchpoint (review portal, marketplace, word of mouth) on every page.
THIRD_PARTY_MARK = "⇄"
#: Marks a touchpoint with an open owner's action (planned or doing).
ACTION_MARK = "✎"

KANO_LABELS = {"must_be": "must-be", "performance": "performance", "delighter": "delighter"}


def journey_map_cards(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, stages: pd.DataFrame, registry: KpiRegistry,
    acted_on: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """One card per touchpoint of the journey, placed in its stage column.

    The card's status is the worst of its judged KPIs; its second line names that KPI's value and
    the touchpoint's Kano class. Touchpoints without data still get a (grey) card, so the map
    shows the whole journey. ``touchpoints`` and ``stages`` are the journey's own rows;
    ``acted_on`` names touchpoints with an open action (planned or doing), marked ✎ on the card.
    """
    statuses = (
        touchpoint_status(tp_scored)
        if not tp_scored.empty
        else pd.DataFrame(columns=["touchpoint_id", "status"])
    )
    cards = touchpoints.merge(
        stages[["stage_id", "name", "position"]].rename(columns={"name": "stage"}), on="stage_id", how="inner"
    )
    cards = cards.merge(statuses, on="touchpoint_id", how="left")
    cards["status"] = cards["status"].fillna(Status.NO_DATA.value)
    worst_kpi = _worst_kpi_text(tp_scored, registry)
    cards = cards.merge(worst_kpi, on="touchpoint_id", how="left")
    cards["summary"] = cards["summary"].fillna("no KPI data in this period")
    untrusted = _trust_text(tp_scored).to_dict()
    cards["trust_text"] = [untrusted.get(t, NO_FAILING_CHECK) for t in cards["touchpoint_id"]]
    cards["super"] = super_touchpoints(cards).to_numpy() if len(cards) else []
    if "third_party" not in cards:
        cards["third_party"] = False
    cards["third_party"] = cards["third_party"].astype(bool)
    cards["kano_text"] = cards["kano"].map(lambda k: KANO_LABELS.get(str(k), "no Kano class"))
    cards["detail"] = cards["headline"].fillna("no data")
    cards["label"] = [_card_label(r) for r in cards.itertuples(index=False)]
    acted = cards["touchpoint_id"].isin(acted_on)
    cards["label"] = cards["label"].where(~acted, cards["label"] + " " + ACTION_MARK)
    cards = cards.sort_values(["position", "moment_of_truth", "name"], ascending=[True, False, True])
    cards["slot"] = cards.groupby("stage_id").cumcount() + 1
    columns = [
        "touchpoint_id",
        "name",
        "label",
        "detail",
        "kano_text",
        "summary",
        "trust_text",
        "stage",
        "position",
        "slot",
        "status",
        "moment_of_truth",
        "kano",
        "channel",
        "owner",
        "super",
        "third_party",
    ]
    return cards[columns].reset_index(drop=True)


def _card_label(card: object) -> str:
    """★ moment of truth, ◆ super-touchpoint (metrics.kano), ⇄ after a third-party touchpoint."""
    mot, super_, third, name = (getattr(card, c) for c in ("moment_of_truth", "super", "third_party", "name"))
    marks = ("★ " if mot else "") + (SUPER_MARK + " " if super_ else "")
    return marks + str(name) + (" " + THIRD_PARTY_MARK if third else "")


#: A card's data-quality line when none of its values is untrusted.
NO_FAILING_CHECK = "no failing critical check"


def _trust_text(tp_scored: pd.DataFrame) -> pd.Series:
    """Per touchpoint: why its values are not trusted (metrics.trust reasons, each once)."""
    if "trust_reason" not in tp_scored or tp_scored.empty:
        return pd.Series(dtype="object")
    reasons = tp_scored[tp_scored["status"].eq(Status.NOT_TRUSTED.value)]
    return reasons.groupby("touchpoint_id")["trust_reason"].agg(
        lambda r: "Not trusted: " + "; ".join(dict.fromkeys(r))
    )


def _worst_kpi_text(tp_scored: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    if tp_scored.empty:
        return pd.DataFrame(columns=["touchpoint_id", "headline", "summary"])
    rows = tp_scored.assign(
        _rank=severity_rank(tp_scored["status"], no_data_last=True), _judged=tp_scored["target"].notna()
    )
    text = [
        f"{registry[k].name} {registry[k].format(v)}"
        for k, v in zip(rows["kpi_id"], rows["value"], strict=True)
    ]
    rows = rows.assign(text=text)
    headline = rows.sort_values(["_judged", "_rank"], ascending=[False, True]).drop_duplicates(
        "touchpoint_id"
    )
    summary = rows.groupby("touchpoint_id")["text"].agg("; ".join).rename("summary")
    return (
        headline[["touchpoint_id", "text"]]
        .rename(columns={"text": "headline"})
        .merge(summary.reset_index(), on="touchpoint_id")
    )


def scorecard(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, stages: pd.DataFrame, registry: KpiRegistry
) -> pd.DataFrame:
    """Touchpoint x KPI rows with formatted value, target, change and status, worst first.

    ``tp_scored`` may carry delta_prev (from effectiveness.with_deltas)."""
    info = touchpoints[["touchpoint_id", "name", "stage_id", "owner", "moment_of_truth"]]
    rows = tp_scored.drop(columns=[c for c in ("stage_id",) if c in tp_scored.columns]).merge(
        info, on="touchpoint_id"
    )
    rows = rows.merge(
        stages[["stage_id", "name", "position"]].rename(columns={"name": "stage"}), on="stage_id"
    )
    fmt = [registry[k].format for k in rows["kpi_id"]]
    rows["kpi"] = [registry[k].name for k in rows["kpi_id"]]
    rows["value_text"] = [f(v) for f, v in zip(fmt, rows["value"], strict=True)]
    rows["target_text"] = [f(v) for f, v in zip(fmt, rows["target"], strict=True)]
    delta = rows["delta_prev"] if "delta_prev" in rows else pd.Series(float("nan"), index=rows.index)
    rows["delta_text"] = [registry[k].format_change(d) for k, d in zip(rows["kpi_id"], delta, strict=True)]
    rows["mot"] = rows["moment_of_truth"].map({True: "★", False: ""})
    untrusted = rows["status"].eq(Status.NOT_TRUSTED.value)
    reasons = rows["trust_reason"] if "trust_reason" in rows else pd.Series("", index=rows.index)
    rows["trust_text"] = reasons.fillna("").astype(str).where(untrusted, "")
    rows = rows.assign(_rank=severity_rank(rows["status"])).sort_values(["_rank", "position", "name"])
    return rows.drop(columns="_rank").reset_index(drop=True)
