"""Derive ROOTS filter parameters for languages ROOTS never filtered, from the statistics of real text.

Writes `resources/derived_thresholds.json`, which states the method and, per language, the data used.
Run: `python -m bigscience_corpus.processing.derive_thresholds [--corpus ../shared/bench/doc_corpus.jsonl.xz]`.
Curators can apply the same rule to their own annotated data with `threshold_from`.
"""
from __future__ import annotations

import argparse
import json
import lzma
from collections import defaultdict
from pathlib import Path
from typing import Iterable

import numpy as np

#: BigScience languages without ROOTS parameters: Niger-Congo, Indic, and code.
LANGUAGES = ("ak bm fon ig ki lg ln nso ny rn rw sn st sw tn ts tum tw wo xh yo zu "
             "as gu kn ml mr ne or pa ta te").split()

METHOD = (
    "Each statistic is computed with this package's filters on real text of the language. Documents: the UDHR "
    "specimens of the gflanguages package (4-5 texts of 100-700 characters per language: small, formal, and the "
    "same text in every language) and, where present, documents of the Debian/GNOME documentation corpus "
    "(bench/doc_corpus.jsonl.xz) that lid.176 assigns to the language with score >= 0.5. Rule: for an upper "
    "cutoff, max(ROOTS default, 1.5 x the 99th percentile, or the largest value under 20 documents), at most 1; "
    "for a lower "
    "cutoff, min(ROOTS default, 0.5 x the 1st percentile, or the smallest value). The ROOTS defaults bound the "
    "result so a small sample can only relax, never tighten, the released defaults. Word-count limits are not derived "
    "(UDHR excerpts say nothing about document length): the default entry, ROOTS's or the recipe's, applies. The stopword filter is disabled where "
    "stopwords-iso has no list, the flagged-word filter wherever no list ships, the language-ID filter where "
    "lid.176 recognises under half of the language's texts (use GlotLID: model `cis-lmu/glotlid`), and perplexity "
    "everywhere until a KenLM model is configured for the language."
)

ROOTS_DEFAULTS = {"character_repetition_max_cutoff": 0.2, "word_repetition_max_cutoff": 0.3,
                  "special_characters_max_cutoff": 0.4, "stopwords_min_cutoff": 0.1, "lang_id_min_cutoff": 0.7}


def threshold_from(values: Iterable[float], default: float, upper: bool) -> float:
    """The rule of METHOD for one statistic."""
    data = np.array([v for v in values if v is not None], dtype=float)
    if not data.size:
        return default
    if upper:
        observed = np.percentile(data, 99) if data.size >= 20 else data.max()
        return round(min(1.0, max(default, 1.5 * float(observed))), 4)  # every statistic is a ratio
    observed = np.percentile(data, 1) if data.size >= 20 else data.min()
    return round(min(default, 0.5 * float(observed)), 4)


def udhr_texts(lang: str) -> tuple[str, list[str]]:
    from gflanguages import LoadLanguages

    languages = LoadLanguages()
    for key in sorted(k for k in languages if k.split("_")[0] == lang):
        sample = languages[key].sample_text
        texts = [t for t in (sample.specimen_16, sample.specimen_21, sample.specimen_32, sample.specimen_36,
                             sample.tester) if t and len(t) >= 60]
        if texts:
            return key, texts
    return "", []


def corpus_texts(path: Path | None, limit: int = 300) -> dict[str, list[str]]:
    if path is None or not path.exists():
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            lang = doc["id"].split("__")[-1].split("/")[0].split("-")[0].split("_")[0]
            if lang in LANGUAGES and len(out[lang]) < limit:
                out[lang].append(doc["text"])
    return out


def derive(lang: str, udhr: list[str], corpus: list[str], udhr_key: str) -> dict:
    from .filters_roots import (character_repetition_ratio, same_language, word_list, word_repetition_ratio)
    from .langid import LanguageIdentifier
    from .text import roots_words, special_character_count

    identifier = LanguageIdentifier()
    corpus = [t for t, (pred, score) in zip(corpus, identifier.predict(corpus))
              if same_language(pred, lang) and score >= 0.5]
    texts = udhr + corpus
    predictions = identifier.predict(texts)
    recognised = [score for (pred, score) in predictions if same_language(pred, lang)]
    stop = word_list("stopwords", lang)
    stats = defaultdict(list)
    for text in texts:
        words = roots_words(text, lower=True)
        stats["char"].append(character_repetition_ratio(text, 10))
        stats["word"].append(word_repetition_ratio(words, 5))
        stats["special"].append(special_character_count(text) / len(text))
        if stop and words:
            stats["stop"].append(sum(w in stop for w in words) / len(words))
    lid_ok = bool(texts) and len(recognised) >= len(texts) / 2
    params = {
        "character_repetition_length": 10,
        "character_repetition_max_cutoff": threshold_from(stats["char"], ROOTS_DEFAULTS["character_repetition_max_cutoff"], True),
        "word_repetition_length": 5,
        "word_repetition_max_cutoff": threshold_from(stats["word"], ROOTS_DEFAULTS["word_repetition_max_cutoff"], True),
        "special_characters_max_cutoff": threshold_from(stats["special"], ROOTS_DEFAULTS["special_characters_max_cutoff"], True),
        "cond_check_stopwords": bool(stop),
        "stopwords_min_cutoff": threshold_from(stats["stop"], ROOTS_DEFAULTS["stopwords_min_cutoff"], False),
        "cond_check_flagged_words": bool(word_list("flagged_words", lang)),
        "cond_check_lang_id": lid_ok,
        "lang_id_min_cutoff": threshold_from(recognised, ROOTS_DEFAULTS["lang_id_min_cutoff"], False),
        "cond_check_perplexity": False,
    }
    data = (f"gflanguages {udhr_key} UDHR specimens: {len(udhr)} texts" if udhr else "no gflanguages text")
    if corpus:
        data += f"; doc_corpus: {len(corpus)} documents identified as {lang}"
    if not texts:
        data += " (no data: ROOTS defaults kept)"
    return {"data": data, "lid176_recognised": f"{len(recognised)}/{len(texts)}", "params": params}


def code_entry() -> dict:
    """Source code: prose statistics mean nothing there; keep only length and repetition checks."""
    return {"data": "none: rule of thumb", "params": {
        "number_words_min_cutoff": 10, "number_words_max_cutoff": 1_000_000,
        "character_repetition_length": 10, "character_repetition_max_cutoff": 0.5,
        "word_repetition_length": 5, "word_repetition_max_cutoff": 0.8,
        "cond_check_special_characters": False, "cond_check_stopwords": False, "cond_check_flagged_words": False,
        "cond_check_lang_id": False, "cond_check_perplexity": False}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/bench/doc_corpus.jsonl.xz"))
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "resources/derived_thresholds.json")
    args = ap.parse_args(argv)
    corpus = corpus_texts(args.corpus)
    languages = {}
    for lang in LANGUAGES:
        key, udhr = udhr_texts(lang)
        languages[lang] = derive(lang, udhr, corpus.get(lang, []), key)
    languages["code"] = code_entry()
    args.out.write_text(json.dumps({"method": METHOD, "languages": languages}, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
