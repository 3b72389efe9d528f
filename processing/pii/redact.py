"""Replace exactly the detected spans, nothing else (ROOTS replaced every occurrence of a matched string
anywhere in the document, which also hit innocent text)."""
from __future__ import annotations

from typing import Iterable, Sequence

#: Token styles: ROOTS's (`PI:EMAIL`) and angle brackets (`<EMAIL>`); any format string with `{type}` works.
TOKEN_STYLES = {"roots": "PI:{type}", "angle": "<{type}>"}


def redact(text: str, spans: Iterable[Sequence], token: str = TOKEN_STYLES["roots"]) -> str:
    """`text` with each of the sorted, non-overlapping `(start, end, type)` spans replaced by
    `token.format(type=type)`."""
    out: list[str] = []
    pos = 0
    for start, end, pii_type in spans:
        out.append(text[pos:start])
        out.append(token.format(type=pii_type))
        pos = end
    out.append(text[pos:])
    return "".join(out)
