"""The phone-numbering region a document's language most likely writes national numbers for.

National formats are only read for these; numbers in international format (`+33 …`, `0033 …`) are read
whatever the language. The choice is the most populous country writing the language (as in the corpus's
sources), and a recipe can set the `region` parameter per language instead.
"""
from __future__ import annotations

LANGUAGE_REGIONS = {
    "ar": "EG", "bn": "BD", "ca": "ES", "de": "DE", "en": "US", "es": "ES", "eu": "ES", "fr": "FR", "gu": "IN",
    "hi": "IN", "id": "ID", "ig": "NG", "it": "IT", "ja": "JP", "kn": "IN", "ko": "KR", "ml": "IN", "mr": "IN",
    "ne": "NP", "nl": "NL", "pa": "IN", "pl": "PL", "pt": "BR", "ru": "RU", "sw": "KE", "ta": "IN", "te": "IN",
    "tr": "TR", "ur": "PK", "vi": "VN", "yo": "NG", "zh": "CN", "uk": "UA", "fa": "IR", "th": "TH", "el": "GR",
    "cs": "CZ", "sv": "SE", "da": "DK", "fi": "FI", "nb": "NO", "no": "NO", "hu": "HU", "ro": "RO", "he": "IL",
}


def region_for(lang: str | None) -> str | None:
    """`fr` or `fr-CA` -> the region: an explicit BCP-47 region subtag wins over the language's default."""
    if not lang:
        return None
    parts = lang.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
    return LANGUAGE_REGIONS.get(parts[0].lower())
