"""Sections of the data-quality page: failing checks with what they affect, compact history,
freshness, and the Data Docs served by the app. The page calls them in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from checks.catalogue import CHECKS_BY_ID, KPI_TABLES
from checks.data_docs import RUN_PAGE, local_site, publish
from checks.history import sample_rows
from checks.impact import check_impact, plain_reason
from connectors.contacts import ContactsError, load_contacts
from metrics.formatting import date_text, number_text
from metrics.i18n import N_, tr, tr_n
from ui.context import AppContext
from ui.navigation import PAGES
from ui.quality_loaders import QualityView
from ui.tables import WRAPPING_ROW_HEIGHT
from ui.text import literal

#: Where the app's web server serves published Data Docs from (server.enableStaticServing), and
#: the address it serves them at, relative to any page.
SERVED_DOCS = Path(__file__).resolve().parents[1] / "static" / "data-docs"
DOCS_ADDRESS = "app/static/data-docs"

#: The headers of the sample columns (the evidence's column names, capitalized), marked so they are
#: said in the current language; a column not listed keeps its English header.
SAMPLE_HEADERS = (
    N_("Touchpoint"), N_("Touchpoint id"), N_("Stage id"), N_("Journey id"), N_("Kpi id"), N_("Date"),
    N_("Numerator"), N_("Denominator"), N_("Copies"), N_("Rows"), N_("Duplicate rows"), N_("First date"),
    N_("Latest date"), N_("Days behind"), N_("Allowed days"), N_("Bad keys"), N_("Bad keys from"),
    N_("Bad keys to"), N_("Out of range"), N_("Out of range from"), N_("Out of range to"),
    N_("Rate above 100"), N_("Rate above 100 from"), N_("Rate above 100 to"), N_("Bad denominator"),
    N_("Bad denominator from"), N_("Bad denominator to"), N_("Future rows"), N_("Future rows from"),
    N_("Future rows to"), N_("Duplicate from"), N_("Duplicate to"), N_("Median before"), N_("Ratio"),
    N_("Negative rows"), N_("Min planned"), N_("Min actual"), N_("Scope"), N_("Scope id"), N_("Scope key"),
    N_("Valid from"), N_("Valid to"), N_("Valid days"), N_("Target"), N_("Tolerance"), N_("Stretch"),
    N_("Overlaps"), N_("Target in range"), N_("Column"), N_("Physical"), N_("Present"), N_("Type ok"),
    N_("Found type"), N_("Table name"), N_("Problem"),
)
_TITLES = {Path(path).stem: title for path, title, _ in PAGES}
_KPI_PAGES = ("overview", "journey", "trends", "my_touchpoints", "review")
#: The pages whose numbers a table feeds (README "Pages").
TABLE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(KPI_TABLES, _KPI_PAGES),
    "budget": ("budget",),
    "funnel": ("journey", "my_touchpoints", "budget"),
    "warehouse": (*_KPI_PAGES, "budget"),
}


def pages_for(table: str) -> str:
    return ", ".join(tr(_TITLES[p]) for p in TABLE_PAGES.get(table, ()))


def failing_frame(ctx: AppContext, view: QualityView, failing: pd.DataFrame) -> pd.DataFrame:
    """The failing checks with their impact, data date, first failing run, plain reason and steward."""
    kpi_names = {k.kpi_id: k.name for k in ctx.registry}
    impact = check_impact(view.scopes, ctx.touchpoints, ctx.stages, ctx.journeys, kpi_names)
    out = failing.merge(impact, on="check_id", how="left")
    stewards = _stewards(ctx)
    out["pages"] = out["table_name"].map(pages_for)
    columns = zip(out["check_id"], out["outcome"], out["failing_count"], out["table_name"], strict=True)
    out["plain"] = [plain_reason(c, o, int(n), t) for c, o, n, t in columns]
    out["steward"] = [stewards(t, c) for t, c in zip(out["table_name"], out["check_id"], strict=True)]
    out["data_since"] = pd.to_datetime(out["data_since"])
    # Failing rows no value can hold (no key, unknown touchpoint or KPI) untrust nothing; budget and
    # funnel rows feed spend and funnel figures, not KPI values.
    no_value = out["kpis"].isna()
    out.loc[no_value, ["kpis", "journeys", "touchpoints"]] = tr("none: no value holds these rows")
    for table, what in (("budget", tr("none: spend figures")), ("funnel", tr("none: funnel figures"))):
        out.loc[out["table_name"].eq(table), "kpis"] = what
    return out


def _stewards(ctx: AppContext) -> Any:
    try:
        contacts = load_contacts(ctx.settings.contacts_path)
    except (ContactsError, OSError) as exc:
        st.warning(tr("The contacts file cannot be read, so no steward is named: {problem}").format(
            problem=literal(str(exc))))
        return lambda table, check: None

    def steward(table: str, check: str) -> str | None:
        # The contacts file may name a table by its canonical or its physical (mapped) name.
        found = contacts.steward_for(table=table, check=check)
        physical = _physical_name(ctx, table)
        if found == contacts.steward_default and physical and physical in contacts.steward_tables:
            found = contacts.steward_tables[physical]
        return found

    return steward


def _physical_name(ctx: AppContext, table: str) -> str | None:
    try:
        return str(ctx.warehouse.mapping.table(table).name)
    except (KeyError, ValueError):
        return None


def show_failing(frame: pd.DataFrame) -> None:
    # Headers through column_config: the columns keep their keys (tests and the detail read them).
    st.dataframe(
        frame[["result", "name", "kpis", "journeys", "pages", "data_since", "failing_since", "failing_count",
               "plain", "steward"]],
        hide_index=True, width="stretch", row_height=WRAPPING_ROW_HEIGHT,  # long lists wrap, never cut
        column_config={
            "result": tr("Result"), "name": tr("Check"), "kpis": tr("KPIs affected"),
            "journeys": tr("Journeys affected"),
            "pages": st.column_config.TextColumn(tr("Pages affected"), width="medium"),
            "data_since": st.column_config.DateColumn(tr("Bad data since"), format=tr("D MMM YYYY"),
                                                      help=tr("Date of the first failing row in the data")),
            "failing_since": st.column_config.DatetimeColumn(
                tr("Seen failing since"), format=tr("D MMM YYYY, HH:mm"),
                help=tr("The first check run (UTC) of the current streak of failures")),
            "failing_count": st.column_config.NumberColumn(tr("Failing rows"), format="localized"),
            "plain": st.column_config.TextColumn(tr("What is wrong"), width="large"),
            "steward": tr("Data steward"),
        },
    )
    st.caption(tr("Bad data since: the date of the first failing row. Checks whose failing rows carry no "
                  "date (a duplicate id, a stale touchpoint) show only when a check run first saw them. "
                  "An empty steward: none is named in the contacts file (MOT_CONTACTS)."))


def show_check_detail(ctx: AppContext, frame: pd.DataFrame) -> None:
    """One failing check: what it affects in words, its failing rows with names, the GE detail."""
    names = dict(zip(frame["check_id"], frame["name"], strict=True))
    chosen = st.selectbox(tr("Check"), list(names), format_func=lambda c: names[c])
    row = frame.set_index("check_id").loc[chosen]
    check = CHECKS_BY_ID.get(chosen)
    st.text(str(row["plain"]))
    none = tr("none")
    affects = tr("Affects KPIs: {kpis}; journeys: {journeys}; touchpoints: {touchpoints}; "
                 "pages: {pages}.").format(
        kpis=row["kpis"] if isinstance(row["kpis"], str) else none,
        journeys=row["journeys"] if isinstance(row["journeys"], str) else none,
        touchpoints=row["touchpoints"] if isinstance(row["touchpoints"], str) else none,
        pages=row["pages"] or none)
    if not pd.isna(row["data_since"]):
        affects += " " + tr("Bad data since {date}.").format(date=date_text(row["data_since"]))
    st.text(affects)
    if check is not None and check.severity.value == "critical" and row["table_name"] in KPI_TABLES:
        st.caption(tr("A critical check: the values it affects show as not trusted on those pages."))
    sample = sample_rows(str(row["sample_json"]))
    if sample.empty:
        st.caption(tr("This check has no row-level sample (it failed for the table as a whole)."))
    else:
        tp_names = dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=False))
        if "touchpoint_id" in sample.columns:
            sample.insert(0, "touchpoint", sample["touchpoint_id"].map(lambda t: tp_names.get(t, t)))
        english = {c: c.replace("_", " ").capitalize() for c in sample.columns}  # as SAMPLE_HEADERS
        headers = {c: tr(header) for c, header in english.items()}
        if len(set(headers.values())) < len(headers):  # two columns would read the same: keep the English
            headers = english
        config: dict[str, Any] = {}
        for column in [c for c in sample.columns if "date" in c or c in ("month", "valid_from", "valid_to")]:
            sample[column] = pd.to_datetime(sample[column], errors="coerce")
            config[headers[column]] = st.column_config.DateColumn(headers[column], format=tr("D MMM YYYY"))
        st.dataframe(sample.rename(columns=headers), hide_index=True, width="stretch", column_config=config)
    show_detail = st.toggle(tr("Show the Great Expectations detail"), key=f"gx_detail_{chosen}")
    if show_detail:
        st.text(str(row["reason"]))


def show_history(view: QualityView, names: dict[str, str]) -> None:
    """The checks that failed in the latest runs as a grid; the ones that never did in one line."""
    trend = view.history
    ever_failed = set(trend.loc[trend["outcome"].ne("passed"), "check_id"])
    clean = sorted(set(trend["check_id"]) - ever_failed)
    runs = trend["run_id"].nunique()
    if clean:
        # English says "runs" for one run too (as it always has); German has both forms.
        st.caption(tr_n("✓ {count} checks passed in every one of the latest {runs} runs (listed under "
                        "All checks below).",
                        "✓ {count} checks passed in every one of the latest {runs} runs (listed under "
                        "All checks below).", runs).format(count=number_text(len(clean)),
                                                           runs=number_text(runs)))
    if ever_failed:
        # Altair loads here, with the one chart of the page: not for a history with nothing failing,
        # nor before the first check run (0.35 s CPU and 24 MB of the page's first run).
        from ui.quality_charts import check_history_chart

        st.altair_chart(check_history_chart(trend[trend["check_id"].isin(ever_failed)], names),
                        width="stretch")


def show_freshness(ctx: AppContext, view: QualityView) -> None:
    fresh = view.freshness.assign(latest_date=pd.to_datetime(view.freshness["latest_date"]))
    tables, touchpoints = fresh[fresh["touchpoint_id"].isna()], fresh[fresh["touchpoint_id"].notna()]
    reference = touchpoints["latest_date"].max()
    reference_text = f" ({date_text(reference)})" if pd.notna(reference) else ""
    st.caption(tr(
        "Tables: days their latest date lies behind the day the checks ran for ({as_of}). Touchpoints: days "
        "behind the warehouse's own latest data date{reference}, which is the 'as of' every page shows; a "
        "touchpoint is stale when it lags the rest, not because the warehouse loads yesterday's data today."
    ).format(as_of=date_text(view.run["as_of"]), reference=reference_text))
    tp_names = dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=False))
    named = touchpoints["touchpoint_id"].map(lambda t: tp_names.get(t, t))
    touchpoints = touchpoints.assign(touchpoint=named)
    labels = {"table_name": tr("Table"), "touchpoint": tr("Touchpoint"), "latest_date": tr("Latest data"),
              "days_behind": tr("Days behind")}
    config: dict[str, Any] = {
        labels["latest_date"]: st.column_config.DateColumn(labels["latest_date"], format=tr("D MMM YYYY")),
        labels["days_behind"]: st.column_config.NumberColumn(labels["days_behind"], format="%d"),
    }
    left, right = st.columns([2, 3])
    left.dataframe(tables[["table_name", "latest_date", "days_behind"]].rename(columns=labels),
                   hide_index=True, width="stretch", column_config=config)
    by_lag = touchpoints.sort_values("days_behind", ascending=False)[
        ["touchpoint", "latest_date", "days_behind"]]
    right.dataframe(by_lag.rename(columns=labels), hide_index=True, width="stretch", column_config=config,
                    height=280)


def show_data_docs(run: pd.Series) -> None:
    """A link to this run's Data Docs, served by the app itself (published on first view)."""
    site = local_site(run["docs_url"])
    if site is None:
        if run["docs_url"]:
            st.caption(tr("This run's Great Expectations Data Docs are not on the app's machine (the checks "
                          "ran elsewhere): run `python -m checks run` where the app runs to publish them."))
        return
    try:
        publish(site, SERVED_DOCS, str(run["run_id"]))
    except OSError as exc:
        st.warning(tr("The Data Docs cannot be published for the browser: {problem}. The app needs "
                      "write access to its static/ folder.").format(problem=literal(str(exc))))
        return
    # The address is built from our own constant and a run id checked to be letters, digits, - and _.
    address = f"{DOCS_ADDRESS}/{run['run_id']}/{RUN_PAGE}"
    st.markdown(tr("[Open the Great Expectations Data Docs of this run]({address}) — served by this app; "
                   "they show unstyled, since their styles would come from other hosts.")
                .format(address=address))
