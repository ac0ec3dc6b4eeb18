"""Matching rows of two frames on key columns by integer codes, as ``DataFrame.merge`` pairs them.

A merge on text keys hashes and copies every row of both sides and builds a frame of the pairs:
at 100 M fact rows, judging the Overview's 12-month frame of every touchpoint (486,000 rows)
spent most of its time in the merges of target resolution (#19). Here each key column is
factorized once, the codes of the smaller side are sorted, and the pairs come out as two arrays
of positions. Equality is the merge's: values equal as values, a missing key equal to a missing
key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["combined_codes", "Factorized", "factorized", "key_codes", "matching_pairs"]

#: A key column as (code per row, -1 for missing; its distinct values): ``pd.factorize``'s answer.
Factorized = tuple[np.ndarray, pd.Index]


def factorized(column: pd.Series) -> Factorized:
    """A left key column factorized once, for several ``matching_pairs`` over its rows."""
    codes, uniques = pd.factorize(column)
    return codes, pd.Index(uniques, dtype=object)


def key_codes(left: Factorized, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of two key columns, equal exactly where the keys are equal (missing equals
    missing); a left key that no right key equals gets -1. Right codes are 0 or more."""
    left_codes, left_uniques = left
    right_codes, uniques = pd.factorize(right)  # missing: -1, given its own code below
    lookup = pd.Index(uniques, dtype=object).get_indexer(left_uniques)
    missing = len(uniques)
    left_out = np.append(lookup, missing if (right_codes < 0).any() else -1)[left_codes]
    return left_out.astype(np.int64), np.where(right_codes < 0, missing, right_codes).astype(np.int64)


def combined_codes(left: list[Factorized], right: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """One code per row over several key columns; -1 for a left row that no right row equals."""
    left_key = np.zeros(len(left[0][0]), dtype=np.int64)
    right_key = np.zeros(len(right[0]), dtype=np.int64)
    unmatched = np.zeros(len(left_key), dtype=bool)
    for lcol, rcol in zip(left, right, strict=True):
        lcodes, rcodes = key_codes(lcol, rcol)
        width = int(rcodes.max()) + 1 if len(rcodes) else 1
        unmatched |= lcodes < 0
        left_key = left_key * width + np.maximum(lcodes, 0)
        right_key = right_key * width + rcodes
    return np.where(unmatched, -1, left_key), right_key


def matching_pairs(left: list[Factorized], right: list[pd.Series],
                   rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in the left columns, in ``right``) of every pair of rows equal on all key
    columns (``left[i]`` against ``right[i]``), over the left ``rows`` only if given: the rows an
    inner ``merge`` pairs, ordered by left row, then right position."""
    left_key, right_key = combined_codes(left, right)
    if rows is not None:
        left_key = left_key[rows]
    order = np.argsort(right_key, kind="stable")
    ordered = right_key[order]
    low = np.searchsorted(ordered, left_key, side="left")
    high = np.searchsorted(ordered, left_key, side="right")
    counts = np.where(left_key >= 0, high - low, 0)
    at = np.repeat(np.arange(len(left_key)) if rows is None else rows, counts)
    offsets = np.arange(len(at)) - np.repeat(np.cumsum(counts) - counts, counts)
    return at, order[np.repeat(low, counts) + offsets]
