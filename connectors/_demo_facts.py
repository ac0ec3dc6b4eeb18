"""The demo's numbers: daily KPI facts, funnel, budget and targets, vectorised with numpy.

Every matrix is touchpoints x days (or x months); there is no Python loop over days. KPI levels are
drawn relative to the target in force at the end, so the dashboard shows a mix of on target, at
risk and off target; levels and targets both tighten year by year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from connectors._demo_catalogue import CHANNELS, DEGRADING_MOT, JOURNEYS, STAGES, touchpoint_kpis
from metrics.model import TABLES, TARGET_SCOPE_PRIORITY, Unit
from metrics.registry import DEFAULT_KPIS

_KPIS = {k.kpi_id: k for k in DEFAULT_KPIS}


@dataclass(frozen=True)
class TargetSetting:
    target: float  # in force at the end (latest year), at scope "all"
    tolerance: float
    step: float  # how much tighter per year
    stretch: float | None  # distance of the stretch goal beyond the target
    decimals: int


TARGET_SETTINGS: dict[str, TargetSetting] = {
    "engagement_rate": TargetSetting(14.0, 2.0, 0.5, 3.0, 1),
    "conversion_rate": TargetSetting(22.0, 3.0, 0.5, None, 1),
    "drop_off_rate": TargetSetting(18.0, 3.0, 0.5, None, 1),
    "csat": TargetSetting(4.2, 0.2, 0.05, 0.3, 2),
    "nps": TargetSetting(30.0, 8.0, 2.0, 15.0, 0),
    "ces": TargetSetting(2.8, 0.3, 0.1, None, 2),
    "first_contact_resolution": TargetSetting(75.0, 5.0, 1.0, 10.0, 1),
    "response_time": TargetSetting(180.0, 30.0, 10.0, None, 0),
    "repeat_purchase_rate": TargetSetting(35.0, 4.0, 1.0, None, 1),
}

#: Survey KPIs: share of reached customers who answer, and the spread of one answer.
_SURVEY = {"csat": (0.08, 0.9), "ces": (0.06, 1.1), "nps": (0.05, 0.75)}
_DEGRADE_DAYS = 182
_SpecKey = tuple[str, str, str | None]


@dataclass(frozen=True)
class Calendar:
    end: dt.date
    dates: np.ndarray  # datetime64[D], start..end
    days_before_end: np.ndarray  # int, end = 0
    dow: np.ndarray  # Monday = 0
    doy: np.ndarray
    months: np.ndarray  # datetime64[D], first day of every month in range
    month_index: np.ndarray  # per day, index into months
    years: tuple[int, ...]

    @classmethod
    def build(cls, end: dt.date, years: int) -> Calendar:
        start = (pd.Timestamp(end) - pd.DateOffset(years=years) + pd.Timedelta(days=1)).date()
        dates = np.arange(np.datetime64(start), np.datetime64(end) + 1, dtype="datetime64[D]")
        month = dates.astype("datetime64[M]")
        months = np.unique(month)
        day_numbers = dates.astype(np.int64)
        return cls(
            end=end,
            dates=dates,
            days_before_end=day_numbers[-1] - day_numbers,
            dow=(day_numbers + 3) % 7,  # 1970-01-01 was a Thursday
            doy=(dates - dates.astype("datetime64[Y]")).astype(np.int64) + 1,
            months=months.astype("datetime64[D]"),
            month_index=(month - months[0]).astype(np.int64),
            years=tuple(range(start.year, end.year + 1)),
        )


def simulate(tps: pd.DataFrame, cal: Calendar, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    planned, actual, typical = _spend(tps, cal, rng)
    paid = np.array([CHANNELS[c].paid_share for c in tps["channel"]])[:, None]
    # Diminishing returns: the typical spend buys 63% of what unlimited spend would.
    response = (1 - paid) + paid * (1 - np.exp(-actual / typical[:, None])) / (1 - np.exp(-1.0))
    yearly = _yearly(tps["journey_id"].map({j.journey_id: j.peak_day for j in JOURNEYS}), cal)
    reach = _reach(tps, cal, response, yearly, rng)
    specs = _target_specs(tps, rng)
    return {
        "touchpoint_kpis": _facts(tps, cal, reach, yearly, specs, rng),
        "targets": _targets_frame(specs, cal),
        "budget": _budget_frame(tps, cal, planned, actual, rng),
        "funnel": _funnel_frame(cal, rng),
    }


def _yearly(peak_day: pd.Series, cal: Calendar) -> np.ndarray:
    phase = (cal.doy[None, :] - peak_day.to_numpy(dtype=float)[:, None]) / 365.25
    return 1 + 0.25 * np.cos(2 * np.pi * phase)


def _spend(tps: pd.DataFrame, cal: Calendar, rng: np.random.Generator):
    """Planned and actual monthly spend: yearly budget shifts, campaign bursts and pauses."""
    n, m = len(tps), len(cal.months)
    typical = np.array([CHANNELS[c].monthly_spend for c in tps["channel"]]) * rng.lognormal(0, 0.4, n)
    month_year = cal.months.astype("datetime64[Y]").astype(np.int64) + 1970 - cal.years[0]
    year_factor = rng.lognormal(0, 0.25, (n, len(cal.years)))[:, month_year]
    burst = np.where(rng.random((n, m)) < 0.12, rng.uniform(1.8, 3.0, (n, m)), 1.0)
    pause = np.where(rng.random((n, m)) < 0.05, 0.15, 1.0)
    planned = np.round(typical[:, None] * year_factor * burst * pause, -1)
    actual = np.round(planned * rng.lognormal(0, 0.08, (n, m)))
    return planned, actual, typical


def _reach(tps: pd.DataFrame, cal: Calendar, response: np.ndarray, yearly: np.ndarray,
           rng: np.random.Generator) -> np.ndarray:
    n, d = len(tps), len(cal.dates)
    base = np.array([CHANNELS[c].daily_reach for c in tps["channel"]]) * rng.lognormal(0, 0.5, n)
    weekly = np.array([CHANNELS[c].weekly for c in tps["channel"]])[:, cal.dow]
    trend = np.exp(rng.normal(0.04, 0.08, n)[:, None] * (-cal.days_before_end[None, :] / 365.0))
    lam = base[:, None] * weekly * yearly * trend * response[:, cal.month_index]
    lam *= rng.lognormal(0, 0.1, (n, d))
    return np.maximum(rng.poisson(lam), 1).astype(np.int64)


# --- targets -----------------------------------------------------------------------------------


def _sign(kpi_id: str) -> float:
    return 1.0 if _KPIS[kpi_id].higher_is_better else -1.0


def _effective(specs: dict[_SpecKey, float], kpi: str, tp: pd.Series) -> float:
    ids = {"touchpoint": tp["touchpoint_id"], "stage": tp["stage_id"], "journey": tp["journey_id"]}
    for scope in TARGET_SCOPE_PRIORITY:
        key = (kpi, scope.value, ids.get(scope.value))
        if key in specs:
            return specs[key]
    raise KeyError(kpi)


def _target_specs(tps: pd.DataFrame, rng: np.random.Generator) -> dict[_SpecKey, float]:
    """The target in force at the end per (kpi, scope, scope_id)."""
    specs: dict[_SpecKey, float] = {(k, "all", None): s.target for k, s in TARGET_SETTINGS.items()}
    for journey in JOURNEYS:
        for kpi in ("csat", "nps"):
            s = TARGET_SETTINGS[kpi]
            specs[(kpi, "journey", journey.journey_id)] = round(
                s.target + rng.normal(0, 0.5) * s.tolerance, s.decimals)
    for stage_id in ("buy.purchase", "switch.offer", "renew.upgrade", "move.booking"):
        s = TARGET_SETTINGS["conversion_rate"]
        specs[("conversion_rate", "stage", stage_id)] = round(
            s.target + rng.uniform(-1.5, 1.5) * s.tolerance, s.decimals)
    specs[("drop_off_rate", "stage", "buy.purchase")] = 15.0
    for _, tp in tps[tps["moment_of_truth"]].iterrows():
        # Moments of truth are held to a higher standard than their journey.
        for kpi in touchpoint_kpis(tp["stage_id"], tp["channel"])[1:]:
            s = TARGET_SETTINGS[kpi]
            tighter = _sign(kpi) * rng.uniform(0, 0.5) * s.tolerance
            specs[(kpi, "touchpoint", tp["touchpoint_id"])] = round(
                _effective(specs, kpi, tp) + tighter, s.decimals)
    if DEGRADING_MOT in set(tps["touchpoint_id"]):
        specs[("csat", "touchpoint", DEGRADING_MOT)] = 4.2
    return specs


def _targets_frame(specs: dict[_SpecKey, float], cal: Calendar) -> pd.DataFrame:
    rows = []
    last_year = cal.years[-1]
    for (kpi, scope, scope_id), latest in specs.items():
        s = TARGET_SETTINGS[kpi]
        for year in cal.years:
            target = round(latest - _sign(kpi) * s.step * (last_year - year), s.decimals)
            stretch = np.nan if s.stretch is None else round(target + _sign(kpi) * s.stretch, 2)
            valid_to = pd.NaT if year == last_year else pd.Timestamp(year, 12, 31)
            rows.append((kpi, scope, scope_id, pd.Timestamp(year, 1, 1), valid_to, target,
                         s.tolerance, stretch))
    return pd.DataFrame(rows, columns=list(TABLES["targets"]))


# --- daily KPI facts ---------------------------------------------------------------------------


def _levels(kpi: str, idx: np.ndarray, tps: pd.DataFrame, cal: Calendar, yearly: np.ndarray,
            specs: dict[_SpecKey, float], rng: np.random.Generator) -> np.ndarray:
    """The true KPI value per touchpoint and day, in KPI units."""
    s, sign, k = TARGET_SETTINGS[kpi], _sign(kpi), len(idx)
    target = np.array([_effective(specs, kpi, tps.iloc[i]) for i in idx])
    # At the end: most touchpoints on target, some at risk, some off target (in tolerance units).
    band = rng.choice(3, size=k, p=[0.62, 0.24, 0.14])
    z = np.choose(band, [rng.uniform(0.2, 1.3, k), rng.uniform(-0.9, -0.1, k),
                         rng.uniform(-2.3, -1.2, k)])
    weeks = np.arange(len(cal.dates)) // 7
    walk = rng.normal(0, 0.6 * s.tolerance / np.sqrt(weeks[-1] + 1), (k, weeks[-1] + 1)).cumsum(1)
    drift = walk[:, weeks] - walk[:, -1:]
    busy = (yearly[idx] - 1) / 0.25  # busy season costs a little quality
    trend = -sign * s.step * cal.days_before_end[None, :] / 365.0
    level = (target + sign * z * s.tolerance)[:, None] + trend + drift - sign * 0.3 * s.tolerance * busy
    if kpi == "csat":
        hit = np.flatnonzero(tps["touchpoint_id"].to_numpy()[idx] == DEGRADING_MOT)
        slide = 3.6 + 0.72 * np.minimum(cal.days_before_end, _DEGRADE_DAYS) / _DEGRADE_DAYS
        level[hit] = slide[None, :] + 0.03 * busy[hit]
    return level


def _sample(kpi: str, level: np.ndarray, reach: np.ndarray,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator consistent with the KPI's definition."""
    definition = _KPIS[kpi]
    if kpi in _SURVEY:
        rate, spread = _SURVEY[kpi]
        den = np.maximum(rng.poisson(reach * rate), 1).astype(float)
        noise = rng.normal(0, 1, level.shape) * spread / np.sqrt(den)
        if kpi == "nps":
            return np.round(np.clip(level / 100 + noise, -1, 1) * den), den
        mean = np.clip(level + noise, definition.lower, definition.upper)
        return np.round(mean * den), den
    den = reach.astype(float)
    if definition.unit is Unit.PERCENT:
        return rng.binomial(reach, np.clip(level / 100, 0.002, 0.998)).astype(float), den
    # response_time: mean seconds per contact, skewed
    mean = np.maximum(level, 10.0) * rng.lognormal(0, 0.15, level.shape)
    return np.round(mean * den), den


def _facts(tps: pd.DataFrame, cal: Calendar, reach: np.ndarray, yearly: np.ndarray,
           specs: dict[_SpecKey, float], rng: np.random.Generator) -> pd.DataFrame:
    reported = [touchpoint_kpis(s, c) for s, c in zip(tps["stage_id"], tps["channel"], strict=True)]
    d = len(cal.dates)
    tp_codes, kpi_codes, numerators, denominators = [], [], [], []
    for code, kpi in enumerate(_KPIS):
        idx = np.array([i for i, kpis in enumerate(reported) if kpi in kpis], dtype=np.int64)
        if len(idx) == 0:
            continue
        if kpi == "reach":
            num, den = reach.astype(float), np.full(reach.shape, np.nan)
        else:
            level = _levels(kpi, idx, tps, cal, yearly, specs, rng)
            num, den = _sample(kpi, level, reach[idx], rng)
        tp_codes.append(np.repeat(idx, d))
        kpi_codes.append(np.full(len(idx) * d, code, dtype=np.int64))
        numerators.append(num.ravel())
        denominators.append(den.ravel())
    tp_code = np.concatenate(tp_codes)
    return pd.DataFrame({
        "date": np.tile(cal.dates.astype("datetime64[us]"), len(tp_code) // d),
        "touchpoint_id": pd.Categorical.from_codes(tp_code, categories=pd.Index(tps["touchpoint_id"])),
        "kpi_id": pd.Categorical.from_codes(np.concatenate(kpi_codes), categories=pd.Index(list(_KPIS))),
        "numerator": np.concatenate(numerators),
        "denominator": np.concatenate(denominators),
    })


# --- budget and funnel -------------------------------------------------------------------------


def _budget_frame(tps: pd.DataFrame, cal: Calendar, planned: np.ndarray, actual: np.ndarray,
                  rng: np.random.Generator) -> pd.DataFrame:
    n, m = planned.shape
    per_touchpoint = pd.DataFrame({
        "month": np.tile(cal.months.astype("datetime64[us]"), n),
        "journey_id": np.repeat(tps["journey_id"].to_numpy(), m),
        "touchpoint_id": np.repeat(tps["touchpoint_id"].to_numpy(), m),
        "channel": np.repeat(tps["channel"].to_numpy(), m),
        "planned": planned.ravel(),
        "actual": actual.ravel(),
    })
    # Brand campaigns are planned per journey, not per touchpoint: spring, autumn and November.
    month_of_year = cal.months.astype("datetime64[M]").astype(np.int64) % 12 + 1
    campaign_months = cal.months[np.isin(month_of_year, (3, 9, 11))].astype("datetime64[us]")
    brand = [
        (month, j.journey_id, None, "brand", round(j.daily_entries * 40, -2))
        for j in JOURNEYS for month in campaign_months
    ]
    brand_frame = pd.DataFrame(brand, columns=["month", "journey_id", "touchpoint_id", "channel",
                                               "planned"])
    brand_frame["actual"] = np.round(brand_frame["planned"] * rng.lognormal(0, 0.1, len(brand)))
    # In month order, as a monthly load appends it (and as the facts are in date order): a statement
    # of a few months then reads those months' blocks, not the whole table (DuckDB skips the rest
    # by its zone maps; at 100 M fact rows My touchpoints' 3 months of spend read 20 MB of blocks
    # kept in DuckDB's buffer, #19: memory).
    budget = pd.concat([per_touchpoint, brand_frame], ignore_index=True)
    return budget.sort_values("month", kind="stable", ignore_index=True)


def _funnel_frame(cal: Calendar, rng: np.random.Generator) -> pd.DataFrame:
    """Customers reaching each stage per day: each stage keeps a share of the one before."""
    d = len(cal.dates)
    weekly = np.array(CHANNELS["web"].weekly)[cal.dow]
    parts = []
    for journey in JOURNEYS:
        stages = STAGES[journey.journey_id]
        yearly = _yearly(pd.Series([journey.peak_day]), cal)[0]
        top = journey.daily_entries * weekly * yearly * rng.lognormal(0, 0.08, d)
        keep = rng.uniform(0.45, 0.85, len(stages) - 1)[:, None] * rng.lognormal(
            0, 0.04, (len(stages) - 1, d))
        share = np.vstack([np.ones(d), np.cumprod(np.minimum(keep, 1.0), axis=0)])
        customers = np.round(top[None, :] * share)
        parts.append(pd.DataFrame({
            "date": np.tile(cal.dates.astype("datetime64[us]"), len(stages)),
            "journey_id": journey.journey_id,
            "stage_id": np.repeat([f"{journey.journey_id}.{key}" for key, _ in stages], d),
            "customers": customers.ravel(),
        }))
    return pd.concat(parts, ignore_index=True)
