"""The document: one schema for every source, and its stable, content-addressed ids."""
from __future__ import annotations

import hashlib
from typing import Any

import datasets

#: The columns every loader yields. `meta` is per-source context (title, timestamp, page numbers, licence...)
#: stored as JSON so sources with different metadata can be concatenated without Arrow schema clashes.
DOCUMENT_FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "lang": datasets.Value("string"),
        "source": datasets.Value("string"),
        "url": datasets.Value("string"),
        "meta": datasets.Json(),
    }
)
DOCUMENT_COLUMNS = list(DOCUMENT_FEATURES)


def digest(data: str | bytes, size: int = 16) -> str:
    """Hex digest that is the same in every process and on every machine (unlike Python's salted `hash()`)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=size).hexdigest()


def make_id(source: str, key: str) -> str:
    """`<source>/<digest of the source's own key>` — stable across runs, machines and processes."""
    return f"{source}/{digest(key)}"


def document(source: str, key: str, text: str, lang: str, url: str | None = None,
             meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """One row of the document schema; loaders build every example through this."""
    return {"id": make_id(source, key), "text": text, "lang": lang, "source": source, "url": url,
            "meta": meta or {}}
