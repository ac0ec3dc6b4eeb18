"""Kano classes and super-touchpoints: how the prioritisation step of journey mapping feeds the
numbers (README "Priorities, Kano classes and super-touchpoints").

- **Kano factor**: how much a shortfall counts in priority and pain. A must-be (disappointment
  factor) that fails loses customers, so its shortfall counts 1.5 times; a performance factor
  (or a touchpoint without a class) counts once; a delighter that is missing disappoints nobody,
  so its shortfall counts half. A failing must-be therefore ranks above an equally failing
  delighter.
- **Super-touchpoint**: a moment of truth that is a must-be or a delighter and weighs at least as
  much as the mean touchpoint of its journey: where the customer decides, where failing loses
  them or excelling wins advocates, and which the journey score leans on. Pages mark it ◆.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from metrics.i18n import N_, tr
from metrics.model import Kano

__all__ = ["KANO_FACTOR", "KANO_NAME", "KANO_RANK", "KANO_TEXT", "kano_factors", "kano_name", "kano_ranks",
    "kano_texts", "NO_KANO_TEXT", "super_touchpoints", "SUPER_MARK"]

KANO_FACTOR: dict[str, float] = {
    Kano.MUST_BE.value: 1.5, Kano.PERFORMANCE.value: 1.0, Kano.DELIGHTER.value: 0.5}
#: Sort order inside a priority tier: must-be first, delighters last (no class sits with performance).
KANO_RANK: dict[str, int] = {Kano.MUST_BE.value: 0, Kano.PERFORMANCE.value: 1, Kano.DELIGHTER.value: 2}
#: The classes in plain words, as every page and pack shows them (marked; ``kano_texts`` translates).
KANO_TEXT: dict[str, str] = {
    Kano.MUST_BE.value: N_("must-be (disappointment factor)"),
    Kano.PERFORMANCE.value: N_("performance (OK factor)"),
    Kano.DELIGHTER.value: N_("delighter (excitement factor)"),
}
#: The classes' short names (a priority's reason): "must-be"; German Basisfaktor and so on.
KANO_NAME: dict[str, str] = {
    Kano.MUST_BE.value: N_("must-be"),
    Kano.PERFORMANCE.value: N_("performance"),
    Kano.DELIGHTER.value: N_("delighter"),
}
NO_KANO_TEXT = N_("no Kano class")
SUPER_MARK = "◆"
_SUPER_CLASSES = (Kano.MUST_BE.value, Kano.DELIGHTER.value)


def kano_factors(kano: pd.Series) -> pd.Series:
    """The Kano factor of each class (module docstring); no or an unknown class counts 1."""
    return _per_class(kano, lambda k: KANO_FACTOR.get(str(k), 1.0), "float64")


def kano_ranks(kano: pd.Series) -> pd.Series:
    return _per_class(kano, lambda k: KANO_RANK.get(str(k), KANO_RANK[Kano.PERFORMANCE.value]), "int64")


def kano_texts(kano: pd.Series) -> pd.Series:
    """Each class in plain words, in the current language."""
    texts = {k: tr(text) for k, text in KANO_TEXT.items()}
    return _per_class(kano, lambda k: texts.get(str(k), tr(NO_KANO_TEXT)), "str")


def _per_class(kano: pd.Series, of: Callable[[object], object], dtype: str) -> pd.Series:
    """``kano.map(of).astype(dtype)``, ``of`` called once per distinct class, not per row (an
    owner's priorities at 100 M fact rows are 15,230 rows of three or four classes; #19)."""
    codes, classes = pd.factorize(kano, use_na_sentinel=False)
    per_class = np.array([of(k) for k in classes] + [None], dtype=object)
    return pd.Series(per_class[codes], index=kano.index, name=kano.name, dtype=object).astype(dtype)


def kano_name(kano: str) -> str:
    """The class's short name in the current language ("must-be"); an unknown class as stored."""
    return tr(KANO_NAME[kano]) if kano in KANO_NAME else kano.replace("_", "-")


def super_touchpoints(touchpoints: pd.DataFrame) -> pd.Series:
    """True for each super-touchpoint (module docstring) among ``touchpoints`` (journey_id,
    moment_of_truth, kano, weight: the journeys' whole touchpoint lists, so the mean is the
    journey's). Aligned with ``touchpoints``' index."""
    if touchpoints.empty:
        return pd.Series(dtype=bool)
    weight = pd.to_numeric(touchpoints["weight"], errors="coerce").fillna(1.0)
    journey_mean = weight.groupby(touchpoints["journey_id"]).transform("mean")
    classed = touchpoints["kano"].astype("object").isin(_SUPER_CLASSES)
    return (touchpoints["moment_of_truth"].astype(bool) & classed & (weight >= journey_mean)).astype(bool)
