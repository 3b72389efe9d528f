"""Mixing sources by ratio, splitting train/validation, and interleaving — all seeded and stable.

Every decision about a document is a function of (seed, its id) alone, so it does not move when other
documents are added or removed: sampling keeps a document when its uniform draw is below the source's ratio,
and the validation split takes the documents with the smallest draws of each language.
"""
from __future__ import annotations

import datasets
import numpy as np

from .schema import digest

VALIDATION, TRAIN = "validation", "train"


def uniform(seed: int, purpose: str, ids: list[str]) -> np.ndarray:
    """One draw in [0, 1) per id, the same on every machine for the same (seed, purpose, id)."""
    return np.array([int(digest(f"{seed}:{purpose}:{i}", 8), 16) / 2.0**64 for i in ids], dtype=np.float64)


def sample(ds: datasets.Dataset, ratios: dict[str, float], seed: int) -> datasets.Dataset:
    """Keep about `ratios[source]` of each source's documents (each with that probability)."""
    if all(r >= 1 for r in ratios.values()) or len(ds) == 0:
        return ds
    ratio = np.array([ratios.get(s, 1.0) for s in ds["source"]])
    return ds.select(np.flatnonzero(uniform(seed, "sample", list(ds["id"])) < ratio))


def split_rows(ids: list[str], langs: list[str], validation: float, seed: int) -> dict[str, np.ndarray]:
    """Row indices of each split. Per language, a document goes to validation when its draw is below
    `validation`; a language with two or more documents always gets at least one validation document."""
    draws = uniform(seed, "split", ids)
    is_validation = draws < validation
    langs_array = np.array(langs, dtype=object)
    if validation > 0:
        for lang in np.unique(langs_array):
            rows = np.flatnonzero(langs_array == lang)
            if len(rows) >= 2 and not is_validation[rows].any():
                is_validation[rows[np.argmin(draws[rows])]] = True
    return {TRAIN: np.flatnonzero(~is_validation), VALIDATION: np.flatnonzero(is_validation)}


def interleaved(ds: datasets.Dataset, seed: int) -> datasets.Dataset:
    """The documents in a seeded order that mixes sources and languages (a stable shuffle)."""
    return ds.select(np.argsort(uniform(seed, "order", list(ds["id"])), kind="stable"))
