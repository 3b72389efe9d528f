"""Exact document dedup on a digest of the normalised text, within and across sources."""
from __future__ import annotations

import re
import unicodedata

import datasets
import numpy as np

from bigscience_corpus.schema import digest

from ..base import Batch

# Whitespace and punctuation do not make two documents different; digits do (normalising them away merges
# distinct tables and logs into one "duplicate").
_NOT_CONTENT = re.compile(r"[\W_]+", re.UNICODE)


def normalised_text(text: str | None) -> str:
    """The text lowercased, NFKC-folded, without whitespace or punctuation."""
    return _NOT_CONTENT.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def normalised_digest(text: str | None) -> str:
    """Digest of `normalised_text`; stable across processes and machines."""
    return digest(normalised_text(text))


def _digests(batch: Batch) -> Batch:
    return {"digest": [normalised_digest(t) for t in batch["text"]]}


def keys(ds: datasets.Dataset, num_proc: int | None = None) -> np.ndarray:
    """One normalised digest per document."""
    digests = ds.select_columns(["text"]).map(_digests, batched=True, num_proc=num_proc, remove_columns=["text"],
                                              desc="exact dedup: digests")
    return digests.data.table.column("digest").combine_chunks()
