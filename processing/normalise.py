"""Text normalisation: Unicode NFC and uniform whitespace, recorded as edits."""
from __future__ import annotations

import re
import unicodedata

from .base import Batch, Step, record_edits, register

# Unicode spaces other than "\n" and "\t" that ROOTS's "uniform whitespace" maps to a plain space.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u000b\u000c\u0085\u2028\u2029]")
_TRAILING = re.compile(r"[ \t]+(?=\n|$)")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalise_text(text: str, form: str = "NFC") -> str:
    """NFC, odd spaces to " ", CRLF to LF, no trailing blanks on lines, at most one empty line in a row."""
    if form:
        text = unicodedata.normalize(form, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_SPACES.sub(" ", text)
    text = _TRAILING.sub("", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


@register
class Normalise(Step):
    """Unicode normalisation (NFC by default; `form: null` keeps the text's own) and uniform whitespace."""

    name = "normalise"
    defaults = {"form": "NFC"}

    def __call__(self, batch: Batch) -> Batch:
        langs = batch.get("lang") or [None] * len(batch["text"])
        new = [normalise_text(t or "", self.params_for(lang)["form"]) for t, lang in zip(batch["text"], langs)]
        record_edits(batch, self.name, (a != b for a, b in zip(batch["text"], new)))
        batch["text"] = new
        return batch
