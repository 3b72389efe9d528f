"""The eight ROOTS quality filters and ROOTS's pre-filter edits, with per-language parameters.

Parameters: ROOTS's released table (`resources/roots_thresholds.json`) for the 13 languages it filtered, and
`resources/derived_thresholds.json` for the other BigScience languages (method and data stated in that file).
Each filter has `enabled` (ROOTS's `cond_check_*`): a disabled filter still writes its statistic, never drops.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from collections import Counter
from importlib import resources
from typing import Any

from .base import Batch, Filter, Step, record_edits, register
from .langid import DEFAULT_MODEL, LanguageIdentifier
from .text import augment, roots_words, special_character_count

Result = tuple[dict[str, Any], "str | None"]


def _resource(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(f"resources/{name}").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _threshold_tables() -> dict[str, dict[str, Any]]:
    derived = {lang: entry["params"] for lang, entry in _resource("derived_thresholds.json")["languages"].items()}
    return {**derived, **_resource("roots_thresholds.json")}


def roots_params(mapping: dict[str, str]) -> dict[str, dict[str, Any]]:
    """This module's parameter names, per language, read from the shipped threshold tables."""
    return {lang: {ours: values[theirs] for ours, theirs in mapping.items() if theirs in values}
            for lang, values in _threshold_tables().items()}


@functools.lru_cache(maxsize=None)
def word_list(kind: str, lang: str | None) -> frozenset[str]:
    """The shipped `stopwords` or `flagged_words` list of `lang` (its base subtag); empty when none ships."""
    table = _resource(f"{kind}.json")
    base = (lang or "").split("-")[0]
    return frozenset(table.get(lang or "", table.get(base, [])))


def _check_max(name: str, value: float, limit: float | None) -> str | None:
    return f"{name} {value:.4g} > {limit}" if limit is not None and value > limit else None


def _check_min(name: str, value: float, limit: float | None) -> str | None:
    return f"{name} {value:.4g} < {limit}" if limit is not None and value < limit else None


class RootsFilter(Filter):
    """A ROOTS filter: one statistic, compared with a cutoff; `enabled: false` annotates only."""

    def statistic(self, text: str, params: dict[str, Any]) -> float:
        raise NotImplementedError

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def evaluate(self, text: str, params: dict[str, Any]) -> Result:
        value = self.statistic(text, params)
        return {self.name: value}, (self.judge(value, params) if params["enabled"] else None)


@register
class WordCount(RootsFilter):
    """Keep documents with `min_words` <= number of words <= `max_words` (words as ROOTS split them)."""

    name = "word_count"
    defaults = {"enabled": True, "min_words": 10, "max_words": 100_000}
    language_params = roots_params({"enabled": "cond_check_number_words", "min_words": "number_words_min_cutoff",
                                    "max_words": "number_words_max_cutoff"})

    def statistic(self, text: str, params: dict[str, Any]) -> float:
        return len(roots_words(text))

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        if value < params["min_words"]:
            return f"{value} words < {params['min_words']}"
        return f"{value} words > {params['max_words']}" if value > params["max_words"] else None


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
class CharacterRepetition(RootsFilter):
    """Drop documents whose character n-gram repetition ratio exceeds `max_ratio`."""

    name = "char_repetition"
    defaults = {"enabled": True, "n": 10, "max_ratio": 0.2}
    language_params = roots_params({"enabled": "cond_check_character_repetition_removal",
                                    "n": "character_repetition_length",
                                    "max_ratio": "character_repetition_max_cutoff"})

    def statistic(self, text: str, params: dict[str, Any]) -> float:
        return character_repetition_ratio(text, params["n"])

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        return _check_max("ratio", value, params["max_ratio"])


def word_repetition_ratio(words: list[str], n: int) -> float:
    """ROOTS word repetition: the share of word n-gram occurrences whose n-gram occurs more than once."""
    grams = Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    total = sum(grams.values())
    return sum(f for f in grams.values() if f > 1) / total if total else 0.0


@register
class WordRepetition(RootsFilter):
    """Drop documents whose word n-gram repetition ratio (lowercased words) exceeds `max_ratio`."""

    name = "word_repetition"
    defaults = {"enabled": True, "n": 5, "max_ratio": 0.3}
    language_params = roots_params({"enabled": "cond_check_word_repetition_removal", "n": "word_repetition_length",
                                    "max_ratio": "word_repetition_max_cutoff"})

    def statistic(self, text: str, params: dict[str, Any]) -> float:
        return word_repetition_ratio(roots_words(text, lower=True), params["n"])

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        return _check_max("ratio", value, params["max_ratio"])


@register
class SpecialCharacters(RootsFilter):
    """Drop documents whose share of special characters (punctuation, digits, whitespace, symbols, emoji)
    exceeds `max_ratio`. Empty text scores 1: it has nothing else."""

    name = "special_characters"
    defaults = {"enabled": True, "max_ratio": 0.4}
    language_params = roots_params({"enabled": "cond_check_special_characters",
                                    "max_ratio": "special_characters_max_cutoff"})

    def statistic(self, text: str, params: dict[str, Any]) -> float:
        return special_character_count(text) / len(text) if text else 1.0

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        return _check_max("ratio", value, params["max_ratio"])


class WordListRatio(RootsFilter):
    """Share of the (lowercased, augmented) words that are in a word list of the document's language."""

    kind: str

    def evaluate_batch(self, batch: Batch) -> list[Result]:
        langs = batch.get("lang") or [None] * len(batch["text"])
        out = []
        for text, lang in zip(batch["text"], langs):
            params = self.params_for(lang)
            listed = word_list(self.kind, lang) if params["words"] is None else frozenset(params["words"])
            if not listed:  # no list for this language: nothing to measure
                out.append(({self.name: None}, None))
                continue
            tokens = augment(roots_words(text or "", lower=True), params["augment_group_sizes"])
            value = sum(1 for w in tokens if w in listed) / len(tokens) if tokens else 0.0
            out.append(({self.name: value}, self.judge(value, params) if params["enabled"] else None))
        return out


@register
class Stopwords(WordListRatio):
    """Drop documents whose stopword ratio is below `min_ratio` (too little running text). Lists: stopwords-iso;
    `words` replaces the list."""

    name = "stopwords"
    kind = "stopwords"
    defaults = {"enabled": True, "min_ratio": 0.1, "words": None, "augment_group_sizes": []}
    language_params = roots_params({"enabled": "cond_check_stopwords", "min_ratio": "stopwords_min_cutoff",
                                    "augment_group_sizes": "words_augmentation_group_sizes"})

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        return _check_min("ratio", value, params["min_ratio"])


@register
class FlaggedWords(WordListRatio):
    """Drop documents whose flagged (obscene) word ratio exceeds `max_ratio`; `words` replaces the list."""

    name = "flagged_words"
    kind = "flagged_words"
    defaults = {"enabled": True, "max_ratio": 0.1, "words": None, "augment_group_sizes": []}
    language_params = roots_params({"enabled": "cond_check_flagged_words", "max_ratio": "flagged_words_max_cutoff",
                                    "augment_group_sizes": "words_augmentation_group_sizes"})

    def judge(self, value: float, params: dict[str, Any]) -> str | None:
        return _check_max("ratio", value, params["max_ratio"])


def same_language(predicted: str | None, target: str | None) -> bool:
    """`zh` matches `zh-Hans`: compare primary subtags."""
    return bool(predicted and target) and predicted.split("-")[0] == target.split("-")[0]


@register
class LanguageIdScore(Filter):
    """Drop documents whose predicted language is not their `lang`, or whose score is below `min_score`.
    Reuses `pred_lang`/`pred_lang_score` written by the `langid` step; documents without `lang` are judged
    on the score of the predicted language alone."""

    name = "lang_id"
    defaults = {"enabled": True, "min_score": 0.7, "model": DEFAULT_MODEL}
    language_params = roots_params({"enabled": "cond_check_lang_id", "min_score": "lang_id_min_cutoff"})

    def evaluate_batch(self, batch: Batch) -> list[Result]:
        n = len(batch["text"])
        langs = batch.get("lang") or [None] * n
        if "pred_lang" in batch:
            predictions = list(zip(batch["pred_lang"], batch["pred_lang_score"]))
        else:
            identifier = LanguageIdentifier(self.params_for(None)["model"])
            predictions = identifier.predict(batch["text"])
        out = []
        for lang, (pred, score) in zip(langs, predictions):
            params = self.params_for(lang)
            failure = None
            if lang and not same_language(pred, lang):
                failure = f"predicted {pred} ({score:.2f}), not {lang}"
            elif score < params["min_score"]:
                failure = f"score {score:.3f} < {params['min_score']} ({pred})"
            out.append(({self.name: score, "pred": pred}, failure if params["enabled"] else None))
        return out


_DIGITS = re.compile(r"\d")


@functools.lru_cache(maxsize=8)
def load_kenlm(model: str) -> Any:
    """A KenLM model from a local ARPA/binary file or a Hub file given as `owner/repo:path/in/repo`."""
    import kenlm

    if not os.path.exists(model):
        from huggingface_hub import hf_hub_download

        repo, _, filename = model.partition(":")
        model = hf_hub_download(repo, filename)
    return kenlm.Model(model)


def perplexity(model: Any, text: str) -> float | None:
    """CCNet-style document perplexity: lines lowercased, digits as 0, each line scored with <s> and </s>;
    10 ** (-(sum of log10 probabilities) / (words + one end of line per line)). None for text without words."""
    log_prob, length = 0.0, 0
    for line in text.lower().split("\n"):
        line = " ".join(_DIGITS.sub("0", line).split())
        if not line:
            continue
        log_prob += model.score(line, bos=True, eos=True)
        length += line.count(" ") + 2
    return 10.0 ** (-log_prob / length) if length else None


@register
class Perplexity(Filter):
    """Drop documents whose KenLM perplexity exceeds `max_perplexity`. `model` (per language) is a KenLM file
    or a Hub file `owner/repo:path` (e.g. the Wikipedia 5-gram models BigScience used); a language without a
    model gets no statistic and is never dropped."""

    name = "perplexity"
    defaults = {"enabled": True, "max_perplexity": 10_000, "model": None}
    language_params = roots_params({"enabled": "cond_check_perplexity", "max_perplexity": "perplexity_max_cutoff"})

    def evaluate(self, text: str, params: dict[str, Any]) -> Result:
        if not params["model"]:
            return {self.name: None}, None
        value = perplexity(load_kenlm(params["model"]), text)
        if value is None or not params["enabled"]:
            return {self.name: value}, None
        return {self.name: value}, _check_max("perplexity", value, params["max_perplexity"])


@register
class RootsPrefilter(Step):
    """ROOTS's edits before filtering: delete words containing URL-like substrings and words longer than
    `max_word_length`. Works line by line so paragraphs survive (ROOTS's code joined the whole text)."""

    name = "roots_prefilter"
    defaults = {"remove_url_words": False, "url_substrings": ["http", "www", ".com", "href", "//"],
                "remove_long_words": False, "max_word_length": 50}
    language_params = roots_params({"remove_url_words": "cond_remove_words_with_incorrect_substrings",
                                    "url_substrings": "incorrect_word_substrings",
                                    "remove_long_words": "cond_remove_long_words",
                                    "max_word_length": "length_word_max_cutoff"})

    @staticmethod
    def edit(text: str, params: dict[str, Any]) -> str:
        def keep(word: str) -> bool:
            if params["remove_url_words"] and any(s in word for s in params["url_substrings"]):
                return False
            return not (params["remove_long_words"] and len(word) > params["max_word_length"])

        return "\n".join(" ".join(w for w in line.split(" ") if keep(w)) for line in text.split("\n"))

    def __call__(self, batch: Batch) -> Batch:
        langs = batch.get("lang") or [None] * len(batch["text"])
        new = [self.edit(t or "", self.params_for(lang)) for t, lang in zip(batch["text"], langs)]
        record_edits(batch, self.name, (a != b for a, b in zip(batch["text"], new)))
        batch["text"] = new
        return batch
