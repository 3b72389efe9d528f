"""The C4 filters (Raffel et al. 2020, section 2.2, and the TensorFlow Datasets `c4_utils` code they ran):
line rules that delete lines, then document rules that drop the page; plus the bad-words page filter."""
from __future__ import annotations

import re
from typing import Any

from .base import Batch, Filter, record_edits, register
from .filters_roots import word_list

_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
_END_PUNCTUATION = (".", "?", "!", '"', "'")
_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
# Sentences inside a kept line: ends of sentences followed by a space (C4 used NLTK's punkt here).
_SENTENCE_END = re.compile(r"[.?!][\"')\]]*\s+(?=\S)")


def c4_lines(text: str, params: dict[str, Any]) -> tuple[list[str], str | None]:
    """The lines C4 keeps, and the page-level failure a kept line revealed (lorem ipsum, curly bracket)."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if any(len(w) > params["max_word_length"] for w in words):
            continue
        line = _CITATION.sub("", line)
        if not line.endswith(_END_PUNCTUATION) or line.endswith("..."):
            continue
        if len(words) < params["min_words_per_line"]:
            continue
        lowered = line.lower()
        if "lorem ipsum" in lowered:
            return kept, "lorem ipsum"
        if "javascript" in lowered:
            continue
        if "{" in line:
            return kept, "curly bracket"
        if any(p in lowered for p in _POLICY):
            continue
        kept.append(line)
    return kept, None


@register
class C4Quality(Filter):
    """C4: keep lines ending in terminal punctuation, with >= 3 words, no word over 1000 characters, no
    "javascript" or cookie/terms-of-use phrases; drop pages with "lorem ipsum", a "{", or fewer than
    `min_sentences` sentences in the kept lines. With `remove_lines: true` (C4's behaviour) the text becomes
    the kept lines; otherwise only the page decision is made."""

    name = "c4_quality"
    defaults = {"min_sentences": 5, "min_words_per_line": 3, "max_word_length": 1000, "remove_lines": True}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        kept, failure = c4_lines(text, params)
        sentences = sum(len(_SENTENCE_END.findall(line)) + 1 for line in kept)
        stats = {"sentences": sentences, "kept_line_ratio": len(kept) / max(1, len(text.splitlines()))}
        if failure is None and sentences < params["min_sentences"]:
            failure = f"{sentences} sentences < {params['min_sentences']}"
        return stats, failure

    def __call__(self, batch: Batch) -> Batch:
        batch = super().__call__(batch)
        langs = batch.get("lang") or [None] * len(batch["text"])
        if self.mode == "apply":
            new = []
            for text, lang in zip(batch["text"], langs):
                params = self.params_for(lang)
                new.append("\n".join(c4_lines(text or "", params)[0]) if params["remove_lines"] else text)
            record_edits(batch, self.name, (a != b for a, b in zip(batch["text"], new)))
            batch["text"] = new
        return batch


_WORD = re.compile(r"\w+")


@register
class C4BadWords(Filter):
    """C4: drop pages containing any word of the language's bad-words list (shipped list, or `words`)."""

    name = "c4_badwords"
    defaults = {"words": None}

    def evaluate_batch(self, batch: Batch) -> list[tuple[dict[str, Any], str | None]]:
        langs = batch.get("lang") or [None] * len(batch["text"])
        out = []
        for text, lang in zip(batch["text"], langs):
            params = self.params_for(lang)
            listed = frozenset(params["words"]) if params["words"] is not None else word_list("flagged_words", lang or "en")
            found = sorted(listed.intersection(_WORD.findall((text or "").lower())))
            out.append(({self.name: len(found)}, f"bad word {found[0]!r}" if found else None))
        return out
