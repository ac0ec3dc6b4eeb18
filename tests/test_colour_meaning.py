"""Purple means "not trusted", everywhere: no other colour in the app is purple.

Every hex colour written in ui/, metrics/ and review/ is read; a purple one (hue between blue and
pink, clearly saturated) is allowed only as metrics.status's NOT_TRUSTED colour.
"""

from __future__ import annotations

import colorsys
import re
from pathlib import Path

import pandas as pd

from metrics.budget import Quadrant
from metrics.status import STATUS_COLOURS, Status
from ui.budget_charts import QUADRANT_COLOURS, quadrant_chart

ROOT = Path(__file__).resolve().parents[1]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def _purple(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return 250 <= hue * 360 <= 330 and saturation >= 0.25 and 0.1 < lightness < 0.9


def test_the_not_trusted_colour_is_purple_and_no_other_status_is() -> None:
    assert _purple(STATUS_COLOURS[Status.NOT_TRUSTED])
    assert not any(_purple(c) for s, c in STATUS_COLOURS.items() if s is not Status.NOT_TRUSTED)


def test_no_other_colour_in_the_code_is_purple() -> None:
    found = []
    for folder in ("ui", "metrics", "review"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for colour in HEX.findall(line):
                    allowed = path.name == "status.py" and "NOT_TRUSTED" in line
                    if _purple(colour) and not allowed:
                        found.append(f"{path.relative_to(ROOT)}:{number}: {colour}")
    assert found == [], "purple is for 'not trusted' only:\n" + "\n".join(found)


def test_cut_back_is_not_drawn_in_the_not_trusted_colour() -> None:
    assert not _purple(QUADRANT_COLOURS[Quadrant.CUT_BACK])
    frame = pd.DataFrame({"name": ["A", "B"], "attainment": [80.0, 120.0], "cost_per_outcome": [5.0, 2.0],
                          "quadrant": ["cut back", "fund more"], "actual": [100.0, 50.0]})
    spec = quadrant_chart(frame, 3.0, "conversions").to_dict()
    ranges = [layer["encoding"]["color"]["scale"]["range"] for layer in spec["layer"]
              if "color" in layer.get("encoding", {})]
    assert ranges and STATUS_COLOURS[Status.NOT_TRUSTED] not in ranges[0]
