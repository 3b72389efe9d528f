"""ROOTS quality filters (number of words, character repetition) with ROOTS's per-language parameters."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from importlib import resources
from typing import Any

from .base import Filter, register

# Scripts written without spaces between words: each character counts as a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


def _roots_params(mapping: dict[str, str]) -> dict[str, dict[str, Any]]:
    """This module's parameter names, per language, read from the shipped ROOTS threshold table."""
    table = json.loads(resources.files(__package__).joinpath("resources/roots_thresholds.json").read_text())
    return {lang: {ours: values[theirs] for ours, theirs in mapping.items() if theirs in values}
            for lang, values in table.items()}


def words(text: str) -> list[str]:
    """Whitespace words; in unspaced scripts (Chinese, Japanese, Thai) every character is a word."""
    tokens = text.split()
    if not _UNSPACED.search(text):
        return tokens
    out: list[str] = []
    for token in tokens:
        out.extend(_UNSPACED.sub(lambda m: f" {m.group()} ", token).split())
    return out


@register
class WordCount(Filter):
    """Keep documents with `min_words` <= number of words <= `max_words`."""

    name = "word_count"
    defaults = {"min_words": 10, "max_words": 100_000}
    language_params = _roots_params({"min_words": "number_words_min_cutoff", "max_words": "number_words_max_cutoff"})

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, float], str | None]:
        n = len(words(text))
        if n < params["min_words"]:
            return {self.name: n}, f"{n} words < {params['min_words']}"
        if n > params["max_words"]:
            return {self.name: n}, f"{n} words > {params['max_words']}"
        return {self.name: n}, None


def character_repetition_ratio(text: str, n: int) -> float:
    """ROOTS character repetition: the share of character n-gram occurrences taken by the k most frequent
    n-grams, k = floor(sqrt(#distinct n-grams)) capped at the number of n-grams seen more than once
    (the variant ROOTS's filtering code applied, so text with no repeated n-gram scores 0)."""
    grams = Counter(text[i:i + n] for i in range(len(text) - n + 1))
    if not grams:
        return 0.0
    freqs = sorted(grams.values(), reverse=True)
    repeated = sum(1 for f in freqs if f > 1)
    k = min(int(math.sqrt(len(freqs))), repeated)
    return sum(freqs[:k]) / sum(freqs)


@register
class CharacterRepetition(Filter):
    """Drop documents whose character n-gram repetition ratio exceeds `max_ratio`."""

    name = "char_repetition"
    defaults = {"n": 10, "max_ratio": 0.2}
    language_params = _roots_params({"n": "character_repetition_length", "max_ratio": "character_repetition_max_cutoff"})

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, float], str | None]:
        ratio = character_repetition_ratio(text, params["n"])
        if ratio > params["max_ratio"]:
            return {self.name: ratio}, f"ratio {ratio:.3f} > {params['max_ratio']}"
        return {self.name: ratio}, None
