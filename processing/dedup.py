"""Corpus-level deduplication stages. Unlike per-document steps they see the whole dataset at once.

A stage is `stage(ds, priority, num_proc) -> (kept_ds, report)`; `priority` ranks sources (recipe order) for the
keep policy: among duplicates the document of the highest-priority source is kept, then the smallest id.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .base import Batch

# Whitespace and punctuation do not make two documents different; digits do (normalising them away merges
# distinct tables and logs into one "duplicate").
_NOT_CONTENT = re.compile(r"[\W_]+", re.UNICODE)


def normalised_digest(text: str) -> str:
    """Digest of the text lowercased, NFKC-folded, without whitespace or punctuation; stable everywhere."""
    from bigscience_corpus.schema import digest

    return digest(_NOT_CONTENT.sub("", unicodedata.normalize("NFKC", text).casefold()))


def add_digest(batch: Batch) -> Batch:
    batch["digest"] = [normalised_digest(t or "") for t in batch["text"]]
    return batch


def exact(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None) -> tuple[datasets.Dataset, dict[str, Any]]:
    """Keep one document per normalised digest, by the keep policy."""
    if len(ds) == 0:
        return ds, {"removed": 0, "removed_by_source": {}}
    with_digest = ds.map(add_digest, batched=True, num_proc=num_proc, desc="exact dedup: digests")
    table = with_digest.select_columns(["digest", "source", "id"]).data.table
    rank = {s: i for i, s in enumerate(priority)}
    source_rank = np.array([rank.get(s, len(rank)) for s in table.column("source").to_pylist()])
    order = pa.table({"digest": table.column("digest"), "rank": source_rank, "id": table.column("id"),
                      "row": np.arange(len(ds))})
    order = order.sort_by([("digest", "ascending"), ("rank", "ascending"), ("id", "ascending")])
    digests = order.column("digest")
    first = pc.not_equal(digests.slice(1), digests.slice(0, len(digests) - 1)).to_numpy(zero_copy_only=False)
    keep_rows = np.sort(order.column("row").to_numpy()[np.concatenate([[True], first])])
    kept = with_digest.select(keep_rows).remove_columns("digest")
    dropped_mask = np.ones(len(ds), dtype=bool)
    dropped_mask[keep_rows] = False
    dropped_sources = [s for s, d in zip(table.column("source").to_pylist(), dropped_mask) if d]
    by_source: dict[str, int] = {}
    for s in dropped_sources:
        by_source[s] = by_source.get(s, 0) + 1
    return kept, {"removed": int(dropped_mask.sum()), "removed_by_source": by_source}


#: Stages a recipe's `dedup:` list can name.
STAGES: dict[str, Callable[..., tuple[datasets.Dataset, dict[str, Any]]]] = {"exact": exact}
