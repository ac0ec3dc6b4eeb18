"""metrics.trust on hand-sized frames: which values a failing scope makes "not trusted"."""

from __future__ import annotations

import pandas as pd

from metrics.status import Status
from metrics.trust import TrustEvidence, apply_trust, count_untrusted, empty_scopes

# Two journeys: buy (stages buy.a with t1, buy.b with t2) and move (move.a with t3).
TOUCHPOINTS = pd.DataFrame(
    {
        "touchpoint_id": ["t1", "t2", "t3"],
        "stage_id": ["buy.a", "buy.b", "move.a"],
        "journey_id": ["buy", "buy", "move"],
        "channel": ["web", "app", "web"],
    }
)


def _scopes(*rows: dict[str, object]) -> pd.DataFrame:
    base = dict.fromkeys(["journey_id", "stage_id", "touchpoint_id", "kpi_id"])
    return pd.DataFrame([{**base, "check_id": "c", "reason": "broken", **r} for r in rows])


def _values(column: str | None, keys: list[str], kpis: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"kpi_id": kpis, "value": 1.0, "status": Status.ON_TARGET.value})
    if column:
        frame[column] = keys
    return frame


def _run(scopes: pd.DataFrame) -> TrustEvidence:
    return TrustEvidence.from_run("run-1", scopes)


def test_no_scopes_leaves_everything_trusted_and_input_unchanged() -> None:
    values = _values("touchpoint_id", ["t1", "t2"], ["csat", "csat"])
    before = values.copy()
    out = apply_trust(values, _run(empty_scopes()), TOUCHPOINTS)
    assert out["trusted"].tolist() == [True, True]
    assert out["trust_reason"].tolist() == ["", ""]
    assert out["status"].tolist() == [Status.ON_TARGET.value] * 2
    pd.testing.assert_frame_equal(values, before)


def test_touchpoint_scope_taints_its_touchpoint_stage_journey_and_company_for_that_kpi() -> None:
    scopes = _scopes({"touchpoint_id": "t1", "kpi_id": "csat"})
    by_tp = apply_trust(
        _values("touchpoint_id", ["t1", "t1", "t2"], ["csat", "nps", "csat"]), _run(scopes), TOUCHPOINTS
    )
    assert by_tp["trusted"].tolist() == [False, True, True]
    assert by_tp["status"].tolist()[0] == Status.NOT_TRUSTED.value
    assert by_tp["trust_reason"].tolist()[0] == "broken"
    run = _run(scopes)
    by_stage = apply_trust(_values("stage_id", ["buy.a", "buy.b"], ["csat", "csat"]), run, TOUCHPOINTS)
    assert by_stage["trusted"].tolist() == [False, True]
    by_journey = apply_trust(_values("journey_id", ["buy", "move"], ["csat", "csat"]), run, TOUCHPOINTS)
    assert by_journey["trusted"].tolist() == [False, True]
    by_channel = apply_trust(_values("channel", ["web", "app"], ["csat", "csat"]), _run(scopes), TOUCHPOINTS)
    assert by_channel["trusted"].tolist() == [False, True]
    company = apply_trust(_values(None, [], ["csat", "nps"]), _run(scopes), TOUCHPOINTS)
    assert company["trusted"].tolist() == [False, True]
    assert count_untrusted(company) == 1


def test_journey_scope_and_all_kpis() -> None:
    # a journey-level scope with no KPI: every KPI of every touchpoint in "move"
    scopes = _scopes({"journey_id": "move"})
    out = apply_trust(
        _values("touchpoint_id", ["t1", "t3", "t3"], ["csat", "csat", "nps"]), _run(scopes), TOUCHPOINTS
    )
    assert out["trusted"].tolist() == [True, False, False]


def test_table_wide_scope_taints_everything_and_reasons_are_joined_once() -> None:
    scopes = pd.concat(
        [
            _scopes({}),
            _scopes({"touchpoint_id": "t2", "reason": "dupes"}),
            _scopes({"touchpoint_id": "t2", "kpi_id": "nps", "reason": "dupes"}),
        ]
    )
    out = apply_trust(_values("touchpoint_id", ["t1", "t2"], ["csat", "nps"]), _run(scopes), TOUCHPOINTS)
    assert out["trusted"].tolist() == [False, False]
    assert out["trust_reason"].tolist() == ["broken", "broken; dupes"]


def test_unknown_touchpoint_scope_taints_nothing_shown() -> None:
    # an orphan touchpoint's rows are left out of every value (inner join), so nothing shown is wrong
    scopes = _scopes({"touchpoint_id": "ghost", "kpi_id": "reach"})
    company = apply_trust(_values(None, [], ["reach"]), _run(scopes), TOUCHPOINTS)
    by_journey = apply_trust(_values("journey_id", ["buy"], ["reach"]), _run(scopes), TOUCHPOINTS)
    assert company["trusted"].tolist() == [True] and by_journey["trusted"].tolist() == [True]


def test_frame_without_status_or_kpi_column() -> None:
    values = pd.DataFrame({"journey_id": ["buy", "move"], "spend": [1.0, 2.0]})
    out = apply_trust(values, _run(_scopes({"stage_id": "buy.b"})), TOUCHPOINTS)
    assert out["trusted"].tolist() == [False, True]
    assert "status" not in out.columns
