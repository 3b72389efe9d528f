"""Template / boilerplate lines: lines found on a large share of one source's (or one web domain's) documents.

As ROOTS's pseudo-crawl cleaning did, such lines (menus, cookie notices, footers) are removed, and documents left
too short are dropped. It needs the counts over the whole group first, so it is a stage, not a per-document step.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bigscience_corpus.schema import digest

from ..base import Batch
from .urls import normalise_url

DEFAULTS = {"max_share": 0.1, "min_docs": 5, "min_words": 5}


def group_of(source: str, url: str | None) -> str:
    """Web documents are grouped by domain within their source (templates are per site), others by source."""
    key = normalise_url(url)
    return f"{source}|{key.split('/', 1)[0]}" if key else source


def _line_key(line: str) -> str | None:
    line = " ".join(line.split())
    return digest(line, size=8) if line else None


def _line_digests(batch: Batch) -> Batch:
    urls = batch.get("url") or [None] * len(batch["text"])
    return {"group": [group_of(s, u) for s, u in zip(batch["source"], urls)],
            "lines": [sorted({k for k in map(_line_key, (t or "").splitlines()) if k}) for t in batch["text"]]}


def _strip(batch: Batch, template: dict[str, set[str]], min_words: int) -> Batch:
    urls = batch.get("url") or [None] * len(batch["text"])
    texts, removed, dropped = [], [], []
    for text, source, url in zip(batch["text"], batch["source"], urls):
        lines = (text or "").splitlines()
        bad = template.get(group_of(source, url), ())
        kept = [line for line in lines if _line_key(line) not in bad] if bad else lines
        texts.append("\n".join(kept) if len(kept) < len(lines) else text)
        removed.append(len(lines) - len(kept))
        dropped.append(len(kept) < len(lines) and len(" ".join(kept).split()) < min_words)
    return {"text": texts, "_lines_removed": removed, "_dropped": dropped}


def template_lines(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None,
                   **params: Any) -> tuple[datasets.Dataset, dict[str, Any]]:
    """Remove lines seen on more than `max_share` (and at least `min_docs`) of their group's documents; drop
    documents that lose lines and keep fewer than `min_words` whitespace words."""
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"dedup stage 'template_lines': unknown parameter(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **params}
    if len(ds) == 0:
        return ds, {"removed": 0, "removed_by_source": {}, "lines_removed_by_source": {}}
    columns = [c for c in ("text", "source", "url") if c in ds.column_names]
    digests = ds.select_columns(columns).map(_line_digests, batched=True, num_proc=num_proc, remove_columns=columns,
                                             desc="template lines: counting").data.table
    docs_per_group = Counter(digests.column("group").to_pylist())
    lengths = pc.list_value_length(digests.column("lines")).to_numpy(zero_copy_only=False)
    flat = pa.table({"group": pc.take(digests.column("group"), np.repeat(np.arange(len(lengths)), lengths)),
                     "line": pc.list_flatten(digests.column("lines"))})
    counts = flat.group_by(["group", "line"]).aggregate([("line", "count")]).to_pylist()
    template: dict[str, set[str]] = {}
    for row in counts:
        if row["line_count"] >= max(p["min_docs"], p["max_share"] * docs_per_group[row["group"]]):
            template.setdefault(row["group"], set()).add(row["line"])
    stripped = ds.map(_strip, batched=True, num_proc=num_proc, desc="template lines: removing",
                      fn_kwargs={"template": template, "min_words": p["min_words"]})
    table = stripped.select_columns(["source", "_lines_removed", "_dropped"]).data.table.to_pydict()
    lines_removed, edited, dropped = Counter(), Counter(), Counter()
    for source, n, drop in zip(table["source"], table["_lines_removed"], table["_dropped"]):
        lines_removed[source] += n
        edited[source] += n > 0
        dropped[source] += drop
    keep = [i for i, drop in enumerate(table["_dropped"]) if not drop]
    kept = stripped.select(keep).remove_columns(["_lines_removed", "_dropped"])
    return kept, {"removed": sum(dropped.values()), "removed_by_source": {s: n for s, n in sorted(dropped.items()) if n},
                  "lines_removed_by_source": {s: n for s, n in sorted(lines_removed.items()) if n},
                  "documents_edited_by_source": {s: n for s, n in sorted(edited.items()) if n},
                  "template_lines_by_group": {g: len(lines) for g, lines in sorted(template.items())}}

