"""Corpus-level deduplication stages. Unlike per-document steps they see the whole dataset at once.

A stage is `stage(ds, priority, num_proc, **params) -> (kept_ds, report)`; `priority` ranks sources (recipe
order) for the keep policy (see `keep`). Grouping stages (exact, url, minhash) only compute a key per document;
`GROUPINGS` exposes them so callers (the `dedup` command) can also write which document stood for which.
`template_lines` edits texts instead: it groups lines by source (web documents by domain), so it can run on the
whole corpus or on one source at a time with the same result.
"""
from __future__ import annotations

from typing import Any, Callable

import datasets
import numpy as np

from . import exact as _exact, keep, minhash as _minhash, urls as _urls
from .exact import normalised_digest
from .lines import template_lines

Report = dict[str, Any]


def exact_representatives(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None
                          ) -> tuple[np.ndarray, Report]:
    """Documents with the same normalised digest, within and across sources."""
    return keep.representatives(_exact.keys(ds, num_proc), ds, priority), {}


def url_representatives(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None,
                        sources: list[str] | None = None) -> tuple[np.ndarray, Report]:
    """Documents with the same normalised URL (host + path + content parameters), among the web `sources`
    (default: all); documents without a URL are left alone."""
    if sources is not None and (isinstance(sources, str) or not all(isinstance(s, str) for s in sources)):
        raise ValueError(f"dedup stage 'url': sources must be a list of source names, not {sources!r}")
    keys = _urls.keys(ds, num_proc, sources)
    return keep.representatives(keys, ds, priority), {"without_url": keys.null_count}


def minhash_representatives(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None,
                            **params: Any) -> tuple[np.ndarray, Report]:
    """MinHash LSH near-duplicate clusters (see `minhash`)."""
    labels, figures = _minhash.clusters(ds, num_proc, **params)
    return keep.representatives(labels, ds, priority), figures


Grouping = Callable[..., tuple[np.ndarray, Report]]
#: Stages that map each document to the row of the document kept in its place.
GROUPINGS: dict[str, Grouping] = {"exact": exact_representatives, "url": url_representatives,
                                  "minhash": minhash_representatives}


def _stage(grouping: Grouping) -> Callable[..., tuple[datasets.Dataset, Report]]:
    def stage(ds: datasets.Dataset, priority: list[str], num_proc: int | None = None,
              **params: Any) -> tuple[datasets.Dataset, Report]:
        if len(ds) == 0:
            return ds, {"removed": 0, "removed_by_source": {}}
        rep, figures = grouping(ds, priority, num_proc, **params)
        kept, report = keep.apply(rep, ds)
        return kept, {**report, **figures}

    stage.__doc__ = grouping.__doc__
    return stage


#: Stages a recipe's `dedup:` list can name.
STAGES: dict[str, Callable[..., tuple[datasets.Dataset, Report]]] = {
    **{name: _stage(grouping) for name, grouping in GROUPINGS.items()}, "template_lines": template_lines}

__all__ = ["GROUPINGS", "STAGES", "normalised_digest", "template_lines"]
