"""metrics.journey_map: the living map's cards and the scorecard on one hand-sized journey."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from metrics.journey_map import (
    MORE,
    _wrap,
    emotional_curve,
    filter_cards,
    journey_map_cards,
    limit_cards,
    natural_key,
    scorecard,
    stage_channel_counts,
)
from metrics.registry import default_registry

REGISTRY = default_registry()

STAGES = pd.DataFrame({
    "stage_id": ["s3", "s1", "s2"],
    "journey_id": ["buy"] * 3,
    "name": ["Purchase", "Awareness", "Decision"],
    "position": [3, 1, 2],
})
TOUCHPOINTS = pd.DataFrame({
    "touchpoint_id": ["tp_a", "tp_b", "tp_c", "tp_f", "tp_g"],
    "journey_id": ["buy"] * 5,
    "stage_id": ["s1", "s2", "s2", "s2", "s3"],
    "name": ["Ad", "Shop", "Checkout", "Blog", "Delivery"],
    "channel": ["social", "web", "web", "web", "courier"],
    "owner": ["Ola", "Pia", "Quin", "Una", "Vic"],
    "moment_of_truth": [True, False, True, False, False],
    "kano": ["must_be", "performance", "delighter", None, "must_be"],
    "weight": [1.0] * 5,
    "third_party": [False, False, False, False, True],
})


def _tp_scored(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["touchpoint_id", "kpi_id", "value", "target", "status"])
    return frame.merge(TOUCHPOINTS[["touchpoint_id", "stage_id", "journey_id"]], on="touchpoint_id")


# tp_f (Blog) and tp_g (Delivery) have no KPI rows at all.
TP_SCORED = _tp_scored([
    ("tp_a", "csat", 4.3, 4.2, "on_target"),
    ("tp_a", "nps", 25.0, 30.0, "at_risk"),
    ("tp_a", "reach", 500.0, np.nan, "no_data"),
    ("tp_b", "csat", 3.5, 4.2, "off_target"),
    ("tp_c", "conversion_rate", 25.0, 22.0, "on_target"),
])


def test_every_touchpoint_gets_a_card_in_its_stage_with_slots() -> None:
    cards = journey_map_cards(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY)
    # stage by position; inside a stage moments of truth first, then the worst, then by name:
    # s2 holds Checkout (MoT) 1, Shop (off target) 2, Blog (no data) 3
    assert cards["touchpoint_id"].tolist() == ["tp_a", "tp_c", "tp_b", "tp_f", "tp_g"]
    assert cards["stage"].tolist() == ["Awareness", "Decision", "Decision", "Decision", "Purchase"]
    assert cards["position"].tolist() == [1, 2, 2, 2, 3]
    assert cards["slot"].tolist() == [1, 1, 2, 3, 1]
    # Ad and Checkout are moments of truth and must-be / delighter at the journey's mean weight: super.
    assert cards["label"].tolist() == ["★ ◆ Ad", "★ ◆ Checkout", "Shop", "Blog", "Delivery ⇄"]
    assert cards["third_party"].tolist() == [False, False, False, False, True]
    acted = journey_map_cards(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY, acted_on=frozenset({"tp_b"}))
    assert acted.set_index("touchpoint_id").loc["tp_b", "label"] == "Shop ✎"


def test_card_status_detail_and_summary() -> None:
    cards = journey_map_cards(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY).set_index("touchpoint_id")
    # tp_a: worst judged KPI is NPS at risk (csat is on target, reach has no target)
    assert cards.loc["tp_a", "status"] == "at_risk"
    assert cards.loc["tp_a", ["detail", "kano_text"]].tolist() == ["NPS +25", "must-be"]
    assert cards.loc["tp_a", "summary"] == "CSAT 4.30; NPS +25; Reach 500"
    assert cards.loc["tp_b", ["status", "detail", "kano_text"]].tolist() == ["off_target", "CSAT 3.50",
                                                                            "performance"]
    assert cards.loc["tp_c", ["detail", "kano_text"]].tolist() == ["Conversion rate 25.0%", "delighter"]
    # touchpoints without data still get a grey card, and a missing Kano class is said so
    assert cards.loc["tp_f", ["status", "detail", "kano_text", "summary"]].tolist() == [
        "no_data", "no data", "no Kano class", "no KPI data in this period"]
    assert cards.loc["tp_g", ["detail", "kano_text"]].tolist() == ["no data", "must-be"]


def test_card_names_the_kpi_that_gives_it_its_status_even_a_count() -> None:
    # Reach with a target, far off it: it is what makes the card off target, so the card names it.
    scored = _tp_scored([
        ("tp_b", "reach", 500.0, 1000.0, "off_target"),
        ("tp_b", "csat", 4.1, 4.2, "at_risk"),
    ])
    cards = journey_map_cards(scored, TOUCHPOINTS, STAGES, REGISTRY).set_index("touchpoint_id")
    assert cards.loc["tp_b", "status"] == "off_target"
    assert cards.loc["tp_b", "detail"] == "Reach 500"


def test_cards_with_no_kpi_rows_at_all() -> None:
    empty = TP_SCORED.iloc[0:0]
    cards = journey_map_cards(empty, TOUCHPOINTS, STAGES, REGISTRY)
    assert len(cards) == 5
    assert set(cards["status"]) == {"no_data"}
    assert set(cards["summary"]) == {"no KPI data in this period"}


def test_scorecard_worst_first_with_formatted_change() -> None:
    scored = TP_SCORED.assign(delta_prev=[0.1, -5.0, 20.0, np.nan, 0.0])
    card = scorecard(scored, TOUCHPOINTS, STAGES, REGISTRY)
    # off target, at risk, no data, then on target (by stage position, then name)
    assert list(zip(card["touchpoint_id"], card["kpi_id"], strict=True)) == [
        ("tp_b", "csat"), ("tp_a", "nps"), ("tp_a", "reach"), ("tp_a", "csat"), ("tp_c", "conversion_rate")]
    assert card["value_text"].tolist() == ["3.50", "+25", "500", "4.30", "25.0%"]
    assert card["target_text"].tolist() == ["4.20", "+30", "–", "4.20", "22.0%"]
    # tp_b csat has no earlier value; nps fell 5 points (no '+' left on the size); reach +20;
    # csat +0.1; conversion unchanged
    # percent KPIs change in percentage points
    assert card["delta_text"].tolist() == ["–", "-5 pts", "+20", "+0.10 pts", "±0.0 pp"]
    assert card["mot"].tolist() == ["", "★", "★", "★", "★"]
    assert card["stage"].tolist() == ["Decision", "Awareness", "Awareness", "Awareness", "Decision"]
    assert card["kpi"].tolist()[0] == "CSAT"


def test_scorecard_without_earlier_values() -> None:
    card = scorecard(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY)
    assert set(card["delta_text"]) == {"–"}


def test_card_tooltip_says_why_its_values_are_not_trusted() -> None:
    reason = "Critical check 'kpi_numerator_within_denominator' fails for this touchpoint"
    scored = TP_SCORED.assign(
        trust_reason=np.where(TP_SCORED["touchpoint_id"] == "tp_b", reason, ""),
        status=np.where(TP_SCORED["touchpoint_id"] == "tp_b", "not_trusted", TP_SCORED["status"]),
    )
    cards = journey_map_cards(scored, TOUCHPOINTS, STAGES, REGISTRY).set_index("touchpoint_id")
    assert cards.loc["tp_b", "trust_text"] == f"Not trusted: {reason}"  # once, though on every KPI row
    assert cards.loc["tp_a", "trust_text"] == "no failing critical check"
    assert cards.loc["tp_g", "trust_text"] == "no failing critical check"  # a card without values
    plain = journey_map_cards(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY)  # no checks ran
    assert set(plain["trust_text"]) == {"no failing critical check"}


def test_card_shows_value_against_target_channel_owner_and_kano_without_cutting() -> None:
    cards = journey_map_cards(TP_SCORED, TOUCHPOINTS, STAGES, REGISTRY).set_index("touchpoint_id")
    assert cards.loc["tp_b", "body"].split("\n") == ["CSAT", "3.50 · target 4.20", "web · Pia", "performance"]
    assert cards.loc["tp_f", "body"].split("\n")[1] == "no KPI data in this period"
    long = TOUCHPOINTS.assign(name=["First-contact resolution in the contact centre (hotline)"] + ["x"] * 4)
    cards = journey_map_cards(TP_SCORED, long, STAGES, REGISTRY).set_index("touchpoint_id")
    title = cards.loc["tp_a", "title"]
    assert title.startswith("★ ◆ First-contact") and "\n" in title and "…" not in title  # wrapped, not cut
    assert all(len(line) <= 26 for line in title.split("\n"))


def test_names_sort_naturally() -> None:
    names = ["Search ads (10)", "Search ads (2)", "search ads (1)"]
    assert sorted(names, key=natural_key) == ["search ads (1)", "Search ads (2)", "Search ads (10)"]


def _big_journey(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    touchpoints = pd.DataFrame({
        "touchpoint_id": [f"t{i}" for i in range(n)], "journey_id": "buy", "stage_id": "s1",
        "name": [f"Search ads ({i})" for i in range(n)], "channel": ["web", "app"] * (n // 2),
        "owner": "Ola", "moment_of_truth": [i == 7 for i in range(n)], "kano": "performance", "weight": 1.0,
    })
    scored = pd.DataFrame({"touchpoint_id": [f"t{i}" for i in range(n)], "kpi_id": "csat",
                           "value": 4.0, "target": 4.2,
                           "status": ["off_target" if i in (11, 30) else "on_target" for i in range(n)]})
    return touchpoints, scored.assign(stage_id="s1", journey_id="buy")


def test_a_large_stage_shows_its_moments_and_worst_first_then_more() -> None:
    touchpoints, scored = _big_journey(40)
    cards = journey_map_cards(scored, touchpoints, STAGES, REGISTRY)
    shown = limit_cards(cards, per_stage=4)
    real = shown[shown["kind"].ne(MORE)]
    # the moment of truth, then the two off-target touchpoints, then naturally sorted names
    assert real["name"].tolist() == ["Search ads (7)", "Search ads (11)", "Search ads (30)", "Search ads (0)"]
    more = shown[shown["kind"].eq(MORE)].iloc[0]
    assert more["title"] == "+ 36 more" and more["slot"] == 5
    assert len(limit_cards(cards, per_stage=4, expanded=True)) == 40
    assert set(filter_cards(cards, channels=("app",))["channel"]) == {"app"}
    assert filter_cards(cards, moments_only=True)["name"].tolist() == ["Search ads (7)"]
    strip = stage_channel_counts(shown)  # the '+ N more' card is not counted as a touchpoint
    assert strip["touchpoints"].sum() == 4


def test_emotional_curve_keeps_every_stage_and_leaves_gaps() -> None:
    curve = pd.DataFrame({"stage_id": ["s1", "s3"], "kpi_id": "csat", "value": [4.1, 3.2],
                          "target": [4.0, 4.0], "tolerance": [0.2, 0.2],
                          "status": ["on_target", "off_target"]})
    frame = emotional_curve(curve, STAGES, REGISTRY)
    assert frame["stage"].tolist() == ["Awareness", "Decision", "Purchase"]
    assert frame["value"].isna().tolist() == [False, True, False]
    assert frame.loc[1, "status"] == "no_data"
    assert frame["value_text"].tolist() == ["4.10", "no value in this period", "3.20"]
    assert frame["target_text"].tolist() == ["4.00", "no target", "4.00"]


def _wrap_by_textwrap(text: str, lines: int, width: int) -> str:
    wrapped = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        rest = textwrap.shorten(" ".join(wrapped[lines - 1:]), width, placeholder="…")
        wrapped = wrapped[: lines - 1] + [rest]
    return "\n".join(wrapped)


def test_card_text_that_fits_a_line_is_wrapped_as_textwrap_wraps_it() -> None:
    """A text that fits skips textwrap (#19); what textwrap would change goes through it."""
    texts = ["", " ", "x", "Search ads (10)", "  padded  ", "padded ", " padded", "tab\there", "new\nline",
             "cr\rx", "ff\x0cx", "vt\x0bx", "nbsp\u00a0end\u00a0", "em\u2003", "a" * 26, "a" * 27,
             "word " * 9, "Email · Team Marketing", "ab-cd-ef-gh-ij-kl-mn-op-qr-st", "two  spaces"]
    for text in texts:
        for lines in (1, 2, 3):
            for width in (12, 26, 32):
                assert _wrap(text, lines, width) == _wrap_by_textwrap(text, lines, width), text
