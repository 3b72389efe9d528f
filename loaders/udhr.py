"""Universal Declaration of Human Rights excerpts in hundreds of languages, from the `gflanguages` package."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from typing import Any, Iterator

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.schema import document

#: The languages of the BigScience language groups (plus a few more Niger-Congo and Indic ones), as BCP-47.
BIGSCIENCE_LANGUAGES = [
    "ar", "en", "es", "eu", "ca", "fr", "id", "pt", "vi", "zh-Hans", "zh-Hant",
    "hi", "ur", "as", "bn", "gu", "kn", "ml", "mr", "ne", "or", "pa", "ta", "te",
    "sw", "yo", "ig", "zu", "xh", "ha", "rw", "sn", "st", "tn", "ln", "lg", "wo", "tw", "ts", "ny",
]
#: The sample-text fields that hold running text (the others are single words or short phrases).
TEXT_FIELDS = ("specimen_48", "specimen_36", "specimen_32", "specimen_21", "specimen_16")
LICENSE = "Apache-2.0 (gflanguages); UDHR text by the United Nations OHCHR"

FIXTURE = {"languages": ["yo", "zh-Hans", "ur"]}


@lru_cache(maxsize=1)
def udhr_languages() -> dict[str, Any]:
    """BCP-47 tag -> gflanguages LanguageProto, for entries with sample text. The script subtag is kept only
    where a language is written in several scripts and this one is not its most used (`zh-Hans` stays
    explicit, as the Hub and BLOOM's data do)."""
    from gflanguages import LoadLanguages

    entries = [lang for lang in LoadLanguages().values() if lang.HasField("sample_text")]
    main_script: dict[str, tuple[int, str]] = {}
    for lang in entries:
        best = main_script.get(lang.language)
        if best is None or lang.population > best[0]:
            main_script[lang.language] = (lang.population, lang.script)
    tags = {}
    for lang in entries:
        explicit = lang.language == "zh" or lang.script != main_script[lang.language][1]
        tags[f"{lang.language}-{lang.script}" if explicit else lang.language] = lang
    return tags


def paragraphs(sample_text: Any) -> list[tuple[str, int, str]]:
    """(field, index, paragraph) of the running text, without repeats or excerpts of longer paragraphs."""
    found: list[tuple[str, int, str]] = []
    for name in TEXT_FIELDS:
        for index, para in enumerate(getattr(sample_text, name).split("\n")):
            para = para.strip()
            if para and not any(para in other for _, _, other in found):
                found = [f for f in found if f[2] not in para] + [(name, index, para)]
    return found


@dataclass
class UdhrConfig(SourceConfig):
    """Args:
        languages: BCP-47 tags to load (see `udhr_languages()` for all); defaults to the BigScience languages.
    """

    languages: list[str] = field(default_factory=lambda: list(BIGSCIENCE_LANGUAGES))


class Udhr(SourceBuilder):
    """One document per UDHR paragraph that gflanguages ships for a language."""

    BUILDER_CONFIG_CLASS = UdhrConfig

    @classmethod
    def input_fingerprint(cls) -> str:
        return f"gflanguages=={version('gflanguages')}"

    def _shards(self) -> list[str]:
        available = udhr_languages()
        unknown = [tag for tag in self.config.languages if tag not in available]
        if unknown:
            raise ValueError(f"no UDHR text for {unknown}; e.g. {', '.join(sorted(available)[:12])}...")
        return list(self.config.languages)

    def _documents(self, tag: str) -> Iterator[dict[str, Any]]:
        lang = udhr_languages()[tag]
        for name, index, text in paragraphs(lang.sample_text):
            yield document(self.SOURCE, f"{lang.id}/{name}/{index}", text, tag, None,
                           {"gflanguages_id": lang.id, "language_name": lang.name, "field": name,
                            "paragraph": index, "license": LICENSE})
