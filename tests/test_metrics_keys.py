"""metrics._keys: rows paired by key codes exactly as an inner DataFrame.merge pairs them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics._keys import factorized, matching_pairs


def merged_pairs(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> list[tuple[int, int]]:
    pairs = left.assign(_l=np.arange(len(left))).merge(right.assign(_r=np.arange(len(right))), on=on)
    return sorted(zip(pairs["_l"].tolist(), pairs["_r"].tolist(), strict=True))


@pytest.mark.parametrize("seed", range(20))
def test_pairs_are_the_merges_missing_keys_included(seed: int) -> None:
    rng = np.random.default_rng(seed)

    def ids(prefix: str, size: int, dtype: str) -> pd.Series:
        return pd.Series(rng.choice([f"{prefix}{i}" for i in range(3)] + [None], size), dtype=dtype)

    left = pd.DataFrame({"a": ids("a", 40, "str"), "b": ids("b", 40, "str")})
    right = pd.DataFrame({"a": ids("a", 15, "str"), "b": ids("b", 15, "object")})
    rows = np.flatnonzero(rng.random(40) < 0.6)
    at, of = matching_pairs([factorized(left["a"]), factorized(left["b"])], [right["a"], right["b"]], rows)
    assert list(at) == sorted(at)
    assert sorted(zip(at.tolist(), of.tolist(), strict=True)) == [
        (rows[i], j) for i, j in merged_pairs(left.iloc[rows], right, ["a", "b"])]


def test_no_right_rows_pairs_nothing() -> None:
    at, of = matching_pairs([factorized(pd.Series(["x", None], dtype="str"))], [pd.Series([], dtype="str")])
    assert at.size == 0 and of.size == 0
