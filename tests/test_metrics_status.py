"""metrics.status: classify and its vectorised twin; the arithmetic is in the comments."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from metrics.model import Direction
from metrics.status import (
    STATUS_COLOURS,
    STATUS_ICONS,
    STATUS_LABELS,
    STATUS_SEVERITY,
    Status,
    classify,
    classify_frame,
    severity_rank,
    signed_gap,
)

HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "direction", "expected"),
    [
        # higher is better, target 80, band 5: 80..inf on, 75..80 at risk, below 75 off
        (85.0, 80.0, 5.0, HIGHER, Status.ON_TARGET),  # gap +5
        (80.0, 80.0, 5.0, HIGHER, Status.ON_TARGET),  # exactly on target: gap 0
        (77.0, 80.0, 5.0, HIGHER, Status.AT_RISK),  # gap -3, inside the band
        (75.0, 80.0, 5.0, HIGHER, Status.AT_RISK),  # gap -5, on the edge of the band
        (74.9, 80.0, 5.0, HIGHER, Status.OFF_TARGET),  # gap -5.1, outside
        # lower is better, target 180 s, band 30: <=180 on, 180..210 at risk, above 210 off
        (150.0, 180.0, 30.0, LOWER, Status.ON_TARGET),  # gap 180 - 150 = +30
        (180.0, 180.0, 30.0, LOWER, Status.ON_TARGET),  # gap 0
        (200.0, 180.0, 30.0, LOWER, Status.AT_RISK),  # gap -20
        (210.0, 180.0, 30.0, LOWER, Status.AT_RISK),  # gap -30, edge
        (211.0, 180.0, 30.0, LOWER, Status.OFF_TARGET),  # gap -31
        # a negative tolerance is read as its size
        (77.0, 80.0, -5.0, HIGHER, Status.AT_RISK),
        # no tolerance: no amber band
        (79.9, 80.0, None, HIGHER, Status.OFF_TARGET),
        (80.0, 80.0, None, HIGHER, Status.ON_TARGET),
        (79.9, 80.0, float("nan"), HIGHER, Status.OFF_TARGET),
        # no value or no target: no data
        (None, 80.0, 5.0, HIGHER, Status.NO_DATA),
        (float("nan"), 80.0, 5.0, HIGHER, Status.NO_DATA),
        (85.0, None, 5.0, HIGHER, Status.NO_DATA),
        (85.0, float("nan"), 5.0, LOWER, Status.NO_DATA),
    ],
)
def test_classify(value: float | None, target: float | None, tolerance: float | None, direction: Direction,
                  expected: Status) -> None:
    assert classify(value, target, tolerance, direction) is expected


def test_signed_gap_is_positive_when_better() -> None:
    assert signed_gap(85.0, 80.0, HIGHER) == 5.0  # 85 - 80
    assert signed_gap(150.0, 180.0, LOWER) == 30.0  # 180 - 150
    assert signed_gap(200.0, 180.0, LOWER) == -20.0  # 180 - 200


def test_classify_frame_equals_classify_on_a_grid() -> None:
    values = [None, 70.0, 74.9, 75.0, 77.0, 80.0, 83.0, 85.0, 85.1, 90.0]
    targets = [None, 80.0]
    tolerances = [None, 0.0, 5.0, -5.0]
    grid = list(itertools.product(values, targets, tolerances, (HIGHER, LOWER)))
    frame = pd.DataFrame(grid, columns=["value", "target", "tolerance", "direction"])
    frame.index = frame.index * 3 + 7  # a non-default index must be kept
    before = frame.copy()
    statuses = classify_frame(frame[["value", "target", "tolerance"]], frame["direction"])
    expected = [classify(v, t, b, d).value for v, t, b, d in grid]
    assert statuses.tolist() == expected
    assert statuses.index.equals(frame.index)
    pd.testing.assert_frame_equal(frame, before)
    # every status of the four judged/no-data kinds occurs in the grid
    assert set(expected) == {"on_target", "at_risk", "off_target", "no_data"}


def test_classify_frame_accepts_direction_strings() -> None:
    frame = pd.DataFrame({"value": [77.0, 200.0], "target": [80.0, 180.0], "tolerance": [5.0, np.nan]})
    directions = pd.Series(["higher_is_better", "lower_is_better"])
    # 77 vs 80 (band 5): at risk; 200 vs 180 lower-is-better without band: gap -20, off target
    assert classify_frame(frame, directions).tolist() == ["at_risk", "off_target"]


def test_every_status_has_label_colour_icon_and_severity() -> None:
    for status in Status:
        assert status.label == STATUS_LABELS[status]
        assert status.colour == STATUS_COLOURS[status] and status.colour.startswith("#")
        assert status in STATUS_ICONS and status in STATUS_SEVERITY
    assert len(set(STATUS_COLOURS.values())) == len(Status)


def test_severity_rank_worst_first_and_no_data_last_when_asked() -> None:
    statuses = pd.Series(["on_target", "no_data", "at_risk", "not_trusted", "off_target"])
    assert statuses[severity_rank(statuses).sort_values().index].tolist() == [
        "off_target", "not_trusted", "at_risk", "no_data", "on_target"]
    ranked = severity_rank(statuses, no_data_last=True)
    assert statuses[ranked.sort_values().index].tolist() == [
        "off_target", "not_trusted", "at_risk", "on_target", "no_data"]


def test_float_noise_in_computed_values_does_not_change_the_status() -> None:
    # 57 converting of 100 is 57 / 100 * 100 = 56.99999999999999 in floats: still on a target of 57
    assert classify(57 / 100 * 100, 57.0, 1.0, HIGHER) is Status.ON_TARGET
    # CSAT 4.0 against 4.2 with band 0.2: 4.0 - 4.2 = -0.20000000000000018, still exactly one band -> at risk
    assert classify(4.0, 4.2, 0.2, HIGHER) is Status.AT_RISK
    frame = pd.DataFrame({"value": [57 / 100 * 100, 4.0, 3.99], "target": [57.0, 4.2, 4.2],
                          "tolerance": [1.0, 0.2, 0.2]})
    # 3.99 is 0.21 below: a real miss beyond the band stays off target
    assert classify_frame(frame, pd.Series([HIGHER] * 3)).tolist() == ["on_target", "at_risk", "off_target"]
