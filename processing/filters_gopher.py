"""Gopher's repetition and quality filters (Rae et al. 2021, Table A1 and section A.1.1), with the definitions
and defaults datatrove uses, so decisions agree with it. Words: a regex tokenizer close to spaCy's English
rules (datatrove's default), without spaCy's cost."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .base import Filter, register

# Word tokens: runs of letters/digits with inner apostrophes, dots or commas ("don't", "e.g", "3.5", "1,000"),
# runs of dots, or any other single non-space character (punctuation is its own token, as in spaCy).
_TOKEN = re.compile(r"\w+(?:[.'’,]\w+)*|\.{2,}|[^\w\s]")
_PARAGRAPHS = re.compile(r"\n{2,}")
_LINES = re.compile(r"\n+")
# datatrove's PUNCTUATION_SET for "symbol-only words" is punctuation; approximated by "no letter or digit".
_HAS_WORD_CHAR = re.compile(r"[^\W_]")

GOPHER_STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


def gopher_words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def duplicates(items: list[str]) -> tuple[int, int]:
    """(number of items seen before, their characters)."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars


def top_ngram_chars(words: list[str], n: int) -> int:
    """Characters (spaces included) of the most frequent word n-gram times its count."""
    grams = Counter(zip(*(words[i:] for i in range(n))))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return (sum(map(len, gram)) + n - 1) * count


def duplicated_ngram_chars(words: list[str], n: int) -> int:
    """Characters (no spaces) of word n-grams seen before, scanning left to right and skipping past each
    duplicate, so overlapping repeats count once."""
    seen: set[tuple[str, ...]] = set()
    chars = i = 0
    last = len(words) - n
    while i <= last:
        gram = tuple(words[i:i + n])
        if gram in seen:
            chars += sum(map(len, gram))
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


@register
class GopherRepetition(Filter):
    """Gopher repetition: duplicate lines/paragraphs (share and characters), top 2-4-gram character shares,
    duplicated 5-10-gram character shares. A `null` threshold disables that check."""

    name = "gopher_repetition"
    defaults = {"dup_line_frac": 0.3, "dup_para_frac": 0.3, "dup_line_char_frac": 0.2, "dup_para_char_frac": 0.2,
                "top_n_grams": {2: 0.2, 3: 0.18, 4: 0.16},
                "dup_n_grams": {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        if not text:
            return {}, "empty"
        size = len(text)
        paragraphs = _PARAGRAPHS.split(text.strip())
        para_dups, para_chars = duplicates(paragraphs)
        lines = _LINES.split(text)
        line_dups, line_chars = duplicates(lines)
        stats: dict[str, Any] = {"dup_para_frac": para_dups / len(paragraphs), "dup_para_char_frac": para_chars / size,
                                 "dup_line_frac": line_dups / len(lines), "dup_line_char_frac": line_chars / size}
        words = gopher_words(text)
        for n in params["top_n_grams"]:
            stats[f"top_{n}_gram"] = top_ngram_chars(words, int(n)) / size
        for n in params["dup_n_grams"]:
            stats[f"duplicated_{n}_n_grams"] = duplicated_ngram_chars(words, int(n)) / size
        limits = {key: params[key] for key in ("dup_para_frac", "dup_para_char_frac", "dup_line_frac",
                                               "dup_line_char_frac")}
        limits.update({f"top_{n}_gram": v for n, v in params["top_n_grams"].items()})
        limits.update({f"duplicated_{n}_n_grams": v for n, v in params["dup_n_grams"].items()})
        for key, limit in limits.items():  # datatrove's order: the first failing check names the reason
            if limit is not None and stats[key] > limit:
                return stats, f"{key} {stats[key]:.3f} > {limit}"
        return stats, None


@register
class GopherQuality(Filter):
    """Gopher quality: word count and mean word length (of words with a letter or digit), hash and ellipsis
    per word, bullet and ellipsis line shares, share of words with a letter, count of distinct stop words."""

    name = "gopher_quality"
    defaults = {"min_doc_words": 50, "max_doc_words": 100_000, "min_avg_word_length": 3, "max_avg_word_length": 10,
                "max_symbol_word_ratio": 0.1, "max_bullet_lines_ratio": 0.9, "max_ellipsis_lines_ratio": 0.3,
                "max_non_alpha_words_ratio": 0.8, "min_stop_words": 2, "stop_words": list(GOPHER_STOP_WORDS)}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        words = gopher_words(text)
        n_words = len(words) or 1  # datatrove divides by the raw count; an empty text fails on length first
        content = [w for w in words if _HAS_WORD_CHAR.search(w)]
        lines = text.splitlines() or [""]
        stats = {
            "words": len(content),
            "avg_word_length": sum(map(len, content)) / len(content) if content else 0.0,
            "hash_ratio": text.count("#") / n_words,
            "ellipsis_ratio": (text.count("...") + text.count("…")) / n_words,
            "bullet_lines_ratio": sum(s.lstrip().startswith(("•", "-")) for s in lines) / len(lines),
            "ellipsis_lines_ratio": sum(s.rstrip().endswith(("...", "…")) for s in lines) / len(lines),
            "alpha_words_ratio": sum(1 for w in words if any(c.isalpha() for c in w)) / n_words,
            "stop_words": len(set(params["stop_words"]).intersection(words)),
        }
        p = params
        checks = (
            ("words", p["min_doc_words"], stats["words"] < (p["min_doc_words"] or 0)),
            ("words", p["max_doc_words"], p["max_doc_words"] and stats["words"] > p["max_doc_words"]),
            ("avg_word_length", p["min_avg_word_length"], stats["avg_word_length"] < (p["min_avg_word_length"] or 0)),
            ("avg_word_length", p["max_avg_word_length"],
             p["max_avg_word_length"] and stats["avg_word_length"] > p["max_avg_word_length"]),
            ("hash_ratio", p["max_symbol_word_ratio"],
             p["max_symbol_word_ratio"] and stats["hash_ratio"] > p["max_symbol_word_ratio"]),
            ("ellipsis_ratio", p["max_symbol_word_ratio"],
             p["max_symbol_word_ratio"] and stats["ellipsis_ratio"] > p["max_symbol_word_ratio"]),
            ("bullet_lines_ratio", p["max_bullet_lines_ratio"],
             p["max_bullet_lines_ratio"] and stats["bullet_lines_ratio"] > p["max_bullet_lines_ratio"]),
            ("ellipsis_lines_ratio", p["max_ellipsis_lines_ratio"],
             p["max_ellipsis_lines_ratio"] and stats["ellipsis_lines_ratio"] > p["max_ellipsis_lines_ratio"]),
            ("alpha_words_ratio", p["max_non_alpha_words_ratio"],
             stats["alpha_words_ratio"] < (p["max_non_alpha_words_ratio"] or 0)),
            ("stop_words", p["min_stop_words"], stats["stop_words"] < (p["min_stop_words"] or 0)),
        )
        for key, limit, failed in checks:
            if failed:
                return stats, f"{key} {stats[key]:.3g} outside limit {limit}"
        return stats, None
