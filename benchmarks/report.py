"""Markdown tables of the benchmark figures (the README's Performance section is pasted from it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

GOAL_OURS_OVER_FLOOR = 1.5
GOAL_NAIVE_OVER_OURS = 20.0
GOAL_APP_PEAK_MB = 500.0
GOAL_WARM_FILTER_S = 0.3
GOAL_P95_S = 2.0
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
        lines += ["", f"Full checks run (`python -m checks run`, DuckDB memory_limit {c['memory_limit']}): "
                  f"{c['seconds']:.1f} s, peak RSS {c['peak_mb']:,.0f} MB."]
    return lines


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


def browser_table(b: dict[str, Any]) -> list[str]:
    lines = [
        f"**Browser (Chromium, `streamlit run`, {b['rows']:,} fact rows)**",
        "",
        "| Page | First load, cold cache (ms) | Reload, warm cache (ms) | Server run, warm (ms) | "
        "Server run / blank page |",
        "|---|--:|--:|--:|--:|",
    ]
    blank = b.get("blank_server_warm_s")
    for page, t in b["pages"].items():
        cold, warm, server = t.get("cold_s"), t.get("warm_s"), t.get("server_warm_s")
        ratio = f"{server / blank:.1f}x" if server and blank else "–"
        lines.append(
            f"| {_name(page)} | {_ms(cold) if cold else t.get('error', '–')} | {_ms(warm)} | "
            f"{_ms(server) if server else '–'} | {ratio} |"
        )
    if blank:
        lines += [f"| blank page (Streamlit's floor) | | | {_ms(blank)} | 1.0x |"]
    lines += [
        "",
        "Browser times run from navigation to a settled page in Chromium (it downloads, parses and "
        "draws the page too); the server run is the script run alone, from request to "
        "`script_finished`, timed by a protocol client (benchmarks.sessions).",
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
    lines += [f"App process peak RSS (VmHWM): {b['app_peak_mb']:,.0f} MB."]
    return lines


def goals(figures: dict[str, Any]) -> list[str]:
    lines = ["**Goals**", ""]
    for size in figures["sizes"]:
        worst = max(size["pages"].items(), key=lambda kv: kv[1]["ours_s"] / kv[1]["floor_s"])
        ratio = worst[1]["ours_s"] / worst[1]["floor_s"]
        lines.append(
            f"- Ours within {GOAL_OURS_OVER_FLOOR}x of the floor at {size['rows'] / 1e6:.1f} M rows: "
            f"{'met' if ratio <= GOAL_OURS_OVER_FLOOR else 'MISSED'} (worst {_name(worst[0])} {ratio:.2f}x)."
        )
    big = figures["sizes"][-1]
    if "naive" in big:
        least = min(naive_seconds(big, p) / t["ours_s"] for p, t in big["pages"].items())
        lines.append(
            f"- Naive at least {GOAL_NAIVE_OVER_OURS:.0f}x slower at {big['rows'] / 1e6:.1f} M rows: "
            f"{'met' if least >= GOAL_NAIVE_OVER_OURS else 'MISSED'} (least {least:,.0f}x)."
        )
    for size in figures["sizes"]:
        c = size.get("checks_run")
        if c:
            ok = c["seconds"] < GOAL_CHECKS_S and c["peak_mb"] < GOAL_CHECKS_MB
            lines.append(
                f"- Checks run under {GOAL_CHECKS_S:.0f} s and {GOAL_CHECKS_MB:,.0f} MB at "
                f"{size['rows'] / 1e6:.1f} M rows: {'met' if ok else 'MISSED'} ({c['seconds']:.1f} s, "
                f"{c['peak_mb']:,.0f} MB)."
            )
    b = figures.get("browser")
    if b:
        checks = [("App peak memory", b["app_peak_mb"], GOAL_APP_PEAK_MB, "MB", 1)]
        if b.get("filter"):
            checks.append(("Warm filter change", b["filter"]["warm_s"], GOAL_WARM_FILTER_S, "ms", 1000))
        if b.get("concurrent"):
            checks.append(("p95 with concurrent browsers", b["concurrent"]["p95_s"], GOAL_P95_S, "ms", 1000))
        if b.get("protocol"):
            p95 = b["protocol"]["p95_s"]
            checks.append(("p95 with concurrent protocol sessions", p95, GOAL_P95_S, "ms", 1000))
        blank = b.get("blank_server_warm_s")
        runs = {p: t["server_warm_s"] for p, t in b["pages"].items() if t.get("server_warm_s")}
        if runs and blank:
            limit = max(GOAL_WARM_RUN_S, GOAL_WARM_OVER_BLANK * blank)
            missed = [_name(p) for p, r in runs.items() if r > limit]
            worst = max(runs, key=lambda p: runs[p])
            lines.append(
                f"- Every page's warm server run <= {GOAL_WARM_RUN_S * 1000:.0f} ms or <= "
                f"{GOAL_WARM_OVER_BLANK:.0f}x the blank page ({blank * 1000:.0f} ms): "
                f"{'met' if not missed else 'MISSED by ' + ', '.join(missed)} (slowest {_name(worst)} "
                f"{runs[worst] * 1000:,.0f} ms, {runs[worst] / blank:.1f}x)."
            )
        cb, cn = b.get("concurrent_blank"), b.get("concurrent")
        if cb and cn and cb.get("p95_s"):
            ratio = cn["p95_s"] / cb["p95_s"]
            lines.append(
                f"- p95 of concurrent browsers <= {GOAL_BROWSER_OVER_BLANK}x the blank page's: "
                f"{'met' if ratio <= GOAL_BROWSER_OVER_BLANK else 'MISSED'} ({ratio:.1f}x)."
            )
        for label, value, goal, unit, scale in checks:
            status = "met" if value <= goal else f"MISSED by {(value - goal) * scale:,.0f} {unit}"
            lines.append(
                f"- {label} under {goal * scale:,.0f} {unit}: {status} ({value * scale:,.0f} {unit})."
            )
    return lines


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
    lines += growth_table(figures["sizes"]) + [""]
    if figures.get("browser"):
        lines += browser_table(figures["browser"]) + [""]
    for page, why in figures.get("no_warehouse_calls", {}).items():
        lines += [f"{_name(page)} is not in the data tables: it {why}.", ""]
    if figures.get("not_covered"):
        lines += [f"Pages without a workload yet: {', '.join(map(_name, figures['not_covered']))}.", ""]
    return "\n".join(lines + goals(figures))
