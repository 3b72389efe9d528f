"""Scoring detectors on labelled documents: `{"text", "spans": [[start, end, TYPE], ...], "lookalikes": [...]}`
lines, as `tests/fixtures/make_pii_testset.py` writes them and `bigscience-corpus pii find` answers them."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence


@dataclass
class Score:
    found: Counter = field(default_factory=Counter)      # labelled spans detected, per labelled type
    missed: Counter = field(default_factory=Counter)     # labelled spans not detected, per labelled type
    false: Counter = field(default_factory=Counter)      # detections of no labelled span, per look-alike kind or "text"
    detections: int = 0

    def recall(self, pii_type: str | None = None) -> float:
        found = self.found[pii_type] if pii_type else sum(self.found.values())
        missed = self.missed[pii_type] if pii_type else sum(self.missed.values())
        return found / (found + missed) if found + missed else 1.0

    def precision(self) -> float:
        false = sum(self.false.values())
        return (self.detections - false) / self.detections if self.detections else 1.0

    def per_type(self) -> dict[str, float]:
        return {t: round(self.recall(t), 4) for t in sorted(self.found.keys() | self.missed.keys())}


def _overlaps(a: Sequence, b: Sequence) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(docs: Iterable[dict[str, Any]], predictions: Iterable[Sequence[Sequence]], exact: bool = True) -> Score:
    """Compare predicted `[start, end, type]` spans with each document's labels. `exact`: a label counts as found
    only for a prediction with its very offsets and type; otherwise any overlapping prediction finds it (for
    peers whose type names and span edges differ)."""
    result = Score()
    for doc, predicted in zip(docs, predictions):
        result.detections += len(predicted)
        for label in doc["spans"]:
            hit = any((tuple(p[:2]) == tuple(label[:2]) and p[2] == label[2]) if exact else _overlaps(p, label)
                      for p in predicted)
            (result.found if hit else result.missed)[label[2]] += 1
        for p in predicted:
            if not any(_overlaps(p, label) for label in doc["spans"]):
                kinds = [la[2] for la in doc.get("lookalikes", []) if _overlaps(p, la)]
                result.false[kinds[0] if kinds else "text"] += 1
    return result
