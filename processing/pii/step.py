"""The `pii` processing step: detect, count per type, and redact (mode "apply") or only report ("annotate")."""
from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from ..base import Batch, Step, record_edits, register
from .detect import TYPES, find_pii
from .redact import TOKEN_STYLES, redact
from .regions import region_for


def count_column(pii_type: str) -> str:
    return f"pii_{pii_type}"


def totals(columns: Mapping[str, Sequence], by: tuple[str, ...] = ("source", "lang")) -> dict[tuple, Counter]:
    """PII counts per type summed per group (by default per source and language) from a `datasets.Dataset` or
    a batch that went through the step: what the corpus card reports."""
    names = set(getattr(columns, "column_names", None) or columns)  # a Dataset's `in` looks at rows, not columns
    present = [t for t in TYPES if count_column(t) in names]
    keys = list(zip(*(columns[k] for k in by)))
    out: dict[tuple, Counter] = {}
    for pii_type in present:
        for key, n in zip(keys, columns[count_column(pii_type)]):
            out.setdefault(key, Counter())[pii_type] += n
    return out


@register
class Pii(Step):
    """Find PII and replace exactly the found spans with a token (`PI:EMAIL` by default).

    Writes one int column per type, `pii_<TYPE>` (every type, 0 when not searched), so a report sums them per
    source and language with a group-by. In "annotate" mode the text is left as it is (report only).
    Parameters: `types` (which detectors run), `token` (a format string with `{type}`, or a style name:
    "roots" or "angle"), `region` (phone-numbering region for national numbers; default from the language).
    """

    name = "pii"
    defaults: dict[str, Any] = {"types": list(TYPES), "token": "roots", "region": None}

    def __init__(self, params: dict[str, dict[str, Any]] | None = None, mode: str = "apply"):
        super().__init__(params, mode)
        for lang, lang_params in (params or {}).items():
            unknown = sorted(set(lang_params.get("types", [])) - set(TYPES))
            if unknown:
                raise ValueError(f"step {self.name!r} ({lang}): unknown PII type(s) {unknown}; known: {list(TYPES)}")
            token = TOKEN_STYLES.get(lang_params.get("token", "roots"), lang_params.get("token"))
            try:
                token.format(type="EMAIL")
            except (AttributeError, KeyError, IndexError, ValueError):
                raise ValueError(f"step {self.name!r} ({lang}): token must be one of {sorted(TOKEN_STYLES)} or a "
                                 f"format string using {{type}}, not {token!r}") from None

    def __call__(self, batch: Batch) -> Batch:
        n = len(batch["text"])
        langs = batch.get("lang") or [None] * n
        counts = {t: [0] * n for t in TYPES}
        new_texts = []
        for i, (text, lang) in enumerate(zip(batch["text"], langs)):
            params = self.params_for(lang)
            spans = find_pii(text or "", params["types"], params["region"] or region_for(lang))
            for span in spans:
                counts[span.type][i] += 1
            if self.mode == "apply" and spans:
                text = redact(text, spans, TOKEN_STYLES.get(params["token"], params["token"]))
            new_texts.append(text)  # untouched (even None) when nothing was found
        if self.mode == "apply":
            record_edits(batch, self.name, (a != b for a, b in zip(batch["text"], new_texts)))
            batch["text"] = new_texts
        batch.update({count_column(t): c for t, c in counts.items()})
        return batch
