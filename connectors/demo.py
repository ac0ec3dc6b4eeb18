"""The deterministic demo warehouse: a telecom-like company with five customer journeys.

``generate`` builds one frame per canonical table (metrics.model.TABLES) from a seed and a last day
``end``; nothing reads the clock. The same arguments give the same frames; another ``end`` gives the
same company (touchpoints, targets' levels, faults at the same distance from the end) on other
calendar days. Choices written down here because the design is silent on them:

- date columns are pandas ``datetime64[us]`` at midnight; the writer stores them as SQL DATE;
- ``reach`` is a sum KPI, so its fact rows have a null denominator, and it gets no target (a reach
  target depends on the period length and the budget, so a single number would mislead);
- targets run per calendar year (Jan 1 - Dec 31) and tighten every year; the latest is open-ended;
- each touchpoint's reach follows that month's actual spend with diminishing returns:
  ``reach ∝ organic + paid * (1 - exp(-spend / typical_spend))``, so response curves can be fitted;
- the faults in ``INJECTED_FAULTS`` sit on a few named touchpoints, so most data stays clean;
- the demo file records how it was built (connectors/demo_file.py); the app rebuilds it with the
  same size and seed once its data ends before yesterday (``rebuild_demo``).

CLI: ``python -m connectors.demo --out data/demo.duckdb [--end YYYY-MM-DD] [--touchpoints N]
[--years N] [--clean]``; ``--end`` defaults to yesterday.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from connectors._demo_catalogue import JOURNEYS, STAGES, touchpoint_frame
from connectors._demo_facts import Calendar, simulate
from connectors._demo_writer import PhysicalNames, write_kpi_summary, write_warehouse
from connectors.demo_file import BeforePublish, DemoInfo, demo_end_for, read_demo_info, write_demo_file
from metrics.formatting import number_text
from metrics.i18n import tr
from metrics.model import COLUMN_KINDS, TABLES
from metrics.registry import DEFAULT_KPIS

__all__ = ["build_demo_file", "FUTURE_SHIFT_DAYS", "generate", "INJECTED_FAULTS", "main", "MIN_TOUCHPOINTS",
    "PhysicalNames", "rebuild_demo", "UNKNOWN_KPI", "UNKNOWN_TOUCHPOINT", "write_kpi_summary",
    "write_warehouse"]

#: The fewest touchpoints that still hold the degrading moment of truth and every faulty one.
MIN_TOUCHPOINTS = 8


@dataclass(frozen=True)
class InjectedFault:
    fault_id: str
    table: str
    description: str
    touchpoint_id: str | None


UNKNOWN_TOUCHPOINT = "tp_legacy_kiosk"
UNKNOWN_KPI = "sentiment_score"

# The descriptions document the faults for tests and readers of the code; no page shows them.
INJECTED_FAULTS: tuple[InjectedFault, ...] = (  # i18n: not shown
    InjectedFault("duplicate_rows", "touchpoint_kpis",
                  "Every fact row of three days is loaded twice.", "tp_buy_web_shop"),
    InjectedFault("orphan_touchpoint", "touchpoint_kpis",
                  "Reach rows for 30 days from a touchpoint that is not in touchpoints.",
                  UNKNOWN_TOUCHPOINT),
    InjectedFault("csat_out_of_range", "touchpoint_kpis",
                  "CSAT above 5 (numerator > 5 x denominator) on four days.", "tp_buy_store_advice"),
    InjectedFault("bad_denominator", "touchpoint_kpis",
                  "First-contact resolution with zero (two days) and negative (two days) "
                  "denominators.", "tp_fault_chat"),
    InjectedFault("future_dates", "touchpoint_kpis",
                  "The last three days loaded again a year ahead (a mistyped year).", "tp_renew_app_offer"),
    InjectedFault("stale_touchpoint", "touchpoint_kpis",
                  "The touchpoint's data stops ten days before the end.", "tp_switch_social_ads"),
    InjectedFault("volume_drop", "touchpoint_kpis",
                  "About 90% of the fact rows of one day in the last month are missing.", None),
    InjectedFault("overlapping_targets", "targets",
                  "Two NPS targets for journey 'move' in force at the same time.", None),
    InjectedFault("negative_budget", "budget",
                  "A negative planned budget in one month.", "tp_move_mailing"),
    InjectedFault("unknown_kpi", "touchpoint_kpis",
                  "A fact row with a KPI id that is not in kpis.", "tp_buy_web_shop"),
)

#: Days before ``end`` on which the dated faults sit (chosen not to overlap each other).
_DUPLICATE_DAYS = (60, 61, 62)
_CSAT_DAYS = (45, 44, 43, 42)
_ZERO_DEN_DAYS = (30, 29)
_NEGATIVE_DEN_DAYS = (28, 27)
_VOLUME_DROP_DAY = 20
_STALE_DAYS = 10
_ORPHAN_DAYS = range(100, 70, -1)
_UNKNOWN_KPI_DAY = 5


def generate(
    touchpoints: int = 40,
    years: int = 3,
    seed: int = 7,
    *,
    end: dt.date,
    faults: bool = True,
) -> dict[str, pd.DataFrame]:
    """One frame per canonical table with data up to ``end``, deterministic for the arguments."""
    if touchpoints < MIN_TOUCHPOINTS:
        raise ValueError(tr("touchpoints must be at least {least}, got {count}").format(
            least=MIN_TOUCHPOINTS, count=touchpoints))
    if not 1 <= years <= 30:
        raise ValueError(tr("years must be between 1 and 30, got {count}").format(count=years))
    seeds = np.random.SeedSequence(seed).spawn(3)
    calendar = Calendar.build(end, years)
    tps = touchpoint_frame(touchpoints, np.random.default_rng(seeds[0]))
    simulated = simulate(tps, calendar, np.random.default_rng(seeds[1]))
    frames = {
        "journeys": pd.DataFrame(
            [(j.journey_id, j.name, j.persona, j.owner, j.description) for j in JOURNEYS],
            columns=list(TABLES["journeys"]),
        ),
        "stages": _stages_frame(),
        "touchpoints": tps,
        "kpis": _kpis_frame(),
        **simulated,
    }
    if faults:
        frames = _inject_faults(frames, end, np.random.default_rng(seeds[2]))
    return {name: conform(frames[name], name) for name in TABLES}


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The canonical columns in order, with the dtypes of COLUMN_KINDS."""
    out = frame.loc[:, list(TABLES[table])].reset_index(drop=True)
    for column, kind in COLUMN_KINDS[table].items():
        if kind == "date":
            out[column] = pd.to_datetime(out[column]).astype("datetime64[us]").dt.normalize()
        elif kind == "str":
            out[column] = out[column].astype("str")
        elif kind == "int":
            out[column] = out[column].astype("int64")
        elif kind == "float":
            out[column] = out[column].astype("float64")
        else:
            out[column] = out[column].astype("bool")
    return out


def _stages_frame() -> pd.DataFrame:
    rows = [
        (f"{journey_id}.{key}", journey_id, name, position)
        for journey_id, stages in STAGES.items()
        for position, (key, name) in enumerate(stages, start=1)
    ]
    return pd.DataFrame(rows, columns=list(TABLES["stages"]))


def _kpis_frame() -> pd.DataFrame:
    rows = [
        (k.kpi_id, k.name, k.unit.value, k.direction.value, k.aggregation.value, k.scale, k.description)
        for k in DEFAULT_KPIS
    ]
    return pd.DataFrame(rows, columns=list(TABLES["kpis"]))


# --- faults ------------------------------------------------------------------------------------


def _days_before(end: dt.date, days: tuple[int, ...] | range) -> list[pd.Timestamp]:
    return [pd.Timestamp(end - dt.timedelta(days=d)) for d in days]


def _inject_faults(
    frames: dict[str, pd.DataFrame], end: dt.date, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    facts = frames["touchpoint_kpis"]
    facts = _drop_volume(facts, end, rng)
    facts = _break_values(facts, end)
    facts = _add_rows(facts, end)
    stale_tp = "tp_switch_social_ads"
    cutoff = pd.Timestamp(end - dt.timedelta(days=_STALE_DAYS))
    facts = facts[~((facts["touchpoint_id"] == stale_tp) & (facts["date"] > cutoff))]
    return {
        **frames,
        "touchpoint_kpis": facts,
        "targets": _overlap_targets(frames["targets"], end),
        "budget": _negative_budget(frames["budget"]),
    }


def _drop_volume(facts: pd.DataFrame, end: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    day = pd.Timestamp(end - dt.timedelta(days=_VOLUME_DROP_DAY))
    on_day = (facts["date"] == day).to_numpy()
    drop = on_day & (rng.random(len(facts)) < 0.9)
    return facts[~drop]


def _break_values(facts: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    facts = facts.copy()
    tp, kpi, date = facts["touchpoint_id"], facts["kpi_id"], facts["date"]
    csat = (tp == "tp_buy_store_advice") & (kpi == "csat") & date.isin(_days_before(end, _CSAT_DAYS))
    facts.loc[csat, "numerator"] = facts.loc[csat, "denominator"] * 6.5
    fcr = (tp == "tp_fault_chat") & (kpi == "first_contact_resolution")
    zero = fcr & date.isin(_days_before(end, _ZERO_DEN_DAYS))
    facts.loc[zero, ["numerator", "denominator"]] = 0.0
    negative = fcr & date.isin(_days_before(end, _NEGATIVE_DEN_DAYS))
    facts.loc[negative, "denominator"] = -facts.loc[negative, "denominator"]
    return facts


FUTURE_SHIFT_DAYS = 365


def _add_rows(facts: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    tp, date = facts["touchpoint_id"], facts["date"]
    duplicates = facts[(tp == "tp_buy_web_shop") & date.isin(_days_before(end, _DUPLICATE_DAYS))]
    last_days = facts[(tp == "tp_renew_app_offer") & (date > pd.Timestamp(end - dt.timedelta(days=3)))]
    # A mistyped year: a year after the end, so still in the future on any day the demo is used
    # (the app rebuilds it once its data ends before yesterday).
    future = last_days.assign(date=last_days["date"] + pd.Timedelta(days=FUTURE_SHIFT_DAYS))
    orphan_dates = _days_before(end, _ORPHAN_DAYS)
    orphans = pd.DataFrame({
        "date": orphan_dates,
        "touchpoint_id": UNKNOWN_TOUCHPOINT,
        "kpi_id": "reach",
        "numerator": np.arange(len(orphan_dates), dtype=float) + 120.0,
        "denominator": np.nan,
    })
    unknown_kpi = pd.DataFrame({
        "date": _days_before(end, (_UNKNOWN_KPI_DAY,)),
        "touchpoint_id": "tp_buy_web_shop",
        "kpi_id": UNKNOWN_KPI,
        "numerator": [412.0],
        "denominator": [500.0],
    })
    return pd.concat([facts, duplicates, future, orphans, unknown_kpi], ignore_index=True)


def _overlap_targets(targets: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    mask = (targets["kpi_id"] == "nps") & (targets["scope"] == "journey") & (targets["scope_id"] == "move")
    latest = targets[mask].sort_values("valid_from").tail(1)
    # In force by the end even when the demo ends in the first half of a year.
    extra = latest.assign(
        valid_from=pd.Timestamp(min(dt.date(end.year, 7, 1), end)),
        valid_to=pd.Series(pd.NaT, index=latest.index, dtype="datetime64[us]"),
        target=latest["target"] + 5.0,
    )
    return pd.concat([targets, extra], ignore_index=True)


def _negative_budget(budget: pd.DataFrame) -> pd.DataFrame:
    budget = budget.copy()
    rows = budget.index[budget["touchpoint_id"] == "tp_move_mailing"]
    row = rows[len(rows) // 2]
    budget.loc[row, "planned"] = -abs(float(budget.loc[row, "planned"])) - 1.0
    return budget


# --- the demo file and the CLI -----------------------------------------------------------------


def build_demo_file(
    path: Path,
    *,
    end: dt.date,
    touchpoints: int = 40,
    years: int = 3,
    seed: int = 7,
    faults: bool = True,
    before_publish: BeforePublish | None = None,
) -> Path:
    """Generate the demo and write it as a DuckDB file, atomically (never left half-written).

    ``before_publish`` gets the finished file under a temporary name before it replaces ``path``.
    """
    info = DemoInfo(end, touchpoints, years, seed, faults)
    return write_demo_file(Path(path), info, _frames(info), before_publish)


def rebuild_demo(path: Path, today: dt.date, before_publish: BeforePublish | None = None) -> DemoInfo:
    """Rebuild the demo file to end yesterday, with the size, seed and faults it was built with.

    A file without a record (missing, or written before there was one) gets the defaults.
    """
    recorded = read_demo_info(path) or DemoInfo(end=demo_end_for(today))
    info = dataclasses.replace(recorded, end=demo_end_for(today))
    write_demo_file(Path(path), info, _frames(info), before_publish)
    return info


def _frames(info: DemoInfo) -> dict[str, pd.DataFrame]:
    return generate(info.touchpoints, info.years, info.seed, end=info.end, faults=info.faults)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("not a date in YYYY-MM-DD form: {text}").format(
            text=repr(text))) from None


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("not a whole number: {text}").format(text=repr(text))) from None
    if value < 0:
        raise argparse.ArgumentTypeError(tr("must be 0 or more, got {value}").format(value=value))
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.demo",
        description=tr("Build the deterministic demo warehouse as a DuckDB file."),
    )
    parser.add_argument("--out", type=Path, required=True, help=tr("DuckDB file to write"))
    parser.add_argument("--touchpoints", type=int, default=40, help=tr("number of touchpoints (40)"))
    parser.add_argument("--years", type=int, default=3, help=tr("years of daily data (3)"))
    parser.add_argument("--seed", type=_seed, default=7, help=tr("random seed, 0 or more (7)"))
    parser.add_argument("--end", type=_parse_date, default=None,
                        help=tr("last day of data, YYYY-MM-DD (default: yesterday)"))
    parser.add_argument("--clean", action="store_true", help=tr("no injected data faults"))
    return parser


def _check_out(parser: argparse.ArgumentParser, out: Path) -> None:
    if out.is_dir():
        parser.error(tr("--out {path} is a folder; give the file to write, e.g. {example}").format(
            path=repr(str(out)), example=out / "demo.duckdb"))
    above = next((p for p in out.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        parser.error(tr("--out {path} cannot be written: {above} is a file, not a folder").format(
            path=repr(str(out)), above=repr(str(above))))


def main(argv: list[str] | None = None, today: dt.date | None = None) -> int:
    """The CLI; ``today`` (default: the clock, read here) gives the default ``--end``."""
    from connectors.runtime import apply_language  # only the CLI needs the settings machinery

    apply_language()  # MOT_LANGUAGE before the first text
    parser = _parser()
    args = parser.parse_args(argv)
    _check_out(parser, args.out)
    end = args.end or demo_end_for(today or dt.date.today())
    info = DemoInfo(end, args.touchpoints, args.years, args.seed, faults=not args.clean)
    started = time.perf_counter()
    try:
        frames = _frames(info)
    except ValueError as error:
        parser.error(str(error))
    generated = time.perf_counter()
    try:
        write_demo_file(args.out, info, frames)
    except (OSError, sa.exc.SQLAlchemyError) as error:
        reason = getattr(error, "strerror", None) or str(getattr(error, "orig", None) or error)
        print(tr("error: could not write {path}: {reason}. Choose a file in a folder you may write.").format(
            path=args.out, reason=reason), file=sys.stderr)
        return 1
    done = time.perf_counter()
    for name, frame in frames.items():
        print(tr("{table} {count} rows").format(table=f"{name:<16}", count=f"{number_text(len(frame)):>12}"))
    print(tr("generated in {generated} s, written in {written} s to {path} (data up to {end})").format(
        generated=number_text(generated - started, 1), written=number_text(done - generated, 1),
        path=args.out, end=info.end))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
