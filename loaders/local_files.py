"""Local text collections: JSON Lines, Parquet and plain text files, optionally gzip/bz2/xz/zstd-compressed."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator, Literal

import pyarrow.parquet as pq

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.io import base_suffix, bounded_lines, common_root, open_binary, relative
from bigscience_corpus.schema import document

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".txt": "text",
           ".text": "text", ".md": "text"}

FIXTURE = {"data_files": "demo_data/local_files/*", "lang": "fr", "text_unit": "paragraph"}


@dataclass
class LocalFilesConfig(SourceConfig):
    """Args:
        lang: language of documents that have no `lang_field` value (BCP-47); "und" when unknown.
        text_field / id_field / lang_field / url_field: column names in JSONL and Parquet records. Without an
            id field, a record's id derives from its file (relative to the files' common folder) and line/row.
        text_unit: for plain text files, one document per "file", "paragraph" (blank-line separated) or "line".
        source_name: the `source` column value; defaults to the catalogue id `local_files`.
    """

    lang: str = "und"
    text_field: str = "text"
    id_field: str | None = "id"
    lang_field: str | None = "lang"
    url_field: str | None = "url"
    text_unit: Literal["file", "paragraph", "line"] = "file"
    source_name: str | None = None


class LocalFiles(SourceBuilder):
    """Documents from local JSONL, Parquet or text files (globs; compressed files are read as streams)."""

    BUILDER_CONFIG_CLASS = LocalFilesConfig

    def _shards(self) -> list[str]:
        return self.input_files()

    @property
    def _source(self) -> str:
        return self.config.source_name or self.SOURCE

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        root = common_root(self.input_files())
        name = relative(path, root)
        kind = FORMATS.get(base_suffix(path))
        if kind is None:
            self.skip("unsupported file type", name)
            return
        found, skipped = 0, self._skips.total
        for found, doc in enumerate(getattr(self, f"_{kind}_documents")(path, name), start=1):
            yield doc
        if not found and self._skips.total == skipped:
            self.skip("file has no documents (empty)", name)

    def _record(self, record: dict[str, Any], key: str, name: str, where: dict[str, Any]) -> dict[str, Any] | None:
        cfg = self.config
        text = record.pop(cfg.text_field, None)
        if not isinstance(text, str):
            self.skip(f"record has no string {cfg.text_field!r} field", f"{name}:{key}")
            return None
        own_id = record.pop(cfg.id_field, None) if cfg.id_field else None
        lang = (record.pop(cfg.lang_field, None) if cfg.lang_field else None) or cfg.lang
        url = record.pop(cfg.url_field, None) if cfg.url_field else None
        meta = {**where, **record}
        return document(self._source, str(own_id) if own_id is not None else f"{name}:{key}", text, str(lang),
                        url if isinstance(url, str) else None, meta)

    def _jsonl_documents(self, path: str, name: str) -> Iterator[dict[str, Any]]:
        with open_binary(path) as stream:
            for number, line in bounded_lines(stream, self.config.max_doc_chars * 4):
                if line is None:
                    self.skip("line longer than max_doc_chars", f"{name}:{number}")
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except UnicodeDecodeError:
                    self.skip("undecodable bytes (not UTF-8)", f"{name}:{number}")
                    continue
                except json.JSONDecodeError as err:
                    self.skip("invalid JSON", f"{name}:{number}: {err.msg}")
                    continue
                if not isinstance(record, dict):
                    self.skip("JSON line is not an object", f"{name}:{number}")
                    continue
                doc = self._record(record, str(number), name, {"file": name, "line": number})
                if doc is not None:
                    yield doc

    def _parquet_documents(self, path: str, name: str) -> Iterator[dict[str, Any]]:
        row = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
            for record in batch.to_pylist():
                row += 1
                doc = self._record(record, str(row), name, {"file": name, "row": row})
                if doc is not None:
                    yield doc

    def _text_documents(self, path: str, name: str) -> Iterator[dict[str, Any]]:
        with open_binary(path) as stream:
            limit = self.config.max_doc_chars * 4
            data = stream.read(limit + 1)
            if len(data) > limit:
                self.skip("text file larger than max_doc_chars", name)
                return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.skip("undecodable bytes (not UTF-8)", name)
            return
        if self.config.text_unit == "file":
            units = [text]
        elif self.config.text_unit == "paragraph":
            units = text.split("\n\n")
        else:
            units = text.split("\n")
        for number, unit in enumerate(units, start=1):
            if unit.strip():
                yield document(self._source, f"{name}:{number}", unit, self.config.lang, None,
                               {"file": name, self.config.text_unit: number})
