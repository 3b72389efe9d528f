"""Gopher's repetition and quality filters (Rae et al. 2021, Table A1 and section A.1.1), with the definitions
and defaults datatrove uses, so decisions agree with it. Words: a tokenizer close to spaCy's English rules
(datatrove's default), without spaCy's cost."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Any

from .base import Filter, register


def _chars(categories: tuple[str, ...], exclude: str) -> str:
    """A regex class body: Basic Multilingual Plane characters of `categories`, plus the emoji and symbol
    blocks above it (listing every astral character would make each class test a linear scan)."""
    bmp = "".join(ch for ch in map(chr, range(0x10000)) if unicodedata.category(ch) in categories
                  and ch not in exclude)
    return re.escape(bmp) + "\U0001F000-\U0001FAFF"


# spaCy peels these off a word's start (slashes, dots, hyphens and tildes stay: "/etc", ".deb", "--name",
# "~/.ssh") and end (a slash stays: "http://host/", "log/"; so do "+", "%" and other symbols: "GTK+").
_LEAD = _chars(("Ps", "Pi", "Pf", "Po", "Sc", "Sm", "Sk", "So"), "./-~_@\\:%&")
_TRAIL = _chars(("Pe", "Pi", "Pf", "Po", "So"), "/@\\&*#_")
_EDGES = re.compile(f"^([{_LEAD}]*)(.*?)(\\.\\.\\.|[{_TRAIL}]*)$", re.S)
_ABBREVIATION = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$|^[A-Z]$")  # "e.g.", "U.S.", "C." keep their dot
_PUNCT_RUN = re.compile(r"\.{2,}|-{2,}|.", re.S)
# Infixes spaCy splits at: a hyphen after a letter or digit and before a letter, or between digits; ":<>=/"
# before a letter (URLs and e-mail addresses aside); a comma between letters; a dot from a lowercase to an
# uppercase letter ("x.Add"); English clitics.
_INFIX = re.compile(r"(?<=[^\W_])(-)(?=[^\W\d_])|(?<=\d)(-)(?=\d)|(?<=[^\W_])([:<>=/])(?=[^\W\d_])"
                    r"|(?<=[^\W\d_])(,)(?=[^\W\d_])|(?<=[a-z])(\.)(?=[A-Z])"
                    r"|(?i:(?<=\w)(n['’]t|['’]s|['’]re|['’]ll|['’]ve|['’]m|['’]d)$)")
_INFIX_CHARS = frozenset("-'’:<>=/,.")
# spaCy's English exceptions for contractions written without an apostrophe.
_EXCEPTIONS = {w: tuple(parts.split()) for w, parts in (
    ("cannot", "can not"), ("dont", "do nt"), ("doesnt", "does nt"), ("didnt", "did nt"), ("isnt", "is nt"),
    ("arent", "are nt"), ("wasnt", "was nt"), ("werent", "were nt"), ("cant", "ca nt"), ("wont", "wo nt"),
    ("couldnt", "could nt"), ("shouldnt", "should nt"), ("wouldnt", "would nt"), ("hasnt", "has nt"),
    ("havent", "have nt"), ("hadnt", "had nt"), ("im", "i m"), ("id", "i d"), ("ive", "i ve"))}
_PARAGRAPHS = re.compile(r"\n{2,}")
_LINES = re.compile(r"\n+")
# datatrove's PUNCTUATION_SET for "symbol-only words" is punctuation; approximated by "no letter or digit".
_HAS_WORD_CHAR = re.compile(r"[^\W_]")
_HAS_LETTER = re.compile(r"[^\W\d_]")

GOPHER_STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


# The repetition and quality filters tokenize the same documents in turn, a batch at a time.
@functools.lru_cache(maxsize=1024)
def gopher_words(text: str) -> tuple[str, ...]:
    """Whitespace chunks with leading and trailing punctuation split off one character at a time (a trailing
    "..." stays whole), then infixes and English clitics split: spaCy's English rules in their main lines, so
    paths, URLs, version numbers and abbreviations stay single tokens as they do there."""
    out: list[str] = []
    for chunk in text.split():
        out.extend(_chunk_tokens(chunk))
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)  # word forms repeat: most chunks are tokenized once per process
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    lead, core, trail = _EDGES.match(chunk).groups()
    if not core:
        return tuple(_PUNCT_RUN.findall(chunk))
    out = list(lead)
    if trail.startswith(".") and trail != "..." and _ABBREVIATION.match(core):
        core, trail = core + ".", trail[1:]
    if core.lower() in _EXCEPTIONS and (core.islower() or core.istitle()):
        out.extend(_cased(core, _EXCEPTIONS[core.lower()]))
    elif not _INFIX_CHARS.isdisjoint(core) and "://" not in core and "@" not in core:
        out.extend(part for part in _INFIX.split(core) if part)
    else:
        out.append(core)
    if trail:
        out.extend([trail] if trail == "..." else trail)
    return tuple(out)


def _cased(word: str, parts: tuple[str, ...]) -> list[str]:
    """`parts` cut from `word` itself, so "Cannot" gives "Can", "not"."""
    out, i = [], 0
    for part in parts:
        out.append(word[i:i + len(part)])
        i += len(part)
    return out


def duplicates(items: list[str]) -> tuple[int, int]:
    """(number of items seen before, their characters)."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars


def top_ngram_chars(words: tuple[str, ...], n: int) -> int:
    """Characters (spaces included) of the most frequent word n-gram times its count."""
    grams = Counter(zip(*(words[i:] for i in range(n))))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return (sum(map(len, gram)) + n - 1) * count


def duplicated_ngram_chars(words: tuple[str, ...], ns: list[int]) -> dict[int, int]:
    """For each n: characters (no spaces) of word n-grams seen before, scanning left to right and skipping past
    each duplicate, so overlapping repeats count once."""
    out: dict[int, int] = {}
    candidates: list[int] | None = None
    for n in sorted(ns):
        # An n-gram occurring once can never be "seen before", and a repeated (n+1)-gram starts where an
        # n-gram repeats: each longer n only looks at the positions the shorter one found repeated.
        if candidates is None:
            grams: Any = list(zip(*(words[i:] for i in range(n))))
            positions: Any = range(len(grams))
        else:
            positions = [i for i in candidates if i + n <= len(words)]
            grams = {i: words[i:i + n] for i in positions}
        counts = Counter(grams[i] for i in positions)
        candidates = [i for i in positions if counts[grams[i]] > 1]
        seen: set[tuple[str, ...]] = set()
        chars = resume = 0
        for i in candidates:
            if i < resume:
                continue
            gram = grams[i]
            if gram in seen:
                chars += sum(map(len, gram))
                resume = i + n
            else:
                seen.add(gram)
        out[n] = chars
    return out


@register
class GopherRepetition(Filter):
    """Gopher repetition: duplicate lines/paragraphs (share and characters), top 2-4-gram character shares,
    duplicated 5-10-gram character shares. A `null` threshold disables that check."""

    name = "gopher_repetition"
    defaults = {"dup_line_frac": 0.3, "dup_para_frac": 0.3, "dup_line_char_frac": 0.2, "dup_para_char_frac": 0.2,
                "top_n_grams": {2: 0.2, 3: 0.18, 4: 0.16},
                "dup_n_grams": {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        if not text:
            return {}, "empty"
        size = len(text)
        paragraphs = _PARAGRAPHS.split(text.strip())
        para_dups, para_chars = duplicates(paragraphs)
        lines = _LINES.split(text)
        line_dups, line_chars = duplicates(lines)
        stats: dict[str, Any] = {"dup_para_frac": para_dups / len(paragraphs), "dup_para_char_frac": para_chars / size,
                                 "dup_line_frac": line_dups / len(lines), "dup_line_char_frac": line_chars / size}
        words = gopher_words(text)
        for n in params["top_n_grams"]:
            stats[f"top_{n}_gram"] = top_ngram_chars(words, int(n)) / size
        dup_chars = duplicated_ngram_chars(words, [int(n) for n in params["dup_n_grams"]])
        for n in params["dup_n_grams"]:
            stats[f"duplicated_{n}_n_grams"] = dup_chars[int(n)] / size
        limits = {key: params[key] for key in ("dup_para_frac", "dup_para_char_frac", "dup_line_frac",
                                               "dup_line_char_frac")}
        limits.update({f"top_{n}_gram": v for n, v in params["top_n_grams"].items()})
        limits.update({f"duplicated_{n}_n_grams": v for n, v in params["dup_n_grams"].items()})
        for key, limit in limits.items():  # datatrove's order: the first failing check names the reason
            if limit is not None and stats[key] > limit:
                return stats, f"{key} {stats[key]:.3f} > {limit}"
        return stats, None


@register
class GopherQuality(Filter):
    """Gopher quality: word count and mean word length (of words with a letter or digit), hash and ellipsis
    per word, bullet and ellipsis line shares, share of words with a letter, count of distinct stop words."""

    name = "gopher_quality"
    defaults = {"min_doc_words": 50, "max_doc_words": 100_000, "min_avg_word_length": 3, "max_avg_word_length": 10,
                "max_symbol_word_ratio": 0.1, "max_bullet_lines_ratio": 0.9, "max_ellipsis_lines_ratio": 0.3,
                "max_non_alpha_words_ratio": 0.8, "min_stop_words": 2, "stop_words": list(GOPHER_STOP_WORDS)}

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        words = gopher_words(text)
        n_words = len(words) or 1  # datatrove divides by the raw count; an empty text fails on length first
        content = [w for w in words if _HAS_WORD_CHAR.search(w)]
        lines = text.splitlines() or [""]
        stats = {
            "words": len(content),
            "avg_word_length": sum(map(len, content)) / len(content) if content else 0.0,
            "hash_ratio": text.count("#") / n_words,
            "ellipsis_ratio": (text.count("...") + text.count("…")) / n_words,
            "bullet_lines_ratio": sum(s.lstrip().startswith(("•", "-")) for s in lines) / len(lines),
            "ellipsis_lines_ratio": sum(s.rstrip().endswith(("...", "…")) for s in lines) / len(lines),
            "alpha_words_ratio": sum(1 for w in words if _HAS_LETTER.search(w)) / n_words,
            "stop_words": len(set(params["stop_words"]).intersection(words)),
        }
        p = params
        checks = (
            ("words", p["min_doc_words"], stats["words"] < (p["min_doc_words"] or 0)),
            ("words", p["max_doc_words"], p["max_doc_words"] and stats["words"] > p["max_doc_words"]),
            ("avg_word_length", p["min_avg_word_length"], stats["avg_word_length"] < (p["min_avg_word_length"] or 0)),
            ("avg_word_length", p["max_avg_word_length"],
             p["max_avg_word_length"] and stats["avg_word_length"] > p["max_avg_word_length"]),
            ("hash_ratio", p["max_symbol_word_ratio"],
             p["max_symbol_word_ratio"] and stats["hash_ratio"] > p["max_symbol_word_ratio"]),
            ("ellipsis_ratio", p["max_symbol_word_ratio"],
             p["max_symbol_word_ratio"] and stats["ellipsis_ratio"] > p["max_symbol_word_ratio"]),
            ("bullet_lines_ratio", p["max_bullet_lines_ratio"],
             p["max_bullet_lines_ratio"] and stats["bullet_lines_ratio"] > p["max_bullet_lines_ratio"]),
            ("ellipsis_lines_ratio", p["max_ellipsis_lines_ratio"],
             p["max_ellipsis_lines_ratio"] and stats["ellipsis_lines_ratio"] > p["max_ellipsis_lines_ratio"]),
            ("alpha_words_ratio", p["max_non_alpha_words_ratio"],
             stats["alpha_words_ratio"] < (p["max_non_alpha_words_ratio"] or 0)),
            ("stop_words", p["min_stop_words"], stats["stop_words"] < (p["min_stop_words"] or 0)),
        )
        for key, limit, failed in checks:
            if failed:
                return stats, f"{key} {stats[key]:.3g} outside limit {limit}"
        return stats, None
