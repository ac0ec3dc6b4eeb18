"""The batch fitter (metrics._batch_trf) against scipy's curve_fit, key by key, on many varied keys.

metrics/_batch_trf.py carries out scipy's trust-region reflective method (``least_squares``
method "trf" as ``curve_fit`` runs it with bounds) on arrays of keys. Here both fit the same
160 keys, under the scipy that is installed, and must reach the same status, reason, form and
season on every key, and the same curve over the observed spend.

The first and last release of every scipy minor version from 1.13 to 1.17 were run through this
module and tests/test_budget_curves.py, each in its own virtual environment on top of the
project's packages: ``python -m tests.scipy_versions`` (pip picks the numpy each release allows,
so 1.13 and 1.14 run with numpy 2.2; 1.13.0 also with the oldest numpy pandas allows):

    scipy 1.13.0  numpy 2.0.2  passed
    scipy 1.13.0  numpy 2.2.6  passed
    scipy 1.13.1  numpy 2.2.6  passed
    scipy 1.14.0  numpy 2.2.6  passed
    scipy 1.14.1  numpy 2.2.6  passed
    scipy 1.15.0  numpy 2.4.6  passed
    scipy 1.15.3  numpy 2.4.6  passed
    scipy 1.16.0  numpy 2.4.6  passed
    scipy 1.16.3  numpy 2.4.6  passed
    scipy 1.17.0  numpy 2.4.6  passed
    scipy 1.17.1  numpy 2.4.6  passed

Beyond these tests, on 1,500 keys of the demo (touchpoint x KPI, 4 to 47 months; all 4,400 under
1.13.0) the batch and curve_fit reached the same status, reason and form on every key under each
of them, and each of the two gave bitwise the same fits under every one of them. scipy's trf.py
is the same from 1.13 to 1.17 but for the ``callback`` hook added in 1.16.

requirements.txt admits these minor releases and no other (test_requirements_admit_only_verified_
scipy_releases keeps it so). For a new release: ``python -m tests.scipy_versions 1.18.0``, record
the line here, then widen requirements.txt.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics.response_curves import CurveFit, fit_response_curves

ROOT = Path(__file__).resolve().parent.parent


def recorded_releases() -> list[tuple[str, str]]:
    """(scipy, numpy) releases this module's docstring records as passed."""
    return re.findall(r"^\s+scipy (\S+)\s+numpy (\S+)\s+passed$", __doc__ or "", re.MULTILINE)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _varied_history(keys: int = 160, seed: int = 2) -> pd.DataFrame:
    """Keys of 4 to 47 months: saturating, logarithmic, straight or no response to spend, with and
    without season and trend, little to much noise, some months without an outcome."""
    rng = np.random.default_rng(seed)
    frames = []
    for number in range(keys):
        n = int(rng.choice([4, 6, 8, 12, 17, 18, 24, 36, 47]))
        month = pd.date_range("2022-01-01", periods=n, freq="MS")
        typical = float(rng.uniform(1e3, 1e5))
        spend = typical * rng.lognormal(0.0, float(rng.choice([0.03, 0.3, 0.3, 0.8])), n)
        shape = rng.choice(["saturating", "logarithmic", "straight", "none"])
        scaled = spend / (typical * rng.uniform(0.2, 3.0))
        response = {"saturating": 1 - np.exp(-scaled), "logarithmic": np.log1p(scaled),
                    "straight": scaled, "none": np.zeros(n)}[shape]
        peak = rng.uniform(0, 12)
        season = 1 + rng.uniform(0.0, 0.4) * np.cos(2 * np.pi * (month.month.to_numpy() - peak) / 12)
        trend = np.exp(rng.normal(0.0, 0.1) * np.arange(n) / 12)
        level = float(rng.uniform(10, 1e4))
        outcome = level * (rng.uniform(0.0, 1.0) + response) * season * trend
        outcome = outcome * rng.lognormal(0.0, float(rng.choice([0.01, 0.05, 0.2])), n)
        outcome[rng.random(n) < 0.05] = np.nan
        frames.append(pd.DataFrame({"key": f"k{number:03d}", "month": month, "spend": spend,
                                    "outcome": outcome}))
    return pd.concat(frames, ignore_index=True)


def _same_reason(one: str, other: str) -> bool:
    # An R² within 1e-11 of zero prints as 0.00 from one solver and -0.00 from the other.
    return one.replace("-0.00", "0.00") == other.replace("-0.00", "0.00")


def _agree(batched: CurveFit, alone: CurveFit) -> None:
    assert batched.curve is None if alone.curve is None else batched.curve is not None, alone.reason
    assert _same_reason(batched.reason, alone.reason)
    assert (batched.n_points, batched.spend_min, batched.spend_max) == (alone.n_points, alone.spend_min,
                                                                         alone.spend_max)
    if alone.curve is None or batched.curve is None:
        return
    b, a = batched.curve, alone.curve
    assert (b.form, b.seasonal) == (a.form, a.seasonal)
    assert b.r_squared == pytest.approx(a.r_squared, abs=1e-9)
    assert b.spend_r_squared == pytest.approx(a.spend_r_squared, abs=1e-9)
    # b can be poorly determined (several b fit almost equally well), the curve on the data is not
    spend = np.linspace(a.spend_min, a.spend_max, 25)
    assert b.predict(spend) == pytest.approx(a.predict(spend), rel=1e-5)


@pytest.mark.slow
def test_batch_agrees_with_curve_fit_on_every_key() -> None:
    history = _varied_history()
    batched = fit_response_curves(history, "key")
    alone = fit_response_curves(history, "key", max_trials=0)  # every key by curve_fit
    assert list(batched) == list(alone)
    statuses = pd.Series(["fitted" if fit.curve else "refused" for fit in alone.values()]).value_counts()
    assert statuses.get("fitted", 0) >= 30 and statuses.get("refused", 0) >= 30  # both sides exercised
    assert {fit.curve.form for fit in alone.values() if fit.curve} == {"saturating", "logarithmic"}
    assert any(fit.curve.seasonal for fit in alone.values() if fit.curve)
    for key in alone:
        _agree(batched[key], alone[key])


def test_requirements_admit_only_verified_scipy_releases() -> None:
    line = next(line for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.startswith("scipy"))
    low = re.search(r">=\s*([\d.]+)", line)
    high = re.search(r"<\s*([\d.]+)", line)
    assert low and high, f"scipy needs a lower and an upper bound in requirements.txt: {line}"
    verified = {_version(scipy) for scipy, _ in recorded_releases()}
    first, bound = _version(low.group(1)), _version(high.group(1))
    assert first in verified or first + (0,) in verified, f"{line}: the lowest admitted scipy is not verified"
    newest = max(verified)
    assert bound[:2] == (newest[0], newest[1] + 1), (
        f"{line}: admit scipy up to the newest verified minor release, {newest[0]}.{newest[1]}")
    minors = {version[:2] for version in verified}
    unverified = [f"{first[0]}.{minor}" for minor in range(first[1], newest[1] + 1)
                  if (first[0], minor) not in minors]
    assert not unverified, f"{line} admits scipy {', '.join(unverified)}, never verified"
