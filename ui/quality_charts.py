"""Charts of the data-quality page. Each outcome's words and colour come from
checks.catalogue.OUTCOME_LABELS (the status palette of metrics.status)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from checks.catalogue import OUTCOME_LABELS, outcome_label
from metrics.i18n import tr
from metrics.status import STATUS_COLOURS


def check_history_chart(history: pd.DataFrame, names: dict[str, str]) -> alt.Chart:
    """Each check (rows) over runs (columns, oldest left), coloured by outcome.

    history: run_id, started_at, check_id, severity, outcome, failing_count.
    """
    data = history.assign(
        check=history["check_id"].map(lambda c: names.get(c, c)),
        run=pd.to_datetime(history["started_at"], utc=True).dt.strftime(tr("%d %b %H:%M:%S")),
        result=[outcome_label(o, s) for o, s in zip(history["outcome"], history["severity"], strict=True)],
    )
    runs = data.sort_values("started_at")["run"].drop_duplicates().tolist()
    failing_first = (
        data.assign(bad=data["outcome"].ne("passed"))
        .groupby("check")["bad"]
        .sum()
        .sort_values(ascending=False)
        .index.tolist()
    )
    domain = [tr(label) for label, _ in OUTCOME_LABELS.values()]
    colours = [STATUS_COLOURS[status] for _, status in OUTCOME_LABELS.values()]
    return (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("run:N", sort=runs, title=tr("Check run (UTC)"), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "check:N", sort=failing_first, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)
            ),
            color=alt.Color(
                "result:N",
                scale=alt.Scale(domain=domain, range=colours),
                title=tr("Result"),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[alt.Tooltip("check:N", title=tr("check")), alt.Tooltip("run:N", title=tr("run")),
                     alt.Tooltip("result:N", title=tr("result")),
                     alt.Tooltip("failing_count:Q", title=tr("Failing rows"))],
        )
        .properties(height=alt.Step(18), title=tr("Each check over the latest runs"))
    )
