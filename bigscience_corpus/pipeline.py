"""Running a recipe: sources -> per-source steps -> cross-source dedup -> mixture and splits -> Hub folder.

Data flows one way; each stage returns what the next needs plus figures for the report and manifest.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm.auto import tqdm

from . import hub_layout, mixture
from .build_report import report_dir, write_report
from .corpus_card import write_card_and_manifest
from .builder import SkipReport
from .catalogue import build_source, get_source
from .errors import UserError
from .processing import ANNOTATION_COLUMNS, Step, build_step
from .processing.dedup import STAGES
from .processing.pii import totals as pii_totals
from .processing.text import words
from .recipe import Recipe, SourceEntry
from .schema import DOCUMENT_COLUMNS
from .tokens import Tokenizer, count_tokens, load_tokenizer

#: Dropped documents shown per reason in the report, and the characters of text kept for each.
DROP_SAMPLES = 3
SAMPLE_CHARS = 300


@dataclass
class SourceResult:
    name: str
    loaded: int
    skips: SkipReport
    checksums: dict[str, str]
    dropped: Counter = field(default_factory=Counter)
    drop_samples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    edits: Counter = field(default_factory=Counter)
    #: Documents each annotate-mode filter would have dropped.
    flagged: Counter = field(default_factory=Counter)
    #: PII found by the `pii` step in the kept documents: language -> type -> count.
    pii: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The steps run on this source, and what they recorded: `lang`, `drop_reason`, `flags`, every `stat_*`
    #: column, and the first characters of `text` — for the threshold plots and samples of the build report.
    steps: list[Step] = field(default_factory=list)
    stats: pa.Table | None = None
    after_steps: int = 0
    after_dedup: int = 0
    after_sampling: int = 0


@dataclass
class BuildResult:
    recipe: Recipe
    out_dir: Path
    sources: list[SourceResult]
    dedup: dict[str, dict[str, Any]]
    written: list[hub_layout.WrittenSplit]
    #: Documents, bytes and words per (lang, source, split) of the published corpus.
    composition: list[dict[str, Any]]


def plan(recipe: Recipe) -> dict[int, list[Step]]:
    """Check the whole recipe against the catalogue and build its steps, before any data is read.
    (The tokenizer, if any, is loaded by `build_corpus` before any data is read, too.)"""
    steps: dict[int, list[Step]] = {}
    for i, entry in enumerate(recipe.sources):
        source = get_source(entry.source)
        where = f"{recipe.path}: sources[{i}] ({entry.source})"
        source.check()
        unknown = set(entry.options) - set(source.options)
        if unknown:
            raise UserError(f"unknown option(s) {sorted(unknown)}; {entry.source} takes: {', '.join(source.options)}",
                            where)
        try:
            steps[i] = [build_step(s) for s in (entry.steps if entry.steps is not None else recipe.steps)]
        except ValueError as err:
            raise UserError(str(err), where) from None
    for stage in recipe.dedup:
        if stage["name"] not in STAGES:
            raise UserError(f"unknown dedup stage {stage['name']!r}; known: {', '.join(STAGES)}", recipe.path)
    return steps


def _run_steps(batch: dict[str, list], steps: list[Step]) -> dict[str, list]:
    for step in steps:
        batch = step(batch)
    return batch


def run_source(entry: SourceEntry, steps: list[Step], recipe: Recipe, cache_dir: str | None,
               num_proc: int | None) -> tuple[datasets.Dataset, SourceResult]:
    """Load one source and apply its steps; returns the kept documents (document columns only)."""
    built = build_source(entry.source, entry.options, cache_dir=cache_dir, num_proc=num_proc,
                         base_dir=recipe.base_dir)
    ds = built.dataset
    result = SourceResult(entry.source, len(ds), built.skips, built.checksums, steps=steps)
    if steps and len(ds):
        ds = ds.map(_run_steps, fn_kwargs={"steps": steps}, batched=True, num_proc=num_proc,
                    desc=f"{entry.source}: {', '.join(s.name for s in steps)}")
        annotations = ds.select_columns([c for c in ANNOTATION_COLUMNS if c in ds.column_names])
        reasons = annotations["drop_reason"] if "drop_reason" in ds.column_names else [None] * len(ds)
        for row, reason in enumerate(reasons):
            if reason is None:
                continue
            step = reason.split(":", 1)[0]
            result.dropped[step] += 1
            samples = result.drop_samples.setdefault(step, [])
            if len(samples) < DROP_SAMPLES:
                doc = ds[row]
                samples.append({"id": doc["id"], "reason": reason, "text": doc["text"][:SAMPLE_CHARS]})
        if "edits" in ds.column_names:
            result.edits.update(step for edits in annotations["edits"] for step in edits)
        if "flags" in ds.column_names:
            result.flagged.update(step for flags in annotations["flags"] for step in flags)
        stat_columns = [c for c in ds.column_names if c.startswith("stat_")]
        if stat_columns:
            stats = ds.select_columns(["lang", "drop_reason", "flags", "text", *stat_columns]).data.table
            excerpts = pc.utf8_slice_codeunits(stats.column("text"), 0, SAMPLE_CHARS)
            result.stats = stats.set_column(stats.schema.get_field_index("text"), "text", excerpts).combine_chunks()
        if result.dropped:
            ds = ds.filter(lambda r: [x is None for x in r], input_columns="drop_reason", batched=True,
                           num_proc=num_proc, desc=f"{entry.source}: dropping")
        result.pii = {lang: {t: n for t, n in sorted(counts.items()) if n}
                      for (lang,), counts in pii_totals(ds, by=("lang",)).items() if sum(counts.values())}
        ds = ds.select_columns(DOCUMENT_COLUMNS)
    result.after_steps = len(ds)
    return ds, result


def build_corpus(recipe: Recipe, out_root: str | Path = "out", cache_dir: str | None = None,
                 num_proc: int | None = None) -> BuildResult:
    """Build the corpus of `recipe` into `<out_root>/<recipe.name>/` (written atomically)."""
    steps = plan(recipe)
    tokenizer = load_tokenizer(recipe.tokenizer, recipe.base_dir) if recipe.tokenizer else None
    stage = _stages(len(recipe.sources) + 3)
    parts, results = [], []
    for i, entry in enumerate(recipe.sources):
        stage(f"source {entry.source}")
        ds, result = run_source(entry, steps[i], recipe, cache_dir, num_proc)
        parts.append(ds)
        results.append(result)
    corpus = datasets.concatenate_datasets(parts)

    stage("deduplication")
    priority = [e.source for e in recipe.sources]
    dedup_reports: dict[str, dict[str, Any]] = {}
    for spec in recipe.dedup:
        name = spec["name"]
        try:
            corpus, dedup_reports[name] = STAGES[name](corpus, priority, num_proc, **(spec.get("params") or {}))
        except (TypeError, ValueError) as err:  # a bad parameter in the recipe's dedup entry
            raise UserError(f"dedup stage {name!r}: {err}", recipe.path) from None
    per_source = Counter(corpus["source"])
    for result in results:
        result.after_dedup = per_source.get(result.name, 0)

    stage("mixture and splits")
    mixed = mixture.sample(corpus, {e.source: e.ratio for e in recipe.sources}, recipe.seed)
    if len(mixed) == 0:
        dropped = {r.name: dict(r.dropped) for r in results}
        raise UserError(f"no document is left to publish (dropped by steps: {dropped}); loosen the steps or "
                        "check the sources", recipe.path)
    per_source = Counter(mixed["source"])
    for result in results:
        result.after_sampling = per_source.get(result.name, 0)
    splits = mixture.split_rows(list(mixed["id"]), list(mixed["lang"]), recipe.validation, recipe.seed)

    stage("writing")
    out_dir = Path(out_root) / recipe.name
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{recipe.name}.", dir=out_dir.parent))
    try:
        written = _write_configs(mixed, splits, tmp, recipe)
        result = BuildResult(recipe, out_dir, results, dedup_reports, written, composition(mixed, splits, tokenizer))
        write_card_and_manifest(result, tmp)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_report(result, report_dir(out_root, recipe.name))
    return result


def _write_configs(mixed: datasets.Dataset, splits: dict[str, Any], root: Path, recipe: Recipe):
    """Write the default config (every language, interleaved) and one config per language."""
    parts = []
    for split, rows in splits.items():
        ds = mixture.interleaved(mixed.select(rows), recipe.seed)
        if len(ds) == 0:
            continue
        parts.append((hub_layout.DEFAULT_CONFIG, split, ds))
        langs = np.array(ds["lang"], dtype=object)
        parts += [(lang, split, ds.select(np.flatnonzero(langs == lang))) for lang in sorted(set(langs))]
    bars = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()  # one bar per shard of every config would flood the terminal: one in all
    try:
        return [hub_layout.write_split(ds, root, config, split, recipe.max_shard_size)
                for config, split, ds in tqdm(parts, desc="writing parquet shards", unit=" splits")]
    finally:
        if bars:
            datasets.enable_progress_bars()


def composition(mixed: datasets.Dataset, splits: dict[str, Any], tokenizer: Tokenizer | None = None
                ) -> list[dict[str, Any]]:
    """Documents, bytes, words (and tokens, given a tokenizer) per (language, source, split) of the corpus."""
    split_of = np.empty(len(mixed), dtype=object)
    for split, rows in splits.items():
        split_of[rows] = split
    totals: dict[tuple[str, str, str], Counter] = {}
    for start in range(0, len(mixed), 1000):
        batch = mixed[start:start + 1000]
        tokens = count_tokens(tokenizer, batch["text"]) if tokenizer else None
        for i, (text, lang, source) in enumerate(zip(batch["text"], batch["lang"], batch["source"])):
            figures = {"documents": 1, "bytes": len(text.encode("utf-8")), "words": len(words(text))}
            if tokens:
                figures["tokens"] = tokens[i]
            totals.setdefault((lang, source, split_of[start + i]), Counter()).update(figures)
    return [{"lang": lang, "source": source, "split": split, **figures}
            for (lang, source, split), figures in sorted(totals.items())]


def _stages(total: int):
    count = 0

    def stage(name: str) -> None:
        nonlocal count
        count += 1
        print(f"[{count}/{total}] {name}", file=sys.stderr, flush=True)

    return stage
