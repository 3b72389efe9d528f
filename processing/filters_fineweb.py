"""The FineWeb quality filter (Penedo et al. 2024, section 3.5.3; datatrove's `FineWebQualityFilter` defaults)."""
from __future__ import annotations

import sys
import unicodedata
from typing import Any

from .base import Filter, register
from .filters_gopher import duplicates, gopher_words

# Sentence-ending marks of every script: Unicode punctuation named a full stop, question or exclamation mark,
# danda or ellipsis (datatrove lists the Unicode Sentence_Terminal set by hand; this derives it).
TERMINAL_PUNCTUATION = ("…", *sorted(
    ch for ch in map(chr, range(sys.maxunicode + 1))
    if unicodedata.category(ch) == "Po"
    and any(k in unicodedata.name(ch, "") for k in ("FULL STOP", "QUESTION MARK", "EXCLAMATION MARK", "DANDA"))))


@register
class FineWebQuality(Filter):
    """FineWeb: drop documents where under `line_punct_thr` of lines end in terminal punctuation, over
    `short_line_thr` of lines are at most `short_line_length` characters, duplicated lines hold over
    `char_duplicates_ratio` of the characters, or there are over `new_line_ratio` newlines per word."""

    name = "fineweb_quality"
    defaults = {"line_punct_thr": 0.12, "line_punct_exclude_zero": False, "short_line_thr": 0.67,
                "short_line_length": 30, "char_duplicates_ratio": 0.01, "new_line_ratio": 0.3}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            return {}, "empty"
        stats = {
            "line_punct_ratio": sum(line.endswith(TERMINAL_PUNCTUATION) for line in lines) / len(lines),
            "short_line_ratio": sum(len(line) <= params["short_line_length"] for line in lines) / len(lines),
            "char_dup_ratio": duplicates(lines)[1] / max(1, len(text) - text.count("\n")),
            "list_ratio": text.count("\n") / max(1, len(gopher_words(text))),
        }
        p = params
        if stats["line_punct_ratio"] < p["line_punct_thr"] and not (
                stats["line_punct_ratio"] == 0 and p["line_punct_exclude_zero"]):
            return stats, f"line_punct_ratio {stats['line_punct_ratio']:.3f} < {p['line_punct_thr']}"
        if stats["short_line_ratio"] > p["short_line_thr"]:
            return stats, f"short_line_ratio {stats['short_line_ratio']:.3f} > {p['short_line_thr']}"
        if stats["char_dup_ratio"] > p["char_duplicates_ratio"]:
            return stats, f"char_dup_ratio {stats['char_dup_ratio']:.3f} > {p['char_duplicates_ratio']}"
        if stats["list_ratio"] > p["new_line_ratio"]:
            return stats, f"list_ratio {stats['list_ratio']:.3f} > {p['new_line_ratio']}"
        return stats, None
