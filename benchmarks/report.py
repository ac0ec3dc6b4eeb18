"""Markdown tables of the benchmark figures (the README's Performance section is pasted from it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

GOAL_OURS_OVER_FLOOR = 1.5
#: Ours against the floor is a goal up to this size (1 M and 10 M rows); above it, reported only.
GOAL_OURS_OVER_FLOOR_UP_TO_ROWS = 10_000_000
GOAL_NAIVE_OVER_OURS = 20.0
GOAL_APP_PEAK_MB = 500.0
GOAL_WARM_FILTER_S = 0.3
#: p95 of the concurrent protocol sessions.
GOAL_P95_S = 2.0
#: The large point (100 M rows, benchmarks.large_point): every page's cold and warm server run.
GOAL_LARGE_COLD_S = 3.0
GOAL_LARGE_WARM_S = 0.5
#: A page's warm server run: at most this long, or at most this multiple of the blank page's.
GOAL_WARM_RUN_S = 0.1
GOAL_WARM_OVER_BLANK = 3.0
#: Concurrent browsers: p95 at most this multiple of the blank page's p95 in the same run.
GOAL_BROWSER_OVER_BLANK = 1.5
#: A full checks run.
GOAL_CHECKS_S = 60.0
GOAL_CHECKS_MB = 1024.0


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.1f}"


def _name(page: str) -> str:
    return Path(page).stem


def naive_seconds(size: dict[str, Any], page: str) -> float | None:
    naive = size.get("naive")
    return None if naive is None else naive["load_s"] + naive["pages"][page]["group_s"]


def data_table(size: dict[str, Any]) -> list[str]:
    lines = [
        f"**{size['rows']:,} fact rows**",
        "",
        "| Page | Calls | Ours (ms) | Floor (ms) | Ours / floor | Naive (ms) | Naive / ours | "
        "Metrics (ms) | Peak MB ours / floor / naive |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page, t in size["pages"].items():
        naive = naive_seconds(size, page)
        naive_ratio = "–" if naive is None else f"{naive / t['ours_s']:,.0f}x"
        peaks = [
            size.get(k, {}).get("pages", {}).get(page, {}).get("peak_mb") for k in ("ours", "floor", "naive")
        ]
        peak_text = " / ".join("–" if p is None else f"{p:,.0f}" for p in peaks)
        lines.append(
            f"| {_name(page)} | {t['calls']} | {_ms(t['ours_s'])} | {_ms(t['floor_s'])} | "
            f"{t['ours_s'] / t['floor_s']:.2f}x | {_ms(naive)} | "
            f"{naive_ratio} | {_ms(t['metrics_s'])} | {peak_text} |"
        )
    runs = [t["repeats"] for t in size["pages"].values() if "repeats" in t]
    if runs:
        lines += ["", f"Ours and the floor: medians of {min(runs)}–{max(runs)} interleaved runs per page "
                      "(more for the pages of a few ms, within about a second each)."]
    if "naive" in size:
        n = size["naive"]
        lines += [
            "",
            f"Naive = one `pandas.read_sql` of the joined fact table ({n['load_s']:.1f} s, "
            f"{n['rows_loaded']:,} rows, peak {n['load_peak_mb']:,.0f} MB) + the page's pandas grouping.",
        ]
    elif "naive_skipped" in size:
        lines += ["", f"Naive pattern not run: {size['naive_skipped']}."]
    c = size.get("checks_run")
    if c:
        cpu = f", CPU {c['cpu_s']:.1f} s" if c.get("cpu_s") is not None else ""
        lines += ["", f"Full checks run (`python -m checks run`, DuckDB memory_limit {c['memory_limit']}): "
                  f"{c['seconds']:.1f} s{cpu}, peak RSS {c['peak_mb']:,.0f} MB."]
    return lines


def server_runs_table(size: dict[str, Any]) -> list[str]:
    """The large point's cold and warm server run per page (benchmarks.large_point)."""
    r = size.get("server_runs")
    if not r:
        return []
    off = r.get("summary_off_cold_s")
    lines = [
        f"**Server runs (`streamlit run`, {size['rows']:,} fact rows)**",
        "",
        f"| Page | Cold (ms) | Warm (ms, median of {r['repeats']}) |"
        + (" Cold, summary off (ms) |" if off else ""),
        "|---|--:|--:|" + ("--:|" if off else ""),
    ]
    lines += [f"| {_name(p)} | {_ms(t['cold_s'])} | {_ms(t['warm_s'])} |"
              + (f" {_ms(off[p])} |" if off and p in off else "") for p, t in r["pages"].items()]
    summary = (
        ["With the warehouse's monthly KPI summary (touchpoint_kpis_monthly) in use; the last column is "
         "each page's cold run on a second fresh server with MOT_KPI_SUMMARY=off (every figure from the "
         f"fact table; its peak RSS {r['summary_off_app_peak_mb']:,.0f} MB)."] if off else
        ["The warehouse has no monthly KPI summary: every figure from the fact table."]
        if "summary" in r else []
    )
    start = (
        [f"Server start: {r['ready_s']:,.1f} s from launching `streamlit run` until its health check "
         f"answered (server CPU {r['ready_cpu_s']:,.1f} s), the warm start included: the server "
         "imports the first page's modules and opens the warehouse's context before it answers "
         "(ui/warm_start.py), so the first page's cold run no longer pays them."] if "ready_s" in r else []
    )
    return lines + [
        "",
        "Cold = the page's first run on a server started fresh for these runs (one protocol session, "
        "pages in the app's order, so the first page also pays what of the app's first run the server "
        "did not do at start); warm = the runs after it in the same session.",
        *start,
        *summary,
        f"App process peak RSS (VmHWM) over these runs: {r['app_peak_mb']:,.0f} MB.",
    ]


def growth_table(sizes: list[dict[str, Any]]) -> list[str]:
    if len(sizes) < 2:
        return []
    head = " | ".join(f"{s['rows'] / 1e6:.1f} M (ms)" for s in sizes)
    lines = [
        "**How our time grows with rows**",
        "",
        f"| Page | {head} | Growth (rows x{sizes[-1]['rows'] / sizes[0]['rows']:.1f}) |",
        "|---|" + "--:|" * (len(sizes) + 1),
    ]
    for page in sizes[0]["pages"]:
        times = [s["pages"][page]["ours_s"] for s in sizes]
        lines.append(
            f"| {_name(page)} | " + " | ".join(_ms(t) for t in times) + f" | x{times[-1] / times[0]:.1f} |"
        )
    return lines


def _cpu(loads: dict[str, Any]) -> str:
    """Chromium's CPU seconds for a first load and a reload ("–" where not measured)."""
    if "cold_cpu_s" not in loads:
        return "–"
    return f"{loads['cold_cpu_s']:.2f} / {loads['warm_cpu_s']:.2f}"


def _cpu_against_blank(b: dict[str, Any]) -> list[str]:
    """What one load of each page costs Chromium, as a multiple of the blank page's (the rig's
    share of the concurrent browsers' p95: ten tabs draw on the server's two cores)."""
    blank = b.get("blank_loads", {})
    cpu = {p: t for p, t in b["pages"].items() if "cold_cpu_s" in t}
    if not cpu or not blank.get("cold_cpu_s") or not blank.get("warm_cpu_s"):
        return []
    parts = []
    for key, what in (("cold_cpu_s", "first loads"), ("warm_cpu_s", "reloads")):
        ratios = {p: t[key] / blank[key] for p, t in cpu.items()}
        low, high = min(ratios, key=ratios.__getitem__), max(ratios, key=ratios.__getitem__)
        parts.append(f"{what} {ratios[low]:.1f}x ({_name(low)}) to {ratios[high]:.1f}x ({_name(high)})")
    return ["", f"Chromium's CPU for one load of each page, against the blank page's: {'; '.join(parts)}."]


def browser_table(b: dict[str, Any]) -> list[str]:
    lines = [
        f"**Browser (Chromium, `streamlit run`, {b['rows']:,} fact rows)**",
        "",
        "| Page | First load, new session (ms) | Reload (ms) | Chromium CPU, first load / reload (s) | "
        "Server run, warm (ms) | Server run / blank page |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    blank = b.get("blank_server_warm_s")
    for page, t in b["pages"].items():
        cold, warm, server = t.get("cold_s"), t.get("warm_s"), t.get("server_warm_s")
        ratio = f"{server / blank:.1f}x" if server and blank else "–"
        lines.append(
            f"| {_name(page)} | {_ms(cold) if cold else t.get('error', '–')} | {_ms(warm)} | "
            f"{_cpu(t)} | {_ms(server) if server else '–'} | {ratio} |"
        )
    loads = b.get("blank_loads", {})
    if blank:
        lines += [f"| blank page (Streamlit's floor) | {_ms(loads['cold_s']) if loads else ''} | "
                  f"{_ms(loads['warm_s']) if loads else ''} | {_cpu(loads)} | {_ms(blank)} | 1.0x |"]
    lines += [
        "",
        "Browser times run from navigation to a settled page in Chromium (it downloads, parses and "
        "draws the page too). Each page's first load opens a new browser session (an empty browser "
        "cache, as a new viewer's) and is the page's first run on the server; the reload follows in "
        "the same session. Chromium CPU is what every Chromium process spent from navigation until "
        "the page settled, on the machine's two cores. The server run is the script run alone, from "
        "request to `script_finished`, timed by a protocol client (benchmarks.sessions).",
    ]
    f = b.get("filter", {})
    if f:
        lines += [
            "",
            f"Filter change on overview ({f['what']}): cold {_ms(f['cold_s'])} ms, "
            f"warm {_ms(f['warm_s'])} ms (median of {len(f['warm_all_s'])}).",
        ]
    if b.get("filter_error"):
        lines += ["", f"Filter change not measured: {b['filter_error']}."]
    for key, what in (
        ("concurrent", "browser sessions"),
        ("protocol", "protocol sessions (no browser: the server's share)"),
        ("concurrent_blank", "browser sessions on a blank Streamlit page (the rig's share)"),
    ):
        c = b.get(key, {})
        if c:
            lines += [
                "",
                f"{c['sessions']} concurrent {what}, {c['samples']} page renders, {c['errors']} errors: "
                f"p50 {_ms(c['p50_s'])} ms, p95 {_ms(c['p95_s'])} ms, max {_ms(c['max_s'])} ms.",
            ]
    lines += _cpu_against_blank(b)
    lines += [f"App process peak RSS (VmHWM): {b['app_peak_mb']:,.0f} MB."]
    return lines


def _status(value: float, goal: float, text: str, within: bool = True) -> str:
    """"met", or "MISSED by" how far ``value`` is over ``goal`` (``text`` formats that distance)."""
    ok = value <= goal if within else value < goal
    return "met" if ok else f"MISSED by {text.format(value - goal)}"


def _rows(size: dict[str, Any]) -> str:
    return f"{size['rows'] / 1e6:.1f} M rows"


def _ours_over_floor(size: dict[str, Any]) -> tuple[str, float]:
    page, t = max(size["pages"].items(), key=lambda kv: kv[1]["ours_s"] / kv[1]["floor_s"])
    return _name(page), t["ours_s"] / t["floor_s"]


def data_goals(figures: dict[str, Any]) -> list[str]:
    """Ours against the floor and the naive read, per warehouse size."""
    lines = []
    for size in figures["sizes"]:
        page, ratio = _ours_over_floor(size)
        if size.get("requested_rows", size["rows"]) > GOAL_OURS_OVER_FLOOR_UP_TO_ROWS:
            lines.append(f"- Ours against the floor at {_rows(size)} (no goal): worst {page} {ratio:.2f}x.")
            continue
        status = _status(ratio, GOAL_OURS_OVER_FLOOR, "{:.2f}x")
        lines.append(
            f"- Ours within {GOAL_OURS_OVER_FLOOR}x of the floor at {_rows(size)}: {status} (worst {page} "
            f"{ratio:.2f}x)."
        )
    with_naive = [s for s in figures["sizes"] if "naive" in s]
    if with_naive:
        big = with_naive[-1]
        least = min(naive_seconds(big, p) / t["ours_s"] for p, t in big["pages"].items())
        lines.append(
            f"- Naive at least {GOAL_NAIVE_OVER_OURS:.0f}x slower at {_rows(big)}: "
            f"{'met' if least >= GOAL_NAIVE_OVER_OURS else 'MISSED'} (least {least:,.0f}x)."
        )
    for size in figures["sizes"]:
        c = size.get("checks_run")
        if c:
            cpu = f", CPU {c['cpu_s']:.1f} s" if c.get("cpu_s") is not None else ""
            seconds = _status(c["seconds"], GOAL_CHECKS_S, "{:.1f} s", within=False)
            peak = _status(c["peak_mb"], GOAL_CHECKS_MB, "{:,.0f} MB", within=False)
            at = _rows(size)
            lines += [
                f"- Checks run under {GOAL_CHECKS_S:.0f} s at {at}: {seconds} ({c['seconds']:.1f} s{cpu}).",
                f"- Checks run under {GOAL_CHECKS_MB:,.0f} MB at {at}: {peak} ({c['peak_mb']:,.0f} MB).",
            ]
    return lines


def large_point_goals(figures: dict[str, Any]) -> list[str]:
    """Every page's cold and warm server run and the app's peak memory on the large warehouses."""
    lines = []
    for size in figures["sizes"]:
        r = size.get("server_runs")
        if not r:
            continue
        for key, goal, what in (("cold_s", GOAL_LARGE_COLD_S, "cold"), ("warm_s", GOAL_LARGE_WARM_S, "warm")):
            runs = {_name(p): t[key] for p, t in r["pages"].items()}
            slowest = max(runs, key=lambda p: runs[p])
            lines.append(
                f"- Every page's {what} server run under {goal * 1000:,.0f} ms at {_rows(size)}: "
                f"{_pages_status(runs, goal, within=False)} "
                f"(slowest {slowest} {runs[slowest] * 1000:,.0f} ms)."
            )
        lines.append(_memory_goal(r["app_peak_mb"], _rows(size)))
    return lines


def _pages_status(runs: dict[str, float], limit: float, within: bool = True) -> str:
    """"met", or "MISSED: " and each page over ``limit`` seconds with how far (``within``: the limit
    itself still meets the goal)."""
    missed = [f"{page} by {(s - limit) * 1000:,.0f} ms" for page, s in runs.items()
              if (s > limit if within else s >= limit)]
    return "met" if not missed else "MISSED: " + ", ".join(missed)


def _memory_goal(peak: float, at: str) -> str:
    """The app-memory goal's line for a peak (MB) measured ``at`` a warehouse size."""
    return (f"- App peak memory under {GOAL_APP_PEAK_MB:,.0f} MB at {at}: "
            f"{_status(peak, GOAL_APP_PEAK_MB, '{:,.0f} MB', within=False)} ({peak:,.0f} MB).")


def browser_goals(b: dict[str, Any]) -> list[str]:
    """The goals measured on the browser size (10 M rows): app memory, filter change, sessions, warm runs."""
    at = f"{b['rows'] / 1e6:.1f} M rows"
    lines = []
    blank = b.get("blank_server_warm_s")
    runs = {p: t["server_warm_s"] for p, t in b["pages"].items() if t.get("server_warm_s")}
    if runs and blank:
        limit = max(GOAL_WARM_RUN_S, GOAL_WARM_OVER_BLANK * blank)
        worst = max(runs, key=lambda p: runs[p])
        lines.append(
            f"- Every page's warm server run <= {GOAL_WARM_RUN_S * 1000:.0f} ms or <= "
            f"{GOAL_WARM_OVER_BLANK:.0f}x the blank page ({blank * 1000:.0f} ms) at {at}: "
            f"{_pages_status({_name(p): r for p, r in runs.items()}, limit)} (slowest {_name(worst)} "
            f"{runs[worst] * 1000:,.0f} ms, {runs[worst] / blank:.1f}x)."
        )
    cb, cn = b.get("concurrent_blank"), b.get("concurrent")
    if cb and cn and cb.get("p95_s"):
        ratio = cn["p95_s"] / cb["p95_s"]
        lines.append(
            f"- p95 of {cn['sessions']} concurrent browsers <= {GOAL_BROWSER_OVER_BLANK}x the blank page's: "
            f"{_status(ratio, GOAL_BROWSER_OVER_BLANK, '{:.1f}x')} ({ratio:.1f}x: "
            f"{cn['p95_s'] * 1000:,.0f} ms against {cb['p95_s'] * 1000:,.0f} ms)."
        )
    if b.get("protocol"):
        p95 = b["protocol"]["p95_s"] * 1000
        status = _status(p95, GOAL_P95_S * 1000, "{:,.0f} ms", within=False)
        lines.append(
            f"- p95 of {b['protocol']['sessions']} concurrent protocol sessions under "
            f"{GOAL_P95_S * 1000:,.0f} ms: {status} ({p95:,.0f} ms)."
        )
    if b.get("filter"):
        warm = b["filter"]["warm_s"] * 1000
        lines.append(
            f"- Warm filter change under {GOAL_WARM_FILTER_S * 1000:,.0f} ms: "
            f"{_status(warm, GOAL_WARM_FILTER_S * 1000, '{:,.0f} ms', within=False)} ({warm:,.0f} ms)."
        )
    lines.append(_memory_goal(b["app_peak_mb"], at))
    return lines


def goals(figures: dict[str, Any]) -> list[str]:
    lines = ["**Goals**", "", *data_goals(figures)]
    if figures.get("browser"):
        lines += browser_goals(figures["browser"])
    return lines + large_point_goals(figures)


def render(figures: dict[str, Any]) -> str:
    m = figures["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['os']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']}, pandas {m['pandas']}, SQLAlchemy {m['sqlalchemy']}, Streamlit "
        f"{m['streamlit']}; load average at start {', '.join(f'{x:.1f}' for x in m['load_average'])}.",
        f"Command: `{figures['command']}` ({figures.get('elapsed_s', 0) / 60:.1f} min).",
        "",
    ]
    for size in figures["sizes"]:
        lines += data_table(size) + [""]
        lines += server_runs_table(size) + ([""] if size.get("server_runs") else [])
    lines += growth_table(figures["sizes"]) + [""]
    if figures.get("browser"):
        lines += browser_table(figures["browser"]) + [""]
    for page, why in figures.get("no_warehouse_calls", {}).items():
        lines += [f"{_name(page)} is not in the data tables: it {why}.", ""]
    if figures.get("not_covered"):
        lines += [f"Pages without a workload yet: {', '.join(map(_name, figures['not_covered']))}.", ""]
    return "\n".join(lines + goals(figures))
