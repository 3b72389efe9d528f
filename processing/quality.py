"""The import path of the first quality helpers, kept for code written before the filters were split into
`text` (word splitting) and `filters_roots` (the ROOTS filters)."""
from .filters_roots import character_repetition_ratio
from .text import words

__all__ = ["character_repetition_ratio", "words"]
