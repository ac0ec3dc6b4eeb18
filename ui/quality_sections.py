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
from ui.context import AppContext
from ui.navigation import PAGES
from ui.quality_charts import check_history_chart
from ui.quality_loaders import QualityView
from ui.tables import WRAPPING_ROW_HEIGHT
from ui.text import literal

#: Where the app's web server serves published Data Docs from (server.enableStaticServing), and
#: the address it serves them at, relative to any page.
SERVED_DOCS = Path(__file__).resolve().parents[1] / "static" / "data-docs"
DOCS_ADDRESS = "app/static/data-docs"

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
    return ", ".join(_TITLES[p] for p in TABLE_PAGES.get(table, ()))


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
    out.loc[no_value, ["kpis", "journeys", "touchpoints"]] = "none: no value holds these rows"
    for table, what in (("budget", "none: spend figures"), ("funnel", "none: funnel figures")):
        out.loc[out["table_name"].eq(table), "kpis"] = what
    return out


def _stewards(ctx: AppContext) -> Any:
    try:
        contacts = load_contacts(ctx.settings.contacts_path)
    except (ContactsError, OSError) as exc:
        st.warning(f"The contacts file cannot be read, so no steward is named: {literal(str(exc))}")
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
    st.dataframe(
        frame[["result", "name", "kpis", "journeys", "pages", "data_since", "failing_since", "failing_count",
               "plain", "steward"]],
        hide_index=True, width="stretch", row_height=WRAPPING_ROW_HEIGHT,  # long lists wrap, never cut
        column_config={
            "result": "Result", "name": "Check", "kpis": "KPIs affected", "journeys": "Journeys affected",
            "pages": st.column_config.TextColumn("Pages affected", width="medium"),
            "data_since": st.column_config.DateColumn("Bad data since", format="D MMM YYYY",
                                                      help="Date of the first failing row in the data"),
            "failing_since": st.column_config.DatetimeColumn(
                "Seen failing since", format="D MMM YYYY, HH:mm",
                help="The first check run (UTC) of the current streak of failures"),
            "failing_count": st.column_config.NumberColumn("Failing rows", format="localized"),
            "plain": st.column_config.TextColumn("What is wrong", width="large"),
            "steward": "Data steward",
        },
    )
    st.caption("Bad data since: the date of the first failing row. Checks whose failing rows carry no "
               "date (a duplicate id, a stale touchpoint) show only when a check run first saw them. "
               "An empty steward: none is named in the contacts file (MOT_CONTACTS).")


def show_check_detail(ctx: AppContext, frame: pd.DataFrame) -> None:
    """One failing check: what it affects in words, its failing rows with names, the GE detail."""
    names = dict(zip(frame["check_id"], frame["name"], strict=True))
    chosen = st.selectbox("Check", list(names), format_func=lambda c: names[c])
    row = frame.set_index("check_id").loc[chosen]
    check = CHECKS_BY_ID.get(chosen)
    st.text(str(row["plain"]))
    since = "" if pd.isna(row["data_since"]) else f" Bad data since {date_text(row['data_since'])}."
    st.text(f"Affects KPIs: {row['kpis'] if isinstance(row['kpis'], str) else 'none'}; journeys: "
            f"{row['journeys'] if isinstance(row['journeys'], str) else 'none'}; touchpoints: "
            f"{row['touchpoints'] if isinstance(row['touchpoints'], str) else 'none'}; pages: "
            f"{row['pages'] or 'none'}.{since}")
    if check is not None and check.severity.value == "critical" and row["table_name"] in KPI_TABLES:
        st.caption("A critical check: the values it affects show as not trusted on those pages.")
    sample = sample_rows(str(row["sample_json"]))
    if sample.empty:
        st.caption("This check has no row-level sample (it failed for the table as a whole).")
    else:
        tp_names = dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=False))
        if "touchpoint_id" in sample.columns:
            sample.insert(0, "touchpoint", sample["touchpoint_id"].map(lambda t: tp_names.get(t, t)))
        config: dict[str, Any] = {c: c.replace("_", " ").capitalize() for c in sample.columns}
        for column in [c for c in sample.columns if "date" in c or c in ("month", "valid_from", "valid_to")]:
            sample[column] = pd.to_datetime(sample[column], errors="coerce")
            config[column] = st.column_config.DateColumn(config[column], format="D MMM YYYY")
        st.dataframe(sample, hide_index=True, width="stretch", column_config=config)
    show_detail = st.toggle("Show the Great Expectations detail", key=f"gx_detail_{chosen}")
    if show_detail:
        st.text(str(row["reason"]))


def show_history(view: QualityView, names: dict[str, str]) -> None:
    """The checks that failed in the latest runs as a grid; the ones that never did in one line."""
    trend = view.history
    ever_failed = set(trend.loc[trend["outcome"].ne("passed"), "check_id"])
    clean = sorted(set(trend["check_id"]) - ever_failed)
    runs = trend["run_id"].nunique()
    if clean:
        st.caption(f"✓ {number_text(len(clean))} checks passed in every one of the latest "
                   f"{number_text(runs)} runs (listed under All checks below).")
    if ever_failed:
        st.altair_chart(check_history_chart(trend[trend["check_id"].isin(ever_failed)], names),
                        width="stretch")


def show_freshness(ctx: AppContext, view: QualityView) -> None:
    fresh = view.freshness.assign(latest_date=pd.to_datetime(view.freshness["latest_date"]))
    tables, touchpoints = fresh[fresh["touchpoint_id"].isna()], fresh[fresh["touchpoint_id"].notna()]
    reference = touchpoints["latest_date"].max()
    st.caption(
        f"Tables: days their latest date lies behind the day the checks ran for "
        f"({date_text(view.run['as_of'])}). Touchpoints: days behind the warehouse's own latest data date"
        f"{' (' + date_text(reference) + ')' if pd.notna(reference) else ''}, which is the 'as of' every "
        "page shows; a touchpoint is stale when it lags the rest, not because the warehouse loads "
        "yesterday's data today.")
    tp_names = dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=False))
    named = touchpoints["touchpoint_id"].map(lambda t: tp_names.get(t, t))
    touchpoints = touchpoints.assign(touchpoint=named)
    config: dict[str, Any] = {
        "table_name": "Table", "touchpoint": "Touchpoint",
        "latest_date": st.column_config.DateColumn("Latest data", format="D MMM YYYY"),
        "days_behind": st.column_config.NumberColumn("Days behind", format="%d"),
    }
    left, right = st.columns([2, 3])
    left.dataframe(tables[["table_name", "latest_date", "days_behind"]], hide_index=True, width="stretch",
                   column_config=config)
    right.dataframe(touchpoints.sort_values("days_behind", ascending=False)[
        ["touchpoint", "latest_date", "days_behind"]], hide_index=True, width="stretch",
        column_config=config, height=280)


def show_data_docs(run: pd.Series) -> None:
    """A link to this run's Data Docs, served by the app itself (published on first view)."""
    site = local_site(run["docs_url"])
    if site is None:
        if run["docs_url"]:
            st.caption("This run's Great Expectations Data Docs are not on the app's machine (the checks "
                       "ran elsewhere): run `python -m checks run` where the app runs to publish them.")
        return
    try:
        publish(site, SERVED_DOCS, str(run["run_id"]))
    except OSError as exc:
        st.warning(f"The Data Docs cannot be published for the browser: {literal(str(exc))}. The app needs "
                   "write access to its static/ folder.")
        return
    # The address is built from our own constant and a run id checked to be letters, digits, - and _.
    address = f"{DOCS_ADDRESS}/{run['run_id']}/{RUN_PAGE}"
    st.markdown(f"[Open the Great Expectations Data Docs of this run]({address}) — served by this app; "
                "they show unstyled, since their styles would come from other hosts.")
