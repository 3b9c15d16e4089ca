"""The projection's axes and the arithmetic of its groups: ages 15–100 by sex, averages merged, a year older.

Pure (numpy; no Django)."""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_AGE, MAX_AGE = 15, 100
AGES = MAX_AGE - MIN_AGE + 1
SEXES = ("M", "F")
Array = np.ndarray[Any, np.dtype[np.float64]]


def merge(n: Array, x: Array, n_add: Array, x_add: Array | float) -> Array:
    """The average of ``x`` after ``n_add`` people with ``x_add`` join the ``n`` people with ``x``."""
    total = n + n_add
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, (n * x + n_add * x_add) / np.where(total > 0, total, 1), 0.0)
    return np.asarray(out, dtype=np.float64)


def older(a: Array) -> Array:
    """Everyone a year older; the oldest age is left empty (its probability of dying is 1)."""
    out = np.zeros_like(a)
    out[1:] = a[:-1]
    return out
