"""Word splitting and character classes shared by the quality filters."""
from __future__ import annotations

import re
import string

# Scripts written without spaces between words: each character counts as a word (ROOTS used SentencePiece for
# Chinese; characters need no model and give the same order of magnitude).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f]")

# ROOTS's "special characters": ASCII punctuation, digits and whitespace, the extra symbols its filtering code
# listed, and emoji (ROOTS took them from the `emoji` package, whose upgrades broke the filter; Unicode ranges
# do not move).
_EXTRA_SYMBOLS = ("’“”–ー一▬…✦�­£​•€«»°·═×士＾˘⇓↓↑←→（）§″′´¿−±∈﻿¢ø‚„½¼¾¹²³―⁃，ˌ¸‹›ʺˈʻ¦‐⠀‰‑≤≥‖◆●■►▼▲▴∆▻¡★☆✱ːº。"
                  "¯˜¥ɪ≈†上ン：∼⁄・♡✓⊕․．⋅÷１‟；،、¨ාั้็์\u3000\u00a0\u2009\u200a\u2002\u2003")
_EMOJI_RANGES = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2300-\u23FF\u2B00-\u2BFF\uFE0F\u200D"
                 "\U0001F1E6-\U0001F1FF\U000E0020-\U000E007F")
SPECIAL_CHARACTERS = frozenset(string.punctuation + string.digits + string.whitespace + _EXTRA_SYMBOLS)
_SPECIAL_CLASS = "[" + re.escape("".join(sorted(SPECIAL_CHARACTERS))) + _EMOJI_RANGES + "]"
SPECIAL_RE = re.compile(_SPECIAL_CLASS)
# A word's leading and trailing special characters (ROOTS's `word.strip(special_characters)`).
_EDGES = re.compile(rf"^{_SPECIAL_CLASS}+|{_SPECIAL_CLASS}+$")


def split_unspaced(tokens: list[str]) -> list[str]:
    """Split every run of an unspaced script inside `tokens` into single characters."""
    out: list[str] = []
    for token in tokens:
        if _UNSPACED.search(token):
            out.extend(_UNSPACED.sub(lambda m: f" {m.group()} ", token).split())
        else:
            out.append(token)
    return out


def words(text: str) -> list[str]:
    """Whitespace words; in unspaced scripts (Chinese, Japanese, Thai, Lao, Burmese) every character is a word."""
    tokens = text.split()
    return split_unspaced(tokens) if _UNSPACED.search(text) else tokens


def roots_words(text: str, lower: bool = False) -> list[str]:
    """ROOTS's words: `words()` stripped of leading/trailing special characters, empty ones dropped."""
    if lower:
        text = text.lower()
    stripped = (_EDGES.sub("", w) for w in words(text))
    return [w for w in stripped if w]


def augment(tokens: list[str], group_sizes: list[int], join: str = "") -> list[str]:
    """ROOTS's word augmentation for unspaced scripts: also count each run of `size` consecutive tokens as a
    word, so multi-character stopwords ("我们") match when tokens are single characters."""
    out = list(tokens)
    for size in group_sizes:
        out.extend(join.join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
    return out


def special_character_count(text: str) -> int:
    return len(SPECIAL_RE.findall(text))
