"""Figures for the journey page: the living journey map's cards and the touchpoint scorecard."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

import pandas as pd

from metrics.effectiveness import touchpoint_status
from metrics.i18n import N_, tr
from metrics.kano import SUPER_MARK, super_touchpoints
from metrics.registry import KpiRegistry
from metrics.status import Status, severity_rank

__all__ = ["ACTION_MARK", "CARDS_PER_STAGE", "MORE", "card_line", "emotional_curve", "filter_cards",
           "journey_map_cards", "limit_cards", "natural_key", "scorecard", "stage_channel_counts",
           "THIRD_PARTY_MARK"]

#: Marks a third-party touchpoint (review portal, marketplace, word of mouth) on every page.
THIRD_PARTY_MARK = "⇄"
#: Marks a touchpoint with an open owner's action (planned or doing).
ACTION_MARK = "✎"

#: Cards a stage shows before "+ N more" (its moments of truth and worst touchpoints come first).
CARDS_PER_STAGE = 6
#: The ``kind`` of the card that stands for a stage's hidden touchpoints.
MORE = "more"
#: Characters per line on a card; longer names and KPIs wrap instead of being cut off.
CARD_LINE = 26


def natural_key(name: object) -> tuple[tuple[int, object], ...]:
    """Sort key that reads numbers as numbers: 'Search ads (2)' before 'Search ads (10)'."""
    parts = re.split(r"(\d+)", str(name).casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p != "")


def card_line(stages: int, width_px: int = 960) -> int:
    """Characters per card line when ``stages`` columns share ``width_px`` (about 6 px a character)."""
    return max(12, min(CARD_LINE + 6, width_px // max(stages, 1) // 6))


#: What textwrap turns into spaces (besides the space): a text without them that fits on a line and
#: has no space at either end is one line as it stands.
_WRAPPED_SPACE = re.compile("[\t\n\x0b\x0c\r]")


@lru_cache(maxsize=8192)
def _wrap(text: str, lines: int, width: int = CARD_LINE) -> str:
    """``text`` in at most ``lines`` lines of ``width`` characters (the last one shortened with '…').
    Remembered: a journey's cards repeat their channel · owner lines (#19)."""
    text = str(text)
    if len(text) <= width and text == text.strip() and not _WRAPPED_SPACE.search(text):
        return text  # what textwrap gives, without its work (#19: three texts per card)
    wrapped = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        rest = textwrap.shorten(" ".join(wrapped[lines - 1:]), width, placeholder="…")
        wrapped = wrapped[: lines - 1] + [rest]
    return "\n".join(wrapped)

#: A card's short Kano class (shown with ``tr``; the pages' long form is metrics.kano.kano_texts).
KANO_LABELS = {"must_be": N_("must-be"), "performance": N_("performance"), "delighter": N_("delighter")}


def journey_map_cards(
    tp_scored: pd.DataFrame, touchpoints: pd.DataFrame, stages: pd.DataFrame, registry: KpiRegistry,
    line: int = CARD_LINE,
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
    no_kpi_data = tr("no KPI data in this period")
    cards["summary"] = cards["summary"].fillna(no_kpi_data)
    # Columns are read as lists (``tolist``), not cell by cell: iterating a pandas 3 text column
    # boxes each cell through Arrow, most of this function's time at 14,470 touchpoints (#19).
    untrusted, no_failing = _trust_text(tp_scored).to_dict(), tr(NO_FAILING_CHECK)
    cards["trust_text"] = [untrusted.get(t, no_failing) for t in cards["touchpoint_id"].tolist()]
    cards["super"] = super_touchpoints(cards).to_numpy() if len(cards) else []
    if "third_party" not in cards:
        cards["third_party"] = False
    cards["third_party"] = cards["third_party"].astype(bool)
    kano_labels, no_kano = {k: tr(v) for k, v in KANO_LABELS.items()}, tr("no Kano class")
    cards["kano_text"] = [kano_labels.get(str(k), no_kano) for k in cards["kano"].tolist()]
    no_data, no_channel, no_owner = tr("no data"), tr("no channel"), tr("no owner")
    cards["detail"] = cards["headline"].fillna(no_data)
    cards["value_line"] = cards["value_line"].fillna(no_kpi_data)
    cards["label"] = [_card_label(*card) for card in zip(
        *(cards[c].tolist() for c in ("moment_of_truth", "super", "third_party", "name")), strict=True)]
    acted = cards["touchpoint_id"].isin(acted_on)
    cards["label"] = cards["label"].where(~acted, cards["label"] + " " + ACTION_MARK)
    cards["title"] = [_wrap(t, 3, line) for t in cards["label"].tolist()]
    cards["body"] = [
        "\n".join([_wrap(detail, 2, line), _wrap_at_dot(value, line),
                   _wrap(f"{_plain(channel, no_channel)} · {_plain(owner, no_owner)}", 2, line), kano])
        for detail, value, channel, owner, kano in zip(
            cards["kpi_line"].fillna(no_data).tolist(), cards["value_line"].tolist(),
            cards["channel"].tolist(), cards["owner"].tolist(), cards["kano_text"].tolist(), strict=True)
    ]
    cards["_rank"] = severity_rank(cards["status"], no_data_last=True)
    cards["_name"] = [natural_key(n) for n in cards["name"].tolist()]
    cards = cards.sort_values(["position", "moment_of_truth", "_rank", "_name"],
                              ascending=[True, False, True, True], kind="stable")
    cards["slot"] = cards.groupby("stage_id").cumcount() + 1
    cards["kind"] = "card"
    columns = [
        "touchpoint_id",
        "name",
        "label",
        "title",
        "body",
        "detail",
        "kind",
        "kano_text",
        "summary",
        "trust_text",
        "stage_id",
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


def _card_label(mot: object, super_: object, third: object, name: object) -> str:
    """★ moment of truth, ◆ super-touchpoint (metrics.kano), ⇄ after a third-party touchpoint."""
    marks = ("★ " if mot else "") + (SUPER_MARK + " " if super_ else "")
    return marks + str(name) + (" " + THIRD_PARTY_MARK if third else "")


#: A card's data-quality line when none of its values is untrusted (shown with ``tr``).
NO_FAILING_CHECK = N_("no failing critical check")


def _plain(value: object, missing: str) -> str:
    return missing if value is None or pd.isna(value) or str(value).strip() == "" else str(value)


def _wrap_at_dot(text: str, width: int) -> str:
    """'22.9% · target 22.0%' on one line when it fits, else the value and the target on two."""
    if len(text) <= width:
        return text
    return "\n".join(_wrap(part, 1, width) for part in text.split(" · "))


def limit_cards(cards: pd.DataFrame, per_stage: int = CARDS_PER_STAGE,
                expanded: bool = False) -> pd.DataFrame:
    """The cards a map shows: per stage its first ``per_stage`` cards (moments of truth and the
    worst touchpoints come first), then one card of kind MORE saying '+ N more'. ``expanded``
    shows every card."""
    if expanded or cards.empty:
        return cards
    shown = cards[cards["slot"] <= per_stage]
    hidden = cards[cards["slot"] > per_stage]
    if hidden.empty:
        return cards
    counts = hidden.groupby(["stage_id", "stage", "position"], as_index=False).agg(
        hidden=("touchpoint_id", "size"),
        off=("status", lambda s: int(s.isin(["off_target", "not_trusted"]).sum())),
    )
    more_text = tr("+ {count} more")
    some_off = tr("{count} of them off target\nor not trusted")
    none_off = tr("none off target\nor not trusted")
    show_them = "\n" + tr("Show them: 'Show every\ntouchpoint' above")
    more = counts.assign(
        touchpoint_id="",
        name="",
        label=counts["hidden"].map(lambda n: more_text.format(count=n)),
        title=counts["hidden"].map(lambda n: more_text.format(count=n)),
        body=counts["off"].map(lambda n: some_off.format(count=n) if n else none_off) + show_them,
        detail="",
        kind=MORE,
        slot=per_stage + 1,
        status="no_data",
        moment_of_truth=False,
    ).drop(columns=["hidden", "off"])
    return pd.concat([shown, more], ignore_index=True).sort_values(["position", "slot"], ignore_index=True)


def filter_cards(cards: pd.DataFrame, channels: tuple[str, ...] = (), owners: tuple[str, ...] = (),
                 moments_only: bool = False) -> pd.DataFrame:
    """Cards of the chosen channels and owners (empty: all), optionally moments of truth only;
    slots are renumbered so each stage's cards stay together."""
    keep = pd.Series(True, index=cards.index)
    if channels:
        keep &= cards["channel"].astype(str).isin(channels)
    if owners:
        keep &= cards["owner"].astype(str).isin(owners)
    if moments_only:
        keep &= cards["moment_of_truth"].astype(bool)
    kept = cards[keep].copy()
    kept["slot"] = kept.groupby("stage_id").cumcount() + 1
    return kept.reset_index(drop=True)


def stage_channel_counts(cards: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints per stage, channel and status, for the compact strip above a large map."""
    real = cards[cards["kind"].ne(MORE)] if "kind" in cards else cards
    no_channel = tr("no channel")
    frame = real.assign(channel=real["channel"].map(lambda c: _plain(c, no_channel)))
    return (
        frame.groupby(["stage", "position", "channel", "status"], as_index=False)
        .agg(touchpoints=("touchpoint_id", "size"))
        .sort_values(["position", "channel", "status"], ignore_index=True)
    )


def _trust_text(tp_scored: pd.DataFrame) -> pd.Series:
    """Per touchpoint: why its values are not trusted (metrics.trust reasons, each once)."""
    if "trust_reason" not in tp_scored or tp_scored.empty:
        return pd.Series(dtype="object")
    reasons = tp_scored[tp_scored["status"].eq(Status.NOT_TRUSTED.value)]
    not_trusted = tr("Not trusted: {reason}")
    return reasons.groupby("touchpoint_id")["trust_reason"].agg(
        lambda r: not_trusted.format(reason="; ".join(dict.fromkeys(r)))
    )


def _worst_kpi_text(tp_scored: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    if tp_scored.empty:
        return pd.DataFrame(columns=["touchpoint_id", "headline", "kpi_line", "value_line", "summary"])
    rows = tp_scored.assign(
        _rank=severity_rank(tp_scored["status"], no_data_last=True), _judged=tp_scored["target"].notna()
    )
    # Each value is worded once; the value line (with its target) only for each touchpoint's headline
    # row, the one shown (14,470 touchpoints at 100 M rows: a third of this function's time).
    names = {k: registry[k].name for k in rows["kpi_id"].unique()}
    values = registry.format_each(rows["kpi_id"], rows["value"])
    texts = [f"{names[k]} {v}" for k, v in zip(rows["kpi_id"].tolist(), values, strict=True)]
    rows = rows.assign(text=texts, _value_text=values)
    headline = rows.sort_values(["_judged", "_rank"], ascending=[False, True]).drop_duplicates(
        "touchpoint_id"
    )
    headline = headline[headline["touchpoint_id"].notna()]
    with_target = tr("{value} · target {target}")
    targets = registry.format_each(headline["kpi_id"], headline["target"])
    # A touchpoint's values joined in the rows' order (what a groupby of 14,470 groups took long for).
    parts: dict[object, list[str]] = {}
    for touchpoint, text in zip(rows["touchpoint_id"].tolist(), texts, strict=True):
        parts.setdefault(touchpoint, []).append(text)
    return headline[["touchpoint_id", "text"]].rename(columns={"text": "headline"}).assign(
        kpi_line=[names[k] for k in headline["kpi_id"].tolist()],
        value_line=[
            v if missing else with_target.format(value=v, target=t)
            for v, missing, t in zip(headline["_value_text"].tolist(), headline["target"].isna().tolist(),
                                     targets, strict=True)
        ],
        summary=["; ".join(parts[t]) for t in headline["touchpoint_id"].tolist()],
    ).reset_index(drop=True)


def emotional_curve(curve: pd.DataFrame, stages: pd.DataFrame, registry: KpiRegistry) -> pd.DataFrame:
    """Every stage of the journey in order, with its judged value of one KPI where it has one.

    ``curve``: judged stage-level rows of one KPI (stage_id, kpi_id, value, target, tolerance,
    status, ...); ``stages``: the journey's stages. A stage without a value keeps its row with
    value NaN and status no_data, so the chart leaves a gap there instead of drawing across it.
    """
    frame = stages[["stage_id", "name", "position"]].rename(columns={"name": "stage"}).merge(
        curve.drop(columns=[c for c in ("stage", "position") if c in curve.columns]),
        on="stage_id", how="left",
    )
    for column in ("value", "target", "tolerance"):
        if column not in frame:
            frame[column] = float("nan")
    if "status" not in frame:
        frame["status"] = Status.NO_DATA.value
    frame["status"] = frame["status"].fillna(Status.NO_DATA.value)
    kpi_ids = curve["kpi_id"].dropna().unique() if "kpi_id" in curve else []
    kpi = registry[kpi_ids[0]] if len(kpi_ids) else None
    frame["value_text"] = [kpi.format(v) if kpi else "–" for v in frame["value"]]
    frame["value_text"] = frame["value_text"].where(frame["value"].notna(), tr("no value in this period"))
    frame["target_text"] = [kpi.format(t) if kpi else "–" for t in frame["target"]]
    frame["target_text"] = frame["target_text"].where(frame["target"].notna(), tr("no target"))
    return frame.sort_values("position", ignore_index=True)


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
    names = {k: registry[k].name for k in rows["kpi_id"].unique()}
    rows["kpi"] = [names[k] for k in rows["kpi_id"].tolist()]
    # Worded a KPI at a time, not row by row (#19: 14,470 touchpoints' rows at 100 M rows).
    rows["value_text"] = registry.format_each(rows["kpi_id"], rows["value"])
    rows["target_text"] = registry.format_each(rows["kpi_id"], rows["target"])
    delta = rows["delta_prev"] if "delta_prev" in rows else pd.Series(float("nan"), index=rows.index)
    rows["delta_text"] = registry.format_each_change(rows["kpi_id"], delta)
    rows["mot"] = rows["moment_of_truth"].map({True: "★", False: ""})
    untrusted = rows["status"].eq(Status.NOT_TRUSTED.value)
    reasons = rows["trust_reason"] if "trust_reason" in rows else pd.Series("", index=rows.index)
    rows["trust_text"] = reasons.fillna("").astype(str).where(untrusted, "")
    rows = rows.assign(_rank=severity_rank(rows["status"])).sort_values(["_rank", "position", "name"])
    return rows.drop(columns="_rank").reset_index(drop=True)
