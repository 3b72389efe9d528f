"""The base `datasets` builder every loader extends, and the skip report of bad input.

A loader lists its *shards* (files, archive members, languages...) and turns one shard into documents. The base
class does the rest the same way for every source: the document features, deterministic keys, a size guard, and
fault isolation — a record or a whole shard that cannot be read is skipped with a counted reason, never fatal
and never silent.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterator

import datasets
import pyarrow as pa
from datasets.builder import Key

from .io import READ_ERRORS
from .schema import DOCUMENT_FEATURES, digest

SKIP_FILE_PREFIX = "skips-"
#: Documents are written in Arrow batches of at most this many rows or characters of text.
BATCH_ROWS = 1000
BATCH_CHARS = 32_000_000
#: Samples of skipped records kept per reason in the report (where, never the content).
SKIP_SAMPLES = 5


class SkipReport:
    """Reason -> count of what a build skipped, with a few locations per reason."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.samples: dict[str, list[str]] = {}

    def add(self, reason: str, where: str = "") -> None:
        self.counts[reason] += 1
        samples = self.samples.setdefault(reason, [])
        if where and len(samples) < SKIP_SAMPLES:
            samples.append(where)

    def merge(self, other: "SkipReport") -> None:
        for reason, count in other.counts.items():
            self.counts[reason] += count
            room = SKIP_SAMPLES - len(self.samples.setdefault(reason, []))
            self.samples[reason].extend(other.samples.get(reason, [])[:max(room, 0)])

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {reason: {"count": count, "samples": self.samples.get(reason, [])}
                for reason, count in sorted(self.counts.items())}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SkipReport":
        report = cls()
        for reason, entry in data.items():
            report.counts[reason] = entry["count"]
            report.samples[reason] = list(entry.get("samples", []))
        return report

    @classmethod
    def read_dir(cls, path: str | os.PathLike) -> "SkipReport":
        """The merged report of every prepare job that wrote into a builder's cache directory."""
        report = cls()
        for file in sorted(Path(path).glob(f"{SKIP_FILE_PREFIX}*.json")):
            report.merge(cls.from_dict(json.loads(file.read_text())))
        return report


@dataclass
class SourceConfig(datasets.BuilderConfig):
    """Options shared by every loader. Loaders subclass it to add their own.

    Args:
        inputs: the resolved input files (local paths or URLs); users give them as `data_files` (globs).
        fingerprint: digest of the inputs (set by `load_source`), so changed input files never hit a stale cache.
        max_doc_chars: longer documents are skipped and reported (a 50 MB one-line "page" is not prose).
    """

    inputs: list[str] | None = None
    fingerprint: str | None = None
    max_doc_chars: int = 10_000_000


class SourceBuilder(datasets.ArrowBasedBuilder):
    """Base class of every loader in `loaders/`.

    Subclasses set `BUILDER_CONFIG_CLASS` and implement `_shards()` and `_documents(shard)`; inside
    `_documents` they call `self.skip(reason, where)` for each record they cannot use.
    """

    BUILDER_CONFIG_CLASS = SourceConfig
    #: The catalogue id of the source (the loader's module name); set by the catalogue.
    SOURCE: ClassVar[str] = ""

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(description=(self.__doc__ or "").strip(), features=DOCUMENT_FEATURES)

    def _split_generators(self, dl_manager: datasets.DownloadManager) -> list[datasets.SplitGenerator]:
        return [datasets.SplitGenerator(name=datasets.Split.TRAIN, gen_kwargs={"shards": list(self._shards())})]

    @classmethod
    def input_fingerprint(cls) -> str:
        """What, besides its data files, decides the builder's output (e.g. the version of a data package)."""
        return ""

    def input_files(self) -> list[str]:
        """The resolved `data_files` (local paths or URLs), in a stable order."""
        if not self.config.inputs:
            raise ValueError(f"source {self.SOURCE!r} needs data_files")
        return list(self.config.inputs)

    def _shards(self) -> list[Any]:
        """The independent units of input (files, languages...); `num_proc` jobs split this list."""
        raise NotImplementedError

    def _documents(self, shard: Any) -> Iterator[dict[str, Any]]:
        """Documents of one shard, each built with `bigscience_corpus.schema.document`."""
        raise NotImplementedError

    def skip(self, reason: str, where: str = "") -> None:
        """Record a record or shard that could not be used, and why."""
        self._skips.add(reason, where)

    def _generate_tables(self, shards: list[Any]) -> Iterator[tuple[Key, pa.Table]]:
        # Arrow batches rather than one example at a time: per-example encoding cost loaders a third of their time.
        self._skips = SkipReport()
        try:
            for shard_idx, shard in enumerate(shards):
                for batch_idx, batch in enumerate(_batches(self._checked_documents(shard))):
                    yield Key(shard_idx, batch_idx), documents_table(batch)
        finally:
            self._write_skips(shards)

    def _checked_documents(self, shard: Any) -> Iterator[dict[str, Any]]:
        """The shard's documents that can be published; a read fault ends the shard, reported."""
        limit = self.config.max_doc_chars
        try:
            for doc in self._documents(shard):
                if not isinstance(doc["text"], str):
                    self.skip("text is not a string", f"{shard}: {doc.get('id')}")
                elif len(doc["text"]) > limit:
                    self.skip(f"document longer than max_doc_chars={limit}", f"{shard}: {doc['id']}")
                else:
                    yield doc
        except READ_ERRORS as err:
            # What was read before the fault has been kept; the rest of this shard is lost and said so.
            self.skip(f"unreadable input ({type(err).__name__})", f"{shard}: {err}"[:300])

    def _write_skips(self, shards: list[Any]) -> None:
        if not self._skips.total:
            return
        name = f"{SKIP_FILE_PREFIX}{digest(repr(shards), 8)}.json"
        Path(self._output_dir, name).write_text(json.dumps(self._skips.to_dict(), ensure_ascii=False, indent=1))

    def skip_report(self) -> SkipReport:
        """What the last `download_and_prepare` skipped (also after a cache hit)."""
        return SkipReport.read_dir(self._output_dir)


def _batches(docs: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    chars = 0
    for doc in docs:
        batch.append(doc)
        chars += len(doc["text"])
        if len(batch) >= BATCH_ROWS or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def documents_table(docs: list[dict[str, Any]]) -> pa.Table:
    """Documents as an Arrow table of the document schema (`meta` as JSON text)."""
    columns = {name: pa.array([d[name] for d in docs], pa.string()) for name in ("id", "text", "lang", "source", "url")}
    columns["meta"] = pa.array([json.dumps(d["meta"], ensure_ascii=False, separators=(",", ":")) for d in docs],
                               pa.json_())
    return pa.Table.from_pydict(columns, schema=DOCUMENT_FEATURES.arrow_schema)
