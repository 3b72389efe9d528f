"""Any dataset already on the Hugging Face Hub (or a local folder in the Hub's layout), streamed, one column
mapped to the document text."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Iterator

import datasets

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.catalogue import PACKAGE_DIR
from bigscience_corpus.errors import UserError
from bigscience_corpus.schema import document

FIXTURE = {"dataset_id": "demo_data/hub/demo-text", "text_column": "content", "id_column": "doc_id",
           "lang_column": "language", "url_column": "source_url"}


@dataclass
class HubConfig(SourceConfig):
    """Args:
        dataset_id: a Hub dataset id (`allenai/c4`) or a local folder in the Hub's layout (absolute, relative to the
            working directory, or to the package, where its demo data lives).
        subset: the dataset's config name (`en`, `20231101.fr`...); None for its default.
        split: the split to load.
        revision: a commit, tag or branch of the Hub repo; pin one so a rebuild reads the same data.
        text_column: the column holding the text.
        id_column / lang_column / url_column: optional columns for the document's own id, language and URL.
            Without an id column, ids derive from the shard and row (stable for a pinned revision).
        meta_columns: columns kept in `meta`; None keeps every other column whose values are JSON.
        lang: language of rows without a `lang_column` value (BCP-47).
        limit: read only the first `limit` rows (a quick look at a huge dataset).
    """

    dataset_id: str | None = None
    subset: str | None = None
    split: str = "train"
    revision: str | None = None
    text_column: str = "text"
    id_column: str | None = None
    lang_column: str | None = None
    url_column: str | None = None
    meta_columns: list[str] | None = None
    lang: str = "und"
    limit: int | None = None


class Hub(SourceBuilder):
    """One document per row of a Hub dataset split, read in streaming mode (nothing downloaded up front)."""

    BUILDER_CONFIG_CLASS = HubConfig

    def _location(self) -> str:
        repo = self.config.dataset_id
        if not repo:
            raise UserError("source 'hub' needs dataset_id (a Hub dataset id or a local folder in Hub layout)")
        packaged = PACKAGE_DIR / repo
        return repo if os.path.isdir(repo) or not packaged.is_dir() else str(packaged)

    def _stream(self) -> datasets.IterableDataset:
        # Resolved once (listing a big Hub repo's files takes requests), then pickled to `num_proc` workers.
        if getattr(self, "_resolved", None) is None:
            cfg = self.config
            ds = datasets.load_dataset(self._location(), cfg.subset, split=cfg.split, revision=cfg.revision,
                                       streaming=True)
            self._resolved = ds.take(cfg.limit) if cfg.limit is not None else ds
        return self._resolved

    def _shards(self) -> list[int]:
        ds = self._stream()
        columns = ds.column_names or []
        wanted = [self.config.text_column, self.config.id_column, self.config.lang_column, self.config.url_column,
                  *(self.config.meta_columns or [])]
        missing = [c for c in wanted if c and columns and c not in columns]
        if missing:
            raise UserError(f"{self.config.dataset_id} has no column(s) {missing}; "
                            f"its columns are: {', '.join(columns)}")
        # `limit` is a prefix of the whole split: read in one piece, not per shard.
        return [0] if self.config.limit is not None else list(range(ds.n_shards))

    def _documents(self, shard: int) -> Iterator[dict[str, Any]]:
        cfg = self.config
        ds = self._stream()
        if cfg.limit is None and ds.n_shards > 1:
            ds = ds.shard(num_shards=ds.n_shards, index=shard)
        # Ids must not depend on where a local copy lives: a folder is known by its name, like a repo by its id.
        name = os.path.basename(os.path.normpath(cfg.dataset_id)) if os.path.isdir(self._location()) else cfg.dataset_id
        prefix = f"{name}/{cfg.subset or 'default'}/{cfg.split}"
        mapped = {cfg.text_column, cfg.id_column, cfg.lang_column, cfg.url_column}
        for row, record in enumerate(ds):
            text = record.get(cfg.text_column)
            where = f"{prefix}: shard {shard} row {row}"
            if not isinstance(text, str):
                self.skip(f"row has no string {cfg.text_column!r} value", where)
                continue
            own_id = record.get(cfg.id_column) if cfg.id_column else None
            lang = record.get(cfg.lang_column) if cfg.lang_column else None
            url = record.get(cfg.url_column) if cfg.url_column else None
            meta = {"hub_dataset": name, "hub_config": cfg.subset, "split": cfg.split, "shard": shard, "row": row}
            keep = cfg.meta_columns if cfg.meta_columns is not None else [c for c in record if c not in mapped]
            meta.update({c: record[c] for c in keep if c in record and is_json(record[c])})
            key = f"{prefix}/{own_id}" if own_id is not None else f"{prefix}/{shard}:{row}"
            yield document(self.SOURCE, key, text, lang if isinstance(lang, str) and lang else cfg.lang,
                           url if isinstance(url, str) else None, meta)


def is_json(value: Any) -> bool:
    """Whether a value can go in the JSON `meta` column (images, audio and bytes cannot)."""
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
