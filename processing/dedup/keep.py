"""The keep policy shared by every dedup stage, and the report it produces.

Stages only say which documents belong together (a key per row); this module picks, in each group, the document
to keep: first the highest-priority source (recipe order), then the highest quality score, then the smallest id.
Every choice depends only on the rows' values, never on their order or on `num_proc`.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Optional column (higher is better) the keep policy uses after source priority.
SCORE_COLUMN = "quality_score"
#: Clusters shown in a report.
SAMPLE_CLUSTERS = 5


def column(ds: datasets.Dataset, name: str) -> pa.ChunkedArray:
    """One column as Arrow, honouring an indices mapping (`ds.data.table` ignores `select`/`shuffle`)."""
    return ds.select_columns([name]).with_format("arrow")[:][name]


def representatives(keys: pa.Array | np.ndarray, ds: datasets.Dataset, priority: list[str]) -> np.ndarray:
    """Row index of the document kept for each row's group (itself when kept); rows with a null key stand alone."""
    n = len(ds)
    keys = pa.array(keys) if isinstance(keys, np.ndarray) else keys
    if keys.null_count == n:  # nothing to group (and Arrow cannot compare an all-null column)
        return np.arange(n, dtype=np.int64)
    ranks = pc.index_in(column(ds, "source"), value_set=pa.array(priority, pa.string()))
    columns = {"key": keys, "rank": pc.fill_null(ranks, len(priority)),
               "id": column(ds, "id"), "row": np.arange(n, dtype=np.int64)}
    order = [("key", "ascending"), ("rank", "ascending")]
    if SCORE_COLUMN in ds.column_names:
        columns["score"] = pc.fill_null(column(ds, SCORE_COLUMN).cast(pa.float64()), float("-inf"))
        order.append(("score", "descending"))
    table = pa.table(columns).sort_by(order + [("id", "ascending"), ("row", "ascending")])
    sorted_keys = table.column("key")
    rows = table.column("row").to_numpy()
    starts = np.ones(n, dtype=bool)
    if n > 1:
        same = pc.equal(sorted_keys.slice(1), sorted_keys.slice(0, n - 1))
        starts[1:] = ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rep = np.empty(n, dtype=np.int64)
    rep[rows] = rows[first]
    null = pc.is_null(keys).to_numpy(zero_copy_only=False)
    rep[null] = np.arange(n)[null]
    return rep


def report(rep: np.ndarray, ds: datasets.Dataset) -> dict[str, Any]:
    """Removed documents per source and per (removed source, kept source) pair, rates, and sample clusters."""
    sources = column(ds, "source")
    removed = np.flatnonzero(rep != np.arange(len(rep)))
    totals = {c["values"]: c["counts"] for c in pc.value_counts(sources).to_pylist()}
    removed_sources = sources.take(removed).to_pylist()
    by_source = Counter(removed_sources)
    pairs = Counter(f"{a} -> {b}" for a, b in zip(removed_sources, sources.take(rep[removed]).to_pylist()))
    return {
        "removed": len(removed),
        "removed_by_source": dict(sorted(by_source.items())),
        "duplicate_rate_by_source": {s: round(by_source.get(s, 0) / totals[s], 6) for s in sorted(totals)},
        "removed_by_source_pair": dict(sorted(pairs.items())),
        "sample_clusters": sample_clusters(rep, ds),
    }


def sample_clusters(rep: np.ndarray, ds: datasets.Dataset, limit: int = SAMPLE_CLUSTERS) -> list[dict[str, Any]]:
    """The largest clusters (ties by kept row), as ids: a reader can open them to judge the stage."""
    removed = np.flatnonzero(rep != np.arange(len(rep)))
    if not len(removed):
        return []
    reps, sizes = np.unique(rep[removed], return_counts=True)
    chosen = reps[np.lexsort((reps, -sizes))[:limit]]
    ids = column(ds, "id")
    samples = []
    for r in chosen.tolist():
        members = removed[rep[removed] == r][:10]
        samples.append({"kept": ids[r].as_py(), "removed": [ids[int(m)].as_py() for m in members],
                        "size": int((rep[removed] == r).sum()) + 1})
    return samples


def apply(rep: np.ndarray, ds: datasets.Dataset) -> tuple[datasets.Dataset, dict[str, Any]]:
    """Keep the representatives; the stage contract's `(kept_ds, report)`."""
    kept = np.flatnonzero(rep == np.arange(len(rep)))
    return ds.select(kept), report(rep, ds)
